import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { unescapeTextCell } from '../csv/cells.js';
import { FACT_KINDS, type FactKind } from '../db/schema.js';
import type { Said } from '../../contract/problems.js';
import {
  byLine,
  detail,
  Forbidden,
  movedTo,
  PayloadTooLarge,
  type ProblemDetail,
  type ProblemPlace,
  said,
  issueDetail,
  Unprocessable,
} from '../lib/problems.js';
import type { References } from '../kpi/references.js';
import { type ColumnSpec, INPUT_COLUMNS, isOptionalType, KIND_COLUMNS, KIND_NAMES } from '../../contract/record-columns.js';
import { CELL_SCHEMAS, crossRuleProblems, type RecordValues } from '../records/record-schemas.js';
import { referenceProblems } from '../records/records.service.js';
import { MAX_REPORTED_ERRORS, MAX_ROW_BYTES, MAX_ROW_CELLS, RecordBounds, RowOutOfBounds } from '../csv/record-bounds.js';
import { type SpoolFile, SpoolWriter, spoolFile } from '../lib/spool.js';
import { detectReading, EncodingRefused, type Reading, ToUtf8 } from './file-encoding.js';
import type { ImportDelimiter, ImportEncoding, ImportFormat, TextSample } from '../../contract/schemas/records.js';
import { isEncryptedPackage, signatureOf, ZipRefused } from './xlsx-zip.js';
import {
  columnLetters,
  headerText,
  openWorkbook,
  readCell,
  type SheetCell,
  type SheetEnd,
  SheetRowRefused,
  type SheetRow,
  sheetRows,
  type Workbook,
} from './xlsx-workbook.js';

export const MAX_IMPORT_ROWS = 1_000_000;
export { MAX_REPORTED_ERRORS } from '../csv/record-bounds.js';
/**
 * A file this wrong is the wrong file: the check stops counting here, and says so. Without the
 * stop, a file of a million one-character lines is a million problems (the CSV parser makes an
 * error object for each row of the wrong width, the costliest thing it does).
 */
export const MAX_COUNTED_ERRORS = 10_000;
/**
 * Empty rows (blank lines, or rows of empty cells as Excel writes below a table) are passed over,
 * up to this many: each costs the parser what a row costs, so a file of nothing but line ends would
 * otherwise cost seconds per megabyte.
 */
export const MAX_EMPTY_ROWS = 10_000;

/** A file that cannot be imported: every bad row's line and column (up to 1000) and how many there are in all. */
export class ImportRejected extends Unprocessable {
  constructor(
    problem: Said,
    errors: readonly ProblemDetail[],
    readonly total: number,
  ) {
    super(problem, errors.slice(0, MAX_REPORTED_ERRORS));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errorCount: this.total };
  }
}

/**
 * A steward's file refused for rows of another university (403), counting every fault of the file
 * (`errorCount`) as a 422 does: the rows of others and the rest, listed by line.
 */
export class ImportForbidden extends Forbidden {
  constructor(
    problem: Said,
    errors: readonly ProblemDetail[],
    readonly total: number,
  ) {
    super(problem, errors.slice(0, MAX_REPORTED_ERRORS));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errorCount: this.total };
  }
}

/** Of a refused file's list, at most this many lines name rows of another university: the rest is left for the other faults. */
const FOREIGN_LISTED = 100;

/** What csv-parse's errors mean, said for a person holding a spreadsheet. */
const CSV_MESSAGES: Record<string, Said> = {
  CSV_QUOTE_NOT_CLOSED: said('csv_quote_not_closed'),
  INVALID_OPENING_QUOTE: said('csv_quote_inside'),
  CSV_INVALID_CLOSING_QUOTE: said('csv_after_closing_quote'),
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: said('csv_after_closing_quote'),
};

const normalize = (name: string): string => name.normalize('NFKC').trim().replaceAll(/\s+/g, ' ').toLowerCase();

/** What a file refused for its rows' problems says. */
export const problemsInFile = (count: number): Said => said('file_problems', { count });

/** A cell of the file, shown in a message: never more than 60 characters of it. */
const shown = (cell: string): string => (cell.length > 60 ? `${cell.slice(0, 59)}…` : cell);

