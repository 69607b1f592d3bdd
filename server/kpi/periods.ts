import { lastDayOf, shiftYears } from '../../contract/days.js';
import { dayNumber, isoDate } from '../lib/dates.js';

export { shiftYears };
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
    const start = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
    if (start > to) break;
    const endMonth = month + step - 1;
    const naturalEnd = new Date(Date.UTC(year, endMonth, 0)).toISOString().slice(0, 10);
    periods.push({
      year,
      quarter: `${String(year).padStart(4, '0')}-Q${Math.ceil(month / 3)}`,
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

/**
 * The period to compare a period with: the one of the same length that ends the day before
 * `from`. Whole calendar months stay whole months (the previous quarter of Q3 is Q2, though Q3
 * has a day more); a year to date (1 January to a day before the year's end) is compared with the
 * same span of the year before, as a year's seasons are; other spans are counted in days.
 */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  if (fd === 1 && td === lastDayOf(ty, tm)) {
    const months = (ty - fy) * 12 + (tm - fm) + 1;
    const start = fy * 12 + fm - 1 - months;
    const end = fy * 12 + fm - 2;
    const startYear = Math.floor(start / 12);
    const endYear = Math.floor(end / 12);
    const pad = (n: number) => String(n).padStart(2, '0');
    return {
      from: `${String(startYear).padStart(4, '0')}-${pad((start % 12) + 1)}-01`,
      to: `${String(endYear).padStart(4, '0')}-${pad((end % 12) + 1)}-${pad(lastDayOf(endYear, (end % 12) + 1))}`,
    };
  }
  if (fm === 1 && fd === 1 && ty === fy) return { from: shiftYears(from, -1), to: shiftYears(to, -1) };
  const length = dayNumber(to) - dayNumber(from);
  const previousTo = dayNumber(from) - 1;
  return { from: isoDate(previousTo - length), to: isoDate(previousTo) };
}
