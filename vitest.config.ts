import { defineConfig } from 'vitest/config';
import LongestFirst from './test/helpers/sequencer.js';

/**
 * Three projects from the same files: pure unit tests; the integration tests against
 * embedded PGlite; and the same integration tests against the PostgreSQL server named
 * by TEST_DATABASE_URL, when it is set (CI always sets it). A fourth, `browser`, runs the
 * end-to-end tests once, on PGlite, in headless Chromium (skipped where Chromium is missing).
 */
/**
 * Every project hashes passwords at a low scrypt cost (N=2^10 instead of production's 2^17: a
 * millisecond and 1 MiB instead of a third of a second and 128 MiB per sign-in). Stored hashes carry
 * their cost, so nothing else changes; test/unit/password-work.test.ts proves the production default.
 * Child servers started by the tests get it through test/helpers/process.ts.
 */
/**
 * The PostgreSQL availability probe's window is 10 s instead of 1.5 s: on a loaded two-core machine
 * one probe can take longer than 1.5 s, and the API would answer 503 to a test that tests something
 * else. The outage tests connect with production's window of their own.
 */
const TEST_ENV = { PASSWORD_HASH_LOG2N: '10', DATABASE_PROBE_WINDOW_MS: '10000' };

const integration = (name: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name,
    include: ['test/integration/**/*.test.ts'],
    // `*.once.test.ts` does not depend on the database: it runs in the PGlite project only.
    // `*.postgres.test.ts` tests what only a database server can do (go away): PostgreSQL only.
    exclude: name === 'postgres' ? ['test/integration/**/*.once.test.ts'] : ['test/integration/**/*.postgres.test.ts'],
    env: { ...TEST_ENV, TEST_DB: name },
    globalSetup: ['test/helpers/global-setup.ts'],
    // Each file leaves no child process running and no spool file of its worker behind.
    setupFiles: ['test/helpers/left-behind.ts'],
    // One migrated template per worker, cloned per file: keep the module cache across files.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    pool: 'forks',
    // The browser files run first, on two workers (their project says so); then every other project's,
    // on three. Those files wait much of their time on what they start (servers and the command line
    // as processes, timers, sockets held open): on two workers both cores sat idle a third of that
    // phase, and a third worker fills it (`npm test` 324 s → 284–288 s on a two-core machine,
    // processor use 1.5 → 1.9 cores; docs/performance.md). Projects of one group must have one
    // worker count: a new project joins the second group unless it says otherwise.
    maxWorkers: 3,
    // Each project's longest files first, so that no long file is left running alone at the end.
    // After-hooks in the reverse order of their registration (vitest's default, written down): a setup
    // file's afterAll (test/helpers/left-behind.ts) runs after the test file's own.
    // `--sequence.*` on the command line replaces this whole object in every project, groups included.
    sequence: { sequencer: LongestFirst, hooks: 'stack', groupOrder: 1 },
    // What a test waits for to happen in the background (an announcement heard, a file removed, a
    // place given back, a page redrawn) may take seconds on a loaded two-core machine, where one
    // request can: a poll gives it 10 s instead of vitest's 1 s. Tests measure no latency (bench/ does).
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        // Some unit tests do real work (a production-cost hash, thousands of generated rows): on a
        // shared two-core machine 5 s is not always enough, and a timeout is not what they test.
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          env: TEST_ENV,
          testTimeout: 30_000,
          // A fork per file cost more than most files' tests: the files share the workers and their
          // module cache. Each file puts back what it stubs (timers, globals, env) in its own hooks.
          isolate: false,
        },
      },
      integration('pglite'),
      ...(process.env.TEST_DATABASE_URL ? [integration('postgres')] : []),
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          env: { ...TEST_ENV, TEST_DB: 'pglite' },
          // Builds the client once per run; prints the hint when Chromium is missing.
          globalSetup: ['test/e2e/global-setup.ts'],
          // First, on two workers: Chromium keeps both cores busy, and a third worker would only share them.
          sequence: { groupOrder: 0 },
          maxWorkers: 2,
          // One Chromium and one migrated PGlite per worker, shared by the files it runs.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