/** The kind whose columns a header names, when it names no unknown column of that kind. */
function kindOfHeader(header: readonly string[]): FactKind | null {
  const cells = header.map(normalize).filter((cell) => cell !== '');
  return (
    FACT_KINDS.find((kind) => {
      const names = new Set(KIND_COLUMNS[kind].flatMap((c) => [normalize(c.name), normalize(c.zh)]));
      return cells.length > 0 && cells.every((cell) => names.has(cell));
    }) ?? null
  );
}

/** Header cells matched to the kind's columns, by English or Chinese name (case, width and spacing aside). */
function matchHeader(kind: FactKind, header: string[]): { columns: Array<ColumnSpec | null>; problems: ProblemDetail[] } {
  // A header in one cell split by another delimiter: that is the one problem; the rest follows from it.
  if (header.length === 1 && /[;\t|]/.test(header[0] ?? '')) {
    const delimiter = header[0]!.includes(';') ? 'semicolons' : header[0]!.includes('\t') ? 'tabs' : 'vertical bars';
    return {
      columns: [],
      problems: [detail({ line: 1 }, said('header_delimiter', { delimiter }))],
    };
  }
  const byName = new Map<string, ColumnSpec>();
  for (const column of KIND_COLUMNS[kind]) {
    byName.set(normalize(column.name), column);
    byName.set(normalize(column.zh), column);
  }
  const problems: ProblemDetail[] = [];
  const seen = new Set<string>();
  const columns = header.map((cell) => {
    const column = byName.get(normalize(cell)) ?? null;
    if (!column) {
      problems.push(detail({ line: 1, column: shown(cell) }, said('unknown_column', { column: shown(cell) })));
    } else if (seen.has(column.name)) {
      problems.push(detail({ line: 1, column: shown(cell) }, said('column_twice', { column: column.name })));
    } else {
      seen.add(column.name);
    }
    return column;
  });
  // A derived column (an export's received_cny) may be there or not: its cells are not read.
  for (const column of INPUT_COLUMNS[kind]) {
    const optional = isOptionalType(column.type) || column.default !== undefined;
    if (!seen.has(column.name) && !optional)
      problems.push(detail({ line: 1, column: column.name }, said('column_missing', { column: column.name, zh: column.zh })));
  }
  if (problems.length === 0) return { columns, problems };
  // The header of another kind of record: the file was chosen for the wrong kind.
  const other = kindOfHeader(header);
  if (other && other !== kind) {
    return {
      columns,
      problems: [
        detail(
          { line: 1 },
          said('header_of_other_kind', {
            kind,
            kindName: KIND_NAMES[kind].en,
            other,
            otherName: KIND_NAMES[other].en,
            otherNameZh: KIND_NAMES[other].zh,
          }),
        ),
      ],
    };
  }
  problems.push(detail({ line: 1 }, said('columns_of_kind', { kind, columns: INPUT_COLUMNS[kind].map((c) => c.name) })));
  return { columns, problems };
}

/** The code cells of a row that failed its schema, as the codes they would be, for the code checks. */
function codeCells(kind: FactKind, input: Record<string, unknown>, flagged: ReadonlySet<string>): RecordValues {
  const codes: RecordValues = {};
  for (const column of KIND_COLUMNS[kind]) {
    const cell = input[column.name];
    if (!column.domain || flagged.has(column.name) || typeof cell !== 'string' || cell.trim() === '') continue;
    codes[column.name] = cell.trim().toUpperCase();
  }
  return codes;
}

/** How an imported file was read, as the answer states it: a CSV's encoding and delimiter, or a workbook's sheet. */
export interface ImportReading {
  format: ImportFormat;
  encoding: ImportEncoding | null;
  delimiter: ImportDelimiter | null;
  sheet: string | null;
}

const csvReading = (reading: Reading): ImportReading => ({ format: 'csv', ...reading, sheet: null });

/** Rows that passed every check, one JSON array a line (`[line, …values in column order]`), on disk. */
export interface CheckedImport {
  rows: number;
  spool: SpoolFile;
  /** Read-only columns the header names (an export's received_cny): their cells were not read. */
  ignored: string[];
  /**
   * Columns the header leaves out (optional ones only: a file written before they existed). A new
   * record takes their defaults; a stored one keeps its values.
   */
  absent: string[];
  /** How the file was read: a CSV's encoding and delimiter, as detected, or a workbook's sheet. */
  reading: ImportReading;
  /** The first text cell with characters beyond ASCII, as read: where a wrong encoding would show. */
  sample: TextSample | null;
  /**
   * A line's place as the file names it: the line and column, and in a workbook the sheet and cell.
   * Problems found when the rows are applied (duplicates, closed periods, rules across records) say it too.
   */
  placeOf(line: number, column?: string): ProblemPlace;
}

