import type { Kysely } from 'kysely';
import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { route } from '../http/route.js';
import { ONCE_VALID } from '../http/text.js';
import { listParameter } from '../kpi/kpi.schemas.js';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { TARGETED_MEASURES } from '../kpi/registry.js';
import { listTargets, setTargets } from './targets.service.js';

const measure = z.enum(MEASURE_IDS, { error: zodSays('measure_one_of', { values: MEASURE_IDS }) });
/** A stock (projects in incubation) is a level, not an output: it has no yearly target. */
const targetedMeasure = z.enum(TARGETED_MEASURES as [string, ...string[]], {
  error: zodSays('targeted_measure_one_of', { values: TARGETED_MEASURES }),
});
const year = z.coerce
  .number({ error: zodSays('year') })
  .int(zodSays('year'))
  .min(2000, zodSays('year_from', { min: 2000 }))
  .max(2100, zodSays('year_to', { max: 2100 }));
const universityCode = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{1,15}$/, zodSays('university_code'))
  .transform((c) => c.toUpperCase());

const TargetsQuerySchema = z
  .object({
    year: year.optional(),
    measure: listParameter(measure, MEASURE_IDS.length).optional(),
    university: listParameter(
      z.string().regex(/^([A-Za-z][A-Za-z0-9_]{1,15}|alliance)$/, zodSays('university_code_or_alliance')),
    ).optional(),
  })
  .strict();

const TargetInput = z
  .object({
    measure: targetedMeasure,
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
      .nullable(),
  })
  .strict();

const TargetsBodySchema = z
  .object({
    targets: z
      .array(TargetInput)
      .min(1, zodSays('no_target'))
      .max(2000, zodSays('at_most_at_once', { max: 2000 })),
  })
  .strict()
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.targets.forEach((t, i) => {
      const key = `${t.measure}|${t.year}|${t.university ?? ''}`;
      const first = seen.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['targets', i], message: zodSays('same_target', { first }) });
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
