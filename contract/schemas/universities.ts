import { z } from 'zod';
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

export const UniversitiesAnswerSchema = z.object({ universities: z.array(UniversitySchema) });
