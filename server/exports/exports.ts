import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type CsvCell, FORMULA_FIRST_CODES, FORMULA_SQL_PATTERN, moneyCell, type NumberCell, numberCell } from '../csv/cells.js';
import type { CsvRow } from '../csv/csv-response.js';
import { displayNumber, type Labels, type Lang, unitLabel, withUnit } from '../csv/labels.js';
import type { CopyOut } from '../db/connect.js';
import { streamChunks } from '../db/stream.js';
import type { Database, FactKind } from '../db/schema.js';
import { type AggregateRow, denominatorColumn, type KpiFilters, numeratorColumn, recordsColumn } from '../kpi/compile.js';
import type { Summary } from '../kpi/kpi.service.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { type Bilingual, DIMENSIONS, type DimensionId, MEASURES } from '../kpi/registry.js';
import { type ColumnSpec, KIND_COLUMNS, KIND_NAMES, MAIN_DATE } from '../../contract/record-columns.js';
import { type RecordSearch, recordConditions, recordsFrom } from '../records/records.service.js';
import type { CsvRequest } from './exports.schemas.js';

/** The domain whose names label a dimension's codes in a formatted export (none for a period). */
const dimensionDomain = (id: DimensionId): 'university' | 'region' | 'field' | 'value' | undefined => {
  const { domain } = DIMENSIONS[id];
  return domain === 'period' ? undefined : domain === 'enum' ? 'value' : domain;
};

const COLUMN_DOMAIN = (column: ColumnSpec): 'university' | 'region' | 'field' | 'value' | undefined =>
  column.domain ?? (column.type === 'enum' ? 'value' : undefined);

/** One cell of a record: money with two decimals, counts as numbers, the rest text (the writer escapes it). */
function recordCell(column: ColumnSpec, value: unknown, options: CsvRequest, labels: Labels): CsvCell {
  if (value === null || value === undefined) return null;
  const domain = COLUMN_DOMAIN(column);
  if (options.formatted && domain) return labels.name(domain, String(value));
  switch (column.type) {
    case 'money':
      return numberCell(options.formatted ? displayNumber(Number(value), 'cny', options.lang) : moneyCell(Number(value)));
    case 'count':
    case 'credits':
      return numberCell(String(Number(value)));
    default:
      return String(value);
  }
}

function recordHeader(column: ColumnSpec, options: CsvRequest): string {
  if (options.lang === 'en') return column.name;
  if (options.formatted && column.type === 'money') return column.zh.replace('（元）', '（万元）');
  return column.zh;
}

export function recordsHeader(kind: FactKind, options: CsvRequest): string[] {
  return KIND_COLUMNS[kind].map((column) => recordHeader(column, options));
}

/** Every record of a kind that the filters keep (a steward's own only), streamed in the export's order. */
export async function* recordRows(
  db: Kysely<Database>,
  kind: FactKind,
  filters: KpiFilters,
  search: RecordSearch,
  options: CsvRequest,
  labels: Labels,
): AsyncGenerator<CsvRow[]> {
  const query = recordsQuery(
    kind,
    filters,
    search,
    KIND_COLUMNS[kind].map((c) => sql.ref(`f.${c.name}`)),
  );
  const columns = KIND_COLUMNS[kind];
  for await (const rows of streamChunks(db, query)) {
    yield rows.map((row) => columns.map((column) => recordCell(column, row[column.name], options, labels)));
  }
}

// Inlined, not bound: COPY takes no parameters.
const FORMULA_CODES_SQL = sql.raw(FORMULA_FIRST_CODES.join(', '));
const FORMULA_SQL = sql.raw(`'${FORMULA_SQL_PATTERN.replaceAll("'", "''")}'`);

/**
 * The same cells as `recordCell` gives for a raw export, rendered by PostgreSQL: money as the
 * numeric's own two decimals, credits without trailing zeros, ISO dates (every connection runs
 * with `DateStyle=ISO`), text safe from formulas.
 */
function renderedColumn(column: ColumnSpec): RawBuilder<unknown> {
  const ref = sql.ref(`f.${column.name}`);
  switch (column.type) {
    case 'money':
      return sql`${ref}::text`;
    case 'credits':
      return sql`trim_scale(${ref})::text`;
    case 'text':
      // `escapeTextCell` (csv/cells.ts) in SQL; the test of the first character spares the pattern
      // almost every cell.
      return sql`case when ascii(${ref}) in (${FORMULA_CODES_SQL}) and ${ref} ~ ${FORMULA_SQL} then '''' || ${ref} else ${ref} end`;
    default:
      return sql`${ref}::text`;
  }
}

