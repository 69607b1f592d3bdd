import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Every write bumps the data version, so answers cached under an ETag go stale at once. */
export async function bumpDataVersion(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('app_setting')
    .set({ value: sql`to_jsonb((value #>> '{}')::bigint + 1)`, updated_at: sql`now()` })
    .where('key', '=', 'data_version')
    .execute();
}

export async function readDataVersion(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', 'data_version').executeTakeFirst();
  return Number(row?.value ?? 0);
}
