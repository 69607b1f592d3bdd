/**
 * Requests per second of a cached /summary, side by side with a bare node:http server that
 * answers the same bytes (the same status, headers and body), on the same machine and in the same
 * run: autocannon with 50 connections, in a process of its own so that the load it makes does not
 * share the servers' event loop, against (1) /summary with If-None-Match (the 304 path) and the bare
 * server's 304 of the same headers, (2) /summary without it (200, the answer kept for the data
 * version) and the bare server's 200 of the same bytes. Each pair runs three times, interleaved.
 * Usage: npm run bench:cached -- [--database URL] [--seconds 10] [--connections 50] [--log-level silent]
 */
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { hasAnyRecords, seedDemoData } from '../server/demo/seed.js';
import { headerList } from '../server/http/answer-cache.js';
import { today } from '../server/lib/dates.js';
import { serveForBench } from './bench-app.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/ao_bench_small' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'log-level': { type: 'string', default: 'silent' },
  },
});
const duration = Number(values.seconds);
const ROUNDS = 3;
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const connections = Number(values.connections);

const database = await connectDatabase({ databaseUrl: values.database });
await migrateToLatest(database.db);
if (!(await hasAnyRecords(database.db))) await seedDemoData(database.db, { seed: 42, records: 5000, asOf: today() });
// The answer cache on: this measures what a room of people opening the dashboard gets.
const app = await serveForBench(database, {
  env: { DATABASE_URL: values.database!, LOG_LEVEL: values['log-level']! },
  cacheAnswers: true,
});
await database.changes.ready();
const { origin: base, cookie } = app;
const url = `${base}/api/v1/summary`;

/** The response's headers as sent, less Date (node:http writes its own) and the per-request id. */
const sentHeaders = (response: Response): OutgoingHttpHeaders =>
  Object.fromEntries(
    [...response.headers].filter(
      ([name]) => name !== 'date' && name !== 'x-request-id' && name !== 'connection' && name !== 'keep-alive',
    ),
  );
await fetch(url, { headers: { cookie } });
const ok = await fetch(url, { headers: { cookie } });
const etag = ok.headers.get('etag')!;
const body = Buffer.from(await ok.arrayBuffer());
const okHeaders = sentHeaders(ok);
const notModified = await fetch(url, { headers: { cookie, 'if-none-match': etag } });
if (ok.status !== 200 || notModified.status !== 304) throw new Error(`unexpected ${ok.status} / ${notModified.status}`);
const notModifiedHeaders = sentHeaders(notModified);

// The floor: node:http answering the same bytes, nothing else (a request id too, as ours has one).
// The same way of writing headers as ours (a flat list made once, the request id added).
const okList = headerList(okHeaders);
const notModifiedList = headerList(notModifiedHeaders);
const bare = createServer((req, res) => {
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, ['X-Request-Id', crypto.randomUUID(), ...notModifiedList]);
    res.end();
  } else {
    res.writeHead(200, ['X-Request-Id', crypto.randomUUID(), ...okList]);
    res.end(body);
  }
});
bare.listen(0, '127.0.0.1');
await new Promise((resolve) => bare.once('listening', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1/summary`;

interface Run {
  rps: number;
  non2xx: number;
  p50: number;
  p99: number;
  errors: number;
}
/** autocannon's command in a process of its own: the load generator does not share the servers' event loop. */
const load = (target: string, headers: Record<string, string>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const args = [AUTOCANNON, '--json', '-c', String(connections), '-d', String(duration)];
    for (const [name, value] of Object.entries({ cookie, ...headers })) args.push('-H', `${name}=${value}`);
    const child = spawn(process.execPath, [...args, target], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const result = JSON.parse(out);
      resolve({
        rps: result.requests.average,
        non2xx: result.non2xx,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts,
      });
    });
  });

const mean = (runs: Run[]): Run => ({
  rps: runs.reduce((s, r) => s + r.rps, 0) / runs.length,
  non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
  p50: Math.max(...runs.map((r) => r.p50)),
  p99: Math.max(...runs.map((r) => r.p99)),
  errors: runs.reduce((s, r) => s + r.errors, 0),
});

await load(url, {}); // warm up both
await load(bareUrl, {});
const results: Record<string, Run[]> = { ours304: [], bare304: [], ours200: [], bare200: [] };
for (let round = 0; round < ROUNDS; round++) {
  results.ours304!.push(await load(url, { 'if-none-match': etag }));
  results.bare304!.push(await load(bareUrl, { 'if-none-match': etag }));
  results.ours200!.push(await load(url, {}));
  results.bare200!.push(await load(bareUrl, {}));
}
const [ours304, bare304, ours200, bare200] = [results.ours304!, results.bare304!, results.ours200!, results.bare200!].map(
  mean,
) as [Run, Run, Run, Run];
const line = (name: string, r: Run, note = '') =>
  console.log(
    `${name.padEnd(40)}| ${Math.round(r.rps).toLocaleString('en').padStart(8)} | ${String(r.p50).padStart(6)} | ${String(r.p99).padStart(6)} | ${String(r.errors).padStart(6)} ${note}`,
  );
console.log(
  `\n/summary: 200 of ${body.length} bytes and ${Object.keys(okHeaders).length} headers; autocannon (own process) ${connections} connections × ${duration} s, ${ROUNDS} times each, interleaved; log level ${values['log-level']}\n`,
);
console.log('server                                  |  req/s   | p50 ms | p99 ms | errors');
line('bare node:http, the same 304', bare304);
line('/summary, If-None-Match (304)', ours304, `= ${(ours304.rps / bare304.rps).toFixed(2)} of node:http (target ≥ 0.6)`);
line('bare node:http, the same 200', bare200);
line('/summary, 200 (cached answer)', ours200, `= ${(ours200.rps / bare200.rps).toFixed(2)} of node:http (target ≥ 0.6)`);
if (ours200.non2xx > 0 || bare200.non2xx > 0 || ours304.errors + ours200.errors > 0)
  console.log('(errors or non-2xx in the 200 runs: the figures are not valid)');
app.close();
bare.close();
await database.close();