const BEYOND_ASCII = /[^\p{ASCII}]/u;

/** How long the checks run before they let the event loop serve other requests. */
const SLICE_MS = 10;

/** One row of an imported file: its line (a CSV's record, a sheet's row number) and its cells, text or as a workbook stores them. */
interface FileRow {
  line: number;
  cells: ReadonlyArray<string | SheetCell | undefined>;
}

/** The rows of a file, CSV or workbook, as the checks read them. */
interface RowSource {
  rows: AsyncIterable<FileRow>;
  /** Bytes of the file read so far, for progress. */
  bytes(): number;
  /** What a problem of a workbook says of its place besides line and column: the sheet, and the cell of a column. */
  where(line: number, index: number | undefined): { sheet?: string; cell?: string };
  /** A workbook's date system (how a serial number is a day). */
  date1904: boolean;
  /** Problems found once every row is read (a workbook's merged cells), given the header's line. */
  finish(headerLine: number): ProblemDetail[];
  /** An error of the reading as the refusal of the file, with what was found so far; null for one of another kind. */
  refusal(error: unknown, problems: ProblemDetail[], count: number): Error | null;
  stop(): void;
}

/** The refusal of a file with nothing in it (a sheet with nothing in it names its sheet: `where`). */
const fileEmpty = (where: { sheet?: string } = {}): ImportRejected =>
  new ImportRejected(said('file_empty'), [detail({ line: 1, ...where }, said('file_empty_here'))], 1);

/**
 * Finds how the file is to be read, from its bytes: a workbook (`.xlsx`, a zip with the workbook's
 * parts) is read from its first worksheet whose first row with a value is a header of this kind
 * (`xlsx-workbook.ts`); any other file is a CSV, whose encoding and delimiter are found
 * (`detectReading`: a file in none Excel writes is refused there). An old Excel file (`.xls`), an
 * OpenDocument file or a zip that is no workbook is refused saying what it is. Then every row is
 * checked as it streams (until 10,000 problems): the kind's schema, codes that exist, a steward's
 * university. Returns the rows that passed, spooled to disk, or throws with every problem found
 * (up to 1000 listed, lines numbered as a spreadsheet shows them, the header being line 1; a
 * workbook's problems name the sheet and the cell too). Memory stays flat whatever the file: a
 * block of it at a time, the problems listed, nothing per row (a workbook: its shared strings).
 * Duplicate refs are found when the rows are applied (apply-import.ts).
 */
export async function checkImport(
  kind: FactKind,
  source: SpoolFile,
  references: References,
  /** A steward's university: rows of any other are refused (403). Null for an administrator. */
  ownUniversity: string | null,
  onProgress: (bytesRead: number) => void = () => undefined,
  /** Stops the checks (its reason is thrown): the caller went away. */
  signal?: AbortSignal,
  /** Sent as a workbook (.xlsx type or name): read as CSV, it would be refused for reasons that mislead. */
  sentAsWorkbook = false,
): Promise<CheckedImport> {
  const signature = await signatureOf(source.path);
  if (signature === 'ole2') throw fileRefused(said((await isEncryptedPackage(source.path)) ? 'xlsx_encrypted' : 'xlsx_is_xls'));
  if (signature === 'empty') throw fileEmpty();
  if (sentAsWorkbook && signature !== 'zip') throw fileRefused(said('sent_as_xlsx_not_zip'));
  let rows: RowSource;
  let reading: ImportReading;
  if (signature === 'zip') {
    const workbook = await workbookRows(kind, source.path);
    rows = workbook.source;
    reading = { format: 'xlsx', encoding: null, delimiter: null, sheet: workbook.sheet };
  } else {
    let detected: Reading;
    try {
      detected = await detectReading(source.path);
    } catch (error) {
      if (error instanceof EncodingRefused) throw new ImportRejected(error.problem, error.errors, error.errors.length);
      throw error;
    }
    rows = csvRows(source, detected);
    reading = csvReading(detected);
  }
  // From here on the rows are open (a CSV's read stream, a workbook's sheet): whatever ends the
  // check, the caller's leaving included, stops them, or the file stays open until the process ends.
  let out: SpoolWriter | undefined;
  try {
    signal?.throwIfAborted();
    const spool = spoolFile('rows');
    out = new SpoolWriter(spool);
    const ignored: string[] = [];
    const absent: string[] = [];
    const sample: [TextSample | null] = [null];
    const indexOf = new Map<string, number>();
    const count = await checkRows(
      kind,
      rows,
      references,
      ownUniversity,
      onProgress,
      out,
      signal,
      ignored,
      absent,
      sample,
      indexOf,
    );
    await out.close();
    const source = rows;
    const placeOf = (line: number, column?: string): ProblemPlace => ({
      line,
      ...(column ? { column } : {}),
      ...source.where(line, column === undefined ? undefined : indexOf.get(column)),
    });
    return { rows: count, spool, ignored, absent, reading, sample: sample[0], placeOf };
  } catch (error) {
    rows.stop();
    await out?.abandon();
    throw error;
  }
}

