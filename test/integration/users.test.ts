import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

describe(`managing accounts (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const userCount = async () => (await database.db.selectFrom('app_user').select('id').execute()).length;

  it('when an admin adds a steward, then it is created without exposing the hash, can sign in, and is audited', async () => {
    const response = await admin.post('/users', {
      email: 'New.Steward@Test.Example',
      name: '王老师',
      role: 'steward',
      university: 'zjut',
      password: 'a long enough password',
    });
    expect(response.status).toBe(201);
    const user = await response.json();
    expect(user).toMatchObject({
      email: 'new.steward@test.example',
      name: '王老师',
      role: 'steward',
      university: 'ZJUT',
      disabled: false,
    });
    expect(JSON.stringify(user)).not.toMatch(/scrypt|password/);
    const steward = await Client.signIn(server, 'new.steward@test.example', 'a long enough password');
    expect((await (await steward.get('/auth/me')).json()).university).toBe('ZJUT');
    const entry = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user_change')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ user_email: IDENTITIES.admin.email, subject: 'user:new.steward@test.example', before: null });
    expect(entry.after).toMatchObject({ email: 'new.steward@test.example', role: 'steward', university: 'ZJUT' });
    expect(JSON.stringify(entry.after)).not.toMatch(/scrypt/);
  });

  it.each([
    [
      'a password of 11 characters',
      { email: 'a1@test.example', name: 'A', role: 'leadership', password: '12345678901' },
      'body.password',
    ],
    [
      'a steward without a university',
      { email: 'a2@test.example', name: 'A', role: 'steward', password: 'long enough password' },
      'body.university',
    ],
    [
      'an admin with a university',
      { email: 'a3@test.example', name: 'A', role: 'admin', university: 'USST', password: 'long enough password' },
      'body.university',
    ],
    ['an unknown role', { email: 'a4@test.example', name: 'A', role: 'dean', password: 'long enough password' }, 'body.role'],
    [
      'an unknown university',
      { email: 'a5@test.example', name: 'A', role: 'steward', university: 'MIT', password: 'long enough password' },
      'body.university',
    ],
    ['no name', { email: 'a6@test.example', name: ' ', role: 'commission', password: 'long enough password' }, 'body.name'],
    [
      'a password of twelve spaces',
      { email: 'a7@test.example', name: 'A', role: 'commission', password: ' '.repeat(12) },
      'body.password',
    ],
    [
      'a password of two characters over and over',
      { email: 'a8@test.example', name: 'A', role: 'commission', password: 'abababababab' },
      'body.password',
    ],
    [
      'the published demo password',
      { email: 'a9@test.example', name: 'A', role: 'commission', password: 'alliance-demo' },
      'body.password',
    ],
  ])('when a new account has %s, then it is a 400 naming the field, and nothing is written', async (_what, body, path) => {
    const before = await userCount();
    const response = await admin.post('/users', body);
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await userCount()).toBe(before);
  });

  it('when a password is changed to one too plain or the published one, then it is a 400 saying why, and the old one still signs in', async () => {
    const { users } = await (await admin.get('/users')).json();
    const target = users.find((u: { email: string }) => u.email === IDENTITIES.commission.email);
    for (const [password, message] of [
      ['            ', /at least 5 different characters/],
      ['111111111111', /at least 5 different characters/],
      ['alliance-demo', /published demo password/],
      [' Alliance-Demo ', /published demo password/],
    ] as const) {
      const response = await admin.patch(`/users/${target.id}`, { password });
      expect(response.status).toBe(400);
      const problem = await response.json();
      // One message at a time: the rule it breaks, not every rule.
      const beside = problem.errors.filter((e: { path: string }) => e.path === 'body.password');
      expect(beside).toHaveLength(1);
      expect(beside[0].message).toMatch(message);
    }
    expect((await Client.signIn(server, IDENTITIES.commission.email)).cookie).toBeDefined();
  });

  it('when the email is taken in another case, then it is a 409', async () => {
    const response = await admin.post('/users', {
      email: 'ADMIN@test.example',
      name: 'Dup',
      role: 'admin',
      password: 'long enough password',
    });
    expect(response.status).toBe(409);
  });

  it('when an admin disables a user, then that user’s sessions end at once, and re-enabling lets them sign in again', async () => {
    const lead = await Client.signIn(server, IDENTITIES.leadership.email);
    const { users } = await (await admin.get('/users')).json();
    const target = users.find((u: { email: string }) => u.email === IDENTITIES.leadership.email);
    const response = await admin.patch(`/users/${target.id}`, { disabled: true });
    expect(response.status).toBe(200);
    expect((await response.json()).disabled).toBe(true);
    expect((await lead.get('/meta')).status).toBe(401);
    expect(await database.db.selectFrom('session').select('id').where('user_id', '=', target.id).execute()).toEqual([]);
    await expect(Client.signIn(server, IDENTITIES.leadership.email)).rejects.toThrow(/401/);
    await admin.patch(`/users/${target.id}`, { disabled: false });
    await Client.signIn(server, IDENTITIES.leadership.email);
  });

  it('when a role changes to steward without a university, then it is refused; with one, the university is set', async () => {
    const { users } = await (await admin.get('/users')).json();
    const target = users.find((u: { email: string }) => u.email === IDENTITIES.commission.email);
    expect((await admin.patch(`/users/${target.id}`, { role: 'steward' })).status).toBe(400);
    const changed = await admin.patch(`/users/${target.id}`, { role: 'steward', university: 'AHUT' });
    expect(await changed.json()).toMatchObject({ role: 'steward', university: 'AHUT' });
    const back = await admin.patch(`/users/${target.id}`, { role: 'commission' });
    expect(await back.json()).toMatchObject({ role: 'commission', university: null });
  });

  it('when the last active admin would be disabled or demoted, then it is a 409', async () => {
    const { users } = await (await admin.get('/users')).json();
    const me = users.find((u: { email: string }) => u.email === IDENTITIES.admin.email);
    expect((await admin.patch(`/users/${me.id}`, { disabled: true })).status).toBe(409);
    expect((await admin.patch(`/users/${me.id}`, { role: 'leadership' })).status).toBe(409);
    expect((await admin.get('/auth/me')).status).toBe(200);
  });

  it('when a user does not exist or the id is not a number, then 404 or 400', async () => {
    expect((await admin.patch('/users/999999', { name: 'X' })).status).toBe(404);
    expect((await admin.patch('/users/abc', { name: 'X' })).status).toBe(400);
    expect((await admin.patch('/users/1', {})).status).toBe(400);
  });
});
