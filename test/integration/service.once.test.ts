import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_TEST_TIMEOUT, freePort, ROOT } from '../helpers/process.js';

const scratch = mkdtempSync(join(tmpdir(), 'ao-service-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Whether anything answers on the port. */
const answers = (port: number): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
    (response) => response.ok,
    () => false,
  );

/**
 * The server started as an operator starts it, through npm (`npm start` builds the client and then
 * runs exactly `npm run serve`): a signal to the process they started stops the server, whatever
 * npm and the shell put between them.
 */
describe('the server as a service', { timeout: CHILD_TEST_TIMEOUT }, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'when npm run serve gets %s, then the server stops, exits 0 and frees the data directory',
    async (signal) => {
      const port = await freePort();
      const dataDir = join(scratch, 'data');
      const npm = spawn('npm', ['run', 'serve', '--silent'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PASSWORD_HASH_LOG2N: process.env.PASSWORD_HASH_LOG2N,
          PORT: String(port),
          DATA_DIR: dataDir,
          DEMO_DATA: 'off',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (chunk: Buffer) => (output += chunk));
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
      const started = Date.now();
      while (!(await answers(port))) {
        if (npm.exitCode !== null || Date.now() - started > 120_000) throw new Error(`the server did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(true);
      npm.kill(signal);
      expect(await exited, output).toBe(0);
      expect(await answers(port)).toBe(false);
      expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    },
  );
});
