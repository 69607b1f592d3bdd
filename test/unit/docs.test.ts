import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MEASURE_LIST } from '../../server/kpi/registry.js';

describe('the API documentation', () => {
  const text = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

  it('when the registry changes, then docs/api.md lists every measure with its unit, temporality and date', () => {
    for (const measure of MEASURE_LIST) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${measure.id}\` |`));
      expect(row, `docs/api.md has no row for ${measure.id}`).toBeDefined();
      expect(row).toContain(`| ${measure.unit} | ${measure.temporality} | \`${measure.dateColumn}\` |`);
    }
  });
});
