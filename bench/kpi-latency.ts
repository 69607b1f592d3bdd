/**
 * p50/p95 latency of the dashboard's two busiest reads on the demo data (5,000 records), on
 * PGlite and on PostgreSQL, side by side with the same aggregate SQL run directly through the
 * driver. Usage: npm run bench:kpi -- [--iterations 200] [--records 5000] [--postgres URL]
 */
import { parseArgs } from 'node:util';
import { connectDatabase, type DatabaseHandle } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDemoData } from '../server/demo/seed.js';
import { compileAggregate } from '../server/kpi/compile.js';
import { readDataRange } from '../server/kpi/kpi.service.js';
import { today } from '../server/lib/dates.js';
import { scratchDatabase } from './scratch-database.js';
import { percentile, serveForBench } from './bench-app.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '200' },
    records: { type: 'string', default: '5000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const iterations = Number(values.iterations);
const records = Number(values.records);

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function measure(name: string, database: DatabaseHandle) {
  await migrateToLatest(database.db);
  await seedDemoData(database.db, { seed: 42, records, asOf: today() });
  const app = await serveForBench(database);
  const get = (path: string) => () => app.get(path);
  const range = await readDataRange(database.db);
  const rawQuery = compileAggregate(
    {
      measures: ['tech_transfer.contracts', 'tech_transfer.contract_value', 'tech_transfer.received'],
      by: ['university', 'quarter'],
      filters: {},
    },
    range,
  );
  const results = {
    summary: await time(get('/summary')),
    aggregate: await time(
      get(
        '/aggregate?measures=tech_transfer.contracts,tech_transfer.contract_value,tech_transfer.received&by=university,quarter',
      ),
    ),
    rawSql: await time(() => rawQuery.execute(database.db)),
  };
  app.close();
  await database.close();
  return { name, results };
}

async function postgresDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  const scratch = await scratchDatabase(values.postgres!, `ao_bench_${process.pid}`);
  return { handle: await connectDatabase({ databaseUrl: scratch.url }), drop: scratch.drop };
}

const runs = [await measure('PGlite', await connectDatabase({ inMemory: true }))];
const postgres = await postgresDatabase();
runs.push(await measure('PostgreSQL', postgres.handle));
await postgres.drop();

const fmt = (ms: number) => ms.toFixed(2).padStart(8);
console.log(`\nKPI read latency, ${records.toLocaleString('en')} demo records, ${iterations} sequential requests each (ms)\n`);
console.log(
  'engine      | GET /summary p50   p95 | GET /aggregate?by=university,quarter p50   p95 | same SQL direct p50 | aggregate ÷ SQL',
);
for (const { name, results } of runs) {
  const ratio = percentile(results.aggregate, 50) / percentile(results.rawSql, 50);
  console.log(
    `${name.padEnd(11)} | ${fmt(percentile(results.summary, 50))} ${fmt(percentile(results.summary, 95))} | ${fmt(percentile(results.aggregate, 50))} ${fmt(percentile(results.aggregate, 95))}                         | ${fmt(percentile(results.rawSql, 50))}            | ${ratio.toFixed(2)}×`,
  );
}
