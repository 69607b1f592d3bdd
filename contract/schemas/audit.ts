import { z } from 'zod';
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
      z.enum(AUDIT_ACTIONS, { error: `must be among ${AUDIT_ACTIONS.join(', ')}` }),
      AUDIT_ACTIONS.length,
    ).optional(),
    subject: singleLine(200).optional(),
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'must not be after to', ...ONCE_VALID });

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
