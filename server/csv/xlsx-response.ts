import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type CsvCell, DATE_FORMAT, DateCell, type NumberCell } from './cells.js';
import type { CsvChunks, CsvRow } from './csv-response.js';

/** One sheet of a workbook: its name (in the file's language), its header row and its rows. */
export interface SheetSpec {
  name: string;
  header: readonly string[];
  rows: CsvChunks;
}

/** The rows whose contents set the columns' widths: a stream's first rows, a table's all. */
const WIDTH_SAMPLE = 500;
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;
/** Excel's own limit on a sheet's name. */
const SHEET_NAME_MAX = 31;

/**
 * `text` in at most `max` characters: whole, or cut after its last whole word that fits (text
 * without spaces, such as Chinese, after its last character that fits), with an ellipsis.
 */
function shortened(text: string, max: number): string {
  const characters = [...text];
  if (characters.length <= max) return text;
  const head = characters.slice(0, max - 1).join('');
  const space = head.search(/\s\S*$/u);
  const cut = characters[max - 1] !== ' ' && space > (max - 1) / 2 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s\p{P}]+$/u, '')}…`;
}

/**
 * A name Excel takes for a sheet: at most 31 characters, none of `[ ] : * ? / \`, not starting or
 * ending with an apostrophe, not blank, and unlike the names already taken (compared as Excel
 * does, without regard to case).
 */
export function sheetName(wanted: string, taken: Set<string>): string {
  const clean =
    wanted
      .replaceAll(/[[\]:*?/\\]/g, '-')
      .replaceAll(/[\p{Cc}]/gu, ' ')
      .trim()
      .replace(/^'+|'+$/g, '') || 'Sheet';
  let name = shortened(clean, SHEET_NAME_MAX);
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = shortened(clean, SHEET_NAME_MAX - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** The width a text takes in a column, in Excel's character units: a wide (CJK) character takes two. */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

/** A figure as the exports write one, read back from its text when it was made without its value. */
const NUMBER = /^-?\d[\d,]*(\.\d+)?%?$/;

/**
 * OOXML writes a carriage return in a cell's text as `_x000D_` (XML would read a raw one back as a
 * line feed), and a text that itself reads `_xHHHH_` with its underscore escaped as `_x005F_`.
 */
const storedText = (text: string): string =>
  text.includes('_x') || text.includes('\r')
    ? text.replaceAll(/_(x[0-9a-fA-F]{4}_)/g, '_x005F_$1').replaceAll('\r', '_x000D_')
    : text;

interface Typed {
  /** What exceljs writes: a string is always a string cell (exceljs makes a formula only of a `{ formula }` object). */
  value: string | number | Date | null;
  format: string | undefined;
}

/** How wide a cell shows, for the columns' widths (measured on the first rows only). */
function cellWidth(cell: CsvCell): number {
  if (cell === null) return 0;
  if (typeof cell === 'string') return textWidth(cell);
  if (cell instanceof DateCell) return 10;
  return Math.max(textWidth(cell.text), 4);
}

/** How a cell of the exports is written to a workbook: text as text (never a formula), figures as numbers, days as dates. */
function typed(cell: CsvCell): Typed {
  if (cell === null) return { value: null, format: undefined };
  if (typeof cell === 'string') return { value: storedText(cell), format: undefined };
  if (cell instanceof DateCell) {
    const day = new Date(`${cell.iso}T00:00:00Z`);
    return Number.isNaN(day.getTime()) ? { value: storedText(cell.iso), format: undefined } : { value: day, format: DATE_FORMAT };
  }
  return numberOf(cell);
}

function numberOf(cell: NumberCell): Typed {
  if (cell.value !== undefined && Number.isFinite(cell.value)) return { value: cell.value, format: cell.format };
  if (!NUMBER.test(cell.text)) return { value: storedText(cell.text), format: undefined };
  const percent = cell.text.endsWith('%');
  const value = Number(cell.text.replaceAll(',', '').replace('%', ''));
  return { value: percent ? value / 100 : value, format: percent ? '0.00%' : cell.format };
}

/**
 * exceljs's sheet stream (its `StreamBuf`) writes to the zip entry's compressor without heeding
 * back-pressure, so rows committed faster than they are compressed would pile up in memory (about
 * 100 MB more at 200,000 rows). What the sheet stream holds and where it writes: read to wait.
 */
interface SheetStream {
  pipes?: Writable[];
  buffers?: unknown[];
}

/** Whether a stream holds more than it wants (the zip's entry streams are readable-stream 2's, without `writableNeedDrain`). */
function needsDrain(stream: Writable): boolean {
  const state = (stream as unknown as { _writableState?: { needDrain?: boolean } })._writableState;
  return stream.writableNeedDrain ?? state?.needDrain ?? false;
}

/** Buffers of 64 KB a sheet stream may hold before the zip takes it up. */
const MAX_HELD_BUFFERS = 16;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Resolves once the sheet's bytes have gone on (compressed into the zip, and the zip into `out`)
 * far enough for more rows; rejects once `out` has failed or closed: a writer never waits on a
 * dead stream, and never runs ahead of the file by more than a few buffers.
 */
async function caughtUp(sheet: { stream: unknown }, out: Writable, failed: () => Error | undefined): Promise<void> {
  const stream = sheet.stream as SheetStream;
  for (;;) {
    const failure = failed() ?? (out.destroyed ? (out.errored ?? new Error('the output was closed')) : undefined);
    if (failure) throw failure;
    const blocked = stream.pipes?.find(needsDrain) ?? (out.writableNeedDrain ? out : undefined);
    if (blocked) {
      // Wait for it to drain, or for the output to fail: whichever comes first; then look again.
      const done = new AbortController();
      try {
        await Promise.race([once(blocked, 'drain', { signal: done.signal }), once(out, 'close', { signal: done.signal })]);
      } finally {
        done.abort();
      }
      continue;
    }
    if ((stream.pipes?.length ?? 0) === 0 && (stream.buffers?.length ?? 0) > MAX_HELD_BUFFERS) {
      await nextTurn();
      continue;
    }
    return nextTurn();
  }
}

/**
 * Writes a workbook to `out` with exceljs's streaming writer: one sheet per spec, a bold header row
 * frozen above the rest, columns as wide as the header and the first rows want (at most 60), each
 * column's number format from its first typed cell (a cell of another format keeps its own). Text
 * is written as text (inline, never through a shared table that would grow with the rows), so no
 * cell is ever a formula; figures are numbers with their number formats; days are dates.
 * Rows are committed as they come, and the next chunk is read only once the zip has taken up the
 * last (see `caughtUp`): memory holds about one chunk, whatever the number of rows. Ends `out`;
 * returns the rows written (header rows not counted).
 */
export async function writeXlsx(out: Writable, sheets: Iterable<SheetSpec>): Promise<number> {
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  out.on('error', onError);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'alliance-outcomes';
  workbook.created = new Date(0);
  const taken = new Set<string>();
  let count = 0;
  try {
    for (const spec of sheets) {
      const sheet = workbook.addWorksheet(sheetName(spec.name, taken), {
        views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
      });
      let started = false;
      let formats: (string | undefined)[] = [];
      const start = (sample: readonly CsvRow[]) => {
        const widths = spec.header.map((h) => textWidth(h) + 2);
        formats = spec.header.map(() => undefined);
        for (const row of sample.slice(0, WIDTH_SAMPLE)) {
          row.forEach((cell, i) => {
            widths[i] = Math.max(widths[i] ?? 0, cellWidth(cell) + 2);
            const { format } = typed(cell);
            if (formats[i] === undefined && format !== undefined) formats[i] = format;
          });
        }
        sheet.columns = widths.map((w, i) => ({
          width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)),
          ...(formats[i] ? { style: { numFmt: formats[i] } } : {}),
        }));
        const header = sheet.addRow(spec.header.map(storedText));
        header.font = { bold: true };
        header.commit();
        started = true;
      };
      for await (const chunk of spec.rows) {
        if (failure) throw failure;
        if (!started) start(chunk);
        for (const row of chunk) {
          const values = row.map(typed);
          const added = sheet.addRow(values.map((v) => v.value));
          values.forEach((v, i) => {
            if (v.format !== undefined && v.format !== formats[i]) added.getCell(i + 1).numFmt = v.format;
          });
          added.commit();
        }
        count += chunk.length;
        await caughtUp(sheet as unknown as { stream: unknown }, out, () => failure);
      }
      if (!started) start([]);
      sheet.commit();
      if (failure) throw failure;
    }
    await Promise.race([
      workbook.commit(),
      new Promise<never>((_, reject) => {
        const check = () => reject(failure ?? new Error('the output was closed before the workbook was whole'));
        out.once('error', check);
        out.once('close', () => {
          if (!out.writableFinished) check();
        });
      }),
    ]);
    if (failure) throw failure;
    return count;
  } catch (error) {
    if (!out.destroyed) out.destroy(error as Error);
    throw error;
  } finally {
    out.off('error', onError);
  }
}
