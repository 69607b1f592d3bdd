import type { Kysely } from 'kysely';
import type { FactKind, ReportingFrequency, ReportingStep } from '../../contract/enums.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { type FigureStatus, statusOfAll, worseStatus } from '../../contract/figure-status.js';
import { addDays, parseReportingPeriod, periodHolding, type ReportingPeriodSpan } from '../../contract/reporting-periods.js';
import { readCalendars } from '../cycle/cycle.queries.js';
import { freezePeriod } from '../cycle/period-records.js';
import type { Database } from '../db/schema.js';
import { versioned } from '../db/versioned.js';
import { today } from '../lib/dates.js';
import { MAIN_DATE } from '../../contract/record-columns.js';
import { readDatedDays, readHeldMonths, readStoredPeriods } from './figure-status.queries.js';
import { type Held, isTimeDimension, type DimensionId, MEASURES } from './registry.js';
import type { References } from './references.js';

/**
 * The status of figures (docs/reporting-cycle.md, "Status of figures"). A figure draws on, for each
 * university it covers, every period of that university's calendar that overlaps its date range
 * (a stock: the period holding its as-of day and each period holding a record the stock holds on
 * that day), from the university's joining on. Each such
 * university-period is final when approved, revised when it was approved once and its records
 * differ from the submission then approved, else provisional (a period not ended among them). The
 * figure takes the least settled: R over P over F.
 */

interface StoredPeriod {
  last: ReportingStep | null;
  revised: boolean;
}

/**
 * A period of a university's calendar holding records of a stock, and the last day any of them is
 * held to (null: one of them still is).
 */
interface HeldPeriod {
  span: ReportingPeriodSpan;
  until: string | null;
}

/** What the statuses are derived from: read once per data version (every write and step bumps it). */
export interface Standing {
  calendars: Map<string, { frequency: ReportingFrequency; memberSince: string }>;
  /** By `university|period`. */
  stored: Map<string, StoredPeriod>;
  /** By stock (the kind of its records), then university: the periods holding its records, in order. */
  held: Map<string, Map<string, HeldPeriod[]>>;
  /**
   * By flow dated by another column than its records' own (`kind.column`), then university: the
   * periods holding its records, each with the days (sorted) it counts them on.
   */
  dated: Map<string, Map<string, DatedPeriod[]>>;
}

/** A period holding records of a flow dated by another column, and the days that flow counts them on. */
interface DatedPeriod {
  span: ReportingPeriodSpan;
  days: string[];
}

/**
 * The flows whose records are counted on another day than the one placing them in a period (a
 * graduation is counted on its day, the trainee's record is the period of its start): `kind.column`.
 */
export const DATED_FLOWS: ReadonlyMap<string, { kind: FactKind; column: string }> = new Map(
  Object.values(MEASURES).flatMap((m) =>
    m.temporality === 'flow' && m.dateColumn !== MAIN_DATE[m.kind]
      ? [[`${m.kind}.${m.dateColumn}`, { kind: m.kind, column: m.dateColumn }] as const]
      : [],
  ),
);

/** The periods of each university's calendar holding a dated flow's records, with the days it counts them on. */
async function datedPeriods(
  db: Kysely<Database>,
  flow: { kind: FactKind; column: string },
  calendars: Standing['calendars'],
): Promise<Map<string, DatedPeriod[]>> {
  const byUniversity = new Map<string, Map<string, DatedPeriod>>();
  for (const row of await readDatedDays(db, flow.kind, MAIN_DATE[flow.kind], flow.column)) {
    const calendar = calendars.get(row.university_code);
    if (!calendar) continue;
    const span = periodHolding(calendar.frequency, row.month);
    const periods = byUniversity.get(row.university_code) ?? new Map<string, DatedPeriod>();
    const period = periods.get(span.key) ?? { span, days: [] };
    period.days.push(row.day);
    periods.set(span.key, period);
    byUniversity.set(row.university_code, periods);
  }
  return new Map(
    [...byUniversity].map(([university, periods]) => [
      university,
      [...periods.values()].map((p) => ({ span: p.span, days: [...new Set(p.days)].sort() })),
    ]),
  );
}

/** Whether a sorted list of days has one from `from` to `to`. */
function hasDayWithin(days: readonly string[], from: string, to: string): boolean {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (days[mid]! < from) low = mid + 1;
    else high = mid;
  }
  return low < days.length && days[low]! <= to;
}

