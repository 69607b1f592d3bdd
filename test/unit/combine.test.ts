import { describe, expect, it } from 'vitest';
import { additive, combine } from '../../client/lib/combine.js';
import { MEASURES } from '../../server/kpi/registry.js';

const info = (id: keyof typeof MEASURES) => MEASURES[id];

describe('figures combined over rows in the client', () => {
  it('when a flow is combined, then its values are summed to the fen', () => {
    const rows = [{ 'tech_transfer.contract_value': 0.1 }, { 'tech_transfer.contract_value': 0.2 }, undefined];
    expect(combine(info('tech_transfer.contract_value'), rows)).toBe(0.3);
    expect(additive(info('tech_transfer.contract_value'))).toBe(true);
  });

  it('when a ratio is combined, then its sums are divided, never its values summed or averaged', () => {
    const average = info('tech_transfer.average_value');
    const rows = [
      // 100 over 1 contract, 300.01 over 2: the mean of the averages would be 125.0025.
      {
        'tech_transfer.average_value': 100,
        'tech_transfer.average_value:numerator': 100,
        'tech_transfer.average_value:denominator': 1,
      },
      {
        'tech_transfer.average_value': 150.01,
        'tech_transfer.average_value:numerator': 300.01,
        'tech_transfer.average_value:denominator': 2,
      },
    ];
    expect(combine(average, rows)).toBe(133.34);
    expect(combine(average, [])).toBeNull();
    expect(additive(average)).toBe(false);
  });
});
