import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { type CsvCell, csvCell, escapeTextCell } from './cells.js';

export interface CsvOptions {
  fileName: { name: string; ascii: string };
  /** A byte-order mark first, so Excel in a Chinese locale reads UTF-8 (default on). */
  bom: boolean;
  header: readonly string[];
}

/** Text, a figure or empty: `csvCell` writes each (text safe from formulas). */
export type CsvRow = readonly CsvCell[];

/** Rows arrive in chunks (a cursor's fetch), so that the per-row work stays synchronous. */
export type CsvChunks = AsyncIterable<readonly CsvRow[]> | Iterable<readonly CsvRow[]>;

// A lone LF or CR inside a cell must be quoted too, or a CRLF reader splits the row.
const STRINGIFY_OPTIONS = { record_delimiter: 'windows', eof: true, quoted_match: /[\r\n]/ } as const;

/**
 * Writes CSV rows to a stream: RFC 4180, CRLF, quoting where needed, never a `sep=` line; every
 * cell, the header's too, written by `csvCell`. Respects back-pressure; returns the number of rows.
 * One pipeline runs from the rows to `out` (a download's spool file, see csv-download.ts, or the
 * command line's file): an output that fails or is destroyed, or a source that fails, ends every
 * stage and runs the source's own clean-up (its cursor, its connection); nothing waits for a
 * 'drain' that will never come. `out` is ended after the last row unless `end` is false (the
 * command line's standard output, which is not the file's to end).
 */
export async function writeCsv(
  out: Writable,
  options: Pick<CsvOptions, 'bom' | 'header'>,
  chunks: CsvChunks,
  { end = true }: EndOption = {},
): Promise<number> {
  let count = 0;
  // A chunk of rows (a cursor's fetch) is written as one block: the per-row work stays synchronous.
  async function* blocks(): AsyncGenerator<string> {
    yield stringifySync([options.header.map(escapeTextCell)], { ...STRINGIFY_OPTIONS, bom: options.bom });
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      yield stringifySync(
        chunk.map((row) => row.map(csvCell)),
        STRINGIFY_OPTIONS,
      );
      count += chunk.length;
    }
  }
  await pipeline(Readable.from(blocks()), out, { end });
  return count;
}

/** Whether a CSV writer ends its output after the last row (default true). */
export interface EndOption {
  end?: boolean;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * PostgreSQL's `COPY … (format csv)` ends rows with LF; Excel's rules want CRLF. This turns every
 * LF outside quotes into CRLF (an LF inside a quoted cell is data and stays), across chunk
 * boundaries, and counts the rows.
 */
export class CrlfRows {
  #quoted = false;
  rows = 0;

  convert(chunk: Buffer): Buffer {
    const ends: number[] = [];
    let quoted = this.#quoted;
    let at = 0;
    // Jump between quotes and line ends with the native search: quotes are rare in real data.
    while (at < chunk.length) {
      if (quoted) {
        const close = chunk.indexOf(QUOTE, at);
        if (close < 0) break;
        quoted = false;
        at = close + 1;
        continue;
      }
      const quote = chunk.indexOf(QUOTE, at);
      let end = chunk.indexOf(LF, at);
      while (end >= 0 && (quote < 0 || end < quote)) {
        ends.push(end);
        end = chunk.indexOf(LF, end + 1);
      }
      if (quote < 0) break;
      quoted = true;
      at = quote + 1;
    }
    this.#quoted = quoted;
    this.rows += ends.length;
    if (ends.length === 0) return chunk;
    const converted = Buffer.allocUnsafe(chunk.length + ends.length);
    let from = 0;
    let to = 0;
    for (const end of ends) {
      to += chunk.copy(converted, to, from, end);
      converted[to++] = CR;
      converted[to++] = LF;
      from = end + 1;
    }
    chunk.copy(converted, to, from);
    return converted;
  }
}

/**
 * Writes a CSV whose header is ours (csv-stringify, the same options as `writeCsv`) and whose
 * rows PostgreSQL rendered (`COPY … to stdout with (format csv)`), with CRLF line ends.
 * Respects back-pressure; returns the number of rows.
 */
export async function writeCopiedCsv(
  out: Writable,
  options: Pick<CsvOptions, 'bom' | 'header'>,
  body: AsyncIterable<Buffer>,
  { end = true }: EndOption = {},
): Promise<number> {
  const rows = new CrlfRows();
  async function* bytes(): AsyncGenerator<Buffer> {
    yield Buffer.from(stringifySync([options.header.map(escapeTextCell)], { ...STRINGIFY_OPTIONS, bom: options.bom }));
    for await (const chunk of body) yield rows.convert(chunk);
  }
  // One pipeline from the source to `out`, as in writeCsv.
  await pipeline(Readable.from(bytes()), out, { end });
  return rows.rows;
}
