import { type AliasedRawBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database, FactKind } from '../db/schema.js';
import { BadRequest } from '../http/problems.js';
import { today } from '../lib/dates.js';
import type { MeasureId } from './measure-ids.js';
import { type Period, periodKey, periodsBetween } from './periods.js';
import {
  type DimensionId,
  isTimeDimension,
  MEASURES,
  type MeasureDef,
  PARTNER_COLUMN,
  TIME_DIMENSIONS,
  type TimeDimension,
} from './registry.js';

/** Dimensions that can filter as well as group (the time dimensions filter through from/to). */
export const FILTER_DIMENSIONS = [
  'university',
  'region',
  'partner_university',
  'mode',
  'mode_group',
  'value_band',
  'partner_region',
  'field',
  'stage',
  'level',
] as const satisfies readonly DimensionId[];
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

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

/** The column that holds the number of records behind a measure's figure. */
export const recordsColumn = (measure: MeasureId): string => `${measure}:records`;

export type AggregateRow = Record<string, string | number | null>;

/** The most periods a stock by time or a filled calendar may span: a century of months. */
export const MAX_PERIODS = 1200;

/** The periods a query spans at a grain, refused (400) beyond MAX_PERIODS. */
function boundedPeriods(grain: TimeDimension, from: string, to: string): Period[] {
  const periods = periodsBetween(grain, from, to);
  if (periods.length > MAX_PERIODS) {
    throw new BadRequest(`The range spans ${periods.length} periods by ${grain}; at most ${MAX_PERIODS} can be listed.`, [
      { path: 'query.from', message: `narrow from and to, or group by a coarser period than ${grain}` },
    ]);
  }
  return periods;
}

/** The data's first and last dates: the default range of a stock and of a filled calendar. */
export interface DataRange {
  first: string | null;
  last: string | null;
}

const MODE_GROUP = sql`case when f.mode in ('transfer', 'license', 'equity') then 'transformation' else 'technical_services' end`;
const VALUE_BAND = sql`case
  when f.contract_value_cny < 1000000 then 'under_1m'
  when f.contract_value_cny < 10000000 then '1m_to_10m'
  when f.contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end`;

/** The SQL of a dimension over fact alias `f` (and university alias `u`); time keys from `date`. */
function dimensionSql(dimension: DimensionId, kind: FactKind, date: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (dimension) {
    case 'university':
      return sql`f.university_code`;
    case 'region':
      return sql`u.region_code`;
    case 'partner_university':
      return sql.ref(`f.${PARTNER_COLUMN[kind]}`);
    case 'year':
      return sql`extract(year from ${date})::int`;
    case 'quarter':
      return sql`to_char(${date}, 'YYYY') || '-Q' || to_char(${date}, 'Q')`;
    case 'month':
      return sql`to_char(${date}, 'YYYY-MM')`;
    case 'mode':
      return sql`f.mode`;
    case 'mode_group':
      return MODE_GROUP;
    case 'value_band':
      return VALUE_BAND;
    case 'partner_region':
      return sql`f.partner_region_code`;
    case 'field':
      return sql`f.field_code`;
    case 'stage':
      return sql`f.stage`;
    case 'level':
      return sql`f.level`;
  }
}

/** The conditions of the dimension filters over fact alias `f` (and university alias `u`, for region). */
export function filterSql(filters: KpiFilters, kind: FactKind): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  for (const dimension of FILTER_DIMENSIONS) {
    const values = filters[dimension];
    if (!values || values.length === 0) continue;
    conditions.push(sql`${dimensionSql(dimension, kind, sql`null`)} in (${sql.join(values)})`);
  }
  return conditions;
}

const needsUniversityJoin = (query: AggregateQuery): boolean =>
  query.by.includes('region') || (query.filters.region?.length ?? 0) > 0;

interface Group {
  kind: FactKind;
  dateColumn: string;
  stock: boolean;
  measures: MeasureDef[];
}

