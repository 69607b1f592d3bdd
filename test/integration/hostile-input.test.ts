import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { csvOf } from '../helpers/csv.js';
import { problemText } from '../../client/lib/problem-text.js';

interface Problem {
  status: number;
  detail: string;
  code?: string;
  errors?: Array<{ path?: string; line?: number; column?: string; code?: string; params?: unknown; message: string }>;
}

/** Every list parameter of every route, with the rest of a query that is otherwise valid. */
const LIST_PARAMETERS: Array<{ route: string; parameter: string; rest: string }> = [
  ...['measures', 'by', 'university', 'region', 'partner_university', 'partner_region', 'field'].map((parameter) => ({
    route: '/aggregate',
    parameter,
    rest: parameter === 'measures' ? '' : 'measures=tech_transfer.contracts',
  })),
  ...['mode', 'mode_group', 'value_band', 'stage', 'level'].map((parameter) => ({
    route: '/aggregate',
    parameter,
    rest: 'measures=tech_transfer.contracts',
  })),
  ...['measures', 'university', 'region', 'field'].map((parameter) => ({ route: '/summary', parameter, rest: '' })),
  ...['university', 'partner_university'].map((parameter) => ({
    route: '/collaboration',
    parameter,
    rest: 'measure=credits.credits',
  })),
  ...['university', 'region', 'partner_region', 'field', 'mode'].map((parameter) => ({
    route: '/records/tech_transfer',
    parameter,
    rest: '',
  })),
  { route: '/audit', parameter: 'action', rest: '' },
  { route: '/targets', parameter: 'measure', rest: '' },
  { route: '/targets', parameter: 'university', rest: '' },
];

/** A list of valid items, comma-separated, `length` characters long. */
const longList = (length: number) => 'year,'.repeat(Math.ceil(length / 5)).slice(0, length);

const contract = (over: Record<string, unknown> = {}) => ({
  university_code: 'USST',
  ref: 'TT-HOSTILE-1',
  mode: 'license',
  partner_name: 'Partner',
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on: '2024-03-31',
  contract_value_cny: 1000,
  received_cny: 0,
  patents: 0,
  ...over,
});

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

