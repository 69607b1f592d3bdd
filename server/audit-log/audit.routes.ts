import type { Kysely } from 'kysely';
import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { AUDIT_ACTIONS, type Database } from '../db/schema.js';
import { route } from '../http/route.js';
import { wholeNumber } from '../records/records.schemas.js';
import { ONCE_VALID, singleLine } from '../http/text.js';
import { IsoDateSchema as IsoDate, listParameter } from '../kpi/kpi.schemas.js';
import { listAudit } from '../audit/audit.queries.js';

export const AuditQuerySchema = z
  .object({
    page: wholeNumber(1, 1_000_000).default(1),
    pageSize: wholeNumber(1, 1000).default(50),
    user: singleLine(254)
      .transform((u) => u.toLowerCase())
      .optional(),
    action: listParameter(
      z.enum(AUDIT_ACTIONS, { error: zodSays('among', { values: AUDIT_ACTIONS }) }),
      AUDIT_ACTIONS.length,
    ).optional(),
    subject: singleLine(200).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: 'custom', path: ['from'], message: zodSays('after_to', { from: q.from, to: q.to }) });
  }, ONCE_VALID);

const AuditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  user: z.string().nullable(),
  address: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  subject: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  detail: z.unknown(),
});

export function auditRoutes(db: Kysely<Database>) {
  return [
    route({
      method: 'get',
      path: '/audit',
      access: ['admin'],
      summary: 'The audit log, newest first, paged; filter by user (email), action (comma-separated), subject prefix and date.',
      query: AuditQuerySchema,
      response: z.object({ page: z.number(), pageSize: z.number(), total: z.number(), entries: z.array(AuditEntrySchema) }),
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
