import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { today } from '../../server/lib/dates.js';
import { pdfPageCount, printReport, renderReportPdf } from '../../server/report/report-pdf.js';
import { type Dashboard, demoEmail, describeBrowser, openPage, startDashboard, waitForView } from './harness.js';
import { pdfInfo, pdfPageTexts } from './pdf-text.js';

/**
 * `npm run cli -- report --out report.pdf` prints through `renderReportPdf`: the built client fed
 * by the report's use cases inside Chromium, with no HTTP server. Its PDF says what the running
 * dashboard's Report view prints for the same account, period and language, page for page.
 */

const PERIOD = String(Number(today().slice(0, 4)) - 1);
const squash = (text: string) => text.normalize('NFKC').replaceAll(/\s+/g, '');

describeBrowser('the report printed without the application', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(() => dashboard?.close());

  /**
   * The client the command line prints: the English print builds it afresh, as `npm run cli -- report`
   * does; the others print the run's build of the same sources (a build is seconds on a loaded machine).
   */
  const clientDir = (fresh: boolean) => (fresh ? undefined : (inject('clientDist') ?? undefined));

  for (const lang of ['en', 'zh'] as const) {
    // Launches a Chromium of its own and prints twice (the English one builds the client too).
    test(`when the ${lang} report is printed from its document, then it is the view's PDF page for page`, async () => {
      const { db } = dashboard.database;
      const user = await db
        .selectFrom('app_user')
        .selectAll()
        .where('email', '=', demoEmail('commission'))
        .executeTakeFirstOrThrow();
      const printed = await renderReportPdf({ db, user, period: PERIOD, lang, clientDir: clientDir(lang === 'en') });
      expect(printed.pages).toBe(pdfPageCount(printed.pdf));
      // The report's sections, then the annex on a page of its own.
      expect(printed.pages).toBeGreaterThanOrEqual(2);
      // Its title (the PDF's Title) is in the report's language and names the period.
      const title = pdfInfo(printed.pdf, 'Title') ?? '';
      expect(title).toContain(PERIOD);
      expect(title).toMatch(lang === 'zh' ? /^[^A-Za-z]+$/ : /^[^\p{Script=Han}]+$/u);
      expect(title).toMatch(lang === 'zh' ? /\p{Script=Han}/u : /[A-Za-z]/);

      const tab = await openPage(dashboard, 'commission', { lang, path: `/#/report?period=${PERIOD}&lang=${lang}` });
      await waitForView(tab.page, 'report');
      const viewedPdf = await printReport(tab.page);
      expect(title).toBe(pdfInfo(viewedPdf, 'Title'));
      const viewed = pdfPageTexts(viewedPdf).map(squash);
      const texts = pdfPageTexts(printed.pdf).map(squash);
      expect(texts.length).toBe(viewed.length);
      for (const [i, text] of texts.entries()) {
        expect(text.length, `page ${i + 1} is blank`).toBeGreaterThan(40);
        expect(text, `page ${i + 1}`).toBe(viewed[i]);
        // Digests are in the annex, the last page, only.
        if (i < texts.length - 1) expect(text, `page ${i + 1}`).not.toContain('SHA-256');
      }
      expect(texts.at(-1)).toContain('SHA-256');
      tab.expectNoErrors();
      await tab.close();
    }, 240_000);
  }

  test('when the submission does not exist, then the print fails with the reason, not a blank PDF', async () => {
    const { db } = dashboard.database;
    const user = await db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', demoEmail('commission'))
      .executeTakeFirstOrThrow();
    await expect(
      renderReportPdf({ db, user, period: PERIOD, lang: 'en', submission: 999_999, clientDir: clientDir(false) }),
    ).rejects.toThrow(/the report did not load/);
  }, 240_000);
});
