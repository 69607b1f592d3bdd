import { zodSays } from '../../contract/problems.js';
import { z } from 'zod';
import { hasControl } from '../http/text.js';
import { MAX_PASSWORD_LENGTH } from './password.js';

/** Emails compare without case and surrounding spaces. */
export const EmailSchema = z
  .string({ error: zodSays('email') })
  .trim()
  .toLowerCase()
  .max(254, zodSays('max_characters', { max: 254 }))
  .regex(/^[^@\s]+@[^@\s]+$/, zodSays('email'))
  .refine((email) => !hasControl(email), zodSays('email'));

export const LoginBodySchema = z
  .object({
    email: EmailSchema,
    password: z
      .string({ error: zodSays('required') })
      .min(1, zodSays('required'))
      .max(MAX_PASSWORD_LENGTH, zodSays('too_long')),
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