function recordsQuery(kind: FactKind, filters: KpiFilters, search: RecordSearch, columns: RawBuilder<unknown>[]) {
  const conditions = recordConditions(kind, filters, search);
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  return sql<
    Record<string, unknown>
  >`select ${sql.join(columns)} from ${recordsFrom(kind, filters)} ${where} order by ${sql.ref(`f.${MAIN_DATE[kind]}`)}, f.university_code, f.ref`;
}

/**
 * A raw records export written by PostgreSQL itself (`COPY … TO STDOUT`, CSV): the fast path for
 * large exports. Null where it does not apply (PGlite, or formatted cells, which need labels).
 */
export function copiedRecords(
  db: Kysely<Database>,
  copyOut: CopyOut | undefined,
  kind: FactKind,
  filters: KpiFilters,
  search: RecordSearch,
  options: CsvRequest,
): AsyncIterable<Buffer> | null {
  if (!copyOut || options.formatted) return null;
  const query = recordsQuery(kind, filters, search, KIND_COLUMNS[kind].map(renderedColumn));
  return copyOut(query.compile(db), 'format csv');
}

function measureHeader(id: MeasureId, options: CsvRequest): string {
  if (!options.formatted && options.lang === 'en') return id;
  const def = MEASURES[id];
  const unit = unitLabel(def.unit, options.lang, options.formatted);
  return withUnit(def.name[options.lang], unit, options.lang);
}

function dimensionHeader(id: DimensionId, options: CsvRequest): string {
  return !options.formatted && options.lang === 'en' ? id : DIMENSIONS[id].name[options.lang];
}

/** The ratios among the measures, each shown with its numerator and denominator. */
const ratiosOf = (measures: readonly MeasureId[]) =>
  measures.flatMap((id) => {
    const { aggregate } = MEASURES[id];
    return aggregate.fn === 'ratio' ? [{ id, numerator: aggregate.numerator, denominator: aggregate.denominator }] : [];
  });

/** The header of a ratio's numerator or denominator: `tech_transfer.average_value:denominator`, or its measure's name. */
function ratioPartHeader(ratio: MeasureId, part: 'numerator' | 'denominator', measure: MeasureId, options: CsvRequest): string {
  if (!options.formatted && options.lang === 'en') return `${ratio}:${part}`;
  const role = options.lang === 'zh' ? (part === 'numerator' ? '分子' : '分母') : part;
  const name = measureHeader(measure, options);
  return options.lang === 'zh' ? `${MEASURES[ratio].name.zh}${role}：${name}` : `${MEASURES[ratio].name.en}, ${role}: ${name}`;
}

export function aggregateHeader(
  by: readonly DimensionId[],
  measures: readonly MeasureId[],
  options: CsvRequest,
  withRecords = false,
): string[] {
  return [
    ...by.map((d) => dimensionHeader(d, options)),
    ...measures.map((m) => measureHeader(m, options)),
    ...(withRecords ? measures.map((m) => (options.lang === 'zh' ? `${MEASURES[m].name.zh}记录数` : `${m}:records`)) : []),
    ...ratiosOf(measures).flatMap((r) => [
      ratioPartHeader(r.id, 'numerator', r.numerator, options),
      ratioPartHeader(r.id, 'denominator', r.denominator, options),
    ]),
  ];
}

/** A figure's cell; none for a ratio without a denominator. */
export function measureCell(id: MeasureId, value: number | null, options: CsvRequest): NumberCell | null {
  if (value === null) return null;
  const def = MEASURES[id];
  if (options.formatted) return numberCell(displayNumber(value, def.unit, options.lang));
  return numberCell(def.unit === 'cny' ? moneyCell(value) : String(value));
}

export function aggregateRows(
  rows: readonly AggregateRow[],
  by: readonly DimensionId[],
  measures: readonly MeasureId[],
  options: CsvRequest,
  labels: Labels,
  withRecords = false,
): CsvRow[] {
  return rows.map((row) => [
    ...by.map((d) => {
      const value = row[d];
      if (value === null || value === undefined) return null;
      const domain = dimensionDomain(d);
      return options.formatted && domain ? labels.name(domain, String(value)) : String(value);
    }),
    ...measures.map((m) => measureCell(m, row[m] === null ? null : Number(row[m]), options)),
    ...(withRecords ? measures.map((m) => numberCell(String(row[recordsColumn(m)] ?? 0))) : []),
    ...ratiosOf(measures).flatMap((r) => [
      measureCell(r.numerator, Number(row[numeratorColumn(r.id)] ?? 0), options),
      measureCell(r.denominator, Number(row[denominatorColumn(r.id)] ?? 0), options),
    ]),
  ]);
}

