import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Caller } from '../http/route.js';

export const SESSION_COOKIE = 'ao_session';
/** A session unused for this long ends. */
export const IDLE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
/** A session ends this long after sign-in, however busy. */
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;
/** `last_seen` is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Kysely<Database>, userId: number, address: string | null): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ABSOLUTE_TIMEOUT_MS);
  await db
    .insertInto('session')
    .values({ id: digest(token), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt, address })
    .execute();
  return { token, csrfToken, expiresAt };
}

export interface ActiveSession {
  caller: Caller;
  csrfToken: string;
  lang: 'zh' | 'en' | null;
}

/**
 * The session behind a cookie token, or null when it is unknown, idle for 8 hours, past its
 * 7 days, or its user is disabled (an ended session is deleted on sight).
 */
export async function resolveSession(db: Kysely<Database>, token: string): Promise<ActiveSession | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const id = digest(token);
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id',
      'session.csrf_token',
      'session.last_seen',
      'session.expires_at',
      'app_user.id as user_id',
      'app_user.email',
      'app_user.name',
      'app_user.role',
      'app_user.university_code',
      'app_user.disabled',
      'app_user.lang',
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const lastSeen = new Date(row.last_seen).getTime();
  if (row.disabled || now - lastSeen > IDLE_TIMEOUT_MS || new Date(row.expires_at).getTime() <= now) {
    await db.deleteFrom('session').where('id', '=', id).execute();
    return null;
  }
  if (now - lastSeen > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('session')
      .set({ last_seen: new Date(now) })
      .where('id', '=', id)
      .execute();
  }
  return {
    caller: { id: row.user_id, email: row.email, name: row.name, role: row.role, university: row.university_code },
    csrfToken: row.csrf_token,
    lang: row.lang,
  };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', digest(token)).execute();
}

/** Ends every session of a user at once (disabled, or the password changed). */
export async function endUserSessions(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

/** Sessions past either limit, removed from time to time. */
export async function deleteExpiredSessions(db: Kysely<Database>): Promise<void> {
  const now = Date.now();
  await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date(now)), eb('last_seen', '<', new Date(now - IDLE_TIMEOUT_MS))]))
    .execute();
}
