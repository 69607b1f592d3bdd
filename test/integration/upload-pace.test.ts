import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, answerStatus, Client, IDENTITIES } from '../helpers/users.js';
import { captureLog } from '../helpers/log.js';
import { until } from '../helpers/until.js';

/**
 * An upload holds one of the process's few upload places while it arrives. One that trickles in,
 * stalls, or is one of many from the same account must not hold them: the first two are answered
 * 408 and their connection closed, the last 429; a client that sends its whole body and
 * half-closes its socket never holds a place either.
 */
const HEADER = 'university_code,ref,host_university_code,course,term,recognized_on,students,credits';
const CSV = `${HEADER}\r\nUSST,PACE-1,ZJUT,Optics,2024-2025-1,2024-10-09,3,6\r\n`;
const CSV_NJTECH = CSV.replace('USST,PACE', 'NJTECH,PACE');
const B = 'PaceB';
const MULTIPART = `--${B}\r\nContent-Disposition: form-data; name="file"; filename="pace.csv"\r\nContent-Type: text/csv\r\n\r\n${CSV}\r\n--${B}--\r\n`;

describe(`the pace of uploads (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let steward: Client;
  let otherSteward: Client;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    // A pace the test can wait for: a second's grace, at least 2 KB/s, nothing for 1.5 s is a stall.
    server = await startTestServer(
      database,
      {},
      { importLimits: { uploads: 3, running: 2, waiting: 2, pace: { graceMs: 1000, idleMs: 1500, minBytesPerSecond: 2048 } } },
    );
    steward = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    otherSteward = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await server?.close();
    await database?.close();
  });

  /** Opens an upload over a raw socket: its head, then whatever the test writes. The answer, as it comes. */
  function open(
    client: Client,
    type: string,
    length: number,
    on: TestServer = server,
  ): { socket: Socket; answer: Promise<string> } {
    const url = new URL(on.url);
    const socket = connect(Number(url.port), url.hostname);
    sockets.push(socket);
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
    socket.write(
      [
        'POST /api/v1/imports/credit?dryRun=true HTTP/1.1',
        `Host: ${url.host}`,
        `Cookie: ${client.cookie}`,
        `X-CSRF-Token: ${client.csrfToken}`,
        `Content-Type: ${type}`,
        `Content-Length: ${length}`,
        '',
        '',
      ].join('\r\n'),
    );
    return { socket, answer };
  }

  const statusOf = (answer: string) => answer.split('\r\n')[0];
  const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

  it.each([
    ['text/csv', CSV],
    [`multipart/form-data; boundary=${B}`, MULTIPART],
  ])(
    'when an upload (%s) trickles in a byte at a time, then it is answered 408 and its connection closed',
    async (type, body) => {
      const { socket, answer } = open(steward, type, Buffer.byteLength(body) + 10_000);
      let at = 0;
      const trickle = setInterval(() => {
        if (!socket.destroyed && at < body.length) socket.write(body[at++]!);
      }, 100);
      const text = await answer;
      clearInterval(trickle);
      expect(statusOf(text)).toBe('HTTP/1.1 408 Request Timeout');
      expect(text).toMatch(/\r\nconnection: close\r\n/i);
      expect(bodyOf(text).detail).toMatch(/arrives too slowly \(under 2 KB\/s\)/);
    },
  );

  it('when an upload stops sending, then it is answered 408 once it has sent nothing for the idle time', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => `USST,IDLE-${i},ZJUT,Optics,2024-2025-1,2024-10-09,3,6`);
    const body = `${HEADER}\r\n${rows.join('\r\n')}\r\n`; // about 30 KB: well above the pace for the first seconds
    const { socket, answer } = open(steward, 'text/csv', Buffer.byteLength(body) + 1);
    socket.write(body); // all but one promised byte, at once, then nothing
    const text = await answer;
    expect(statusOf(text)).toBe('HTTP/1.1 408 Request Timeout');
    expect(bodyOf(text).detail).toMatch(/sent nothing for 2 s/);
  });

  it('when an account sends two files already, then its third is answered 429 at once, and another account is not held up', async () => {
    // A server of production's pace: the two uploads held open below are not cut while the test
    // looks (on the file's server a held upload is cut after 1.5 s, sooner than a loaded machine
    // answers the polls below).
    const { log, lines } = captureLog();
    const patient = await startTestServer(database, {}, { log, importLimits: { uploads: 3, running: 2, waiting: 2 } });
    try {
      const mine = await Client.signIn(patient, IDENTITIES.stewardUSST.email);
      const other = await Client.signIn(patient, IDENTITIES.stewardNJTECH.email);
      const held = [open(mine, 'text/csv', 10_000, patient), open(mine, 'text/csv', 10_000, patient)];
      // Both are being received (each has its place once the server says so): only then is a third sent.
      await until(() => lines.filter((l) => l.msg === 'import: receiving the file').length === 2, 'both uploads to be received');
      const third = await mine.post('/imports/credit?dryRun=true', CSV);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('10');
      expect((await third.json()).detail).toMatch(/sending 2 files already/);
      const elsewhere = await other.post('/imports/credit?dryRun=true', CSV_NJTECH);
      expect(elsewhere.status).toBe(200);
      for (const { socket } of held) socket.destroy();
      // Their places come back: the account may send again.
      await expect.poll(() => answerStatus(mine.post('/imports/credit?dryRun=true', CSV)), { interval: 50 }).toBe(200);
    } finally {
      await patient.close();
    }
  });

  it('when forty clients in turn send a whole body and half-close their socket, then none holds a place', async () => {
    for (let i = 0; i < 40; i++) {
      const { socket, answer } = open(i % 2 === 0 ? steward : otherSteward, 'text/csv', Buffer.byteLength(CSV));
      socket.end(i % 2 === 0 ? CSV : CSV_NJTECH);
      // Node drops a half-closed request unanswered (or answers it, if it was quick): either way, it is over.
      // 429 or 503: the one before, dropped a moment ago, was still giving its place back.
      expect(statusOf(await answer)).toMatch(/^(HTTP\/1.1 (200|400|429|503) .*)?$/);
    }
    // None keeps its place: a moment later, an upload is received as usual.
    await expect.poll(() => answerStatus(steward.post('/imports/credit?dryRun=true', CSV)), { interval: 50 }).toBe(200);
  });
});
