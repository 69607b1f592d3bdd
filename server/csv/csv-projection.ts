import type { Writable } from 'node:stream';
import { type CsvChunks, type CsvOptions, writeCopiedCsv, writeCsv } from './csv-response.js';

/**
 * What a CSV export is, whoever asks for it (a route of the API or the command line): its file
 * name, byte-order mark and header, where its rows come from, and what its audit entry names.
 * `CsvDownloads.export` spools, audits and sends one; `writeProjection` writes one to a stream.
 */
export interface CsvProjection extends CsvOptions {
  /** The rows in chunks (a cursor's fetches, or one array), or the rows PostgreSQL rendered itself (`COPY`). */
  rows: CsvChunks | { copied: AsyncIterable<Buffer> };
  /** The audit entry's subject, after `export:` (`aggregate`, `records/talent`, `report/summary`). */
  subject: string;
}

const isCopied = (rows: CsvProjection['rows']): rows is { copied: AsyncIterable<Buffer> } => 'copied' in rows;

/** Writes the projection's CSV to `out` (ending it, unless it is the process's own output); returns the rows written. */
export function writeProjection(out: Writable, projection: CsvProjection): Promise<number> {
  const { rows } = projection;
  return isCopied(rows) ? writeCopiedCsv(out, projection, rows.copied) : writeCsv(out, projection, rows);
}