/** Each stock's records and how it holds them, by kind (the stocks of one kind hold alike: a test says so). */
export const STOCKS: ReadonlyMap<string, Held> = new Map(
  Object.values(MEASURES).flatMap((m) => (m.temporality === 'stock' ? [[m.kind, m.held] as const] : [])),
);

/** The periods of each university's calendar that hold a stock's records, with the last day one is held. */
async function heldPeriods(
  db: Kysely<Database>,
  kind: string,
  held: Held,
  calendars: Standing['calendars'],
): Promise<Map<string, HeldPeriod[]>> {
  const byUniversity = new Map<string, HeldPeriod[]>();
  for (const row of await readHeldMonths(db, kind, held)) {
    const calendar = calendars.get(row.university_code);
    if (!calendar) continue;
    const span = periodHolding(calendar.frequency, row.from);
    const periods = byUniversity.get(row.university_code) ?? [];
    const last = periods.at(-1);
    // Months come in order: a month of the last period seen extends it.
    if (last?.span.key === span.key)
      last.until = last.until === null || row.until === null ? null : row.until > last.until ? row.until : last.until;
    else periods.push({ span, until: row.until });
    byUniversity.set(row.university_code, periods);
  }
  return byUniversity;
}

/**
 * The calendars and stored periods of every university. A period approved once and then reopened,
 * returned or submitted again is revised when its records' digest (as a submission freezes them)
 * differs from the approved submission's: only such periods are hashed, and only once per version.
 */
export async function loadStanding(db: Kysely<Database>, measures: readonly MeasureId[] = []): Promise<Standing> {
  const base = await versioned(db, 'figure-standing', async () => {
    const [calendars, rows] = await Promise.all([readCalendars(db), readStoredPeriods(db)]);
    const stored = new Map<string, StoredPeriod>();
    for (const row of rows) {
      const reopened = row.approved_sha256 !== null && row.last_action !== 'approve' && row.last_action !== null;
      const revised = reopened
        ? (await freezePeriod(db, row.university_code, { from: row.period_from, to: row.period_to })).sha256 !==
          row.approved_sha256
        : false;
      stored.set(`${row.university_code}|${row.period}`, { last: row.last_action, revised });
    }
    const byUniversity: Standing['calendars'] = new Map(
      calendars.map((c) => [c.university, { frequency: c.frequency, memberSince: c.memberSince }]),
    );
    return { calendars: byUniversity, stored };
  });
  // What only stocks and dated flows read (a scan of their records' dates), only for the measures
  // asked about, and each once per data version: a figure of flows costs none of it.
  const held = new Map<string, Map<string, HeldPeriod[]>>();
  const dated = new Map<string, Map<string, DatedPeriod[]>>();
  const { stocks, flows } = standingNeeds(measures);
  await Promise.all([
    ...stocks.map(async (kind) => {
      const read = () => heldPeriods(db, kind, STOCKS.get(kind)!, base.calendars);
      held.set(kind, await versioned(db, `figure-standing:stock:${kind}`, read));
    }),
    ...flows.map(async (key) => {
      const read = () => datedPeriods(db, DATED_FLOWS.get(key)!, base.calendars);
      dated.set(key, await versioned(db, `figure-standing:dated:${key}`, read));
    }),
  ]);
  return { ...base, held, dated };
}

/** The stocks (by kind) and the dated flows (`kind.column`) whose records' dates the statuses of `measures` read. */
export function standingNeeds(measures: readonly MeasureId[]): { stocks: string[]; flows: string[] } {
  const stocks = new Set<string>();
  const flows = new Set<string>();
  for (const id of measures) {
    // Each measure as its own figure reads it (a figure of several reads each measure's own).
    const reading = readingOf([MEASURES[id]]);
    for (const kind of isStock(reading) ? stockKinds(reading) : []) stocks.add(kind);
    for (const flow of datedFlows(reading)) flows.add(flow);
  }
  return { stocks: [...stocks], flows: [...flows] };
}

/** One university-period a figure draws on. */
export interface DrawnPeriod {
  university: string;
  period: string;
  from: string;
  to: string;
  /** Its last step; null without one (not started or in progress). */
  last: ReportingStep | null;
  ended: boolean;
  status: FigureStatus;
}

