import type { Kysely } from 'kysely';
import { DEMO_PASSWORD } from '../../contract/limits.js';
import type { Database, Role } from '../db/schema.js';
import { listUniversities } from '../kpi/references.queries.js';
import { hashPassword } from './password.js';

/** The password of every demo account; demo mode only (embedded database holding demo data). */
export { DEMO_PASSWORD };

export interface DemoAccount {
  email: string;
  role: Role;
  university: string | null;
}

function demoAccountList(universities: readonly string[]): Array<DemoAccount & { name: string }> {
  return [
    { email: 'admin@alliance.example', name: 'Demo administrator', role: 'admin', university: null },
    { email: 'leadership@alliance.example', name: 'Demo alliance leadership', role: 'leadership', university: null },
    { email: 'commission@alliance.example', name: 'Demo commission officer', role: 'commission', university: null },
    ...universities.map((code) => ({
      email: `steward.${code.toLowerCase()}@alliance.example`,
      name: `Demo data steward, ${code}`,
      role: 'steward' as const,
      university: code,
    })),
  ];
}

/**
 * Creates the demo accounts that are missing (one per role, a steward per member) and returns
 * them all. Existing accounts are left as they are. Never called for a DATABASE_URL database.
 */
export async function ensureDemoAccounts(db: Kysely<Database>): Promise<DemoAccount[]> {
  const universities = (await listUniversities(db)).map((u) => u.code);
  const accounts = demoAccountList(universities);
  const existing = new Set((await db.selectFrom('app_user').select('email').execute()).map((u) => u.email));
  const missing = accounts.filter((account) => !existing.has(account.email));
  if (missing.length > 0) {
    // One hash serves them all: they share the published demo password anyway.
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db
      .insertInto('app_user')
      .values(
        missing.map((a) => ({
          email: a.email,
          name: a.name,
          role: a.role,
          university_code: a.university,
          password_hash: passwordHash,
          demo: true,
        })),
      )
      .execute();
  }
  return accounts.map(({ email, role, university }) => ({ email, role, university }));
}
