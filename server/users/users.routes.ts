import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import type { PasswordWork } from '../auth/password.js';
import { endpoints, route } from '../http/route.js';
import { NewUserSchema, UserIdParamsSchema, UserPatchSchema } from './users.schemas.js';
import { createUser, listUsers, updateUser } from './users.service.js';

/** `passwords`: the process's gate for password hashing, which sign-ins go through too. */
export function usersRoutes(db: Kysely<Database>, passwords: PasswordWork) {
  return [
    route(endpoints.users, {
      access: ['admin'],
      summary: 'Every account, without password hashes.',
      handle: async () => ({ users: await listUsers(db) }),
    }),
    route(endpoints.createUser, {
      access: ['admin'],
      summary: 'Create an account (a steward needs a university; the password at least 12 characters).',
      body: NewUserSchema,
      async handle({ req, res, body, caller }) {
        const user = await createUser(db, actorOf(req, caller), body, passwords);
        res.status(201);
        return user;
      },
    }),
    route(endpoints.updateUser, {
      access: ['admin'],
      summary: 'Change an account: name, role, university, disabled, password. Disabling ends its sessions.',
      params: UserIdParamsSchema,
      body: UserPatchSchema,
      handle: ({ req, params, body, caller }) => updateUser(db, actorOf(req, caller), params.id, body, passwords),
    }),
  ];
}
