import { type AliasedRawBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import { denominatorColumn, numeratorColumn, recordsColumn } from '../../contract/aggregate-columns.js';
import type { Database, FactKind } from '../db/schema.js';
import { BadRequest, detail, said } from '../lib/problems.js';
import { today } from '../lib/dates.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { type Period, periodKey, periodsBetween } from './periods.js';
import { ratioOf } from '../../contract/ratio.js';
import {
  DIMENSIONS,
  type DimensionId,
  dimensionColumn,
  FILTER_DIMENSIONS,
  type FilterDimension,
  type Held,
  isTimeDimension,
  MEASURES,
  type MeasureDef,
  TIME_DIMENSIONS,
  type TimeDimension,
} from './registry.js';
import { DAY_ROLLUPS, ROLLUPS, type Rollup, rollupKeys } from './rollups.js';

export { FILTER_DIMENSIONS, type FilterDimension };

/**
 * Where a kind's records are read with their dimensions: its own table, or a view: for payments
 * `payment_fact` (sql/0016), each payment with its contract's mode, field, partner and value; for
 * capacity snapshots `capacity_fact` (sql/0018), each with the day the next one replaces it.
 */
export const factSource = (kind: FactKind): string =>
  kind === 'payment' ? 'payment_fact' : kind === 'capacity' ? 'capacity_fact' : kind;

export type KpiFilters = { from?: string | undefined; to?: string | undefined } & Partial<
  Record<FilterDimension, readonly string[]>
>;

export interface AggregateQuery {
  measures: readonly MeasureId[];
  by: readonly DimensionId[];
  filters: KpiFilters;
  /** Every period of the range for each combination of the other keys, zero where there are no records. */
  fill?: boolean;
  /** Also count the records behind each figure, as `<measure>:records`. */
  withRecords?: boolean;
}

export type AggregateRow = Record<string, string | number | null>;

/** The most periods a stock by time or a filled calendar may span: a century of months. */
export const MAX_PERIODS = 1200;

/** The periods a query spans at a grain, refused (400) beyond MAX_PERIODS. */
function boundedPeriods(grain: TimeDimension, from: string, to: string): Period[] {
  const periods = periodsBetween(grain, from, to);
  if (periods.length > MAX_PERIODS) {
    throw new BadRequest(said('too_many_periods', { count: periods.length, grain, max: MAX_PERIODS }), [
      detail({ path: 'query.from' }, said('narrow_range', { grain })),
    ]);
  }
  return periods;
}

/** The data's first and last dates: the default range of a stock and of a filled calendar. */
export interface DataRange {
  first: string | null;
  last: string | null;
}

/** The SQL of a dimension's key over fact (or rollup) alias `f` (and university alias `u`); time keys from `date`. */
function dimensionSql(
  dimension: DimensionId,
  kind: FactKind,
  date: RawBuilder<unknown>,
  rollup: Rollup | null = null,
): RawBuilder<unknown> {
  const def = DIMENSIONS[dimension];
  const name = dimensionColumn(dimension, kind);
  const column = name === null ? sql`null` : sql.ref(`f.${name}`);
  return def.key ? def.key({ column, date, rollup: rollup !== null }) : column;
}

/** The conditions of the dimension filters over fact alias `f` (and university alias `u`, for region). */
export function filterSql(filters: KpiFilters, kind: FactKind, rollup: Rollup | null = null): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  for (const dimension of FILTER_DIMENSIONS) {
    const values = filters[dimension];
    if (!values || values.length === 0) continue;
    conditions.push(sql`${dimensionSql(dimension, kind, sql`null`, rollup)} in (${sql.join(values)})`);
  }
  return conditions;
}

/** The key a rollup keeps a dimension under: its column, or a key of its own (the value band). */
const rollupKeyOf = (dimension: DimensionId, kind: FactKind): string | null =>
  DIMENSIONS[dimension].rollupKey ?? dimensionColumn(dimension, kind);

let rollupsEnabled = true;
/** Whether the compiler may read the rollups (on by default; off answers every query from the facts). */
export function setRollupsEnabled(enabled: boolean): void {
  rollupsEnabled = enabled;
}

