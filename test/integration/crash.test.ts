import { mkdtempSync, rmSync } from 'node:fs';
import { get, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import { STAGE_BATCH } from '../../server/imports/apply-import.js';
import { TEST_DB } from '../helpers/database.js';
import { type Child, CHILD_TEST_TIMEOUT, logged, runTs, waitForOk } from '../helpers/process.js';
import { type ServerSetup, serverSetup, signInOver } from '../helpers/server-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'ao-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Prepared before the tests: on PGlite the first also migrates this worker's template, no part of either test.
let killedSetup: ServerSetup;
let stoppedSetup: ServerSetup;
beforeAll(async () => {
  killedSetup = await serverSetup(join(scratch, 'data'), { demo: false });
  stoppedSetup = await serverSetup(join(scratch, 'shutdown'), { demo: false });
});

function creditFile(rows: number): string {
  const lines = [KIND_COLUMNS.credit.map((c) => c.name).join(',')];
  const hosts = ['ZJUT', 'NJTECH', 'UJS', 'AHUT'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `USST,CRASH-${i},${hosts[i % 4]},Course ${i % 50},2024-2025-1,2025-01-${String((i % 28) + 1).padStart(2, '0')},${(i % 30) + 1},${((i % 30) + 1) * 2}`,
    );
  return `${lines.join('\r\n')}\r\n`;
}

/** The server logs each batch of an import written in its transaction, and the start of each upload, at debug. */
const DEBUG = { LOG_LEVEL: 'debug' };
const rowsWritten = (entry: { msg?: string }) => entry.msg === 'import: rows written';

describe(`a crash in the middle of an import (${TEST_DB})`, () => {
  // Ten batches: the kill comes when the first is written, nine and the commit before the import would end.
  const ROWS = 10 * STAGE_BATCH;

  it(
    'when the server is killed with SIGKILL while an import writes its rows, then after a restart none of the batch is there, and re-running it finishes it',
    async () => {
      const { base, env, credentials } = killedSetup;
      const start = async (): Promise<Child> => {
        const child = runTs('server/main.ts', [], { ...env, ...DEBUG });
        await waitForOk(`${base}/health`, child);
        return child;
      };
      const crashRows = async (session: { cookie: string }) =>
        (await (await fetch(`${base}/records/credit?q=CRASH-&pageSize=1`, { headers: { cookie: session.cookie } })).json())
          .total as number;
      const allCredits = async (session: { cookie: string }) =>
        (await (await fetch(`${base}/records/credit?pageSize=1`, { headers: { cookie: session.cookie } })).json())
          .total as number;

      const first = await start();
      let session = await signInOver(base, ...credentials);
      const before = await allCredits(session);
      const file = creditFile(ROWS);
      const upload = fetch(`${base}/imports/credit`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'text/csv' },
        body: file,
      }).then(
        (r) => r.status,
        () => 'cut',
      );
      // Killed without warning once the import has written rows in its transaction, and before it has written them all.
      const progress = await logged(first, rowsWritten);
      first.process.kill('SIGKILL');
      expect(progress).toMatchObject({ done: STAGE_BATCH, rows: ROWS });
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(await upload).toBe('cut');

      const second = await start();
      session = await signInOver(base, ...credentials);
      // Nothing of the batch: what it had written went with its transaction.
      expect(await crashRows(session)).toBe(0);
      expect(await allCredits(session)).toBe(before);
      const retry = await fetch(`${base}/imports/credit`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'text/csv' },
        body: file,
      });
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ inserted: ROWS, unchanged: 0 });
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
    },
    CHILD_TEST_TIMEOUT,
  );
});

describe(`graceful shutdown (${TEST_DB})`, () => {
  // Two batches: a transaction that runs, from its start to its commit, after the signal.
  const ROWS = 2 * STAGE_BATCH;

  it(
    'when SIGTERM arrives during an import, then the import finishes, new connections are refused, and the process exits 0',
    async () => {
      const { base, env, credentials } = stoppedSetup;
      // A grace far beyond the import's time on any machine: the 30 s default is the unit test's (config.test.ts).
      const child = runTs('server/main.ts', [], { ...env, ...DEBUG, SHUTDOWN_GRACE_MS: '120000' });
      await waitForOk(`${base}/health`, child);
      const session = await signInOver(base, ...credentials);
      const file = creditFile(ROWS);
      // The upload is sent in two halves: the import is in flight for certain when the signal comes.
      let send: (rest: string) => void = () => undefined;
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          `${base}/imports/credit`,
          {
            method: 'POST',
            agent: false,
            headers: {
              cookie: session.cookie,
              'x-csrf-token': session.csrf,
              'content-type': 'text/csv',
              'content-length': Buffer.byteLength(file),
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.write(file.slice(0, file.length / 2));
        send = (rest) => req.end(rest);
      });
      await logged(child, (entry) => entry.msg === 'import: receiving the file');
      child.process.kill('SIGTERM');
      await logged(child, (entry) => entry.msg === 'shutting down');
      // A new connection (not one kept alive from before) finds nobody listening, while the import goes on.
      const connect = () =>
        new Promise<string>((resolve) => {
          const probe = get(`${base}/health`, { agent: false }, (res) => {
            res.resume();
            resolve('answered');
          });
          probe.on('error', () => resolve('refused'));
        });
      expect(await connect()).toBe('refused');
      send(file.slice(file.length / 2));
      const response = await answer;
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ inserted: ROWS });
      // Every batch was written after the signal.
      const lines = child.output().stdout.split('\n');
      const stopping = lines.findIndex((line) => line.includes('"msg":"shutting down"'));
      expect(lines.findIndex((line) => line.includes('"msg":"import: rows written"'))).toBeGreaterThan(stopping);
      const exit = await child.exited;
      expect(exit.code).toBe(0);
    },
    CHILD_TEST_TIMEOUT,
  );
});
