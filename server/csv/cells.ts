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
 * no spreadsheet runs as a formula whatever its sign, so a CSV writes its text as it is. A workbook
 * writes `value` as a numeric cell shown with `format` (an Excel number format, see `numberFormat`);
 * a figure made without them is read from its text.
 */
export class NumberCell {
  constructor(
    readonly text: string,
    readonly value?: number,
    readonly format?: string,
  ) {}
}

export const numberCell = (text: string, value?: number, format?: string): NumberCell => new NumberCell(text, value, format);

/** A calendar day (`2024-06-28`): a CSV writes it as it is, a workbook as a date cell shown `yyyy-mm-dd`. */
export class DateCell {
  constructor(readonly iso: string) {}
}

export const dateCell = (iso: string): DateCell => new DateCell(iso);

/** A cell given to a CSV writer: text (anything a person or the database wrote), a figure, a day, or empty. */
export type CsvCell = string | NumberCell | DateCell | null;

/** What a figure counts, for its number format in a workbook: the measures' units, and a plain count of records. */
export type NumberKind = 'cny' | 'count' | 'people' | 'credits' | 'ratio';

/** The Excel number format of a day. */
export const DATE_FORMAT = 'yyyy-mm-dd';

/**
 * The Excel number format a workbook shows a figure with; the cell holds the exact value whatever
 * it shows (money in yuan, exact to the fen). Raw: as the CSV writes it (two decimals for money,
 * six for a ratio). Formatted: for reading, as `formatted=true` writes the CSV: thousands separators,
 * a ratio as a percentage, and money in 万元 in Chinese. Excel scales by thousands only (`0.00,`),
 * so 万元 moves the decimal mark instead: `0"."0000` shows the yuan rounded to whole yuan with a
 * literal point four digits from the right (12,345,678.90 yuan shows `1234.5679万元`). The point is
 * quoted, not escaped with `!`, which some readers do not take.
 */
export function numberFormat(kind: NumberKind, output: { formatted: boolean; lang: 'en' | 'zh' }): string {
  if (!output.formatted) {
    if (kind === 'cny') return '0.00';
    if (kind === 'ratio') return '0.000000';
    return kind === 'credits' ? 'General' : '0';
  }
  switch (kind) {
    case 'cny':
      return output.lang === 'zh' ? '0"."0000"万元"' : '#,##0.00';
    case 'ratio':
      return '0.00%';
    case 'credits':
      return '#,##0.0';
    default:
      return '#,##0';
  }
}

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
  if (cell instanceof DateCell) return escapeTextCell(cell.iso);
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
  const extension = /\.[a-z]+$/i.exec(fileName)?.[0] ?? '.csv';
  const fallback = ascii.replace(/\.[a-z]+$/i, '').length > 0 ? ascii : `export${extension}`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName).replaceAll(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export const UTF8_BOM = '\uFEFF';
