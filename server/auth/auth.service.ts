import type { Kysely } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import type { Database } from '../db/schema.js';
import { Unauthorized } from '../http/problems.js';
import type { Caller } from '../http/route.js';
import type { LoginBody } from './auth.schemas.js';
import { dummyHash, type PasswordWork, verifyPassword } from './password.js';
import { createSession, endSession, type NewSession } from './sessions.js';

export const WRONG_CREDENTIALS = 'The email or password is not right.';

/**
 * Checks the credentials and opens a session. An unknown email, a disabled account and a
 * wrong password get the same answer after the same work (one scrypt verification).
 */
export async function login(
  db: Kysely<Database>,
  { email, password }: LoginBody,
  address: string | null,
  passwords: PasswordWork,
): Promise<{ caller: Caller; session: NewSession }> {
  const user = await db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirst();
  const usable = user !== undefined && !user.disabled;
  const matches = await verifyPassword(password, usable ? user.password_hash : await dummyHash(), passwords);
  if (!usable || !matches) {
    await writeAudit(db, { id: user?.id ?? null, email, address }, { action: 'login_failed', subject: `user:${email}` });
    throw new Unauthorized(WRONG_CREDENTIALS);
  }
  const session = await createSession(db, user.id, address);
  await writeAudit(db, { id: user.id, email: user.email, address }, { action: 'login', subject: `user:${user.email}` });
  return {
    caller: { id: user.id, email: user.email, name: user.name, role: user.role, university: user.university_code },
    session,
  };
}

export async function logout(db: Kysely<Database>, token: string, actor: Actor): Promise<void> {
  await endSession(db, token);
  await writeAudit(db, actor, { action: 'logout', subject: `user:${actor.email}` });
}
