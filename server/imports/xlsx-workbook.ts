import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Said } from '../../contract/problems.js';
import { said } from '../lib/problems.js';
import { MAX_ROW_BYTES, MAX_ROW_CELLS } from '../csv/record-bounds.js';
import { type ZipEntry, ZipFile, ZipRefused } from './xlsx-zip.js';

/**
 * Reading a workbook (`.xlsx`) a row at a time. Not exceljs's `WorkbookReader`: it reads a zip's
 * entries in the order they are stored (a sheet stored before the shared strings is spooled to a
 * temporary file, and sheets come in storage order rather than tab order), and it inflates without
 * counting, so a zip bomb would be inflated in full. Here the zip is read from its central
 * directory (`xlsx-zip.ts`: every entry inflated with its bytes counted against the limits), the
 * small parts (workbook, relationships, styles) whole, the shared strings once (at most
 * `MAX_SHARED_STRINGS_BYTES`), and a sheet's XML streamed through a SAX parser: memory holds the
 * shared strings and a row, whatever the number of rows.
 */

/** The workbook's small parts (workbook, relationships, styles) are read whole, up to this size each. */
export const MAX_PART_BYTES = 8 * 1024 * 1024;
/** The shared strings are held in memory for the whole read: their XML may inflate to this much. */
export const MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024;
/** A stretch of a sheet's XML this long with no tag in it (a cell's text, a tag's attributes) is no row of ours. */
const MAX_UNTAGGED_CHARS = 4 * MAX_ROW_BYTES;

/** A cell as stored, before the column it is in says how to read it. */
export type SheetCell =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number; date: boolean }
  | { kind: 'iso-date'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'error'; text: string }
  | { kind: 'uncached' };

/** One row of a sheet: its number (as the sheet numbers it) and its cells by column (0 is A). */
export interface SheetRow {
  line: number;
  cells: Array<SheetCell | undefined>;
}

/** A worksheet of the workbook, in tab order. */
export interface SheetRef {
  name: string;
  entry: ZipEntry;
}

export interface Workbook {
  zip: ZipFile;
  sheets: SheetRef[];
  date1904: boolean;
  sharedStrings: string[];
  /** By style index (a cell's `s`): whether its number format shows a date. */
  dateStyles: boolean[];
  /** The cells (empty ones too) read so far from all its sheets: at most MAX_CELL_ELEMENTS. */
  cellsRead: number;
}

/**
 * The cells a workbook may hold, empty ones included (a cell formatted and left empty is one):
 * fifty thousand records of thirty columns are 1.5 million. Past this a file is no workbook of
 * records, and reading on (a row of 40,000 empty cells, a hundred times, in every sheet) would take
 * minutes of a core for nothing.
 */
export const MAX_CELL_ELEMENTS = 5_000_000;

/** A row too long or too wide in a sheet, at its row number. */
export class SheetRowRefused extends Error {
  constructor(
    readonly line: number,
    readonly problem: Said,
    /** The column (from 0) of the cell that went past the bound. */
    readonly column: number,
  ) {
    super(problem.code);
  }
}

/** Excel's bounds: rows in a sheet, characters in a sheet's name. */
const SHEET_ROWS = 1_048_576;
const SHEET_NAME_CHARACTERS = 31;

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
const attribute = (tag: SaxesTagPlain, name: string): string | undefined => {
  const attributes = tag.attributes as Record<string, string>;
  if (name in attributes) return attributes[name];
  for (const [key, value] of Object.entries(attributes)) if (localName(key) === name) return value;
  return undefined;
};

