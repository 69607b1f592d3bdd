/**
 * Spreadsheet safety for text cells. A cell that begins with = + - @ tab, carriage return or NUL
 * is run as a formula by Excel and its kin; such a cell is written with a leading apostrophe.
 * A cell that already begins with apostrophes before such a character gets one more, so that
 * import (which removes exactly one) gives back what was exported.
 */
const FORMULA = /^'*[=+\-@\t\r\0]/;
const ESCAPED = /^'+[=+\-@\t\r\0]/;

export function escapeTextCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

export function unescapeTextCell(value: string): string {
  return ESCAPED.test(value) ? value.slice(1) : value;
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
