import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { buildClient } from '../test/e2e/client-build.js';
import { serveDemo } from '../test/e2e/demo-server.js';
import type { TestServer } from '../test/helpers/server.js';
import { sessionCookie } from '../test/helpers/users.js';

export interface DemoDashboard {
  server: TestServer;
  /** The client built for the run (a folder of its own, not dist/). */
  distDir: string;
  /** The demo leadership account's session, signed in through the API. */
  cookie: string;
  csrfToken: string;
}

/**
 * What the browser benches measure: the server `npm start` runs in demo mode (PGlite, in memory,
 * with the demo data) serving a fresh build of the client, and the demo leadership account signed
 * in. `work` runs with it; the server, the database and the build are gone afterwards.
 */
export async function withDemoDashboard<T>(prefix: string, work: (dashboard: DemoDashboard) => Promise<T>): Promise<T> {
  const distDir = mkdtempSync(join(tmpdir(), prefix));
  const database = await connectDatabase({ inMemory: true });
  try {
    await buildClient(distDir);
    await migrateToLatest(database.db);
    const server = await serveDemo(database, distDir);
    try {
      const login = await server.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'leadership@alliance.example', password: DEMO_PASSWORD }),
      });
      const cookie = sessionCookie(login);
      if (login.status !== 200 || !cookie) throw new Error(`sign-in failed: ${login.status}`);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      return await work({ server, distDir, cookie, csrfToken });
    } finally {
      await server.close();
    }
  } finally {
    await database.close();
    rmSync(distDir, { recursive: true, force: true });
  }
}
