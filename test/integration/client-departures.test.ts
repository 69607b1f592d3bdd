import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertBulkCredits } from '../helpers/facts.js';
import { type LogLine, captureLog } from '../helpers/log.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { spoolFilesHeld } from '../helpers/spool-files.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { readWorkbook } from '../helpers/xlsx.js';
import { until } from '../helpers/until.js';

/**
 * A client that leaves in the middle of a download or an upload is no fault of the server's: the
 * log says so at debug ("the client left…") and pino-http's "request aborted" at info, never at
 * error and never as the database being away. The server's own faults stay errors (unit test:
 * test/unit/error-handler.test.ts).
 */
// About 10 MB: more than the socket buffers between server and reader hold (about 4 MB on loopback), so
// that the download, sent from its file at disk speed, is still being sent when its reader leaves.
const ROWS = 100_000;
const HEADER = 'university_code,ref,host_university_code,course,term,recognized_on,students,credits';
const BOUNDARY = 'XyZb';

describe(`clients that leave midway, in the log (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  const { log, lines } = captureLog();

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    await insertBulkCredits(database.db, 'LEFT', ROWS);
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

  /** Waits until a line about the request to `url` with this message is logged. */
  async function logged(url: string, message: RegExp): Promise<LogLine> {
    const line = () => lines.find((l) => l.req?.url === url && message.test(l.msg));
    await until(() => line() !== undefined, `a line logged of ${url} matching ${message}`, { timeoutMs: 10_000 });
    return line()!;
  }
  /** pino-http's line: the response is over, one way or another. */
  const over = (url: string) => logged(url, /^request (aborted|completed|errored)$/);

  const faults = () => lines.filter((line) => line.level >= 50 || line.msg === 'database unavailable');

  for (const path of ['/records/credit?format=csv', '/records/credit?format=csv&formatted=true&lang=zh']) {
    it(`when the reader of ${path} goes away midway, then nothing is logged as an error`, async () => {
      await new Promise<void>((resolve, reject) => {
        const req = request(`${server.url}/api/v1${path}`, { headers: { cookie: admin.cookie! } }, (res) => {
          res.once('data', () => {
            // Stop reading, so that the server's writes back up; then leave.
            res.pause();
            setTimeout(() => {
              res.destroy();
              resolve();
            }, 200);
          });
        });
        req.on('error', reject);
        req.end();
      });
      // The export's failure reaches the error handler once its stream has ended: after the request's own line.
      expect(await over(`/api/v1${path}`)).toMatchObject({ level: 30, msg: 'request aborted' });
      expect(await logged(`/api/v1${path}`, /^the client left before its answer was complete$/)).toMatchObject({
        level: 20,
        err: { code: 'ERR_STREAM_PREMATURE_CLOSE' },
      });
      expect(faults()).toEqual([]);
      // The server goes on: a whole download still arrives whole.
      const whole = await admin.get(path);
      expect((await whole.text()).trimEnd().split('\r\n')).toHaveLength(ROWS + 1);
    });
  }

  it('when the reader of a workbook goes away while it is being written, then nothing is logged as an error, and the next arrives whole', async () => {
    const path = '/records/credit?format=xlsx';
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/api/v1${path}`, { headers: { cookie: admin.cookie! } });
      req.on('error', () => resolve());
      req.end();
      // A hundred thousand rows take seconds to write: the reader leaves before the first byte.
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    expect(await over(`/api/v1${path}`)).toMatchObject({ level: 30, msg: 'request aborted' });
    // The writing stops, and its file goes (this process's spool files are named after it).
    await expect.poll(() => spoolFilesHeld(), { timeout: 10_000 }).toEqual([]);
    expect(faults()).toEqual([]);
    const whole = await admin.get(path);
    expect(whole.status).toBe(200);
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(bytes.length).toBe(Number(whole.headers.get('content-length')));
    const book = readWorkbook(bytes);
    expect(book.grid(book.book.SheetNames[0]!).length).toBe(ROWS + 1);
  });

  const rows = Array.from({ length: 20_000 }, (_, i) => `USST,UP-${i},ZJUT,Fluid mechanics,2024-2025-1,2024-10-09,3,6\r\n`);
  const csv = `${HEADER}\r\n${rows.join('')}`;
  const form = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="left.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${BOUNDARY}--\r\n`;
  const uploads = [
    { name: 'text/csv cut midway', type: 'text/csv', body: csv.slice(0, csv.length / 2), length: csv.length, wait: 300 },
    {
      name: 'a form cut midway',
      type: `multipart/form-data; boundary=${BOUNDARY}`,
      body: form.slice(0, form.length / 2),
      length: form.length,
      wait: 300,
    },
    { name: 'text/csv sent whole, then gone', type: 'text/csv', body: csv, length: csv.length, wait: 5 },
    {
      name: 'a form sent whole, then gone',
      type: `multipart/form-data; boundary=${BOUNDARY}`,
      body: form,
      length: form.length,
      wait: 5,
    },
  ];
  for (const upload of uploads) {
    it(`when the client of an upload leaves (${upload.name}), then nothing is logged as an error`, async () => {
      const url = new URL(server.url);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(
            `POST /api/v1/imports/credit HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\n` +
              `Content-Type: ${upload.type}\r\nContent-Length: ${upload.length}\r\n\r\n${upload.body}`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, upload.wait);
        });
        socket.on('error', () => undefined);
      });
      await over('/api/v1/imports/credit');
      // Whatever the import does after its client left, it is stopped or runs to its end, and then
      // its file goes. A body that arrived whole before the leaving was seen is checked and written:
      // on a loaded machine that can outlast the answer by seconds, and must end before the file's
      // database closes. Then the import's last words have a second to reach the log.
      await expect.poll(() => spoolFilesHeld('.upload'), { timeout: 45_000 }).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await admin.get('/health')).status).toBe(200);
      expect(faults()).toEqual([]);
    });
  }
});
