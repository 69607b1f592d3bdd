import type { Writable } from 'node:stream';
import { type CsvChunks, type CsvOptions, type EndOption, writeCopiedCsv, writeCsv } from './csv-response.js';
import { type SheetSpec, writeXlsx } from './xlsx-response.js';

/** The files an export is written as: CSV, or an Excel workbook (`.xlsx`). */
export const FILE_FORMATS = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/**
 * What an export is, whoever asks for it (a route of the API or the command line): its file
 * name, byte-order mark and header, where its rows come from, and what its audit entry names.
 * `CsvDownloads.export` spools, audits and sends one; `writeProjection` writes one to a stream,
 * as CSV or as a workbook of one sheet (the same header and cells, typed: see xlsx-response.ts).
 */
export interface CsvProjection extends CsvOptions {
  /**
   * The rows in chunks (a cursor's fetches, or one array), or the rows PostgreSQL rendered itself
   * (`COPY`, for CSV only: a projection asked for as a workbook gives chunks).
   */
  rows: CsvChunks | { copied: AsyncIterable<Buffer> };
  /** The audit entry's subject, after `export:` (`aggregate`, `records/talent`, `report/summary`). */
  subject: string;
  /** The sheet's name in a workbook; by default the file name's, without its extension. */
  sheet?: string;
}

/** A workbook of several sheets (the commission report): one file, one audit entry. */
export interface WorkbookProjection {
  fileName: CsvOptions['fileName'];
  sheets: SheetSpec[];
  subject: string;
}

const isCopied = (rows: CsvProjection['rows']): rows is { copied: AsyncIterable<Buffer> } => 'copied' in rows;

/** A file name with the format's extension in place of its own (`….csv` → `….xlsx`). */
export function withExtension(name: CsvOptions['fileName'], format: FileFormat): CsvOptions['fileName'] {
  const swap = (n: string) => `${n.replace(/\.(csv|xlsx)$/i, '')}.${format}`;
  return { name: swap(name.name), ascii: swap(name.ascii) };
}

/** The one sheet of a projection's workbook. */
export function projectionSheet(projection: CsvProjection): SheetSpec {
  const { rows } = projection;
  if (isCopied(rows)) throw new Error(`the ${projection.subject} export was rendered by PostgreSQL: a workbook needs its cells`);
  return { name: projection.sheet ?? projection.fileName.name.replace(/\.(csv|xlsx)$/i, ''), header: projection.header, rows };
}

/**
 * Writes the projection to `out` as CSV or a workbook, and ends it (a CSV's unless `end` is false:
 * a workbook is always a file of its own); returns the rows written.
 */
export function writeProjection(
  out: Writable,
  projection: CsvProjection,
  format: FileFormat = 'csv',
  end: EndOption = {},
): Promise<number> {
  if (format === 'xlsx') return writeXlsx(out, [projectionSheet(projection)]);
  const { rows } = projection;
  return isCopied(rows) ? writeCopiedCsv(out, projection, rows.copied, end) : writeCsv(out, projection, rows, end);
}

/** Writes a workbook of several sheets to `out`; returns the rows written over all of them. */
export function writeWorkbook(out: Writable, workbook: WorkbookProjection): Promise<number> {
  return writeXlsx(out, workbook.sheets);
}
