/**
 * Requests per second of a cached /summary, side by side with a bare node:http server that
 * answers the same bytes, on the same machine and in the same run: autocannon with 50
 * connections against (1) /summary with If-None-Match (the 304 path), (2) /summary without it
 * (200, the answer cached for the data version), (3) node:http sending the 200's bytes.
 * Usage: npm run bench:cached -- [--database URL] [--seconds 10] [--connections 50]
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDemoData, hasAnyRecords } from '../server/demo/seed.js';
import { today } from '../server/lib/dates.js';
import { serveForBench } from './bench-app.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/ao_bench_small' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
  },
});
const duration = Number(values.seconds);
const connections = Number(values.connections);

const database = await connectDatabase({ databaseUrl: values.database });
await migrateToLatest(database.db);
if (!(await hasAnyRecords(database.db))) await seedDemoData(database.db, { seed: 42, records: 5000, asOf: today() });
// The answer cache on: this measures what a room of people opening the dashboard gets.
const app = await serveForBench(database, { env: { DATABASE_URL: values.database! }, cacheAnswers: true });
const { origin: base, cookie } = app;
const first = await fetch(`${base}/api/v1/summary`, { headers: { cookie } });
const etag = first.headers.get('etag')!;
const body = Buffer.from(await first.arrayBuffer());
const headers = { 'content-type': first.headers.get('content-type')!, etag };

// The floor: node:http answering the same bytes, nothing else.
const bare = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
bare.listen(0, '127.0.0.1');
await new Promise((resolve) => bare.once('listening', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1/summary`;

const run = async (
  url: string,
  extra: Record<string, string>,
): Promise<{ rps: number; non2xx: number; p50: number; p99: number }> => {
  const result = await autocannon({ url, connections, duration, headers: { cookie, ...extra } });
  return {
    rps: result.requests.average,
    non2xx: result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
};

await run(`${base}/api/v1/summary`, {}); // warm up
const notModified = await run(`${base}/api/v1/summary`, { 'if-none-match': etag });
const cached = await run(`${base}/api/v1/summary`, {});
const floor = await run(bareUrl, {});
const line = (name: string, r: { rps: number; non2xx: number; p50: number; p99: number }, note = '') =>
  console.log(
    `${name.padEnd(34)}| ${Math.round(r.rps).toLocaleString('en').padStart(8)} | ${String(r.p50).padStart(5)} | ${String(r.p99).padStart(5)} | ${String(r.non2xx).padStart(6)} ${note}`,
  );
console.log(`\n/summary, ${body.length} bytes; autocannon ${connections} connections × ${duration} s each\n`);
console.log('server                            |  req/s   | p50 ms | p99 ms | non-2xx');
line('bare node:http, same bytes', floor);
line('/summary, If-None-Match (304)', notModified, `= ${(notModified.rps / floor.rps).toFixed(2)} of node:http (target ≥ 0.6)`);
line('/summary, 200 (cached answer)', cached, `= ${(cached.rps / floor.rps).toFixed(2)} of node:http (target ≥ 0.6)`);
app.close();
bare.close();
await database.close();
