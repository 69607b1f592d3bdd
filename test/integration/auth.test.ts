import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dummyHash, processPasswordWork } from '../../server/auth/password.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, addUser, Client, IDENTITIES, sessionCookie, TEST_PASSWORD } from '../helpers/users.js';

const login = (server: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  server.fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe(`sign-in and sessions (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    await addUser(database.db, { email: 'off@test.example', role: 'leadership', disabled: true });
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const sessionCount = async () =>
    (
      await database.db
        .selectFrom('session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('when the credentials are right, then a session cookie is set HttpOnly, SameSite=Lax, Path=/ and /auth/me names the user', async () => {
    const response = await login(server, { email: '  Steward.USST@Test.Example ', password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('ao_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i);
    const body = await response.json();
    expect(body).toMatchObject({ email: 'steward.usst@test.example', role: 'steward', university: 'USST' });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const me = await server.fetch('/api/v1/auth/me', { headers: { cookie: sessionCookie(response)! } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      email: 'steward.usst@test.example',
      name: 'steward.usst',
      role: 'steward',
      university: 'USST',
      lang: null,
      csrfToken: body.csrfToken,
    });
  });

  it('when the token is stored, then only its digest is in the database', async () => {
    const client = await Client.signIn(server, IDENTITIES.admin.email);
    const token = client.cookie!.split('=')[1]!;
    const ids = (await database.db.selectFrom('session').select('id').execute()).map((s) => s.id);
    expect(ids).not.toContain(token);
    expect(ids.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
  });

  it('when the email is unknown, the password wrong, or the account disabled, then the answer is the same and costs the same work', async () => {
    // The unknown email's decoy hash is made once per process: made before counting.
    await dummyHash();
    const answers = [];
    for (const body of [
      { email: 'nobody@test.example', password: TEST_PASSWORD },
      { email: IDENTITIES.admin.email, password: 'wrong password entirely' },
      { email: 'off@test.example', password: TEST_PASSWORD },
    ]) {
      const before = processPasswordWork.done;
      const response = await login(server, body);
      answers.push({
        status: response.status,
        body: await response.json(),
        cookie: sessionCookie(response),
        hashes: processPasswordWork.done - before,
      });
    }
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.cookie).toBeUndefined();
      expect(answer.body).toEqual(answers[0]!.body);
      // Every path ran one full scrypt verification, the unknown email included: counted through the
      // process's hashing gate, not timed (the tests hash at a low cost; production takes hundreds of ms).
      expect(answer.hashes).toBe(1);
    }
    expect(answers[0]!.body.detail).toBe('The email or password is not right.');
  });

  it.each([
    ['no body', undefined],
    ['an array', [1, 2]],
    ['no password', { email: 'admin@test.example' }],
    ['an email that is not one', { email: 'admin', password: 'x' }],
    ['a number for the email', { email: 42, password: 'x' }],
    ['an unknown field', { email: 'admin@test.example', password: 'x', role: 'admin' }],
  ])('when the login body has %s, then it is a 400 problem and no session is made', async (_what, body) => {
    const before = await sessionCount();
    const response = await server.fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? '' : JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await sessionCount()).toBe(before);
  });

  it('when signed out, then /auth/me is 401; with a forged session id too, and the cookie is cleared', async () => {
    expect((await server.fetch('/api/v1/auth/me')).status).toBe(401);
    const forged = await server.fetch('/api/v1/auth/me', {
      headers: { cookie: 'ao_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.getSetCookie().join()).toMatch(/ao_session=;.*Max-Age=0/);
    expect((await server.fetch('/api/v1/auth/me', { headers: { cookie: 'ao_session=<script>' } })).status).toBe(401);
  });

  it('when signing out, then the session ends at once', async () => {
    const client = await Client.signIn(server, IDENTITIES.leadership.email);
    expect((await client.get('/auth/me')).status).toBe(200);
    const out = await client.post('/auth/logout');
    expect(out.status).toBe(204);
    expect((await client.get('/auth/me')).status).toBe(401);
    expect((await client.get('/meta')).status).toBe(401);
  });

  it('when a session has been idle 8 hours, or is older than 7 days, then it is refused and removed', async () => {
    const idle = await Client.signIn(server, IDENTITIES.commission.email);
    const old = await Client.signIn(server, IDENTITIES.commission.email);
    const ids = await database.db
      .selectFrom('session')
      .select(['id', 'created_at'])
      .orderBy('created_at', 'desc')
      .limit(2)
      .execute();
    await database.db
      .updateTable('session')
      .set({ last_seen: new Date(Date.now() - 8 * 3600_000 - 1000) })
      .where('id', '=', ids[1]!.id)
      .execute();
    await database.db
      .updateTable('session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', ids[0]!.id)
      .execute();
    expect((await idle.get('/auth/me')).status).toBe(401);
    expect((await old.get('/auth/me')).status).toBe(401);
    const left = await database.db
      .selectFrom('session')
      .select('id')
      .where(
        'id',
        'in',
        ids.map((s) => s.id),
      )
      .execute();
    expect(left).toEqual([]);
  });

  it('when a user is disabled, then an existing session is refused on the next request', async () => {
    const steward = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
    expect((await steward.get('/meta')).status).toBe(200);
    await database.db
      .updateTable('app_user')
      .set({ disabled: true })
      .where('email', '=', IDENTITIES.stewardNJTECH.email)
      .execute();
    expect((await steward.get('/meta')).status).toBe(401);
    await database.db
      .updateTable('app_user')
      .set({ disabled: false })
      .where('email', '=', IDENTITIES.stewardNJTECH.email)
      .execute();
  });

  it('when a signed-in change lacks the CSRF header, has a wrong one, or comes from another origin, then it is 403', async () => {
    const client = await Client.signIn(server, IDENTITIES.leadership.email);
    const noHeader = await server.fetch('/api/v1/auth/logout', { method: 'POST', headers: { cookie: client.cookie! } });
    expect(noHeader.status).toBe(403);
    expect((await noHeader.json()).detail).toMatch(/x-csrf-token/);
    const wrong = await server.fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie: client.cookie!, 'x-csrf-token': 'nope' },
    });
    expect(wrong.status).toBe(403);
    const crossSite = await client.post('/auth/logout', undefined, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await client.get('/auth/me')).status).toBe(200); // none of them signed out
    expect((await client.post('/auth/logout', undefined, { origin: server.url })).status).toBe(204);
  });

  it('when a login comes from another site, then it is refused', async () => {
    const response = await login(
      server,
      { email: IDENTITIES.admin.email, password: TEST_PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
  });

  it('when a user signs in and out, then both are in the audit log; a failure is too', async () => {
    const client = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    await client.post('/auth/logout');
    await login(server, { email: 'ghost@test.example', password: 'whatever it is' });
    const entries = await database.db
      .selectFrom('audit_log')
      .select(['action', 'subject', 'user_email', 'address'])
      .orderBy('id')
      .execute();
    expect(entries).toEqual(
      expect.arrayContaining([
        {
          action: 'login',
          subject: 'user:steward.usst@test.example',
          user_email: 'steward.usst@test.example',
          address: expect.stringMatching(/127\.0\.0\.1/),
        },
        {
          action: 'logout',
          subject: 'user:steward.usst@test.example',
          user_email: 'steward.usst@test.example',
          address: expect.any(String),
        },
        {
          action: 'login_failed',
          subject: 'user:ghost@test.example',
          user_email: 'ghost@test.example',
          address: expect.any(String),
        },
      ]),
    );
  });

  it('when the interface language is set, then /auth/me remembers it for that user', async () => {
    const client = await Client.signIn(server, IDENTITIES.commission.email);
    expect((await client.patch('/auth/me', { lang: 'en' })).status).toBe(200);
    expect((await client.patch('/auth/me', { lang: 'fr' })).status).toBe(400);
    const again = await Client.signIn(server, IDENTITIES.commission.email);
    expect((await (await again.get('/auth/me')).json()).lang).toBe('en');
  });
});