/** OOXML's escape of a character in text: `_x000D_` for a carriage return, `_x005F_` for an underscore before one. */
export const unescapeOoxml = (text: string): string =>
  text.includes('_x')
    ? text.replaceAll(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;

/** A small XML part, parsed whole: every element's opening tag, in order, to `visit`. */
function walk(
  xml: string,
  visit: (tag: SaxesTagPlain, path: readonly string[]) => void,
  text?: (text: string, path: readonly string[]) => void,
): void {
  const parser = new SaxesParser();
  const path: string[] = [];
  parser.on('doctype', () => {
    throw new ZipRefused(said('xlsx_damaged'));
  });
  parser.on('opentag', (tag) => {
    path.push(localName(tag.name));
    visit(tag as SaxesTagPlain, path);
    if (tag.isSelfClosing) path.pop();
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) path.pop();
  });
  if (text) parser.on('text', (t) => text(t, path));
  parser.on('error', () => {
    throw new ZipRefused(said('xlsx_damaged'));
  });
  parser.write(xml).close();
}

/** A part's path inside the zip, from a relationship's target (relative to `xl/`, or absolute). */
const partPath = (base: string, target: string): string => {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
};

/** The built-in number formats that show a date or time (ECMA-376 18.8.30). */
const BUILT_IN_DATES = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Whether a number format shows a date: a day, month, year, hour or second outside quotes, escapes and brackets. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replaceAll(/"[^"]*"/g, '')
    .replaceAll(/\\./g, '')
    .replaceAll(/\[[^\]]*\]/g, '')
    .replaceAll(/_./g, '')
    .replaceAll(/\*./g, '');
  return /[dmyhs]/i.test(bare.split(';')[0] ?? '') && !/^general$/i.test(bare.trim());
}

const refused = (code: Parameters<typeof said>[0]) => () => new ZipRefused(said(code as 'xlsx_damaged'));

/**
 * Opens a workbook: its zip's directory, its sheets in tab order (worksheets only, hidden ones
 * left out), its date system, its styles' date formats and its shared strings. A zip that is no
 * workbook is refused saying what it is (`ZipRefused`).
 */
export async function openWorkbook(path: string): Promise<Workbook> {
  const zip = await ZipFile.read(path);
  const entry = (name: string) => zip.entries.get(name);
  const workbookEntry = entry('xl/workbook.xml');
  if (!workbookEntry) {
    const mimetype = entry('mimetype');
    if (mimetype || entry('content.xml')) throw new ZipRefused(said('xlsx_is_ods'));
    if (entry('xl/workbook.bin')) throw new ZipRefused(said('xlsx_is_xlsb'));
    throw new ZipRefused(said('xlsx_not_workbook'));
  }
  const tooLarge = refused('xlsx_part_too_large');
  const rels = new Map<string, { target: string; type: string }>();
  const relsEntry = entry('xl/_rels/workbook.xml.rels');
  if (relsEntry)
    walk(await zip.text(relsEntry, MAX_PART_BYTES, tooLarge), (tag, path) => {
      if (path.at(-1) !== 'Relationship') return;
      const id = attribute(tag, 'Id');
      const target = attribute(tag, 'Target');
      if (id && target) rels.set(id, { target: partPath('xl/workbook.xml', target), type: attribute(tag, 'Type') ?? '' });
    });
  let date1904 = false;
  const sheets: SheetRef[] = [];
  walk(await zip.text(workbookEntry, MAX_PART_BYTES, tooLarge), (tag, path) => {
    const name = path.at(-1);
    if (name === 'workbookPr') {
      const value = attribute(tag, 'date1904');
      date1904 = value === '1' || value === 'true';
    } else if (name === 'sheet' && path.at(-2) === 'sheets') {
      const state = attribute(tag, 'state');
      if (state === 'hidden' || state === 'veryHidden') return;
      const rel = rels.get(attribute(tag, 'id') ?? '');
      if (!rel?.type.endsWith('/worksheet')) return;
      const part = entry(rel.target);
      // Excel names a sheet in at most 31 characters; a longer name (a made-up file) is cut there,
      // as every problem of the sheet repeats it.
      // A part that two sheets name (no saved workbook does) is read once.
      if (part && !sheets.some((sheet) => sheet.entry === part))
        sheets.push({ name: [...(attribute(tag, 'name') ?? '')].slice(0, SHEET_NAME_CHARACTERS).join(''), entry: part });
    }
  });
  const relOf = (suffix: string, fallback: string) =>
    entry([...rels.values()].find((rel) => rel.type.endsWith(suffix))?.target ?? fallback);
  const stylesEntry = relOf('/styles', 'xl/styles.xml');
  const dateStyles: boolean[] = [];
  if (stylesEntry) {
    const formats = new Map<number, string>();
    const xfs: number[] = [];
    walk(await zip.text(stylesEntry, MAX_PART_BYTES, tooLarge), (tag, path) => {
      const name = path.at(-1);
      if (name === 'numFmt') formats.set(Number(attribute(tag, 'numFmtId')), attribute(tag, 'formatCode') ?? '');
      else if (name === 'xf' && path.at(-2) === 'cellXfs') xfs.push(Number(attribute(tag, 'numFmtId') ?? 0));
    });
    for (const id of xfs) {
      const custom = formats.get(id);
      dateStyles.push(custom !== undefined ? isDateFormat(custom) : BUILT_IN_DATES.has(id));
    }
  }
  const sharedEntry = relOf('/sharedStrings', 'xl/sharedStrings.xml');
  const sharedStrings = sharedEntry ? await readSharedStrings(zip, sharedEntry) : [];
  return { zip, sheets, date1904, sharedStrings, dateStyles, cellsRead: 0 };
}

