/** The report document as the API sends it (server/report/report.types.ts): what the view draws. */
import type { Bilingual } from '../api';

export type ReportLang = 'zh' | 'en';

export interface Figure {
  value: number;
  records: number;
}
export type Figures = Record<string, Figure | undefined>;

export interface PeriodInfo {
  key: string;
  grain: 'year' | 'half' | 'quarter';
  from: string;
  to: string;
  label: Bilingual;
}

export interface ReportMeasure {
  id: string;
  kind: string;
  unit: 'count' | 'cny' | 'people' | 'credits';
  temporality: 'flow' | 'stock';
  dateColumn: string;
  aggregate: 'count' | 'sum';
  name: Bilingual;
  definition: Bilingual;
  standard: { code: string; name: Bilingual; reference: Bilingual };
}

export interface ScopeRow<T> {
  level: 'university' | 'region' | 'alliance';
  code: string | null;
  region: string | null;
  cells: T;
}

export interface Attainment {
  target: number | null;
  yearToDate: number;
  attainment: number | null;
}

export interface Comparison {
  measure: string;
  value: number;
  records: number;
  previous: number;
  change: number | null;
  yearAgo: number;
  yearOnYear: number | null;
  panel: { universities: string[]; value: number; yearAgo: number; change: number | null };
  target: number | null;
  yearToDate: number;
  attainment: number | null;
}

export interface BreakdownRow {
  level: 'item' | 'subtotal' | 'total';
  code: string | null;
  figures: Figures;
}
export interface Breakdown {
  dimension: string;
  measures: string[];
  rows: BreakdownRow[];
}

export interface PairMatrix {
  measure: string;
  cells: Figure[][];
  rowTotals: Figure[];
  columnTotals: Figure[];
  total: Figure;
}

export interface ReportDocument {
  format: string;
  period: PeriodInfo;
  previousPeriod: PeriodInfo;
  yearAgoPeriod: PeriodInfo;
  yearToDate: { from: string; to: string };
  targetYear: number;
  attainmentBasis: 'value' | 'year_to_date';
  complete: boolean;
  data: { synthetic: boolean; asOf: string | null; version: number; firstDate: string | null; lastDate: string | null };
  universities: Array<{ code: string; name: Bilingual; region: string; lead: boolean }>;
  regions: Array<{ code: string; name: Bilingual }>;
  labels: Record<string, Bilingual>;
  standards: Record<string, Bilingual>;
  measures: ReportMeasure[];
  summary: { measures: string[]; rows: Array<ScopeRow<Figures>> };
  comparisons: Comparison[];
  attainmentByUniversity: { measures: string[]; rows: Array<ScopeRow<Record<string, Attainment | undefined>>> };
  techTransfer: { byMode: Breakdown; byValueBand: Breakdown };
  incubation: { byField: Breakdown };
  talent: { byLevel: Breakdown };
  credits: { universities: string[]; matrices: PairMatrix[] };
}

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