/** A file refused as a whole, for what it is: the problem alone, no line. */
const fileRefused = (problem: Said): ImportRejected => new ImportRejected(problem, [], 0);

/** A CSV's records, as UTF-8 whatever it was written in, each bounded before the parser holds it. */
function csvRows(source: SpoolFile, read: Reading): RowSource {
  // The file was read through when its encoding was found: a failure here means it changed since
  // (the command line reads the user's own file).
  const decoder = new ToUtf8(
    read.encoding,
    () => new ImportRejected(said('file_not_utf8', { utf16: false }), [detail({ line: 1 }, said('file_changed_while_read'))], 1),
  );
  const tabs = read.delimiter === 'tab';
  // Line ends as a spreadsheet takes them, mixed in one file too (a header saved with CRLF, rows added with LF).
  const parser = parse({
    bom: true,
    delimiter: tabs ? '\t' : ',',
    relax_column_count: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
  });
  // The pipeline ends every stream, and reports the first failure, whatever fails and whenever.
  const reading = pipeline(
    createReadStream(source.path, { highWaterMark: 4 * 1024 }),
    decoder,
    new RecordBounds(tabs ? 0x09 : 0x2c),
    parser,
  );
  reading.catch(() => undefined); // read through the loop below
  // The header's cells, once read: a row out of bounds names its column by them.
  let header: readonly string[] = [];
  async function* rows(): AsyncGenerator<FileRow> {
    let line = 0;
    for await (const record of parser as AsyncIterable<string[]>) {
      // The first row with a value, as the rows are read (blank lines before it are passed over).
      if (!header.some((cell) => cell.trim() !== '')) header = record;
      yield { line: ++line, cells: record };
    }
    await reading;
  }
  let lastLine = 0;
  return {
    rows: (async function* () {
      for await (const row of rows()) {
        lastLine = row.line;
        yield row;
      }
    })(),
    bytes: () => decoder.bytes,
    where: () => ({}),
    date1904: false,
    finish: () => [],
    stop: () => parser.destroy(),
    refusal(error, problems, count) {
      if (error instanceof RowOutOfBounds) {
        // By its header's name, as every other problem of the file; past the header, by the letters a spreadsheet shows.
        const name = header[error.cell - 1]?.trim();
        problems.push(detail({ line: error.line, column: name ? shown(name) : columnLetters(error.cell - 1) }, error.problem));
        return new ImportRejected(
          said('row_too_large', { kilobytes: MAX_ROW_BYTES / 1024, cells: MAX_ROW_CELLS }),
          problems,
          count + 1,
        );
      }
      if (error instanceof CsvError) {
        // The record that could not be read starts on the next spreadsheet line.
        // csv-parse parses ahead of the loop: its own count says which record it was reading.
        const records = (error as CsvError & { records?: number }).records;
        problems.push(
          detail(
            { line: (typeof records === 'number' ? records : lastLine) + 1 },
            CSV_MESSAGES[error.code] ?? said('csv_unreadable', { reason: error.message }),
          ),
        );
        return new ImportRejected(said('csv_invalid'), problems, count + 1);
      }
      return null;
    },
  };
}

const isBlankCell = (cell: string | SheetCell | undefined): boolean =>
  cell === undefined || (typeof cell === 'string' ? cell.trim() === '' : headerText(cell).trim() === '');

/** A merged range's rows (`B3:C4` → 3 to 4), or null when it is not a range. */
function rangeRows(range: string): { first: number; last: number } | null {
  const match = /^[A-Za-z]{1,3}(\d+)(?::[A-Za-z]{1,3}(\d+))?$/.exec(range);
  if (!match) return null;
  const first = Number(match[1]);
  return { first, last: match[2] === undefined ? first : Number(match[2]) };
}

