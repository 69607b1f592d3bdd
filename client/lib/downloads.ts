/**
 * The workbook of a CSV download (`format=xlsx`, the same query): the one place every "Download
 * XLSX" beside a "Download CSV" takes its address from. A workbook has no byte-order mark, and the
 * report's is the whole report, not one table.
 */
export function xlsxOf(csvHref: string): string {
  const at = csvHref.indexOf('?');
  const search = new URLSearchParams(at < 0 ? '' : csvHref.slice(at + 1));
  search.set('format', 'xlsx');
  search.delete('bom');
  search.delete('table');
  return `${at < 0 ? csvHref : csvHref.slice(0, at)}?${search}`;
}
