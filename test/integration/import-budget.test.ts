import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/**
 * An import's cost is bounded by design: a file of a million one-character lines is refused
 * after 10,000 problems, in a bounded amount of memory, and the process admits only so many
 * imports at once, telling the rest to come back (503 with Retry-After).
 */
const HEADER = 'university_code,ref,host_university_code,course,term,recognized_on,students,credits';

describe(`the import budget (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let steward: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database, {}, { importLimits: { uploads: 1, running: 1, waiting: 0 } });
    steward = await Client.signIn(server, IDENTITIES.stewardUSST.email);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('when a 2 MB file of a million one-character lines is sent, then it is refused at 10,000 problems without the memory growing with its lines', async () => {
    const file = `${HEADER}\n${'x\n'.repeat(1_000_000)}`;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const response = await steward.post('/imports/credit', file);
    clearInterval(sampler);
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.errorCount).toBe(10_000);
    expect(problem.errors).toHaveLength(1000);
    expect(problem.errors[0]).toEqual({ line: 2, message: 'the row has 1 cells, the header 8' });
    expect(problem.detail).toMatch(/10,000 or more problems/);
    // Before, the parser kept an object per line: about 3 GB for this file.
    expect((peak - before) / 1024 / 1024).toBeLessThan(300);
    const batches = await database.db.selectFrom('import_batch').select(['status', 'error_count']).execute();
    expect(batches).toEqual([{ status: 'rejected', error_count: 10_000 }]);
  });

  it('when the uploads the process admits are all being received, then another is told at once to come back later', async () => {
    // The one upload slot: a body that arrives slowly (its head and a first line, the rest held back).
    const url = new URL(server.url);
    const slow = connect(Number(url.port), url.hostname);
    let slowAnswer = '';
    slow.on('data', (chunk) => {
      slowAnswer += chunk.toString();
    });
    slow.on('error', () => undefined);
    const body = `${HEADER}\r\nUSST,BUDGET-1,ZJUT,Optics,2024-2025-1,2024-10-09,3,6\r\n`;
    slow.write(
      [
        'POST /api/v1/imports/credit?dryRun=true HTTP/1.1',
        `Host: ${url.host}`,
        `Cookie: ${steward.cookie}`,
        `X-CSRF-Token: ${steward.csrfToken}`,
        'Content-Type: text/csv',
        `Content-Length: ${body.length}`,
        '',
        body.slice(0, 20),
      ].join('\r\n'),
    );
    // The slow upload holds the slot once the server has read its head (a moment); a second is then refused at once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slowAnswer).toBe('');
    await expect
      .poll(
        async () => {
          const response = await steward.post('/imports/credit?dryRun=true', body);
          await response.arrayBuffer();
          return response.status === 503 ? response.headers.get('retry-after') : null;
        },
        { timeout: 5000, interval: 50 },
      )
      .toBe('30');
    const refused = await steward.post('/imports/credit?dryRun=true', body);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await refused.json()).detail).toMatch(/Too many uploads at once/);
    // The slow one finishes, and its place is free again.
    slow.write(body.slice(20));
    await expect.poll(() => slowAnswer.split('\r\n')[0], { timeout: 5000 }).toBe('HTTP/1.1 200 OK');
    slow.destroy();
    const after = await steward.post('/imports/credit?dryRun=true', body);
    expect(after.status).toBe(200);
  });
});
