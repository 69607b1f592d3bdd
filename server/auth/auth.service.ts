import type { Kysely } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import type { Database } from '../db/schema.js';
import { readDemoStatus } from '../demo/demo-status.js';
import { HttpProblem, said, Unauthorized } from '../lib/problems.js';
import type { Caller } from '../http/route.js';
import type { LoginBody } from './auth.schemas.js';
import { DEMO_PASSWORD } from './demo-accounts.js';
import { dummyHash, type PasswordWork, verifyPassword } from './password.js';
import { createSession, endSession, type NewSession } from './sessions.js';

/**
 * A demo account signing in with the published demo password on a database that holds more than
 * the demo (see `readDemoStatus`). A 401 of its own kind (`type` ends in `demo-password-retired`),
 * and not an Unauthorized: the password was right, so it is no guess for the sign-in limits to count.
 */
export class DemoPasswordRetired extends HttpProblem {
  constructor() {
    super(401, 'Demo Password Retired', said('demo_password_retired'));
  }
}

/**
 * Checks the credentials and opens a session. An unknown email, a disabled account and a
 * wrong password get the same answer after the same work (one scrypt verification). A demo
 * account with the published password is refused once the database holds more than the demo.
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
    throw new Unauthorized(said('wrong_credentials'));
  }
  // The demo password is published: it opens a demo account only while the sign-in page would show
  // it, that is while the database holds nothing but the demo. A demo account given a password of
  // its own signs in as any other.
  if (user.demo && password === DEMO_PASSWORD && !(await readDemoStatus(db)).purelySynthetic) {
    await writeAudit(
      db,
      { id: user.id, email: user.email, address },
      { action: 'login_failed', subject: `user:${user.email}`, detail: { refused: 'published demo password' } },
    );
    throw new DemoPasswordRetired();
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
