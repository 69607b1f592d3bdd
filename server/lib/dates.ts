/** Calendar arithmetic on ISO dates in UTC, by whole days since 1970-01-01. */

const DAY_MS = 86_400_000;

export function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The alliance works in China Standard Time: its "today" turns at midnight in Shanghai, not in UTC. */
export const ALLIANCE_TIME_ZONE = 'Asia/Shanghai';
const DAY_IN_ALLIANCE = new Intl.DateTimeFormat('en-CA', {
  timeZone: ALLIANCE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date (YYYY-MM-DD) where the alliance is. */
export function today(now: Date = new Date()): string {
  return DAY_IN_ALLIANCE.format(now);
}

/** The earliest and latest dates a record or a query may name. */
export const FIRST_DATE = '1949-10-01';
export const LAST_DATE = '2100-12-31';

/** True for a real calendar date written `YYYY-MM-DD` (no 2023-02-30). */
export function isValidIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
}