/** The shared strings, streamed: each `<si>`'s text (its runs joined, phonetic guides left out). */
async function readSharedStrings(zip: ZipFile, entry: ZipEntry): Promise<string[]> {
  if (entry.size > MAX_SHARED_STRINGS_BYTES)
    throw new ZipRefused(said('xlsx_shared_strings', { megabytes: MAX_SHARED_STRINGS_BYTES / 1024 / 1024 }));
  const strings: string[] = [];
  let current: string | null = null;
  let inText = 0;
  let inPhonetic = 0;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    if (tag.isSelfClosing) {
      if (localName(tag.name) === 'si') strings.push('');
      return;
    }
    const name = localName(tag.name);
    if (name === 'si') current = '';
    else if (name === 'rPh') inPhonetic++;
    else if (name === 't') inText++;
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    const name = localName(tag.name);
    if (name === 'si') {
      strings.push(unescapeOoxml(current ?? ''));
      current = null;
    } else if (name === 'rPh') inPhonetic--;
    else if (name === 't') inText--;
  });
  const onText = (text: string) => {
    if (current !== null && inText > 0 && inPhonetic === 0) current += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('doctype', () => {
    throw new ZipRefused(said('xlsx_damaged'));
  });
  await feed(zip, entry, parser, MAX_SHARED_STRINGS_BYTES);
  return strings;
}

/** Streams an entry's XML into a parser; refuses a stretch with no tag longer than a row may be. */
async function feed(zip: ZipFile, entry: ZipEntry, parser: SaxesParser, max: number): Promise<void> {
  for await (const _ of feedChunks(await zip.open(entry), parser, max)) {
    // Every chunk is written as it comes.
  }
}

/** A parser's step: its own refusals as they are, any other failure of it as a damaged part. */
function parsing(step: () => void): void {
  try {
    step();
  } catch (error) {
    if (error instanceof ZipRefused || error instanceof SheetRowRefused) throw error;
    throw new ZipRefused(said('xlsx_damaged'));
  }
}

/**
 * Writes an entry's XML into a parser a chunk at a time, pausing after each; refuses text that is not
 * UTF-8, a stretch with no tag longer than a row may be, and more than `max` bytes (the shared
 * strings' bound; a sheet has none: its rows are bounded one by one).
 */
