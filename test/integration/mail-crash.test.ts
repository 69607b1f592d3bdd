import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailLog, MailMessage } from '../../contract/schemas/mail.js';
import { TEST_DB } from '../helpers/database.js';
import { type Child, freePort, runTs, waitForOk } from '../helpers/process.js';
import { type ServerSetup, serverSetup, signInOver } from '../helpers/server-process.js';
import { TestSmtpServer } from '../helpers/smtp.js';

const scratch = mkdtempSync(join(tmpdir(), 'ao-mail-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Prepared before the test: on PGlite this also migrates this worker's template, no part of the test.
let setup: ServerSetup;
beforeAll(async () => {
  setup = await serverSetup(join(scratch, 'data'), { demo: false });
});

describe(`the outbox across a SIGKILL (${TEST_DB})`, () => {
  it('when the server is killed with a message queued and not yet sent, then after a restart every queued message arrives once', async () => {
    const { base, env: setupEnv, credentials } = setup;
    const smtpPort = await freePort();
    // Nothing listens on the SMTP port yet: every attempt fails, and the messages stay pending. The
    // worker looks every 100 ms instead of every 2 s (the default is the unit test's, mail.test.ts).
    const env = {
      ...setupEnv,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'outcomes@alliance.test',
      MAIL_SEND_EVERY_MS: '100',
    };
    const start = async (): Promise<Child> => {
      const child = runTs('server/main.ts', [], env);
      await waitForOk(`${base}/health`, child);
      return child;
    };
    const log = async (session: { cookie: string }): Promise<MailLog> =>
      (await fetch(`${base}/mail/messages?pageSize=200`, { headers: { cookie: session.cookie } })).json() as Promise<MailLog>;

    const queue = async (session: { cookie: string; csrf: string }, to: string): Promise<MailMessage> => {
      const queued = await fetch(`${base}/mail/test`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ to }),
      });
      expect(queued.status).toBe(201);
      return (await queued.json()) as MailMessage;
    };

    const first = await start();
    let session = await signInOver(base, ...credentials);
    const test = await queue(session, 'ops@alliance.test');
    for (const to of ['second@alliance.test', 'third@alliance.test']) await queue(session, to);
    // The worker has tried each and found no server: pending, with the connection's error.
    const triedEach = async () => {
      const { messages } = await log(session);
      return messages.length >= 3 && messages.every((m) => m.state === 'pending' && /ECONNREFUSED/.test(m.lastError ?? ''));
    };
    await expect.poll(triedEach, { timeout: 20_000, interval: 100 }).toBe(true);
    const before = await log(session);
    expect(before.counts.sent).toBe(0);
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const smtp = await new TestSmtpServer().listen(smtpPort);
    try {
      const restarted = Date.now();
      const second = await start();
      session = await signInOver(base, ...credentials);
      const expected = before.messages.map((m) => m.messageId);
      await smtp.waitFor(expected.length, 60_000);
      const deliveredIn = Date.now() - restarted;
      // Two more turns of the worker, each seen by a message queued after the others arrived: nothing goes twice.
      for (const [i, to] of ['later@alliance.test', 'last@alliance.test'].entries()) {
        await queue(session, to);
        await smtp.waitFor(expected.length + i + 1, 60_000);
      }
      const received = smtp.received.map((m) => m.parsed.messageId);
      for (const id of expected) expect(received.filter((r) => r === id)).toHaveLength(1);
      const after = await log(session);
      const mine = after.messages.find((m) => m.id === test.id)!;
      expect(mine.state).toBe('sent');
      expect(mine.attempts).toBeGreaterThanOrEqual(2);
      const testMail = smtp.received.find((m) => m.parsed.messageId === test.messageId)!;
      expect(testMail.envelope).toEqual(['ops@alliance.test']);
      // The figures of this delivery run, for the record.
      const attempts = after.messages.map((m) => m.attempts);
      process.stdout.write(
        `mail delivery run (${TEST_DB}): queued before the kill ${expected.length} (kinds ${[...new Set(before.messages.map((m) => m.kind))].join(', ')}), ` +
          `failed attempts before the kill ${before.messages.reduce((n, m) => n + m.attempts, 0)}, ` +
          `received after the restart ${smtp.received.length} (distinct ${new Set(received).size}), ` +
          `all delivered ${deliveredIn} ms after the restart began, attempts per message ${Math.min(...attempts)}–${Math.max(...attempts)}, ` +
          `log counts ${JSON.stringify(after.counts)}\n`,
      );
      second.process.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    } finally {
      await smtp.close();
    }
  }, 180_000);
});
