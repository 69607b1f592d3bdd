import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { MailSettingsAnswer } from '../../contract/schemas/mail.js';
import type { Mailer } from '../../server/mail/mailer.js';
import { ReportAttachments } from '../../server/mail/report-attachments.js';
import { REPORT_TABLES, reportCsvFileName } from '../../server/report/report-csv.js';
import { ReportPrinter } from '../../server/report/report-printer.js';
import { today } from '../../server/lib/dates.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestSmtpServer } from '../helpers/smtp.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { describeBrowser } from './harness.js';
import { pdfInfo, pdfPageTexts } from './pdf-text.js';

/**
 * The commission report by mail, received by a real SMTP server: the PDF printed by Chromium from
 * the built client, and every table as CSV, byte for byte what the API's `format=csv` answers.
 */
describeBrowser('the commission report by mail', () => {
  let database: TestDatabase;
  let server: TestServer;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let admin: Client;
  const RECIPIENTS = ['archive@alliance.test', 'commission@ndrc.test'];

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    smtp = await new TestSmtpServer().listen();
    server = await startTestServer(
      database,
      { SMTP_URL: smtp.url, MAIL_FROM: 'outcomes@alliance.test' },
      { distDir: inject('clientDist')! },
    );
    mailer = server.app.mail!;
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    // A contract of the period, so that the tables hold a figure.
    const made = await admin.post('/records/tech_transfer', {
      university_code: 'USST',
      ref: 'MAIL-1',
      mode: 'license',
      partner_name: 'Mail Ltd.',
      partner_region_code: 'SH',
      co_university_code: null,
      field_code: 'OPTO',
      signed_on: '2024-05-01',
      contract_value_cny: 1234567.89,
      received_cny: 0,
      patents: 2,
    });
    expect(made.status).toBe(201);
    const settings = ((await (await admin.get('/mail/settings')).json()) as MailSettingsAnswer).settings;
    const saved = await admin.put('/mail/settings', { ...settings, reportRecipients: RECIPIENTS.toReversed() });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await mailer?.stop();
    await server?.close();
    await smtp?.close();
    await database?.close();
  });

  /** Every CSV attachment equals the API's CSV of the same table; the names say which. */
  async function expectTablesAsApi(
    attachments: { filename?: string | undefined; content: Buffer }[],
    apiPath: (table: string) => string,
    periodKey: string,
    lang: 'zh' | 'en',
    submission?: number,
  ) {
    const csvs = attachments.filter((a) => a.filename?.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThanOrEqual(REPORT_TABLES.length - 1);
    for (const table of REPORT_TABLES) {
      const name = reportCsvFileName(periodKey, table, lang, submission).name;
      const attached = csvs.find((a) => a.filename === name);
      const api = await admin.get(apiPath(table));
      if (!attached) {
        // A table the document does not hold is neither attached nor downloadable.
        expect(api.status).toBe(404);
        continue;
      }
      expect(api.status).toBe(200);
      expect(attached.content.equals(Buffer.from(await api.arrayBuffer())), table).toBe(true);
    }
  }

  test('when a report is submitted, then its list receives the PDF and every table as the API gives it, once', async () => {
    const submitted = await admin.post('/report/submissions', { period: '2024-Q2', lang: 'zh' });
    expect(submitted.status).toBe(201);
    const { submission } = (await submitted.json()) as { submission: { id: number; sha256: string } };
    // The same document again is the submission already made: no second message.
    expect((await admin.post('/report/submissions', { period: '2024-Q2', lang: 'zh' })).status).toBe(200);
    const started = Date.now();
    expect(await mailer.send()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const sendMs = Date.now() - started;
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope.sort()).toEqual(RECIPIENTS);
    expect(mail!.parsed.subject).toBe(
      `【联盟成果】发改委报告 2024-Q2（第 ${submission.id} 次提交） / Commission report 2024-Q2 (submission ${submission.id})`,
    );
    expect(mail!.parsed.text).toContain(submission.sha256);
    const pdf = mail!.parsed.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`report-2024-Q2-submission-${submission.id}-zh.pdf`);
    expect(pdfInfo(pdf!.content, 'Title')).toContain('2024');
    const text = pdfPageTexts(pdf!.content).join(' ').replaceAll(/\s+/g, '');
    expect(text).toContain('SHA-256');
    expect(text).toContain('2024');
    await expectTablesAsApi(
      mail!.parsed.attachments,
      (table) => `/report/submissions/${submission.id}?format=csv&table=${table}&lang=zh`,
      '2024-Q2',
      'zh',
      submission.id,
    );
    const [row] = await database.db.selectFrom('mail_outbox').selectAll().execute();
    expect(row).toMatchObject({ kind: 'report', state: 'sent', note: null });
    process.stdout.write(
      `report mail: ${mail!.parsed.attachments.length} attachments, ${mail!.raw.length} bytes, sent in ${sendMs} ms (PDF printed at send time)\n`,
    );
    // A PDF printed by Chromium on a shared two-core machine: minutes at worst.
  }, 240_000);

  test('when the schedule is due, then the live report goes once per slot, in the language set', async () => {
    await database.db.deleteFrom('mail_outbox').execute();
    smtp.received.length = 0;
    const settings = ((await (await admin.get('/mail/settings')).json()) as MailSettingsAnswer).settings;
    // Reminders off: only the report is due here.
    await admin.put('/mail/settings', {
      ...settings,
      reminders: false,
      reportSchedule: 'monthly',
      reportDay: 1,
      reportLang: 'en',
    });
    expect(await mailer.schedule()).toBe(1);
    expect(await mailer.schedule()).toBe(0);
    expect(await mailer.send()).toMatchObject({ sent: 1 });
    const [mail] = await smtp.waitFor(1);
    // The quarter that holds last month (in Shanghai).
    const day = today();
    const month = Number(day.slice(5, 7));
    const year = Number(day.slice(0, 4)) - (month === 1 ? 1 : 0);
    const quarter = `${year}-Q${Math.ceil((month === 1 ? 12 : month - 1) / 3)}`;
    expect(mail!.parsed.subject).toContain(`Commission report ${quarter}`);
    await expectTablesAsApi(
      mail!.parsed.attachments,
      (table) => `/report?period=${quarter}&format=csv&table=${table}&lang=en`,
      quarter,
      'en',
    );
  }, 240_000);

  test('when the PDF cannot be printed here, then the tables go alone and the log says why', async () => {
    const attachments = new ReportAttachments(database.db, new ReportPrinter(database.db, '/nonexistent-client'));
    const { files, note } = await attachments.render({ report: { period: '2024-Q2', lang: 'en' } });
    expect(files.every((f) => f.contentType.startsWith('text/csv'))).toBe(true);
    expect(files.length).toBeGreaterThanOrEqual(REPORT_TABLES.length - 1);
    expect(note).toMatch(/^PDF unavailable, CSV only: .*the client is not built/);
  });
});
