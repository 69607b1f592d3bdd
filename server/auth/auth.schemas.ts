import { z } from 'zod';
import { hasControl } from '../http/text.js';
import { MAX_PASSWORD_LENGTH } from './password.js';

/** Emails compare without case and surrounding spaces. */
export const EmailSchema = z
  .string({ error: 'must be an email address' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .regex(/^[^@\s]+@[^@\s]+$/, 'must be an email address')
  .refine((email) => !hasControl(email), 'must be an email address');

export const LoginBodySchema = z
  .object({
    email: EmailSchema,
    password: z.string({ error: 'is required' }).min(1, 'is required').max(MAX_PASSWORD_LENGTH, 'is too long'),
  })
  .strict();
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const MeSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'leadership', 'steward', 'commission']),
  university: z.string().nullable(),
  lang: z.enum(['zh', 'en']).nullable(),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof MeSchema>;

export const MePatchSchema = z.object({ lang: z.enum(['zh', 'en']) }).strict();

export const LoginOptionsSchema = z.object({
  demo: z.boolean(),
  password: z.string().optional(),
  accounts: z.array(z.object({ email: z.string(), role: z.string(), university: z.string().nullable() })).optional(),
});
