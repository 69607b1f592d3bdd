import type { Kysely } from 'kysely';
import { universityBodySchemas } from '../../contract/schemas/universities.js';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import { today } from '../lib/dates.js';
import { addUniversity, changeUniversity, listUniversities, removeUniversity } from './universities.service.js';

/**
 * The contract's bodies (contract/schemas/universities.ts), built with the server's clock: a join
 * date after today, where the alliance is, is refused. The path's code is the contract's as it is.
 */
const { NewUniversitySchema, UniversityPatchSchema } = universityBodySchemas(today);

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
      summary:
        'Rename a member, or change its province, join date or lead flag. The lead’s flag is never taken off (409): naming another university the lead moves it.',
      body: UniversityPatchSchema,
      handle: ({ req, params, body, caller }) => changeUniversity(db, actorOf(req, caller), params.code, body),
    }),
    route(endpoints.removeUniversity, {
      access: ['admin'],
      summary:
        'Remove a university entered by mistake; the lead, or one with records, accounts or targets, is never deleted (409).',
      async handle({ req, res, params, caller }) {
        await removeUniversity(db, actorOf(req, caller), params.code);
        res.status(204).end();
      },
    }),
  ];
}
