import type { DatabaseHandle } from '../db/connect.js';
import { endpoints, route } from '../http/route.js';

export function healthRoutes(database: DatabaseHandle) {
  return [
    route(endpoints.health, {
      access: 'anyone',
      reportsAvailability: true,
      summary: 'Whether the server and its database answer (503 when the database does not).',
      async handle({ res }) {
        res.set('Cache-Control', 'no-store');
        try {
          if (database.availability && !database.availability.available) throw new Error('unavailable');
          await database.ping(2000);
          return { status: 'ok' as const, database: database.kind };
        } catch {
          res.status(503);
          return { status: 'unavailable' as const, database: database.kind };
        }
      },
    }),
  ];
}
