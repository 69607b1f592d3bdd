import { describe, expect, it } from 'vitest';
import { DEFAULT_MAIL_SETTINGS, isMailAddress, MailSettingsSchema } from '../../contract/schemas/mail.js';
import { ConfigError, loadConfig, parseMailFrom } from '../../server/config.js';
import { composeMail } from '../../server/mail/mail-messages.js';
import { scheduledReport } from '../../server/mail/mail-scheduler.js';
import { DELIVERY_POLICY, retryDelayMs, smtpConnection } from '../../server/mail/mail-worker.js';

describe('mail configuration', () => {
  it('when SMTP_URL is unset, then mail is off; when set with MAIL_FROM, then on', () => {
    expect(loadConfig({}).mail).toBeNull();
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.org:465', MAIL_FROM: 'Outcomes <o@example.org>' }).mail).toEqual({
      smtpUrl: 'smtps://u:p@mail.example.org:465',
      from: 'Outcomes <o@example.org>',
      // The worker looks for due messages every 2 s unless told otherwise.
      sendEveryMs: 2000,
    });
  });

  it('when MAIL_SEND_EVERY_MS is set, then it is a whole number of milliseconds from 100 to 60000', () => {
    const mail = { SMTP_URL: 'smtp://mail.example.org', MAIL_FROM: 'o@example.org' };
    expect(loadConfig({ ...mail, MAIL_SEND_EVERY_MS: '100' }).mail?.sendEveryMs).toBe(100);
    for (const bad of ['99', '60001', '0.5', 'often'])
      expect(() => loadConfig({ ...mail, MAIL_SEND_EVERY_MS: bad }), bad).toThrow(/MAIL_SEND_EVERY_MS/);
  });

  it.each([
    ['http://mail.example.org', /SMTP_URL must be an smtp/],
    ['smtp://', /SMTP_URL/],
    ['smtp://mail.example.org/path', /SMTP_URL/],
    ['mail.example.org:25', /SMTP_URL/],
  ])('when SMTP_URL is %s, then the configuration is refused naming it', (url, message) => {
    expect(() => loadConfig({ SMTP_URL: url, MAIL_FROM: 'o@example.org' })).toThrow(message);
    expect(() => loadConfig({ SMTP_URL: url, MAIL_FROM: 'o@example.org' })).toThrow(ConfigError);
  });

  it('when the sender is given, then it is an address or a name with one', () => {
    expect(parseMailFrom('o@example.org')).toEqual({ name: '', address: 'o@example.org' });
    expect(parseMailFrom('Alliance Outcomes <o@example.org>')).toEqual({ name: 'Alliance Outcomes', address: 'o@example.org' });
    expect(parseMailFrom('o@example.org\r\nBcc: x@y.org')).toBeNull();
    expect(parseMailFrom('nobody')).toBeNull();
    expect(() => loadConfig({ SMTP_URL: 'smtp://h' })).toThrow(/MAIL_FROM must be set/);
  });

  it('when an smtp URL is read, then host, port, TLS and credentials come from it', () => {
    expect(smtpConnection('smtp://relay.example.org')).toEqual({ host: 'relay.example.org', port: 587, secure: false });
    expect(smtpConnection('smtps://a%40b:p%3Aw@[::1]:2465')).toEqual({
      host: '::1',
      port: 2465,
      secure: true,
      auth: { user: 'a@b', pass: 'p:w' },
    });
  });
});

describe('mail addresses', () => {
  it.each([
    ['name@example.org', true],
    ['first.last+tag@mail.example.org', true],
    ['张三@例子.中国', true],
    ['odd..dots@example.org', false],
    ['.lead@example.org', false],
    ['a@b@example.org', false],
    ['no-at.example.org', false],
    ['x@-bad-.org', false],
    ['x@', false],
    ['with space@example.org', false],
  ])('when the address is %s, then mail can go to it: %s', (address, ok) => {
    expect(isMailAddress(address)).toBe(ok);
  });

  it('when the report list names a bad address or one twice, then the settings are refused at that place', () => {
    const bad = MailSettingsSchema.safeParse({ ...DEFAULT_MAIL_SETTINGS, reportRecipients: ['a@example.org', 'A@example.org'] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['reportRecipients', 1]);
  });
});

describe('back-off', () => {
  it('when attempts fail, then the delay doubles from 10 s and stops at an hour', () => {
    const delays = Array.from({ length: DELIVERY_POLICY.maxAttempts }, (_, i) => retryDelayMs(i + 1, DELIVERY_POLICY) / 1000);
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600]);
  });
});

