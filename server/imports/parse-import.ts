import { CsvError, parse } from 'csv-parse';
import { unescapeTextCell } from '../csv/cells.js';
import type { FactKind } from '../db/schema.js';
import { Forbidden, PayloadTooLarge, type ProblemDetail, Unprocessable } from '../http/problems.js';
import type { References } from '../kpi/references.js';
import { type ColumnSpec, KIND_COLUMNS } from '../records/record-columns.js';
import { RECORD_SCHEMAS, type RecordValues } from '../records/record-schemas.js';
import { referenceProblems } from '../records/records.service.js';

export const MAX_IMPORT_ROWS = 1_000_000;
/** The 422 lists this many problems at most, with the total. */
export const MAX_REPORTED_ERRORS = 1000;

/** A file that cannot be imported: every bad row's line and column (up to 1000) and how many there are in all. */
export class ImportRejected extends Unprocessable {
  constructor(
    detail: string,
    errors: readonly ProblemDetail[],
    readonly total: number,
  ) {
    super(detail, errors.slice(0, MAX_REPORTED_ERRORS));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errorCount: this.total };
  }
}

export interface ParsedImport {
  rows: RecordValues[];
}

/** What csv-parse's errors mean, said for a person holding a spreadsheet. */
const CSV_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed (a " is missing)',
  INVALID_OPENING_QUOTE: 'a " appears inside a cell that does not start with one; quote the whole cell and double the " inside',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted cell goes on after its closing "; double any " inside the cell',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted cell goes on after its closing "; double any " inside the cell',
};

const normalize = (name: string): string => name.normalize('NFKC').trim().replaceAll(/\s+/g, ' ').toLowerCase();

/** Header cells matched to the kind's columns, by English or Chinese name (case, width and spacing aside). */
function matchHeader(kind: FactKind, header: string[]): { columns: Array<ColumnSpec | null>; problems: ProblemDetail[] } {
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
      problems.push({
        line: 1,
        column: cell,
        message: `unknown column "${cell}"; the columns of ${kind} are ${KIND_COLUMNS[kind].map((c) => c.name).join(', ')}`,
      });
    } else if (seen.has(column.name)) {
      problems.push({ line: 1, column: cell, message: `the column ${column.name} appears twice` });
    } else {
      seen.add(column.name);
    }
    return column;
  });
  for (const column of KIND_COLUMNS[kind]) {
    const optional = column.type === 'optional_code' || column.type === 'optional_date';
    if (!seen.has(column.name) && !optional)
      problems.push({ line: 1, column: column.name, message: `the column ${column.name} (${column.zh}) is missing` });
  }
  if (header.length === 1 && /[;\t|]/.test(header[0] ?? '')) {
    const delimiter = header[0]!.includes(';') ? 'semicolons' : header[0]!.includes('\t') ? 'tabs' : 'vertical bars';
    problems.unshift({
      line: 1,
      message: `the header is separated by ${delimiter}, not commas: save the file as CSV (comma delimited)`,
    });
  }
  return { columns, problems };
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
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

function decodeUtf8(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportRejected(
      'The file is UTF-16, not UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)” and import it again.',
      [{ line: 1, message: 'the file is not UTF-8' }],
      1,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportRejected(
      'The file is not UTF-8 (it may be GBK or Windows-1252). In Excel, save it as “CSV UTF-8 (Comma delimited)” and import it again.',
      [{ line: lineOfFirstInvalidByte(bytes), message: 'the file is not UTF-8' }],
      1,
    );
  }
}

function lineOfFirstInvalidByte(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return 1;
}

/**
 * Parses and checks a whole file: every row with the kind's schema, its codes against the
 * database, a steward's university, duplicate refs. Returns the rows, or throws with every
 * problem found (lines numbered as a spreadsheet shows them, the header being line 1).
 */
