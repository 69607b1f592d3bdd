import { z } from 'zod';
import { PERIOD_STATUSES, REPORTING_FREQUENCIES, REPORTING_STEPS } from '../enums.js';
import { FACT_KINDS } from '../enums.js';
import { zodSays } from '../problems.js';
import { REPORTING_PERIOD_PATTERN } from '../reporting-periods.js';
import { IsoDateSchema, singleLine } from '../text.js';
import { CodeSchema } from './universities.js';

/** The path of one university's period: `/cycle/periods/:university/:period` (`2025-Q3`, `2025-07`, `2025`). */
export const PeriodParamsSchema = z.object({
  university: CodeSchema,
  period: z
    .string()
    .regex(REPORTING_PERIOD_PATTERN, zodSays('reporting_period_form'))
    .refine((key) => Number(key.slice(0, 4)) >= 2000 && Number(key.slice(0, 4)) <= 2100, zodSays('reporting_period_form')),
});

/** The path of one university's calendar. */
export const CalendarParamsSchema = z.object({ university: CodeSchema });

/** A comment or a reason: one line, required. */
const Words = singleLine(2000);

/** POST …/submit: an optional note to the reviewers. */
export const SubmitPeriodBodySchema = z.object({ note: Words.optional() }).strict();
/** POST …/approve: nothing to say beside an optional note. */
export const ApprovePeriodBodySchema = z.object({ note: Words.optional() }).strict();
/** POST …/return: what the steward must correct. */
export const ReturnPeriodBodySchema = z.object({ comment: Words }).strict();
/** POST …/reopen: why an approved period is opened again. */
export const ReopenPeriodBodySchema = z.object({ reason: Words }).strict();
/** PUT …/due: the period's own due date; null gives it the calendar's default back. */
export const PeriodDueBodySchema = z.object({ dueOn: IsoDateSchema.nullable() }).strict();

/** PUT /cycle/calendar/:university: how often it reports, and how many days after a period's end it is due. */
export const CalendarBodySchema = z
  .object({
    frequency: z.enum(REPORTING_FREQUENCIES, { error: zodSays('one_of', { values: REPORTING_FREQUENCIES }) }),
    dueDays: z
      .number({ error: zodSays('whole_number_between', { min: 0, max: 366 }) })
      .int(zodSays('whole_number_between', { min: 0, max: 366 }))
      .min(0, zodSays('whole_number_between', { min: 0, max: 366 }))
      .max(366, zodSays('whole_number_between', { min: 0, max: 366 })),
  })
  .strict();

/** GET /cycle/board: the periods of one year (this year by default), of some universities (all a caller may see by default). */
export const BoardQuerySchema = z
  .object({
    year: z
      .string({ error: zodSays('year') })
      .regex(/^\d{4}$/, zodSays('year'))
      .transform(Number)
      .refine((y) => y >= 2000 && y <= 2100, zodSays('year_from', { min: 2000 }))
      .optional(),
    university: CodeSchema.optional(),
  })
  .strict();

/** What a submission froze, per kind: the records dated in the period, their count and the totals of their amounts. */
export const PeriodSummarySchema = z.record(
  z.enum(FACT_KINDS),
  z.object({ records: z.number(), totals: z.record(z.string(), z.number()) }),
);

/** One step of a period's history. */
export const PeriodStepSchema = z.object({
  action: z.enum(REPORTING_STEPS),
  at: z.string(),
  by: z.string().nullable(),
  comment: z.string().nullable(),
});

/** A university's period as the board and the steps answer it. */
export const PeriodStateSchema = z.object({
  university: z.string(),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  dueOn: z.string(),
  status: z.enum(PERIOD_STATUSES),
  /** Past its due date and not submitted (nor approved). */
  late: z.boolean(),
  /** Whether the period has ended: only an ended period may be submitted. */
  ended: z.boolean(),
  /** Records of the university dated in the period, all kinds. */
  records: z.number(),
  submittedAt: z.string().nullable(),
  /** The digest of what the last submission froze. */
  sha256: z.string().nullable(),
  /** The last step, with its comment (a return's, a reopening's reason). */
  lastStep: PeriodStepSchema.nullable(),
});

export const PeriodAnswerSchema = PeriodStateSchema.extend({
  summary: PeriodSummarySchema.nullable(),
  steps: z.array(PeriodStepSchema),
});

export const CalendarSchema = z.object({
  university: z.string(),
  frequency: z.enum(REPORTING_FREQUENCIES),
  dueDays: z.number(),
});

export const BoardAnswerSchema = z.object({
  year: z.number(),
  today: z.string(),
  universities: z.array(CalendarSchema.extend({ periods: z.array(PeriodStateSchema) })),
});

export type PeriodState = z.infer<typeof PeriodStateSchema>;
export type PeriodAnswer = z.infer<typeof PeriodAnswerSchema>;
export type PeriodStep = z.infer<typeof PeriodStepSchema>;
export type PeriodSummary = z.infer<typeof PeriodSummarySchema>;
export type BoardAnswer = z.infer<typeof BoardAnswerSchema>;
export type Calendar = z.infer<typeof CalendarSchema>;

/** GET /cycle/todo: what waits for the caller in the reporting cycle. */
export const TodoAnswerSchema = z.object({
  today: z.string(),
  /**
   * A steward's: its university's ended periods of this year and last year still to submit (not
   * started, in progress, returned or reopened). Null for the other roles.
   */
  toSubmit: z.number().nullable(),
  /** An admin's or leadership's: submitted periods waiting for review, of every university. Null for a steward. */
  toReview: z.number().nullable(),
  /** A steward's next period to submit (the oldest still open, else the one running) and its due date. */
  next: z
    .object({ university: z.string(), period: z.string(), from: z.string(), to: z.string(), dueOn: z.string(), late: z.boolean() })
    .nullable(),
});

/** GET /cycle/closed: the approved periods (closed to changes) that overlap the days `from` to `to`. */
export const ClosedQuerySchema = z
  .object({ from: IsoDateSchema, to: IsoDateSchema })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: zodSays('after_to', { from: q.from, to: q.to }) });
  });

export const ClosedPeriodSchema = z.object({
  university: z.string(),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  approvedAt: z.string(),
  approvedBy: z.string().nullable(),
});

export const ClosedAnswerSchema = z.object({ periods: z.array(ClosedPeriodSchema) });

export type TodoAnswer = z.infer<typeof TodoAnswerSchema>;
export type ClosedPeriod = z.infer<typeof ClosedPeriodSchema>;
