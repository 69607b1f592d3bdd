import { z } from 'zod';
import { zodSays } from '../problems.js';
import { FACT_KINDS } from '../enums.js';

/** Whether the database is in demo mode, and how many active administrators are not demo accounts. */
export const DemoStatusSchema = z.object({
  synthetic: z.boolean(),
  demoAccounts: z.number().int(),
  left: z.boolean(),
  purelySynthetic: z.boolean(),
  ownAdministrators: z.number().int(),
});
export type DemoStatus = z.infer<typeof DemoStatusSchema>;

export const LeaveDemoBodySchema = z
  .object({
    records: z.enum(['keep', 'remove'], { error: zodSays('demo_records_choice') }),
  })
  .strict();

/** What leaving demo mode removed. */
export const LeaveDemoResultSchema = z.object({
  removedAccounts: z.array(z.string()),
  removedRecords: z.record(z.enum(FACT_KINDS), z.number().int()).nullable(),
  removedTargets: z.number().int(),
  synthetic: z.boolean(),
});
export type LeaveDemoResult = z.infer<typeof LeaveDemoResultSchema>;
