import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, endSession, SESSION_COOKIE } from '../../server/auth/sessions.js';
import { connectDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import type { Database } from '../../server/db/schema.js';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { distinctFailures, type Failure, type FuzzTarget, type RunResult, runFuzz, type Sessions } from '../helpers/fuzz-http.js';
import {
  describeRequest,
  type FuzzContext,
  type FuzzRole,
  operationsOf,
  queryNamesOf,
  shapesOf,
  wordsOf,
} from '../helpers/fuzz-requests.js';
import { type Child, freePort, runTs, waitForOk } from '../helpers/process.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, addUser, Client, IDENTITIES } from '../helpers/users.js';

/**
 * Every route of the OpenAPI document, by every role and by nobody, with random parameters,
 * bodies and content types (test/helpers/fuzz-requests.ts): no 5xx, every error a problem with
 * its title and status, no stack trace or database wording in any body, no role let through a
 * door the document keeps shut, and the server standing after every batch. Most cases go to the
 * application in this process (its uncaught errors counted); a share goes to the server run as
 * a process of its own, which a fault would really stop.
 *
 * A run sends CASES distinct cases: 3,000 by default, enough for every operation to be tried by
 * every role many times in seconds; FUZZ_CASES=20000 or more for a deep run (docs/performance.md).
 * The seed is fixed, so a run sends the same cases every time. When it runs on both engines (TEST_DATABASE_URL set, as in CI),
 * PGlite takes the first half of them and PostgreSQL the second, so that the run still tries every
 * one of them once, and neither engine repeats what the other sent (FUZZ_EVERY_ENGINE=1 sends all
 * of them to each). FUZZ_SEED and FUZZ_CASES run other or more cases; FUZZ_ONLY=12,345 replays
 * single cases (on whichever engine holds them, or on both with FUZZ_EVERY_ENGINE=1).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_614);
const CASES = Number(process.env.FUZZ_CASES ?? 3_000);
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(',').map(Number)) : undefined;
const SHARED = Boolean(process.env.TEST_DATABASE_URL) && !process.env.FUZZ_EVERY_ENGINE;
/** The cases [FROM, TO) this engine sends. */
const FROM = SHARED && TEST_DB === 'postgres' ? Math.floor(CASES / 2) : 0;
const TO = SHARED && TEST_DB === 'pglite' ? Math.floor(CASES / 2) : CASES;
/** Cases from here on go to the server process: the last tenth of this engine's share. */
const CHILD_FROM = FROM + Math.floor((TO - FROM) * 0.9);
const BATCH = 250;
const CONCURRENCY = 4;
/** FUZZ_PROGRESS=<file>: where a long run writes how far it is. */
const step = (what: string) =>
  process.env.FUZZ_PROGRESS && appendFileSync(process.env.FUZZ_PROGRESS, `${new Date().toISOString()} ${what}\n`);

type Role = Exclude<FuzzRole, 'anonymous'>;
const ROLE_IDENTITY = { admin: 'admin', leadership: 'leadership', steward: 'stewardUSST', commission: 'commission' } as const;
/** Sessions made ahead per role: a fuzzed sign-out ends one, and the next takes over. */
const SESSIONS_PER_ROLE = 60;

/**
 * The fuzz's data: records, the identities (with ids far from the small numbers a fuzzed
 * `/users/{id}` tries, so that no case disables the admin that fuzzes), accounts it may change,
 * and sessions made without a password hash each.
 */
async function seedFuzzData(db: Kysely<Database>): Promise<{ tokens: Record<Role, string[]>; ended: string }> {
  await insertFacts(db, randomFacts(11, 20));
  await sql`select setval(pg_get_serial_sequence('app_user', 'id'), 1000000)`.execute(db);
  const users = await addStandardUsers(db);
  for (let i = 0; i < 3; i++) await addUser(db, { email: `fuzz-target-${i}@test.example`, role: 'commission' });
  const tokens = {} as Record<Role, string[]>;
  for (const [role, identity] of Object.entries(ROLE_IDENTITY) as [Role, keyof typeof IDENTITIES][]) {
    tokens[role] = [];
    for (let i = 0; i < SESSIONS_PER_ROLE; i++) tokens[role].push((await createSession(db, users[identity].id, null)).token);
  }
  const ended = (await createSession(db, users.admin.id, null)).token;
  await endSession(db, ended);
  return { tokens, ended };
}

/** Signs the fuzzing identities in from the sessions made ahead, moving on from any that a case ended. */
function sessionKeeper(origin: string, tokens: Record<Role, string[]>, ended: string) {
  const current = {} as Record<Role, { cookie: string; csrf: string; at: number }>;
  return async (): Promise<Sessions> => {
    for (const role of Object.keys(tokens) as Role[]) {
      for (let at = current[role]?.at ?? 0; at < tokens[role].length; at++) {
        const cookie = `${SESSION_COOKIE}=${tokens[role][at]}`;
        const response = await fetch(`${origin}/api/v1/auth/me`, { headers: { cookie } });
        if (response.status === 200) {
          current[role] = { cookie, csrf: ((await response.json()) as { csrfToken: string }).csrfToken, at };
          break;
        }
        await response.arrayBuffer();
      }
      if (!current[role]) throw new Error(`no session of ${role} is left`);
    }
    const identities = Object.fromEntries(Object.entries(current).map(([role, { cookie, csrf }]) => [role, { cookie, csrf }]));
    return { identities: identities as Sessions['identities'], ended: `${SESSION_COOKIE}=${ended}` };
  };
}

/** What the fuzz knows of a server: its document, the words it understands, and the ids and codes that exist in it. */
async function contextOf(origin: string, admin: { cookie: string; csrf: string }): Promise<FuzzContext> {
  const get = async (path: string) => {
    const response = await fetch(`${origin}${path}`, { headers: { cookie: admin.cookie } });
    return response.ok ? ((await response.json()) as unknown) : undefined;
  };
  // A few submitted reports, so that their ids exist.
  for (const period of ['2024', '2025-Q1']) {
    const response = await fetch(`${origin}/api/v1/report/submissions`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ period, lang: 'en' }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
  }
  const document = (await get('/api/v1/openapi.json')) as Record<string, any>;
  const operations = operationsOf(document);
  // Valid values of a path parameter: the `id` or `code` of the items its collection lists.
  const validPathValues = new Map<string, string[]>();
  for (const op of operations) {
    for (const match of op.path.matchAll(/\{(\w+)\}/g)) {
      const template = op.path.slice(0, match.index! + match[0].length);
      if (validPathValues.has(template)) continue;
      const collection = template.slice(0, template.lastIndexOf('/'));
      const enums = new Map<string, string[]>(
        (op.spec.parameters ?? []).filter((p: any) => p.in === 'path' && p.schema?.enum).map((p: any) => [p.name, p.schema.enum]),
      );
      let lists = [collection];
      for (const [name, values] of enums)
        lists = lists.flatMap((l) => (l.includes(`{${name}}`) ? values.map((v) => l.replace(`{${name}}`, v)) : [l]));
      const values = new Set<string>();
      for (const list of lists.filter((l) => !l.includes('{'))) {
        const items = firstArrayOfObjects(await get(list));
        for (const item of items ?? []) {
          if (typeof item.email === 'string' && item.email.endsWith('@test.example') && !item.email.startsWith('fuzz-target'))
            continue;
          const value = item[match[1]!] ?? (match[1] === 'code' ? item.code : item.id);
          if (typeof value === 'string' || typeof value === 'number') values.add(String(value));
        }
      }
      validPathValues.set(template, [...values].slice(0, 40));
    }
  }
  return {
    operations,
    validPathValues,
    words: wordsOf(document.paths, await get('/api/v1/meta')),
    queryNames: queryNamesOf(operations),
    shapes: shapesOf(document),
  };
}

function firstArrayOfObjects(value: unknown): Record<string, unknown>[] | undefined {
  if (Array.isArray(value))
    return value.every((v) => v && typeof v === 'object') ? (value as Record<string, unknown>[]) : undefined;
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const found = firstArrayOfObjects(v);
      if (found?.length) return found;
    }
  }
  return undefined;
}

