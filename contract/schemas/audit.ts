import { z } from 'zod';
import { zodSays } from '../problems.js';
import { AUDIT_ACTIONS } from '../enums.js';
import { IsoDateSchema, listParameter, ONCE_VALID, singleLine, wholeNumber } from '../text.js';

/** GET /audit: a page, filtered by user (email), actions, subject prefix and dates. */
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
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: 'custom', path: ['from'], message: zodSays('after_to', { from: q.from, to: q.to }) });
  }, ONCE_VALID);

export const AuditEntrySchema = z.object({
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
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageSchema = z.object({
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  entries: z.array(AuditEntrySchema),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;
