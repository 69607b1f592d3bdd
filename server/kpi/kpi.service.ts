import { type Pace, paceOf, type Unit } from '../../contract/kpi.js';
import { denominatorColumn, numeratorColumn, recordsColumn, statusColumn } from '../../contract/aggregate-columns.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { today } from '../lib/dates.js';
import { dataDateRange } from './references.queries.js';
import { versioned } from '../db/versioned.js';
import { type AggregateRow, type DataRange, FILTER_DIMENSIONS, type KpiFilters, runAggregate } from './compile.js';
import type { AggregateRequest, CollaborationRequest, SummaryRequest } from './kpi.schemas.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { previousPeriod, shiftYears } from './periods.js';
import { assertKnownCodes, loadReferences, membersOn, type References, universitiesInScope } from './references.js';
import { ratioOf } from '../../contract/ratio.js';
import { isRatio, MEASURES } from './registry.js';
import { type FigureStatus, statusOfAll } from '../../contract/figure-status.js';
import {
  type FigureStatuses,
  figureStatuses,
  OPEN_END,
  OPEN_START,
  type Reading,
  isStock,
  readingOf,
  rowStatus,
} from './figure-status.js';

/** The data's first and last days: read once per data version. */
export function readDataRange(db: Kysely<Database>): Promise<DataRange> {
  return versioned(db, 'data-range', async () => {
    const range = await dataDateRange(db);
    return { first: range.first, last: range.last };
  });
}

export interface Aggregate {
  measures: MeasureId[];
  by: string[];
  /** Each row with each measure's status (`statusColumn`) and `status`, the least settled of them. */
  rows: Array<AggregateRow & { status: FigureStatus }>;
}

/** How measures read their records, and the range that a figure of them draws on (open ends kept open). */
export function figureRange(
  measures: readonly MeasureId[],
  filters: KpiFilters,
  day = today(),
): { reading: Reading; range: Span } {
  const reading = readingOf(measures.map((m) => MEASURES[m]));
  // A stock is read on the range's last day, today without one (as the compiler reads it).
  const to = filters.to ?? (isStock(reading) ? day : OPEN_END);
  return { reading, range: { from: filters.from ?? OPEN_START, to } };
}

export async function aggregate(db: Kysely<Database>, request: AggregateRequest): Promise<Aggregate> {
  const references = await loadReferences(db);
  assertKnownCodes(request.filters, references);
  const [rows, statuses] = await Promise.all([
    runAggregate(db, request, await readDataRange(db)),
    figureStatuses(db, request.measures),
  ]);
  const scope = universitiesInScope(request.filters, references);
  // Each measure's figure draws on the periods its own reading does (a flow, a stock, a figure to
  // date): measures of one reading share its range, so a row's statuses take at most three lookups.
  const ranges = new Map(request.measures.map((m) => [m, figureRange([m], request.filters, statuses.day)]));
  const readings = new Map([...ranges.values()].map((r) => [r.reading, r.range]));
  return {
    measures: [...request.measures],
    by: [...request.by],
    rows: rows.map((row) => {
      const byReading = new Map(
        [...readings].map(([reading, range]) => [
          reading,
          rowStatus(statuses, row, request.by, scope, range, reading, references),
        ]),
      );
      // In the order the measures were asked in, as their figures are.
      const own = Object.fromEntries(request.measures.map((m) => [statusColumn(m), byReading.get(ranges.get(m)!.reading)!]));
      return { ...row, ...own, status: statusOfAll(Object.values(own)) };
    }),
  };
}

export interface Span {
  from: string;
  to: string;
}

/**
 * A figure of the summary: a number, or for a ratio (`unit` of the registry, `aggregate.fn` ratio)
 * null where its denominator is 0.
 */
export type SummaryFigure = number | null;

