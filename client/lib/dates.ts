import { parseReportingPeriod } from '../../contract/reporting-periods';
import { lang } from '../i18n';

/**
 * The alliance's calendar and clock: every date and time the client shows or defaults to is
 * Shanghai's (UTC+8), as the server counts them. The one place the client reads the clock.
 */
const ZONE = 'Asia/Shanghai';

/** The locale the interface's numbers and dates are written in. */
export const locale = (): string => (lang() === 'zh' ? 'zh-CN' : 'en-US');

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
/**
 * One formatter per kind and locale, made once: making one costs about a millisecond (far more on
 * a slow phone), and a view formats hundreds of figures and dates on each render.
 */
export function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let made = formatters.get(key) as T | undefined;
  if (!made) formatters.set(key, (made = make()));
  return made;
}

/** Shanghai's offset from UTC: eight hours, with no summer time since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * Today in Shanghai, as YYYY-MM-DD: the latest date a record may carry, the end of "to date". By
 * the fixed offset rather than the time-zone database, whose first use costs a slow phone a
 * tenth of a second on the first screen.
 */
export function today(now: Date = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** This year in Shanghai. */
export const thisYear = (): number => Number(today().slice(0, 4));

/** A formatter of days or moments on the alliance's calendar, in the locale `tag`. */
const dateFormat = (kind: string, tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  formatter(`${kind} ${tag}`, () => new Intl.DateTimeFormat(tag, { ...options, timeZone: ZONE }));

/** A day as a person reads it in the interface's language (1 Mar 2024, 2024年3月1日). */
export const formatDay = (iso: string): string => dateFormat('day', locale(), { dateStyle: 'medium' }).format(new Date(iso));

/** A moment as a person reads it in the interface's language, on the alliance's clock. */
export const formatMoment = (iso: string): string =>
  dateFormat('moment', locale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));

/** A day or a moment as a letter is dated, in the locale `tag` on the alliance's calendar (2025年3月1日, 1 March 2025). */
export const letterDate = (iso: string, tag: string): string =>
  dateFormat('letter', tag, { year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));

/** A moment as the printed report writes it, whatever the interface's language: 2024-12-31 17:05. */
export function reportMoment(iso: string): string {
  const parts = dateFormat('report', 'en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The earliest day a filter takes: the founding of the records' era. */
export const EARLIEST_DAY = '1949-10-01';

/** The day the alliance's framework agreement was signed; "since the agreement" starts here. */
export const AGREEMENT_DAY = '2019-10-25';

/** A real calendar day (not 2024-02-30) from the earliest day to `latest`; else null. */
export function validDay(value: string | null, latest: string): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) return null;
  return value >= EARLIEST_DAY && value <= latest ? value : null;
}

/** The days a period key covers: 2024, 2024-Q3, 2024-07 (the reporting calendar's), or a report's half, 2024-H1. */
export function periodRange(key: string | number): { from: string; to: string } {
  const text = String(key);
  const half = /^(\d{4})-H([12])$/.exec(text);
  if (half)
    return half[2] === '1'
      ? { from: `${half[1]}-01-01`, to: `${half[1]}-06-30` }
      : { from: `${half[1]}-07-01`, to: `${half[1]}-12-31` };
  const { from, to } = parseReportingPeriod(text) ?? { from: `${text}-01-01`, to: `${text}-12-31` };
  return { from, to };
}

/** A report's period: a year (2024), a half (2024-H1) or a quarter (2024-Q3). */
export const REPORT_PERIOD = /^\d{4}(-(H[12]|Q[1-4]))?$/;
/** The agreement's year: the first that a report, the reporting board and the targets cover. */
export const AGREEMENT_YEAR = Number(AGREEMENT_DAY.slice(0, 4));

/**
 * The report period that holds the days from `from` to `to`: the quarter when they lie in one, else
 * the half, else the year (a chosen year is its report, a month its quarter). None for days that
 * span years, come before the first report or after `end` (today), or are not days.
 */
export function reportPeriodOf(from: string, to: string, end = today()): string | undefined {
  if (!validDay(from, end) || !validDay(to, '9999-12-31') || from > to) return undefined;
  const year = from.slice(0, 4);
  if (to.slice(0, 4) !== year || Number(year) < AGREEMENT_YEAR) return undefined;
  const [first, last] = [Number(from.slice(5, 7)), Number(to.slice(5, 7))];
  if (Math.ceil(first / 3) === Math.ceil(last / 3)) return `${year}-Q${Math.ceil(first / 3)}`;
  if (Math.ceil(first / 6) === Math.ceil(last / 6)) return `${year}-H${Math.ceil(first / 6)}`;
  return year;
}
