import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import { type DemoStatusAnswer, LeaveDemoBodySchema } from './demo.schemas.js';
import { readDemoStatus } from './demo-status.js';
import { leaveDemo } from './leave-demo.js';

/** `bulk`: removing the demo records is long work on a large dataset, kept off the readers' connections. */
export function demoRoutes(db: Kysely<Database>, bulk: Kysely<Database>) {
  return [
    route(endpoints.demo, {
      access: ['admin'],
      summary: 'Whether the database is in demo mode: demo accounts, the synthetic label, and administrators of its own.',
      async handle(): Promise<DemoStatusAnswer> {
        const [status, own] = await Promise.all([
          readDemoStatus(db),
          db
            .selectFrom('app_user')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('role', '=', 'admin')
            .where('disabled', '=', false)
            .where('demo', '=', false)
            .executeTakeFirstOrThrow(),
        ]);
        return { ...status, ownAdministrators: Number(own.n) };
      },
    }),
    route(endpoints.leaveDemo, {
      access: ['admin'],
      summary:
        'Leave demo mode: remove the demo accounts and their sessions, and with records=remove the generated records and targets and the synthetic label. Needs an active administrator of its own (409 otherwise).',
      body: LeaveDemoBodySchema,
      handle: ({ req, body, caller }) => leaveDemo(bulk, actorOf(req, caller), { removeRecords: body.records === 'remove' }),
    }),
  ];
}