/**
 * The workbook's rows, from the sheet to read: the first worksheet in tab order (hidden sheets
 * left out) whose first row with a value is a header of this kind. Other sheets (instructions,
 * lists) are not read past their first row. When no sheet has such a header, the file is refused
 * with the first sheet's header problems.
 */
async function workbookRows(kind: FactKind, path: string): Promise<{ source: RowSource; sheet: string }> {
  let book: Workbook;
  try {
    book = await openWorkbook(path);
  } catch (error) {
    if (error instanceof ZipRefused) throw fileRefused(error.problem);
    throw error;
  }
  if (book.sheets.length === 0) throw fileRefused(said('xlsx_no_sheet'));
  let position = 0;
  const onCompressed = (at: number) => {
    position = at;
  };
  let firstRefusal: ImportRejected | null = null;
  for (const sheet of book.sheets) {
    const end: SheetEnd = { merges: [] };
    const rows = sheetRows(book, sheet, end, onCompressed);
    const where = (line: number, index: number | undefined) => ({
      sheet: sheet.name,
      ...(index !== undefined && index >= 0 ? { cell: `${columnLetters(index)}${line}` } : {}),
    });
    let header: SheetRow | null = null;
    let blank = 0;
    try {
      // Read by hand: a `for await` that stops at the header would close the sheet's rows.
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        const row = next.value;
        if (row.cells.every(isBlankCell)) {
          if (++blank > MAX_EMPTY_ROWS)
            throw new ImportRejected(
              said('too_many_empty_rows', { count: MAX_EMPTY_ROWS }),
              [detail({ line: row.line, ...where(row.line, undefined) }, said('empty_rows_by_line', { count: MAX_EMPTY_ROWS }))],
              1,
            );
          continue;
        }
        header = row;
        break;
      }
    } catch (error) {
      await rows.return(undefined);
      if (error instanceof ZipRefused) throw fileRefused(error.problem);
      if (error instanceof SheetRowRefused)
        throw new ImportRejected(
          said('row_too_large', { kilobytes: MAX_ROW_BYTES / 1024, cells: MAX_ROW_CELLS }),
          [detail({ line: error.line, ...where(error.line, error.column) }, error.problem)],
          1,
        );
      throw error;
    }
    if (!header) {
      await rows.return(undefined);
      firstRefusal ??= fileEmpty(where(1, undefined));
      continue;
    }
    const cells = header.cells.map(headerText);
    const matched = matchHeader(kind, [...cells]);
    if (matched.problems.length > 0) {
      await rows.return(undefined);
      const line = header.line;
      firstRefusal ??= new ImportRejected(
        said('header_mismatch'),
        matched.problems.map((problem) => {
          const index = problem.column === undefined ? -1 : cells.findIndex((cell) => shown(cell) === problem.column);
          return { ...problem, line, ...where(line, index === -1 ? undefined : index) };
        }),
        matched.problems.length,
      );
      continue;
    }
    const first = header;
    return {
      sheet: sheet.name,
      source: {
        rows: (async function* () {
          yield first;
          yield* rows;
        })(),
        bytes: () => position,
        where,
        date1904: book.date1904,
        finish: (headerLine) =>
          end.merges.flatMap((range) => {
            const rows = rangeRows(range);
            if (!rows || rows.last < headerLine) return [];
            return [
              detail({ line: Math.max(rows.first, headerLine), sheet: sheet.name, cell: range }, said('xlsx_merged', { range })),
            ];
          }),
        stop: () => void rows.return(undefined).catch(() => undefined),
        refusal(error, problems, count) {
          if (error instanceof ZipRefused) return new ImportRejected(error.problem, problems, count);
          if (error instanceof SheetRowRefused) {
            // By its header's name as well as its cell, as every other problem of a row.
            const name = cells[error.column]?.trim();
            problems.push(
              detail(
                { line: error.line, ...(name ? { column: shown(name) } : {}), ...where(error.line, error.column) },
                error.problem,
              ),
            );
            return new ImportRejected(
              said('row_too_large', { kilobytes: MAX_ROW_BYTES / 1024, cells: MAX_ROW_CELLS }),
              problems,
              count + 1,
            );
          }
          return null;
        },
      },
    };
  }
  throw firstRefusal!;
}

