/**
 * What an import costs the rest of the server: the server runs as a process of its own (so its
 * memory is its own), an administrator uploads a file, and meanwhile a prober asks `/health`
 * every 100 ms on a connection of its own. Reported per engine and file: the server's resident
 * memory before and at its peak (sampled every 20 ms from /proc), the upload's answer and time,
 * and the worst and median `/health` latency while it ran.
 *
 * Files: a 50 MB CSV of credit records (about 800,000 good rows; `--mb` for another size), and,
 * under a good header, files built to cost the most for their size (each refused, 422): 2 MB of a
 * million one-character lines, 1 MB of a million line ends, a 40 MB row of empty cells, a 45 MB
 * quoted cell.
 *
 *   npm run bench:import-memory -- [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--root DIR] [--only pglite|postgres] [--file TEXT]
 *
 * `--root` runs another checkout's server (to compare with an earlier version) with the same files.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../test/helpers/process.js';
import { percentile } from './bench-app.js';
import { scratchDatabase } from './scratch-database.js';

const { values } = parseArgs({
  options: {
    postgres: { type: 'string' },
    root: { type: 'string' },
    only: { type: 'string' },
    /** Runs only the files whose name contains this. */
    file: { type: 'string' },
    mb: { type: 'string', default: '50' },
  },
});
const ROOT = resolve(values.root ?? process.cwd());
const HEADER = 'university_code,ref,host_university_code,course,term,recognized_on,students,credits';
const EMAIL = 'bench.import@alliance.example';
const PASSWORD = 'bench import password';

function creditsCsv(targetBytes: number): Buffer {
  const hosts = ['ZJUT', 'AHUT', 'NJTECH', 'UJS'];
  const lines = [HEADER];
  let size = HEADER.length + 2;
  for (let i = 0; size < targetBytes; i++) {
    const line = `USST,CR-BENCH-${i},${hosts[i % 4]},Fluid mechanics ${i % 97},2024-2025-1,2024-10-${String((i % 28) + 1).padStart(2, '0')},${(i % 9) + 1},${(i % 6) + 1}`;
    lines.push(line);
    size += line.length + 2;
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

function tinyLines(count: number): Buffer {
  return Buffer.from(`${HEADER}\n${'x\n'.repeat(count)}`);
}

interface Run {
  engine: string;
  file: string;
  bytes: number;
  status: number;
  seconds: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  healthWorstMs: number;
  healthP50Ms: number;
  healthSamples: number;
  healthFailures: number;
}

const rssOf = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

/** One GET on a connection of its own (no keep-alive): how long until its answer, and its status. */
function probe(url: string): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  return new Promise((done) => {
    const req = request(url, { agent: false, timeout: 60_000 }, (res) => {
      res.resume();
      res.on('end', () => done({ ms: performance.now() - start, status: res.statusCode ?? 0 }));
    });
    req.on('error', () => done({ ms: performance.now() - start, status: 0 }));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function cli(env: NodeJS.ProcessEnv, args: string[], input: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  child.stdin.end(input);
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`cli ${args.join(' ')} exited ${code}`);
}

async function measure(engine: string, env: NodeJS.ProcessEnv, file: { name: string; bytes: Buffer }): Promise<Run> {
  const port = await freePort(); // a random one could be another service's (4369 is Erlang's)
  const base = `http://127.0.0.1:${port}/api/v1`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn', DEMO_DATA: 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if ((await probe(`${base}/health`)).status === 200) break;
      if (i > 600) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`sign-in: ${login.status}`);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = rssOf(server.pid!);
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(server.pid!));
    }, 20);
    const latencies: number[] = [];
    let failures = 0;
    let importing = true;
    const prober = (async () => {
      while (importing) {
        const { ms, status } = await probe(`${base}/health`);
        latencies.push(ms);
        if (status !== 200) failures++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const start = performance.now();
    // node:http, not fetch: fetch gives up on an answer that takes more than five minutes.
    const response = await new Promise<{ status: number }>((done, fail) => {
      const req = request(`${base}/imports/credit?dryRun=false`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'text/csv', 'content-length': String(file.bytes.length) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0 }));
      });
      req.on('error', fail);
      req.end(file.bytes);
    });
    const seconds = (performance.now() - start) / 1000;
    importing = false;
    await prober;
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(server.pid!));
    return {
      engine,
      file: file.name,
      bytes: file.bytes.length,
      status: response.status,
      seconds: Math.round(seconds * 10) / 10,
      rssBeforeMb: Math.round(rssBefore),
      rssPeakMb: Math.round(peak),
      healthWorstMs: Math.round(Math.max(...latencies)),
      healthP50Ms: Math.round(percentile(latencies, 50)),
      healthSamples: latencies.length,
      healthFailures: failures,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

const files = [
  { name: `${values.mb} MB of credit rows`, bytes: creditsCsv(Number(values.mb) * 1024 * 1024 - 4096) },
  { name: '2 MB of a million one-character lines', bytes: tinyLines(1_000_000) },
  { name: '1 MB of a million line ends', bytes: Buffer.from(`${HEADER}\n${'\n'.repeat(1_000_000)}`) },
  { name: 'a 40 MB row of empty cells', bytes: Buffer.from(`${HEADER}\n${','.repeat(40_000_000)}\n`) },
  {
    name: 'a 45 MB quoted cell',
    bytes: Buffer.from(`${HEADER}\nUSST,Q-1,ZJUT,"${'x'.repeat(45_000_000)}",2024-2025-1,2024-10-09,3,6\n`),
  },
];
const runs: Run[] = [];
for (const engine of ['pglite', 'postgres'] as const) {
  if (values.only && values.only !== engine) continue;
  if (engine === 'postgres' && !values.postgres) continue;
  for (const file of files) {
    if (values.file && !file.name.includes(values.file)) continue;
    // A fresh database per run, with one administrator made by the command line.
    const scratchDir = await mkdtemp(join(tmpdir(), 'ao-bench-import-'));
    const scratch =
      engine === 'postgres' ? await scratchDatabase(values.postgres!, `ao_bench_import_${process.pid}_${runs.length}`) : null;
    const env: NodeJS.ProcessEnv = scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: join(scratchDir, 'data') };
    try {
      await cli(
        { ...env, DEMO_DATA: 'off', LOG_LEVEL: 'warn' },
        ['user', 'add', '--email', EMAIL, '--name', 'Bench', '--role', 'admin'],
        `${PASSWORD}\n`,
      );
      const run = await measure(engine, env, file);
      console.log(JSON.stringify(run));
      runs.push(run);
    } finally {
      await scratch?.drop();
      await rm(scratchDir, { recursive: true, force: true });
    }
  }
}
console.log('\n| engine | file | answer | time | RSS before → peak | /health worst / median (samples, failures) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of runs)
  console.log(
    `| ${r.engine} | ${r.file} | ${r.status} | ${r.seconds} s | ${r.rssBeforeMb} → ${r.rssPeakMb} MB | ${r.healthWorstMs} / ${r.healthP50Ms} ms (${r.healthSamples}, ${r.healthFailures}) |`,
  );
await writeFile(join(tmpdir(), 'ao-bench-import.json'), JSON.stringify(runs, null, 2));
