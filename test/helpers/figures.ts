import { expect } from 'vitest';
import { FIGURE_STATUSES } from '../../contract/figure-status.js';

/**
 * The figures of an answer's rows, each row's status (`F`, `P`, `R`) checked to be one and left out:
 * tests of what a figure counts compare these; what its status is, is checked against its own oracle
 * in figure-status.test.ts.
 */
export function figuresOf<T extends Record<string, unknown>>(rows: readonly T[]): Array<Omit<T, 'status'>> {
  return rows.map(({ status, ...figures }) => {
    expect(FIGURE_STATUSES).toContain(status);
    return figures;
  });
}
