import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, addUser, Client, IDENTITIES } from '../helpers/users.js';

/**
 * Repeated dashboard reads are answered from memory (the answer front, the session memo, the data
 * version announced by the database): these tests prove that such an answer is the one the whole
 * stack gives, and that no write, sign-out or disabled account is ever answered from memory after
 * it is known.
 */
describe(`answers from memory (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let leadership: Client;
  let admin: Client;
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  /** How the last request to `path` was answered, from the request log. */
  const answeredFrom = (path: string) => lines.filter((l) => l.req?.url === `/api/v1${path}`).at(-1)?.answeredFrom ?? 'stack';

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(11, 40));
    await addStandardUsers(database.db);
    server = await startTestServer(database, {}, { log: pino({ level: 'info' }, sink) });
    leadership = await Client.signIn(server, IDENTITIES.leadership.email);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const SUMMARY = '/summary?from=2024-01-01&to=2024-12-31';
  const creditsOf = async (client: Client) =>
    (await (await client.get('/aggregate?measures=credits.credits&from=2020-01-01&to=2030-12-31')).json()).rows[0][
      'credits.credits'
    ];
  /** Everything but what belongs to one response. */
  const headersOf = (response: Response) =>
    Object.fromEntries([...response.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id'));

  it('when the same read is repeated, then memory answers it with the bytes and headers the whole stack sent, and logs it', async () => {
    const first = await leadership.get(SUMMARY);
    expect(first.status).toBe(200);
    expect(answeredFrom(SUMMARY)).toBe('stack');
    const firstBody = await first.text();
    const second = await leadership.get(SUMMARY, { 'x-request-id': 'front-check-1' });
    expect(second.status).toBe(200);
    expect(answeredFrom(SUMMARY)).toBe('memory');
    expect(await second.text()).toBe(firstBody);
    expect(headersOf(second)).toEqual(headersOf(first));
    expect(second.headers.get('x-request-id')).toBe('front-check-1');
    expect(second.headers.get('content-security-policy')).toContain("default-src 'self'");
    const line = lines.at(-1)!;
    expect(line).toMatchObject({ msg: 'request completed', req: { id: 'front-check-1', method: 'GET' }, res: { status: 200 } });
    expect(typeof line.responseTime).toBe('number');
  });

  it('when the same read is repeated, then even the header names come in the same case and order', async () => {
    const path = `/api/v1${SUMMARY}&measures=tech_transfer.received`;
    const raw = () =>
      new Promise<string[]>((resolve, reject) => {
        const req = httpRequest(`${server.url}${path}`, { headers: { cookie: leadership.cookie! } });
        req.once('response', (response) => {
          response.resume();
          resolve(response.rawHeaders);
        });
        req.once('error', reject);
        req.end();
      });
    const names = (headers: string[]) => headers.filter((_, i) => i % 2 === 0);
    const values = (headers: string[]) => headers.filter((_, i) => i % 2 === 1 && !/^(Date|X-Request-Id)$/.test(headers[i - 1]!));
    const first = await raw();
    const second = await raw();
    expect(answeredFrom(path.slice('/api/v1'.length))).toBe('memory');
    expect(names(second)).toEqual(names(first));
    expect(values(second)).toEqual(values(first));
    expect(names(first)).toContain('Content-Security-Policy');
  });

  it('when HEAD asks for a stored answer, then it gets its headers and tag without the work', async () => {
    const get = await leadership.get(SUMMARY);
    const head = await leadership.request('HEAD', SUMMARY);
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    const revalidated = await leadership.request('HEAD', SUMMARY, undefined, { 'if-none-match': get.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
  });

  it('when the ETag is sent back, then memory answers 304 with the headers the whole stack sends for it', async () => {
    const etag = (await leadership.get(SUMMARY)).headers.get('etag')!;
    const fromMemory = await leadership.get(SUMMARY, { 'if-none-match': etag });
    expect(fromMemory.status).toBe(304);
    expect(answeredFrom(SUMMARY)).toBe('memory');
    // The same 304 from the whole stack: another URL of the same answer is not stored yet.
    const other = `${SUMMARY}&measures=credits.credits`;
    const otherEtag = (await leadership.get(other)).headers.get('etag')!;
    const fromStack = await leadership.get(`${SUMMARY}&measures=credits.students`, { 'if-none-match': otherEtag });
    expect(fromStack.status).toBe(200); // another URL, another tag
    const stack304 = await leadership.get(other, { 'if-none-match': otherEtag });
    expect(stack304.status).toBe(304);
    const withoutTag = (headers: Record<string, string>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'etag'));
    expect(withoutTag(headersOf(fromMemory))).toEqual(withoutTag(headersOf(stack304)));
    // And the same URL's 304 from the whole stack, while a write keeps memory from answering, is the same.
    const release = database.changes.hold();
    const stackSame = await leadership.get(SUMMARY, { 'if-none-match': etag });
    release();
    expect(stackSame.status).toBe(304);
    expect(answeredFrom(SUMMARY)).toBe('stack');
    expect(headersOf(stackSame)).toEqual(headersOf(fromMemory));
    expect(await fromMemory.text()).toBe('');
  });

  it('when a GET carries a body, then the whole stack reads it, as it would without memory', async () => {
    await leadership.get(SUMMARY);
    // fetch sends no body with a GET; node:http does.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/v1${SUMMARY}`, {
        method: 'GET',
        headers: { cookie: leadership.cookie!, 'content-type': 'application/json' },
      });
      req.once('response', (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      req.once('error', reject);
      req.end('{"a":');
    });
    expect(status).toBe(400); // the JSON body parser's answer, as without memory
  });

  it('when an answer is stored for one role or university, then another is never given it', async () => {
    const usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    const njtech = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
    const path = '/records/credit?pageSize=5';
    await usst.get(path);
    await usst.get(path);
    expect(answeredFrom(path)).toBe('memory');
    expect((await njtech.get(path)).status).toBe(200);
    expect(answeredFrom(path)).toBe('stack');
    expect((await leadership.get(path)).status).toBe(200);
    expect(answeredFrom(path)).toBe('stack');
    // A route the role may not call stays refused, however often others read it.
    await admin.get('/users');
    await admin.get('/users');
    expect((await usst.get('/users')).status).toBe(403);
    expect((await Client.anonymous(server).get(SUMMARY)).status).toBe(401);
    expect((await leadership.get(SUMMARY, { cookie: 'ao_session=not-a-session-token-at-all-xx' })).status).toBe(401);
  });

  it('when a record is written through the API, then the very next read, from anyone, has it', async () => {
    for (let i = 0; i < 10; i++) {
      const before = await creditsOf(leadership);
      await creditsOf(leadership); // stored, and answered from memory
      const created = await admin.post('/records/credit', {
        university_code: 'ZJUT',
        ref: `FRONT-WRITE-${i}`,
        host_university_code: 'AHUT',
        course: 'Control theory',
        term: '2024-2025-1',
        recognized_on: '2024-10-09',
        students: 2,
        credits: 7.5,
      });
      expect(created.status).toBe(201);
      expect(await creditsOf(leadership)).toBeCloseTo(before + 7.5, 6);
    }
  });

  it('when an upload is under way, then memory still answers; when it goes away, nothing is held', async () => {
    await leadership.get(SUMMARY);
    const req = httpRequest(`${server.url}/api/v1/imports/credit`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie!,
        'x-csrf-token': admin.csrfToken!,
        'content-type': 'multipart/form-data; boundary=XyZ',
        'content-length': '100000',
      },
    });
    req.on('error', () => undefined);
    req.write(
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nuniversity_code,ref\r\n',
    );
    // An import holds the feed only once it is about to commit: until then it changes nothing anyone reads.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(database.changes.settled).toBe(true);
    await leadership.get(SUMMARY);
    expect(answeredFrom(SUMMARY)).toBe('memory');
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(database.changes.settled).toBe(true);
    await leadership.get(SUMMARY);
    expect(answeredFrom(SUMMARY)).toBe('memory');
  });

  it('when an import is applied, then the very next read, from anyone, has it', async () => {
    for (let i = 0; i < 5; i++) {
      const before = await creditsOf(leadership);
      await creditsOf(leadership); // stored, and answered from memory
      const file = `university_code,ref,host_university_code,course,term,recognized_on,students,credits\r\nZJUT,FRONT-IMPORT-${i},AHUT,Control theory,2024-2025-1,2024-10-09,2,4.5\r\n`;
      const dry = await admin.post('/imports/credit?dryRun=true', file);
      expect((await dry.json()).inserted).toBe(1);
      expect(await creditsOf(leadership)).toBeCloseTo(before, 6);
      const imported = await admin.post('/imports/credit', file);
      expect((await imported.json()).inserted).toBe(1);
      expect(await creditsOf(leadership)).toBeCloseTo(before + 4.5, 6);
    }
  });

  it('when an admin disables an account, then its next request is refused, though its reads were answered from memory', async () => {
    await addUser(database.db, { email: 'soon-off@test.example', role: 'leadership' });
    const user = await Client.signIn(server, 'soon-off@test.example');
    await user.get(SUMMARY);
    await user.get(SUMMARY);
    expect(answeredFrom(SUMMARY)).toBe('memory');
    const { id } = await database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'soon-off@test.example')
      .executeTakeFirstOrThrow();
    expect((await admin.patch(`/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await user.get(SUMMARY)).status).toBe(401);
  });

  it('when the user signs out, then the old cookie is refused at once', async () => {
    const user = await Client.signIn(server, IDENTITIES.commission.email);
    await user.get(SUMMARY);
    await user.get(SUMMARY);
    expect((await user.post('/auth/logout')).status).toBeLessThan(300);
    expect((await user.get(SUMMARY)).status).toBe(401);
  });

  /** A write from elsewhere is heard when the database announces it (within vitest.config.ts's poll timeout). */
  const HEARD = { interval: 2 };

  it('when another process writes records or disables an account, then memory stops answering as soon as the database announces it', async () => {
    const other = await createOtherConnection();
    try {
      const before = await creditsOf(leadership);
      await creditsOf(leadership);
      await other.run(sql`insert into credit (university_code, ref, host_university_code, course, term, recognized_on, students, credits)
        values ('USST', 'FROM-ANOTHER-PROCESS', 'UJS', 'Optics', '2024-2025-1', '2024-05-05'::date, 1, 3)`);
      await expect.poll(() => creditsOf(leadership), HEARD).toBeCloseTo(before + 3, 6);

      await addUser(database.db, { email: 'off-elsewhere@test.example', role: 'leadership' });
      const user = await Client.signIn(server, 'off-elsewhere@test.example');
      await user.get(SUMMARY);
      await user.get(SUMMARY);
      await other.run(sql`update app_user set disabled = true where email = 'off-elsewhere@test.example'`);
      await expect.poll(async () => (await user.get(SUMMARY)).status, HEARD).toBe(401);

      // A session cut short by hand (not deleted) is refused as soon as that is announced too.
      await addUser(database.db, { email: 'cut-short@test.example', role: 'leadership' });
      const short = await Client.signIn(server, 'cut-short@test.example');
      await short.get(SUMMARY);
      await short.get(SUMMARY);
      await other.run(sql`update session set expires_at = now() - interval '1 second'
        where user_id = (select id from app_user where email = 'cut-short@test.example')`);
      await expect.poll(async () => (await short.get(SUMMARY)).status, HEARD).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('when someone sends a forged announcement, or tries to set the data version back, then no answer goes stale', async () => {
    const other = await createOtherConnection();
    try {
      const before = await creditsOf(leadership);
      await creditsOf(leadership);
      await other.run(sql`select pg_notify('ao_change', 'data 9000000000000')`);
      await other.run(sql`select pg_notify('ao_change', 'sync 00000000-0000-0000-0000-000000000000 999999999')`);
      await expect(other.run(sql`update app_setting set value = to_jsonb(1) where key = 'data_version'`)).rejects.toThrow(
        /only grows/,
      );
      await other.run(sql`insert into credit (university_code, ref, host_university_code, course, term, recognized_on, students, credits)
        values ('UJS', 'AFTER-A-FORGERY', 'USST', 'Optics', '2024-2025-1', '2024-05-07'::date, 1, 6)`);
      await expect.poll(() => creditsOf(leadership), HEARD).toBeCloseTo(before + 6, 6);
      // And memory answers again afterwards, with the true version in its tags.
      const version = Number(
        (await sql<{ v: string }>`select value #>> '{}' as v from app_setting where key = 'data_version'`.execute(database.db))
          .rows[0]!.v,
      );
      await creditsOf(leadership);
      const tagged = await leadership.get('/aggregate?measures=credits.credits&from=2020-01-01&to=2030-12-31');
      expect(tagged.headers.get('etag')).toMatch(new RegExp(`^W/"${version}-`));
    } finally {
      await other.close();
    }
  });

  /** A second connection, as psql or another server would be (PGlite is one process: the same engine). */
  async function createOtherConnection() {
    if (TEST_DB === 'pglite') return { run: (query: any) => query.execute(database.db), close: async () => undefined };
    const { connectDatabase } = await import('../../server/db/connect.js');
    const other = await connectDatabase({ databaseUrl: database.url!, watch: false, poolSize: 1 });
    return { run: (query: any) => query.execute(other.db), close: () => other.close() };
  }

  it('when the client accepts brotli or gzip, then the JSON comes compressed, the same from memory as from the whole stack', async () => {
    const raw = (path: string, acceptEncoding: string | undefined) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const headers: Record<string, string> = { cookie: leadership.cookie! };
        if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
        const req = httpRequest(`${server.url}/api/v1${path}`, { headers });
        req.once('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        });
        req.once('error', reject);
        req.end();
      });
    const decode: Record<string, (body: Buffer) => Buffer> = {
      br: (body) => brotliDecompressSync(body),
      gzip: (body) => gunzipSync(body),
      identity: (body) => body,
    };
    const cases: Array<[string | undefined, string]> = [
      ['gzip, deflate, br, zstd', 'br'], // a browser's: brotli wins the tie
      ['gzip', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
      [undefined, 'identity'],
      ['deflate', 'identity'],
      ['br;q=0, gzip;q=0', 'identity'],
      ['identity;q=0, br;q=0, gzip;q=0', 'identity'],
    ];
    for (const [index, [accept, coding]] of cases.entries()) {
      // A URL of its own for each case: the first request computes it, the second comes from memory.
      const path = `/summary?from=2024-01-${String(index + 1).padStart(2, '0')}&to=2024-12-31`;
      const fromStack = await raw(path, accept);
      expect(answeredFrom(path)).toBe('stack');
      const fromMemory = await raw(path, accept);
      expect(answeredFrom(path)).toBe('memory');
      const plain = await raw(path, undefined);
      expect(plain.body.length).toBeGreaterThan(1024);
      for (const answer of [fromStack, fromMemory]) {
        expect(answer.headers['content-encoding'] ?? 'identity', String(accept)).toBe(coding);
        expect(answer.headers.vary).toMatch(/accept-encoding/i);
        expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
        expect(JSON.parse(decode[coding]!(answer.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
        if (coding !== 'identity') expect(answer.body.length).toBeLessThan(plain.body.length / 3);
      }
      expect(fromMemory.body.equals(fromStack.body)).toBe(true);
    }
  });

  it('when a read is not kept in memory, then its JSON is compressed all the same', async () => {
    const response = await admin.get('/audit?pageSize=50', { 'accept-encoding': 'gzip' });
    expect(response.status).toBe(200);
    // fetch decodes the body; the header says how it travelled.
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(Array.isArray((await response.json()).entries)).toBe(true);
  });
});
