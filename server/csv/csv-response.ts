import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { contentDisposition } from './cells.js';

export interface CsvOptions {
  fileName: { name: string; ascii: string };
  /** A byte-order mark first, so Excel in a Chinese locale reads UTF-8 (default on). */
  bom: boolean;
  header: readonly string[];
}

export type CsvRow = readonly (string | null)[];

/**
 * Writes CSV rows (cells already as text, null for empty) to a stream: RFC 4180, CRLF, quoting
 * where needed, never a `sep=` line. Respects back-pressure; returns the number of rows.
 */
export async function writeCsv(
  out: Writable,
  options: Pick<CsvOptions, 'bom' | 'header'>,
  rows: AsyncIterable<CsvRow> | Iterable<CsvRow>,
): Promise<number> {
  // A lone LF or CR inside a cell must be quoted too, or a CRLF reader splits the row.
  const stringifier = stringify({ bom: options.bom, record_delimiter: 'windows', eof: true, quoted_match: /[\r\n]/ });
  stringifier.pipe(out);
  const finished = once(out, 'finish');
  const write = async (row: CsvRow): Promise<void> => {
    if (!stringifier.write(row.map((cell) => cell ?? ''))) await once(stringifier, 'drain');
  };
  await write(options.header);
  let count = 0;
  for await (const row of rows) {
    if (out.destroyed) throw new Error('the reader went away during the export');
    await write(row);
    count++;
  }
  stringifier.end();
  await finished;
  return count;
}

/** The same, as an HTTP download whose file name says what it holds. */
export async function streamCsv(
  res: Response,
  options: CsvOptions,
  rows: AsyncIterable<CsvRow> | Iterable<CsvRow>,
): Promise<number> {
  res.status(200).set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': contentDisposition(options.fileName.name, options.fileName.ascii),
  });
  return writeCsv(res, options, rows);
}
