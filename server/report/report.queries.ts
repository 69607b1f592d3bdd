import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** When the data last changed, and its version: the row every write bumps (sql/0008). Not a figure. */
export async function dataVersionStamp(db: Kysely<Database>): Promise<{ version: number; at: string | null }> {
  const row = await db
    .selectFrom('app_setting')
    .select(['value', 'updated_at'])
    .where('key', '=', 'data_version')
    .executeTakeFirst();
  return { version: Number(row?.value ?? 0), at: row ? new Date(row.updated_at).toISOString() : null };
}
