import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  type CsvCell,
  dateCell,
  FORMULA_FIRST_CODES,
  FORMULA_SQL_PATTERN,
  moneyCell,
  numberCell,
  numberFormat,
} from '../csv/cells.js';
import type { CsvProjection } from '../csv/csv-projection.js';
import type { CsvRequest } from '../csv/csv-request.js';
import type { CsvRow } from '../csv/csv-response.js';
import type { CopyOut } from '../db/connect.js';
import type { Database, FactKind } from '../db/schema.js';
import { streamChunks } from '../db/stream.js';
import type { KpiFilters } from '../kpi/compile.js';
import { exportFileName, type FileName } from '../kpi/kpi.csv.js';
import { displayNumber, type Labels, type Lang } from '../kpi/labels.js';
import { type ColumnSpec, KIND_COLUMNS, KIND_NAMES, MAIN_DATE } from '../../contract/record-columns.js';
import { type RecordSearch, recordConditions, recordsFrom } from './records.service.js';

/** The CSV projection of a kind's records: header, cells, the streamed rows, PostgreSQL's own COPY, the file name. */

const COLUMN_DOMAIN = (column: ColumnSpec): 'university' | 'region' | 'field' | 'value' | undefined =>
  column.domain ?? (column.type === 'enum' ? 'value' : undefined);

/**
 * One cell of a record, typed by its column's type: money with two decimals (its value in yuan, and
 * the number format a workbook shows it with), counts and credits as numbers, days as days, the rest
 * text (the writer escapes it).
 */
function recordCell(column: ColumnSpec, value: unknown, options: CsvRequest, labels: Labels): CsvCell {
  if (value === null || value === undefined) return null;
  const domain = COLUMN_DOMAIN(column);
  if (options.formatted && domain) return labels.name(domain, String(value));
  switch (column.type) {
    case 'money': {
      const yuan = Number(value);
      return numberCell(
        options.formatted ? displayNumber(yuan, 'cny', options.lang) : moneyCell(yuan),
        yuan,
        numberFormat('cny', options),
      );
    }
    case 'count':
    case 'credits': {
      const number = Number(value);
      return numberCell(String(number), number, numberFormat(column.type, options));
    }
    case 'date':
    case 'optional_date':
      return dateCell(String(value));
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
 * large CSV exports. Null where it does not apply (PGlite, formatted cells, which need labels, or a
 * workbook, whose cells are typed).
 */
export function copiedRecords(
  db: Kysely<Database>,
  copyOut: CopyOut | undefined,
  kind: FactKind,
  filters: KpiFilters,
  search: RecordSearch,
  options: CsvRequest,
): AsyncIterable<Buffer> | null {
  if (!copyOut || options.formatted || options.file === 'xlsx') return null;
  const query = recordsQuery(kind, filters, search, KIND_COLUMNS[kind].map(renderedColumn));
  return copyOut(query.compile(db), 'format csv');
}

export function recordsFileName(kind: FactKind, filters: KpiFilters, lang: Lang): FileName {
  return exportFileName({ what: { en: `records-${kind}`, zh: KIND_NAMES[kind].zh }, filters, lang });
}

/**
 * A kind's records export: what GET /records/:kind?format=csv (or xlsx) and `cli export <kind>`
 * write. A raw CSV on PostgreSQL: PostgreSQL writes the rows itself (COPY); else a cursor streams them. `filters`
 * null (a caller who may read none of them) exports the header alone.
 */
export function recordsProjection(
  db: Kysely<Database>,
  copyOut: CopyOut | undefined,
  kind: FactKind,
  filters: KpiFilters | null,
  request: RecordSearch & { filters: KpiFilters; output: CsvRequest },
  labels: Labels,
): CsvProjection {
  const { output } = request;
  const copied = filters && copiedRecords(db, copyOut, kind, filters, request, output);
  return {
    fileName: recordsFileName(kind, request.filters, output.lang),
    bom: output.bom,
    header: recordsHeader(kind, output),
    rows: copied ? { copied } : filters ? recordRows(db, kind, filters, request, output, labels) : [],
    subject: `records/${kind}`,
  };
}
