import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_TEST_TIMEOUT, runTs } from '../helpers/process.js';

const scratch = mkdtempSync(join(tmpdir(), 'ao-startup-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Start-up failures: one line that names the cause, a non-zero exit, no stack trace. */
describe('start-up with bad input', { timeout: CHILD_TEST_TIMEOUT }, () => {
  it.each([
    ['a bad PORT', { PORT: 'eighty' }, /^alliance-outcomes: invalid configuration: PORT .*\(got "eighty"\)$/],
    ['a bad DEMO_DATA', { DEMO_DATA: 'sometimes' }, /DEMO_DATA must be one of auto, on, off/],
    ['a DATABASE_URL of another database', { DATABASE_URL: 'mysql://root@127.0.0.1/x' }, /DATABASE_URL must be a postgres/],
    [
      'an unreachable DATABASE_URL',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' },
      /cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1\/none: .*ECONNREFUSED/,
    ],
    [
      'a bad SMTP_URL',
      { SMTP_URL: 'http://user:secret@mail.example.org', MAIL_FROM: 'outcomes@example.org' },
      /^alliance-outcomes: invalid configuration: SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL.*\(got "http:\/\/user:\*\*\*@mail\.example\.org"\)$/,
    ],
    [
      'SMTP_URL without MAIL_FROM',
      { SMTP_URL: 'smtp://127.0.0.1:2525' },
      /^alliance-outcomes: invalid configuration: MAIL_FROM must be set when SMTP_URL is/,
    ],
    [
      'a bad MAIL_FROM',
      { MAIL_FROM: 'not an address' },
      /^alliance-outcomes: invalid configuration: MAIL_FROM must be an address/,
    ],
    ['a DATA_DIR that cannot be written', { DATA_DIR: join(scratch, 'a-file', 'data') }, /DATA_DIR .* cannot be written/],
  ])('when started with %s, then it stops with one clear line', async (_what, env, message) => {
    writeFileSync(join(scratch, 'a-file'), 'not a directory');
    const { code, stderr } = await runTs('server/main.ts', [], { LOG_LEVEL: 'info', ...env }).exited;
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    // A URL's password never reaches the log.
    expect(stderr).not.toContain('secret');
  });
});
