import { z } from 'zod';
import { ROLES } from '../enums.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../limits.js';
import { ONCE_VALID, singleLine } from '../text.js';
import { EmailSchema } from './auth.js';

export const RoleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });

export const PasswordSchema = z
  .string({ error: 'is required' })
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

const UniversityCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9_]{1,15}$/, 'must be a university code');
const Name = singleLine(200);

/** A steward belongs to exactly one university; nobody else belongs to one. Returns what is wrong, or null. */
export function stewardProblem(role: string, university: string | null | undefined): string | null {
  if (role === 'steward' && !university) return 'is required for a steward';
  if (role !== 'steward' && university) return `must be empty for the role ${role}`;
  return null;
}

function stewardRule(value: { role: string; university?: string | null | undefined }, ctx: z.RefinementCtx): void {
  const problem = stewardProblem(value.role, value.university);
  if (problem) ctx.addIssue({ code: 'custom', path: ['university'], message: problem });
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
  .refine((value) => Object.keys(value).length > 0, { message: 'name at least one field to change', ...ONCE_VALID });
export type UserPatch = z.infer<typeof UserPatchSchema>;

export const UserIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be a user id: a positive whole number')
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
