import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../db/change-feed.js';
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

/** The stored id of a session: the SHA-256 of its token, or null for what cannot be a token. */
export function sessionId(token: string): string | null {
  return /^[\w-]{20,100}$/.test(token) ? digest(token) : null;
}

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

const MEMO_LIMIT = 10_000;

/**
 * Sessions read from the database, remembered while the change feed vouches that nothing about
 * them changed: the feed settled, no account or session change announced since the read
 * (sql/0012), and not yet due for its `last_seen` touch. A disabled account, a role moved or a
 * sign-out is announced as it commits, so the next request asks the database again.
 */
export class SessionMemo {
  #entries = new Map<string, { session: ActiveSession; epoch: number; freshUntil: number }>();
  constructor(private readonly feed: ChangeFeed) {}

  /** Take before reading a session, and give it to `remember`: a change announced in between voids the read. */
  get epoch(): number {
    return this.feed.authEpoch;
  }

  recall(id: string, now = Date.now()): ActiveSession | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.epoch !== this.feed.authEpoch || entry.freshUntil < now) {
      this.#entries.delete(id);
      return undefined;
    }
    return this.feed.settled ? entry.session : undefined;
  }

  remember(id: string, session: ActiveSession, epoch: number, freshUntil: number): void {
    if (epoch !== this.feed.authEpoch) return;
    if (this.#entries.size >= MEMO_LIMIT) this.#entries.clear();
    this.#entries.set(id, { session, epoch, freshUntil });
  }
}

/**
 * The session behind a cookie token, or null when it is unknown, idle for 8 hours, past its
 * 7 days, or its user is disabled (an ended session is deleted on sight).
 */
export async function resolveSession(db: Kysely<Database>, token: string, memo?: SessionMemo): Promise<ActiveSession | null> {
  const id = sessionId(token);
  if (!id) return null;
  const known = memo?.recall(id);
  if (known) return known;
  const epoch = memo?.epoch;
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
  let seen = lastSeen;
  if (now - lastSeen > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('session')
      .set({ last_seen: new Date(now) })
      .where('id', '=', id)
      .execute();
    seen = now;
  }
  const session: ActiveSession = {
    caller: { id: row.user_id, email: row.email, name: row.name, role: row.role, university: row.university_code },
    csrfToken: row.csrf_token,
    lang: row.lang,
  };
  // Remembered until the next touch is due; the absolute limit is days beyond that at the least.
  const freshUntil = Math.min(seen + TOUCH_INTERVAL_MS, new Date(row.expires_at).getTime() - 1);
  if (memo && epoch !== undefined) memo.remember(id, session, epoch, freshUntil);
  return session;
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
