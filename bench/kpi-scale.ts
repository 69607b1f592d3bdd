/**
 * Dashboard queries at scale (run `npm run bench:load-demo` first): p50/p95 of the API beside
 * the same SQL run directly by psql, once against the raw facts (the naive way, rollups off) and
 * once as the API runs it (rollups: the floor). Every statement the API runs for a request is
 * captured and replayed in one psql session with \timing; a request's floor is the sum of its
 * statements' times. Prints API ÷ floor and naive ÷ API.
 * Usage: npm run bench:kpi-scale -- [--database URL] [--iterations 50] [--naive-iterations 5]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { CompiledQuery, LogEvent } from 'kysely';
import { sql } from 'kysely';
import { connectDatabase, inlineParameters } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { setRollupsEnabled } from '../server/kpi/compile.js';
import { DASHBOARD_QUERIES, percentile, serveForBench } from './bench-app.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/ao_bench_10m' },
    iterations: { type: 'string', default: '50' },
    'naive-iterations': { type: 'string', default: '5' },
  },
});
const iterations = Number(values.iterations);
const naiveIterations = Number(values['naive-iterations']);

let capture: CompiledQuery[] | null = null;
const log = (event: LogEvent) => {
  if (capture && event.level === 'query') capture.push(event.query);
};
const database = await connectDatabase({ databaseUrl: values.database, watch: false, log });
await migrateToLatest(database.db);
const counts = await sql<{ kind: string; n: number }>`
  select 'tech_transfer' as kind, count(*)::int as n from tech_transfer union all select 'payment', count(*)::int from payment
  union all select 'incubation', count(*)::int from incubation
  union all select 'talent', count(*)::int from talent union all select 'credit', count(*)::int from credit`.execute(database.db);
const total = counts.rows.reduce((s, r) => s + r.n, 0);
// No answer cache: the API must run its queries every time, as the floor and the naive way do.
const app = await serveForBench(database, { env: { DATABASE_URL: values.database! } });
const get = app.get;

/** The statements one request runs (the data version and the session are part of the API's cost, not of the query's). */
async function statementsOf(path: string): Promise<string[]> {
  await get(path);
  capture = [];
  await get(path);
  const captured = capture;
  capture = null;
  return captured
    .filter((query) => !/from "session"|from "app_setting"|"app_user"|update "session"/.test(query.sql))
    .map(inlineParameters);
}

/** Per-request times (ms) of the statements replayed `n` times in one psql session. */
function psqlTimes(statements: string[], n: number, settings: string[] = []): number[] {
  const script = [...settings, '\\timing on', '\\o /dev/null'];
  for (let i = 0; i < n; i++) for (const s of statements) script.push(`${s.replace(/\s+/g, ' ')};`);
  const run = spawnSync('psql', ['-X', '-q', '-d', values.database!, '-f', '-'], {
    input: script.join('\n'),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  const times = [...run.stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
  const perRequest: number[] = [];
  for (let i = 0; i < n; i++)
    perRequest.push(times.slice(i * statements.length, (i + 1) * statements.length).reduce((a, b) => a + b, 0));
  return perRequest;
}

async function apiTimes(path: string, n: number): Promise<number[]> {
  for (let i = 0; i < 5; i++) await get(path);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await get(path);
    samples.push(performance.now() - start);
  }
  return samples;
}

console.log(
  `\n${total.toLocaleString('en')} records (${counts.rows.map((r) => `${r.kind} ${r.n.toLocaleString('en')}`).join(', ')}); PostgreSQL; ${iterations} requests each\n`,
);
console.log(
  'query                                     | API p50 | API p95 | floor p50 | naive p50 | API ÷ floor | naive ÷ API | statements',
);
console.log(
  '------------------------------------------|---------|---------|-----------|-----------|-------------|-------------|-----------',
);
for (const query of DASHBOARD_QUERIES) {
  setRollupsEnabled(false);
  const naiveStatements = await statementsOf(query.path);
  const naive = psqlTimes(naiveStatements, naiveIterations);
  setRollupsEnabled(true);
  const floorStatements = await statementsOf(query.path);
  // The floor runs with the session settings of the API's readers' pool (server/db/connect.ts).
  const floor = psqlTimes(floorStatements, iterations, ['set parallel_setup_cost = 10000;']);
  const api = await apiTimes(query.path, iterations);
  const [a50, a95, f50, n50] = [percentile(api, 50), percentile(api, 95), percentile(floor, 50), percentile(naive, 50)];
  console.log(
    `${query.name.padEnd(42)}| ${a50.toFixed(1).padStart(7)} | ${a95.toFixed(1).padStart(7)} | ${f50.toFixed(1).padStart(9)} | ${n50.toFixed(0).padStart(9)} | ${(a50 / f50).toFixed(2).padStart(11)} | ${(n50 / a50).toFixed(0).padStart(11)} | ${floorStatements.length}`,
  );
}
console.log(
  "\ntimes in ms; floor = the API's own statements (rollups) in psql; naive = the same request's statements with rollups off, in psql",
);
app.close();
await database.close();
