import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import { listAudit } from '../audit/audit.queries.js';

export function auditRoutes(db: Kysely<Database>) {
  return [
    route(endpoints.audit, {
      access: ['admin'],
      summary: 'The audit log, newest first, paged; filter by user (email), action (comma-separated), subject prefix and date.',
      async handle({ query }) {
        const { rows, total } = await listAudit(
          db,
          { userEmail: query.user, actions: query.action, subject: query.subject, from: query.from, to: query.to },
          query.page,
          query.pageSize,
        );
        return {
          page: query.page,
          pageSize: query.pageSize,
          total,
          entries: rows.map((row) => ({
            id: row.id,
            at: new Date(row.at).toISOString(),
            user: row.user_email,
            address: row.address,
            action: row.action,
            subject: row.subject,
            before: row.before,
            after: row.after,
            detail: row.detail,
          })),
        };
      },
    }),
  ];
}
