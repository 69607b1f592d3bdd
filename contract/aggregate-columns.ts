import { FIGURE_STATUSES, type FigureStatus } from './figure-status.js';

/*
 * The columns of an aggregate row (`/aggregate`) beside a measure's figure, named once for the
 * server that writes them and the client that reads them (no zod here: the client loads it).
 */

/** The number of records behind a measure's figure, */
export const recordsColumn = (measure: string) => `${measure}:records` as const;
/** its status (F, P, R: the periods its own reading draws on), */
export const statusColumn = (measure: string) => `${measure}:status` as const;
/** and a ratio's two sums. */
export const numeratorColumn = (measure: string) => `${measure}:numerator` as const;
export const denominatorColumn = (measure: string) => `${measure}:denominator` as const;

/** A measure's status in an aggregate row: its own column's, else the row's. */
export function measureStatus(row: { status: FigureStatus; [column: string]: unknown }, measure: string): FigureStatus {
  const own = row[statusColumn(measure)];
  return (FIGURE_STATUSES as readonly unknown[]).includes(own) ? (own as FigureStatus) : row.status;
}

