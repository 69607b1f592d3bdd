import type { Kysely } from 'kysely';
import type { MailLang } from '../../contract/enums.js';
import { isMailAddress } from '../../contract/schemas/mail.js';
import type { Database, Role } from '../db/schema.js';

/** Addresses grouped by the language their accounts read (`both` when an account has not chosen one). */
export type ByLanguage = Map<MailLang, string[]>;

export interface Recipients {
  groups: ByLanguage;
  /** Accounts whose e-mail is not an address mail can go to: left out, and said in the message's log note. */
  leftOut: string[];
}

/** Active accounts of some roles (of one university, for stewards), grouped by language. */
export async function accountsToMail(db: Kysely<Database>, roles: readonly Role[], university?: string): Promise<Recipients> {
  const rows = await db
    .selectFrom('app_user')
    .select(['email', 'lang'])
    .where('role', 'in', roles)
    .where('disabled', '=', false)
    .$if(university !== undefined, (q) => q.where('university_code', '=', university!))
    .orderBy('email')
    .execute();
  const groups: ByLanguage = new Map();
  const leftOut: string[] = [];
  for (const row of rows) {
    if (!isMailAddress(row.email)) {
      leftOut.push(row.email);
      continue;
    }
    const lang: MailLang = row.lang ?? 'both';
    groups.set(lang, [...(groups.get(lang) ?? []), row.email]);
  }
  return { groups, leftOut };
}

/** The log's note for accounts left out of a message. */
export const leftOutNote = (leftOut: readonly string[]): string | null =>
  leftOut.length === 0 ? null : `left out (not an address mail can go to): ${leftOut.join(', ')}`.slice(0, 2000);
