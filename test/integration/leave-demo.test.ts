import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, ensureDemoAccounts } from '../../server/auth/demo-accounts.js';
import { loadConfig } from '../../server/config.js';
import { FACT_KINDS, type FactKind } from '../../server/db/schema.js';
import { DEMO_SEED, prepareDemoData } from '../../server/demo/demo-mode.js';
import { readDemoStatus } from '../../server/demo/demo-status.js';
import { ACCOUNT_REFERENCE_COLUMNS, leaveDemo } from '../../server/demo/leave-demo.js';
import { seedDemoData, type SeedSummary } from '../../server/demo/seed.js';
import { cliInProcess } from '../helpers/cli.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { ROOT } from '../helpers/process.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, addUser, Client, IDENTITIES } from '../helpers/users.js';

const DEMO_OPTIONS = { seed: 7, records: 200, asOf: '2025-06-30' };
const OWN_ADMIN = { email: 'ops@test.example', role: 'admin' } as const;
const CREDIT = {
  university_code: 'USST',
  ref: 'ENTERED-1',
  host_university_code: 'ZJUT',
  course: 'Heat transfer',
  term: '2024-2025-2',
  recognized_on: '2025-04-02',
  students: 3,
  credits: 9,
};

interface Demo {
  database: TestDatabase;
  server: TestServer;
  seeded: SeedSummary;
  emails: string[];
}

/** What `npm start` sets up on an empty embedded database: demo data, demo accounts, the sign-in page showing them. */
async function startDemo(): Promise<Demo> {
  const database = await createTestDatabase();
  const seeded = await seedDemoData(database.db, DEMO_OPTIONS);
  const accounts = await ensureDemoAccounts(database.db);
  const server = await startTestServer(database, {}, { demo: { accounts, password: DEMO_PASSWORD } });
  return { database, server, seeded, emails: accounts.map((a) => a.email) };
}

