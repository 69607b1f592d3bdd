import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilityMonitor } from '../../server/db/availability.js';
import { connectDatabase, type DatabaseHandle } from '../../server/db/connect.js';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import { createTestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { until } from '../helpers/until.js';

/** PostgreSQL going away and coming back, through a proxy the test controls. */
describe('when the database server goes away (postgres)', () => {
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let server: TestServer;
  let client: Client;
  let directUrl: string;
  beforeAll(async () => {
    const direct = await createTestDatabase();
    await insertFacts(direct.db, randomFacts(3, 30));
    await addStandardUsers(direct.db);
    directUrl = direct.url!;
    const url = new URL(direct.url!);
    await direct.close();
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    await proxy.start();
    url.port = String(proxy.port);
    database = await connectDatabase({ databaseUrl: url.toString(), poolSize: 5 });
    server = await startTestServer(database);
    client = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
    await proxy.close();
  });

  const timed = async (path: string) => {
    const started = performance.now();
    const response = await client.get(path);
    const body = await response.text();
    return {
      status: response.status,
      ms: performance.now() - started,
      body,
      retryAfter: response.headers.get('retry-after'),
      type: response.headers.get('content-type'),
    };
  };
  const AGGREGATE = '/aggregate?measures=tech_transfer.contracts&by=university';

  it('when this process itself is busy past the window (a long computation), then the database is not taken for away', async () => {
    // A monitor of its own, on a direct connection: the proxy runs in this process, and would be held too.
    const monitor = new AvailabilityMonitor(directUrl);
    const changes: boolean[] = [];
    monitor.onChange((available) => changes.push(available));
    monitor.start();
    try {
      // Connected and answering (a check while the first probe is still out answers at once).
      await until(
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return monitor.answering && (await monitor.check());
        },
        'the monitor to connect',
        { everyMs: 100 },
      );
      changes.length = 0;
      for (let i = 0; i < 3; i++) {
        // A probe goes out, then the event loop is held for longer than the window: the answer
        // arrives meanwhile and must be read before the probe's deadline is judged.
        const probe = monitor.check();
        const end = performance.now() + monitor.windowMs + 500;
        while (performance.now() < end);
        expect(await probe).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(changes).toEqual([]);
    } finally {
      await monitor.stop();
      // The app's own monitor reaches the database through the proxy, which runs in this process and
      // was held too: it may have taken the database for away. It comes back by itself.
      await until(async () => (await timed('/health')).status === 200, 'health', { timeoutMs: 10_000, everyMs: 100 });
    }
  });

  it('when it is cut, then health and every call answer 503 with Retry-After within 5 s, and after it is back the next calls succeed without a restart', async () => {
    expect((await timed(AGGREGATE)).status).toBe(200);
    proxy.cut();
    const during = await timed(AGGREGATE);
    expect(during.status).toBe(503);
    expect(during.ms).toBeLessThan(5000);
    expect(during.type).toMatch(/problem\+json/);
    expect(Number(during.retryAfter)).toBeGreaterThan(0);
    expect(during.body).not.toMatch(/at .+\.(ts|js):\d+/);
    const health = await timed('/health');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toEqual({ status: 'unavailable', database: 'postgres' });
    for (const path of ['/summary', '/meta', '/records/credit', '/collaboration?measure=credits.credits']) {
      const answer = await timed(path);
      expect(answer.status, path).toBe(503);
      expect(answer.ms).toBeLessThan(5000);
    }
    proxy.restore();
    await until(async () => (await timed('/health')).status === 200, 'health', { timeoutMs: 10_000, everyMs: 100 });
    expect((await timed(AGGREGATE)).status).toBe(200);
    expect((await timed('/summary')).status).toBe(200);
  });

  it('when it stalls, then a call already waiting is answered 503 within 5 s instead of hanging, and it recovers when the network does', async () => {
    expect((await timed(AGGREGATE)).status).toBe(200);
    proxy.stall();
    const during = await timed(`${AGGREGATE}&from=2023-01-01`);
    expect(during.status).toBe(503);
    expect(during.ms).toBeLessThan(5000);
    expect((await timed('/health')).status).toBe(503);
    proxy.restore();
    await until(async () => (await timed('/health')).status === 200, 'health', { timeoutMs: 10_000, everyMs: 100 });
    expect((await timed(`${AGGREGATE}&from=2023-01-01`)).status).toBe(200);
  });

  it('when every connection of the readers’ pool is taken, then a request that cannot get one in time is a 503, not a hang', async () => {
    const held = Array.from({ length: 5 }, () =>
      database.db.connection().execute((connection) => sql`select pg_sleep(6)`.execute(connection)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A question not asked before: an answer already known would be sent from memory, without a connection.
    const answer = await timed(`${AGGREGATE}&from=2022-02-02`);
    expect(answer.status).toBe(503);
    expect(answer.ms).toBeLessThan(5000);
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    await Promise.all(held);
    expect((await timed(AGGREGATE)).status).toBe(200);
  });

  it('when a long import runs, then dashboard reads are not starved: it uses a pool of its own', async () => {
    const header = KIND_COLUMNS.credit.map((c) => c.name).join(',');
    const lines = [header];
    for (let i = 0; i < 40_000; i++) lines.push(`USST,LONG-${i},ZJUT,Course,2024-2025-1,2025-01-20,3,6`);
    const admin = await Client.signIn(server, IDENTITIES.admin.email);
    let importFinished = Number.POSITIVE_INFINITY;
    const importing = admin
      .request('POST', '/imports/credit', `${lines.join('\r\n')}\r\n`, { 'content-type': 'text/csv' })
      .then((response) => {
        importFinished = performance.now();
        return response;
      });
    const reads: Array<{ status: number; at: number }> = [];
    for (let i = 0; i < 20; i++) {
      const answer = await timed(`${AGGREGATE}&to=2025-0${(i % 9) + 1}-01`);
      reads.push({ status: answer.status, at: performance.now() });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await importing).status).toBe(200);
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
    // Starved reads would all come back after the import; these were answered while it ran.
    expect(reads.filter((r) => r.at < importFinished).length).toBeGreaterThanOrEqual(5);
  });
});
