import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import { TEST_DB } from '../helpers/database.js';
import { type Child, runTs, waitForOk } from '../helpers/process.js';
import { serverSetup, signInOver } from '../helpers/server-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'ao-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ROWS = 60_000;
function bigCreditFile(): string {
  const lines = [KIND_COLUMNS.credit.map((c) => c.name).join(',')];
  const hosts = ['ZJUT', 'NJTECH', 'UJS', 'AHUT'];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `USST,CRASH-${i},${hosts[i % 4]},Course ${i % 50},2024-2025-1,2025-01-${String((i % 28) + 1).padStart(2, '0')},${(i % 30) + 1},${((i % 30) + 1) * 2}`,
    );
  return `${lines.join('\r\n')}\r\n`;
}

describe(`a crash in the middle of an import (${TEST_DB})`, () => {
  it('when the server is killed with SIGKILL during a large import, then after a restart the batch is all there or not at all, and re-running it finishes it', async () => {
    const { base, env, credentials } = await serverSetup(join(scratch, 'data'));
    const start = async (): Promise<Child> => {
      const child = runTs('server/main.ts', [], env);
      await waitForOk(`${base}/health`, child);
      return child;
    };
    const crashRows = async (session: { cookie: string }) =>
      (await (await fetch(`${base}/records/credit?q=CRASH-&pageSize=1`, { headers: { cookie: session.cookie } })).json())
        .total as number;
    const allCredits = async (session: { cookie: string }) =>
      (await (await fetch(`${base}/records/credit?pageSize=1`, { headers: { cookie: session.cookie } })).json()).total as number;

    const first = await start();
    let session = await signInOver(base, ...credentials);
    const before = await allCredits(session);
    const file = bigCreditFile();
    const upload = fetch(`${base}/imports/credit`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'text/csv' },
      body: file,
    }).then(
      (r) => r.status,
      () => 'cut',
    );
    // Let the server take the whole body and start working, then kill it without warning.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await upload).toBe('cut');

    const second = await start();
    session = await signInOver(base, ...credentials);
    const afterCrash = await crashRows(session);
    expect([0, ROWS]).toContain(afterCrash);
    expect(await allCredits(session)).toBe(before + afterCrash);
    const retry = await fetch(`${base}/imports/credit`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'text/csv' },
      body: file,
    });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject(
      afterCrash === 0 ? { inserted: ROWS, unchanged: 0 } : { inserted: 0, unchanged: ROWS },
    );
    expect(await crashRows(session)).toBe(ROWS);
    expect(await allCredits(session)).toBe(before + ROWS);
    second.process.kill('SIGKILL');
    await second.exited;

    // Killed again, with everything committed: the data opens once more with every record.
    const third = await start();
    session = await signInOver(base, ...credentials);
    expect(await allCredits(session)).toBe(before + ROWS);
    third.process.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
  }, 180_000);
});

describe(`graceful shutdown (${TEST_DB})`, () => {
  it('when SIGTERM arrives during an import, then the import finishes, new connections are refused, and the process exits 0', async () => {
    const { base, env, credentials } = await serverSetup(join(scratch, 'shutdown'));
    const child = runTs('server/main.ts', [], env);
    await waitForOk(`${base}/health`, child);
    const session = await signInOver(base, ...credentials);
    const upload = fetch(`${base}/imports/credit`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'text/csv' },
      body: bigCreditFile(),
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.process.kill('SIGTERM');
    // Soon a new connection (not one kept alive from before) finds nobody listening, while the import goes on.
    const connect = () =>
      new Promise<string>((resolve) => {
        const request = get(`${base}/health`, { agent: false }, (res) => {
          res.resume();
          resolve('answered');
        });
        request.on('error', () => resolve('refused'));
      });
    let refused = await connect();
    for (let i = 0; i < 30 && refused !== 'refused'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      refused = await connect();
    }
    const response = await upload;
    expect(response.status).toBe(200);
    expect((await response.json()).inserted).toBe(ROWS);
    expect(refused).toBe('refused');
    const exit = await child.exited;
    expect(exit.code).toBe(0);
  }, 120_000);
});
