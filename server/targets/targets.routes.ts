import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { Database } from '../db/schema.js';
import { BadRequest } from '../lib/problems.js';
import { route } from '../http/route.js';
import { ONCE_VALID } from '../http/text.js';
import { listParameter } from '../kpi/kpi.schemas.js';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { TARGETED_MEASURES } from '../kpi/registry.js';
import { loadReferences } from '../kpi/references.js';

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
      async handle({ query }) {
        const universities = query.university?.filter((u) => u !== 'alliance').map((u) => u.toUpperCase());
        const known = (await loadReferences(db)).universities;
        const unknown = (universities ?? []).filter((u) => !known.includes(u));
        if (unknown.length > 0) {
          throw new BadRequest(
            'The query names universities that do not exist.',
            unknown.map((u) => ({
              path: 'query.university',
              message: `unknown code ${u}; known: ${known.join(', ')}, alliance`,
            })),
          );
        }
        const alliance = query.university?.includes('alliance');
        const rows = await db
          .selectFrom('target')
          .selectAll()
          .$if(query.year !== undefined, (q) => q.where('year', '=', query.year!))
          .$if((query.measure?.length ?? 0) > 0, (q) => q.where('measure', 'in', query.measure!))
          .$if(query.university !== undefined, (q) =>
            q.where((eb) =>
              eb.or([
                ...(universities && universities.length > 0 ? [eb('university_code', 'in', universities)] : []),
                ...(alliance ? [eb('university_code', 'is', null)] : []),
              ]),
            ),
          )
          .orderBy('year')
          .orderBy('measure')
          .orderBy('university_code', (ob) => ob.nullsFirst())
          .execute();
        return {
          targets: rows.map((r) => ({
            measure: r.measure,
            year: r.year,
            university: r.university_code,
            value: Number(r.value),
            updatedAt: new Date(r.updated_at).toISOString(),
          })),
        };
      },
    }),
    route({
      method: 'put',
      path: '/targets',
      access: ['admin'],
      summary: 'Set targets (value null removes one); all or none are applied, each change audited.',
      body: TargetsBodySchema,
      response: z.object({ set: z.number(), removed: z.number(), unchanged: z.number() }),
      async handle({ req, body, caller }) {
        const references = await loadReferences(db);
        const unknown = body.targets
          .map((t, i) => ({ t, i }))
          .filter(({ t }) => t.university !== null && !references.universities.includes(t.university));
        if (unknown.length > 0) {
          throw new BadRequest(
            'Targets name universities that do not exist.',
            unknown.map(({ t, i }) => ({ path: `body.targets.${i}.university`, message: `unknown university ${t.university}` })),
          );
        }
        const actor = actorOf(req, caller);
        return db.transaction().execute(async (trx) => {
          const counts = { set: 0, removed: 0, unchanged: 0 };
          for (const target of body.targets) {
            const existing = await trx
              .selectFrom('target')
              .selectAll()
              .where('measure', '=', target.measure)
              .where('year', '=', target.year)
              .where((eb) =>
                target.university === null ? eb('university_code', 'is', null) : eb('university_code', '=', target.university),
              )
              .forUpdate()
              .executeTakeFirst();
            const subject = `target:${target.measure}/${target.year}/${target.university ?? 'alliance'}`;
            const before = existing ? { value: Number(existing.value) } : null;
            if (target.value === null) {
              if (!existing) {
                counts.unchanged++;
                continue;
              }
              await trx.deleteFrom('target').where('id', '=', existing.id).execute();
              counts.removed++;
            } else if (existing) {
              if (Number(existing.value) === target.value) {
                counts.unchanged++;
                continue;
              }
              await trx
                .updateTable('target')
                .set({ value: target.value, updated_at: new Date(), updated_by: caller!.id })
                .where('id', '=', existing.id)
                .execute();
              counts.set++;
            } else {
              await trx
                .insertInto('target')
                .values({
                  measure: target.measure,
                  year: target.year,
                  university_code: target.university,
                  value: target.value,
                  updated_by: caller!.id,
                })
                .execute();
              counts.set++;
            }
            await writeAudit(trx, actor, {
              action: 'target_change',
              subject,
              before,
              after: target.value === null ? null : { value: target.value },
            });
          }
          if (counts.set + counts.removed > 0) await bumpDataVersion(trx);
          return counts;
        });
      },
    }),
  ];
}
