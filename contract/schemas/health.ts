import { z } from 'zod';

/** Whether the server and its database answer; 503 with `unavailable` when the database does not. */
export const HealthSchema = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['pglite', 'postgres']) });
export type Health = z.infer<typeof HealthSchema>;
