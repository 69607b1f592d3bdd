import { afterAll, beforeAll, expect, test } from 'vitest';
import type { MailLog } from '../../contract/schemas/mail.js';
import type { Mailer } from '../../server/mail/mailer.js';
import { TestSmtpServer } from '../helpers/smtp.js';
import { api, type Dashboard, describeBrowser, openPage, poll, screenshot, startDashboard, waitForView } from './harness.js';

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * The Admin view's Mail tab on the demo data with mail on, a real SMTP server on loopback taking what
 * is sent, and a received reminder as a reader's mail program shows it.
 */
describeBrowser('mail in the admin view', () => {
  let dashboard: Dashboard;
  let smtp: TestSmtpServer;
  let mailer: Mailer;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().listen();
    dashboard = await startDashboard({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Alliance Outcomes <outcomes@alliance.test>' } });
    mailer = dashboard.server.app.mail!;
    // The demo database is written for this worker first: slow on a loaded machine.
  }, 300_000);
  afterAll(async () => {
    await mailer?.stop();
    await dashboard?.close();
    await smtp?.close();
  });

  test('when reminders go out and one message is refused for now, then the log shows each state, and a received reminder reads in both languages', async () => {
    const admin = await api(dashboard, 'admin');
    // The scheduler's first turn on the demo data: reminders of the periods due soon or late.
    const queued = await mailer.schedule();
    expect(queued).toBeGreaterThan(0);
    const started = Date.now();
    const run = await mailer.send();
    const ms = Date.now() - started;
    expect(run).toEqual({ sent: queued, retried: 0, failed: 0 });
    const received = await smtp.waitFor(queued);
    // A message the server refuses for now stays pending with its answer.
    smtp.mode = 'busy';
    expect((await admin.post('/mail/test', { to: 'ops@alliance.test' })).status).toBe(201);
    expect(await mailer.send()).toEqual({ sent: 0, retried: 1, failed: 0 });
    smtp.mode = 'accept';
    process.stdout.write(`reminders on the demo data: ${queued} queued, ${run.sent} sent in ${ms} ms\n`);

    const log = (await (await admin.get('/mail/messages')).json()) as MailLog;
    expect(log.counts).toEqual({ pending: 1, sending: 0, sent: queued, failed: 0 });

    for (const lang of ['en', 'zh'] as const) {
      const tab = await openPage(dashboard, 'admin', { lang, path: '/#/admin?tab=mail', height: 1200 });
      await waitForView(tab.page, 'admin');
      const rows = tab.page.locator('.mail-table tbody tr');
      await poll(() => rows.count()).toBe(queued + 1);
      expect(await tab.page.locator('.mail-table tr[data-state=pending] .mail-error').textContent()).toContain('Try again later');
      expect(await tab.page.locator('[data-mail=on]').textContent()).toContain(`127.0.0.1:${smtp.port}`);
      await tab.page.evaluate(() => document.fonts.ready);
      await screenshot(tab.page, `admin-mail-log-${lang}`);
      tab.expectNoErrors();
      await tab.close();
    }

    // The state filter lives in the URL and asks the server for those only.
    const tab = await openPage(dashboard, 'admin', { path: '/#/admin?tab=mail' });
    await waitForView(tab.page, 'admin');
    await waitForView(tab.page, 'admin', { after: () => tab.page.locator('#mail-state').selectOption('pending') });
    await poll(() => tab.page.evaluate(() => location.hash)).toBe('#/admin?tab=mail&state=pending');
    await poll(() => tab.page.locator('.mail-table tbody tr').count()).toBe(1);
    tab.expectNoErrors();
    await tab.close();

    // A received reminder, as a mail program shows it: its headers, then its HTML body.
    const reminder = received.find((m) => /截止|逾期/.test(m.parsed.subject ?? ''))!;
    expect(reminder.parsed.subject).toMatch(/ \/ /);
    const page = (await openPage(dashboard, null, { width: 900, height: 700 })).page;
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>
        body { font: 15px/1.5 "Noto Sans CJK SC", sans-serif; margin: 0; color: #1b1f24; }
        header { font-family: sans-serif; background: #f1f3f5; padding: 16px 24px; border-bottom: 1px solid #d0d5db; }
        header div { margin: 2px 0; } header b { display: inline-block; width: 72px; color: #57606a; font-weight: 600; }
        main { padding: 8px 24px; } hr { border: 0; border-top: 1px solid #d0d5db; }
      </style></head><body><header>
        <div><b>From</b>${escapeHtml(reminder.parsed.from?.text ?? '')}</div>
        <div><b>To</b>${escapeHtml(reminder.envelope.join(', '))}</div>
        <div><b>Date</b>${escapeHtml(reminder.parsed.date?.toISOString() ?? '')}</div>
        <div><b>Subject</b>${escapeHtml(reminder.parsed.subject ?? '')}</div>
        <div><b>Message-ID</b>${escapeHtml(reminder.parsed.messageId ?? '')}</div>
      </header><main>${
        // The message's own body, without its document wrapper.
        /<body[^>]*>([\s\S]*)<\/body>/.exec(String(reminder.parsed.html))?.[1] ?? ''
      }</main></body></html>`,
    );
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${process.cwd()}/test/artifacts/mail-reminder-received.png`, fullPage: true });
  }, 180_000);

  test('when the settings name a malformed address, then the field says which, and a good list is saved', async () => {
    const tab = await openPage(dashboard, 'admin', { path: '/#/admin?tab=mail' });
    const { page } = tab;
    await waitForView(page, 'admin');
    await page.locator('#mail-reportRecipients').fill('commission@ndrc.test\nnot-an-address');
    await page.locator('.mail-settings button[type=submit]').click();
    await poll(() => page.locator('#mail-reportRecipients-error').textContent()).toContain('not-an-address');
    expect(await page.locator('#mail-reportRecipients').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#mail-reportRecipients').fill('commission@ndrc.test\narchive@alliance.test');
    await page.locator('.mail-settings button[type=submit]').click();
    await poll(() => page.locator('.admin-mail [role=status]').textContent()).toBe('Settings saved.');
    const admin = await api(dashboard, 'admin');
    const saved = (await (await admin.get('/mail/settings')).json()) as { settings: { reportRecipients: string[] } };
    expect(saved.settings.reportRecipients).toEqual(['commission@ndrc.test', 'archive@alliance.test']);
    tab.expectNoErrors(/^HTTP 400 PUT \/api\/v1\/mail\/settings$/);
  });
});