async function answersHealth(origin: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${origin}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status === 200 ? undefined : `/health answered ${response.status}`;
  } catch (error) {
    return `/health did not answer: ${(error as Error).message}`;
  }
}

/** The reproducers of a run's faults, one per distinct fault. */
function report(failures: readonly Failure[]): string {
  return distinctFailures(failures)
    .map(
      (f) =>
        `- ${f.target}: ${f.request.operation}: ${f.reason} (${f.count} case${f.count === 1 ? '' : 's'}; first: FUZZ_SEED=${SEED} FUZZ_ONLY=${f.index})\n` +
        `  ${describeRequest(f.request).replaceAll('\n', '\n  ')}` +
        (f.body ? `\n  answer: ${f.body.replaceAll('\n', ' ')}` : ''),
    )
    .join('\n');
}

describe(`fuzzing every route of the API document (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  const processErrors: string[] = [];
  const onError = (error: unknown) =>
    processErrors.push(
      `uncaught in this process: ${(error as Error)?.stack?.split('\n').slice(0, 3).join(' ') ?? String(error)}`,
    );
  let inProcess: FuzzTarget;
  beforeAll(async () => {
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    database = await createTestDatabase();
    const { tokens, ended } = await seedFuzzData(database.db);
    // Low sign-in limits: once a few fuzzed sign-ins have failed, the rest are refused before any password is hashed.
    server = await startTestServer(
      database,
      {},
      { loginLimits: { windowMs: 15 * 60_000, perAddress: 10, perAccount: 5, perAccountAnywhere: 10 } },
    );
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    const prepare = sessionKeeper(server.url, tokens, ended);
    const sessions = await prepare();
    inProcess = {
      label: 'in-process',
      origin: server.url,
      context: await contextOf(server.url, sessions.identities.admin),
      prepare,
      trouble: () => answersHealth(server.url),
    };
  });
  afterAll(async () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    await server?.close();
    await database?.close();
  });

  it(`when ${TO - FROM} random requests hit every route, then none is a 5xx or leaks, and the server stands`, {
    timeout: 600_000,
  }, async () => {
    const started = Date.now();
    console.log(
      `fuzz (${TEST_DB}): seed ${SEED}, cases ${FROM}–${TO - 1} of ${CASES} (up to ${CHILD_FROM - 1} in this process, the rest to a server process); FUZZ_SEED, FUZZ_CASES, FUZZ_ONLY, FUZZ_EVERY_ENGINE to change`,
    );
    const results: RunResult[] = [];
    results.push(
      await runFuzz(
        inProcess,
        { seed: SEED, from: FROM, to: CHILD_FROM, batchSize: BATCH, concurrency: CONCURRENCY, ...(ONLY ? { only: ONLY } : {}) },
        () => processErrors,
      ),
    );
    const child = await startServerProcess();
    try {
      results.push(
        await runFuzz(
          child.target,
          {
            seed: SEED,
            from: CHILD_FROM,
            to: TO,
            batchSize: BATCH,
            concurrency: CONCURRENCY,
            ...(ONLY ? { only: ONLY } : {}),
            afterBatch: child.revive,
          },
          () => [],
        ),
      );
    } finally {
      await child.stop();
    }
    const sent = results.reduce((n, r) => n + r.sent, 0);
    const statuses = new Map<number, number>();
    for (const r of results) for (const [s, n] of r.statuses) statuses.set(s, (statuses.get(s) ?? 0) + n);
    const failures = results.flatMap((r) => r.failures);
    console.log(
      `fuzz (${TEST_DB}): ${sent} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; answers ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}; slowest ${results.map((r) => `${Math.round(r.slowest.ms)} ms (case ${r.slowest.index})`).join(', ')}`,
    );
    const time = new Map<string, number>();
    for (const r of results) for (const [op, ms] of r.time) time.set(op, (time.get(op) ?? 0) + ms);
    step(
      `time per operation: ${[...time]
        .sort(([, a], [, b]) => b - a)
        .slice(0, 8)
        .map(([op, ms]) => `${op} ${Math.round(ms)} ms`)
        .join('; ')}`,
    );
    if (!ONLY) expect(sent).toBe(TO - FROM);
    expect(failures.length, `faults found by the fuzz:\n${report(failures)}`).toBe(0);
  });

  it('when random CSV files are imported, then no answer is a 5xx and a rejected file writes nothing', async () => {
    const header = KIND_COLUMNS.credit.map((c) => c.name).join(',');
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('USST', 'ZJUT', '2024-2025-1', '2025-01-20', '12', '36', '"', '""', '"a,b"', '\r\n', '\n', '\ud800'),
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

/**
 * The server as `npm start` runs it, over a database of its own made ready beforehand (the
 * embedded one cannot be shared with a running server): a fault that stops it shows as an exit.
 * A fallen server is started again (twice at most), so that one fault hides no other.
 */
async function startServerProcess(): Promise<{
  target: FuzzTarget;
  revive: (trouble: string | undefined) => Promise<void>;
  stop: () => Promise<void>;
}> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let dataDir: string | undefined;
  let url: string | undefined;
  let seeded: Awaited<ReturnType<typeof seedFuzzData>>;
  if (TEST_DB === 'postgres') {
    const database = await createTestDatabase();
    url = database.url!;
    seeded = await seedFuzzData(database.db);
    await database.close();
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'fuzz-server-'));
    const database = await connectDatabase({ dataDir });
    await migrateToLatest(database.db);
    seeded = await seedFuzzData(database.db);
    await database.close();
  }
  const env = {
    PORT: String(port),
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'off',
    ...(url ? { DATABASE_URL: url } : { DATA_DIR: dataDir! }),
  };
  let child: Child;
  const start = async () => {
    child = runTs('server/main.ts', [], env);
    await waitForOk(`${origin}/api/v1/health`, child);
  };
  await start();
  const prepare = sessionKeeper(origin, seeded.tokens, seeded.ended);
  const context = await contextOf(origin, (await prepare()).identities.admin);
  let restarts = 0;
  return {
    target: {
      label: 'server process',
      origin,
      context,
      prepare,
      trouble: async () => {
        if (child.process.exitCode !== null || child.process.signalCode !== null)
          return `the server process exited (${child.process.exitCode ?? child.process.signalCode}): ${child.output().stderr.slice(-600)}`;
        return answersHealth(origin);
      },
    },
    revive: async (trouble) => {
      if (!trouble || restarts >= 2) return;
      restarts++;
      child.process.kill('SIGKILL');
      await child.exited;
      await start();
    },
    stop: async () => {
      if (child.process.exitCode === null) {
        child.process.kill('SIGTERM');
        await child.exited;
      }
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
