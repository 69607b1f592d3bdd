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

const MINUTE_IN_ALLIANCE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: ALLIANCE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** A moment as the alliance reads it, to the minute: `2026-03-04 09:30` (Shanghai time, UTC+8). */
export function allianceMinute(at: Date): string {
  return MINUTE_IN_ALLIANCE.format(at);
}

/** A moment as the alliance reads it, zone said: `2026-03-04 09:30 (UTC+8)`. */
export const allianceTime = (at: Date): string => `${allianceMinute(at)} (UTC+8)`;

/** Today's date (YYYY-MM-DD) where the alliance is. */
export function today(now: Date = new Date()): string {
  return DAY_IN_ALLIANCE.format(now);
}

export { FIRST_DATE, isValidIsoDate, LAST_DATE } from '../../contract/text.js';
