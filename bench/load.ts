/**
 * A longer load than the test suite's: autocannon against /summary and /aggregate on the demo
 * data, reporting latency p50/p99, non-2xx answers and the server's memory before and after.
 * Usage: npm run bench:load -- [--requests 100000] [--connections 50] [--postgres URL | --pglite]
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connectDatabase, type DatabaseHandle } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDemoData } from '../server/demo/seed.js';
import { today } from '../server/lib/dates.js';
import { scratchDatabase } from './scratch-database.js';
import { serveForBench } from './bench-app.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '50' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    pglite: { type: 'boolean', default: false },
  },
});

const name = `ao_bench_load_${process.pid}`;
let drop: () => Promise<void> = async () => undefined;
let database: DatabaseHandle;
if (values.pglite) {
  database = await connectDatabase({ inMemory: true });
} else {
  const scratch = await scratchDatabase(values.postgres!, name);
  database = await connectDatabase({ databaseUrl: scratch.url });
  drop = scratch.drop;
}
await migrateToLatest(database.db);
await seedDemoData(database.db, { seed: 42, records: 5000, asOf: today() });
const app = await serveForBench(database);
const { origin, cookie, server } = app;

const memory = () => {
  global.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss / 1048576, heap: m.heapUsed / 1048576 };
};
const paths = [
  '/api/v1/summary?measures=tech_transfer.contracts,credits.credits',
  '/api/v1/aggregate?measures=tech_transfer.contracts,tech_transfer.contract_value&by=university,quarter',
  '/api/v1/aggregate?measures=credits.credits,talent.trainees&by=region,year',
  '/api/v1/collaboration?measure=credits.credits',
];
const run = (amount: number) =>
  autocannon({
    url: origin,
    connections: Number(values.connections),
    amount,
    headers: { cookie },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });

await run(2000);
const before = memory();
const result = await run(Number(values.requests));
const after = memory();
server.close();
await database.close();
await drop();

const non2xx = result.non2xx + result.errors + result.timeouts;
console.log(
  `\n${result.requests.total.toLocaleString('en')} requests, ${values.connections} connections, ${values.pglite ? 'PGlite' : 'PostgreSQL'}, demo data (5,000 records)`,
);
console.log(
  `throughput ${Math.round(result.requests.average)} req/s; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
);
console.log(
  `non-2xx, errors and timeouts: ${non2xx} (${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts)`,
);
console.log(
  `server memory after GC: before ${before.rss.toFixed(1)} MB RSS / ${before.heap.toFixed(1)} MB heap, after ${after.rss.toFixed(1)} MB / ${after.heap.toFixed(1)} MB (growth ${(after.rss - before.rss).toFixed(1)} MB RSS, ${(after.heap - before.heap).toFixed(1)} MB heap; target ≤ 30 MB)`,
);
