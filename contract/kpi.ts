import { z } from 'zod';
import { MEASURE_IDS } from './measure-ids.js';

/**
 * The answers of the KPI reads (`/aggregate`, `/summary`, `/collaboration`), written once: the
 * server's routes check their handlers against them and document them, the client types its
 * calls with them.
 */

export const UNITS = ['count', 'cny', 'people', 'credits', 'ratio'] as const;
export type Unit = (typeof UNITS)[number];

const MeasureId = z.enum(MEASURE_IDS);
const Span = z.object({ from: z.string(), to: z.string() });
/** A figure of a summary: null where it cannot be said (a ratio over nothing). */
const Figure = z.number().nullable();

export const AggregateAnswerSchema = z.object({
  measures: z.array(MeasureId),
  by: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
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
  /** A ratio's two sums over the period (null for any other measure). */
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
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
});

export type AggregateAnswer = z.output<typeof AggregateAnswerSchema>;
export type MeasureSummary = z.output<typeof MeasureSummarySchema>;
export type SummaryAnswer = z.output<typeof SummaryAnswerSchema>;
export type CollaborationAnswer = z.output<typeof CollaborationAnswerSchema>;
