/** The report's shapes are the contract's (contract/report.ts, contract/schemas/report.ts): imported, never copied. */
import type { LiveReport } from '../../contract/schemas/report';

export type {
  Breakdown,
  Figure,
  PairMatrix,
  ReportDocument,
  ReportMeasure,
  ScopeRow,
} from '../../contract/report';
export type {
  FigureDifference,
  Submission,
  SubmissionWithRevisions as SubmissionAnswer,
} from '../../contract/schemas/report';

/** The languages a report is written in, as the API accepts them. */
export type ReportLang = LiveReport['lang'];

/** GET /report: the live document, in the language asked for, and its digest. */
export type LiveReportAnswer = LiveReport;
