/**
 * Sign-ins under a burst of wrong passwords: N bad sign-ins at once (from N addresses, or from one),
 * and 50 ms later one right password from another address, as a user who retries after a 503's
 * Retry-After. Reports the right one's time to a session, the time for everything to be answered
 * (the drain), what the bad ones got, and the median and p95 of a dashboard read (/summary, no
 * answer cache) asked in a loop meanwhile, against the same read with nothing else going on.
 * The real application on embedded PGlite in this process, behind TRUST_PROXY=1 (this script is
 * the proxy: it writes X-Forwarded-For). Password hashing at its production cost.
 * Usage: npx tsx bench/sign-in.ts [--sizes 40,100] [--records 5000]
 */
import { parseArgs } from 'node:util';
import { hashPassword } from '../server/auth/password.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDemoData } from '../server/demo/seed.js';
import { today } from '../server/lib/dates.js';
import { percentile, serveForBench } from './bench-app.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '40,100' }, records: { type: 'string', default: '5000' } },
});
const sizes = values.sizes.split(',').map(Number);
/** Nothing in a run may take longer than this: the benchmark is bounded whatever the code does. */
const TIMEOUT_MS = 300_000;

const database = await connectDatabase({ inMemory: true });
await migrateToLatest(database.db);
await seedDemoData(database.db, { seed: 42, records: Number(values.records), asOf: today() });
const OWNER = 'owner@bench.example';
const OWNER_PASSWORD = 'the owner password';
await database.db
  .insertInto('app_user')
  .values({ email: OWNER, name: 'Owner', role: 'leadership', password_hash: await hashPassword(OWNER_PASSWORD) })
  .execute();
const app = await serveForBench(database, { env: { TRUST_PROXY: '1' } });

const signIn = (email: string, password: string, address: string) =>
  fetch(`${app.base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });

/** Times /summary in a loop until `until()` says stop, and at least `atLeast` times. */
async function readTimes(until: () => boolean, atLeast = 0): Promise<number[]> {
  const samples: number[] = [];
  while (!until() || samples.length < atLeast) {
    const started = performance.now();
    await app.get('/summary');
    samples.push(performance.now() - started);
  }
  return samples;
}

interface Run {
  n: number;
  from: 'N addresses' | 'one address';
  goodMs: number;
  good503s: number;
  drainMs: number;
  bad: Record<number, number>;
  readP50: number;
  readP95: number;
}

let round = 0;
async function run(n: number, spread: boolean): Promise<Run> {
  round++;
  const started = performance.now();
  let done = false;
  const reads = readTimes(() => done);
  // Each bad sign-in names an unknown account: the decoy hash costs what a real one does, and no account-wide limit is reached.
  const bad = Array.from({ length: n }, (_, i) =>
    signIn(
      `guess${i}.${round}@bench.example`,
      'a wrong password',
      spread ? `10.${round}.${i >> 8}.${i & 255}` : `10.${round}.255.255`,
    )
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch(() => 0),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const goodStarted = performance.now();
  let good503s = 0;
  let goodMs = Number.NaN;
  for (;;) {
    const response = await signIn(OWNER, OWNER_PASSWORD, `192.0.2.${round}`);
    await response.arrayBuffer();
    if (response.status === 200) {
      goodMs = performance.now() - goodStarted;
      break;
    }
    if (response.status !== 503 && response.status !== 429) throw new Error(`the right password got ${response.status}`);
    good503s++;
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
  }
  const statuses = await Promise.all(bad);
  const drainMs = performance.now() - started;
  done = true;
  const samples = await reads;
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return {
    n,
    from: spread ? 'N addresses' : 'one address',
    goodMs,
    good503s,
    drainMs,
    bad: counts,
    readP50: percentile(samples, 50),
    readP95: percentile(samples, 95),
  };
}

// Warm-up: the decoy hash is made on the first unknown email; the read's plan is cached.
await (await signIn('warm@bench.example', 'warm up password', '192.0.2.250')).arrayBuffer();
const baseline = await readTimes(() => true, 40);
console.log(
  `/summary with nothing else going on: p50 ${percentile(baseline, 50).toFixed(1)} ms, p95 ${percentile(baseline, 95).toFixed(1)} ms`,
);
console.log(
  '| bad sign-ins | from | right password answered 200 after | its 503s | all answered after | bad ones got | /summary p50 / p95 meanwhile |',
);
console.log('| ---: | --- | ---: | ---: | ---: | --- | ---: |');
for (const n of sizes) {
  for (const spread of [true, false]) {
    const r = await run(n, spread);
    const bad = Object.entries(r.bad)
      .map(([status, count]) => `${count}× ${status}`)
      .join(', ');
    console.log(
      `| ${r.n} | ${r.from} | ${(r.goodMs / 1000).toFixed(1)} s | ${r.good503s} | ${(r.drainMs / 1000).toFixed(1)} s | ${bad} | ${r.readP50.toFixed(0)} / ${r.readP95.toFixed(0)} ms |`,
    );
  }
}
app.close();
await database.close();
process.exit(0);
