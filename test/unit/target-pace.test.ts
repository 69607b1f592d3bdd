import { describe, expect, it } from 'vitest';
import { PACE_TOLERANCE, paceOf } from '../../contract/kpi.js';

/** The share of its year gone by at the end of `day`, counted here by walking the calendar. */
function shareOfYear(day: string): number {
  const year = Number(day.slice(0, 4));
  let gone = 0;
  let days = 0;
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    days++;
    if (d.toISOString().slice(0, 10) <= day) gone++;
  }
  return gone / days;
}

describe('the pace of a year’s target', () => {
  it.each(['2026-01-01', '2026-06-30', '2026-12-05', '2026-12-31', '2024-02-29', '2024-12-31', '2100-03-01'])(
    'when the period ends on %s, then the expected share is the days of its year gone by',
    (day) => {
      expect(paceOf(0.5, day).expected).toBeCloseTo(shareOfYear(day), 12);
    },
  );

  it('on 5 December 2026, 93% of the year has gone: 81% is behind, 90% on pace, 99% ahead', () => {
    const expected = 339 / 365;
    expect(paceOf(0.81, '2026-12-05')).toEqual({ expected, status: 'behind' });
    expect(paceOf(0.9, '2026-12-05')).toEqual({ expected, status: 'on_pace' });
    expect(paceOf(0.99, '2026-12-05')).toEqual({ expected, status: 'ahead' });
  });

  it('at the edges of the tolerance, the measure is on pace', () => {
    const { expected } = paceOf(0, '2026-07-01');
    expect(paceOf(expected + PACE_TOLERANCE, '2026-07-01').status).toBe('on_pace');
    expect(paceOf(expected - PACE_TOLERANCE, '2026-07-01').status).toBe('on_pace');
    expect(paceOf(expected + PACE_TOLERANCE + 1e-9, '2026-07-01').status).toBe('ahead');
    expect(paceOf(expected - PACE_TOLERANCE - 1e-9, '2026-07-01').status).toBe('behind');
  });
});
