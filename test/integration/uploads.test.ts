import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { spoolFilesHeld } from '../helpers/spool-files.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, answerStatus, Client, IDENTITIES } from '../helpers/users.js';

/**
 * Uploads cut off at every stage, in both content types: each ends in an answer (or a closed
 * socket when the client has gone), the process stays up, nothing is written, and no file of the
 * upload is left on disk.
 */

const HEADER = 'university_code,ref,host_university_code,course,term,recognized_on,students,credits';
const ROW = (i: number) => `USST,UPLOAD-${i},ZJUT,Fluid mechanics,2024-2025-1,2024-10-09,3,6`;
const B = 'XyZb';
const FILE_PART_HEAD = `--${B}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n`;
const FIELD_PART = `--${B}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`;
const CSV = `${HEADER}\r\n${ROW(1)}\r\n${ROW(2)}\r\n`;

/**
 * A spool file of this process that was not there when the test began: other test files of the
 * same worker may still be removing theirs, and what they leave is theirs to answer for.
 */
let found: ReadonlySet<string> = new Set();
const leftovers = (): string[] => spoolFilesHeld().filter((name) => !found.has(name));

describe(`uploads cut off at every stage (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let steward: Client;

  beforeEach(() => {
    found = new Set(spoolFilesHeld());
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    steward = await Client.signIn(server, IDENTITIES.stewardUSST.email);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  /**
   * Sends the request head and `body` over a raw socket, then either half-closes (the client
   * waits for the answer: `end`) or goes away (`destroy`). Resolves to the status line, or
   * `closed` when the server closed without one.
   */
  function send(head: Record<string, string>, body: string, how: 'end' | 'destroy' | 'headers-only'): Promise<string> {
    const url = new URL(server.url);
    return new Promise((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
      });
      socket.on('error', () => undefined);
      // The status line, and for a 503 whether it says when to come back, with the problem's text.
      socket.on('close', () => {
        const status = answer.split('\r\n')[0] || 'closed';
        if (!status.startsWith('HTTP/1.1 503 ')) return resolve(status);
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        resolve(`${status} ${/\r\nretry-after: \d+/i.test(head) ? 'Retry-After' : 'no Retry-After'} ${body.slice(0, 300)}`);
      });
      const lines = [
        'POST /api/v1/imports/credit?dryRun=true HTTP/1.1',
        `Host: ${url.host}`,
        `Cookie: ${steward.cookie}`,
        `X-CSRF-Token: ${steward.csrfToken}`,
        ...Object.entries(head).map(([name, value]) => `${name}: ${value}`),
      ];
      if (how === 'headers-only') {
        // Cut inside the head: half of its last line, no blank line.
        socket.write(`${lines.join('\r\n')}\r\nX-Cut: hal`);
        setTimeout(() => socket.destroy(), 100);
        return;
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
      if (how === 'end') socket.end();
      else setTimeout(() => socket.destroy(), 150);
      // A server that neither answers nor closes would hang the test: give up on it.
      setTimeout(() => socket.destroy(), 10_000);
    });
  }

  const multipart = { 'Content-Type': `multipart/form-data; boundary=${B}` };
  const csv = { 'Content-Type': 'text/csv' };
  const withLength = (head: Record<string, string>, body: string, extra = 0) => ({
    ...head,
    'Content-Length': String(Buffer.byteLength(body) + extra),
  });

  /** Each case: the head, the body as sent, how the client stops, and the answers allowed. */
  const cases: Array<{ name: string; head: Record<string, string>; body: string; how: 'end' | 'destroy' | 'headers-only' }> = [
    { name: 'in the request head', head: multipart, body: '', how: 'headers-only' },
    {
      name: 'multipart: in a part’s headers, the client waiting',
      head: withLength(multipart, `--${B}\r\nContent-Disposition: form-da`),
      body: `--${B}\r\nContent-Disposition: form-da`,
      how: 'end',
    },
    {
      name: 'multipart: inside the file, the whole declared body sent (no closing boundary)',
      head: withLength(multipart, `${FILE_PART_HEAD}${HEADER}\r\n${ROW(1)}\r\n`),
      body: `${FILE_PART_HEAD}${HEADER}\r\n${ROW(1)}\r\n`,
      how: 'end',
    },
    {
      name: 'multipart: inside the file, chunked, the client waiting',
      head: { ...multipart, 'Transfer-Encoding': 'chunked' },
      body: chunked(`${FILE_PART_HEAD}${HEADER}\r\n${ROW(1)}\r\n`, true),
      how: 'end',
    },
    {
      name: 'multipart: inside the file, the client gone',
      head: withLength(multipart, `${FILE_PART_HEAD}${HEADER}\r\n`, 5000),
      body: `${FILE_PART_HEAD}${HEADER}\r\n`,
      how: 'destroy',
    },
    {
      name: 'multipart: before the final boundary',
      head: withLength(multipart, `${FILE_PART_HEAD}${CSV}\r\n--${B}\r\n`),
      body: `${FILE_PART_HEAD}${CSV}\r\n--${B}\r\n`,
      how: 'end',
    },
    {
      name: 'multipart: after a part that is not the file',
      head: withLength(multipart, FIELD_PART),
      body: FIELD_PART,
      how: 'end',
    },
    {
      name: 'multipart: after a part that is not the file, the client gone',
      head: withLength(multipart, FIELD_PART, 5000),
      body: FIELD_PART,
      how: 'destroy',
    },
    {
      name: 'multipart: a second file part cut off',
      head: withLength(multipart, `${FILE_PART_HEAD}${CSV}\r\n${FILE_PART_HEAD}${HEADER}\r\n`),
      body: `${FILE_PART_HEAD}${CSV}\r\n${FILE_PART_HEAD}${HEADER}\r\n`,
      how: 'end',
    },
    {
      name: 'text/csv: fewer bytes than declared, the client gone',
      head: withLength(csv, CSV, 5000),
      body: CSV,
      how: 'destroy',
    },
    {
      name: 'text/csv: chunked, cut inside a chunk',
      head: { ...csv, 'Transfer-Encoding': 'chunked' },
      body: `${(CSV.length + 100).toString(16)}\r\n${CSV}`,
      how: 'destroy',
    },
    {
      name: 'text/csv: chunked, no last chunk, the client waiting',
      head: { ...csv, 'Transfer-Encoding': 'chunked' },
      body: chunked(CSV, true),
      how: 'end',
    },
  ];

  for (const c of cases) {
    it(`when an upload is cut off ${c.name}, then the server answers or closes, stays up and keeps nothing`, async () => {
      const status = await send(c.head, c.body, c.how);
      // A client still there is told why (400), unless its half-closed socket is closed first; one that has gone gets nothing.
      expect(status).toMatch(/^HTTP\/1\.1 400 |^closed$/);
      const health = await server.fetch('/api/v1/health');
      expect(health.status).toBe(200);
      await expect.poll(leftovers).toEqual([]);
    });
  }

  it('when whole uploads are sent by clients that half-close their socket, then none of them keeps an upload slot or a file', async () => {
    const form = `${FILE_PART_HEAD}${CSV}\r\n--${B}--\r\n`;
    // More than the eight uploads the process receives at once: a request that hung would keep its slot.
    for (let i = 0; i < 10; i++) {
      const status =
        i % 2 === 0 ? await send(withLength(csv, CSV), CSV, 'end') : await send(withLength(multipart, form), form, 'end');
      // The sender is not told to wait for its answer's import: each next upload may find what the
      // ones before it started still under way. 429: the account's previous upload, dropped a moment
      // ago, was not yet counted out; 503 with Retry-After: the server at capacity with the work the
      // earlier ones started (the imports: two run at once, four wait), on a loaded machine.
      expect(status).toMatch(/^HTTP\/1\.1 (200|400|429) |^HTTP\/1\.1 503 Service Unavailable Retry-After |^closed$/);
    }
    // Whatever the last one left behind a moment ago, nothing stays held.
    await expect.poll(() => answerStatus(steward.post('/imports/credit?dryRun=true', CSV)), { interval: 50 }).toBe(200);
    await expect.poll(leftovers).toEqual([]);
  });

  it('when the cut-off uploads are over, then a whole upload in either content type is still checked as usual', async () => {
    const raw = await steward.post('/imports/credit?dryRun=true', CSV);
    expect(raw.status).toBe(200);
    expect((await raw.json()).inserted).toBe(2);
    const form = new FormData();
    form.append('file', new Blob([CSV], { type: 'text/csv' }), 'whole.csv');
    const response = await server.fetch('/api/v1/imports/credit?dryRun=true', {
      method: 'POST',
      headers: { cookie: steward.cookie!, 'x-csrf-token': steward.csrfToken! },
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ inserted: 2, fileName: 'whole.csv', dryRun: true });
    const written = await database.db
      .selectFrom('credit')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('when a body is compressed, or the file is sent as a text field, then the answer says what to send instead', async () => {
    const gzipped = await steward.post('/imports/credit?dryRun=true', CSV, { 'content-encoding': 'gzip' });
    expect(gzipped.status).toBe(415);
    expect((await gzipped.json()).errors).toMatchObject([
      { path: 'headers.content-encoding', message: 'must be absent (or identity)' },
    ]);
    const form = new FormData();
    form.append('file', CSV);
    const text = await server.fetch('/api/v1/imports/credit?dryRun=true', {
      method: 'POST',
      headers: { cookie: steward.cookie!, 'x-csrf-token': steward.csrfToken! },
      body: form,
    });
    expect(text.status).toBe(400);
    expect((await text.json()).detail).toMatch(/the form part named file is text, not a file/i);
    expect(leftovers()).toEqual([]);
  });

  it('when a form carries a part the import does not read (dryRun as a field, a second file part), then it is a 400 naming it and nothing is written', async () => {
    const count = async () =>
      Number(
        (
          await database.db
            .selectFrom('credit')
            .select(({ fn }) => fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const [name, add] of [
      ['dryRun', (form: FormData) => form.append('dryRun', 'true')],
      ['university', (form: FormData) => form.append('university', 'NJTECH')],
      ['attachment', (form: FormData) => form.append('attachment', new Blob(['x'], { type: 'text/plain' }), 'x.txt')],
    ] as const) {
      const form = new FormData();
      add(form);
      form.append('file', new Blob([CSV], { type: 'text/csv' }), 'with-fields.csv');
      // Without ?dryRun=true: a part passed over would import for real.
      const response = await server.fetch('/api/v1/imports/credit', {
        method: 'POST',
        headers: { cookie: steward.cookie!, 'x-csrf-token': steward.csrfToken! },
        body: form,
      });
      expect(response.status, name).toBe(400);
      const problem = await response.json();
      expect(problem.code, name).toBe('form_part_unread');
      expect(problem.errors, name).toEqual([expect.objectContaining({ path: `body.${name}`, code: 'not_a_part' })]);
    }
    expect(await count()).toBe(before);
    await expect.poll(leftovers).toEqual([]);
  });
});

/** A body in chunked transfer coding; `cut` leaves off the last (zero-length) chunk. */
function chunked(body: string, cut: boolean): string {
  const half = Math.floor(body.length / 2);
  const parts = [body.slice(0, half), body.slice(half)].map((part) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
  return parts.join('') + (cut ? '' : '0\r\n\r\n');
}
