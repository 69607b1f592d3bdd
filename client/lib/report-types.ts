/** The report document as the API sends it (server/report/report.types.ts): what the view draws. */
import type { Bilingual } from '../api';

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

export interface Submission {
  id: number;
  period: string;
  from: string;
  to: string;
  lang: ReportLang;
  sha256: string;
  dataVersion: number;
  submittedAt: string;
  submittedBy: { id: number | null; email: string; name: string };
  note: string | null;
}

export interface FigureDelta {
  span: 'period' | 'previousPeriod' | 'yearAgoPeriod' | 'yearToDate';
  measure: string;
  university: string;
  delta: number;
  records: number;
}

export interface Revision {
  auditId: number;
  at: string;
  user: string | null;
  action: 'create' | 'update' | 'delete' | 'import' | 'target_change';
  subject: string;
  kind: string | null;
  before: unknown;
  after: unknown;
  itemized: boolean;
  detail: unknown;
  figures: FigureDelta[];
}

export interface FigureDifference {
  table: 'summary' | 'comparisons' | 'attainment';
  scope: string | null;
  measure: string;
  field: string;
  submitted: number | null;
  now: number | null;
}

export interface LiveReportAnswer {
  lang: ReportLang;
  sha256: string;
  report: ReportDocument;
}

export interface SubmissionAnswer {
  submission: Submission;
  report: ReportDocument;
  live: { sha256: string; unchanged: boolean; dataVersion: number };
  revisions: Revision[];
  differences: FigureDifference[];
}
