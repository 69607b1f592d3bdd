/**
 * Spreadsheet safety for text cells. A cell that begins with = + - @ tab, carriage return or NUL
 * is run as a formula by Excel and its kin; such a cell is written with a leading apostrophe.
 * A cell that already begins with apostrophes before such a character gets one more, so that
 * import (which removes exactly one) gives back what was exported.
 */
const FORMULA = /^'*[=+\-@\t\r\0]/;
const ESCAPED = /^'+[=+\-@\t\r\0]/;

/**
 * The same test for PostgreSQL, which renders the cells of the fast records export itself
 * (`COPY`, exports.ts): the pattern (its text holds no NUL) and the codes of the characters after
 * which it can match, a cheap first test that spares the pattern almost every cell.
 */
export const FORMULA_SQL_PATTERN = "^'*[-=+@\\t\\r]";
export const FORMULA_FIRST_CODES = [39, 61, 43, 45, 64, 9, 13] as const;

export function escapeTextCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

export function unescapeTextCell(value: string): string {
  return ESCAPED.test(value) ? value.slice(1) : value;
}

/**
 * A figure as an export writes it (`1250.50`, `-0.125000`, `1,250.5`, `-12.5%`): a number, which
 * no spreadsheet runs as a formula whatever its sign, so it is written as it is.
 */
export class NumberCell {
  constructor(readonly text: string) {}
}

export const numberCell = (text: string): NumberCell => new NumberCell(text);

/** A cell given to a CSV writer: text (anything a person or the database wrote), a figure, or empty. */
export type CsvCell = string | NumberCell | null;

/** A number as the exports write them, raw or formatted for reading. */
const NUMBER = /^-?\d[\d,]*(\.\d+)?%?$/;

/**
 * The one way every cell of every CSV is written (records, figures, report tables, raw or
 * formatted, over HTTP or from the command line): text escaped, a figure as it is, null empty.
 * A figure that is not a number after all is text, and escaped like text.
 */
export function csvCell(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return escapeTextCell(cell);
  const first = cell.text.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) return cell.text;
  return NUMBER.test(cell.text) ? cell.text : escapeTextCell(cell.text);
}

/** Money as written in a CSV: two decimals, no separators, so Excel reads a number. */
export function moneyCell(value: number): string {
  return value.toFixed(2);
}

/** RFC 5987 / RFC 6266: an ASCII file name for old clients and the UTF-8 one for the rest. */
export function contentDisposition(fileName: string, asciiName: string = fileName): string {
  const ascii = asciiName
    .normalize('NFKD')
    .replaceAll(/[^\x20-\x7e]/g, '')
    .replaceAll(/["\\/;:*?<>|%]+/g, '_')
    .replaceAll(/\s+/g, '_')
    .replaceAll(/_+/g, '_')
    .replace(/^[_.]+/, '');
  const fallback = ascii.replace(/\.csv$/i, '').length > 0 ? ascii : 'export.csv';
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName).replaceAll(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export const UTF8_BOM = '\uFEFF';
