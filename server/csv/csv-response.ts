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

/** Rows arrive in chunks (a cursor's fetch), so that the per-row work stays synchronous. */
export type CsvChunks = AsyncIterable<readonly CsvRow[]> | Iterable<readonly CsvRow[]>;

/**
 * Writes CSV rows (cells already as text, null for empty) to a stream: RFC 4180, CRLF, quoting
 * where needed, never a `sep=` line. Respects back-pressure; returns the number of rows.
 */
export async function writeCsv(out: Writable, options: Pick<CsvOptions, 'bom' | 'header'>, chunks: CsvChunks): Promise<number> {
  // A lone LF or CR inside a cell must be quoted too, or a CRLF reader splits the row.
  const stringifier = stringify({ bom: options.bom, record_delimiter: 'windows', eof: true, quoted_match: /[\r\n]/ });
  stringifier.pipe(out);
  const finished = once(out, 'finish');
  stringifier.write(options.header);
  let count = 0;
  for await (const chunk of chunks) {
    if (out.destroyed) throw new Error('the reader went away during the export');
    let room = true;
    for (const row of chunk) room = stringifier.write(row.map((cell) => cell ?? ''));
    count += chunk.length;
    if (!room) await once(stringifier, 'drain');
  }
  stringifier.end();
  await finished;
  return count;
}

/** The same, as an HTTP download whose file name says what it holds. */
export async function streamCsv(res: Response, options: CsvOptions, chunks: CsvChunks): Promise<number> {
  res.status(200).set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': contentDisposition(options.fileName.name, options.fileName.ascii),
  });
  return writeCsv(res, options, chunks);
}
