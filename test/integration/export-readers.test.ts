import { connect } from 'node:net';
import { type IncomingHttpHeaders, request } from 'node:http';
import { type KyselyPlugin, type PluginTransformResultArgs, type QueryResult, sql, type UnknownRow } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertBulkCredits } from '../helpers/facts.js';
import { captureLog } from '../helpers/log.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { spoolFilesHeld } from '../helpers/spool-files.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { until } from '../helpers/until.js';

/**
 * A reader of a CSV export that reads slowly, or not at all, holds no database connection and
 * nothing for ever: the export is written at the database's speed into a file, the connection is
 * given back, and only then are the status and the file sent. Before, the export streamed from its
 * cursor (or COPY) straight into the response: on the embedded database a paused reader held its one
 * connection (every other request a 503 after 20 s); on PostgreSQL two held the bulk pool, and a
 * third export was answered 200 and its header, then cut.
 */
const ROWS = 100_000;
const EXPORT = '/records/credit?format=csv';
const FORMATTED = '/records/credit?format=csv&formatted=true&lang=zh';

/** A download whose reader stopped reading as soon as its status line arrived. */
interface Held {
  status: number;
  headers: IncomingHttpHeaders;
  /** When the status line arrived (Date.now(), as the log's times). */
  wallAt: number;
  /** Whether its connection has closed, so far as a reader that reads nothing can tell. */
  isClosed(): boolean;
  /** Reads on; resolves with what arrived and whether the response was whole. */
  readRest(): Promise<{ body: Buffer; complete: boolean }>;
  /** The reader goes away. */
  leave(): void;
}

/** The export files of this process on disk (the servers of this file run in it), named or still open. */
const spoolFiles = (): string[] => spoolFilesHeld('.export');

/** Declared on PostgreSQL only (COPY, the bulk pool's two connections): never a test skipped on PGlite. */
const itOnPostgres: typeof it = TEST_DB === 'postgres' ? it : ((() => undefined) as unknown as typeof it);

const lineCount = (text: string): number => text.trimEnd().split('\r\n').length;

/** Fails every query through it at its second chunk of rows, as a connection that dies midway does. */
class FailMidway implements KyselyPlugin {
  chunks = 0;
  transformQuery(args: Parameters<KyselyPlugin['transformQuery']>[0]) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (++this.chunks === 2) throw new Error('Connection terminated unexpectedly');
    return args.result;
  }
}

