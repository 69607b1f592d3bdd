/** Calendar days as the API writes them (YYYY-MM-DD), shared by the server's periods and the client's. */

/** The last day (28–31) of a month (1–12) of a year. */
export const lastDayOf = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Shifts a date by whole years. The last day of a month stays the last day of its month, so
 * February a year before a leap-year February keeps its 29th (and 29 February becomes the 28th).
 */
export function shiftYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const target = year + years;
  const shiftedDay = day === lastDayOf(year, month) ? lastDayOf(target, month) : Math.min(day, lastDayOf(target, month));
  return `${String(target).padStart(4, '0')}-${date.slice(5, 7)}-${String(shiftedDay).padStart(2, '0')}`;
}
