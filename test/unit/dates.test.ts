import { describe, expect, it } from 'vitest';
import { dayNumber, isoDate, isValidIsoDate } from '../../server/lib/dates.js';

describe('calendar dates', () => {
  it('when converting to day numbers and back, then the date is unchanged', () => {
    for (const date of ['1970-01-01', '2019-10-25', '2024-02-29', '2024-12-31', '2025-01-01']) {
      expect(isoDate(dayNumber(date))).toBe(date);
    }
    expect(dayNumber('2025-01-01') - dayNumber('2024-12-31')).toBe(1);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '24-01-01', '2024-1-1', '', '2024-01-01T00:00:00Z'])(
    'when the date is %j, then it is not valid',
    (value) => expect(isValidIsoDate(value)).toBe(false),
  );

  it('when the date is real, then it is valid', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
  });
});
