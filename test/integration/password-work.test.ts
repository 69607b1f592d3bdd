import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, PasswordWork } from '../../server/auth/password.js';
import { PASSWORD_HASH_LOG2N } from '../../server/config.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES, TEST_PASSWORD } from '../helpers/users.js';
import { until } from '../helpers/until.js';

const login = (server: TestServer, email: string, password: string, address: string) =>
  server.fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password }),
  });

/** Waits until the gate holds `active` hashes and `waiting` more; the test's requests get there in their own time. */
const holds = (work: PasswordWork, active: number, waiting: number) =>
  until(
    () => work.active === active && work.waiting === waiting,
    () => `the gate to hold ${active} + ${waiting} (it holds ${work.active} + ${work.waiting})`,
    { timeoutMs: 20_000, everyMs: 5 },
  );

describe(`one gate for all password hashing (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  // One hash at a time and two waiting: small, so that the test fills it with three requests.
  const work = new PasswordWork({ concurrency: 1, queue: 2 });
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    // The test watches hashes wait in the gate: the accounts it checks carry production's cost (the
    // suite's own is too cheap to be seen waiting), and a stored hash is verified at its own cost.
    const slow = await hashPassword(TEST_PASSWORD, new PasswordWork(undefined, PASSWORD_HASH_LOG2N.default));
    await database.db
      .updateTable('app_user')
      .set({ password_hash: slow })
      .where('email', 'in', [IDENTITIES.leadership.email, IDENTITIES.stewardUSST.email])
      .execute();
    server = await startTestServer(database, { TRUST_PROXY: '1' }, { passwords: work });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when the queue of hashes is full, then a sign-in and a password change get 503 with Retry-After at once, and a right password already queued succeeds', async () => {
    const admin = await Client.signIn(server, IDENTITIES.admin.email);
    // Wrong guesses from addresses of their own, so that no per-address turn-taking holds them back.
    const guesses = [login(server, IDENTITIES.leadership.email, 'wrong password 1', '192.0.2.1')];
    await holds(work, 1, 0);
    guesses.push(login(server, IDENTITIES.leadership.email, 'wrong password 2', '192.0.2.2'));
    await holds(work, 1, 1);
    const owner = login(server, IDENTITIES.stewardUSST.email, TEST_PASSWORD, '198.51.100.5');
    await holds(work, 1, 2);

    const started = performance.now();
    const refused = await login(server, IDENTITIES.leadership.email, 'wrong password 3', '192.0.2.3');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).detail).toMatch(/passwords are being checked/);

    const newUser = await admin.post('/users', {
      email: 'new.one@test.example',
      name: 'New One',
      role: 'commission',
      password: 'a long new password',
    });
    expect(newUser.status).toBe(503);
    expect(newUser.headers.get('retry-after')).toBeTruthy();

    expect((await owner).status).toBe(200);
    expect((await Promise.all(guesses)).map((r) => r.status)).toEqual([401, 401]);
    // A refused attempt is not a failure: the third guesser's address has none on record.
    expect((await login(server, IDENTITIES.leadership.email, TEST_PASSWORD, '192.0.2.3')).status).toBe(200);
    expect([work.active, work.waiting]).toEqual([0, 0]);
    expect(
      await database.db.selectFrom('app_user').select('id').where('email', '=', 'new.one@test.example').executeTakeFirst(),
    ).toBeUndefined();
  });
});