/** Measures that read the same rows the same way are computed by one scan. */
function groupsOf(measures: readonly MeasureId[]): Group[] {
  const groups = new Map<string, Group>();
  for (const id of measures) {
    const def = MEASURES[id];
    const stock = def.temporality === 'stock';
    const key = `${def.kind}|${def.dateColumn}|${stock ? id : 'flow'}`;
    const group = groups.get(key) ?? { kind: def.kind, dateColumn: def.dateColumn, stock, measures: [] };
    group.measures.push(def);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function aggregateSql(def: MeasureDef): RawBuilder<unknown> {
  return def.aggregate.fn === 'count' ? sql`count(*)::numeric` : sql`sum(${sql.ref(`f.${def.aggregate.column}`)})::numeric`;
}

/** The finest time grain asked for, or null. */
function finestGrain(by: readonly DimensionId[]): TimeDimension | null {
  const grains = [...TIME_DIMENSIONS].reverse();
  return grains.find((grain) => by.includes(grain)) ?? null;
}

/** A stock's records on a day (alias `f`): projects in incubation then: entered, not graduated, not closed. */
const heldAt = (end: RawBuilder<unknown>) =>
  sql`f.entered_on <= ${end} and (f.graduated_on is null or f.graduated_on > ${end}) and f.stage <> 'closed'`;

/** A flow's records in the filters' range (alias `f`): its own date column within from … to. */
function flowDateConditions(dateColumn: string, filters: KpiFilters): RawBuilder<unknown>[] {
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
  if (def.temporality === 'stock') return [heldAt(sql`${filters.to ?? today()}::date`)];
  return flowDateConditions(def.dateColumn, filters);
}

/** The last day a stock or a calendar covers: `to`, else the data's last day, else today. */
function rangeEnd(filters: KpiFilters, range: DataRange): string {
  return filters.to ?? range.last ?? today();
}

function rangeStart(filters: KpiFilters, range: DataRange): string | null {
  return filters.from ?? range.first;
}

/** One SELECT per group; every SELECT yields the same columns, so they stack with UNION ALL. */
function groupSelect(
  group: Group,
  query: AggregateQuery,
  allMeasures: readonly MeasureId[],
  range: DataRange,
): RawBuilder<unknown> | null {
  const { kind } = group;
  const joins: RawBuilder<unknown>[] = [];
  if (needsUniversityJoin(query)) joins.push(sql`inner join university as u on u.code = f.university_code`);
  const conditions = filterSql(query.filters, kind);
  let date: RawBuilder<unknown> = sql.ref(`f.${group.dateColumn}`);
  const grain = finestGrain(query.by);

  if (group.stock) {
    // Projects in incubation at the end of each period (or of the range).
    const held = heldAt;
    if (grain) {
      const start = rangeStart(query.filters, range);
      if (!start) return null;
      const periods = boundedPeriods(grain, start, rangeEnd(query.filters, range));
      if (periods.length === 0) return null;
      const values = sql.join(periods.map((p) => sql`(${p.year}::int, ${p.quarter}::text, ${p.month}::text, ${p.end}::date)`));
      joins.push(sql`inner join (values ${values}) as p(year, quarter, month, period_end) on ${held(sql`p.period_end`)}`);
      date = sql`p.period_end`;
    } else {
      conditions.push(held(sql`${rangeEnd(query.filters, range)}::date`));
    }
  } else {
    conditions.push(...flowDateConditions(group.dateColumn, query.filters));
  }

  const keys = query.by.map((dimension) =>
    group.stock && grain && isTimeDimension(dimension)
      ? sql`p.${sql.raw(dimension)}`.as(dimension)
      : dimensionSql(dimension, kind, date).as(dimension),
  );
  const mine = (id: MeasureId) => group.measures.some((m) => m.id === id);
  const values: Array<AliasedRawBuilder<unknown, string>> = allMeasures.map((id, index) =>
    (mine(id) ? aggregateSql(MEASURES[id]) : sql`null::numeric`).as(`m${index}`),
  );
  if (query.withRecords) {
    values.push(...allMeasures.map((id, index) => (mine(id) ? sql`count(*)::numeric` : sql`null::numeric`).as(`n${index}`)));
  }
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const groupBy = keys.length > 0 ? sql`group by ${sql.join(keys.map((_, i) => sql.raw(String(i + 1))))}` : sql``;
  return sql`select ${sql.join([...keys, ...values])} from ${sql.table(kind)} as f ${sql.join(joins, sql` `)} ${where} ${groupBy}`;
}

/** The one SQL statement that answers a query: per-table scans stacked, then merged on the keys. */
export function compileAggregate(query: AggregateQuery, range: DataRange): RawBuilder<AggregateRow> {
  const selects = groupsOf(query.measures)
    .map((group) => groupSelect(group, query, query.measures, range))
    .filter((select): select is RawBuilder<unknown> => select !== null);
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

/** Runs a query and names its columns by measure id; `fill` completes the calendar in memory. */
export async function runAggregate(db: Kysely<Database>, query: AggregateQuery, range: DataRange): Promise<AggregateRow[]> {
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