describe('the report schedule', () => {
  const settings = { ...DEFAULT_MAIL_SETTINGS, reportRecipients: ['c@example.org'], reportDay: 5 };
  it('when monthly, then from day N of each month the quarter holding the month before, once per month', () => {
    const monthly = { ...settings, reportSchedule: 'monthly' as const };
    expect(scheduledReport(monthly, '2026-02-04')).toBeNull();
    expect(scheduledReport(monthly, '2026-02-05')).toEqual({ period: '2026-Q1', slot: 'monthly:2026-02' });
    expect(scheduledReport(monthly, '2026-01-20')).toEqual({ period: '2025-Q4', slot: 'monthly:2026-01' });
  });
  it('when quarterly, then in the month after a quarter, that quarter; else nothing', () => {
    const quarterly = { ...settings, reportSchedule: 'quarterly' as const };
    expect(scheduledReport(quarterly, '2026-04-05')).toEqual({ period: '2026-Q1', slot: 'quarterly:2026-Q1' });
    expect(scheduledReport(quarterly, '2026-05-05')).toBeNull();
    expect(scheduledReport({ ...quarterly, reportRecipients: [] }, '2026-04-05')).toBeNull();
    expect(scheduledReport({ ...settings, reportSchedule: 'off' }, '2026-04-05')).toBeNull();
  });
});

describe('message wording', () => {
  const period = {
    university: { code: 'USST', en: 'USST University', zh: '上海理工大学' },
    period: '2026-Q1',
    from: '2026-01-01',
    to: '2026-03-31',
  };
  it('when the language is both, then Chinese comes first in subject and body, and HTML is escaped', () => {
    const mail = composeMail(
      { kind: 'returned', period, by: 'Lead <b>', at: '2026-04-02 10:00 (UTC+8)', comment: '<script>x</script>' },
      'both',
    );
    expect(mail.subject).toBe('【联盟成果】上海理工大学 2026-Q1 已被退回 / USST University: 2026-Q1 was returned');
    expect(mail.text.indexOf('意见')).toBeLessThan(mail.text.indexOf('Comment'));
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
  });

  it("when a late period was returned, then its reminder repeats the reviewer's comment, escaped; another says none", () => {
    const facts = { kind: 'late', period, dueOn: '2026-04-20', daysLate: 3, comment: 'Fee <missing>' } as const;
    const returned = composeMail({ ...facts, status: 'returned' }, 'both');
    expect(returned.text).toContain('审核意见：Fee <missing>');
    expect(returned.text).toContain("The reviewer's comment: Fee <missing>");
    expect(returned.html).toContain('Fee &lt;missing&gt;');
    const inProgress = composeMail({ ...facts, status: 'in_progress' }, 'both');
    expect(inProgress.text).not.toContain('Fee');
  });

  it('when PUBLIC_URL is set, then each message links to what it tells of, in text and HTML; unset, no link', () => {
    const base = 'https://outcomes.example.edu.cn/dash';
    const returned = composeMail(
      { kind: 'returned', period, by: 'Lead', at: '2026-04-02 10:00 (UTC+8)', comment: 'Fee missing' },
      'both',
      base,
    );
    const board = `${base}/#/reporting?year=2026`;
    expect(returned.text).toContain(`在系统中打开：${board}`);
    expect(returned.text).toContain(`Open it in the dashboard: ${board}`);
    expect(returned.html).toContain(`<a href="${board}">${board}</a>`);
    const report = composeMail(
      {
        kind: 'report',
        period: '2026-Q1',
        submission: { id: 7, sha256: 'ab', by: 'Lead', at: '2026-04-02 10:00 (UTC+8)' },
        attachments: 'the report',
      },
      'en',
      base,
    );
    expect(report.text).toContain(`${base}/#/report?period=2026-Q1&submission=7`);
    expect(report.html).toContain(`${base}/#/report?period=2026-Q1&amp;submission=7`);
    expect(composeMail({ kind: 'test', by: 'Admin' }, 'zh', base).text).toContain(`在系统中打开：${base}/`);
    expect(composeMail({ kind: 'test', by: 'Admin' }, 'both').text).not.toMatch(/https?:|在系统中打开/);
  });

  it('when a reminder states the status, then it says it as the board does', () => {
    const facts = { kind: 'due_soon', period, dueOn: '2026-04-20', days: 5, records: 1, status: 'in_progress' } as const;
    const mail = composeMail(facts, 'both');
    expect(mail.text).toContain('The period is in progress, with 1 record');
    expect(mail.text).toContain('该期间当前状态：填报中');
  });
});
