/**
 * The dashboard's queries through the API on the embedded database (PGlite) and on PostgreSQL,
 * holding the same demo dataset (same seed, size and day), one engine after the other in one run:
 * p50/p95 and the ratio PGlite ÷ PostgreSQL.
 * Prepare: `npm run bench:load-demo -- --records 1000000 --database <URL>` and
 * `DATA_DIR=<dir> npm run seed -- --records 1000000`.
 * Usage: npm run bench:engines -- --pglite <dir> --postgres <URL> [--iterations 30]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { connectDatabase, type DatabaseHandle } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { DASHBOARD_QUERIES, percentile, serveForBench } from './bench-app.js';

const { values } = parseArgs({
  options: {
    pglite: { type: 'string', default: './data' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/ao_bench_1m' },
    iterations: { type: 'string', default: '30' },
  },
});
const iterations = Number(values.iterations);

async function measure(database: DatabaseHandle, env: Record<string, string>): Promise<{ records: number; times: number[][] }> {
  await migrateToLatest(database.db);
  const { rows } = await sql<{ n: number }>`select (select count(*) from tech_transfer) + (select count(*) from incubation)
    + (select count(*) from talent) + (select count(*) from credit) as n`.execute(database.db);
  // No answer cache: this measures the queries, not the cache.
  const app = await serveForBench(database, { env });
  const times: number[][] = [];
  for (const { path } of DASHBOARD_QUERIES) {
    const samples: number[] = [];
    for (let i = 0; i < iterations + 5; i++) {
      const start = performance.now();
      await app.get(path);
      if (i >= 5) samples.push(performance.now() - start);
    }
    times.push(samples);
  }
  app.close();
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
DASHBOARD_QUERIES.forEach(({ name }, i) => {
  const [a, b] = [pglite.times[i]!, postgres.times[i]!];
  console.log(
    `${name.padEnd(51)}| ${percentile(a, 50).toFixed(1).padStart(10)} | ${percentile(a, 95).toFixed(1).padStart(10)} | ${percentile(b, 50).toFixed(1).padStart(14)} | ${percentile(b, 95).toFixed(1).padStart(14)} | ${(percentile(a, 50) / percentile(b, 50)).toFixed(2)}`,
  );
});
