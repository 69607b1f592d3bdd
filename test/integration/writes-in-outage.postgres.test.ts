import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../server/db/connect.js';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { until } from '../helpers/until.js';

/**
 * A write answered 503 is never applied, and one applied is never answered 503: PostgreSQL reached
 * through a proxy that stalls the network at a chosen statement, then either lets it carry on
 * (everything it held is delivered, a COMMIT among it) or drops it. Counted on a direct connection.
 */
describe('when the network to the database stalls during a write (postgres)', () => {
  /** How long a COMMIT in doubt waits for the database here (10 s in production). */
  const COMMIT_WAIT_MS = 3000;
  let direct: TestDatabase;
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    direct = await createTestDatabase();
    await insertFacts(direct.db, randomFacts(3, 30));
    await addStandardUsers(direct.db);
    const url = new URL(direct.url!);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    await proxy.start();
    url.port = String(proxy.port);
    database = await connectDatabase({ databaseUrl: url.toString(), poolSize: 5, commitWaitMs: COMMIT_WAIT_MS });
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
    await proxy.close();
    await direct.close();
  });

  /** The network is back and nothing of this database is left in a transaction: what was to commit has. */
  const settle = async () => {
    await until(async () => (await server.fetch('/api/v1/health')).status === 200, 'health', { timeoutMs: 10_000, everyMs: 25 });
    await until(
      async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`.execute(direct.db)
        ).rows[0]!.n === 0,
      'open transactions',
      { timeoutMs: 10_000, everyMs: 25 },
    );
    await database.changes.ready(10_000);
  };
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(direct.db)).rows[0]!.n;
  const audits = () => count(sql<{ n: number }>`select count(*)::int as n from audit_log`);
  const credits = (ref: string) => count(sql<{ n: number }>`select count(*)::int as n from credit where ref = ${ref}`);
  const credit = (ref: string) => ({
    university_code: 'USST',
    ref,
    host_university_code: 'ZJUT',
    course: 'Optics',
    term: '2024-2025-1',
    recognized_on: '2024-11-20',
    students: 3,
    credits: 6,
  });
  /** The moment a write's transaction has written its rows and is about to write its audit entry. */
  const MID_TRANSACTION = /insert into "audit_log"/;
  /** The COMMIT message: a simple query (`Q`, its length, `commit` and a zero byte). */
  const COMMIT = 'Q\0\0\0\vcommit\0';

  /** Sends a write, stalls the network at `at`, and says what the write was answered and when. */
  const stalledAt = async (at: RegExp | string, send: () => Promise<Response>) => {
    const stalled = proxy.stallAt(at);
    const started = performance.now();
    const answer = send().then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, any>,
      ms: performance.now() - started,
    }));
    await stalled;
    return answer;
  };

  it('when it stalls mid-transaction, then a record POST, PATCH and DELETE are each answered 503 and, after the network returns with what it held, none is applied', async () => {
    expect((await admin.post('/records/credit', credit('KEEP-1'))).status).toBe(201);
    const kept = (await (await admin.get('/records/credit?q=KEEP-1')).json()).rows[0];
    const before = await audits();

    const created = await stalledAt(MID_TRANSACTION, () => admin.post('/records/credit', credit('STALL-POST')));
    expect(created.status).toBe(503);
    expect(created.ms).toBeLessThan(5000);
    proxy.resume();
    await settle();
    expect(await credits('STALL-POST')).toBe(0);
    expect(created.body.detail).toMatch(/nothing of it was applied/);

    const patched = await stalledAt(MID_TRANSACTION, () => admin.patch(`/records/credit/${kept.id}`, { students: 99 }));
    expect(patched.status).toBe(503);
    proxy.resume();
    await settle();
    expect(await count(sql<{ n: number }>`select students as n from credit where id = ${kept.id}`)).toBe(3);

    const deleted = await stalledAt(MID_TRANSACTION, () => admin.delete(`/records/credit/${kept.id}`));
    expect(deleted.status).toBe(503);
    proxy.resume();
    await settle();
    expect(await credits('KEEP-1')).toBe(1);

    expect(await audits()).toBe(before);
    // And once it is back, the same POST is applied once.
    expect((await admin.post('/records/credit', credit('STALL-POST'))).status).toBe(201);
    expect(await credits('STALL-POST')).toBe(1);
  });

  it('when it stalls mid-transaction, then a report submission is answered 503 and not applied; sent again, it is applied once, and again after that it answers the same submission', async () => {
    const submissions = () => count(sql<{ n: number }>`select count(*)::int as n from report_submission where period = '2023'`);
    const before = await audits();
    const submit = () => admin.post('/report/submissions', { period: '2023', lang: 'en' });
    const refused = await stalledAt(MID_TRANSACTION, submit);
    expect(refused.status).toBe(503);
    proxy.resume();
    await settle();
    expect(await submissions()).toBe(0);
    expect(await audits()).toBe(before);

    const first = await submit();
    expect(first.status).toBe(201);
    const again = await submit();
    expect(again.status).toBe(200);
    expect((await again.json()).submission.id).toBe((await first.json()).submission.id);
    expect(await submissions()).toBe(1);
  });

  it('when it stalls mid-transaction, then a CSV import of 5,000 rows is answered 503 and, after the network returns with what it held, no row of it is there', async () => {
    const header = KIND_COLUMNS.credit.map((c) => c.name).join(',');
    const lines = [header];
    for (let i = 0; i < 5000; i++) lines.push(`USST,IMPORT-${i},ZJUT,Course,2024-2025-1,2025-01-20,3,6`);
    const before = await audits();
    const batches = await count(sql<{ n: number }>`select count(*)::int as n from import_batch`);
    const refused = await stalledAt(MID_TRANSACTION, () =>
      admin.request('POST', '/imports/credit', `${lines.join('\r\n')}\r\n`, { 'content-type': 'text/csv' }),
    );
    expect(refused.status).toBe(503);
    proxy.resume();
    await settle();
    expect(await count(sql<{ n: number }>`select count(*)::int as n from credit where ref like 'IMPORT-%'`)).toBe(0);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from import_batch`)).toBe(batches);
    expect(await audits()).toBe(before);
  });

  it('when it stalls with the COMMIT sent and the network then delivers it, then the write waits for the outcome and answers success: applied and answered 2xx', async () => {
    const pending = stalledAt(COMMIT, () => admin.post('/records/credit', credit('LATE-ONE')));
    await until(() => database.availability!.available === false, 'the monitor to see the stall', { everyMs: 25 });
    // The COMMIT's outcome is not known yet: no answer may go out.
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.resume();
    const answer = await pending;
    await settle();
    expect(answer.status).toBe(201);
    expect(await credits('LATE-ONE')).toBe(1);
  });

  it('when it stalls with the COMMIT sent and the network drops it, then the write is answered 503 and is not applied', async () => {
    const before = await audits();
    const pending = stalledAt(COMMIT, () => admin.post('/records/credit', credit('LOST-ONE')));
    await until(() => database.availability!.available === false, 'the monitor to see the stall', { everyMs: 25 });
    proxy.restore();
    const answer = await pending;
    await settle();
    expect(answer.status).toBe(503);
    expect(await credits('LOST-ONE')).toBe(0);
    expect(await audits()).toBe(before);
    expect(answer.body.detail).toMatch(/nothing of it was applied/);
  });

  it('when the network stays away longer than a COMMIT may wait, then the answer says the outcome is unknown, and the same submission sent again gives one submission', async () => {
    const submissions = () => count(sql<{ n: number }>`select count(*)::int as n from report_submission where period = '2022'`);
    const submit = () => admin.post('/report/submissions', { period: '2022', lang: 'zh' });
    const answer = await stalledAt(COMMIT, submit);
    expect(answer.status).toBe(503);
    // Only now does the COMMIT arrive: it was applied after all.
    proxy.resume();
    await settle();
    expect(await submissions()).toBe(1);
    const retried = await submit();
    expect(retried.status).toBe(200);
    expect(await submissions()).toBe(1);
    expect(answer.body.detail).toMatch(/unknown/);
    expect(answer.ms).toBeGreaterThan(COMMIT_WAIT_MS);
  });

  it('when the network stalls, then nothing is answered from memory more than 1.5 s after the stall began', async () => {
    const path = '/aggregate?measures=credits.credits&by=university';
    const leadership = await Client.signIn(server, IDENTITIES.leadership.email);
    expect((await leadership.get(path)).status).toBe(200);
    expect((await leadership.get(path)).status).toBe(200);
    // The worst moment to stall: just after the monitor's probe was answered.
    const monitor = database.availability!;
    const probe = monitor.check.bind(monitor);
    let stalledAtMs = 0;
    const spy = vi.spyOn(monitor, 'check').mockImplementation(async () => {
      const up = await probe();
      if (up && stalledAtMs === 0) {
        proxy.stall();
        stalledAtMs = performance.now();
      }
      return up;
    });
    await until(() => stalledAtMs > 0, 'a probe', { everyMs: 25 });
    spy.mockRestore();
    let lastFromMemory = 0;
    let firstNot = 0;
    while (firstNot === 0) {
      const sent = performance.now();
      const response = await leadership.get(path);
      await response.arrayBuffer();
      if (response.status === 200) lastFromMemory = sent;
      else firstNot = sent;
      if (performance.now() - stalledAtMs > 10_000) throw new Error('still answered after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    proxy.restore();
    await settle();
    // Sent at most 1.5 s after the stall began; 10 ms between requests and the timer's lateness allowed.
    expect(lastFromMemory - stalledAtMs).toBeLessThanOrEqual(1500);
    expect(firstNot - stalledAtMs).toBeLessThanOrEqual(1500 + 100);
  });
});
