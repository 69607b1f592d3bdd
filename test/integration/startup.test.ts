import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DB, createTestDatabase } from '../helpers/database.js';
import { freePort, runTs, waitForOk } from '../helpers/process.js';

const scratch = mkdtempSync(join(tmpdir(), 'ao-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe(`start, stop and start again (${TEST_DB})`, () => {
  it('when started, then it serves health and meta, and after SIGTERM and a restart the same records are there', async () => {
    const port = await freePort();
    const dataDir = join(scratch, 'data');
    const database = TEST_DB === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
    await database?.close();
    const env = {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(database?.url ? { DATABASE_URL: database.url, DEMO_DATA: 'on' } : { DATA_DIR: dataDir }),
    };
    const base = `http://127.0.0.1:${port}/api/v1`;
    const snapshot = async () => {
      const meta = await (await fetch(`${base}/meta`)).json();
      return {
        universities: meta.universities.map((u: { code: string }) => u.code),
        dateRange: meta.dateRange,
        dataset: meta.dataset,
      };
    };

    const first = runTs('server/main.ts', [], env);
    await waitForOk(`${base}/health`, first);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', database: TEST_DB });
    const before = await snapshot();
    expect(before.universities).toEqual(['USST', 'NJTECH', 'UJS', 'ZJUT', 'AHUT']);
    expect(before.dateRange.from).toMatch(/^2019-1[0-2]-\d\d$/);
    expect(before.dataset).toEqual({ synthetic: true });
    first.process.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = runTs('server/main.ts', [], env);
    await waitForOk(`${base}/health`, second);
    expect(await snapshot()).toEqual(before);
    second.process.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });
});
