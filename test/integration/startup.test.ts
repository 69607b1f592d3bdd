import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DB } from '../helpers/database.js';
import { runTs, waitForOk } from '../helpers/process.js';
import { serverSetup, signInOver } from '../helpers/server-process.js';

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

describe(`start, stop and start again (${TEST_DB})`, () => {
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
    expect((await second.exited).code).toBe(0);
  });
});
