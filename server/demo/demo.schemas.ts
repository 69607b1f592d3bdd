import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { FACT_KINDS } from '../db/schema.js';

/** `readDemoStatus` (demo-status.ts), and how many active administrators are not demo accounts. */
export const DemoStatusSchema = z.object({
  synthetic: z.boolean(),
  demoAccounts: z.number().int(),
  left: z.boolean(),
  purelySynthetic: z.boolean(),
  ownAdministrators: z.number().int(),
});
export type DemoStatusAnswer = z.infer<typeof DemoStatusSchema>;

export const LeaveDemoBodySchema = z
  .object({
    records: z.enum(['keep', 'remove'], { error: zodSays('demo_records_choice') }),
  })
  .strict();

/** `leaveDemo` (leave-demo.ts). */
export const LeaveDemoResultSchema = z.object({
  removedAccounts: z.array(z.string()),
  removedRecords: z.record(z.enum(FACT_KINDS), z.number().int()).nullable(),
  removedTargets: z.number().int(),
  synthetic: z.boolean(),
});
