import { z } from 'zod';
import { type Said, said, zodSaid, zodSays } from '../problems.js';
import { ROLES } from '../enums.js';
import { DEMO_PASSWORD, MAX_PASSWORD_LENGTH, MIN_PASSWORD_DISTINCT, MIN_PASSWORD_LENGTH } from '../limits.js';
import { ONCE_VALID, singleLine } from '../text.js';
import { EmailSchema } from './auth.js';

export const RoleSchema = z.enum(ROLES, { error: zodSays('one_of', { values: ROLES }) });

export const PasswordSchema = z
  .string({ error: zodSays('required') })
  .min(MIN_PASSWORD_LENGTH, zodSays('min_characters', { min: MIN_PASSWORD_LENGTH }))
  .max(MAX_PASSWORD_LENGTH, zodSays('max_characters', { max: MAX_PASSWORD_LENGTH }))
  // Once long enough: one message at a time.
  .refine((value) => new Set(value).size >= MIN_PASSWORD_DISTINCT, {
    message: zodSays('password_too_plain', { distinct: MIN_PASSWORD_DISTINCT }),
    ...ONCE_VALID,
  })
  .refine((value) => value.trim().toLowerCase() !== DEMO_PASSWORD, { message: zodSays('password_published'), ...ONCE_VALID });

const UniversityCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9_]{1,15}$/, zodSays('university_code'));
const Name = singleLine(200);

/** A steward belongs to exactly one university; nobody else belongs to one. Returns what is wrong, or null. */
export function stewardProblem(role: string, university: string | null | undefined): Said | null {
  if (role === 'steward' && !university) return said('required_for_steward');
  if (role !== 'steward' && university) return said('empty_for_role', { role });
  return null;
}

function stewardRule(value: { role: string; university?: string | null | undefined }, ctx: z.RefinementCtx): void {
  const problem = stewardProblem(value.role, value.university);
  if (problem) ctx.addIssue({ code: 'custom', path: ['university'], message: zodSaid(problem) });
}

export const NewUserSchema = z
  .object({
    email: EmailSchema,
    name: Name,
    role: RoleSchema,
    university: UniversityCode.nullable().optional(),
    password: PasswordSchema,
  })
  .strict()
  .superRefine(stewardRule, ONCE_VALID);
export type NewUserInput = z.infer<typeof NewUserSchema>;

export const UserPatchSchema = z
  .object({
    name: Name.optional(),
    role: RoleSchema.optional(),
    university: UniversityCode.nullable().optional(),
    disabled: z.boolean().optional(),
    password: PasswordSchema.optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: zodSays('change_no_field'), ...ONCE_VALID });
export type UserPatch = z.infer<typeof UserPatchSchema>;

export const UserIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, zodSays('user_id'))
    .transform(Number),
});

export const UserSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  university: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const UsersAnswerSchema = z.object({ users: z.array(UserSchema) });
