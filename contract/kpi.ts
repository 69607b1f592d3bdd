import { z } from 'zod';
import { FIGURE_STATUSES } from './figure-status.js';
import { MEASURE_IDS } from './measure-ids.js';

/** A figure's status (contract/figure-status.ts). */
export const FigureStatusSchema = z.enum(FIGURE_STATUSES).meta({
  description:
    'F: final (every university-period the figure draws on is approved); P: provisional (one is not, or has not ended); R: revised (one was approved and its records changed since).',
});

/**
 * The answers of the KPI reads (`/aggregate`, `/summary`, `/collaboration`), written once: the
 * server's routes check their handlers against them and document them, the client types its
 * calls with them.
 */

export const UNITS = ['count', 'cny', 'people', 'credits', 'ratio'] as const;
export type Unit = (typeof UNITS)[number];

const MeasureId = z.enum(MEASURE_IDS);

/** How far a year's progress stands from the share of the year gone by. */
export const PACE_STATUSES = ['ahead', 'on_pace', 'behind'] as const;
export type PaceStatus = (typeof PACE_STATUSES)[number];
/** Within this many points of the expected share of the target, a measure is on pace. */
export const PACE_TOLERANCE = 0.05;

/**
 * A flow's target accrues over its year: by the period's last day, `expected` of it (the days of
 * the year gone by, that day included, over the year's days). `status`: `on_pace` when the progress
 * is within PACE_TOLERANCE of that, `ahead` above, `behind` below.
 */
export const PaceSchema = z.object({ expected: z.number(), status: z.enum(PACE_STATUSES) });
export type Pace = z.infer<typeof PaceSchema>;

/** The pace of `progress` by `day` (YYYY-MM-DD) of its year. */
export function paceOf(progress: number, day: string): Pace {
  const year = Number(day.slice(0, 4));
  const start = Date.UTC(year, 0, 1);
  const elapsed = (Date.parse(`${day}T00:00:00Z`) - start) / 86_400_000 + 1;
  const expected = elapsed / ((Date.UTC(year + 1, 0, 1) - start) / 86_400_000);
  const status = progress > expected + PACE_TOLERANCE ? 'ahead' : progress < expected - PACE_TOLERANCE ? 'behind' : 'on_pace';
  return { expected, status };
}
const Span = z.object({ from: z.string(), to: z.string() });
/** A figure of a summary: null where it cannot be said (a ratio over nothing). */
const Figure = z.number().nullable();

export const AggregateAnswerSchema = z.object({
  measures: z.array(MeasureId),
  by: z.array(z.string()),
  /**
   * Each row: its dimensions' keys; for each measure its figure, the records behind it and its status
   * (the columns below); and `status`, the least settled of its measures'.
   */
  rows: z.array(z.object({ status: FigureStatusSchema }).catchall(z.union([z.string(), z.number(), z.null()]))),
});

export const MeasureSummarySchema = z.object({
  measure: MeasureId,
  unit: z.enum(UNITS),
  temporality: z.enum(['flow', 'stock']),
  value: Figure,
  records: z.number(),
  previous: Figure,
  /** Relative change against the previous period of the same length; null when that was zero. */
  change: z.number().nullable(),
  yearAgo: Figure,
  yearOnYear: z.number().nullable(),
  /** Year on year over the universities with records in both periods, as the national report compares. */
  panel: z.object({ universities: z.array(z.string()), value: Figure, yearAgo: Figure, change: z.number().nullable() }),
  targetYear: z.number(),
  target: z.number().nullable(),
  yearToDate: Figure,
  /** Year to date ÷ the year's target; null without a comparable target. */
  progress: z.number().nullable(),
  /** Where the year's progress stands against the pace the target asks (flows with a target only; see PaceSchema). */
  pace: PaceSchema.nullable(),
  /** A ratio's two sums over the period (null for any other measure). */
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  /** The status of `value` (and `records`); of `previous`; of `yearAgo` and the panel's; of `yearToDate` and `progress`. */
  status: FigureStatusSchema,
  previousStatus: FigureStatusSchema,
  yearAgoStatus: FigureStatusSchema,
  yearToDateStatus: FigureStatusSchema,
});

export const SummaryAnswerSchema = z.object({
  period: Span,
  previousPeriod: Span,
  yearAgoPeriod: Span,
  yearToDate: Span,
  measures: z.array(MeasureSummarySchema),
});

export const CollaborationAnswerSchema = z.object({
  measure: MeasureId,
  universities: z.array(z.string()),
  partners: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
  withoutPartner: z.array(z.number()),
  totals: z.array(z.number()),
  /** The status of each university's row (in `universities` order): its own university-periods. */
  statuses: z.array(FigureStatusSchema),
  /** The status of the whole matrix. */
  status: FigureStatusSchema,
});

export type AggregateAnswer = z.output<typeof AggregateAnswerSchema>;
export type MeasureSummary = z.output<typeof MeasureSummarySchema>;
export type SummaryAnswer = z.output<typeof SummaryAnswerSchema>;
export type CollaborationAnswer = z.output<typeof CollaborationAnswerSchema>;