describe(`hostile input at the edge (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const problemOf = async (response: Response): Promise<Problem> => {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return (await response.json()) as Problem;
  };
  const paths = (problem: Problem) => (problem.errors ?? []).map((e) => e.path);

  it('when any list parameter is 5,000 characters, then it is a 400 naming that parameter, never a 500', async () => {
    for (const { route, parameter, rest } of LIST_PARAMETERS) {
      const url = `${route}?${rest ? `${rest}&` : ''}${parameter}=${longList(5000)}`;
      const response = await admin.get(url);
      expect(response.status, `${route} ${parameter}`).toBe(400);
      expect(paths(await problemOf(response)), `${route} ${parameter}`).toContain(`query.${parameter}`);
    }
  });

  it('when a list parameter is 100,000 characters, then it is refused before any handler (431), never a 500, and the server goes on', async () => {
    for (const { route, parameter, rest } of LIST_PARAMETERS.filter((p) => p.parameter === 'by' || p.route !== '/aggregate')) {
      const url = `${route}?${rest ? `${rest}&` : ''}${parameter}=${longList(100_000)}`;
      const response = await admin.get(url);
      // Node refuses a request line longer than its header limit (16 KB) before the application sees it.
      expect([400, 431], `${route} ${parameter}`).toContain(response.status);
      if (response.status === 400)
        expect(paths(await problemOf(response)), `${route} ${parameter}`).toContain(`query.${parameter}`);
      else await response.arrayBuffer();
    }
    expect((await admin.get('/aggregate?measures=tech_transfer.contracts&by=year')).status).toBe(200);
  });

  it('when a list is given as a repeated parameter too long in all, then it is a 400 naming it', async () => {
    const response = await admin.get(`/aggregate?measures=tech_transfer.contracts${'&by=year'.repeat(1000)}`);
    expect(response.status).toBe(400);
    expect(paths(await problemOf(response))).toContain('query.by');
  });

  it('when a JSON body field holds a lone surrogate, then it is a 400 naming the field without a database code, and nothing is written', async () => {
    const records = async () => (await database.db.selectFrom('tech_transfer').select('id').execute()).length;
    const before = await records();
    for (const [field, value] of [
      ['partner_name', `Partner ${LONE_HIGH}`],
      ['partner_name', `${LONE_LOW} Partner`],
      ['ref', `TT-${LONE_HIGH}`],
    ] as const) {
      const response = await admin.post('/records/tech_transfer', contract({ [field]: value }));
      expect(response.status, field).toBe(400);
      const problem = await problemOf(response);
      expect(paths(problem)).toEqual([`body.${field}`]);
      expect(JSON.stringify(problem)).not.toMatch(/22P02|22021|22P05|\(2[23]/);
    }
    expect(await records()).toBe(before);
    // A surrogate pair is a character like any other.
    const pair = await admin.post('/records/tech_transfer', contract({ partner_name: 'Partner \ud83d\ude00' }));
    expect(pair.status).toBe(201);
  });

  it('when a sign-in, a user or a report note holds a lone surrogate, then each is a 400 naming the field', async () => {
    const anonymous = Client.anonymous(server);
    const cases: Array<[Promise<Response>, string]> = [
      [anonymous.post('/auth/login', { email: `a${LONE_HIGH}@test.example`, password: 'x'.repeat(12) }), 'body.email'],
      [
        admin.post('/users', {
          email: 'new@test.example',
          name: `New ${LONE_HIGH}`,
          role: 'leadership',
          password: 'a long enough password',
        }),
        'body.name',
      ],
      [admin.post('/report/submissions', { period: '2024', lang: 'en', note: `note ${LONE_LOW}` }), 'body.note'],
      [
        admin.put('/targets', { targets: [{ measure: `x${LONE_HIGH}`, year: 2024, university: null, value: 1 }] }),
        'body.targets.0.measure',
      ],
    ];
    for (const [request, path] of cases) {
      const response = await request;
      expect(response.status, path).toBe(400);
      const problem = await problemOf(response);
      expect(paths(problem), path).toEqual([path]);
      expect(JSON.stringify(problem)).not.toMatch(/22P02|\(2[23]/);
    }
  });

  it('when a name, a ref or a note holds a bidirectional control, then each is a 400 with a code naming the field, and nothing is written', async () => {
    const records = async () => (await database.db.selectFrom('tech_transfer').select('id').execute()).length;
    const before = await records();
    const cases: Array<[Promise<Response>, string]> = [
      ...['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'].map(
        (control): [Promise<Response>, string] => [
          admin.post('/records/tech_transfer', contract({ partner_name: `Acme ${control}gpj.exe` })),
          'body.partner_name',
        ],
      ),
      [admin.post('/records/tech_transfer', contract({ ref: 'TT-\u202e1' })), 'body.ref'],
      [
        admin.post('/users', { email: 'bidi@test.example', name: 'Eve \u2067', role: 'leadership', password: 'a long password' }),
        'body.name',
      ],
      [admin.post('/report/submissions', { period: '2024', lang: 'en', note: 'ok \u202d' }), 'body.note'],
      [admin.patch('/universities/USST', { nameEn: 'USST \u202e' }), 'body.nameEn'],
      [admin.get('/records/tech_transfer?q=%E2%80%AE'), 'query.q'],
    ];
    for (const [request, path] of cases) {
      const response = await request;
      expect(response.status, path).toBe(400);
      const problem = await problemOf(response);
      expect(problem.errors, path).toEqual([expect.objectContaining({ path, code: 'bidi_controls' })]);
      expect(problemText(problem.errors![0]!, 'zh')).toMatch(/双向/);
    }
    expect(await records()).toBe(before);
    // A password may hold any character: it is never shown.
    const secret = await admin.post('/users', {
      email: 'bidi-secret@test.example',
      name: 'Bidi Secret',
      role: 'leadership',
      password: 'a long \u202e password',
    });
    expect(secret.status).toBe(201);
  });

  it('when a name, a ref or a note holds a bidi mark, an invisible character, a line separator or a C1 control, then each is a 400 naming the field, and nothing is written', async () => {
    const records = async () => (await database.db.selectFrom('tech_transfer').select('id').execute()).length;
    const users = async () => (await database.db.selectFrom('app_user').select('id').execute()).length;
    const [recordsBefore, usersBefore] = [await records(), await users()];
    // [character, the code a one-line field answers, the code a record's text answers]
    const characters: Array<[string, string, string]> = [
      ['\u200e', 'bidi_controls', 'bidi_controls'],
      ['\u200f', 'bidi_controls', 'bidi_controls'],
      ['\u061c', 'bidi_controls', 'bidi_controls'],
      ['\u200b', 'invisible_characters', 'invisible_characters'],
      ['\u200c', 'invisible_characters', 'invisible_characters'],
      ['\u200d', 'invisible_characters', 'invisible_characters'],
      ['\u2060', 'invisible_characters', 'invisible_characters'],
      ['\ufeff', 'invisible_characters', 'invisible_characters'],
      ['\u00ad', 'invisible_characters', 'invisible_characters'],
      ['\u2028', 'not_one_line', 'control_characters'],
      ['\u2029', 'not_one_line', 'control_characters'],
      ['\u0085', 'not_one_line', 'control_characters'],
      ['\u009b', 'not_one_line', 'control_characters'],
    ];
    for (const [char, oneLine, recordText] of characters) {
      const name = `U+${char.codePointAt(0)!.toString(16).padStart(4, '0')}`;
      const cases: Array<[Promise<Response>, string, string]> = [
        [admin.post('/records/tech_transfer', contract({ partner_name: `Acme${char}Ltd` })), 'body.partner_name', recordText],
        [admin.post('/records/tech_transfer', contract({ ref: `TT-${char}1` })), 'body.ref', recordText],
        [
          admin.post('/users', {
            email: 'hidden@test.example',
            name: `Eve${char}Li`,
            role: 'leadership',
            password: 'a long password',
          }),
          'body.name',
          oneLine,
        ],
        [admin.patch('/universities/USST', { nameZh: `上海${char}理工大学` }), 'body.nameZh', oneLine],
        [admin.post('/report/submissions', { period: '2024', lang: 'en', note: `ok${char}ok` }), 'body.note', oneLine],
        [admin.get(`/records/tech_transfer?q=${encodeURIComponent(`Ac${char}me`)}`), 'query.q', recordText],
      ];
      for (const [request, path, code] of cases) {
        const response = await request;
        expect(response.status, `${name} in ${path}`).toBe(400);
        const problem = await problemOf(response);
        expect(problem.errors, `${name} in ${path}`).toEqual([expect.objectContaining({ path, code })]);
      }
    }
    // More of Unicode's invisible classes: tags, fillers, variation selectors, format controls, noncharacters.
    for (const char of [
      '\u{E0041}',
      '\u3164',
      '\u115f',
      '\uffa0',
      '\u034f',
      '\ufe0f',
      '\u206a',
      '\ufff9',
      '\u{1BCA0}',
      '\uffff',
      '\u2800',
    ]) {
      const name = `U+${char.codePointAt(0)!.toString(16)}`;
      for (const [request, path] of [
        [admin.post('/records/tech_transfer', contract({ partner_name: `Acme${char}Ltd` })), 'body.partner_name'],
        [
          admin.post('/universities', {
            code: 'HIDE',
            nameEn: `Hidden${char}U`,
            nameZh: '隐藏大学',
            region: 'SH',
            memberSince: '2024-01-01',
          }),
          'body.nameEn',
        ],
        [
          admin.post('/users', {
            email: `e${char}ve@test.example`,
            name: 'Eve',
            role: 'leadership',
            password: 'a long password',
          }),
          'body.email',
        ],
      ] as const) {
        const response = await request;
        expect(response.status, `${name} in ${path}`).toBe(400);
        const problem = await problemOf(response);
        expect(
          problem.errors?.map((e) => e.path),
          `${name} in ${path}`,
        ).toEqual([path]);
      }
    }
    // A ref names a record: one line, where a name may break.
    for (const ref of ['TT-A\nB', 'TT-A\rB', 'TT-A\tB']) {
      const response = await admin.post('/records/tech_transfer', contract({ ref }));
      expect(response.status, JSON.stringify(ref)).toBe(400);
      expect((await problemOf(response)).errors).toEqual([expect.objectContaining({ path: 'body.ref', code: 'not_one_line' })]);
    }
    expect([await records(), await users()]).toEqual([recordsBefore, usersBefore]);
    const { universities } = (await (await admin.get('/universities')).json()) as {
      universities: Array<{ code: string; nameZh: string }>;
    };
    expect(universities.find((u) => u.code === 'USST')?.nameZh).toBe('上海理工大学');
  });

  it('when a route that reads no body is sent one, then it is a 400 naming the body, and nothing happens', async () => {
    const created = await admin.post('/records/tech_transfer', contract({ ref: 'TT-BODY-1' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const path = `/records/tech_transfer/${id}`;
    const stored = async () => (await database.db.selectFrom('tech_transfer').select('id').where('id', '=', id).execute()).length;
    for (const refused of [
      await admin.request('DELETE', path, { id: id + 1 }),
      await admin.request('DELETE', path, 'x', { 'content-type': 'text/plain' }),
    ]) {
      expect(refused.status).toBe(400);
      const problem = await problemOf(refused);
      expect(problem.code).toBe('no_body');
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'body', code: 'not_expected' })]);
      expect(await stored()).toBe(1);
    }
    // Without a body the same request is good.
    const deleted = await admin.delete(path);
    await deleted.arrayBuffer();
    expect(deleted.status).toBeLessThan(300);
    expect(await stored()).toBe(0);
  });

  it('when a CSV cell holds a bidirectional control, then the import names its line and column with a code', async () => {
    const file = csvOf('tech_transfer', [contract({ ref: 'TT-BIDI-1', partner_name: 'Acme \u202egpj.exe' })]);
    const response = await admin.post('/imports/tech_transfer?dryRun=true', file);
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([expect.objectContaining({ line: 2, column: 'partner_name', code: 'bidi_controls' })]);
  });

  it('when CSV cells hold a zero-width space, a bidi mark or a line separator, then the import names each line and column', async () => {
    const file = csvOf('tech_transfer', [
      contract({ ref: 'TT-HIDDEN-1', partner_name: 'Acme\u200bLtd' }),
      contract({ ref: 'TT-HIDDEN-2', partner_name: 'Acme\u200fLtd' }),
      contract({ ref: 'TT-HIDDEN-3', partner_name: 'Acme\u2028Ltd' }),
    ]);
    const response = await admin.post('/imports/tech_transfer?dryRun=true', file);
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([
      expect.objectContaining({ line: 2, column: 'partner_name', code: 'invisible_characters' }),
      expect.objectContaining({ line: 3, column: 'partner_name', code: 'bidi_controls' }),
      expect.objectContaining({ line: 4, column: 'partner_name', code: 'control_characters' }),
    ]);
  });

  it('when a query or path parameter holds the bytes of a lone surrogate or other non-UTF-8, then it is a 400 naming it', async () => {
    for (const [url, path] of [
      ['/records/tech_transfer?q=%ED%A0%80', 'query.q'],
      ['/records/tech_transfer?q=ab%FFcd', 'query.q'],
      ['/audit?user=%ED%B0%80%40test.example', 'query.user'],
      ['/aggregate?measures=tech_transfer.contracts&university=USST,%ED%A0%80', 'query.university'],
      ['/records/%ED%A0%80', 'path'],
      ['/records/tech_transfer/%ED%A0%80', 'path'],
    ]) {
      const response = await admin.get(url!);
      expect(response.status, url).toBe(400);
      const problem = await problemOf(response);
      expect(paths(problem), url).toEqual([path]);
      expect(JSON.stringify(problem)).not.toMatch(/22P02|\(2[23]/);
    }
    // A lone % and well-formed UTF-8 are read as before.
    expect((await admin.get('/records/tech_transfer?q=100%')).status).toBe(200);
    expect((await admin.get('/records/tech_transfer?q=%E4%B8%8A%E6%B5%B7')).status).toBe(200);
  });

  it('when the server is reached over plain HTTP, then it sends no HSTS, on answers from memory neither', async () => {
    for (const url of ['/api/v1/health', '/api/v1/openapi.json', '/']) {
      const response = await server.fetch(url);
      await response.arrayBuffer();
      expect(response.headers.get('strict-transport-security'), url).toBeNull();
    }
    // Twice: the second is answered from memory.
    for (let i = 0; i < 2; i++) {
      const response = await admin.get('/meta');
      await response.arrayBuffer();
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });
});

describe(`HSTS behind a TLS proxy (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    // The config object itself, whatever TRUST_PROXY's syntax: the proxy is on this machine.
    const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), trustProxy: ['loopback'] };
    const app = createApp({ database, config, log: createLogger(config) });
    await database.changes.ready();
    server = await new Promise((resolve) => {
      const listening = createServer(app.handler).listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.close();
  });

  it('when a trusted proxy says the request came over https, then HSTS is sent; when it says http or nothing, then not', async () => {
    const hsts = async (headers: Record<string, string>) => {
      const response = await fetch(`${url}/api/v1/health`, { headers });
      await response.arrayBuffer();
      return response.headers.get('strict-transport-security');
    };
    expect(await hsts({ 'x-forwarded-proto': 'https' })).toMatch(/^max-age=\d+/);
    expect(await hsts({ 'x-forwarded-proto': 'http' })).toBeNull();
    expect(await hsts({})).toBeNull();
  });
});

describe(`HSTS from an untrusted client (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('when a client that is not a trusted proxy claims https, then no HSTS is sent', async () => {
    const response = await server.fetch('/api/v1/health', { headers: { 'x-forwarded-proto': 'https' } });
    await response.arrayBuffer();
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});