export interface MeasureSummary {
  measure: MeasureId;
  unit: Unit;
  temporality: 'flow' | 'stock';
  value: SummaryFigure;
  records: number;
  previous: SummaryFigure;
  /** Relative change against the previous period of the same length; null when that was zero. */
  change: number | null;
  yearAgo: SummaryFigure;
  yearOnYear: number | null;
  /** Year on year over the universities with records in both periods, as the national report compares. */
  panel: { universities: string[]; value: SummaryFigure; yearAgo: SummaryFigure; change: number | null };
  targetYear: number;
  target: number | null;
  yearToDate: SummaryFigure;
  /** Year to date ÷ the year's target; null without a comparable target. */
  progress: number | null;
  /** The progress against the target's pace by the period's end: flows with a target only (contract/kpi.ts). */
  pace: Pace | null;
  /** A ratio's two sums over the period (null for any other measure). */
  numerator: number | null;
  denominator: number | null;
  /** The status of `value`, `previous`, `yearAgo` (and the panel's) and `yearToDate` (and `progress`). */
  status: FigureStatus;
  previousStatus: FigureStatus;
  yearAgoStatus: FigureStatus;
  yearToDateStatus: FigureStatus;
}

export interface Summary {
  period: Span;
  previousPeriod: Span;
  yearAgoPeriod: Span;
  yearToDate: Span;
  measures: MeasureSummary[];
}

const change = (value: SummaryFigure, base: SummaryFigure): number | null =>
  value === null || base === null || base === 0 ? null : value / base - 1;
const round = (value: number): number => Math.round(value * 100) / 100;

/** A university's part of a figure: its value, its records, and for a ratio its two sums. */
interface Part {
  value: number;
  records: number;
  numerator: number;
  denominator: number;
}

function byUniversity(rows: AggregateRow[], measure: MeasureId): Map<string, Part> {
  const result = new Map<string, Part>();
  for (const row of rows) {
    const records = Number(row[recordsColumn(measure)] ?? 0);
    if (records > 0)
      result.set(String(row.university), {
        value: Number(row[measure] ?? 0),
        records,
        numerator: Number(row[numeratorColumn(measure)] ?? 0),
        denominator: Number(row[denominatorColumn(measure)] ?? 0),
      });
  }
  return result;
}

const sumOf = (map: Map<string, Part>, pick: (p: Part) => number, only?: readonly string[]): number =>
  round([...map].filter(([code]) => !only || only.includes(code)).reduce((sum, [, part]) => sum + pick(part), 0));

/** The figure over the universities (or only some): a sum, or for a ratio its sums divided, never its values summed. */
function total(measure: MeasureId, map: Map<string, Part>, only?: readonly string[]): SummaryFigure {
  const { aggregate } = MEASURES[measure];
  if (aggregate.fn !== 'ratio') return sumOf(map, (p) => p.value, only);
  return ratioOf(
    sumOf(map, (p) => p.numerator, only),
    sumOf(map, (p) => p.denominator, only),
    aggregate.decimals,
  );
}

/** The period the summary covers: the filter's, else the current year to date. */
export function summaryPeriod(filters: KpiFilters, now = today()): Span {
  const to = filters.to ?? (filters.from && filters.from > now ? filters.from : now);
  const from = filters.from ?? `${to.slice(0, 4)}-01-01`;
  return { from, to };
}

/**
 * Per measure: the period's value, the previous period of the same length, the same period a
 * year before (also over the matched panel of universities), and the year's target.
 */