export interface Span {
  from: string;
  to: string;
}

/**
 * How a figure reads its records: a flow over its range; a flow dated by another column than its
 * records' own (graduations, rewards), drawing also on the periods holding the records it counts
 * (`dated:talent.completed_on`); a flow to date, moved by records dated after its range (payments)
 * and so drawing on every period from its range's first day up to today; or a stock on its range's
 * last day, drawing also on the periods that hold the records it holds then (`stock:capacity`).
 */
export type Reading = 'flow' | 'to-date' | StockReading | DatedReading;
export type StockReading = `stock:${string}`;
export type DatedReading = `dated:${string}`;

export const isStock = (reading: Reading): reading is StockReading => reading.startsWith('stock:');
const stockKinds = (reading: StockReading): string[] => reading.slice('stock:'.length).split(',');
const datedFlows = (reading: Reading): string[] =>
  reading.startsWith('dated:') ? reading.slice('dated:'.length).split(',') : [];

/** The periods of a calendar from the one holding `from` to the one holding `last`. */
function* periodsFrom(frequency: ReportingFrequency, from: string, last: string): Generator<ReportingPeriodSpan> {
  for (let p = periodHolding(frequency, from); p.from <= last; p = periodHolding(frequency, addDays(p.to, 1))) yield p;
}

/** The day a range without a start or an end is taken from or to. */
export const OPEN_START = '0001-01-01';
export const OPEN_END = '9999-12-31';

/** Statuses of figures against a standing and a day, memoised for one answer. */
export class FigureStatuses {
  readonly #memo = new Map<string, FigureStatus>();

  constructor(
    private readonly standing: Standing,
    readonly day: string = today(),
  ) {}

