import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FactKind } from '../../server/db/schema.js';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import type { RawRow } from './facts.js';

/** A CSV file of records as a spreadsheet would save it (CRLF, quotes where needed, UTF-8 BOM). */
export function csvOf(kind: FactKind, rows: RawRow[], { bom = true } = {}): string {
  const columns = KIND_COLUMNS[kind].map((c) => c.name);
  return stringify(
    [columns, ...rows.map((row) => columns.map((c) => (row[c] === null || row[c] === undefined ? '' : String(row[c]))))],
    {
      bom,
      record_delimiter: 'windows',
      quoted_match: /[\r\n]/,
    },
  );
}

/** A kind's header up to and including `last`: a file that leaves out the columns after it (as files written before them do). */
export function headerThrough(kind: FactKind, last: string): string {
  const columns = KIND_COLUMNS[kind];
  return columns
    .slice(0, columns.findIndex((c) => c.name === last) + 1)
    .map((c) => c.name)
    .join(',');
}

/** Parses a CSV answer into header and rows (dropping the BOM). */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parse(text, { bom: true, relax_column_count: false }) as string[][];
  return { header: header!, rows };
}
