import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../server/http/route.js';
import { parsePeriod } from '../../server/report/report-period.js';
import { submitReport } from '../../server/report/report-submissions.js';
import { parseReportingPeriod } from '../../contract/reporting-periods.js';
import { freezePeriod } from '../../server/cycle/period-records.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, addUser, Client, IDENTITIES, type Identity } from '../helpers/users.js';

/**
 * The authorization matrix. Every route of the route table must have a sample request here
 * (the test fails for a route without one), and for every identity the exact status is
 * asserted: the sample's own status where the role may call the route, else 401 or 403.
 */
interface Sample {
  path: string | (() => string | Promise<string>);
  body?: unknown | (() => unknown);
  /** The status when the caller may call the route. */
  ok: number;
  /** The status of the same request once one caller has succeeded (a repeated submission is the one already made). */
  okAgain?: number;
  /** Statuses that differ from the role rule, e.g. a steward of another university. */
  except?: Partial<Record<Who, number>>;
  /** Sign in afresh for this request (it ends the session). */
  freshSession?: boolean;
}

let unique = 0;
let patchTarget = 0;
let database: TestDatabase;

const usstContract = () => ({
  university_code: 'USST',
  ref: `MATRIX-${++unique}`,
  mode: 'license' as const,
  partner_name: 'Matrix Ltd.',
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on: '2024-05-01',
  contract_value_cny: 1000,
  received_cny: 0,
  patents: 0,
});

let reportSubmission: number | undefined;
/** A submitted report to read (one, submitted through the service on first use). */
async function aSubmission(): Promise<number> {
  if (reportSubmission === undefined) {
    const admin = await database.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', IDENTITIES.admin.email)
      .executeTakeFirstOrThrow();
    const caller = { id: admin.id, email: admin.email, name: admin.name, role: admin.role, university: null };
    const submitted = await submitReport(
      database.db,
      caller,
      { id: admin.id, email: admin.email, address: null },
      {
        period: parsePeriod('2024-Q2')!,
        lang: 'en',
      },
    );
    reportSubmission = submitted.submission.id;
  }
  return reportSubmission;
}

/** A fresh USST contract for each call that changes or deletes one. */
async function freshContract(): Promise<number> {
  const row = await database.db.insertInto('tech_transfer').values(usstContract()).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A fresh ended quarter of a university, one per call (2020-Q1 onwards). */
const quarterNumbers: Record<string, number> = {};
function freshQuarter(university: string): string {
  const n = (quarterNumbers[university] = (quarterNumbers[university] ?? -1) + 1);
  return `${2020 + Math.floor(n / 4)}-Q${(n % 4) + 1}`;
}

/** A quarter of a university taken through the given steps, straight in the database (as the service would leave it). */
async function periodAfter(university: string, steps: readonly ('submit' | 'approve')[]): Promise<string> {
  const period = freshQuarter(university);
  const span = parseReportingPeriod(period)!;
  const { id } = await database.db
    .insertInto('reporting_period')
    .values({ university_code: university, period, period_from: span.from, period_to: span.to })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const action of steps) {
    const frozen = action === 'submit' ? await freezePeriod(database.db, university, span) : undefined;
    await database.db
      .insertInto('reporting_step')
      .values({ period_id: id, action, summary: frozen ? JSON.stringify(frozen.summary) : null, sha256: frozen?.sha256 ?? null })
      .execute();
  }
  return `/cycle/periods/${university}/${period}`;
}

/** A steward of another university may not write there (a body naming USST). */
const STEWARD_ELSEWHERE = { stewardNJTECH: 403 } as const;
/** A USST record by its id: to a steward of another university it does not exist (see below). */
const STEWARD_ELSEWHERE_MISSING = { stewardNJTECH: 404 } as const;

