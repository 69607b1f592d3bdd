import { z } from 'zod';
import { zodSays } from '../problems.js';
import { IsoDateSchema, ONCE_VALID, singleLine } from '../text.js';
import type { University } from '../universities.js';

/** A member university, as /meta and /universities give it. */
export const UniversitySchema = z.object({
  code: z.string(),
  nameEn: z.string(),
  nameZh: z.string(),
  region: z.string(),
  memberSince: z.string(),
  lead: z.boolean(),
}) satisfies z.ZodType<University>;

/**
 * A member as the administrator's list gives it: with whether records, accounts or targets name it
 * (`inUse`), which keeps it from removal (the server refuses it with 409 `university_in_use`).
 */
export const MemberEntrySchema = UniversitySchema.extend({ inUse: z.boolean() });
export type MemberEntry = z.infer<typeof MemberEntrySchema>;

export const UniversitiesAnswerSchema = z.object({ universities: z.array(MemberEntrySchema) });

/** A code of a university or a province as typed: trimmed, in capitals, a letter then 1–15 letters, digits or `_`. */
export const CodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/, zodSays('code_letters')));
/** A university's name in one language. */
export const UniversityNameSchema = singleLine(200);
/** Whether the university leads the alliance (there is one lead: naming one takes the role from the other). */
export const LeadSchema = z.boolean({ error: zodSays('true_or_false') });

/**
 * The day a university joined: a real date, and with a clock (`today`, the server's, where the
 * alliance is) not after today. Without one only the shape is checked.
 */
export const memberSinceSchema = (today?: () => string) =>
  today ? IsoDateSchema.refine((d) => d <= today(), zodSays('in_future')) : IsoDateSchema;

/**
 * The bodies of POST /universities and PATCH /universities/:code, written once: the contract's
 * (the client's types, the API document) check the join date's shape; the server's, built with its
 * clock, also refuse a date after today. Both take the same input.
 */
export function universityBodySchemas(today?: () => string) {
  const MemberSince = memberSinceSchema(today);
  const NewUniversitySchema = z
    .object({
      // `alliance` names the alliance-wide targets (GET /targets?university=alliance): never a member's code.
      code: CodeSchema.refine((code) => code !== 'ALLIANCE', zodSays('code_reserved', { code: 'ALLIANCE' })),
      nameEn: UniversityNameSchema,
      nameZh: UniversityNameSchema,
      region: CodeSchema,
      memberSince: MemberSince,
      lead: LeadSchema.optional(),
    })
    .strict();
  const UniversityPatchSchema = z
    .object({
      nameEn: UniversityNameSchema.optional(),
      nameZh: UniversityNameSchema.optional(),
      region: CodeSchema.optional(),
      memberSince: MemberSince.optional(),
      lead: LeadSchema.optional(),
    })
    .strict()
    .refine((p) => Object.keys(p).length > 0, { message: zodSays('change_no_field'), ...ONCE_VALID });
  return { NewUniversitySchema, UniversityPatchSchema };
}

export const { NewUniversitySchema, UniversityPatchSchema } = universityBodySchemas();
export type NewUniversity = z.input<typeof NewUniversitySchema>;
export type UniversityPatch = z.input<typeof UniversityPatchSchema>;

/** The path of one university: `/universities/:code`. */
export const UniversityCodeParamsSchema = z.object({ code: CodeSchema });
