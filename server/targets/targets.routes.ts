import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { route } from '../http/route.js';
import { ONCE_VALID } from '../http/text.js';
import { listParameter } from '../kpi/kpi.schemas.js';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { TARGETED_MEASURES } from '../kpi/registry.js';
import { listTargets, setTargets } from './targets.service.js';

const measure = z.enum(MEASURE_IDS, { error: `must be a measure: one of ${MEASURE_IDS.join(', ')}` });
/** A stock (projects in incubation) is a level, not an output: it has no yearly target. */
const targetedMeasure = z.enum(TARGETED_MEASURES as [string, ...string[]], {
  error: `must be a measure that takes a target: one of ${TARGETED_MEASURES.join(', ')}`,
});
const year = z.coerce
  .number({ error: 'must be a year' })
  .int('must be a year')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');
const universityCode = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{1,15}$/, 'must be a university code')
  .transform((c) => c.toUpperCase());

const TargetsQuerySchema = z
  .object({
    year: year.optional(),
    measure: listParameter(measure, MEASURE_IDS.length).optional(),
    university: listParameter(
      z.string().regex(/^([A-Za-z][A-Za-z0-9_]{1,15}|alliance)$/, 'must be a university code or alliance'),
    ).optional(),
  })
  .strict();

const TargetInput = z
  .object({
    measure: targetedMeasure,
    year: z.number({ error: 'must be a year' }).int('must be a year').min(2000).max(2100),
    university: universityCode.nullable(),
    /** null removes the target. */
    value: z.number({ error: 'must be a number or null' }).min(0, 'must not be negative').max(1e15, 'is too large').nullable(),
  })
  .strict();

const TargetsBodySchema = z
  .object({ targets: z.array(TargetInput).min(1, 'name at least one target').max(2000, 'at most 2000 at once') })
  .strict()
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.targets.forEach((t, i) => {
      const key = `${t.measure}|${t.year}|${t.university ?? ''}`;
      const first = seen.get(key);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['targets', i], message: `the same target as targets.${first}` });
      else seen.set(key, i);
    });
  }, ONCE_VALID);

const TargetSchema = z.object({
  measure: z.string(),
  year: z.number(),
  university: z.string().nullable(),
  value: z.number(),
  updatedAt: z.string(),
});

export function targetsRoutes(db: Kysely<Database>) {
  return [
    route({
      method: 'get',
      path: '/targets',
      access: 'signed_in',
      cached: true,
      summary:
        'Yearly targets per measure, for a university or alliance-wide (university null); filter by year, measure, university (or alliance).',
      query: TargetsQuerySchema,
      response: z.object({ targets: z.array(TargetSchema) }),
      handle: async ({ query }) => ({ targets: await listTargets(db, query) }),
    }),
    route({
      method: 'put',
      path: '/targets',
      access: ['admin'],
      summary: 'Set targets (value null removes one); all or none are applied, each change audited.',
      body: TargetsBodySchema,
      response: z.object({ set: z.number(), removed: z.number(), unchanged: z.number() }),
      handle: ({ req, body, caller }) => setTargets(db, actorOf(req, caller), caller!.id, body.targets),
    }),
  ];
}
