import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inject, onTestFinished } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The patience of a test that starts processes of its own: each start loads the sources through
 * the TypeScript loader and opens the database (3–10 s on a busy two-core machine, more under a
 * full test run), and such a test starts several. Their work is not what they time.
 */
export const CHILD_TEST_TIMEOUT = 180_000;

/** A child process of this project's TypeScript, run the way `npm start` runs it. */
export interface Child {
  process: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<Exit>;
}

/**
 * Runs `script` (compiled once per test run where it can be: `compiledScript`) with only the
 * environment given, plus PATH, HOME, the test suite's low password-hash cost and its wider database probe window (vitest.config.ts), which `env` may
 * override: a child server signs in and makes demo accounts as cheaply as the tests' own process
 * does, and a loaded machine's slow probe does not make it answer 503.
 */
export function runTs(script: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const compiled = compiledScript(script);
  const child = spawn(
    process.execPath,
    compiled ? ['--enable-source-maps', compiled, ...args] : ['--import', 'tsx', script, ...args],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...(process.env.PASSWORD_HASH_LOG2N ? { PASSWORD_HASH_LOG2N: process.env.PASSWORD_HASH_LOG2N } : {}),
        ...(process.env.DATABASE_PROBE_WINDOW_MS ? { DATABASE_PROBE_WINDOW_MS: process.env.DATABASE_PROBE_WINDOW_MS } : {}),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  // Started by a test that fails: stopped at once, so that its server holds no port, data directory
  // or core while the file's later tests run. Started in a hook, or left by a test that passed
  // (a server the next test uses), it is stopped when the file ends (stopChildren), if not before.
  try {
    onTestFinished(({ task }) => {
      if (task.result?.state !== 'fail') return;
      stop(child);
    });
  } catch {
    // not inside a test
  }
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { process: child, output: () => ({ stdout, stderr }), exited };
}

/** The children started by runTs that have not exited. */
const running = new Set<ChildProcess>();

/** Kills the child if it is still running; answers whether it was. */
function stop(child: ChildProcess): boolean {
  const runningStill = child.exitCode === null && child.signalCode === null;
  if (runningStill) child.kill('SIGKILL');
  return runningStill;
}

/**
 * Stops every child that is still running and waits until each has exited (at most 10 s), so that
 * the next file finds its port and data directory free; answers how many there were
 * (test/helpers/left-behind.ts calls it as each file ends).
 */
export async function stopChildren(): Promise<number> {
  const left = [...running];
  running.clear();
  await Promise.all(
    left.map(async (child) => {
      if (!stop(child)) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    }),
  );
  return left.length;
}

/**
 * The script as this test run compiled it once (test/helpers/server-bundle.ts, built by the
 * integration projects' global setup), so that a child does not compile the sources again; the
 * source itself, through the TypeScript loader, outside vitest or for any other script.
 */
function compiledScript(script: string): string | undefined {
  if (!process.env.VITEST) return undefined;
  try {
    return (inject('serverBundle') as Record<string, string> | undefined)?.[script];
  } catch {
    return undefined;
  }
}

/** A line of the server's JSON log. */
export type LogEntry = Record<string, unknown> & { msg?: string };

/**
 * The first line of the child's JSON log on stdout (already written, or to come) that `wanted`
 * accepts; fails when the child exits first, or after `timeoutMs`.
 */
export function logged(child: Child, wanted: (entry: LogEntry) => boolean, timeoutMs = 60_000): Promise<LogEntry> {
  const stdout = child.process.stdout!;
  return new Promise((resolve, reject) => {
    const find = (): LogEntry | undefined => {
      const lines = child.output().stdout.split('\n');
      lines.pop(); // not yet whole
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as LogEntry;
        if (wanted(entry)) return entry;
      }
      return undefined;
    };
    const done = (settle: () => void) => {
      clearTimeout(timer);
      stdout.off('data', look);
      child.process.off('exit', exitedFirst);
      settle();
    };
    // Listeners run in order: the child's own (process.ts) has added this chunk to its output already.
    const look = () => {
      const entry = find();
      if (entry) done(() => resolve(entry));
    };
    const exitedFirst = () =>
      done(() => reject(new Error(`the server exited before the line was logged: ${child.output().stderr}`)));
    const timer = setTimeout(
      () => done(() => reject(new Error(`no such line logged within ${timeoutMs} ms: ${child.output().stdout.slice(-2000)}`))),
      timeoutMs,
    );
    stdout.on('data', look);
    child.process.once('exit', exitedFirst);
    look();
    if (child.process.exitCode !== null || child.process.signalCode !== null) exitedFirst();
  });
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls a URL until it answers 200, or fails after `timeoutMs`. */
export async function waitForOk(url: string, child: Child, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`the server exited early: ${child.output().stderr}`);
    try {
      const response = await fetch(url);
      if (response.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`no answer from ${url} within ${timeoutMs} ms: ${child.output().stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