export async function parseImport(
  kind: FactKind,
  bytes: Buffer,
  references: References,
  /** A steward's university: rows of any other are refused (403). Null for an administrator. */
  ownUniversity: string | null,
  onProgress: (bytesRead: number) => void = () => undefined,
): Promise<ParsedImport> {
  const text = decodeUtf8(bytes);
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw new ImportRejected(
      'The file is empty.',
      [{ line: 1, message: 'the file is empty: it needs a header and at least one row' }],
      1,
    );

  // A file with far more lines than allowed, and no quotes that could hold line breaks, is refused at once.
  if (!text.includes('"') && countLines(text) > MAX_IMPORT_ROWS + 1) {
    throw new PayloadTooLarge(
      `The file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split it and import the parts one after another.`,
    );
  }
  const parser = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, info: true });
  const problems: ProblemDetail[] = [];
  let problemCount = 0;
  const report = (problem: ProblemDetail) => {
    problemCount++;
    if (problems.length < MAX_REPORTED_ERRORS) problems.push(problem);
  };
  const foreign: ProblemDetail[] = [];
  const rows: RecordValues[] = [];
  const seenRefs = new Map<string, number>();
  let columns: Array<ColumnSpec | null> | undefined;
  let headerWidth = 0;
  let line = 0;
  const own = ownUniversity;

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      line++;
      if (line % 2000 === 0) {
        onProgress(info.bytes);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (!columns) {
        const matched = matchHeader(kind, record);
        if (matched.problems.length > 0)
          throw new ImportRejected(
            'The header does not match the columns of this kind of record.',
            matched.problems,
            matched.problems.length,
          );
        columns = matched.columns;
        headerWidth = record.length;
        continue;
      }
      if (record.length === 1 && record[0]!.trim() === '') continue; // a blank row
      if (line - 1 > MAX_IMPORT_ROWS)
        throw new PayloadTooLarge(
          `The file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split it and import the parts one after another.`,
        );
      if (record.length !== headerWidth) {
        report({ line, message: `the row has ${record.length} cells, the header ${headerWidth}` });
        continue;
      }
      const input: Record<string, unknown> = {};
      columns.forEach((column, index) => {
        if (!column) return;
        const cell = record[index]!;
        input[column.name] = column.type === 'text' ? unescapeTextCell(cell.trim()) : cell;
      });
      for (const column of KIND_COLUMNS[kind]) if (!(column.name in input)) input[column.name] = '';
      const parsed = RECORD_SCHEMAS[kind].safeParse(input);
      const flagged = new Set<string>();
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0] ?? '');
          flagged.add(column);
          report({ line, column, message: issue.message });
        }
      }
      // The codes and the steward's university are checked even on a row with other faults, so
      // that one pass lists everything wrong with the file.
      const codes = parsed.success ? parsed.data : codeCells(kind, input, flagged);
      const referenceIssues = referenceProblems(kind, codes, references).filter((issue) => !flagged.has(issue.path!));
      for (const issue of referenceIssues) report({ line, column: issue.path!, message: issue.message });
      const university = codes.university_code;
      if (own && typeof university === 'string' && university !== own && !flagged.has('university_code')) {
        foreign.push({ line, column: 'university_code', message: `a steward of ${own} may not import records of ${university}` });
        continue;
      }
      if (!parsed.success || referenceIssues.length > 0) continue;
      const values = parsed.data;
      const key = `${values.university_code}\u0000${values.ref}`;
      const first = seenRefs.get(key);
      if (first !== undefined) {
        report({ line, column: 'ref', message: `ref ${values.ref} of ${values.university_code} is also on line ${first}` });
        continue;
      }
      seenRefs.set(key, line);
      rows.push(values);
    }
  } catch (error) {
    if (error instanceof ImportRejected || error instanceof PayloadTooLarge) throw error;
    if (error instanceof CsvError) {
      // The record that could not be read starts on the next spreadsheet line.
      // csv-parse parses ahead of the loop: its own count says which record it was reading.
      const records = (error as CsvError & { records?: number }).records;
      report({
        line: (typeof records === 'number' ? records : line) + 1,
        message: CSV_MESSAGES[error.code] ?? `the CSV cannot be read: ${error.message}`,
      });
      throw new ImportRejected('The file is not valid CSV.', problems, problemCount);
    }
    throw error;
  }
  if (foreign.length > 0) {
    throw new Forbidden(
      `A steward of ${own} may import only its own university's records; ${foreign.length} row(s) belong to another.`,
      foreign.slice(0, MAX_REPORTED_ERRORS),
    );
  }
  if (problemCount > 0)
    throw new ImportRejected(`${problemCount} problem(s) in the file; nothing was imported.`, problems, problemCount);
  if (rows.length === 0)
    throw new ImportRejected(
      'The file has a header but no rows.',
      [{ line: 2, message: 'there are no rows under the header' }],
      1,
    );
  return { rows };
}