async function* feedChunks(
  stream: NodeJS.ReadableStream,
  parser: SaxesParser,
  max = Number.POSITIVE_INFINITY,
  /** The refusal of text too long between two tags, where it is a cell's: a sheet's names that cell. */
  cellRefusal: () => Error | undefined = () => undefined,
): AsyncGenerator<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let untagged = 0;
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) throw new ZipRefused(said('xlsx_shared_strings', { megabytes: max / 1024 / 1024 }));
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new ZipRefused(said('xlsx_damaged'));
      }
      const last = text.lastIndexOf('<');
      untagged = last === -1 ? untagged + text.length : text.length - last;
      // Text this long between two tags is a cell (or a shared string) no record can hold.
      if (untagged > MAX_UNTAGGED_CHARS)
        throw cellRefusal() ?? new ZipRefused(said('row_too_large', { kilobytes: MAX_ROW_BYTES / 1024, cells: MAX_ROW_CELLS }));
      parsing(() => parser.write(text));
      yield;
    }
    parsing(() => parser.close());
  } finally {
    (stream as unknown as { destroy(): void }).destroy();
  }
}

/** `C12` → column 2 (A is 0), or -1 when the reference has no letters. */
export function columnOf(reference: string): number {
  let column = 0;
  let i = 0;
  for (; i < reference.length; i++) {
    const code = reference.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
  }
  return i === 0 ? -1 : column - 1;
}

/** Column 2 → `C`. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** What a sheet read ends with: its merged ranges (`A1:C1`), known once its XML is read through. */
export interface SheetEnd {
  merges: string[];
}

/**
 * A sheet's rows, streamed in order, each with its cells as stored (`SheetCell`). A row wider than
 * `MAX_ROW_CELLS` cells with a value, or whose text passes `MAX_ROW_BYTES`, is refused
 * (`SheetRowRefused`). Cells without a value (formatting alone) are passed over. `end.merges` is
 * filled when the rows are done.
 */
export async function* sheetRows(
  book: Workbook,
  sheet: SheetRef,
  end: SheetEnd,
  onCompressed: (position: number) => void = () => undefined,
): AsyncGenerator<SheetRow> {
  const parser = new SaxesParser();
  const ready: SheetRow[] = [];
  let row: SheetRow | null = null;
  let rowBytes = 0;
  let lastLine = 0;
  /** The cell being read: its column, type, style, formula and value. */
  let cell: {
    column: number;
    type: string;
    style: number;
    formula: boolean;
    value: string | null;
    inline: string | null;
  } | null = null;
  let nextColumn = 0;
  let inValue = false;
  let inInlineText = 0;
  let inPhonetic = 0;
  const finishCell = () => {
    if (!cell || !row) return;
    const done = cell;
    cell = null;
    if (++book.cellsRead > MAX_CELL_ELEMENTS) throw new ZipRefused(said('xlsx_too_many_cells', { cells: MAX_CELL_ELEMENTS }));
    const typed = typedCell(book, done);
    if (!typed) return;
    if (done.column >= MAX_ROW_CELLS || row.cells.filter(Boolean).length >= MAX_ROW_CELLS)
      throw new SheetRowRefused(row.line, said('row_too_many_cells', { cells: MAX_ROW_CELLS }), done.column);
    row.cells[done.column] = typed;
  };
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    switch (name) {
      case 'row': {
        const r = Number(attribute(tag as SaxesTagPlain, 'r'));
        // A row's number as the sheet gives it, within a sheet's bounds; otherwise the next one.
        const line = Number.isInteger(r) && r > lastLine && r <= SHEET_ROWS ? r : lastLine + 1;
        lastLine = line;
        row = { line, cells: [] };
        rowBytes = 0;
        nextColumn = 0;
        if (tag.isSelfClosing) {
          ready.push(row);
          row = null;
        }
        break;
      }
      case 'c': {
        if (!row) break;
        const reference = attribute(tag as SaxesTagPlain, 'r');
        const column = reference ? columnOf(reference) : nextColumn;
        nextColumn = (column < 0 ? nextColumn : column) + 1;
        cell = {
          column: column < 0 ? nextColumn - 1 : column,
          type: attribute(tag as SaxesTagPlain, 't') ?? 'n',
          style: Number(attribute(tag as SaxesTagPlain, 's') ?? 0),
          formula: false,
          value: null,
          inline: null,
        };
        if (tag.isSelfClosing) finishCell();
        break;
      }
      case 'f':
        if (cell) cell.formula = true;
        break;
      case 'v':
        if (cell && !tag.isSelfClosing) {
          inValue = true;
          cell.value ??= '';
        }
        break;
      case 'rPh':
        if (!tag.isSelfClosing) inPhonetic++;
        break;
      case 't':
        if (cell && !tag.isSelfClosing) {
          inInlineText++;
          cell.inline ??= '';
        } else if (cell) cell.inline ??= '';
        break;
      case 'mergeCell': {
        const ref = attribute(tag as SaxesTagPlain, 'ref');
        if (ref && end.merges.length < 1000) end.merges.push(ref);
        break;
      }
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    switch (localName(tag.name)) {
      case 'row':
        if (row) ready.push(row);
        row = null;
        break;
      case 'c':
        finishCell();
        break;
      case 'v':
        inValue = false;
        break;
      case 'rPh':
        inPhonetic--;
        break;
      case 't':
        inInlineText--;
        break;
    }
  });
  const tooLong = (line: number, column: number) =>
    new SheetRowRefused(line, said('row_too_long', { kilobytes: MAX_ROW_BYTES / 1024, inQuotes: false }), column);
  const onText = (text: string) => {
    if (!cell || !row) return;
    rowBytes += text.length;
    if (rowBytes > MAX_ROW_BYTES) throw tooLong(row.line, cell.column);
    if (inValue) cell.value += text;
    else if (inInlineText > 0 && inPhonetic === 0) cell.inline += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('doctype', () => {
    throw new ZipRefused(said('xlsx_damaged'));
  });
  // The rows are taken from the parser a chunk at a time: the generator below yields them.
  // The parser holds text until its next tag: text too long for a row is refused by the feeder,
  // which names the cell that the parser has opened (the text is its value), if any.
  const cellRefusal = () => (row && cell ? tooLong(row.line, cell.column) : undefined);
  const chunks = feedRows(book, sheet, parser, onCompressed, cellRefusal);
  for await (const _ of chunks) {
    while (ready.length > 0) yield ready.shift()!;
  }
  while (ready.length > 0) yield ready.shift()!;
}

