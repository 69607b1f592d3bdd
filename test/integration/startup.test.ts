import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB } from '../helpers/database.js';
import { freePort, runTs, waitForOk } from '../helpers/process.js';

const scratch = mkdtempSync(join(tmpdir(), 'ao-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const DEMO_EMAILS = [
  'admin@alliance.example',
  'leadership@alliance.example',
  'commission@alliance.example',
  'steward.usst@alliance.example',
  'steward.njtech@alliance.example',
  'steward.ujs@alliance.example',
  'steward.zjut@alliance.example',
  'steward.ahut@alliance.example',
];

async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe(`start, stop and start again (${TEST_DB})`, () => {
  it('when started, then it serves health and meta, and after SIGTERM and a restart the same records are there', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api/v1`;
    let env: NodeJS.ProcessEnv;
    let credentials: [string, string];
    if (TEST_DB === 'postgres') {
      const database = await createTestDatabase({ migrated: false });
      await database.close();
      env = { PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: database.url, DEMO_DATA: 'on' };
      // A DATABASE_URL database never gets demo accounts: its first admin comes from the command line.
      const add = runTs(
        'server/cli/main.ts',
        ['user', 'add', '--email', 'ops@alliance.example', '--name', 'Ops', '--role', 'admin'],
        env,
      );
      add.process.stdin!.end('an operator password\n');
      expect((await add.exited).code).toBe(0);
      credentials = ['ops@alliance.example', 'an operator password'];
    } else {
      env = { PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: join(scratch, 'data') };
      credentials = ['admin@alliance.example', 'alliance-demo'];
    }

    const snapshot = async () => {
      const cookie = await signIn(base, ...credentials);
      const meta = await (await fetch(`${base}/meta`, { headers: { cookie } })).json();
      const options = await (await fetch(`${base}/auth/login`)).json();
      return {
        universities: meta.universities.map((u: { code: string }) => u.code),
        dateRange: meta.dateRange,
        dataset: meta.dataset,
        demoAccounts: (options.accounts ?? []).map((a: { email: string }) => a.email),
      };
    };

    const first = runTs('server/main.ts', [], env);
    await waitForOk(`${base}/health`, first);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', database: TEST_DB });
    const before = await snapshot();
    expect(before.universities).toEqual(['USST', 'NJTECH', 'UJS', 'ZJUT', 'AHUT']);
    expect(before.dateRange.from).toMatch(/^2019-1[0-2]-\d\d$/);
    expect(before.dataset).toEqual({ synthetic: true });
    expect(before.demoAccounts).toEqual(TEST_DB === 'pglite' ? DEMO_EMAILS : []);
    first.process.kill('SIGTERM');
    const stopped = await first.exited;
    expect(stopped.code).toBe(0);
    if (TEST_DB === 'pglite') {
      for (const email of DEMO_EMAILS) expect(stopped.stdout).toContain(email);
      expect(stopped.stdout).toContain('alliance-demo');
    } else {
      expect(stopped.stdout).not.toContain('alliance-demo');
    }

    const second = runTs('server/main.ts', [], env);
    await waitForOk(`${base}/health`, second);
    expect(await snapshot()).toEqual(before);
    second.process.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });
});
