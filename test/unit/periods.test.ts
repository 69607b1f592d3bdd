import { describe, expect, it } from 'vitest';
import { today } from '../../server/lib/dates.js';
import { periodKey, periodsBetween, previousPeriod, shiftYears } from '../../server/kpi/periods.js';

describe('periods', () => {
  it.each([
    ['2025-02-28', -1, '2024-02-29'],
    ['2024-02-29', -1, '2023-02-28'],
    ['2024-02-28', -1, '2023-02-28'],
    ['2025-03-31', -1, '2024-03-31'],
    ['2025-01-01', -1, '2024-01-01'],
    ['2024-06-15', -1, '2023-06-15'],
  ])('when %s is shifted by %i year, then it is %s (a month end stays a month end)', (date, years, expected) => {
    expect(shiftYears(date, years)).toBe(expected);
  });

  it('when a period is given, then the previous one has the same length and ends the day before', () => {
    expect(previousPeriod('2024-07-01', '2024-09-30')).toEqual({ from: '2024-04-01', to: '2024-06-30' });
    expect(previousPeriod('2024-03-01', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(previousPeriod('2025-01-01', '2025-12-31')).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(previousPeriod('2025-01-01', '2025-03-31')).toEqual({ from: '2024-10-01', to: '2024-12-31' });
    expect(previousPeriod('2024-01-10', '2024-01-19')).toEqual({ from: '2023-12-31', to: '2024-01-09' });
    expect(previousPeriod('2025-12-25', '2026-01-03')).toEqual({ from: '2025-12-15', to: '2025-12-24' });
  });

  it('when a period is a year to date, then the previous one is the same span of the year before', () => {
    expect(previousPeriod('2026-01-01', '2026-12-05')).toEqual({ from: '2025-01-01', to: '2025-12-05' });
    expect(previousPeriod('2025-01-01', '2025-03-15')).toEqual({ from: '2024-01-01', to: '2024-03-15' });
    expect(previousPeriod('2025-01-01', '2025-01-01')).toEqual({ from: '2024-01-01', to: '2024-01-01' });
    // 29 February's year to date ends a year before on the 28th, the month's end.
    expect(previousPeriod('2024-01-01', '2024-02-28')).toEqual({ from: '2023-01-01', to: '2023-02-28' });
    // Whole months stay whole months: January to February is compared with November and December.
    expect(previousPeriod('2024-01-01', '2024-02-29')).toEqual({ from: '2023-11-01', to: '2023-12-31' });
  });

  it('when dates sit on boundaries, then the keys are right', () => {
    expect(periodKey('quarter', '2024-03-31')).toBe('2024-Q1');
    expect(periodKey('quarter', '2024-04-01')).toBe('2024-Q2');
    expect(periodKey('year', '2024-12-31')).toBe(2024);
    expect(periodKey('month', '2025-01-01')).toBe('2025-01');
  });

  it('when periods are listed, then each is clipped to the range', () => {
    expect(periodsBetween('quarter', '2024-02-15', '2024-07-10').map((p) => [p.quarter, p.start, p.end])).toEqual([
      ['2024-Q1', '2024-02-15', '2024-03-31'],
      ['2024-Q2', '2024-04-01', '2024-06-30'],
      ['2024-Q3', '2024-07-01', '2024-07-10'],
    ]);
  });
});

describe("the alliance's today", () => {
  it('when it is 23:30 UTC, then in Shanghai it is already the next day', () => {
    expect(today(new Date('2024-12-31T23:30:00Z'))).toBe('2025-01-01');
    expect(today(new Date('2024-12-31T15:59:59Z'))).toBe('2024-12-31');
  });
});
