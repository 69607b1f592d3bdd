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

/** A day as a person reads it in the interface's language (1 Mar 2024, 2024年3月1日). */
export function formatDay(iso: string): string {
  const tag = locale();
  return formatter(`day ${tag}`, () => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: ZONE })).format(
    new Date(iso),
  );
}

/** A moment as a person reads it in the interface's language, on the alliance's clock. */
export function formatMoment(iso: string): string {
  const tag = locale();
  return formatter(
    `moment ${tag}`,
    () => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium', timeZone: ZONE }),
  ).format(new Date(iso));
}

/** A day or a moment as a letter is dated, in the locale `tag` on the alliance's calendar (2025年3月1日, 1 March 2025). */
export function letterDate(iso: string, tag: string): string {
  return formatter(
    `letter ${tag}`,
    () => new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long', day: 'numeric', timeZone: ZONE }),
  ).format(new Date(iso));
}

/** A moment as the printed report writes it, whatever the interface's language: 2024-12-31 17:05. */
export function reportMoment(iso: string): string {
  const parts = formatter(
    'report moment',
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: ZONE,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  ).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
