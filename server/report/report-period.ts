import type { Bilingual } from '../kpi/registry.js';

/**
 * A report's period: a calendar year (`2024`), a half (`2024-H1`) or a quarter (`2024-Q3`),
 * with the periods it is compared with, named once.
 */
import type { PeriodGrain } from '../../contract/report.js';

export type { PeriodGrain };

export interface ReportPeriod {
  key: string;
  grain: PeriodGrain;
  year: number;
  /** 1 for a year, 1–2 for a half, 1–4 for a quarter. */
  index: number;
  from: string;
  to: string;
  label: Bilingual;
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(H[12]|Q[1-4]))?$/;

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The months a period spans, as [first, last] (1–12). */
function months(grain: PeriodGrain, index: number): [number, number] {
  if (grain === 'year') return [1, 12];
  if (grain === 'half') return index === 1 ? [1, 6] : [7, 12];
  return [(index - 1) * 3 + 1, index * 3];
}

function labelOf(grain: PeriodGrain, year: number, index: number): Bilingual {
  if (grain === 'year') return { en: String(year), zh: `${year}年` };
  if (grain === 'half')
    return index === 1 ? { en: `H1 ${year}`, zh: `${year}年上半年` } : { en: `H2 ${year}`, zh: `${year}年下半年` };
  return { en: `Q${index} ${year}`, zh: `${year}年第${'一二三四'[index - 1]}季度` };
}

export function makePeriod(grain: PeriodGrain, year: number, index: number): ReportPeriod {
  const [first, last] = months(grain, index);
  const key = grain === 'year' ? String(year) : `${year}-${grain === 'half' ? 'H' : 'Q'}${index}`;
  return {
    key,
    grain,
    year,
    index,
    from: `${year}-${pad(first)}-01`,
    to: `${year}-${pad(last)}-${pad(lastDay(year, last))}`,
    label: labelOf(grain, year, index),
  };
}

/** Parses `2024`, `2024-H1` or `2024-Q3`; null when the text is none of them. */
export function parsePeriod(text: string): ReportPeriod | null {
  const match = PERIOD_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const part = match[2];
  if (!part) return makePeriod('year', year, 1);
  return makePeriod(part.startsWith('H') ? 'half' : 'quarter', year, Number(part.slice(1)));
}

/** The period before: the previous year; for a half the previous half (H1's is H2 of the year before); for a quarter the previous quarter. */
export function previousOf(period: ReportPeriod): ReportPeriod {
  const count = period.grain === 'year' ? 1 : period.grain === 'half' ? 2 : 4;
  return period.index > 1
    ? makePeriod(period.grain, period.year, period.index - 1)
    : makePeriod(period.grain, period.year - 1, count);
}

/** The same period a year before. */
export function yearAgoOf(period: ReportPeriod): ReportPeriod {
  return makePeriod(period.grain, period.year - 1, period.index);
}

/** A period cut at `to` (when it ends later), its label saying so: the part of it that has passed. */
function cutAt(period: ReportPeriod, to: string): ReportPeriod {
  if (to >= period.to) return period;
  return {
    ...period,
    to,
    label: { en: `${period.label.en}, to ${to}`, zh: `${period.label.zh}（截至${to}）` },
  };
}

/** The same day `months` months before (or after), the day cut to the month's last: 31 May → 30 April. */
function shiftMonths(date: string, months: number): string {
  const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return `${year}-${pad(month)}-${pad(Math.min(Number(date.slice(8, 10)), lastDay(year, month)))}`;
}

/**
 * The spans a report compares, like with like. A period that has ended is compared whole with the
 * period before and the same period a year before. One still running (its figures are to `today`)
 * is compared with the same part of each, day for day on the calendar: 2026 on 5 December with
 * 1 January to 5 December 2025, not all of 2025; the second quarter on 15 May with 1 January to
 * 15 February.
 */
export function comparedSpans(
  period: ReportPeriod,
  today: string,
): { current: ReportPeriod; previous: ReportPeriod; yearAgo: ReportPeriod } {
  const previous = previousOf(period);
  const yearAgo = yearAgoOf(period);
  if (today >= period.to) return { current: period, previous, yearAgo };
  const months = period.grain === 'year' ? 12 : period.grain === 'half' ? 6 : 3;
  return {
    current: cutAt(period, today),
    previous: cutAt(previous, shiftMonths(today, -months)),
    yearAgo: cutAt(yearAgo, shiftMonths(today, -12)),
  };
}
