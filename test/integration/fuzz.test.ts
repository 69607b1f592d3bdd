import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_KINDS } from '../../server/db/schema.js';
import { KIND_COLUMNS } from '../../server/records/record-columns.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, addUser, Client, IDENTITIES } from '../helpers/users.js';

/** Strings that have broken parsers before: SQL, escapes, huge, unicode, empty, control characters. */
const nasty = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    "'",
    '"',
    ';drop table university;--',
    '%00',
    '\u0000',
    '\u202e',
    '😀',
    '上海',
    '../../etc/passwd',
    'null',
    'true',
    '-1',
    '1e309',
    '0x10',
    'NaN',
    '2024-02-30',
    '0000-01-01',
    '9'.repeat(40),
    'a'.repeat(5000),
    'USST,ZJUT',
    '__proto__',
    'constructor',
    'tech_transfer.contracts',
    'university,year',
    'csv',
    'zh',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const PARAMS = [
  'measures',
  'measure',
  'by',
  'from',
  'to',
  'university',
  'region',
  'partner_university',
  'mode',
  'value_band',
  'fill',
  'withRecords',
  'format',
  'lang',
  'formatted',
  'bom',
  'page',
  'pageSize',
  'sort',
  'q',
  'year',
  'user',
  'action',
  'subject',
  'dryRun',
  '__proto__',
  'x',
];

const queryString = fc
  .array(fc.tuple(fc.constantFrom(...PARAMS), nasty), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

describe(`fuzzing every route (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let targetUser = 0;
  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(11, 20));
    await addStandardUsers(database.db);
    targetUser = (await addUser(database.db, { email: 'fuzz-target@test.example', role: 'commission' })).id;
    server = await startTestServer(
      database,
      {},
      { loginLimits: { windowMs: 60_000, perAddress: 1_000_000, perAccount: 1_000_000, perAccountAnywhere: 1_000_000 } },
    );
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  /** A concrete path for a route pattern: real kinds and ids some of the time, junk the rest. */
  const pathFor = (pattern: string) =>
    fc
      .record({
        kind: fc.oneof(fc.constantFrom(...FACT_KINDS), nasty),
        id: fc.oneof(fc.integer({ min: 1, max: 40 }).map(String), nasty),
        code: fc.oneof(fc.constantFrom('USST', 'UJS', 'NOPE'), nasty),
      })
      .map(({ kind, id, code }) =>
        pattern
          .replace(':kind', encodeURIComponent(kind))
          .replace(':id', pattern.startsWith('/users') ? String(targetUser) : encodeURIComponent(id))
          .replace(':code', encodeURIComponent(code)),
      );

  it('when random query strings hit every GET route, then no answer is a 5xx', async () => {
    const routes = server.app.routes.filter((r) => r.method === 'get');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.integer({ min: 0, max: 1_000_000 }),
        queryString,
        async (route, seed, qs) => {
          const path = fc.sample(pathFor(route.path), { numRuns: 1, seed })[0]!;
          const response = await admin.get(`${path}${qs ? `?${qs}` : ''}`);
          expect(response.status, `GET ${path}?${qs}`).toBeLessThan(500);
          await response.arrayBuffer();
        },
      ),
      { numRuns: 400, seed: 2024 },
    );
  });

  it('when random bodies hit every POST, PUT and PATCH route, then no answer is a 5xx', async () => {
    const routes = server.app.routes.filter((r) => r.method !== 'get' && r.method !== 'delete' && r.path !== '/auth/logout');
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(
        fc.constantFrom(
          ...KIND_COLUMNS.tech_transfer.map((c) => c.name),
          'email',
          'password',
          'name',
          'role',
          'university',
          'lang',
          'targets',
          'disabled',
          'code',
          'nameEn',
          'nameZh',
          'region',
          'memberSince',
          'lead',
        ),
        fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, fc.integer({ min: 0, max: 1_000_000 }), async (route, value, seed) => {
        const path = fc.sample(pathFor(route.path), { numRuns: 1, seed })[0]!;
        const response = await admin.request(route.method.toUpperCase(), path, value === undefined ? null : value);
        expect(response.status, `${route.method} ${path} ${JSON.stringify(value)?.slice(0, 200)}`).toBeLessThan(500);
        await response.arrayBuffer();
      }),
      { numRuns: 300, seed: 7 },
    );
    // The fuzzing admin may have changed accounts, but never itself out of existence.
    expect((await admin.get('/auth/me')).status).toBeLessThan(500);
  });

  it('when random CSV files are imported, then no answer is a 5xx and a rejected file writes nothing', async () => {
    const header = KIND_COLUMNS.credit.map((c) => c.name).join(',');
    const cell = fc.oneof(
      nasty,
      fc.constantFrom('USST', 'ZJUT', '2024-2025-1', '2025-01-20', '12', '36', '"', '""', '"a,b"', '\r\n', '\n'),
    );
    const file = fc.oneof(
      fc
        .array(fc.array(cell, { maxLength: 10 }), { maxLength: 8 })
        .map((rows) => [header, ...rows.map((r) => r.join(','))].join('\r\n')),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(file, fc.boolean(), async (text, dryRun) => {
        const before = (await database.db.selectFrom('credit').select('id').execute()).length;
        const response = await admin.request('POST', `/imports/credit${dryRun ? '?dryRun=true' : ''}`, text, {
          'content-type': 'text/csv',
        });
        expect(response.status, JSON.stringify(text).slice(0, 200)).toBeLessThan(500);
        const after = (await database.db.selectFrom('credit').select('id').execute()).length;
        if (response.status !== 200 || dryRun) expect(after).toBe(before);
        await response.arrayBuffer();
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
