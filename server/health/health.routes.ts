import { z } from 'zod';
import type { DatabaseHandle } from '../db/connect.js';
import { route } from '../http/route.js';

export const HealthSchema = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['pglite', 'postgres']) });

export function healthRoutes(database: DatabaseHandle) {
  return [
    route({
      method: 'get',
      path: '/health',
      access: 'anyone',
      reportsAvailability: true,
      summary: 'Whether the server and its database answer (503 when the database does not).',
      response: HealthSchema,
      async handle({ res }) {
        res.set('Cache-Control', 'no-store');
        try {
          if (database.availability && !database.availability.available) throw new Error('unavailable');
          await database.ping(2000);
          return { status: 'ok', database: database.kind };
        } catch {
          res.status(503);
          return { status: 'unavailable', database: database.kind };
        }
      },
    }),
  ];
}
