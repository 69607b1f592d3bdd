import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, IDENTITIES, TEST_PASSWORD } from '../helpers/users.js';

/** A sign-in as it reaches the server through one proxy: the proxy appends the client's address to X-Forwarded-For. */
const login = (server: TestServer, body: unknown, forwardedFor: string, headers: Record<string, string> = {}) =>
  server.fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, ...headers },
    body: JSON.stringify(body),
  });

describe(`sign-in limits behind one proxy, TRUST_PROXY=1 (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(
      database,
      { TRUST_PROXY: '1' },
      // A window far longer than the file takes on a slow machine, so that nothing is forgotten mid-test.
      { loginLimits: { windowMs: 600_000, perAddress: 6, perAccount: 3, perAccountAnywhere: 5 } },
    );
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when one account fails three times from one address, then the fourth attempt is a 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (await login(server, { email: IDENTITIES.admin.email, password: `wrong-${i}-password` }, '203.0.113.7')).status,
      ).toBe(401);
    const blocked = await login(server, { email: IDENTITIES.admin.email, password: TEST_PASSWORD }, '203.0.113.7');
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(blocked.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('when the account-wide limit is reached, then addresses that failed are refused, a new address gets one guess, and the owner elsewhere signs in', async () => {
    const email = IDENTITIES.commission.email;
    const from = (address: string, password: string) => login(server, { email, password }, address);
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.50', `wrong-${i}-password`)).status).toBe(401);
    expect((await from('203.0.113.50', TEST_PASSWORD)).status).toBe(429);
    // The owner, elsewhere, is not locked out by someone else's guesses.
    expect((await from('198.51.100.77', TEST_PASSWORD)).status).toBe(200);
    // Five failures on the account from anywhere: the limit.
    for (let i = 0; i < 2; i++) expect((await from(`192.0.2.${10 + i}`, `wrong-x${i}-password`)).status).toBe(401);
    expect((await from('192.0.2.10', TEST_PASSWORD)).status).toBe(429);
    // A guesser with a new address gets one guess there, not three...
    expect((await from('192.0.2.99', 'wrong-y-password')).status).toBe(401);
    expect((await from('192.0.2.99', 'wrong-z-password')).status).toBe(429);
    // ...and the owner, from any address that has not failed on the account, still gets in.
    expect((await from('198.51.100.78', TEST_PASSWORD)).status).toBe(200);
  });

  it('when one address tries too often, then it is a 429 whatever the account', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await login(server, { email: `user${i}@test.example`, password: 'wrong password x' }, '198.51.100.9')).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('when a client writes its own X-Forwarded-For, then only the proxy-appended address counts: rotating it dodges no limit and never reaches the audit log', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      // The client wrote "10.9.9.<i>"; the proxy appended the address it really came from.
      const response = await login(
        server,
        { email: `forged${i}@test.example`, password: 'wrong password x' },
        `10.9.9.${i}, 203.0.113.200`,
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const addresses = await database.db
      .selectFrom('audit_log')
      .select('address')
      .where('action', '=', 'login_failed')
      .where('subject', 'like', 'user:forged%')
      .execute();
    expect(addresses).toHaveLength(6);
    expect(new Set(addresses.map((a) => a.address))).toEqual(new Set(['203.0.113.200']));
  });

  it('when the request came over TLS through the trusted proxy, then the cookie is Secure', async () => {
    const response = await login(server, { email: IDENTITIES.leadership.email, password: TEST_PASSWORD }, '192.0.2.1', {
      'x-forwarded-proto': 'https',
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().find((c) => c.startsWith('ao_session='))).toMatch(/Secure/);
  });
});

describe(`sign-in under a burst of wrong passwords, default limits (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database, { TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when 40 wrong passwords for one account arrive at once from one address, then only completed failures count: 8 are tried, a colleague at that address and the owner elsewhere sign in, the guesser stays refused', async () => {
    const victim = IDENTITIES.stewardUSST.email;
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(server, { email: victim, password: `wrong password ${i}` }, '203.0.113.40')),
    );
    const statuses = burst.map((r) => r.status);
    // The per-account limit from one address is 8: exactly 8 were checked, the rest refused without being counted.
    expect(statuses.filter((s) => s === 401)).toHaveLength(8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(32);
    // Behind the same address (a campus), another account is not locked out: 8 failures, not 40.
    expect((await login(server, { email: IDENTITIES.commission.email, password: TEST_PASSWORD }, '203.0.113.40')).status).toBe(
      200,
    );
    // The owner, from another address, signs in.
    expect((await login(server, { email: victim, password: TEST_PASSWORD }, '198.51.100.40')).status).toBe(200);
    // The guesser's address stays refused on that account for the window, right password or not.
    const again = await login(server, { email: victim, password: TEST_PASSWORD }, '203.0.113.40');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(600);
  });
});
