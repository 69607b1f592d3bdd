import type { TransferMode } from './enums.js';
import type { Unit } from './kpi.js';
import type { MeasureId } from './measure-ids.js';
import type { Bilingual, Standard } from './schemas/meta.js';

/** The grains of a report's period: a year (2024), a half (2024-H1), a quarter (2024-Q3). */
export type PeriodGrain = 'year' | 'half' | 'quarter';

/**
 * The commission report as data: self-contained (names, definitions and figures as they were
 * when it was made), language-neutral (every label in both languages), and serialised
 * canonically so that its SHA-256 identifies it. A submitted report is this document, frozen.
 * Format 2 adds the national block (`national`); a document of format 1, submitted before it, has none.
 */
export const REPORT_FORMAT = 'alliance-outcomes.report/2';

/** One figure and the number of records behind it. */
export interface Figure {
  /** A sum or a count; for a ratio, null where its denominator is 0. */
  value: number | null;
  records: number;
}

export type Figures = Partial<Record<MeasureId, Figure>>;

export interface PeriodInfo {
  key: string;
  grain: PeriodGrain;
  from: string;
  to: string;
  label: Bilingual;
}

export interface ReportMeasure {
  id: MeasureId;
  kind: string;
  unit: Unit;
  temporality: 'flow' | 'stock';
  dateColumn: string;
  /** `count`: the figure is the number of records; `sum`: a sum over them; `ratio`: one sum over another. */
  aggregate: 'count' | 'sum' | 'ratio';
  name: Bilingual;
  definition: Bilingual;
  standard: { code: Standard['code']; name: Bilingual; reference: Bilingual };
}

/** A row of a table by university: a member, its province's subtotal, or the alliance's total. */
export interface ScopeRow<T> {
  level: 'university' | 'region' | 'alliance';
  /** The university's or province's code; null for the alliance. */
  code: string | null;
  /** The province of a university row. */
  region: string | null;
  cells: T;
}

export interface Attainment {
  target: number | null;
  yearToDate: number;
  /** Year to date ÷ the year's target; null without a target (and always for the stock). */
  attainment: number | null;
}

export interface Comparison {
  measure: MeasureId;
  /** Figures are null only for a ratio whose denominator is 0. */
  value: number | null;
  records: number;
  previous: number | null;
  /** value ÷ previous − 1; null when previous is zero. */
  change: number | null;
  yearAgo: number | null;
  yearOnYear: number | null;
  /** Year on year over the universities with records in both periods (the national report's matched panel). */
  panel: { universities: string[]; value: number | null; yearAgo: number | null; change: number | null };
  target: number | null;
  yearToDate: number | null;
  attainment: number | null;
}

/** A row of a breakdown: one value of a dimension, a subtotal of a group of them, or the total. */
export interface BreakdownRow {
  level: 'item' | 'subtotal' | 'total';
  /** The dimension's value (`license`, `1m_to_10m`, `master`) or the subtotal's group; null for the total. */
  code: string | null;
  figures: Figures;
}

export interface Breakdown {
  dimension: string;
  measures: MeasureId[];
  rows: BreakdownRow[];
}

export interface PairMatrix {
  measure: MeasureId;
  /** cells[i][j]: students of university i recognised at host university j. */
  cells: Figure[][];
  rowTotals: Figure[];
  columnTotals: Figure[];
  total: Figure;
}

export interface ReportDocument {
  format: typeof REPORT_FORMAT;
  period: PeriodInfo;
  previousPeriod: PeriodInfo;
  yearAgoPeriod: PeriodInfo;
  /** 1 January of the target year to the period's last day: what attainment compares with the year's target. */
  yearToDate: { from: string; to: string };
  targetYear: number;
  /** `value`: the period is the whole year; `year_to_date`: a half or quarter, compared year to date. */
  attainmentBasis: 'value' | 'year_to_date';
  /** False while the period has not ended: its figures are to date. */
  complete: boolean;
  data: {
    synthetic: boolean;
    /** When the data last changed (ISO 8601), and its version, which every write bumps. */
    asOf: string | null;
    version: number;
    firstDate: string | null;
    lastDate: string | null;
  };
  universities: Array<{ code: string; name: Bilingual; region: string; lead: boolean }>;
  regions: Array<{ code: string; name: Bilingual }>;
  /** Names of the codes the breakdowns use: modes, value bands, levels, fields. */
  labels: Record<string, Bilingual>;
  standards: Record<string, Bilingual>;
  measures: ReportMeasure[];
  summary: { measures: MeasureId[]; rows: Array<ScopeRow<Figures>> };
  comparisons: Comparison[];
  attainmentByUniversity: { measures: MeasureId[]; rows: Array<ScopeRow<Partial<Record<MeasureId, Attainment>>>> };
  techTransfer: { byMode: Breakdown; byValueBand: Breakdown };
  incubation: { byField: Breakdown };
  talent: { byLevel: Breakdown };
  credits: { universities: string[]; matrices: PairMatrix[] };
  /** The national report's table for each member and the alliance; absent from documents of format 1. */
  national?: NationalBlock;
}

/** One line of the national block: a registry measure, for one mode or for all six. */
export interface NationalLine {
  id: string;
  measure: MeasureId;
  mode: TransferMode | null;
  name: Bilingual;
}

export interface NationalBlock {
  lines: NationalLine[];
  /** The members in the report's order, then the alliance. */
  columns: Array<{ level: 'university' | 'alliance'; code: string | null }>;
  /** Per line (in `lines` order), one figure per column. */
  rows: Array<{ line: string; cells: Figure[] }>;
  /** The members whose contract value over the six modes in the period reached the threshold (yuan). */
  above: { threshold: number; universities: string[] };
}
