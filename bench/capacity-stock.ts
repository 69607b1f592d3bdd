/**
 * Capacity stocks when universities file many snapshots: the compiler's lookup of each
 * university's latest snapshot per period (through the (university_code, snapshot_on) index)
 * against the general stock join (every snapshot of `capacity_fact` against every period it spans),
 * side by side in one run, on the embedded database and on PostgreSQL.
 * Usage: npm run bench:capacity -- [--postgres URL] [--snapshots 60000] [--iterations 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { connectDatabase, type DatabaseHandle } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import type { Database } from '../server/db/schema.js';
import { compileAggregate } from '../server/kpi/compile.js';
import { periodsBetween } from '../server/kpi/periods.js';
import { percentile } from './bench-app.js';
import { scratchDatabase } from './scratch-database.js';

const { values } = parseArgs({
  options: {
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    snapshots: { type: 'string', default: '60000' },
    iterations: { type: 'string', default: '10' },
  },
});
const snapshots = Number(values.snapshots);
const iterations = Number(values.iterations);
const MEASURES = ['capacity.transfer_offices', 'capacity.staff', 'capacity.tech_managers', 'capacity.co_built'] as const;
const FROM = '2019-10-25';
const TO = '2026-11-30';

/** `snapshots` snapshots spread over the five members, one per university and day, back from TO. */
async function fill(db: Kysely<Database>): Promise<void> {
  await sql`
    insert into capacity (university_code, ref, snapshot_on, transfer_offices, staff, tech_managers, co_built)
    select u.code, 'B-' || n, ${TO}::date - (n / 5), 1, n % 50, n % 20, n % 5
    from generate_series(0, ${snapshots - 1}) as n
    inner join (select code, row_number() over (order by code) - 1 as i from university) as u on u.i = n % 5`.execute(db);
  // As autovacuum would after such an import: without statistics the planner does not know the table is large.
  await sql`analyze capacity`.execute(db);
}

/** The general stock join, as the compiler wrote it for every stock before the lookup. */
function generalJoin() {
  const periods = periodsBetween('month', FROM, TO);
  const list = sql.join(periods.map((p) => sql`(${p.month}::text, ${p.end}::date)`));
  return sql`select p.month, f.university_code, sum(f.staff), sum(f.tech_managers), sum(f.transfer_offices), sum(f.co_built), count(*)
    from capacity_fact as f inner join (values ${list}) as p(month, period_end)
      on f.snapshot_on <= p.period_end and (f.superseded_on is null or f.superseded_on > p.period_end)
    group by 1, 2`;
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations + 2; i++) {
    const start = performance.now();
    await run();
    if (i >= 2) samples.push(performance.now() - start);
  }
  return samples;
}

async function measure(name: string, database: DatabaseHandle): Promise<void> {
  await migrateToLatest(database.db);
  await fill(database.db);
  const lookup = compileAggregate(
    { measures: [...MEASURES], by: ['month', 'university'], filters: { from: FROM, to: TO } },
    { first: FROM, last: TO },
  );
  const a = await time(() => lookup.execute(database.db));
  const b = await time(() => generalJoin().execute(database.db));
  const p50 = (s: number[]) => percentile(s, 50);
  console.log(
    `${name}: ${snapshots.toLocaleString('en-US')} snapshots, by month × university over ${periodsBetween('month', FROM, TO).length} months: lookup p50 ${p50(a).toFixed(1)} ms, general join p50 ${p50(b).toFixed(1)} ms, ratio ${(p50(b) / p50(a)).toFixed(1)}×`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'capacity-bench-'));
try {
  const embedded = await connectDatabase({ dataDir: dir, watch: false });
  await measure('embedded', embedded);
  await embedded.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const scratch = await scratchDatabase(values.postgres!, 'ao_bench_capacity');
try {
  const server = await connectDatabase({ databaseUrl: scratch.url, watch: false });
  await measure('PostgreSQL', server);
  await server.close();
} finally {
  await scratch.drop();
}