const loginOptions = async (demo: Demo) => (await demo.server.fetch('/api/v1/auth/login')).json();
const countRows = async (demo: Demo, table: FactKind | 'target') =>
  Number(
    (
      await demo.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const demoAccounts = async (demo: Demo) =>
  (await demo.database.db.selectFrom('app_user').select('email').where('demo', '=', true).execute()).map((u) => u.email);

describe(`leaving demo mode (${TEST_DB})`, () => {
  const opened: Demo[] = [];
  const open = async () => {
    const demo = await startDemo();
    opened.push(demo);
    return demo;
  };
  afterEach(async () => {
    for (const demo of opened.splice(0)) {
      await demo.server.close();
      await demo.database.close();
    }
  });

  it('when the database holds only the demo, then the sign-in page shows the demo password, whatever demo accounts and signed-out callers do; one account of its own ends that', async () => {
    const demo = await open();
    expect(await loginOptions(demo)).toMatchObject({ demo: true, password: DEMO_PASSWORD });
    expect((await loginOptions(demo)).accounts.map((a: { email: string }) => a.email)).toEqual(demo.emails);

    // Playing with the demo is part of the demo: a demo steward's record keeps it purely synthetic.
    const steward = await Client.signIn(demo.server, 'steward.usst@alliance.example', DEMO_PASSWORD);
    expect((await steward.post('/records/credit', CREDIT)).status).toBe(201);
    // A signed-out caller can only fail to sign in, and that changes nothing either.
    for (const email of ['admin@alliance.example', 'nobody@test.example']) {
      const refused = await Client.anonymous(demo.server).post('/auth/login', { email, password: 'not the password' });
      expect(refused.status).toBe(401);
    }
    expect(await loginOptions(demo)).toMatchObject({ demo: true, password: DEMO_PASSWORD });

    await addUser(demo.database.db, { email: 'real.steward@test.example', role: 'steward', university: 'USST' });
    expect(await loginOptions(demo)).toEqual({ demo: false });
    expect(await readDemoStatus(demo.database.db)).toEqual({
      synthetic: true,
      demoAccounts: demo.emails.length,
      left: false,
      purelySynthetic: false,
    });
  });

  it('when a change is audited as made by anyone but a demo account since the demo data was written, then the advertisement is gone', async () => {
    const demo = await open();
    // What an import from the command line leaves: no account, the command line as its author.
    await demo.database.db
      .insertInto('audit_log')
      .values({ user_id: null, user_email: 'cli', address: 'command line', action: 'import', subject: 'import:credit' })
      .execute();
    expect(await loginOptions(demo)).toEqual({ demo: false });
  });

  it('when the database holds more than the demo, then the published password signs no demo account in (401 saying what to do), unless the account was given a password of its own', async () => {
    const demo = await open();
    const signIn = (email: string, password = DEMO_PASSWORD) =>
      Client.anonymous(demo.server).post('/auth/login', { email, password });
    // While the demo is all there is, every demo account signs in with the published password.
    for (const email of demo.emails) expect((await signIn(email)).status).toBe(200);

    // A record entered by an account of the alliance's own: real data beside the demo's.
    await addUser(demo.database.db, OWN_ADMIN);
    const own = await Client.signIn(demo.server, OWN_ADMIN.email);
    expect((await own.post('/records/credit', CREDIT)).status).toBe(201);
    expect(await loginOptions(demo)).toEqual({ demo: false });
    const failedBefore = await demo.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'login_failed')
      .execute();

    for (const email of demo.emails) {
      const refused = await signIn(email);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
      expect(refused.headers.getSetCookie()).toEqual([]);
      const problem = await refused.json();
      expect(problem.type).toMatch(/\/demo-password-retired$/);
      expect(problem.detail).toMatch(/published demo password/);
      expect(problem.detail).toMatch(/npm run cli -- leave-demo/);
      expect(problem.detail).toMatch(/user set-password/);
    }
    const refusals = await demo.database.db
      .selectFrom('audit_log')
      .select(['subject', 'detail'])
      .where('action', '=', 'login_failed')
      .where('id', 'not in', failedBefore.length > 0 ? failedBefore.map((r) => r.id) : [0])
      .orderBy('id')
      .execute();
    expect(refusals).toEqual(
      demo.emails.map((email) => ({ subject: `user:${email}`, detail: { refused: 'published demo password' } })),
    );
    // A wrong password gets the usual answer: nothing is told of an account before its password is right.
    const wrong = await signIn('admin@alliance.example', 'not the password');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).detail).toBe('The email or password is not right.');

    // Given a password of its own, a demo account signs in again (and with the demo password still not).
    const steward = await demo.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'steward.usst@alliance.example')
      .executeTakeFirstOrThrow();
    expect((await own.patch(`/users/${steward.id}`, { password: 'a password of its own' })).status).toBe(200);
    expect((await signIn('steward.usst@alliance.example', 'a password of its own')).status).toBe(200);
    expect((await signIn('steward.usst@alliance.example')).status).toBe(401);
    expect((await signIn('admin@alliance.example')).status).toBe(401);
  });

  it('when the only change beside the demo is an import from the command line, then the demo password is refused too', async () => {
    const demo = await open();
    await demo.database.db
      .insertInto('audit_log')
      .values({ user_id: null, user_email: 'cli', address: 'command line', action: 'import', subject: 'import:credit' })
      .execute();
    const refused = await Client.anonymous(demo.server).post('/auth/login', {
      email: 'admin@alliance.example',
      password: DEMO_PASSWORD,
    });
    expect(refused.status).toBe(401);
    expect((await refused.json()).type).toMatch(/\/demo-password-retired$/);
  });

  it('when each role asks for the demo status or to leave, then the admin gets it, the others 403, and signed out 401', async () => {
    const demo = await open();
    await addStandardUsers(demo.database.db);
    expect((await Client.anonymous(demo.server).get('/demo')).status).toBe(401);
    expect((await Client.anonymous(demo.server).post('/demo/leave', { records: 'keep' })).status).toBe(401);
    for (const identity of ['leadership', 'commission', 'stewardUSST'] as const) {
      const client = await Client.signIn(demo.server, IDENTITIES[identity].email);
      expect((await client.get('/demo')).status).toBe(403);
      expect((await client.post('/demo/leave', { records: 'keep' })).status).toBe(403);
    }
    const admin = await Client.signIn(demo.server, IDENTITIES.admin.email);
    expect(await (await admin.get('/demo')).json()).toEqual({
      synthetic: true,
      demoAccounts: demo.emails.length,
      left: false,
      purelySynthetic: false,
      ownAdministrators: 1,
    });
    const bad = await admin.post('/demo/leave', { records: 'all' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('body.records');
    expect((await admin.post('/demo/leave', {})).status).toBe(400);
    expect(await demoAccounts(demo)).toHaveLength(demo.emails.length);
    expect((await admin.post('/demo/leave', { records: 'keep' })).status).toBe(200);
    expect(await demoAccounts(demo)).toEqual([]);
  });

  it('when no active administrator of its own exists, then leaving is refused (409) and nothing changes', async () => {
    const demo = await open();
    // Signed in while the demo was all there was: once an account of its own exists, the demo password opens nothing.
    const demoAdmin = await Client.signIn(demo.server, 'admin@alliance.example', DEMO_PASSWORD);
    await addUser(demo.database.db, { email: 'gone@test.example', role: 'admin', disabled: true });
    const refused = await demoAdmin.post('/demo/leave', { records: 'remove' });
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toMatch(/administrator account of your own/);
    expect(await demoAccounts(demo)).toHaveLength(demo.emails.length);
    expect(await countRows(demo, 'credit')).toBe(demo.seeded.records.credit);
    expect((await readDemoStatus(demo.database.db)).left).toBe(false);
  });

  it('when the records are kept, then the demo accounts and their sessions are gone, the demo password signs nobody in, and the records stay labelled synthetic', async () => {
    const demo = await open();
    const steward = await Client.signIn(demo.server, 'steward.usst@alliance.example', DEMO_PASSWORD);
    const own = await addUser(demo.database.db, OWN_ADMIN);
    expect((await steward.post('/records/credit', CREDIT)).status).toBe(201);
    const admin = await Client.signIn(demo.server, OWN_ADMIN.email);

    const left = await admin.post('/demo/leave', { records: 'keep' });
    expect(left.status).toBe(200);
    expect(await left.json()).toEqual({
      removedAccounts: demo.emails,
      removedRecords: null,
      removedTargets: 0,
      synthetic: true,
    });

    expect(await demoAccounts(demo)).toEqual([]);
    expect((await steward.get('/auth/me')).status).toBe(401);
    for (const email of demo.emails) {
      const attempt = await Client.anonymous(demo.server).post('/auth/login', { email, password: DEMO_PASSWORD });
      expect(attempt.status).toBe(401);
    }
    expect(await loginOptions(demo)).toEqual({ demo: false });
    expect(await countRows(demo, 'credit')).toBe(demo.seeded.records.credit + 1);
    expect(await countRows(demo, 'target')).toBe(demo.seeded.targets);
    const entered = await demo.database.db
      .selectFrom('credit')
      .select(['created_by', 'updated_by'])
      .where('ref', '=', CREDIT.ref)
      .executeTakeFirstOrThrow();
    expect(entered).toEqual({ created_by: null, updated_by: null });
    expect((await (await admin.get('/meta')).json()).dataset).toEqual({ synthetic: true });
    const audit = await demo.database.db
      .selectFrom('audit_log')
      .select(['user_id', 'subject'])
      .where('action', '=', 'user_change')
      .orderBy('id')
      .execute();
    expect(audit).toEqual(demo.emails.map((email) => ({ user_id: own.id, subject: `user:${email}` })));
    expect(await readDemoStatus(demo.database.db)).toMatchObject({ left: true, demoAccounts: 0, purelySynthetic: false });
  });

  it('when the records are removed, by the demo administrator itself, then only what the generator wrote goes, with the synthetic label', async () => {
    const demo = await open();
    const steward = await Client.signIn(demo.server, 'steward.usst@alliance.example', DEMO_PASSWORD);
    const demoAdmin = await Client.signIn(demo.server, 'admin@alliance.example', DEMO_PASSWORD);
    await addUser(demo.database.db, OWN_ADMIN);
    expect((await steward.post('/records/credit', CREDIT)).status).toBe(201);
    const metaBefore = await demoAdmin.get('/meta');

    const left = await demoAdmin.post('/demo/leave', { records: 'remove' });
    expect(left.status).toBe(200);
    expect(await left.json()).toEqual({
      removedAccounts: demo.emails,
      removedRecords: demo.seeded.records,
      removedTargets: demo.seeded.targets,
      synthetic: false,
    });
    expect((await demoAdmin.get('/auth/me')).status).toBe(401);
    for (const kind of FACT_KINDS) expect(await countRows(demo, kind)).toBe(kind === 'credit' ? 1 : 0);
    expect(await countRows(demo, 'target')).toBe(0);

    const admin = await Client.signIn(demo.server, OWN_ADMIN.email);
    const meta = await admin.get('/meta');
    expect((await meta.json()).dataset).toEqual({ synthetic: false });
    expect(meta.headers.get('etag')).not.toBe(metaBefore.headers.get('etag'));
    expect(await loginOptions(demo)).toEqual({ demo: false });
    // Again: nothing left to remove, and nothing entered since is taken for demo data.
    const again = await admin.post('/demo/leave', { records: 'remove' });
    expect(await again.json()).toEqual({ removedAccounts: [], removedRecords: null, removedTargets: 0, synthetic: false });
    expect(await countRows(demo, 'credit')).toBe(1);
  });

  it('when the server starts on demo accounts beside data of its own, then it warns once and is not in demo mode; after leaving, demo data is never written again', async () => {
    const demo = await open();
    const lines: Array<{ level: number; msg: string; demoAccounts?: number }> = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    );
    const handle = { ...demo.database, kind: 'pglite' as const };
    const config = loadConfig({ DEMO_DATA: 'on', LOG_LEVEL: 'info' });
    const warnings = () => lines.filter((line) => line.level === 40);

    expect(await prepareDemoData(handle, config, log)).toBe(true);
    expect(warnings()).toEqual([]);

    const own = await addUser(demo.database.db, OWN_ADMIN);
    expect(await prepareDemoData(handle, config, log)).toBe(false);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ demoAccounts: demo.emails.length });
    expect(warnings()[0]!.msg).toMatch(/demo accounts .* leave-demo/);

    await leaveDemo(demo.database.db, { id: own.id, email: own.email, address: null }, { removeRecords: true });
    await demo.database.db.deleteFrom('credit').execute();
    lines.length = 0;
    expect(await prepareDemoData(handle, config, log)).toBe(false);
    expect(lines).toEqual([]);
    for (const kind of FACT_KINDS) expect(await countRows(demo, kind)).toBe(0);
  });

  it('when the schema is read, then every column that names an account is one that leaving demo mode empties', async () => {
    const demo = await open();
    const references = await sql<{ name: string }>`
      select cl.relname || '.' || a.attname as name
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
      where c.contype = 'f' and c.confrelid = 'app_user'::regclass
      order by 1`.execute(demo.database.db);
    expect(references.rows.map((r) => r.name)).toEqual([...ACCOUNT_REFERENCE_COLUMNS, 'session.user_id'].sort());
  });
});

