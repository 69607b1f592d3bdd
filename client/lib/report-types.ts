/** The report document as the API sends it (server/report/report.types.ts): what the view draws. */

export type ReportLang = 'zh' | 'en';

// The document's shape is the server's own (one definition, checked on both sides).
import type { ReportDocument } from '../../server/report/report.types';
export type {
  Attainment,
  Breakdown,
  BreakdownRow,
  Comparison,
  Figure,
  Figures,
  PairMatrix,
  PeriodInfo,
  ReportDocument,
  ReportMeasure,
  ScopeRow,
} from '../../server/report/report.types';

// Submissions and what changed since, likewise the server's own types.
export type { Submission, SubmissionWithRevisions as SubmissionAnswer } from '../../server/report/report-submissions';
export type { FigureDelta, FigureDifference, Revision } from '../../server/report/report-revisions';

export interface LiveReportAnswer {
  lang: ReportLang;
  sha256: string;
  report: ReportDocument;
}
