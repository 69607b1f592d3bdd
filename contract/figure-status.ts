/**
 * The status of a figure, written once for the server and the client (its schema is in kpi.ts:
 * this module holds no zod, so that the client loads it at no cost to its bundle). A figure draws on
 * university-periods (docs/reporting-cycle.md, "Status of figures"): it is final (`F`) when every one
 * of them is approved, revised (`R`) when one of them was approved and has changed since, else
 * provisional (`P`). `R` outranks `P`, which outranks `F`: a total is as settled as its least settled part.
 */
export const FIGURE_STATUSES = ['F', 'P', 'R'] as const;
export type FigureStatus = (typeof FIGURE_STATUSES)[number];

/** Each status's name and the mark shown beside a figure (a symbol, never colour alone). */
export const FIGURE_STATUS_LABELS: Record<FigureStatus, { en: string; zh: string; symbol: string }> = {
  F: { en: 'Final', zh: '最终', symbol: '✓' },
  P: { en: 'Provisional', zh: '初步', symbol: '◐' },
  R: { en: 'Revised', zh: '已修订', symbol: '↺' },
};

const RANK: Record<FigureStatus, number> = { F: 0, P: 1, R: 2 };

/** The less settled of two statuses (R over P over F). */
export const worseStatus = (a: FigureStatus, b: FigureStatus): FigureStatus => (RANK[b] > RANK[a] ? b : a);

/** The status of a figure made of parts: the least settled of theirs; final when there are none. */
export const statusOfAll = (statuses: Iterable<FigureStatus>): FigureStatus => {
  let status: FigureStatus = 'F';
  for (const s of statuses) status = worseStatus(status, s);
  return status;
};
