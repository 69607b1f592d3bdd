import { expect } from 'vitest';
import { cliInProcess } from './cli.js';
import { createTestDatabase, TEST_DB, writePgliteDataDir } from './database.js';
import { freePort } from './process.js';
import { addUser, TEST_PASSWORD } from './users.js';

export interface ServerSetup {
  /** The API's base URL, `http://127.0.0.1:<port>/api/v1`. */
  base: string;
  env: NodeJS.ProcessEnv;
  /** An administrator who can sign in. */
  credentials: [string, string];
}

/**
 * What it takes to run the server as a process of its own on this project's database.
 *
 * With `demo` (the default), as an operator's first start finds it: on PostgreSQL a fresh database
 * with demo data and a first administrator made by the command line, run in this process (a
 * DATABASE_URL database never gets demo accounts); on PGlite a data directory in demo mode. The
 * process migrates and writes the demo data when it starts.
 *
 * With `demo: false`, for tests whose subject is not the start-up: a copy of the migrated database,
 * with one administrator and no records, written by this process (on PGlite as the data directory);
 * the server process has nothing to migrate or write before it listens.
 */
export async function serverSetup(dataDir: string, { demo = true }: { demo?: boolean } = {}): Promise<ServerSetup> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/api/v1`;
  if (!demo) {
    const email = 'ops@alliance.example';
    const env: NodeJS.ProcessEnv = { PORT: String(port), LOG_LEVEL: 'warn', DEMO_DATA: 'off' };
    if (TEST_DB === 'pglite') {
      await writePgliteDataDir(dataDir, async ({ db }) => {
        await addUser(db, { email, role: 'admin' });
      });
      env.DATA_DIR = dataDir;
    } else {
      const database = await createTestDatabase();
      try {
        await addUser(database.db, { email, role: 'admin' });
      } finally {
        await database.close();
      }
      env.DATABASE_URL = database.url;
    }
    return { base, env, credentials: [email, TEST_PASSWORD] };
  }
  if (TEST_DB === 'pglite') {
    return {
      base,
      env: { PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir },
      credentials: ['admin@alliance.example', 'alliance-demo'],
    };
  }
  const database = await createTestDatabase({ migrated: false });
  await database.close();
  const env = { PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: database.url, DEMO_DATA: 'on' };
  // The command line in this process: it migrates the new database and adds the account, as `npm run cli` would.
  const add = await cliInProcess(['user', 'add', '--email', 'ops@alliance.example', '--name', 'Ops', '--role', 'admin'], {
    env,
    stdin: 'an operator password\n',
  });
  expect(add.code, add.stderr).toBe(0);
  return { base, env, credentials: ['ops@alliance.example', 'an operator password'] };
}

/** Signs in over HTTP; the session cookie and the CSRF token. */
export async function signInOver(base: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return { cookie: response.headers.getSetCookie()[0]!.split(';')[0]!, csrf: (await response.json()).csrfToken };
}
