import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoAccounts } from '../../server/auth/demo-accounts.js';
import { connectDatabase } from '../../server/db/connect.js';
import { TEST_DB } from '../helpers/database.js';
import { CHILD_TEST_TIMEOUT, runTs, waitForOk } from '../helpers/process.js';
import { serverSetup, signInOver } from '../helpers/server-process.js';
import { addUser } from '../helpers/users.js';

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

const DEMO_WARNING = 'demo accounts with the published demo password exist';

describe(`start, stop and start again (${TEST_DB})`, { timeout: CHILD_TEST_TIMEOUT }, () => {
  it('when started, then it serves health and meta, and after SIGTERM and a restart the same records are there', async () => {
    const { base, env, credentials } = await serverSetup(join(scratch, 'data'));

    const snapshot = async () => {
      const { cookie } = await signInOver(base, ...credentials);
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
    const secondExit = await second.exited;
    expect(secondExit.code).toBe(0);
    expect(secondExit.stdout).not.toContain(DEMO_WARNING);

    // Demo accounts beside an account of the alliance's own: no longer shown, and warned of at start-up.
    const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, watch: false });
    await ensureDemoAccounts(database.db);
    await addUser(database.db, { email: 'own.admin@test.example', role: 'admin' });
    await database.close();
    const third = runTs('server/main.ts', [], env);
    await waitForOk(`${base}/health`, third);
    expect(await (await fetch(`${base}/auth/login`)).json()).toEqual({ demo: false });
    third.process.kill('SIGTERM');
    const thirdExit = await third.exited;
    expect(thirdExit.code).toBe(0);
    const warnings = thirdExit.stdout.split('\n').filter((line) => line.includes(DEMO_WARNING));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, demoAccounts: DEMO_EMAILS.length });
    expect(thirdExit.stdout).not.toContain('alliance-demo"');
  });
});
