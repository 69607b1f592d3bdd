import { timingSafeEqual } from 'node:crypto';
import { parse as parseCookies, serialize } from 'cookie';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { Forbidden, said } from '../lib/problems.js';
import type { Authenticate } from '../http/route.js';
import { ABSOLUTE_TIMEOUT_MS, resolveSession, SESSION_COOKIE, type ActiveSession, type SessionMemo } from './sessions.js';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token in a request's cookies. */
export function sessionToken(req: Pick<Request, 'headers'>): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parseCookies(header)[SESSION_COOKIE] || undefined;
}

/** The session found for this request, if any (set by the authenticator). */
export function requestSession(res: Response): ActiveSession | undefined {
  return res.locals.session as ActiveSession | undefined;
}

export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: req.secure,
      maxAge: Math.floor(ABSOLUTE_TIMEOUT_MS / 1000),
    }),
  );
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure, maxAge: 0 }),
  );
}

/**
 * A state-changing request must come from our own pages: an `Origin` (or `Sec-Fetch-Site`)
 * that names another site is refused, whether or not a session is involved.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin !== `${req.protocol}://${req.get('host')}`) throw new Forbidden(said('other_site'));
    return;
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new Forbidden(said('other_site'));
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Finds the caller from the session cookie. On a state-changing request a session must be
 * accompanied by its CSRF token in `X-CSRF-Token` (a cross-site form cannot send a header).
 */
export function createAuthenticator(db: Kysely<Database>, memo?: SessionMemo): Authenticate {
  return async (req, res) => {
    const token = sessionToken(req);
    if (!token) return null;
    const session = await resolveSession(db, token, memo);
    if (!session) {
      clearSessionCookie(req, res);
      return null;
    }
    if (!SAFE_METHODS.has(req.method)) {
      assertSameOrigin(req);
      const given = req.get(CSRF_HEADER);
      if (!given || !sameToken(given, session.csrfToken)) {
        throw new Forbidden(said('csrf_needed', { header: CSRF_HEADER }));
      }
    }
    res.locals.session = session;
    return session.caller;
  };
}