export async function summary(
  db: Kysely<Database>,
  request: SummaryRequest,
  /** The spans to compare with, where the caller chooses them (the report); by default from the period. */
  compare?: { previous: Span; yearAgo: Span },
): Promise<Summary> {
  const references = await loadReferences(db);
  assertKnownCodes(request.filters, references);
  const range = await readDataRange(db);
  const period = summaryPeriod(request.filters);
  const previous = compare?.previous ?? previousPeriod(period.from, period.to);
  const yearAgo = compare?.yearAgo ?? { from: shiftYears(period.from, -1), to: shiftYears(period.to, -1) };
  const targetYear = Number(period.to.slice(0, 4));
  const yearToDate = { from: `${targetYear}-01-01`, to: period.to };
  const measures = [...request.measures];
  const run = (span: Span) =>
    runAggregate(db, { measures, by: ['university'], filters: { ...request.filters, ...span }, withRecords: true }, range);
  // The four spans are independent statements: on PostgreSQL they run side by side on the pool
  // (PGlite and a transaction take them one after another on their one connection). The default
  // period is the year to date itself, which is then asked once.
  const ytdIsPeriod = yearToDate.from === period.from && yearToDate.to === period.to;
  const [current, before, ago, ytdOwn, targets, statuses] = await Promise.all([
    run(period),
    run(previous),
    run(yearAgo),
    ytdIsPeriod ? undefined : run(yearToDate),
    targetsFor(db, measures, targetYear, request.filters, references),
    figureStatuses(db, measures),
  ]);
  const ytd = ytdOwn ?? current;
  const scope = universitiesInScope(request.filters, references);
  const statusOf = (measure: MeasureId, span: Span) => spanStatus(statuses, scope, [measure], span);

  return {
    period,
    previousPeriod: previous,
    yearAgoPeriod: yearAgo,
    yearToDate,
    measures: measures.map((measure) => {
      const now = byUniversity(current, measure);
      const then = byUniversity(ago, measure);
      const value = total(measure, now);
      const previousValue = total(measure, byUniversity(before, measure));
      const yearAgoValue = total(measure, then);
      const panel = [...now.keys()].filter((code) => then.has(code));
      const panelOrdered = references.universities.filter((code) => panel.includes(code));
      const panelValue = total(measure, now, panel);
      const panelYearAgo = total(measure, then, panel);
      const ytdValue = total(measure, byUniversity(ytd, measure));
      const target = targets.get(measure) ?? null;
      const progress = target === null || target === 0 || ytdValue === null ? null : ytdValue / target;
      return {
        measure,
        unit: MEASURES[measure].unit,
        temporality: MEASURES[measure].temporality,
        value,
        records: [...now.values()].reduce((sum, v) => sum + v.records, 0),
        previous: previousValue,
        change: change(value, previousValue),
        yearAgo: yearAgoValue,
        yearOnYear: change(value, yearAgoValue),
        panel: { universities: panelOrdered, value: panelValue, yearAgo: panelYearAgo, change: change(panelValue, panelYearAgo) },
        targetYear,
        target,
        yearToDate: ytdValue,
        progress,
        pace:
          progress === null || MEASURES[measure].temporality !== 'flow' || isRatio(MEASURES[measure])
            ? null
            : paceOf(progress, period.to),
        numerator: isRatio(MEASURES[measure]) ? sumOf(now, (p) => p.numerator) : null,
        denominator: isRatio(MEASURES[measure]) ? sumOf(now, (p) => p.denominator) : null,
        status: statusOf(measure, period),
        previousStatus: statusOf(measure, previous),
        yearAgoStatus: statusOf(measure, yearAgo),
        yearToDateStatus: statusOf(measure, yearToDate),
      };
    }),
  };
}

/**
 * What figures of `measures` over a span draw on: each measure's own reading and range, once per
 * reading (a flow, a figure to date, a stock of each kind of record).
 */
export function figureRanges(
  measures: readonly MeasureId[],
  span: Span,
  day = today(),
): Array<{ reading: Reading; range: Span }> {
  if (measures.length === 0) return [figureRange([], span, day)];
  return [...new Map(measures.map((m) => figureRange([m], span, day)).map((r) => [r.reading, r])).values()];
}

/**
 * The status of figures of `measures` over the universities in `scope` and a span: the least settled
 * of each measure's own (as an aggregate row's `status` is).
 */
export function spanStatus(
  statuses: FigureStatuses,
  scope: readonly string[],
  measures: readonly MeasureId[],
  span: Span,
): FigureStatus {
  return statusOfAll(figureRanges(measures, span, statuses.day).map(({ reading, range }) => statuses.of(scope, range, reading)));
}

