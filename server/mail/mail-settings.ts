import { type Kysely, sql } from 'kysely';
import { DEFAULT_MAIL_SETTINGS, type MailSettings, MailSettingsSchema } from '../../contract/schemas/mail.js';
import type { Database } from '../db/schema.js';

/** The app_setting key of the mail settings. */
export const MAIL_SETTINGS_KEY = 'mail';

/**
 * The administrators' mail settings; the defaults until one is saved. A stored value that no
 * longer reads (written by another version) gives the defaults for the fields it lacks.
 */
export async function readMailSettings(db: Kysely<Database>): Promise<MailSettings> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', MAIL_SETTINGS_KEY).executeTakeFirst();
  if (!row) return DEFAULT_MAIL_SETTINGS;
  const merged = { ...DEFAULT_MAIL_SETTINGS, ...(row.value as Partial<MailSettings>) };
  const parsed = MailSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_MAIL_SETTINGS;
}

export async function writeMailSettings(db: Kysely<Database>, settings: MailSettings): Promise<void> {
  const value = JSON.stringify(settings);
  await db
    .insertInto('app_setting')
    .values({ key: MAIL_SETTINGS_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql`now()` }))
    .execute();
}
