import type { Kysely } from 'kysely';
import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import { ONCE_VALID, singleLine } from '../http/text.js';
import { IsoDateSchema } from '../kpi/kpi.schemas.js';
import { today } from '../lib/dates.js';
import { addUniversity, changeUniversity, listUniversities, removeUniversity } from './universities.service.js';

const Code = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/, zodSays('code_letters')));
const Name = singleLine(200);

const MemberSince = IsoDateSchema.refine((d) => d <= today(), zodSays('in_future'));
const Lead = z.boolean({ error: zodSays('true_or_false') });

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
  .refine((p) => Object.keys(p).length > 0, { message: zodSays('change_no_field'), ...ONCE_VALID });
const CodeParams = z.object({ code: Code });

export function universitiesRoutes(db: Kysely<Database>) {
  return [
    route(endpoints.universities, {
      access: 'signed_in',
      cached: true,
      summary: 'The member universities, the lead first.',
      handle: async () => ({ universities: await listUniversities(db) }),
    }),
    route(endpoints.addUniversity, {
      access: ['admin'],
      summary: 'Add a member university.',
      body: NewUniversitySchema,
      async handle({ req, res, body, caller }) {
        const created = await addUniversity(db, actorOf(req, caller), body);
        res.status(201);
        return created;
      },
    }),
    route(endpoints.changeUniversity, {
      access: ['admin'],
      summary: 'Rename a member, or change its province, join date or lead flag.',
      params: CodeParams,
      body: UniversityPatchSchema,
      handle: ({ req, params, body, caller }) => changeUniversity(db, actorOf(req, caller), params.code, body),
    }),
    route(endpoints.removeUniversity, {
      access: ['admin'],
      summary: 'Remove a university entered by mistake; one with records, accounts or targets is never deleted (409).',
      params: CodeParams,
      async handle({ req, res, params, caller }) {
        await removeUniversity(db, actorOf(req, caller), params.code);
        res.status(204).end();
      },
    }),
  ];
}
