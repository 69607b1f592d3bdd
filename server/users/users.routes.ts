import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import type { PasswordWork } from '../auth/password.js';
import { route } from '../http/route.js';
import { NewUserSchema, UserIdParamsSchema, UserPatchSchema, UserSchema } from './users.schemas.js';
import { createUser, listUsers, updateUser } from './users.service.js';

/** `passwords`: the process's gate for password hashing, which sign-ins go through too. */
export function usersRoutes(db: Kysely<Database>, passwords: PasswordWork) {
  return [
    route({
      method: 'get',
      path: '/users',
      access: ['admin'],
      summary: 'Every account, without password hashes.',
      response: z.object({ users: z.array(UserSchema) }),
      handle: async () => ({ users: await listUsers(db) }),
    }),
    route({
      method: 'post',
      path: '/users',
      access: ['admin'],
      summary: 'Create an account (a steward needs a university; the password at least 12 characters).',
      body: NewUserSchema,
      response: UserSchema,
      async handle({ req, res, body, caller }) {
        const user = await createUser(db, actorOf(req, caller), body, passwords);
        res.status(201);
        return user;
      },
    }),
    route({
      method: 'patch',
      path: '/users/:id',
      access: ['admin'],
      summary: 'Change an account: name, role, university, disabled, password. Disabling ends its sessions.',
      params: UserIdParamsSchema,
      body: UserPatchSchema,
      response: UserSchema,
      handle: ({ req, params, body, caller }) => updateUser(db, actorOf(req, caller), params.id, body, passwords),
    }),
  ];
}