/**
 * The year's target for each measure within the filters: the alliance-wide target when no
 * university or province is chosen (else the members' sum), the sum over the chosen
 * universities otherwise; none when a target is missing or the filters cut across it.
 */
async function targetsFor(
  db: Kysely<Database>,
  measures: readonly MeasureId[],
  year: number,
  filters: KpiFilters,
  references: References,
): Promise<Map<MeasureId, number>> {
  const result = new Map<MeasureId, number>();
  const crossCutting = FILTER_DIMENSIONS.some((d) => d !== 'university' && d !== 'region' && filters[d]);
  if (crossCutting || measures.length === 0) return result;
  const rows = await db
    .selectFrom('target')
    .select(['measure', 'university_code', 'value'])
    .where('year', '=', year)
    .where('measure', 'in', measures)
    .execute();
  const scope = universitiesInScope(filters, references);
  // The alliance's own target is for whoever were its members: a filter naming exactly them (as the
  // report's does for a period before a later member joined) is the alliance, not a sum of members.
  const members = membersOn(filters.to ?? `${year}-12-31`, references);
  const scoped =
    (filters.university || filters.region) && !(scope.length === members.length && members.every((code) => scope.includes(code)));
  for (const measure of measures) {
    if (MEASURES[measure].temporality === 'stock') continue;
    const mine = rows.filter((r) => r.measure === measure);
    const alliance = mine.find((r) => r.university_code === null);
    if (!scoped && alliance) {
      result.set(measure, Number(alliance.value));
      continue;
    }
    // Summed over the chosen universities that were members by then: one that joined later has no
    // target for the year, and its absence does not blank its province's.
    const counted = scope.filter((code) => members.includes(code)).map((code) => mine.find((r) => r.university_code === code));
    if (counted.length > 0 && counted.every((r) => r !== undefined)) {
      result.set(measure, round(counted.reduce((sum, r) => sum + Number(r!.value), 0)));
    }
  }
  return result;
}

export interface Collaboration {
  measure: MeasureId;
  universities: string[];
  partners: string[];
  /** matrix[i][j]: the measure for university i with partner university j. */
  matrix: number[][];
  /** The part of each university's figure with no partner university. */
  withoutPartner: number[];
  totals: number[];
  /** The status of each university's row (its own university-periods); final for one outside the filters. */
  statuses: FigureStatus[];
  /** The status of the matrix as a whole. */
  status: FigureStatus;
}

export async function collaboration(db: Kysely<Database>, request: CollaborationRequest): Promise<Collaboration> {
  const references = await loadReferences(db);
  assertKnownCodes(request.filters, references);
  const [rows, figures] = await Promise.all([
    runAggregate(
      db,
      { measures: [request.measure], by: ['university', 'partner_university'], filters: request.filters },
      await readDataRange(db),
    ),
    figureStatuses(db, [request.measure]),
  ]);
  const scope = universitiesInScope(request.filters, references);
  const { reading, range } = figureRange([request.measure], request.filters, figures.day);
  const universities = references.universities;
  const index = new Map(universities.map((code, i) => [code, i]));
  const matrix = universities.map(() => universities.map(() => 0));
  const withoutPartner = universities.map(() => 0);
  for (const row of rows) {
    const i = index.get(String(row.university));
    if (i === undefined) continue;
    const value = Number(row[request.measure]);
    const j = row.partner_university === null ? undefined : index.get(String(row.partner_university));
    if (j === undefined) withoutPartner[i] = round(withoutPartner[i]! + value);
    else matrix[i]![j] = value;
  }
  const totals = matrix.map((cells, i) => round(cells.reduce((sum, v) => sum + v, 0) + withoutPartner[i]!));
  const statuses = universities.map((code) => (scope.includes(code) ? figures.of([code], range, reading) : 'F'));
  return {
    measure: request.measure,
    universities,
    partners: universities,
    matrix,
    withoutPartner,
    totals,
    statuses,
    status: figures.of(scope, range, reading),
  };
}
