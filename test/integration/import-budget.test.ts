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
    expect(problem.errors[0]).toMatchObject({ line: 2, message: 'the row has 1 cells, the header 8' });
    expect(problem.detail).toMatch(/10,000 or more problems/);
    // Before, the parser kept an object per line: about 3 GB for this file.
    expect((peak - before) / 1024 / 1024).toBeLessThan(300);
    const batches = await database.db.selectFrom('import_batch').select(['status', 'error_count']).execute();
    expect(batches).toEqual([{ status: 'rejected', error_count: 10_000 }]);
  });

  /** Sends a file and samples this process's resident memory meanwhile (the server runs in it): the growth, in MB. */
  async function postMeasured(path: string, file: string): Promise<{ response: Response; growthMb: number }> {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const response = await steward.post(path, file);
      await response.clone().arrayBuffer();
      return { response, growthMb: (peak - before) / 1024 / 1024 };
    } finally {
      clearInterval(sampler);
    }
  }

  it('when a file of a million line ends is sent, then it is refused after 10,000 empty rows, not read to its end', async () => {
    const { response } = await postMeasured('/imports/credit?dryRun=true', `${HEADER}\n${'\n'.repeat(1_000_000)}`);
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.detail).toMatch(/more than 10,000 empty rows/);
    // The header is line 1, the 10,001st empty row line 10,002.
    expect(problem.errors).toMatchObject([{ line: 10_002, message: 'more than 10,000 empty rows by this line' }]);
  });

  it('when one row is 40 MB of empty cells, then it is refused at its 101st cell, naming its line, without holding the row', async () => {
    const { response, growthMb } = await postMeasured('/imports/credit?dryRun=true', `${HEADER}\n${','.repeat(40_000_000)}\n`);
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toMatchObject([{ line: 2, message: 'the row has more than 100 cells' }]);
    // Before, the parser built the row's 40 million cells: about 2 GB.
    expect(growthMb).toBeLessThan(300);
  });

  it('when a quoted cell runs for 45 MB, then the row is refused at 64 KB, naming its line', async () => {
    const file = `${HEADER}\nUSST,R-1,ZJUT,"${'x'.repeat(45_000_000)}",2024-2025-1,2024-10-09,3,6\n`;
    const { response, growthMb } = await postMeasured('/imports/credit?dryRun=true', file);
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toMatchObject([
      { line: 2, message: 'the row is longer than 64 KB (there it is inside a quoted cell: is a closing " missing?)' },
    ]);
    expect(growthMb).toBeLessThan(300);
  });

  it('when a header cell is long, then the answer shows 60 characters of it, not the cell', async () => {
    const long = 'y'.repeat(60_000);
    const response = await steward.post(
      '/imports/credit?dryRun=true',
      `${HEADER},${long}\nUSST,R-1,ZJUT,Optics,2024-2025-1,2024-10-09,3,6,\n`,
    );
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(text.length).toBeLessThan(2000);
    const [problem] = JSON.parse(text).errors;
    expect(problem.column).toBe(`${'y'.repeat(59)}…`);
  });

  it('when a header ends in CRLF and the rows in LF, or rows of empty cells close the table, then the file reads as a spreadsheet shows it', async () => {
    const file = `${HEADER}\r\nUSST,R-1,ZJUT,Optics,2024-2025-1,2024-10-09,3,6\nUSST,R-2,ZJUT,Optics,2024-2025-1,2024-10-09,3,6\r,,,,,,,\n,,,,,,,\r\n`;
    const response = await steward.post('/imports/credit?dryRun=true', file);
    expect(await response.json()).toMatchObject({ rows: 2, inserted: 2, dryRun: true });
    expect(response.status).toBe(200);
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
        { interval: 50 },
      )
      .toBe('30');
    const refused = await steward.post('/imports/credit?dryRun=true', body);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await refused.json()).detail).toMatch(/Too many uploads at once/);
    // The slow one finishes, and its place is free again.
    slow.write(body.slice(20));
    await expect.poll(() => slowAnswer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    slow.destroy();
    const after = await steward.post('/imports/credit?dryRun=true', body);
    expect(after.status).toBe(200);
  });
});
