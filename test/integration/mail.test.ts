import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailLog, MailMessage, MailSettingsAnswer } from '../../contract/schemas/mail.js';
import { claimDue } from '../../server/mail/outbox.queries.js';
import type { Mailer } from '../../server/mail/mailer.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { BUSY, REFUSAL, TestSmtpServer } from '../helpers/smtp.js';
import { addStandardUsers, addUser, Client, IDENTITIES } from '../helpers/users.js';

const FROM = 'Alliance Outcomes <outcomes@alliance.test>';

/** A clock the test moves. */
class TestClock {
  constructor(public at: Date) {}
  readonly now = () => new Date(this.at);
  set(iso: string) {
    this.at = new Date(iso);
  }
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  }
}

describe(`outgoing mail through the outbox (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  const clock = new TestClock(new Date('2026-01-10T02:00:00Z'));
  let admin: Client;
  let lead: Client;
  let usst: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    // Languages chosen: the admin reads English, leadership Chinese; stewards have not chosen (both).
    await database.db.updateTable('app_user').set({ lang: 'en' }).where('email', '=', IDENTITIES.admin.email).execute();
    await database.db.updateTable('app_user').set({ lang: 'zh' }).where('email', '=', IDENTITIES.leadership.email).execute();
    smtp = await new TestSmtpServer().listen();
    server = await startTestServer(
      database,
      { SMTP_URL: smtp.url, MAIL_FROM: FROM, PUBLIC_URL: 'https://outcomes.test.example/' },
      {
        mail: {
          clock: clock.now,
          policy: { maxAttempts: 3, connectionTimeoutMs: 1000, greetingTimeoutMs: 1000, socketTimeoutMs: 1000, leaseMs: 60_000 },
        },
      },
    );
    mailer = server.app.mail!;
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
  });
  afterAll(async () => {
    await mailer.stop();
    await server.close();
    await smtp.close();
    await database.close();
  });
  beforeEach(async () => {
    smtp.mode = 'accept';
    smtp.received.length = 0;
    await database.db.deleteFrom('mail_outbox').execute();
  });

  const outbox = () => database.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
  /** Sends what is due now, as the worker's timer would. */
  const deliver = () => mailer.send();

  it('when mail is configured, then the settings say so and name the server and sender, never a password', async () => {
    const answer = (await (await admin.get('/mail/settings')).json()) as MailSettingsAnswer;
    expect(answer.enabled).toBe(true);
    expect(answer.from).toBe(FROM);
    expect(answer.server).toBe(`smtp://127.0.0.1:${smtp.port}`);
    expect(answer.settings.reminderDaysBefore).toBe(5);
  });

  it('when a steward submits a period, then each reviewer gets one message in their language, sent once', async () => {
    const response = await usst.post('/cycle/periods/USST/2024-Q1/submit', { note: 'All in' });
    expect(response.status).toBe(200);
    const queued = await outbox();
    // Admin (en) and leadership (zh): one message per language, queued with the step.
    expect(queued.map((m) => [m.kind, m.lang, m.recipients, m.state])).toEqual(
      expect.arrayContaining([
        ['submitted', 'en', [IDENTITIES.admin.email], 'pending'],
        ['submitted', 'zh', [IDENTITIES.leadership.email], 'pending'],
      ]),
    );
    expect(queued).toHaveLength(2);
    const run = await deliver();
    expect(run).toEqual({ sent: 2, retried: 0, failed: 0 });
    const mails = await smtp.waitFor(2);
    const en = mails.find((m) => m.envelope.includes(IDENTITIES.admin.email))!;
    const zh = mails.find((m) => m.envelope.includes(IDENTITIES.leadership.email))!;
    expect(en.parsed.subject).toBe(
      '[Alliance Outcomes] University of Shanghai for Science and Technology submitted 2024-Q1 for review',
    );
    expect(zh.parsed.subject).toBe('【联盟成果】上海理工大学 已报送 2024-Q1，待审核');
    expect(en.parsed.text).toContain('Note: All in');
    expect(zh.parsed.text).toContain('备注：All in');
    expect(en.parsed.from?.value[0]?.address).toBe('outcomes@alliance.test');
    // The Message-ID is the outbox's: a repeat would be identifiable.
    const sent = await outbox();
    expect(sent.every((m) => m.state === 'sent' && m.attempts === 1)).toBe(true);
    expect(new Set(mails.map((m) => m.parsed.messageId))).toEqual(new Set(sent.map((m) => m.message_id)));
    // Nothing is due any more: a second run sends nothing.
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it('when a step is refused, then nothing is queued (the message commits with the step or not at all)', async () => {
    const again = await usst.post('/cycle/periods/USST/2024-Q1/submit', {});
    expect(again.status).toBe(409);
    expect(await outbox()).toHaveLength(0);
  });

  it('when a period is returned, then its stewards get the comment in both languages', async () => {
    const response = await lead.post('/cycle/periods/USST/2024-Q1/return', { comment: 'Payments of March are missing' });
    expect(response.status).toBe(200);
    const stewards = await database.db
      .selectFrom('app_user')
      .select('email')
      .where('role', '=', 'steward')
      .where('university_code', '=', 'USST')
      .execute();
    await deliver();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope.sort()).toEqual(stewards.map((s) => s.email).sort());
    expect(mail!.parsed.subject).toBe(
      '【联盟成果】上海理工大学 2024-Q1 已被退回 / University of Shanghai for Science and Technology: 2024-Q1 was returned',
    );
    expect(mail!.parsed.text).toContain('意见：Payments of March are missing');
    expect(mail!.parsed.text).toContain('Comment: Payments of March are missing');
    expect(mail!.parsed.html).toContain('<p>Comment: Payments of March are missing</p>');
    // PUBLIC_URL: the message links to the board of the period's year.
    expect(mail!.parsed.text).toContain('Open it in the dashboard: https://outcomes.test.example/#/reporting?year=2024');
    expect(mail!.parsed.html).toContain('<a href="https://outcomes.test.example/#/reporting?year=2024">');
  });

  it('when an account’s e-mail is not an address mail can go to, then it is left out and the log says so', async () => {
    await addUser(database.db, { email: 'odd..dots@test.example', role: 'steward', university: 'USST' });
    await usst.post('/cycle/periods/USST/2024-Q2/submit', {});
    await lead.post('/cycle/periods/USST/2024-Q2/return', { comment: 'Again' });
    const returned = (await outbox()).find((m) => m.kind === 'returned')!;
    expect(returned.recipients).not.toContain('odd..dots@test.example');
    expect(returned.note).toContain('odd..dots@test.example');
    await database.db.deleteFrom('app_user').where('email', '=', 'odd..dots@test.example').execute();
  });

  it('when the settings name a malformed address, then the 400 names it and nothing is saved', async () => {
    const before = (await (await admin.get('/mail/settings')).json()) as MailSettingsAnswer;
    const bad = await admin.put('/mail/settings', {
      ...before.settings,
      reportRecipients: ['commission@ndrc.test', 'not an address', 'x@'],
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await bad.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['body.reportRecipients.1', 'body.reportRecipients.2']);
    expect(problem.errors[0]!.message).toContain('not an address');
    expect(((await (await admin.get('/mail/settings')).json()) as MailSettingsAnswer).settings).toEqual(before.settings);
    const good = await admin.put('/mail/settings', { ...before.settings, reminderDaysBefore: 7 });
    expect(good.status).toBe(200);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['subject', 'before', 'after'])
      .where('action', '=', 'mail_settings_change')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.subject).toBe('mail:settings');
    expect((audit.after as { reminderDaysBefore: number }).reminderDaysBefore).toBe(7);
    await admin.put('/mail/settings', before.settings);
  });

  it('when the scheduler runs before a due date and after it, then each reminder is queued once, to the stewards', async () => {
    const universitiesWithStewards = (
      await database.db
        .selectFrom('app_user')
        .select('university_code')
        .distinct()
        .where('role', '=', 'steward')
        .where('disabled', '=', false)
        .execute()
    )
      .map((r) => r.university_code!)
      .sort();
    // 2025-Q3 ends on 30 September; quarters are due 20 days later: 20 October. 4 days before, in Shanghai.
    clock.set('2025-10-16T02:00:00Z');
    expect(await mailer.schedule()).toBe(universitiesWithStewards.length);
    expect(await mailer.schedule()).toBe(0);
    const soon = await outbox();
    expect(soon.map((m) => m.dedupe_key!.split(':').slice(0, 4).join(':')).sort()).toEqual(
      universitiesWithStewards.map((u) => `due_soon:${u}:2025-Q3:2025-10-20`),
    );
    // The first day late, again in the same week (nothing), and a week later (once more).
    clock.set('2025-10-21T02:00:00Z');
    expect(await mailer.schedule()).toBe(universitiesWithStewards.length);
    clock.set('2025-10-27T02:00:00Z');
    expect(await mailer.schedule()).toBe(0);
    clock.set('2025-10-28T02:00:00Z');
    expect(await mailer.schedule()).toBe(universitiesWithStewards.length);
    // 61 days late: no longer chased by mail.
    clock.set('2025-12-20T02:00:00Z');
    expect(await mailer.schedule()).toBe(0);
    await deliver();
    const mails = await smtp.waitFor(universitiesWithStewards.length * 3);
    const usstSoon = mails.find(
      (m) => m.envelope.includes(IDENTITIES.stewardUSST.email) && /2025-10-20 截止/.test(m.parsed.subject ?? ''),
    )!;
    expect(usstSoon.parsed.subject).toBe(
      '【联盟成果】上海理工大学 2025-Q3 将于 2025-10-20 截止报送 / University of Shanghai for Science and Technology: 2025-Q3 is due on 2025-10-20',
    );
    expect(usstSoon.parsed.text).toContain('in 4 days');
    // Reminders off: nothing is queued.
    const settings = ((await (await admin.get('/mail/settings')).json()) as MailSettingsAnswer).settings;
    await admin.put('/mail/settings', { ...settings, reminders: false });
    await database.db.deleteFrom('mail_outbox').execute();
    clock.set('2025-10-16T02:00:00Z');
    expect(await mailer.schedule()).toBe(0);
    await admin.put('/mail/settings', settings);
    clock.set('2026-01-10T02:00:00Z');
  });

  it('when the SMTP server refuses for now (4yz), then the message stays pending with its answer, is retried with back-off, then fails', async () => {
    smtp.mode = 'busy';
    const test = await admin.post('/mail/test', { to: 'ops@alliance.test' });
    expect(test.status).toBe(201);
    const queued = (await test.json()) as MailMessage;
    expect(await deliver()).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await outbox();
    expect(row!.state).toBe('pending');
    expect(row!.last_error).toContain(BUSY.slice(4));
    // First retry 10 s later: not before.
    expect(new Date(row!.next_attempt_at).getTime() - clock.at.getTime()).toBe(10_000);
    clock.advance(9_000);
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(1_000);
    expect(await deliver()).toEqual({ sent: 0, retried: 1, failed: 0 });
    [row] = await outbox();
    expect(new Date(row!.next_attempt_at).getTime() - clock.at.getTime()).toBe(20_000);
    clock.advance(20_000);
    // The third attempt is the last (maxAttempts 3 here).
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 1 });
    const log = (await (await admin.get('/mail/messages?state=failed')).json()) as MailLog;
    expect(log.total).toBe(1);
    expect(log.messages[0]).toMatchObject({ id: queued.id, state: 'failed', attempts: 3 });
    expect(log.messages[0]!.lastError).toContain('Try again later');
    expect(log.counts).toEqual({ pending: 0, sending: 0, sent: 0, failed: 1 });
    // An administrator retries it once the server takes mail again.
    smtp.mode = 'accept';
    const retry = await admin.post(`/mail/messages/${queued.id}/retry`);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as MailMessage).state).toBe('pending');
    expect((await admin.post(`/mail/messages/${queued.id}/retry`)).status).toBe(409);
    expect((await admin.post('/mail/messages/999999/retry')).status).toBe(404);
    expect(await deliver()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.parsed.messageId).toBe(queued.messageId);
    expect(mail!.parsed.subject).toBe('【联盟成果】测试邮件 / Test message');
  });

  it('when the SMTP server refuses for good (5yz), then the message fails at its first attempt with the answer, and a retry sends it', async () => {
    smtp.mode = 'refuse';
    const before = smtp.received.length;
    const queued = (await (await admin.post('/mail/test', { to: 'ops@alliance.test' })).json()) as MailMessage;
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 1 });
    const log = (await (await admin.get('/mail/messages?state=failed')).json()) as MailLog;
    const failed = log.messages.find((m) => m.id === queued.id)!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.lastError).toContain(REFUSAL.slice(4));
    // Nothing is tried again on its own, however long one waits.
    clock.advance(3_600_000);
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 0 });
    smtp.mode = 'accept';
    expect((await admin.post(`/mail/messages/${queued.id}/retry`)).status).toBe(200);
    expect(await deliver()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const mails = await smtp.waitFor(before + 1);
    expect(mails.at(-1)!.parsed.messageId).toBe(queued.messageId);
  });

  it('when the SMTP server hangs, then the attempt times out, the message stays pending, and requests are answered meanwhile', async () => {
    smtp.mode = 'hang';
    await admin.post('/mail/test', { to: 'ops@alliance.test' });
    const started = Date.now();
    const run = deliver();
    // While the worker waits on the silent server, the API answers at once.
    await new Promise((r) => setTimeout(r, 100));
    const asked = Date.now();
    const log = await admin.get('/mail/messages');
    const answeredIn = Date.now() - asked;
    expect(log.status).toBe(200);
    expect(((await log.json()) as MailLog).messages[0]!.state).toBe('sending');
    expect(answeredIn).toBeLessThan(800);
    expect(await run).toEqual({ sent: 0, retried: 1, failed: 0 });
    // Bounded by the socket timeout (1 s here), not by the server.
    expect(Date.now() - started).toBeLessThan(5_000);
    const [row] = await outbox();
    expect(row!.state).toBe('pending');
    expect(row!.last_error).toMatch(/timeout|ETIMEDOUT/i);
  });

  it('when a claimant dies while sending, then the message is sent once after its lease runs out', async () => {
    await admin.post('/mail/test', { to: 'ops@alliance.test' });
    // A process claims it and dies: no outcome is recorded.
    const claimed = await claimDue(database.db, clock.now(), new Date(clock.at.getTime() + 60_000));
    expect(claimed?.state).toBe('sending');
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock.advance(60_000);
    expect(await deliver()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 0 });
    await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received).toHaveLength(1);
    const [row] = await outbox();
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('when more reviewers than one message holds are to be told, then they get several messages, each address once', async () => {
    const extra = Array.from({ length: 130 }, (_, i) => `reviewer${i}@test.example`);
    await database.db
      .insertInto('app_user')
      .values(
        extra.map((email) => ({ email, name: email, password_hash: 'x', role: 'leadership' as const, lang: 'en' as const })),
      )
      .execute();
    try {
      expect((await usst.post('/cycle/periods/USST/2024-Q3/submit', {})).status).toBe(200);
      const english = (await outbox()).filter((m) => m.kind === 'submitted' && m.lang === 'en');
      const everyone = [IDENTITIES.admin.email, ...extra].sort();
      expect(english.map((m) => m.recipients.length)).toEqual([100, everyone.length - 100]);
      expect(english.flatMap((m) => m.recipients).sort()).toEqual(everyone);
    } finally {
      await database.db.deleteFrom('app_user').where('email', 'in', extra).execute();
    }
  });

  it('when the delivery log is asked with a bad state or page, then the 400 names the parameter', async () => {
    const bad = await admin.get('/mail/messages?state=lost');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('state');
    expect((await admin.get('/mail/messages?pageSize=0')).status).toBe(400);
    // A repeated parameter is a list, as elsewhere.
    const both = await admin.get('/mail/messages?state=sent&state=failed');
    expect(both.status).toBe(200);
    expect(((await both.json()) as MailLog).messages.every((m) => m.state === 'sent' || m.state === 'failed')).toBe(true);
    expect((await admin.post('/mail/test', { to: 'nobody' })).status).toBe(400);
  });
});

describe(`mail off (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when SMTP_URL is not set, then the settings and the log say nothing is sent, and steps queue nothing', async () => {
    const admin = await Client.signIn(server, IDENTITIES.admin.email);
    const usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    const settings = (await (await admin.get('/mail/settings')).json()) as MailSettingsAnswer;
    expect(settings).toMatchObject({ enabled: false, from: null, server: null });
    expect(((await (await admin.get('/mail/messages')).json()) as MailLog).enabled).toBe(false);
    expect((await usst.post('/cycle/periods/USST/2024-Q1/submit', {})).status).toBe(200);
    expect(await database.db.selectFrom('mail_outbox').selectAll().execute()).toHaveLength(0);
    const test = await admin.post('/mail/test', { to: 'ops@alliance.test' });
    expect(test.status).toBe(409);
    expect(((await test.json()) as { code: string }).code).toBe('mail_off');
    expect(server.app.mail).toBeNull();
  });
});