const SAMPLES: Record<string, Sample> = {
  'GET /health': { path: '/health', ok: 200 },
  'GET /auth/login': { path: '/auth/login', ok: 200 },
  'POST /auth/login': { path: '/auth/login', body: { email: 'nobody@test.example', password: 'not the password' }, ok: 401 },
  'POST /auth/logout': { path: '/auth/logout', ok: 204, freshSession: true },
  'GET /auth/me': { path: '/auth/me', ok: 200 },
  'PATCH /auth/me': { path: '/auth/me', body: { lang: 'zh' }, ok: 200 },
  'GET /meta': { path: '/meta', ok: 200 },
  'GET /users': { path: '/users', ok: 200 },
  'POST /users': {
    path: '/users',
    body: () => ({
      email: `matrix${++unique}@test.example`,
      name: 'Matrix',
      role: 'commission',
      password: 'long enough password',
    }),
    ok: 201,
  },
  'PATCH /users/:id': { path: () => `/users/${patchTarget}`, body: () => ({ name: `Renamed ${++unique}` }), ok: 200 },
  'GET /audit': { path: '/audit', ok: 200 },
  'GET /mail/settings': { path: '/mail/settings', ok: 200 },
  'PUT /mail/settings': {
    path: '/mail/settings',
    body: {
      reminders: true,
      reminderDaysBefore: 5,
      reportRecipients: ['commission@test.example'],
      reportSchedule: 'off',
      reportDay: 5,
      reportLang: 'zh',
    },
    ok: 200,
  },
  'GET /mail/messages': { path: '/mail/messages', ok: 200 },
  // This server sends no mail (SMTP_URL unset): an administrator is told so (409 mail_off).
  'POST /mail/messages/:id/retry': { path: '/mail/messages/1/retry', ok: 409 },
  'POST /mail/test': { path: '/mail/test', body: { to: 'ops@test.example' }, ok: 409 },
  'GET /demo': { path: '/demo', ok: 200 },
  // No demo accounts here: leaving removes none, and may be asked again and again.
  'POST /demo/leave': { path: '/demo/leave', body: { records: 'keep' }, ok: 200 },
  'GET /aggregate': { path: '/aggregate?measures=tech_transfer.contracts&by=university', ok: 200 },
  'GET /summary': { path: '/summary', ok: 200 },
  'GET /collaboration': { path: '/collaboration?measure=credits.credits', ok: 200 },
  'GET /records/:kind': { path: '/records/tech_transfer', ok: 200 },
  'POST /records/:kind': { path: '/records/tech_transfer', body: usstContract, ok: 201, except: STEWARD_ELSEWHERE },
  'PATCH /records/:kind/:id': {
    path: async () => `/records/tech_transfer/${await freshContract()}`,
    body: { patents: 3 },
    ok: 200,
    except: STEWARD_ELSEWHERE_MISSING,
  },
  'DELETE /records/:kind/:id': {
    path: async () => `/records/tech_transfer/${await freshContract()}`,
    ok: 204,
    except: STEWARD_ELSEWHERE_MISSING,
  },
  'GET /targets': { path: '/targets', ok: 200 },
  'PUT /targets': {
    path: '/targets',
    body: () => ({ targets: [{ measure: 'tech_transfer.contracts', year: 2024, university: 'USST', value: ++unique }] }),
    ok: 200,
  },
  'GET /universities': { path: '/universities', ok: 200 },
  'POST /universities': {
    path: '/universities',
    body: () => ({ code: `NEW${++unique}`, nameEn: 'New University', nameZh: '新大学', region: 'ZJ', memberSince: '2025-01-01' }),
    ok: 201,
  },
  'PATCH /universities/:code': { path: '/universities/UJS', body: () => ({ nameEn: `Jiangsu University ${++unique}` }), ok: 200 },
  'DELETE /universities/:code': {
    path: async () => {
      const code = `DEL${++unique}`;
      await database.db
        .insertInto('university')
        .values({ code, name_en: 'Gone', name_zh: '删', region_code: 'AH', member_since: '2025-01-01' })
        .execute();
      return `/universities/${code}`;
    },
    ok: 204,
  },
  'GET /openapi.json': { path: '/openapi.json', ok: 200 },
  'GET /report': { path: '/report?period=2024-Q1&lang=zh', ok: 200 },
  'GET /report/submissions': { path: '/report/submissions', ok: 200 },
  'POST /report/submissions': { path: '/report/submissions', body: { period: '2024-Q1', lang: 'zh' }, ok: 201, okAgain: 200 },
  'GET /report/submissions/:id': { path: async () => `/report/submissions/${await aSubmission()}`, ok: 200 },
  'GET /report/submissions/:id/document': { path: async () => `/report/submissions/${await aSubmission()}/document`, ok: 200 },
  'GET /cycle/board': { path: '/cycle/board?year=2024', ok: 200 },
  'GET /cycle/periods/:university/:period': { path: '/cycle/periods/USST/2024-Q1', ok: 200, except: STEWARD_ELSEWHERE },
  'POST /cycle/periods/:university/:period/submit': {
    path: () => `/cycle/periods/USST/${freshQuarter('USST')}/submit`,
    body: {},
    ok: 200,
    except: STEWARD_ELSEWHERE,
  },
  'POST /cycle/periods/:university/:period/approve': {
    path: async () => `${await periodAfter('UJS', ['submit'])}/approve`,
    body: {},
    ok: 200,
  },
  'POST /cycle/periods/:university/:period/return': {
    path: async () => `${await periodAfter('ZJUT', ['submit'])}/return`,
    body: { comment: 'Please add the December contracts.' },
    ok: 200,
  },
  'POST /cycle/periods/:university/:period/reopen': {
    path: async () => `${await periodAfter('AHUT', ['submit', 'approve'])}/reopen`,
    body: { reason: 'A contract was entered under the wrong university.' },
    ok: 200,
  },
  'PUT /cycle/periods/:university/:period/due': {
    path: '/cycle/periods/NJTECH/2024-Q4/due',
    body: { dueOn: '2025-02-01' },
    ok: 200,
  },
  'PUT /cycle/calendar/:university': { path: '/cycle/calendar/NJTECH', body: { frequency: 'quarter', dueDays: 25 }, ok: 200 },
  'GET /cycle/todo': { path: '/cycle/todo', ok: 200 },
  'GET /cycle/closed': { path: '/cycle/closed?from=2024-01-01&to=2024-12-31', ok: 200 },
  'GET /imports/:kind/template': { path: '/imports/credit/template?format=csv&lang=zh', ok: 200 },
  'POST /imports/:kind': {
    path: '/imports/tech_transfer',
    body: () =>
      `university_code,ref,mode,partner_name,partner_region_code,co_university_code,field_code,signed_on,contract_value_cny,received_cny,patents\r\nUSST,IMPORT-${++unique},license,Matrix Ltd.,SH,,OPTO,2024-05-01,1000.00,0.00,0\r\n`,
    ok: 200,
    except: STEWARD_ELSEWHERE,
  },
};

