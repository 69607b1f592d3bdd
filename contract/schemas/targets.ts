import { z } from 'zod';
import { zodSays } from '../problems.js';
import { MEASURE_IDS } from '../measure-ids.js';
import { listParameter } from '../text.js';
import type { TargetWarning } from '../target-warnings.js';

const measure = z.enum(MEASURE_IDS, { error: zodSays('measure_one_of', { values: MEASURE_IDS }) });
const year = z.coerce
  .number({ error: zodSays('year') })
  .int(zodSays('year'))
  .min(2000, zodSays('year_from', { min: 2000 }))
  .max(2100, zodSays('year_to', { max: 2100 }));
const universityCode = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{1,15}$/, zodSays('university_code'))
  .transform((c) => c.toUpperCase());

/** GET /targets: filter by year, measures and universities (`alliance` for the alliance-wide targets). */
export const TargetsQuerySchema = z
  .object({
    year: year.optional(),
    measure: listParameter(measure, MEASURE_IDS.length).optional(),
    university: listParameter(
      z.string().regex(/^([A-Za-z][A-Za-z0-9_]{1,15}|alliance)$/, zodSays('university_code_or_alliance')),
    ).optional(),
  })
  .strict();

/** One target to set; `value` null removes it. The server also refuses a measure that takes no target. */
export const TargetInputSchema = z
  .object({
    measure,
    year: z
      .number({ error: zodSays('year') })
      .int(zodSays('year'))
      .min(2000, zodSays('year_from', { min: 2000 }))
      .max(2100, zodSays('year_to', { max: 2100 })),
    university: universityCode.nullable(),
    /** null removes the target. */
    value: z
      .number({ error: zodSays('number_or_null') })
      .min(0, zodSays('not_negative'))
      .max(1e15, zodSays('too_large'))
      // Kept to the fen, as the database keeps it: a value it would round is refused, never rounded in silence.
      .refine((value) => /^\d+(\.\d{1,2})?$/.test(String(value)), zodSays('max_decimals', { decimals: 2 }))
      .nullable(),
  })
  .strict();

export const TargetsBodySchema = z
  .object({
    targets: z
      .array(TargetInputSchema)
      .min(1, zodSays('no_target'))
      .max(2000, zodSays('at_most_at_once', { max: 2000 })),
  })
  .strict();

export const TargetSchema = z.object({
  measure: z.enum(MEASURE_IDS),
  year: z.number(),
  university: z.string().nullable(),
  value: z.number(),
  updatedAt: z.string(),
});
export type Target = z.infer<typeof TargetSchema>;

/**
 * A measure and year whose universities' targets add up to more than the alliance-wide target:
 * said, not refused (the targets are saved as they are). `sum` is the universities' targets
 * summed, `alliance` the alliance's own; worked out by `targetWarnings` (contract/target-warnings.ts).
 */
export const TargetWarningSchema = z.object({
  measure: z.enum(MEASURE_IDS),
  year: z.number(),
  sum: z.number(),
  alliance: z.number(),
}) satisfies z.ZodType<TargetWarning>;
export type { TargetWarning };

/** The targets asked for, and the warnings of the measures and years asked for (whatever universities were). */
export const TargetsAnswerSchema = z.object({ targets: z.array(TargetSchema), warnings: z.array(TargetWarningSchema) });
/** What a PUT did, and the warnings of the measures and years it named, as they stand after it. */
export const TargetsSetSchema = z.object({
  set: z.number(),
  removed: z.number(),
  unchanged: z.number(),
  warnings: z.array(TargetWarningSchema),
});
