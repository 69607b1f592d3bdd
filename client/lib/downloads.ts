/**
 * The workbook of a CSV download (`format=xlsx`, the same query): the one place every "Download
 * XLSX" beside a "Download CSV" takes its address from. A workbook has no byte-order mark, and the
 * report's is the whole report, not one table. `forReading`: names for codes and numbers shown in
 * their units (`formatted=true`; the cells stay numbers), for a workbook of figures that nobody
 * imports back; records keep their codes, so that an edited file imports as it is.
 */
export function xlsxOf(csvHref: string, { forReading = false } = {}): string {
  const at = csvHref.indexOf('?');
  const search = new URLSearchParams(at < 0 ? '' : csvHref.slice(at + 1));
  search.set('format', 'xlsx');
  if (forReading) search.set('formatted', 'true');
  search.delete('bom');
  search.delete('table');
  return `${at < 0 ? csvHref : csvHref.slice(0, at)}?${search}`;
}
