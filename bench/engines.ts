/**
 * The dashboard's queries through the API on the embedded database (PGlite) and on PostgreSQL,
 * holding the same demo dataset (same seed, size and day), one engine after the other in one run:
 * p50/p95 and the ratio PGlite ÷ PostgreSQL.
 * Prepare: `npm run bench:load-demo -- --records 1000000 --database <URL>` and
 * `DATA_DIR=<dir> npm run seed -- --records 1000000`.
 * Usage: npm run bench:engines -- --pglite <dir> --postgres <URL> [--iterations 30]
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createApp } from '../server/app.js';
import { hashPassword } from '../server/auth/password.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, type DatabaseHandle } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { MEASURE_IDS } from '../server/kpi/measure-ids.js';
import { createLogger } from '../server/logger.js';

const { values } = parseArgs({
  options: {
    pglite: { type: 'string', default: './data' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/ao_bench_1m' },
    iterations: { type: 'string', default: '30' },
  },
});
const iterations = Number(values.iterations);

const QUERIES = [
  { name: '/summary', path: '/summary' },
  {
    name: '/aggregate?by=university,quarter',
    path: '/aggregate?measures=tech_transfer.contracts,tech_transfer.contract_value&by=university,quarter',
  },
  { name: '/aggregate?by=region,year&measures=<all>', path: `/aggregate?measures=${MEASURE_IDS.join(',')}&by=region,year` },
  { name: '/collaboration', path: '/collaboration?measure=credits.credits' },
];

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function measure(database: DatabaseHandle, env: Record<string, string>): Promise<{ records: number; times: number[][] }> {
  await migrateToLatest(database.db);
  const { rows } = await sql<{ n: number }>`select (select count(*) from tech_transfer) + (select count(*) from incubation)
    + (select count(*) from talent) + (select count(*) from credit) as n`.execute(database.db);
  await database.db
    .insertInto('app_user')
    .values({
      email: 'bench@alliance.example',
      name: 'Bench',
      role: 'leadership',
      password_hash: await hashPassword('bench password 1'),
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  // No answer cache: this measures the queries, not the cache.
  const app = createApp({ database, config, log: createLogger(config), cacheAnswers: false });
  const server = app.express.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@alliance.example', password: 'bench password 1' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const times: number[][] = [];
  for (const { path } of QUERIES) {
    const samples: number[] = [];
    for (let i = 0; i < iterations + 5; i++) {
      const start = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      await response.arrayBuffer();
      if (i >= 5) samples.push(performance.now() - start);
    }
    times.push(samples);
  }
  server.close();
  await database.close();
  return { records: Number(rows[0]!.n), times };
}

const pglite = await measure(await connectDatabase({ dataDir: values.pglite! }), { DATA_DIR: values.pglite! });
const postgres = await measure(await connectDatabase({ databaseUrl: values.postgres, watch: false }), {
  DATABASE_URL: values.postgres!,
});
console.log(
  `\nPGlite (${join(values.pglite!)}) ${pglite.records.toLocaleString('en')} records; PostgreSQL ${postgres.records.toLocaleString('en')} records; ${iterations} requests each\n`,
);
console.log(
  'query                                              | PGlite p50 | PGlite p95 | PostgreSQL p50 | PostgreSQL p95 | PGlite ÷ PostgreSQL (p50)',
);
QUERIES.forEach(({ name }, i) => {
  const [a, b] = [pglite.times[i]!, postgres.times[i]!];
  console.log(
    `${name.padEnd(51)}| ${percentile(a, 50).toFixed(1).padStart(10)} | ${percentile(a, 95).toFixed(1).padStart(10)} | ${percentile(b, 50).toFixed(1).padStart(14)} | ${percentile(b, 95).toFixed(1).padStart(14)} | ${(percentile(a, 50) / percentile(b, 50)).toFixed(2)}`,
  );
});