  /** What the standing read for a stock or a dated flow: a status asked without it would be wrong, not slow. */
  #needed<T>(read: Map<string, T>, key: string): T {
    const found = read.get(key);
    if (found === undefined) throw new Error(`the standing was read without ${key}: pass its measures to figureStatuses()`);
    return found;
  }

  /** The period of `university` a status rests on. */
  #drawn(university: string, span: ReportingPeriodSpan): DrawnPeriod {
    const stored = this.standing.stored.get(`${university}|${span.key}`);
    const last = stored?.last ?? null;
    const ended = span.to < this.day;
    const status: FigureStatus = last === 'approve' ? 'F' : stored?.revised ? 'R' : 'P';
    return { university, period: span.key, from: span.from, to: span.to, last, ended, status };
  }

  /**
   * The university-periods a figure of `university` over `range` draws on, up to the one holding
   * today (the periods after it have not begun; they are provisional, and `beyondToday` says so).
   */
  periods(university: string, range: Span, reading: Reading): { drawn: DrawnPeriod[]; beyondToday: boolean } {
    const calendar = this.standing.calendars.get(university);
    if (!calendar) return { drawn: [], beyondToday: false };
    if (isStock(reading)) {
      if (range.to < calendar.memberSince) return { drawn: [], beyondToday: false };
      if (range.to > this.day) return { drawn: [], beyondToday: true };
      // The period holding the as-of day, and each earlier one holding a record still held on it
      // (a project in incubation since). A snapshot carried forward rests on its period and on each
      // one after it: a snapshot added to one of them, or one taken away, changes what is carried.
      const spans = new Map<string, ReportingPeriodSpan>();
      const add = (span: ReportingPeriodSpan) => {
        if (span.to >= calendar.memberSince) spans.set(span.key, span);
      };
      for (const kind of stockKinds(reading))
        for (const { span, until } of this.#needed(this.standing.held, kind).get(university) ?? []) {
          if (span.from > range.to) break;
          if (until !== null && until <= range.to) continue;
          if (STOCKS.get(kind)?.latest) for (const p of periodsFrom(calendar.frequency, span.from, range.to)) add(p);
          else add(span);
        }
      const holding = periodHolding(calendar.frequency, range.to);
      spans.set(holding.key, holding);
      return { drawn: this.#inOrder(university, spans), beyondToday: false };
    }
    const start = range.from > calendar.memberSince ? range.from : calendar.memberSince;
    const to = reading === 'to-date' ? OPEN_END : range.to;
    if (start > to) return { drawn: [], beyondToday: false };
    const last = to < this.day ? to : this.day;
    const spans = new Map<string, ReportingPeriodSpan>();
    for (const p of periodsFrom(calendar.frequency, start, last)) if (p.to >= calendar.memberSince) spans.set(p.key, p);
    // A dated flow: the periods of the records it counts, however long before the range they began.
    for (const flow of datedFlows(reading))
      for (const { span, days } of this.#needed(this.standing.dated, flow).get(university) ?? [])
        if (span.to >= calendar.memberSince && hasDayWithin(days, range.from, to)) spans.set(span.key, span);
    return { drawn: this.#inOrder(university, spans), beyondToday: start > this.day };
  }

  /** The periods of `university` a figure draws on, in date order. */
  #inOrder(university: string, spans: ReadonlyMap<string, ReportingPeriodSpan>): DrawnPeriod[] {
    return [...spans.values()].sort((a, b) => (a.from < b.from ? -1 : 1)).map((span) => this.#drawn(university, span));
  }

  /** The status of a figure of these universities over a range. */
  of(universities: readonly string[], range: Span, reading: Reading): FigureStatus {
    const key = `${universities.join(',')}|${range.from}|${range.to}|${reading}`;
    let status = this.#memo.get(key);
    if (status === undefined) {
      status = 'F';
      for (const university of universities) {
        const { drawn, beyondToday } = this.periods(university, range, reading);
        status = worseStatus(status, statusOfAll(drawn.map((d) => d.status)));
        if (beyondToday) status = worseStatus(status, 'P');
      }
      this.#memo.set(key, status);
    }
    return status;
  }

  /** The university-periods of a figure that are not final, in university then period order. */
  notFinal(universities: readonly string[], range: Span, reading: Reading): DrawnPeriod[] {
    return universities.flatMap((u) => this.periods(u, range, reading).drawn.filter((d) => d.status !== 'F'));
  }
}

/** The statuses of figures of `measures` as of today, read once per data version. */
export async function figureStatuses(
  db: Kysely<Database>,
  measures: readonly MeasureId[],
  day = today(),
): Promise<FigureStatuses> {
  return new FigureStatuses(await loadStanding(db, measures), day);
}

/**
 * A stock reading (naming the stocks' kinds) when every measure of the figure is a stock; else a
 * reading to date when one of them is moved by later records (`toDate` in the registry); else a
 * dated reading (naming them) when one of them is counted on another day than its records' own;
 * else a flow reading.
 */
export function readingOf(
  measures: ReadonlyArray<{ kind: FactKind; dateColumn: string; temporality: 'flow' | 'stock'; toDate?: true }>,
): Reading {
  if (measures.length > 0 && measures.every((m) => m.temporality === 'stock'))
    return `stock:${[...new Set(measures.map((m) => m.kind))].sort().join(',')}`;
  if (measures.some((m) => m.toDate)) return 'to-date';
  const dated = measures.filter((m) => m.temporality === 'flow').map((m) => `${m.kind}.${m.dateColumn}`);
  const keys = [...new Set(dated.filter((key) => DATED_FLOWS.has(key)))].sort();
  return keys.length > 0 ? `dated:${keys.join(',')}` : 'flow';
}

/**
 * The status of one aggregate row: the universities it covers (its own when grouped by university,
 * its province's in scope when grouped by region, else every university in scope) over its time
 * bucket within the range (when grouped by year, quarter or month), else over the range.
 */
export function rowStatus(
  statuses: FigureStatuses,
  row: Record<string, unknown>,
  by: readonly DimensionId[],
  scope: readonly string[],
  range: Span,
  reading: Reading,
  references: References,
): FigureStatus {
  let universities = scope;
  if (by.includes('university') && row.university !== null && row.university !== undefined)
    universities = scope.includes(String(row.university)) ? [String(row.university)] : [];
  else if (by.includes('region') && row.region !== null && row.region !== undefined)
    universities = scope.filter((u) => references.regionOf.get(u) === String(row.region));
  let span = range;
  const time = by.find(isTimeDimension);
  if (time && row[time] !== null && row[time] !== undefined) {
    const bucket = parseReportingPeriod(String(row[time]));
    if (bucket)
      span = { from: bucket.from > range.from ? bucket.from : range.from, to: bucket.to < range.to ? bucket.to : range.to };
  }
  return statuses.of(universities, span, reading);
}