describe(`slow and stalled readers of CSV exports (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  const { log, lines } = captureLog();
  const faults = () => lines.filter((line) => line.level >= 50);

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    await insertBulkCredits(database.db, 'SLOW', ROWS);
    server = await startTestServer(database, {}, { log });
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  beforeEach(() => {
    lines.length = 0;
  });

  /** Starts a download on a connection of its own and stops reading it at its status line. */
  function hold(on: TestServer, cookie: string, path: string): Promise<Held> {
    return new Promise((resolve, reject) => {
      const req = request(`${on.url}/api/v1${path}`, { headers: { cookie }, agent: false }, (res) => {
        res.pause();
        const wallAt = Date.now();
        const chunks: Buffer[] = [];
        let closed = false;
        let ended = false;
        res.on('error', () => undefined);
        res.once('end', () => {
          ended = true;
        });
        res.socket.once('close', () => {
          closed = true;
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          wallAt,
          isClosed: () => closed,
          readRest: () =>
            new Promise((done) => {
              const finish = () => done({ body: Buffer.concat(chunks), complete: ended && res.complete });
              if (res.destroyed) return finish();
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.once('end', () => {
                ended = true;
                finish();
              });
              res.once('close', finish);
              res.resume();
            }),
          leave: () => res.destroy(),
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** A held reader was never cut: reading on, it gets the whole export, as long as its Content-Length says. */
  async function expectWhole(held: Held): Promise<void> {
    expect(held.isClosed()).toBe(false);
    const rest = await held.readRest();
    expect(rest.complete).toBe(true);
    expect(rest.body.length).toBe(Number(held.headers['content-length']));
    expect(lineCount(rest.body.toString('utf8'))).toBe(ROWS + 1);
  }

  async function timed(work: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
    const start = performance.now();
    const response = await work();
    return { response, ms: performance.now() - start };
  }

  it('when a reader holds an export open without reading, then health, a records page and a second export answer promptly', async () => {
    const held = await hold(server, admin.cookie!, EXPORT);
    expect(held.status).toBe(200);
    // Let the server's writes back up against the paused reader.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const health = await timed(() => server.fetch('/api/v1/health'));
    expect(health.response.status).toBe(200);
    expect(health.ms).toBeLessThan(3000);

    const page = await timed(() => admin.get('/records/credit?pageSize=5'));
    expect(page.response.status).toBe(200);
    expect(((await page.response.json()) as { total: number }).total).toBe(ROWS);
    // Before, on the embedded database, this waited 20 s for the held connection and got a 503.
    expect(page.ms).toBeLessThan(3000);

    for (const path of [EXPORT, FORMATTED]) {
      const second = await timed(() => admin.get(path));
      expect(second.response.status).toBe(200);
      expect(lineCount(await second.response.text())).toBe(ROWS + 1);
      expect(second.ms).toBeLessThan(20_000);
    }

    // The held reader was never cut meanwhile, and its download is whole when it reads on.
    await expectWhole(held);
    await until(() => spoolFiles().length === 0, 'the export files to be removed');
    expect(faults()).toEqual([]);
  });

  it('when a reader goes away mid-download, then its file is removed and nothing is logged as an error', async () => {
    const held = await hold(server, admin.cookie!, EXPORT);
    expect(held.status).toBe(200);
    expect(spoolFiles()).toHaveLength(1);
    held.leave();
    await until(() => spoolFiles().length === 0, 'the export file to be removed');
    await until(() => lines.some((line) => line.req?.url === `/api/v1${EXPORT}` && line.msg === 'request aborted'), 'the log');
    expect(faults()).toEqual([]);
    const whole = await admin.get(EXPORT);
    expect(lineCount(await whole.text())).toBe(ROWS + 1);
  });

  it('when a reader takes nothing for the stall timeout, then its connection is cut and its file removed', async () => {
    const quick = await startTestServer(database, {}, { log, exportLimits: { stallMs: 1000 } });
    try {
      const reader = await Client.signIn(quick, IDENTITIES.admin.email);
      const cut = () => lines.find((line) => line.level === 40 && /took nothing for too long/.test(line.msg));
      const held = await hold(quick, reader.cookie!, EXPORT);
      expect(held.status).toBe(200);
      expect(spoolFiles()).toHaveLength(1);
      // The cut is seen on the server: a reader that reads nothing cannot see it until it reads on.
      await until(() => cut() !== undefined, 'the stalled reader to be cut', { timeoutMs: 10_000 });
      // Cut after about a second without progress (the first buffers filled in the first milliseconds).
      expect(cut()!.time - held.wallAt).toBeGreaterThan(900);
      expect(cut()!.time - held.wallAt).toBeLessThan(5000);
      await until(() => spoolFiles().length === 0, 'the export file to be removed');
      const rest = await held.readRest();
      expect(rest.complete).toBe(false);
      expect(rest.body.length).toBeLessThan(Number(held.headers['content-length']));
      expect(faults()).toEqual([]);
      // The server goes on.
      const page = await reader.get('/records/credit?pageSize=5');
      expect(page.status).toBe(200);
    } finally {
      await quick.close();
    }
  });

  it('when a reader takes a block now and then, never stalling but far below the floor, then it is cut once its grace is over', async () => {
    const quick = await startTestServer(
      database,
      {},
      { log, exportLimits: { graceMs: 1000, minBytesPerSecond: 4 * 1024 * 1024 } },
    );
    try {
      const reader = await Client.signIn(quick, IDENTITIES.admin.email);
      const slow = () => lines.find((line) => line.level === 40 && /took it too slowly/.test(line.msg));
      const url = new URL(quick.url);
      const socket = connect(Number(url.port), url.hostname);
      socket.on('error', () => undefined);
      let received = 0;
      socket.on('data', (chunk) => {
        received += chunk.length;
        socket.pause(); // one block, then a pause: about 64 KB every 400 ms, far under 4 MB/s
        setTimeout(() => socket.resume(), 400);
      });
      socket.write(`GET /api/v1${EXPORT} HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${reader.cookie}\r\n\r\n`);
      await until(() => slow() !== undefined, 'the slow reader to be cut', { timeoutMs: 15_000 });
      await until(() => spoolFiles().length === 0, 'the export file to be removed');
      expect(received).toBeGreaterThan(0);
      expect(faults()).toEqual([]);
      socket.destroy();
    } finally {
      await quick.close();
    }
  });

  it('when more exports come than the process admits, then the extra one is a 503 with Retry-After, and the place comes back', async () => {
    const narrow = await startTestServer(database, {}, { log, exportLimits: { sending: 1, waiting: 0 } });
    try {
      const reader = await Client.signIn(narrow, IDENTITIES.admin.email);
      const held = await hold(narrow, reader.cookie!, EXPORT);
      expect(held.status).toBe(200);
      const refused = await reader.get(EXPORT);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('10');
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await refused.json()) as { detail: string }).detail).toMatch(/Too many downloads/);
      // Only downloads are refused: the records themselves are read as usual.
      expect((await reader.get('/records/credit?pageSize=5')).status).toBe(200);
      held.leave();
      await until(() => spoolFiles().length === 0, 'the export file to be removed');
      const next = await reader.get('/aggregate?measures=credits.credits&by=university&format=csv');
      expect(next.status).toBe(200);
      expect(lineCount(await next.text())).toBeGreaterThan(1);
    } finally {
      await narrow.close();
    }
  });

  it('when one account has as many downloads under way as it may, then its next is a 429, and everyone else is served', async () => {
    const narrow = await startTestServer(database, {}, { log, exportLimits: { perAccount: 1 } });
    try {
      const reader = await Client.signIn(narrow, IDENTITIES.admin.email);
      const other = await Client.signIn(narrow, IDENTITIES.leadership.email);
      const held = await hold(narrow, reader.cookie!, EXPORT);
      expect(held.status).toBe(200);
      // Any download of the account, CSV or workbook, of any route, waits for the one under way. It
      // is refused before the route reads anything for it: a submission that does not exist is a 429
      // here, not a 404.
      const downloads = [
        '/aggregate?measures=credits.credits&by=university&format=csv',
        '/summary?format=xlsx',
        '/collaboration?measure=credits.credits&format=csv',
        '/records/credit?format=xlsx',
        '/report?period=2024&format=csv&table=summary',
        '/report?period=2024&format=xlsx',
        '/report/submissions/999999?format=csv&table=summary',
        '/report/submissions/999999?format=xlsx',
        '/cycle/board?format=csv',
      ];
      for (const path of downloads) {
        const refused = await reader.get(path);
        expect(refused.status, path).toBe(429);
        expect(refused.headers.get('retry-after')).toBe('10');
        // Not the data's tag of the file it is not (W/"<version>-<digest>"): kept, it would bring a 304
        // for a file never received. (Express may tag the problem's own body.)
        expect(refused.headers.get('etag') ?? '', path).not.toMatch(/^W\/"\d+-[\w-]{22}"$/);
        const problem = (await refused.json()) as { code: string; detail: string };
        expect(problem.code).toBe('downloading_already');
        expect(problem.detail).toMatch(/has 1 download under way/);
      }
      // Another account's download is not in its line, nor is the account's reading of pages.
      expect((await other.get('/aggregate?measures=credits.credits&by=university&format=csv')).status).toBe(200);
      expect((await reader.get('/records/credit?pageSize=5')).status).toBe(200);
      held.leave();
      await until(() => spoolFiles().length === 0, 'the export file to be removed');
      // A download that fails is given back its place too: with one place, the same 404 twice.
      for (const _ of [1, 2]) expect((await reader.get('/report/submissions/999999?format=csv&table=summary')).status).toBe(404);
      // The place is given back however the download ended: here, its reader went away.
      const next = await reader.get('/aggregate?measures=credits.credits&by=university&format=csv');
      expect(next.status).toBe(200);
      expect(lineCount(await next.text())).toBeGreaterThan(1);
    } finally {
      await narrow.close();
    }
  });

  it('when the API document is read, then every route that downloads says it may answer 429', async () => {
    const reader = await Client.signIn(server, IDENTITIES.admin.email);
    const document = (await (await reader.get('/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    for (const path of [
      '/aggregate',
      '/summary',
      '/collaboration',
      '/records/{kind}',
      '/report',
      '/report/submissions/{id}',
      '/cycle/board',
    ])
      expect(document.paths[`/api/v1${path}`]?.get?.responses['429'], path).toBeDefined();
  });

  it('when downloads are pipelined on one connection that then closes, then every place and file is given back', async () => {
    const narrow = await startTestServer(database, {}, { log, exportLimits: { perAccount: 2 } });
    try {
      const reader = await Client.signIn(narrow, IDENTITIES.admin.email);
      // Two exports sent at once on one connection, neither of them read: the first answer is sent
      // (and stalls), the second is queued behind it with no socket of its own. Then the connection
      // closes. (Node reads no further requests of a connection whose answers wait to be read.)
      const { port } = new URL(narrow.url);
      const socket = connect({ host: '127.0.0.1', port: Number(port) });
      socket.pause();
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const get = `GET /api/v1${EXPORT} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${reader.cookie}\r\n\r\n`;
      socket.write(get.repeat(2));
      // Both are written, the first being sent and the second waiting for its turn on the connection.
      // Writing two exports of 100,000 rows takes seconds, and many more on a machine running two suites.
      await until(() => spoolFiles().length === 2, 'the two exports to be written', { timeoutMs: 60_000 });
      socket.destroy();
      // Before, the queued answer was never told: its place and file were held for ever.
      await until(() => spoolFiles().length === 0, 'every export file to be removed');
      const small = '/aggregate?measures=credits.credits&by=university&format=csv';
      const again = await Promise.all([0, 1].map(() => reader.get(small)));
      expect(again.map((r) => r.status)).toEqual([200, 200]);
      expect(faults()).toEqual([]);
    } finally {
      await narrow.close();
    }
  });

  it('when the database fails midway through an export, then the answer is a 503 problem, never a 200 that is cut', async () => {
    const failing = new FailMidway();
    const broken = await startTestServer({ ...database, bulk: database.bulk.withPlugin(failing) }, {}, { log });
    try {
      const reader = await Client.signIn(broken, IDENTITIES.admin.email);
      // The formatted export reads a cursor on both engines (a raw one on PostgreSQL is a COPY: below).
      const response = await reader.get(FORMATTED);
      expect(failing.chunks).toBeGreaterThanOrEqual(2);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { status: number }).status).toBe(503);
      await until(() => spoolFiles().length === 0, 'the export file to be removed');
    } finally {
      await broken.close();
    }
  });

  for (const [what, address] of [
    ['COPY', EXPORT],
    ['cursor', FORMATTED],
  ] as const) {
    itOnPostgres(
      `when the export's ${what} is ended by the server midway, then the answer is a 503 problem, never a 200 that is cut, and its connection comes back`,
      async () => {
        // The table locked, the export waits; its backend is then ended, as an administrator or a failover would.
        const locker = new pg.Client({ connectionString: database.url! });
        await locker.connect();
        try {
          await locker.query('begin');
          await locker.query('lock table credit in access exclusive mode');
          const pending = admin.get(address);
          let pid: number | undefined;
          await until(
            async () => {
              // Inside a transaction the activity view is a snapshot taken at its first read: take a new one.
              await locker.query('select pg_stat_clear_snapshot()');
              const { rows } = await locker.query<{ pid: number }>(
                `select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
              );
              pid = rows[0]?.pid;
              return pid !== undefined;
            },
            'the export to wait on the lock',
            { timeoutMs: 10_000 },
          );
          expect(pid).toBeDefined();
          await locker.query('select pg_terminate_backend($1)', [pid]);
          await locker.query('rollback');
          const response = await pending;
          expect(response.status).toBe(503);
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        } finally {
          await locker.end();
        }
        await until(() => spoolFiles().length === 0, 'the export file to be removed');
        // The bulk pool (two connections) lost one and makes another: more exports than it holds are whole.
        for (let i = 0; i < 3; i++) {
          const whole = await admin.get(address);
          expect(whole.status).toBe(200);
          expect(lineCount(await whole.text())).toBe(ROWS + 1);
        }
      },
    );
  }

  itOnPostgres(
    'when three readers stall, then each got its status only once its rows were read, each download is whole, and a fourth is served',
    async () => {
      const audited = async () =>
        Number(
          (
            await sql<{
              n: number;
            }>`select count(*) as n from audit_log where action = 'export' and subject = 'export:records/credit'`.execute(
              database.db,
            )
          ).rows[0]!.n,
        );
      const before = await audited();
      // Three at once on the bulk pool's two connections; before, the third was answered 200 and cut 3 s later.
      const readers = await Promise.all([0, 1, 2].map(() => hold(server, admin.cookie!, EXPORT)));
      // Each export's rows were read whole (and audited) before its status line was sent.
      expect(await audited()).toBe(before + 3);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const page = await timed(() => admin.get('/records/credit?pageSize=5'));
      expect(page.response.status).toBe(200);
      expect(page.ms).toBeLessThan(3000);
      const fourth = await timed(() => admin.get(EXPORT));
      expect(fourth.response.status).toBe(200);
      expect(lineCount(await fourth.response.text())).toBe(ROWS + 1);
      expect(fourth.ms).toBeLessThan(10_000);

      for (const reader of readers) {
        expect(reader.status).toBe(200);
        await expectWhole(reader);
      }
      await until(() => spoolFiles().length === 0, 'the export files to be removed');
      expect(faults()).toEqual([]);
    },
  );
});
