import { describe, expect, it } from 'vitest';
import { targetWarnings } from '../../contract/target-warnings.js';

const measure = 'credits.credits' as const;

describe('targetWarnings: the universities’ targets above the alliance’s', () => {
  it('when the sum is above the alliance’s, then it warns with both; equal is not above, and no alliance target no warning', () => {
    expect(
      targetWarnings([
        { measure, year: 2025, university: null, value: 10 },
        { measure, year: 2025, university: 'USST', value: 6 },
        { measure, year: 2025, university: 'UJS', value: 4.01 },
        { measure, year: 2024, university: null, value: 10 },
        { measure, year: 2024, university: 'USST', value: 10 },
        { measure: 'talent.trainees', year: 2025, university: 'USST', value: 99 },
      ]),
    ).toEqual([{ measure, year: 2025, sum: 10.01, alliance: 10 }]);
  });

  it('when amounts are summed, then in whole fen: 0.1 + 0.2 is 0.3, and a database’s decimal text is read exactly', () => {
    expect(
      targetWarnings([
        { measure, year: 2025, university: null, value: 0.3 },
        { measure, year: 2025, university: 'USST', value: 0.1 },
        { measure, year: 2025, university: 'UJS', value: 0.2 },
      ]),
    ).toEqual([]);
    // 2⁵³ fen and more: a float would not tell these apart.
    expect(
      targetWarnings([
        { measure, year: 2025, university: null, value: '900000000000000.00' },
        { measure, year: 2025, university: 'USST', value: '899999999999999.99' },
        { measure, year: 2025, university: 'UJS', value: '0.02' },
      ]),
    ).toMatchObject([{ measure, year: 2025 }]);
  });

  it('when several measures and years warn, then by year, then measure', () => {
    const rows = ['talent.trainees', 'credits.credits'].flatMap((m) =>
      [2025, 2024].flatMap((year) => [
        { measure: m as typeof measure, year, university: null, value: 1 },
        { measure: m as typeof measure, year, university: 'USST', value: 2 },
      ]),
    );
    expect(targetWarnings(rows).map((w) => `${w.year} ${w.measure}`)).toEqual([
      '2024 credits.credits',
      '2024 talent.trainees',
      '2025 credits.credits',
      '2025 talent.trainees',
    ]);
  });
});