/**
 * Whether a row names the same columns as the header, each cell the same column in either
 * language: the second header row of a template (English names under Chinese labels, or the
 * other way), passed over as a header.
 */
function isSecondHeader(columns: ReadonlyArray<ColumnSpec | null>, cells: readonly string[]): boolean {
  let named = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = normalize(cells[i] ?? '');
    if (cell === '') continue;
    const column = columns[i];
    if (!column || (cell !== normalize(column.name) && cell !== normalize(column.zh))) return false;
    named++;
  }
  return named > 0;
}

async function checkRows(
  kind: FactKind,
  source: RowSource,
  references: References,
  own: string | null,
  onProgress: (bytesRead: number) => void,
  out: SpoolWriter,
  signal: AbortSignal | undefined,
  ignored: string[] = [],
  absent: string[] = [],
  /** Set to the first text cell with characters beyond ASCII. */
  sample: [TextSample | null] = [null],
  /** Filled with each column's cell index in the header, by the column's name. */
  indexOf = new Map<string, number>(),
): Promise<number> {
  const problems: ProblemDetail[] = [];
  let problemCount = 0;
  const foreign: ProblemDetail[] = [];
  let foreignCount = 0;
  /** The 403 for rows of others: the reason the file is refused comes first, whatever else is wrong with it. */
  const refusedForOthers = () =>
    new ImportForbidden(
      said('steward_foreign_file', { own: own ?? '', count: foreignCount }),
      [...foreign, ...problems.slice(0, MAX_REPORTED_ERRORS - foreign.length)].sort(byLine),
      foreignCount + problemCount,
    );
  const report = (problem: ProblemDetail) => {
    problemCount++;
    if (problems.length < MAX_REPORTED_ERRORS) problems.push(problem);
    if (problemCount >= MAX_COUNTED_ERRORS) {
      if (foreignCount > 0) throw refusedForOthers();
      throw new ImportRejected(said('too_many_problems', { count: MAX_COUNTED_ERRORS }), problems, problemCount);
    }
  };
  const specs = INPUT_COLUMNS[kind];
  let columns: Array<ColumnSpec | null> | undefined;
  /** A problem's place: the line and column, and in a workbook the sheet and cell. */
  const at = (line: number, column?: string): ProblemPlace => ({
    line,
    ...(column ? { column } : {}),
    ...source.where(line, column === undefined ? undefined : indexOf.get(column)),
  });
  let headerWidth = 0;
  let headerLine = 0;
  let rows = 0;
  /** Rows under the header, empty ones aside: the million-row cap counts these. */
  let rowsRead = 0;
  let emptyRows = 0;
  let sliceStart = performance.now();
  let sawContent = false;
  /** The row after the header is looked at as a second header row (`isSecondHeader`). */
  let afterHeader = false;
  const sheet = source.where(1, undefined).sheet !== undefined;

  try {
    for await (const { line, cells: record } of source.rows) {
      if (performance.now() - sliceStart > SLICE_MS) {
        onProgress(source.bytes());
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
        sliceStart = performance.now();
      }
      const blankRow = record.every(isBlankCell);
      if (blankRow && ++emptyRows > MAX_EMPTY_ROWS)
        throw new ImportRejected(
          said('too_many_empty_rows', { count: MAX_EMPTY_ROWS }),
          [detail(at(line), said('empty_rows_by_line', { count: MAX_EMPTY_ROWS }))],
          1,
        );
      if (!columns) {
        if (blankRow) continue;
        sawContent = true;
        const header = record.map((cell) => (typeof cell === 'string' ? cell : headerText(cell)));
        const matched = matchHeader(kind, header);
        if (matched.problems.length > 0)
          throw new ImportRejected(said('header_mismatch'), matched.problems, matched.problems.length);
        columns = matched.columns;
        columns.forEach((column, index) => {
          if (column) indexOf.set(column.name, index);
        });
        ignored.push(...columns.flatMap((column) => (column?.derived ? [column.name] : [])));
        const named = new Set(columns.map((column) => column?.name));
        absent.push(...INPUT_COLUMNS[kind].filter((column) => !named.has(column.name)).map((column) => column.name));
        headerWidth = record.length;
        headerLine = line;
        afterHeader = true;
        continue;
      }
      const second = afterHeader && line === headerLine + 1;
      afterHeader = false;
      if (blankRow) continue;
      if (
        second &&
        isSecondHeader(
          columns,
          record.map((cell) => (typeof cell === 'string' ? cell : headerText(cell))),
        )
      )
        continue;
      if (++rowsRead > MAX_IMPORT_ROWS) throw tooManyRows();
      // A workbook stores no empty cell at a row's end: a row may be shorter than its header, not wider.
      if (sheet ? record.length > headerWidth : record.length !== headerWidth) {
        report(detail(at(line), said('row_width', { cells: record.length, header: headerWidth })));
        continue;
      }
      const input: Record<string, unknown> = {};
      const flagged = new Set<string>();
      columns.forEach((column, index) => {
        if (!column || column.derived) return;
        const stored = record[index];
        let cell: string;
        if (stored === undefined) cell = '';
        else if (typeof stored === 'string') cell = stored;
        else {
          const read = readCell(stored, column.type, source.date1904);
          if ('problem' in read) {
            flagged.add(column.name);
            report(detail(at(line, column.name), read.problem));
            return;
          }
          cell = read.text;
        }
        // A CSV's text cell starting with an apostrophe before = + - @ is our exports' defusing of a
        // formula: one apostrophe is taken off. A workbook's text cell is text as it stands (a
        // workbook writes it as a string, never a formula; Excel keeps a typed apostrophe out of the value).
        input[column.name] =
          column.type === 'text' ? (typeof stored === 'string' ? unescapeTextCell(cell.trim()) : cell.trim()) : cell;
        if (!sample[0] && column.type === 'text' && BEYOND_ASCII.test(cell))
          sample[0] = { line, column: column.name, text: shown(String(input[column.name])) };
      });
      for (const column of specs) if (!(column.name in input)) input[column.name] = '';
      const cells = CELL_SCHEMAS[kind].safeParse(input);
      if (!cells.success) {
        for (const issue of cells.error.issues) {
          const column = String(issue.path[0] ?? '');
          if (flagged.has(column)) continue;
          flagged.add(column);
          report(issueDetail(at(line, column), issue.message));
        }
      } else if (flagged.size === 0) {
        // The rules that read a column the file leaves out wait for the stored value (`stagedRowRules`).
        for (const issue of crossRuleProblems(kind, cells.data, { notReading: absent })) {
          flagged.add(issue.path);
          report(movedTo(at(line, issue.path), issue));
        }
      }
      const parsed = cells.success && flagged.size === 0 ? cells : { success: false as const };
      // The codes and the steward's university are checked even on a row with other faults, so
      // that one pass lists everything wrong with the file.
      const codes = parsed.success ? parsed.data : codeCells(kind, input, flagged);
      const referenceIssues = referenceProblems(kind, codes, references).filter((issue) => !flagged.has(issue.path!));
      for (const issue of referenceIssues) report(movedTo(at(line, issue.path!), issue));
      const university = codes.university_code;
      const unknown = referenceIssues.some((issue) => issue.path === 'university_code');
      if (own && typeof university === 'string' && university !== own && !flagged.has('university_code') && !unknown) {
        foreignCount++;
        if (foreign.length < FOREIGN_LISTED)
          foreign.push(detail(at(line, 'university_code'), said('steward_foreign_row', { own, university })));
        continue;
      }
      if (!parsed.success || referenceIssues.length > 0 || problemCount > 0) continue;
      const values = parsed.data;
      await out.line(JSON.stringify([line, ...specs.map((spec) => values[spec.name] ?? null)]));
      rows++;
    }
    if (columns) for (const problem of source.finish(headerLine)) report(problem);
  } catch (error) {
    source.stop();
    if (error instanceof ImportRejected || error instanceof ImportForbidden || error instanceof PayloadTooLarge) throw error;
    const refusal = source.refusal(error, problems, problemCount);
    if (refusal) throw refusal;
    throw error;
  }
  onProgress(source.bytes());
  if (!sawContent) throw fileEmpty();
  if (foreignCount > 0) throw refusedForOthers();
  if (problemCount > 0) throw new ImportRejected(problemsInFile(problemCount), problems, problemCount);
  if (rows === 0) throw new ImportRejected(said('no_rows'), [detail(at(headerLine + 1), said('no_rows_here'))], 1);
  return rows;
}

function tooManyRows(): PayloadTooLarge {
  return new PayloadTooLarge(said('too_many_rows', { max: MAX_IMPORT_ROWS }));
}
