import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import { FACT_KINDS, type Database, type UniversityRow } from '../db/schema.js';
import { BadRequest, Conflict, NotFound } from '../http/problems.js';
import { route } from '../http/route.js';
import { ONCE_VALID, singleLine } from '../http/text.js';
import { IsoDateSchema } from '../kpi/kpi.schemas.js';
import { today } from '../lib/dates.js';
import { listUniversities } from '../meta/meta.queries.js';
import { KIND_COLUMNS } from '../../contract/record-columns.js';

const Code = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/, 'must be 2–16 letters, digits or _, starting with a letter'));
const Name = singleLine(200);

const MemberSince = IsoDateSchema.refine((d) => d <= today(), 'must not be in the future');
const Lead = z.boolean({ error: 'must be true or false' });

const NewUniversitySchema = z
  .object({ code: Code, nameEn: Name, nameZh: Name, region: Code, memberSince: MemberSince, lead: Lead.optional() })
  .strict();
const UniversityPatchSchema = z
  .object({
    nameEn: Name.optional(),
    nameZh: Name.optional(),
    region: Code.optional(),
    memberSince: MemberSince.optional(),
    lead: Lead.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'name at least one field to change', ...ONCE_VALID });
const CodeParams = z.object({ code: Code });

const UniversitySchema = z.object({
  code: z.string(),
  nameEn: z.string(),
  nameZh: z.string(),
  region: z.string(),
  memberSince: z.string(),
  lead: z.boolean(),
});
type University = z.infer<typeof UniversitySchema>;

const toUniversity = (u: UniversityRow): University => ({
  code: u.code,
  nameEn: u.name_en,
  nameZh: u.name_zh,
  region: u.region_code,
  memberSince: u.member_since,
  lead: u.is_lead,
});

async function assertRegion(db: Kysely<Database>, region: string | undefined): Promise<void> {
  if (!region) return;
  if (!(await db.selectFrom('region').select('code').where('code', '=', region).executeTakeFirst())) {
    throw new BadRequest('The province does not exist.', [{ path: 'body.region', message: `unknown region ${region}` }]);
  }
}

/** Whether anything refers to the university: records (as owner or partner), accounts, targets. */
async function isReferenced(db: Kysely<Database>, code: string): Promise<boolean> {
  // A payment's university is its contract's, which the contracts' check finds.
  for (const kind of FACT_KINDS.filter((k) => k !== 'payment')) {
    // Every column of the kind that names a university (the owner, a partner, a host), from its column list.
    const columns = KIND_COLUMNS[kind].filter((c) => c.domain === 'university').map((c) => c.name as 'university_code');
    const row = await db
      .selectFrom(kind)
      .select('id')
      .where((eb) => eb.or(columns.map((column) => eb(column, '=', code))))
      .limit(1)
      .executeTakeFirst();
    if (row) return true;
  }
  if (await db.selectFrom('app_user').select('id').where('university_code', '=', code).limit(1).executeTakeFirst()) return true;
  return Boolean(await db.selectFrom('target').select('id').where('university_code', '=', code).limit(1).executeTakeFirst());
}

/** The alliance has one lead university: naming a new one takes the role from any other. */
async function moveLeadTo(db: Kysely<Database>, code: string): Promise<void> {
  await db
    .updateTable('university')
    .set({ is_lead: false, updated_at: new Date() })
    .where('is_lead', '=', true)
    .where('code', '<>', code)
    .execute();
}

export function universitiesRoutes(db: Kysely<Database>) {
  return [
    route({
      method: 'get',
      path: '/universities',
      access: 'signed_in',
      cached: true,
      summary: 'The member universities, the lead first.',
      response: z.object({ universities: z.array(UniversitySchema) }),
      handle: async () => ({ universities: (await listUniversities(db)).map(toUniversity) }),
    }),
    route({
      method: 'post',
      path: '/universities',
      access: ['admin'],
      summary: 'Add a member university.',
      body: NewUniversitySchema,
      response: UniversitySchema,
      async handle({ req, res, body, caller }) {
        await assertRegion(db, body.region);
        const created = await db.transaction().execute(async (trx) => {
          if (await trx.selectFrom('university').select('code').where('code', '=', body.code).executeTakeFirst()) {
            throw new Conflict(`The university ${body.code} exists already.`, [{ path: 'body.code', message: 'is taken' }]);
          }
          if (body.lead) await moveLeadTo(trx, body.code);
          const row = await trx
            .insertInto('university')
            .values({
              code: body.code,
              name_en: body.nameEn,
              name_zh: body.nameZh,
              region_code: body.region,
              member_since: body.memberSince,
              is_lead: body.lead ?? false,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const university = toUniversity(row);
          await writeAudit(trx, actorOf(req, caller), {
            action: 'university_change',
            subject: `university:${body.code}`,
            after: university,
          });
          await bumpDataVersion(trx);
          return university;
        });
        res.status(201);
        return created;
      },
    }),
    route({
      method: 'patch',
      path: '/universities/:code',
      access: ['admin'],
      summary: 'Rename a member, or change its province, join date or lead flag.',
      params: CodeParams,
      body: UniversityPatchSchema,
      response: UniversitySchema,
      async handle({ req, params, body, caller }) {
        await assertRegion(db, body.region);
        return db.transaction().execute(async (trx) => {
          const current = await trx
            .selectFrom('university')
            .selectAll()
            .where('code', '=', params.code)
            .forUpdate()
            .executeTakeFirst();
          if (!current) throw new NotFound(`There is no university ${params.code}.`);
          if (body.lead) await moveLeadTo(trx, params.code);
          const row = await trx
            .updateTable('university')
            .set({
              ...(body.nameEn !== undefined ? { name_en: body.nameEn } : {}),
              ...(body.nameZh !== undefined ? { name_zh: body.nameZh } : {}),
              ...(body.region !== undefined ? { region_code: body.region } : {}),
              ...(body.memberSince !== undefined ? { member_since: body.memberSince } : {}),
              ...(body.lead !== undefined ? { is_lead: body.lead } : {}),
              updated_at: new Date(),
            })
            .where('code', '=', params.code)
            .returningAll()
            .executeTakeFirstOrThrow();
          const after = toUniversity(row);
          await writeAudit(trx, actorOf(req, caller), {
            action: 'university_change',
            subject: `university:${params.code}`,
            before: toUniversity(current),
            after,
          });
          await bumpDataVersion(trx);
          return after;
        });
      },
    }),
    route({
      method: 'delete',
      path: '/universities/:code',
      access: ['admin'],
      summary: 'Remove a university entered by mistake; one with records, accounts or targets is never deleted (409).',
      params: CodeParams,
      async handle({ req, res, params, caller }) {
        await db.transaction().execute(async (trx) => {
          const current = await trx
            .selectFrom('university')
            .selectAll()
            .where('code', '=', params.code)
            .forUpdate()
            .executeTakeFirst();
          if (!current) throw new NotFound(`There is no university ${params.code}.`);
          if (await isReferenced(trx, params.code)) {
            throw new Conflict(
              `The university ${params.code} has records, accounts or targets, so it is kept; rename it instead.`,
            );
          }
          await trx.deleteFrom('university').where('code', '=', params.code).execute();
          await writeAudit(trx, actorOf(req, caller), {
            action: 'university_change',
            subject: `university:${params.code}`,
            before: toUniversity(current),
            after: null,
          });
          await bumpDataVersion(trx);
        });
        res.status(204).end();
      },
    }),
  ];
}
