import { dayNumber, isoDate } from '../lib/dates.js';
import type { TimeDimension } from './registry.js';

/** The key of the period a date falls in, as the API writes it: 2024, 2024-Q3, 2024-07. */
export function periodKey(dimension: TimeDimension, date: string): number | string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (dimension === 'year') return year;
  if (dimension === 'quarter') return `${year}-Q${Math.ceil(month / 3)}`;
  return date.slice(0, 7);
}

export interface Period {
  /** Keys of the period at each time grain it is described by. */
  year: number;
  quarter: string;
  month: string;
  start: string;
  end: string;
}

/** The periods of one grain that overlap [from, to], in order; each ends no later than `to`. */
export function periodsBetween(grain: TimeDimension, from: string, to: string): Period[] {
  const periods: Period[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  if (grain === 'year') month = 1;
  if (grain === 'quarter') month = Math.floor((month - 1) / 3) * 3 + 1;
  const step = grain === 'year' ? 12 : grain === 'quarter' ? 3 : 1;
  for (;;) {
    const start = `${year}-${String(month).padStart(2, '0')}-01`;
    if (start > to) break;
    const endMonth = month + step - 1;
    const naturalEnd = new Date(Date.UTC(year, endMonth, 0)).toISOString().slice(0, 10);
    periods.push({
      year,
      quarter: `${year}-Q${Math.ceil(month / 3)}`,
      month: start.slice(0, 7),
      start: start < from ? from : start,
      end: naturalEnd > to ? to : naturalEnd,
    });
    month += step;
    if (month > 12) {
      month -= 12;
      year += 1;
    }
  }
  return periods;
}

/** Shifts a date by whole years; 29 February becomes 28 February in a common year. */
export function shiftYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const rest = date.slice(4);
  const candidate = `${year}${rest}`;
  return rest === '-02-29' && new Date(Date.UTC(year, 1, 29)).getUTCMonth() !== 1 ? `${year}-02-28` : candidate;
}

/** The period of the same length that ends the day before `from`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const length = dayNumber(to) - dayNumber(from);
  const previousTo = dayNumber(from) - 1;
  return { from: isoDate(previousTo - length), to: isoDate(previousTo) };
}