/** Feeds a sheet's XML a chunk at a time, pausing after each for the rows it made to be taken. */
async function* feedRows(
  book: Workbook,
  sheet: SheetRef,
  parser: SaxesParser,
  onCompressed: (position: number) => void,
  cellRefusal: () => Error | undefined,
): AsyncGenerator<void> {
  yield* feedChunks(await book.zip.open(sheet.entry, onCompressed), parser, Number.POSITIVE_INFINITY, cellRefusal);
}

/** A stored cell as what it holds; undefined for a cell without a value. */
function typedCell(
  book: Workbook,
  cell: { type: string; style: number; formula: boolean; value: string | null; inline: string | null },
): SheetCell | undefined {
  const { type, value } = cell;
  if (type === 'inlineStr') return cell.inline === null ? undefined : { kind: 'text', text: unescapeOoxml(cell.inline) };
  if (value === null || (value === '' && type !== 'str' && type !== 's')) return cell.formula ? { kind: 'uncached' } : undefined;
  switch (type) {
    case 's': {
      if (value.trim() === '') return cell.formula ? { kind: 'uncached' } : undefined;
      const text = book.sharedStrings[Number(value)];
      if (text === undefined) throw new ZipRefused(said('xlsx_damaged'));
      return { kind: 'text', text };
    }
    case 'str':
      return { kind: 'text', text: unescapeOoxml(value) };
    case 'b':
      return { kind: 'bool', value: value.trim() === '1' || value.trim() === 'true' };
    case 'e':
      return { kind: 'error', text: value.trim() };
    case 'd':
      return { kind: 'iso-date', text: value.trim() };
    default: {
      // A number cell holds a decimal as XML Schema writes one (`-1.5E+3`): not `0x10`, `Infinity` or
      // the other forms that `Number()` would also take.
      const number = DECIMAL.test(value) ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) throw new ZipRefused(said('xlsx_damaged'));
      return { kind: 'number', value: number, date: book.dateStyles[cell.style] ?? false };
    }
  }
}

