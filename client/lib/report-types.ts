/** The report's shapes are the server's own (server/report/): imported, never copied. */
import type { z } from 'zod';
import type { ReportDocument } from '../../server/report/report.types';
import type { SubmitBodySchema } from '../../server/report/report.schemas';

export type {
  Breakdown,
  Figure,
  PairMatrix,
  ReportDocument,
  ReportMeasure,
  ScopeRow,
} from '../../server/report/report.types';
export type { Submission, SubmissionWithRevisions as SubmissionAnswer } from '../../server/report/report-submissions';
export type { FigureDifference } from '../../server/report/report-revisions';

/** The languages a report is written in, as the API accepts them. */
export type ReportLang = z.input<typeof SubmitBodySchema>['lang'];

/** GET /report: the live document, in the language asked for, and its digest. */
export interface LiveReportAnswer {
  lang: ReportLang;
  sha256: string;
  report: ReportDocument;
}