const SUMMARY_COLUMNS = [
  'measure',
  'unit',
  'from',
  'to',
  'value',
  'records',
  'previous',
  'change',
  'year_ago',
  'year_on_year',
  'panel_universities',
  'panel_value',
  'panel_year_ago',
  'panel_change',
  'target_year',
  'target',
  'year_to_date',
  'progress',
  'numerator',
  'denominator',
] as const;
const SUMMARY_ZH = [
  '指标',
  '单位',
  '起始日期',
  '截止日期',
  '本期值',
  '记录数',
  '上期值',
  '环比',
  '上年同期',
  '同比',
  '可比高校',
  '可比高校本期',
  '可比高校上年同期',
  '可比同比',
  '目标年度',
  '年度目标',
  '年初至今',
  '目标完成率',
  '分子',
  '分母',
];

export function summaryHeader(options: CsvRequest): string[] {
  return options.lang === 'zh' ? SUMMARY_ZH : [...SUMMARY_COLUMNS];
}

export function summaryRows(summary: Summary, options: CsvRequest): CsvRow[] {
  const parts = (m: Summary['measures'][number]) => {
    const { aggregate } = MEASURES[m.measure];
    if (aggregate.fn !== 'ratio' || m.numerator === null || m.denominator === null) return [null, null];
    return [measureCell(aggregate.numerator, m.numerator, options), measureCell(aggregate.denominator, m.denominator, options)];
  };
  const ratio = (value: number | null) =>
    value === null ? null : numberCell(options.formatted ? `${(value * 100).toFixed(1)}%` : value.toFixed(6));
  return summary.measures.map((m) => {
    const number = (value: number | null) => (value === null ? null : measureCell(m.measure, value, options));
    return [
      options.formatted || options.lang === 'zh' ? MEASURES[m.measure].name[options.lang] : m.measure,
      unitLabel(MEASURES[m.measure].unit, options.lang, options.formatted) || m.unit,
      summary.period.from,
      summary.period.to,
      number(m.value),
      numberCell(String(m.records)),
      number(m.previous),
      ratio(m.change),
      number(m.yearAgo),
      ratio(m.yearOnYear),
      m.panel.universities.join(' '),
      number(m.panel.value),
      number(m.panel.yearAgo),
      ratio(m.panel.change),
      numberCell(String(m.targetYear)),
      number(m.target),
      number(m.yearToDate),
      ratio(m.progress),
      // A ratio's two sums over the period (its numerator's and denominator's own units).
      ...parts(m),
    ];
  });
}

export interface FileName {
  /** The name in the export's language (may be Chinese). */
  name: string;
  /** The same in English, for clients that read only the ASCII `filename`. */
  ascii: string;
}

/** A file name that says what the file holds: what, grouped how, for which period. */
export function exportFileName(parts: {
  what: Bilingual;
  by?: readonly DimensionId[];
  filters: KpiFilters;
  lang: Lang;
}): FileName {
  const period =
    parts.filters.from || parts.filters.to ? `${parts.filters.from ?? 'start'}_${parts.filters.to ?? 'latest'}` : 'all-dates';
  const scope = [...(parts.filters.university ?? []), ...(parts.filters.region ?? [])].slice(0, 6).join('-');
  const build = (lang: Lang) => {
    const by =
      parts.by && parts.by.length > 0
        ? lang === 'zh'
          ? `按${parts.by.map((d) => DIMENSIONS[d].name.zh).join('-')}`
          : `by-${parts.by.join('-')}`
        : '';
    const what = parts.what[lang].length > 120 ? `${parts.what[lang].slice(0, 117)}...` : parts.what[lang];
    return `${[what, scope, by, period]
      .filter(Boolean)
      .join('_')
      .replaceAll(/[\\/:*?"<>|]/g, '-')}.csv`;
  };
  return { name: build(parts.lang), ascii: build('en') };
}

export function recordsFileName(kind: FactKind, filters: KpiFilters, lang: Lang): FileName {
  return exportFileName({ what: { en: `records-${kind}`, zh: KIND_NAMES[kind].zh }, filters, lang });
}

export function measuresFileName(
  measures: readonly MeasureId[],
  by: readonly DimensionId[],
  filters: KpiFilters,
  lang: Lang,
): FileName {
  return exportFileName({
    what: { en: measures.join('-'), zh: measures.map((m) => MEASURES[m].name.zh).join('-') },
    by,
    filters,
    lang,
  });
}
