import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { readDemoStatus } from '../demo/demo-status.js';
import { Unauthorized } from '../lib/problems.js';
import { endpoints, route } from '../http/route.js';
import { LoginBodySchema, MePatchSchema, type Me } from './auth.schemas.js';
import { login, logout } from './auth.service.js';
import { assertSameOrigin, clearSessionCookie, requestSession, sessionToken, setSessionCookie } from './authenticate.js';
import type { DemoAccount } from './demo-accounts.js';
import { LoginLimiter, type LoginLimits } from './login-limits.js';
import type { PasswordWork } from './password.js';

export interface AuthRouteOptions {
  /** Sign-in limits; those not given are the defaults. */
  limits: Partial<LoginLimits>;
  /** The process's gate for password hashing, shared with the users' routes. */
  passwords: PasswordWork;
  /** In demo mode, the accounts the sign-in page may show; null otherwise. */
  demo: { accounts: readonly DemoAccount[]; password: string } | null;
}

export function authRoutes(db: Kysely<Database>, { limits, passwords, demo }: AuthRouteOptions) {
  const limiter = new LoginLimiter(limits);
  return [
    route(endpoints.loginOptions, {
      access: 'anyone',
      summary:
        'What the sign-in page needs to know: in demo mode, while the database holds nothing but the demo, the demo accounts and their password.',
      // Asked on every request: one real account or one real change ends the advertisement at once.
      handle: async () =>
        demo && (await readDemoStatus(db)).purelySynthetic
          ? { demo: true, password: demo.password, accounts: demo.accounts }
          : { demo: false },
    }),
    route(endpoints.login, {
      access: 'anyone',
      summary: 'Sign in with email and password; sets the session cookie.',
      body: LoginBodySchema,
      problems: [429],
      async handle({ req, res, body }): Promise<Me> {
        assertSameOrigin(req);
        const { caller, session } = await limiter.attempt(req.ip, body.email, () => login(db, body, req.ip ?? null, passwords));
        setSessionCookie(req, res, session.token);
        const user = await db.selectFrom('app_user').select('lang').where('id', '=', caller.id).executeTakeFirstOrThrow();
        return {
          email: caller.email,
          name: caller.name,
          role: caller.role,
          university: caller.university,
          lang: user.lang,
          csrfToken: session.csrfToken,
        };
      },
    }),
    route(endpoints.logout, {
      access: 'signed_in',
      summary: 'Sign out: ends the session at once.',
      async handle({ req, res, caller }) {
        const token = sessionToken(req);
        if (token) await logout(db, token, actorOf(req, caller));
        clearSessionCookie(req, res);
        res.status(204).end();
      },
    }),
    route(endpoints.me, {
      access: 'signed_in',
      summary: 'The signed-in user, with the CSRF token that every change must send in X-CSRF-Token.',
      handle({ res, caller }): Me {
        const session = requestSession(res);
        if (!session || !caller) throw new Unauthorized();
        res.set('Cache-Control', 'no-store');
        const { email, name, role, university } = caller;
        return { email, name, role, university, lang: session.lang, csrfToken: session.csrfToken };
      },
    }),
    route(endpoints.setMe, {
      access: 'signed_in',
      summary: "Change the signed-in user's own preferences (the interface language).",
      body: MePatchSchema,
      async handle({ body, caller }) {
        await db.updateTable('app_user').set({ lang: body.lang }).where('id', '=', caller!.id).execute();
        return { lang: body.lang };
      },
    }),
  ];
}
