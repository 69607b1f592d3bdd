import { z } from 'zod';
import { MEASURE_IDS } from '../measure-ids.js';
import { listParameter } from '../text.js';

const measure = z.enum(MEASURE_IDS, { error: `must be a measure: one of ${MEASURE_IDS.join(', ')}` });
const year = z.coerce
  .number({ error: 'must be a year' })
  .int('must be a year')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');
const universityCode = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{1,15}$/, 'must be a university code')
  .transform((c) => c.toUpperCase());

/** GET /targets: filter by year, measures and universities (`alliance` for the alliance-wide targets). */
export const TargetsQuerySchema = z
  .object({
    year: year.optional(),
    measure: listParameter(measure, MEASURE_IDS.length).optional(),
    university: listParameter(
      z.string().regex(/^([A-Za-z][A-Za-z0-9_]{1,15}|alliance)$/, 'must be a university code or alliance'),
    ).optional(),
  })
  .strict();

/** One target to set; `value` null removes it. The server also refuses a measure that takes no target. */
export const TargetInputSchema = z
  .object({
    measure,
    year: z.number({ error: 'must be a year' }).int('must be a year').min(2000).max(2100),
    university: universityCode.nullable(),
    /** null removes the target. */
    value: z.number({ error: 'must be a number or null' }).min(0, 'must not be negative').max(1e15, 'is too large').nullable(),
  })
  .strict();

export const TargetsBodySchema = z
  .object({ targets: z.array(TargetInputSchema).min(1, 'name at least one target').max(2000, 'at most 2000 at once') })
  .strict();

export const TargetSchema = z.object({
  measure: z.enum(MEASURE_IDS),
  year: z.number(),
  university: z.string().nullable(),
  value: z.number(),
  updatedAt: z.string(),
});
export type Target = z.infer<typeof TargetSchema>;

export const TargetsAnswerSchema = z.object({ targets: z.array(TargetSchema) });
export const TargetsSetSchema = z.object({ set: z.number(), removed: z.number(), unchanged: z.number() });
