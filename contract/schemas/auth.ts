import { z } from 'zod';
import { ROLES } from '../enums.js';
import { MAX_PASSWORD_LENGTH } from '../limits.js';
import { zodSays } from '../problems.js';
import { hasBidiControl, hasControl, hasInvisible } from '../text.js';

/** The languages of the interface, as an account keeps its choice. */
export const LangSchema = z.enum(['zh', 'en']);

/** Emails compare without case and surrounding spaces. */
export const EmailSchema = z
  .string({ error: zodSays('email') })
  .trim()
  .toLowerCase()
  .max(254, zodSays('max_characters', { max: 254 }))
  .regex(/^[^@\s]+@[^@\s]+$/, zodSays('email'))
  .refine((email) => !hasControl(email) && !hasBidiControl(email) && !hasInvisible(email), zodSays('email'));

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

/** The signed-in user, with the CSRF token every change sends. */
export const MeSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  university: z.string().nullable(),
  lang: LangSchema.nullable(),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof MeSchema>;

export const MePatchSchema = z.object({ lang: LangSchema }).strict();
export const MePatchAnswerSchema = z.object({ lang: LangSchema });

/** What the sign-in page shows: in demo mode, the demo accounts and their password. */
export const LoginOptionsSchema = z.object({
  demo: z.boolean(),
  password: z.string().optional(),
  accounts: z
    .array(z.object({ email: z.string(), role: z.enum(ROLES), university: z.string().nullable() }))
    .readonly()
    .optional(),
});
export type LoginOptions = z.infer<typeof LoginOptionsSchema>;