type Who = 'anonymous' | Identity;
const WHO: Who[] = ['anonymous', 'commission', 'leadership', 'stewardUSST', 'stewardNJTECH', 'admin'];

function expectedStatus(access: Access, who: Who, sample: Sample): number {
  const ok = sample.except?.[who] ?? sample.ok;
  if (access === 'anyone') return ok;
  if (who === 'anonymous') return 401;
  if (access === 'signed_in') return ok;
  return access.includes(IDENTITIES[who].role) ? ok : 403;
}

describe(`the authorization matrix (${TEST_DB})`, () => {
  let server: TestServer;
  const clients = {} as Record<Who, Client>;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    patchTarget = (await addUser(database.db, { email: 'target@test.example', role: 'leadership' })).id;
    server = await startTestServer(database);
    clients.anonymous = Client.anonymous(server);
    for (const who of WHO.slice(1) as Identity[]) clients[who] = await Client.signIn(server, IDENTITIES[who].email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when the route table is read, then every route has a sample request and every sample a route', () => {
    const keys = server.app.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(keys.filter((key) => !(key in SAMPLES))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((key) => !keys.includes(key))).toEqual([]);
  });

  // Hundreds of requests, one after another: on a loaded two-core machine more than vitest's minute
  // of this project; how long they take is not what this test tests.
  it('when each identity calls each route, then the status is exactly the one its role allows', {
    timeout: 240_000,
  }, async () => {
    const mismatches: string[] = [];
    for (const spec of server.app.routes) {
      const key = `${spec.method.toUpperCase()} ${spec.path}`;
      const sample = SAMPLES[key]!;
      let succeeded = false;
      for (const who of WHO) {
        const client =
          sample.freshSession && who !== 'anonymous' ? await Client.signIn(server, IDENTITIES[who].email) : clients[who];
        const path = typeof sample.path === 'function' ? await sample.path() : sample.path;
        const body = typeof sample.body === 'function' ? (sample.body as () => unknown)() : sample.body;
        const response = await client.request(spec.method.toUpperCase(), path, body);
        let expected = expectedStatus(spec.access, who, sample);
        if (succeeded && expected === sample.ok && sample.okAgain !== undefined) expected = sample.okAgain;
        if (response.status === expected && expected < 300) succeeded = true;
        if (response.status !== expected) mismatches.push(`${key} as ${who}: ${response.status}, expected ${expected}`);
        if (response.status === 401 || response.status === 403) {
          expect(response.headers.get('content-type')).toMatch(/problem\+json/);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/**
 * Every route whose path names a thing by its id or code: either the thing is row-scoped (some
 * callers of the route may see some of them and not others), with how to make one that a given
 * caller may not see; or why every caller of the route sees every one. A route added with an id
 * fails the first test until it is declared here.
 */
type Scoped = {
  /** A request to the route for the thing at `id`. */
  request: (id: number) => { method: string; path: string; body?: unknown };
  /** The id of a fresh thing of USST's, or of NJTECH's. */
  make: (university: 'USST' | 'NJTECH') => Promise<number>;
  /** The thing as stored, to check that a refused request left it alone. */
  read: (id: number) => Promise<unknown>;
};
const readContract = (id: number) => database.db.selectFrom('tech_transfer').selectAll().where('id', '=', id).executeTakeFirst();
const makeContract = async (university: 'USST' | 'NJTECH') =>
  (
    await database.db
      .insertInto('tech_transfer')
      .values({ ...usstContract(), university_code: university })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const ID_ROUTES: Record<string, Scoped | string> = {
  'PATCH /records/:kind/:id': {
    request: (id) => ({ method: 'PATCH', path: `/records/tech_transfer/${id}`, body: { patents: 7 } }),
    make: makeContract,
    read: readContract,
  },
  'DELETE /records/:kind/:id': {
    request: (id) => ({ method: 'DELETE', path: `/records/tech_transfer/${id}` }),
    make: makeContract,
    read: readContract,
  },
  'PATCH /users/:id': 'admin only, and an admin sees every account',
  'POST /mail/messages/:id/retry': 'admin only, and an admin sees every message of the outbox',
  'GET /report/submissions/:id': 'every signed-in caller lists every submission; what it shows of one depends on the role',
  'GET /report/submissions/:id/document': 'every signed-in caller lists every submission',
  'PATCH /universities/:code': 'reference data every signed-in caller reads',
  'DELETE /universities/:code': 'reference data every signed-in caller reads',
};

describe(`a thing a caller may not see answers as a missing one (${TEST_DB})`, () => {
  let server: TestServer;
  const clients = {} as Record<Identity, Client>;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    for (const who of Object.keys(IDENTITIES) as Identity[]) clients[who] = await Client.signIn(server, IDENTITIES[who].email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when the route table is read, then every route with an id in its path is declared row-scoped or not', () => {
    const keys = server.app.routes.filter((r) => r.path.includes('/:')).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const withId = keys.filter((key) => /:(id|code)\b/.test(key));
    expect(withId.filter((key) => !(key in ID_ROUTES))).toEqual([]);
    expect(Object.keys(ID_ROUTES).filter((key) => !withId.includes(key))).toEqual([]);
  });

  it('when a steward asks for another university’s record by id, then the answer is the one for an id that does not exist, and nothing changes', async () => {
    const differences: string[] = [];
    const missingId = 2_000_000_000;
    for (const spec of server.app.routes) {
      const key = `${spec.method.toUpperCase()} ${spec.path}`;
      const scoped = ID_ROUTES[key];
      if (typeof scoped !== 'object') continue;
      for (const who of ['stewardUSST', 'stewardNJTECH'] as const) {
        const own = IDENTITIES[who].university;
        const foreignId = await scoped.make(own === 'USST' ? 'NJTECH' : 'USST');
        const before = await scoped.read(foreignId);
        const answer = async (id: number) => {
          const { method, path, body } = scoped.request(id);
          const response = await clients[who].request(method, path, body);
          const text = (await response.text()).replace(new RegExp(`\\b${id}\\b`, 'g'), '<id>');
          return { status: response.status, type: response.headers.get('content-type'), text };
        };
        const foreign = await answer(foreignId);
        const missing = await answer(missingId);
        if (missing.status !== 404) differences.push(`${key} as ${who}: a missing id answers ${missing.status}`);
        if (JSON.stringify(foreign) !== JSON.stringify(missing))
          differences.push(`${key} as ${who}: ${JSON.stringify(foreign)} differs from ${JSON.stringify(missing)}`);
        expect(await scoped.read(foreignId)).toEqual(before);
        // Its own university's thing is still its to change: the scope is not a blanket refusal.
        const ownId = await scoped.make(own);
        const { method, path, body } = scoped.request(ownId);
        const mine = await clients[who].request(method, path, body);
        if (mine.status >= 300) differences.push(`${key} as ${who}: its own thing answers ${mine.status}`);
      }
      // An admin sees every university's: the same request succeeds.
      const { method, path, body } = scoped.request(await scoped.make('NJTECH'));
      const admin = await clients.admin.request(method, path, body);
      if (admin.status >= 300) differences.push(`${key} as admin: ${admin.status}`);
    }
    expect(differences).toEqual([]);
  });
});
