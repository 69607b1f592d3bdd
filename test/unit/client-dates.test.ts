import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setLang } from '../../client/i18n/index.js';
import { formatDay, formatMoment, locale, reportMoment, today } from '../../client/lib/dates.js';

/** The client's one calendar and clock: Shanghai's (UTC+8), whatever the machine's zone. */
describe("the client's dates", () => {
  beforeAll(() => {
    // The interface's language is stored in the browser; Node has no storage.
    const stored = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => stored.set(k, v),
    });
  });
  afterAll(() => vi.unstubAllGlobals());

  it('when it is past 16:00 UTC, then it is already the next day in Shanghai', () => {
    expect(today(new Date('2024-12-31T15:59:59Z'))).toBe('2024-12-31');
    expect(today(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(today(new Date('2024-02-28T16:30:00Z'))).toBe('2024-02-29');
  });

  it('when any moment since 1992 is given, then today agrees with the time-zone database for Asia/Shanghai', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const start = Date.UTC(1992, 0, 1);
    const end = Date.UTC(2040, 0, 1);
    // Every hour boundary around midnight in Shanghai for a few thousand days, and a spread of moments between.
    for (let i = 0; i < 5000; i++) {
      const moment = new Date(start + Math.floor(((end - start) / 5000) * i) + (i % 7) * 3_600_000);
      expect(today(moment), moment.toISOString()).toBe(shanghai.format(moment));
    }
  });

  it('when no moment is given, then today is the current day in Shanghai', () => {
    const before = today(new Date(Date.now() - 1000));
    const now = today();
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect([before, today(new Date(Date.now() + 1000))]).toContain(now);
  });

  it('when the interface is in English or Chinese, then days and moments are written in its locale', () => {
    setLang('en');
    expect(locale()).toBe('en-US');
    expect(formatDay('2024-03-01')).toBe('Mar 1, 2024');
    expect(formatMoment('2024-12-31T09:05:07Z')).toMatch(/^Dec 31, 2024,? 5:05:07\s?PM$/);
    setLang('zh');
    expect(locale()).toBe('zh-CN');
    expect(formatDay('2024-03-01')).toBe('2024年3月1日');
    expect(formatMoment('2024-12-31T09:05:07Z')).toBe('2024年12月31日 17:05:07');
  });

  it('when a moment is late in the UTC day, then it is written on the next Shanghai day', () => {
    setLang('en');
    expect(formatMoment('2024-12-31T20:00:00Z')).toMatch(/^Jan 1, 2025/);
  });

  it('when the printed report writes a moment, then it is Shanghai time in one fixed form in either language', () => {
    for (const lang of ['en', 'zh'] as const) {
      setLang(lang);
      expect(reportMoment('2024-12-31T09:05:00Z')).toBe('2024-12-31 17:05');
      expect(reportMoment('2024-12-31T16:00:00Z')).toBe('2025-01-01 00:00');
      expect(reportMoment('2024-06-30T23:59:59.999+08:00')).toBe('2024-06-30 23:59');
    }
  });
});
