import { DEMO_PASSWORD, type DemoAccount, ensureDemoAccounts } from '../../server/auth/demo-accounts.js';
import type { LoginLimits } from '../../server/auth/login-limits.js';
import type { DatabaseHandle } from '../../server/db/connect.js';
import { DEMO_RECORDS, DEMO_SEED } from '../../server/demo/demo-mode.js';
import { seedDemoData } from '../../server/demo/seed.js';
import { today } from '../../server/lib/dates.js';
import { createPreparedDatabase, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Every browser test signs in many times from 127.0.0.1: the production limits would refuse it. */
const E2E_LOGIN_LIMITS: Partial<LoginLimits> = {
  windowMs: 60_000,
  perAddress: 100_000,
  perAccount: 1000,
  perAccountAnywhere: 100_000,
};

export interface DemoServerOptions {
  /** The demo data's "today" (default: today in Shanghai, as `npm start` does). */
  asOf?: string;
  /** Extra environment for the server's configuration (e.g. `{ LOG_LEVEL: 'debug' }`). */
  env?: NodeJS.ProcessEnv;
}

/** What `npm start` writes into an empty, migrated database in demo mode: the demo data as of `asOf`, and the demo accounts. */
async function writeDemo(database: DatabaseHandle, asOf: string): Promise<DemoAccount[]> {
  await seedDemoData(database.db, { seed: DEMO_SEED, records: DEMO_RECORDS, asOf });
  return ensureDemoAccounts(database.db);
}

const serveOn = (database: DatabaseHandle, accounts: DemoAccount[], distDir: string, env: NodeJS.ProcessEnv) =>
  startTestServer(database, env, { demo: { accounts, password: DEMO_PASSWORD }, loginLimits: E2E_LOGIN_LIMITS, distDir });

/**
 * What `npm start` does in demo mode, over a migrated, empty database: the deterministic demo
 * dataset (seed 42, 5,000 records), the demo accounts, and the app serving the built client in
 * `distDir`, on 127.0.0.1 at a free port.
 */
export async function serveDemo(
  database: DatabaseHandle,
  distDir: string,
  { asOf = today(), env = {} }: DemoServerOptions = {},
): Promise<TestServer> {
  return serveOn(database, await writeDemo(database, asOf), distDir, env);
}

/**
 * The same, in a test: the demo database is written once per worker and day, then cloned for each
 * test file (cloning is faster than writing it again). Close both in `afterAll`.
 */
export async function serveDemoInTest(
  distDir: string,
  { asOf = today(), env = {} }: DemoServerOptions = {},
): Promise<{ database: TestDatabase; server: TestServer }> {
  const { database, value: accounts } = await createPreparedDatabase(`demo ${asOf}`, (db) => writeDemo(db, asOf));
  try {
    return { database, server: await serveOn(database, accounts, distDir, env) };
  } catch (error) {
    await database.close();
    throw error;
  }
}