describe(`leaving demo mode from the command line (${TEST_DB})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  // The commands run in this process on the test's database (test/integration/cli.test.ts starts the process itself).
  const cli = (args: string[], stdin?: string) => cliInProcess(args, { database, ...(stdin ? { stdin } : {}) });

  it('when the demo is imported into from the command line, then it is no longer purely synthetic; leave-demo --remove-records then keeps only the import', async () => {
    // What `npm run seed -- --records 300 --as-of 2025-06-30` writes.
    const { db } = database;
    await seedDemoData(db, { seed: DEMO_SEED, records: 300, asOf: '2025-06-30' });
    const emails = (await ensureDemoAccounts(db)).map((a) => a.email);
    expect((await readDemoStatus(db)).purelySynthetic).toBe(true);

    const imported = await cli(['import', 'credit', join(ROOT, 'docs/samples/credit.csv')]);
    expect(imported.code).toBe(0);
    expect((await readDemoStatus(db)).purelySynthetic).toBe(false);

    const usage = await cli(['leave-demo']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--keep-records or --remove-records/);
    const refused = await cli(['leave-demo', '--remove-records']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/administrator account of your own/);
    expect(
      (await cli(['user', 'add', '--email', 'ops@test.example', '--name', 'Ops', '--role', 'admin'], 'an operator password\n'))
        .code,
    ).toBe(0);

    const left = await cli(['leave-demo', '--remove-records']);
    expect(left.code).toBe(0);
    expect(left.stdout).toContain(`removed ${emails.length} demo account(s)`);
    expect(left.stdout).toContain('no longer labelled synthetic');
    expect(await readDemoStatus(db)).toEqual({ synthetic: false, demoAccounts: 0, left: true, purelySynthetic: false });
    const refs = await db.selectFrom('credit').select('ref').execute();
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((r) => r.ref.startsWith('SAMPLE-'))).toBe(true);
    for (const kind of FACT_KINDS.filter((k) => k !== 'credit'))
      expect(await db.selectFrom(kind).select('id').limit(1).execute()).toEqual([]);
    const audit = await db.selectFrom('audit_log').select('subject').where('user_email', '=', 'cli').execute();
    expect(audit.map((a) => a.subject)).toEqual(expect.arrayContaining(emails.map((email) => `user:${email}`)));
  });
});