/** The text of a number cell: a decimal with an optional exponent, nothing else. */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A number as its shortest round-trip decimal, written out in full (`123000`, never `1.23e+5`; `0.0000001`). */
export function plainDecimal(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  const [mantissa, exponent] = text.split(/e/i) as [string, string];
  const negative = mantissa.startsWith('-');
  const bare = negative ? mantissa.slice(1) : mantissa;
  const point = bare.indexOf('.');
  const digits = bare.replace('.', '');
  const at = (point === -1 ? bare.length : point) + Number(exponent);
  const out =
    at <= 0
      ? `0.${'0'.repeat(-at)}${digits}`
      : at >= digits.length
        ? digits + '0'.repeat(at - digits.length)
        : `${digits.slice(0, at)}.${digits.slice(at)}`;
  return (negative ? '-' : '') + out;
}

const DAY_MS = 86_400_000;

/**
 * The day a serial number stands for, `YYYY-MM-DD`, or null when it is no day: in the 1900 system
 * 1 is 1900-01-01, and 60 is the 29 February 1900 that Lotus 1-2-3 counted and Excel keeps (no
 * day); in the 1904 system 0 is 1904-01-01. A time of day (the fraction) is left out.
 */
export function serialDay(serial: number, date1904: boolean): string | null {
  const whole = Math.floor(serial);
  if (!Number.isFinite(whole)) return null;
  let ms: number;
  if (date1904) {
    if (whole < 0) return null;
    ms = Date.UTC(1904, 0, 1) + whole * DAY_MS;
  } else {
    if (whole < 1 || whole === 60) return null;
    ms = Date.UTC(1899, 11, whole < 60 ? 31 : 30) + whole * DAY_MS;
  }
  const day = new Date(ms);
  if (day.getUTCFullYear() > 9999) return null;
  return day.toISOString().slice(0, 10);
}

/** How a column reads a cell: as the text the CSV would hold, or a problem with that cell. */
export type CellReading = { text: string } | { problem: Said };

/**
 * A stored cell as the text a CSV of the same record would hold, read as its column reads it:
 * a day (date cell or serial number) in a date column as `YYYY-MM-DD`; a number elsewhere as its
 * shortest round-trip decimal (the schemas then refuse a third decimal of money or a fraction of
 * a count); text as it is; a boolean as TRUE or FALSE. An error value, a formula without its
 * cached result, or a date cell in a column that takes no date is a problem of that cell.
 */
export function readCell(cell: SheetCell, columnType: string, date1904: boolean): CellReading {
  const dateColumn = columnType === 'date' || columnType === 'optional_date';
  switch (cell.kind) {
    case 'text':
      return { text: cell.text };
    case 'bool':
      return { text: cell.value ? 'TRUE' : 'FALSE' };
    case 'error':
      return { problem: said('xlsx_error_value', { value: cell.text.slice(0, 20) }) };
    case 'uncached':
      return { problem: said('xlsx_formula_without_value') };
    case 'iso-date': {
      if (!dateColumn) return { problem: said('xlsx_date_not_expected') };
      return { text: cell.text.slice(0, 10) };
    }
    case 'number': {
      if (dateColumn) {
        const day = serialDay(cell.value, date1904);
        return day === null ? { problem: said('xlsx_not_a_day', { value: plainDecimal(cell.value), date1904 }) } : { text: day };
      }
      if (cell.date) return { problem: said('xlsx_date_not_expected') };
      return { text: plainDecimal(cell.value) };
    }
  }
}

/** A cell as a header reads it: its text, a number written out. */
export function headerText(cell: SheetCell | undefined): string {
  if (!cell) return '';
  switch (cell.kind) {
    case 'text':
    case 'iso-date':
    case 'error':
      return cell.text;
    case 'number':
      return plainDecimal(cell.value);
    case 'bool':
      return cell.value ? 'TRUE' : 'FALSE';
    case 'uncached':
      return '';
  }
}