/**
 * The smallest rollup of the kind (of the given levels) that has every column the query groups or
 * filters by, and every date the measures read (a day rollup keeps only some of them).
 */
function rollupFor(
  kind: FactKind,
  query: AggregateQuery,
  group: Group,
  levels: readonly Rollup[] = ROLLUPS[kind],
): Rollup | null {
  const dates = groupDates(group);
  const sums = group.measures.flatMap((m) => (m.aggregate.fn === 'sum' ? [m.aggregate.column] : []));
  if (!rollupsEnabled) return null;
  const used = new Set<string>();
  for (const dimension of query.by) {
    const key = rollupKeyOf(dimension, kind);
    if (key) used.add(key);
  }
  for (const dimension of FILTER_DIMENSIONS) {
    if ((query.filters[dimension]?.length ?? 0) === 0) continue;
    const key = rollupKeyOf(dimension, kind);
    if (key) used.add(key);
  }
  return (
    levels.find((rollup) => {
      const keys = rollupKeys(rollup);
      return (
        [...used].every((c) => keys.includes(c)) &&
        dates.every((d) => rollup.dates.includes(d)) &&
        sums.every((c) => rollup.sums.includes(c))
      );
    }) ?? null
  );
}

const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;
const monthEnd = (day: string): string => {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return `${day.slice(0, 7)}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const addDays = (day: string, days: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The longest partial range read from a day rollup alone (see `flowParts`). */
const DAILY_SPAN_DAYS = 731;

/** A part of a flow's date range and where it is read: the rollup for whole months, the facts for the rest. */
interface Part {
  from?: string | undefined;
  to?: string | undefined;
  rollup: Rollup | null;
}

/**
 * Splits a flow's range into the days of a partial first month, whole months, and the days of a
 * partial last month. A bound beyond the data (before its first day, after its last) counts as a
 * month's edge, since no record lies between; so `to = today` reads the current month whole.
 */
function flowParts(filters: KpiFilters, range: DataRange, rollup: Rollup | null, daily: Rollup | null): Part[] {
  const { from, to } = filters;
  if (!rollup) return [{ from, to, rollup: null }];
  const fromAligned = from === undefined || from.endsWith('-01') || (range.first !== null && from <= range.first);
  const toAligned = to === undefined || to === monthEnd(to) || (range.last !== null && to >= range.last);
  // A partial range of up to two years reads the day rollup alone: one scan of a few thousand rows
  // where the month rollup and the days of the partial months would be two or three.
  if (
    daily &&
    (!fromAligned || !toAligned) &&
    from !== undefined &&
    to !== undefined &&
    Date.parse(to) - Date.parse(from) <= DAILY_SPAN_DAYS * 86_400_000
  )
    return [{ from, to, rollup: daily }];
  const bodyFrom = from === undefined ? undefined : fromAligned ? monthStart(from) : addDays(monthEnd(from), 1);
  const bodyTo = to === undefined ? undefined : toAligned ? to : addDays(monthStart(to), -1);
  // The days of a partial month: from a day rollup where one covers the query, else from the facts.
  if (bodyFrom !== undefined && bodyTo !== undefined && bodyFrom > bodyTo) return [{ from, to, rollup: daily }];
  const parts: Part[] = [{ from: bodyFrom, to: bodyTo, rollup }];
  if (!fromAligned) parts.push({ from, to: monthEnd(from!), rollup: daily });
  if (!toAligned) parts.push({ from: monthStart(to!), to, rollup: daily });
  return parts;
}

/** A stock at each period's end reads the rollup when every end is a month's last day (or after the data). */
function stockRollup(ends: readonly string[], range: DataRange, rollup: Rollup | null): Rollup | null {
  return rollup && ends.every((end) => end === monthEnd(end) || (range.last !== null && end >= range.last)) ? rollup : null;
}

const needsUniversityJoin = (query: AggregateQuery): boolean =>
  [...query.by, ...FILTER_DIMENSIONS.filter((d) => (query.filters[d]?.length ?? 0) > 0)].some(
    (d) => DIMENSIONS[d].joinsUniversity,
  );

interface Group {
  kind: FactKind;
  dateColumn: string;
  /** How a stock holds its records; null for flows. */
  held: Held | null;
  measures: MeasureDef[];
}

/** The dates a group's scans read: a flow's own date, or a stock's start and ends. */
const groupDates = (group: Group): readonly string[] =>
  group.held ? [group.held.from, ...group.held.until] : [group.dateColumn];

/** Measures that read the same rows the same way are computed by one scan. */
function groupsOf(measures: readonly MeasureId[]): Group[] {
  const groups = new Map<string, Group>();
  for (const id of measures) {
    const def = MEASURES[id];
    // Stocks held alike (the four capacity stocks) share one scan, as the flows of one date do.
    const key = `${def.kind}|${def.dateColumn}|${def.temporality === 'stock' ? JSON.stringify(def.held) : 'flow'}`;
    const group = groups.get(key) ?? {
      kind: def.kind,
      dateColumn: def.dateColumn,
      held: def.temporality === 'stock' ? def.held : null,
      measures: [],
    };
    group.measures.push(def);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function aggregateSql(def: MeasureDef, rollup: Rollup | null): RawBuilder<unknown> {
  if (def.aggregate.fn === 'count') return recordsSql(rollup);
  // A ratio is read as its two sums (see `runAggregate`).
  if (def.aggregate.fn === 'ratio') throw new Error(`${def.id} is a ratio: ask for its numerator and denominator`);
  return sql`sum(${sql.ref(`f.${def.aggregate.column}`)})::numeric`;
}

/** How many facts: counted, or summed from a rollup's `records`. */
const recordsSql = (rollup: Rollup | null): RawBuilder<unknown> =>
  rollup ? sql`sum(f.records)::numeric` : sql`count(*)::numeric`;

/** The finest time grain asked for, or null. */
function finestGrain(by: readonly DimensionId[]): TimeDimension | null {
  const grains = [...TIME_DIMENSIONS].reverse();
  return grains.find((grain) => by.includes(grain)) ?? null;
}

/** A stock's records held on a day (alias `f`): started by then, and no end date on or before it. */
const heldAt = (held: Held, day: RawBuilder<unknown>) =>
  sql.join(
    [
      sql`${sql.ref(`f.${held.from}`)} <= ${day}`,
      ...held.until.map((c) => sql`(${sql.ref(`f.${c}`)} is null or ${sql.ref(`f.${c}`)} > ${day})`),
    ],
    sql` and `,
  );

/**
 * A stock's records that end in (after, last]: the first of their end dates falls there. Split by
 * which end date comes first (ties to the earlier column), so each record is in one part only.
 */
const endingIn = (held: Held, after: string, last: string): RawBuilder<unknown>[] =>
  held.until.map((column, i) => {
    const date = sql.ref(`f.${column}`);
    // Earlier columns win ties: one listed before must come strictly later, one listed after not before.
    const others = held.until.flatMap((other, k) => {
      if (k === i) return [];
      const ref = sql.ref(`f.${other}`);
      return [k < i ? sql`(${ref} is null or ${ref} > ${date})` : sql`(${ref} is null or ${ref} >= ${date})`];
    });
    return sql.join([sql`${date} > ${after}::date`, sql`${date} <= ${last}::date`, ...others], sql` and `);
  });

/** A flow's records in the filters' range (alias `f`): its own date column within from … to. */
function flowDateConditions(
  dateColumn: string,
  filters: { from?: string | undefined; to?: string | undefined },
): RawBuilder<unknown>[] {
  const date = sql.ref(`f.${dateColumn}`);
  const conditions = [sql`${date} is not null`];
  if (filters.from) conditions.push(sql`${date} >= ${filters.from}::date`);
  if (filters.to) conditions.push(sql`${date} <= ${filters.to}::date`);
  return conditions;
}

/**
 * The records behind a measure's figure for the filters' period, as the aggregate counts them:
 * a flow's records dated in the range on the measure's own date (graduations on `graduated_on`),
 * a stock's records held on the range's last day (`to`, or today).
 */
export function measureDateConditions(id: MeasureId, filters: KpiFilters): RawBuilder<unknown>[] {
  const def = MEASURES[id];
  if (def.temporality === 'stock') return [heldAt(def.held, sql`${filters.to ?? today()}::date`)];
  return flowDateConditions(def.dateColumn, filters);
}

/** The last day a stock or a calendar covers: `to`, else the data's last day, else today. */
function rangeEnd(filters: KpiFilters, range: DataRange): string {
  return filters.to ?? range.last ?? today();
}

function rangeStart(filters: KpiFilters, range: DataRange): string | null {
  return filters.from ?? range.first;
}

/** The periods a stock by time is read at: from the range's start (none without data) to its end. */
function stockPeriods(grain: TimeDimension, query: AggregateQuery, range: DataRange): Period[] {
  const start = rangeStart(query.filters, range);
  return start ? boundedPeriods(grain, start, rangeEnd(query.filters, range)) : [];
}

/** Periods as a table `p(year, quarter, month, period_end)` that a stock's records are held at. */
const periodValues = (periods: ReadonlyArray<Pick<Period, 'year' | 'quarter' | 'month' | 'end'>>): RawBuilder<unknown> =>
  sql`(values ${sql.join(periods.map((p) => sql`(${p.year}::int, ${p.quarter}::text, ${p.month}::text, ${p.end}::date)`))}) as p(year, quarter, month, period_end)`;

/** One SELECT per group; every SELECT yields the same columns, so they stack with UNION ALL. */
function groupSelects(
  group: Group,
  query: AggregateQuery,
  allMeasures: readonly MeasureId[],
  range: DataRange,
): RawBuilder<unknown>[] {
  const { kind, held } = group;
  const rollup = rollupFor(kind, query, group);
  const grain = finestGrain(query.by);
  if (held?.latest) {
    // Snapshots: each university's latest on or before each period's end (or the range's), looked up.
    const periods = grain
      ? stockPeriods(grain, query, range)
      : [{ year: 0, quarter: '', month: '', end: rangeEnd(query.filters, range) }];
    if (periods.length === 0) return [];
    const date = sql.ref(`c.${held.from}`);
    const from = sql`${periodValues(periods)}
      cross join university as uu
      cross join lateral (
        select c.* from ${sql.table(held.latest.table)} as c
        where c.university_code = uu.code and ${date} <= p.period_end
        order by ${date} desc limit 1
      ) as f`;
    return [partSelect(group, query, allMeasures, null, [], grain ? { join: sql``, date: sql`p.period_end` } : undefined, from)];
  }
  if (held) {
    // The stock at the end of each period (or of the range).
    if (grain) {
      const periods = stockPeriods(grain, query, range);
      if (periods.length === 0) return [];
      const source = stockRollup(
        periods.map((p) => p.end),
        range,
        rollup,
      );
      return [
        partSelect(group, query, allMeasures, source, [], {
          join: sql`inner join ${periodValues(periods)} on ${heldAt(held, sql`p.period_end`)}`,
          date: sql`p.period_end`,
        }),
      ];
    }
    const end = rangeEnd(query.filters, range);
    const source = stockRollup([end], range, rollup);
    if (source || !rollup) return [partSelect(group, query, allMeasures, source, [heldAt(held, sql`${end}::date`)])];
    // Held on a day inside a month: the rollup (dates truncated to the month) has every record
    // started before that month and ending after it, or never; the facts add those started in the
    // month by that day and not ended by it, and those started before the month that end later in
    // it. The parts are disjoint and make up the whole.
    const first = monthStart(end);
    const last = monthEnd(end);
    const startedBefore = sql`${sql.ref(`f.${held.from}`)} < ${first}::date`;
    return [
      partSelect(group, query, allMeasures, rollup, [startedBefore, heldAt(held, sql`${first}::date`)]),
      partSelect(group, query, allMeasures, null, [
        sql`${sql.ref(`f.${held.from}`)} >= ${first}::date`,
        heldAt(held, sql`${end}::date`),
      ]),
      ...endingIn(held, end, last).map((ending) => partSelect(group, query, allMeasures, null, [startedBefore, ending])),
    ];
  }
  const daily = rollupFor(kind, query, group, DAY_ROLLUPS[kind] ?? []);
  return flowParts(query.filters, range, rollup, daily).map((part) =>
    partSelect(group, query, allMeasures, part.rollup, flowDateConditions(group.dateColumn, part)),
  );
}

/** One scan: of the facts or of a rollup (alias `f` either way), with the dimension filters and the given date conditions. */
function partSelect(
  group: Group,
  query: AggregateQuery,
  allMeasures: readonly MeasureId[],
  rollup: Rollup | null,
  dateConditions: RawBuilder<unknown>[],
  stockByPeriod?: { join: RawBuilder<unknown>; date: RawBuilder<unknown> },
  /** The rows read, aliased `f`, when they are not the kind's facts or a rollup (snapshots looked up per period). */
  from?: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const { kind } = group;
  const joins: RawBuilder<unknown>[] = [];
  if (needsUniversityJoin(query)) joins.push(sql`inner join university as u on u.code = f.university_code`);
  if (stockByPeriod) joins.push(stockByPeriod.join);
  const conditions = [...filterSql(query.filters, kind, rollup), ...dateConditions];
  // A rollup row whose facts are all gone stays with `records = 0`: it is not a group.
  if (rollup) conditions.push(sql`f.records > 0`);
  const date: RawBuilder<unknown> = stockByPeriod?.date ?? sql.ref(`f.${group.dateColumn}`);
  const keys = query.by.map((dimension) =>
    stockByPeriod && isTimeDimension(dimension)
      ? sql`p.${sql.raw(dimension)}`.as(dimension)
      : dimensionSql(dimension, kind, date, rollup).as(dimension),
  );
  const mine = (id: MeasureId) => group.measures.some((m) => m.id === id);
  const values: Array<AliasedRawBuilder<unknown, string>> = allMeasures.map((id, index) =>
    (mine(id) ? aggregateSql(MEASURES[id], rollup) : sql`null::numeric`).as(`m${index}`),
  );
  if (query.withRecords) {
    values.push(...allMeasures.map((id, index) => (mine(id) ? recordsSql(rollup) : sql`null::numeric`).as(`n${index}`)));
  }
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const groupBy = keys.length > 0 ? sql`group by ${sql.join(keys.map((_, i) => sql.raw(String(i + 1))))}` : sql``;
  const source = from ?? sql`${sql.table(rollup ? rollup.table : factSource(kind))} as f`;
  return sql`select ${sql.join([...keys, ...values])} from ${source} ${sql.join(joins, sql` `)} ${where} ${groupBy}`;
}

/** The one SQL statement that answers a query: per-table scans stacked, then merged on the keys. */
export function compileAggregate(query: AggregateQuery, range: DataRange): RawBuilder<AggregateRow> {
  const selects = groupsOf(query.measures).flatMap((group) => groupSelects(group, query, query.measures, range));
  const keys = query.by.map((dimension) => sql.ref(dimension));
  const columns = query.measures.map((_, index) => `m${index}`);
  if (query.withRecords) columns.push(...query.measures.map((_, index) => `n${index}`));
  const values = columns.map((column) => sql`coalesce(sum(${sql.ref(column)}), 0)`.as(column));
  if (selects.length === 0) {
    // Nothing to scan (a stock over an empty dataset): one all-zero row when ungrouped, else none.
    const zeros = columns.map((column) => sql`0::numeric`.as(column));
    return keys.length === 0
      ? sql<AggregateRow>`select ${sql.join(zeros)}`
      : sql<AggregateRow>`select ${sql.join(zeros)} where false`;
  }
  const stacked = sql.join(selects, sql` union all `);
  // Byte order for text keys, so that every engine and every locale sorts alike.
  const order = query.by.map((d) =>
    d === 'year' ? sql`${sql.ref(d)} asc nulls last` : sql`${sql.ref(d)} collate "C" asc nulls last`,
  );
  const groupBy = keys.length > 0 ? sql`group by ${sql.join(keys)} order by ${sql.join(order)}` : sql``;
  return sql<AggregateRow>`select ${sql.join([...keys, ...values])} from (${stacked}) as stacked ${groupBy}`;
}

/** The additive measures a query reads: its own, with each ratio's numerator and denominator in its place. */
export function additiveParts(measures: readonly MeasureId[]): MeasureId[] {
  return [
    ...new Set(
      measures.flatMap((id) => {
        const { aggregate } = MEASURES[id];
        return aggregate.fn === 'ratio' ? [aggregate.numerator, aggregate.denominator] : [id];
      }),
    ),
  ];
}

/**
 * Runs a query and names its columns by measure id; `fill` completes the calendar in memory. A
 * ratio is its numerator's sum over each group divided by its denominator's (`ratioOf`), with both
 * sums beside it and its denominator's records as its own.
 */
export async function runAggregate(db: Kysely<Database>, query: AggregateQuery, range: DataRange): Promise<AggregateRow[]> {
  const parts = additiveParts(query.measures);
  if (parts.length === query.measures.length && parts.every((id, i) => id === query.measures[i]))
    return runAdditive(db, query, range);
  const rows = await runAdditive(db, { ...query, measures: parts }, range);
  return rows.map((row) => {
    const out: AggregateRow = {};
    for (const dimension of query.by) out[dimension] = row[dimension] ?? null;
    for (const id of query.measures) {
      const def = MEASURES[id];
      const figure = def.aggregate.fn === 'ratio' ? def.aggregate.denominator : id;
      if (def.aggregate.fn === 'ratio') {
        const numerator = Number(row[def.aggregate.numerator]);
        const denominator = Number(row[def.aggregate.denominator]);
        out[id] = ratioOf(numerator, denominator, def.aggregate.decimals);
        out[numeratorColumn(id)] = numerator;
        out[denominatorColumn(id)] = denominator;
      } else {
        out[id] = row[id]!;
      }
      if (query.withRecords) out[recordsColumn(id)] = row[recordsColumn(figure)]!;
    }
    return out;
  });
}

async function runAdditive(db: Kysely<Database>, query: AggregateQuery, range: DataRange): Promise<AggregateRow[]> {
  const { rows } = await compileAggregate(query, range).execute(db);
  const named = rows.map((row) => {
    const out: AggregateRow = {};
    for (const dimension of query.by) out[dimension] = row[dimension] ?? null;
    query.measures.forEach((id, index) => {
      out[id] = Number(row[`m${index}`]);
      if (query.withRecords) out[recordsColumn(id)] = Number(row[`n${index}`]);
    });
    return out;
  });
  return query.fill ? fillCalendar(named, query, range) : named;
}

/** Adds the missing periods (all measures zero) for every combination of the non-time keys present. */
function fillCalendar(rows: AggregateRow[], query: AggregateQuery, range: DataRange): AggregateRow[] {
  const grain = finestGrain(query.by);
  const start = rangeStart(query.filters, range);
  if (!grain || !start) return rows;
  const periods = boundedPeriods(grain, start, rangeEnd(query.filters, range));
  const otherKeys = query.by.filter((d) => !isTimeDimension(d));
  const combos = new Map<string, AggregateRow>();
  for (const row of rows) combos.set(JSON.stringify(otherKeys.map((k) => row[k])), row);
  if (otherKeys.length === 0) combos.set('[]', {});
  const existing = new Set(rows.map((row) => JSON.stringify(query.by.map((k) => row[k]))));
  const filled = [...rows];
  for (const template of combos.values()) {
    for (const period of periods) {
      const row: AggregateRow = {};
      for (const key of query.by) row[key] = isTimeDimension(key) ? periodValue(period, key) : (template[key] ?? null);
      if (existing.has(JSON.stringify(query.by.map((k) => row[k])))) continue;
      for (const id of query.measures) {
        row[id] = 0;
        if (query.withRecords) row[recordsColumn(id)] = 0;
      }
      filled.push(row);
    }
  }
  return sortRows(filled, query.by);
}

function periodValue(period: Period, grain: TimeDimension): string | number {
  return grain === 'year' ? period.year : grain === 'quarter' ? period.quarter : period.month;
}

/** The order of the SQL answer: each key ascending, nulls last. */
export function sortRows(rows: AggregateRow[], by: readonly DimensionId[]): AggregateRow[] {
  const compare = (a: string | number | null | undefined, b: string | number | null | undefined): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : 1;
  };
  return [...rows].sort((x, y) => {
    for (const key of by) {
      const c = compare(x[key], y[key]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

export { periodKey };
