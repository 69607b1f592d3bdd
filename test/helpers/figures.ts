import { expect } from 'vitest';
import { FIGURE_STATUSES } from '../../contract/figure-status.js';

/**
 * The figures of an answer's rows, each row's statuses (`status`, and `<measure>:status` of an
 * aggregate row) checked to be one (`F`, `P`, `R`) and left out: tests of what a figure counts
 * compare these; what its status is, is checked against its own oracle in figure-status.test.ts.
 */
export function figuresOf<T extends Record<string, unknown>>(rows: readonly T[]): Array<Omit<T, 'status'>> {
  return rows.map((row) => {
    const figures: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column === 'status' || column.endsWith(':status')) expect(FIGURE_STATUSES, column).toContain(value);
      else figures[column] = value;
    }
    return figures as Omit<T, 'status'>;
  });
}
