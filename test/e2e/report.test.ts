import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { today } from '../../server/lib/dates.js';
import { pdfPageCount, printReport } from '../../server/report/report-pdf.js';
import {
  api,
  axeViolations,
  type Dashboard,
  type DashboardApi,
  describeBrowser,
  browser,
  openPage,
  poll,
  screenshot,
  startDashboard,
  waitForView,
} from './harness.js';
import { pdfPagePngs, savePagePngs } from './pdf-pages.js';
import { pdfInfo, pdfPageTexts } from './pdf-text.js';
import { readWorkbook, XLSX_TYPE } from '../helpers/xlsx.js';

/**
 * The Report view in Chromium: the figures on the page are the API's, it prints to A4 PDF in
 * both languages through the same path as `npm run cli -- report` (server/report/report-pdf.ts),
 * with sane page counts, no blank pages, repeated table heads where a table breaks, and the
 * totals in the PDF's text; a submission through the page freezes what it shows.
 * `UPDATE_REPORT_SAMPLES=1` also writes docs/report-sample-{zh,en}.pdf from the demo data.
 */

const PERIOD = String(Number(today().slice(0, 4)) - 1);
/** Text without spaces, ligatures undone (ﬁ → fi). */
const squash = (text: string) => text.normalize('NFKC').replaceAll(/\s+/g, '');

/**
 * Whether the PDF's text has `needle` at its start (`^`) or anywhere, character for character: the
 * text layer names the ideographs the page shows, never the radicals that share their glyphs.
 */
function pdfMatch(text: string, needle: string, anchor = ''): boolean {
  const pattern = squash(needle).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${anchor}${pattern}`, 'u').test(squash(text));
}

interface Doc {
  period: { label: { en: string; zh: string } };
  summary: { rows: Array<{ code: string | null; cells: Record<string, { value: number; records: number }> }> };
  data: { synthetic: boolean };
}

/** What a page of the PDF says besides Chromium's footer and the watermark. */
function bodyText(page: string, footer: string, watermark: string): string {
  return squash(page)
    .replace(squash(footer), '')
    .replaceAll(squash(watermark), '')
    .replace(/\d+\/\d+$/, '');
}

async function cellText(page: Page, table: string, row: string, measure: string): Promise<{ text: string; value: string }> {
  const index = await page.evaluate(
    ({ table, measure }) => {
      const root = document.querySelector(`#report-table-${table}`)!;
      const cells = [...root.querySelectorAll('thead tr:last-child th')];
      return cells.findIndex((th) => th.getAttribute('data-measure') === measure);
    },
    { table, measure },
  );
  const cell = page.locator(`#report-table-${table} tbody tr[data-row="${row}"] > *`).nth(index);
  const value = (await cell.getAttribute('data-value')) ?? '';
  // The figure is the cell's own text; the records behind it are in a span of their own.
  const text = (
    await cell.evaluate((node) =>
      [...node.childNodes]
        .filter((child) => child.nodeType === Node.TEXT_NODE)
        .map((child) => child.textContent)
        .join(''),
    )
  ).trim();
  return { text, value };
}

describeBrowser('the commission report: the page, its PDF in both languages, and submission', () => {
  let dashboard: Dashboard;
  let leadership: DashboardApi;
  beforeAll(async () => {
    dashboard = await startDashboard();
    leadership = await api(dashboard, 'leadership');
  });
  afterAll(() => dashboard?.close());

  for (const lang of ['zh', 'en'] as const) {
    test(`prints the ${lang} report to A4 PDF: a sane page count, no blank page, the totals in its text`, async () => {
      const tab = await openPage(dashboard, 'commission', { lang, path: `/#/report?period=${PERIOD}&lang=${lang}` });
      const { page } = tab;
      await waitForView(page, 'report');
      const live = await leadership.json<{ sha256: string; report: Doc }>(`/report?period=${PERIOD}&lang=${lang}`);
      expect(await page.locator('.view-report').getAttribute('data-sha256')).toBe(live.sha256);
      // The cover block's labels stand apart from their values, however long a language's labels are.
      const overlaps = await page.$$eval('[data-cover-block] dt', (dts) =>
        dts.flatMap((dt) => {
          const dd = dt.nextElementSibling!;
          const [label, value] = [dt.getBoundingClientRect(), dd.getBoundingClientRect()];
          return label.right + 4 <= value.left ? [] : [`${dt.textContent}: ${label.right} ≥ ${value.left}`];
        }),
      );
      expect(overlaps).toEqual([]);
      // The demo data is synthetic: watermarked, and said so on the cover and in the footer.
      expect(live.report.data.synthetic).toBe(true);
      await expect.poll(() => page.locator('.report-watermark').count()).toBe(1);
      const footer = (await page.locator('.view-report').getAttribute('data-footer'))!;
      const watermark = (await page.locator('.report-watermark').getAttribute('data-text'))!;
      expect(footer).toContain(watermark);
      // Every figure on the page is the document's; the alliance's totals are the API's.
      const total = live.report.summary.rows.at(-1)!;
      const checks: Array<[string, string]> = [
        ['summary', 'tech_transfer.contracts'],
        ['summary', 'tech_transfer.contract_value'],
        ['summary', 'incubation.entered'],
        ['summary-b', 'talent.trainees'],
        ['summary-b', 'credits.credits'],
      ];
      const totals: string[] = [];
      for (const [table, measure] of checks) {
        const cell = await cellText(page, table, 'alliance', measure);
        expect(Number(cell.value), measure).toBe(total.cells[measure]!.value);
        totals.push(cell.text);
      }
      await screenshot(page, `report-${lang}`);

      const pdf = await printReport(page);
      const pages = pdfPageTexts(pdf);
      expect(pages.length).toBe(pdfPageCount(pdf));
      // The sections follow one another, then the annex on a page of its own.
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.length).toBeLessThanOrEqual(12);
      // The PDF's title is the page's, in the report's language, naming the period.
      const title = pdfInfo(pdf, 'Title');
      expect(title).toBe(await page.title());
      expect(title).toContain(live.report.period.label[lang]);
      expect(title).not.toMatch(lang === 'zh' ? /[A-Za-z]/ : /\p{Script=Han}/u);
      for (const [i, text] of pages.entries()) {
        expect(bodyText(text, footer, watermark).length, `page ${i + 1} is blank`).toBeGreaterThan(40);
        expect(squash(text), `page ${i + 1} has no number`).toContain(`${i + 1}/${pages.length}`);
        expect(pdfMatch(text, watermark), `page ${i + 1} has no watermark`).toBe(true);
      }
      // The summary follows the cover: its totals are on the first pages.
      for (const text of totals)
        expect(
          pages.slice(0, 2).some((page) => pdfMatch(page, text)),
          `the total ${text} is not on page 1 or 2`,
        ).toBe(true);
      // Every section is printed, in order; they flow, so some page holds more than one heading.
      const headings = await page.$$eval('.report-section > h2', (hs) => hs.map((h) => h.textContent ?? ''));
      const joined = pages.map((text) => bodyText(text, footer, watermark));
      const found = headings.map((heading) => joined.findIndex((text) => pdfMatch(text, heading)));
      expect(
        found.every((at) => at >= 0),
        headings.join(' | '),
      ).toBe(true);
      expect(found).toEqual([...found].sort((a, b) => a - b));
      expect(new Set(found).size).toBeLessThan(found.length);
      // The digests are in the annex, the last page, starting it; no page before it has one.
      expect(found.at(-1)).toBe(pages.length - 1);
      expect(pdfMatch(joined.at(-1)!, headings.at(-1)!, '^')).toBe(true);
      expect(pdfMatch(joined.at(-1)!, live.sha256)).toBe(true);
      for (const text of joined.slice(0, -1)) {
        expect(text).not.toContain('SHA-256');
        expect(text).not.toContain(live.sha256.slice(0, 12));
      }
      if (process.env.UPDATE_REPORT_SAMPLES) writeFileSync(new URL(`../../docs/report-sample-${lang}.pdf`, import.meta.url), pdf);
      tab.expectNoErrors();
    });
  }

  test('the zh report as a government office files it: members by their Chinese names, a cover block, full-width punctuation, heads unbroken, fewer pages', async () => {
    const tab = await openPage(dashboard, 'commission', { lang: 'en', path: `/#/report?period=${PERIOD}&lang=zh` });
    const { page } = tab;
    await waitForView(page, 'report');
    const { universities } = await leadership.json<{
      universities: Array<{ code: string; nameZh: string; nameEn: string; lead: boolean }>;
    }>('/universities');
    const live = await leadership.json<{ sha256: string; report: Doc & { credits: { universities: string[] } } }>(
      `/report?period=${PERIOD}&lang=zh`,
    );
    const nameZh = new Map(universities.map((u) => [u.code, u.nameZh]));
    const codes = new RegExp(`\\b(${universities.map((u) => u.code).join('|')})\\b`);

    // Members are named in Chinese wherever the report names them: heads, rows, charts; never by code.
    const heads = await page.$$eval('#report-table-credit-recognition thead tr:last-child th', (ths) =>
      ths.map((th) => th.textContent ?? ''),
    );
    expect(heads.slice(1, -1)).toEqual(live.report.credits.universities.map((c) => nameZh.get(c)));
    const nationalHeads = await page.$$eval('#report-table-national thead tr:last-child th', (ths) =>
      ths.map((th) => th.textContent ?? ''),
    );
    for (const u of universities) expect(nationalHeads).toContain(u.nameZh);
    const rowHeads = await page.$$eval('#report-table-summary tbody tr[data-row] > th', (ths) =>
      Object.fromEntries(
        ths.map((th) => [
          th.parentElement!.getAttribute('data-row'),
          th.textContent!.replace(th.querySelector('.records')?.textContent ?? '', ''),
        ]),
      ),
    );
    for (const u of universities) expect(rowHeads[u.code]).toBe(u.nameZh);
    const byUniversity = (await page.locator('canvas[data-chart="by-university"]').getAttribute('aria-label'))!;
    for (const u of universities) expect(byUniversity).toContain(u.nameZh);
    // What a reader sees (innerText: no hidden text, no watermark drawn from an attribute).
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asked about.
    const visible = await page.locator('.report-page').innerText();
    expect(visible).not.toMatch(codes);
    for (const alt of await page.$$eval('.report-page canvas', (cs) => cs.map((c) => c.getAttribute('aria-label') ?? '')))
      expect(alt).not.toMatch(codes);

    // Every chart draws the figures of the table it sits beside: each of its bars is a row of that table.
    const charts = await page.$$eval('.report-page figure[data-chart-of]', (figures) =>
      figures.map((figure) => {
        const table = document.querySelector(`#report-table-${figure.getAttribute('data-chart-of')}`)!;
        const own = (cell: Element) =>
          [...cell.childNodes]
            .filter((n) =>
              n instanceof HTMLElement
                ? !n.classList.contains('unit') && !n.classList.contains('records')
                : n.nodeType === Node.TEXT_NODE,
            )
            .map((n) => n.textContent)
            .join('')
            .trim();
        return {
          alt: figure.querySelector('canvas')!.getAttribute('aria-label') ?? '',
          title: (figure.querySelector('figcaption')!.textContent ?? '')
            .replace(figure.querySelector('.chart-source')?.textContent ?? '', '')
            .trim(),
          rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map(own)),
          beside: figure.previousElementSibling === table.closest('.report-table-block'),
        };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of charts) {
      expect(chart.beside, chart.title).toBe(true);
      expect(chart.alt.startsWith(`${chart.title}：`)).toBe(true);
      const bars = chart.alt.slice(chart.title.length + 1).split('；');
      expect(bars.length, chart.title).toBeGreaterThan(0);
      for (const bar of bars) {
        const at = bar.lastIndexOf(' ');
        const [label, value] = [bar.slice(0, at), bar.slice(at + 1)];
        expect(
          chart.rows.some(([head, ...cells]) => head === label && cells.includes(value)),
          `${chart.title}: ${bar}`,
        ).toBe(true);
      }
    }

    // The cover: who prepares it (the alliance and its lead), the date (printed today: not submitted), a contact, a seal.
    const block = page.locator('.report-cover [data-cover-block]');
    const lead = universities.find((u) => u.lead)!;
    expect(await block.locator('[data-cover="preparer"] dd').textContent()).toContain(lead.nameZh);
    const printed = new Intl.DateTimeFormat('zh-CN', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'Asia/Shanghai',
    });
    expect(await block.locator('[data-cover="date"] dd').textContent()).toContain(printed.format(new Date()));
    // The commission reads the report it receives: the contact is a line to fill in by hand.
    expect(await block.locator('[data-cover="contact"] .fill-line').count()).toBe(1);
    const seal = (await block.locator('[data-cover="seal"]').boundingBox())!;
    expect(seal.width).toBeGreaterThan(80);
    expect(seal.height).toBeGreaterThan(60);
    // No digest, no data version before the annex.
    const beforeAnnex = await page.$$eval('.report-page > :not([data-section="annex"])', (nodes) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, without what is hidden.
      nodes.map((n) => (n as HTMLElement).innerText).join('\n'),
    );
    expect(beforeAnnex).not.toContain('SHA-256');
    expect(beforeAnnex).not.toContain(live.sha256);
    expect(beforeAnnex).not.toContain('数据版本');
    expect(await page.locator('[data-section="annex"]').textContent()).toContain(live.sha256);

    // Chinese punctuation: no half-width parenthesis, colon, semicolon or comma, except a thousands
    // separator (1,234), a clock (17:05), and the document format's name in the annex (a code).
    const prose = visible.replace(live.sha256, '');
    const halfWidth = [...prose.matchAll(/[();]|:(?!\d)|,(?!\d{3})/g)].map((m) =>
      prose.slice(Math.max(0, m.index - 12), m.index + 12),
    );
    expect(halfWidth).toEqual([]);

    // Column heads break between words only, and a unit never breaks: at the printed page's width.
    await page.setViewportSize({ width: 688, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    const breaks = await page.evaluate(() => {
      const words = new Intl.Segmenter('zh-CN', { granularity: 'word' });
      const bad: string[] = [];
      for (const th of document.querySelectorAll<HTMLElement>('.report-page .report-table thead tr:not(.caption-row) th')) {
        const nodes: Text[] = [];
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!n.parentElement?.closest('.unit')) nodes.push(n as Text);
        const name = nodes.map((n) => n.data).join('');
        const boundaries = new Set([...words.segment(name)].map((s) => s.index));
        let at = 0;
        let top: number | undefined;
        for (const node of nodes) {
          for (let i = 0; i < node.data.length; i++, at++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getClientRects()[0];
            if (!box) continue;
            // A new line starts only at a word's start, never after an opening bracket nor before a closing mark.
            const wrong = !boundaries.has(at) || /[（(【]/.test(name[at - 1] ?? '') || /[）)】、，。：；]/.test(name[at] ?? '');
            if (top !== undefined && box.top > top + 2 && wrong) bad.push(`${name} at ${at}`);
            top = box.top;
          }
        }
        for (const unit of th.querySelectorAll('.unit')) if (unit.getClientRects().length !== 1) bad.push(`${name}: unit broken`);
      }
      return bad;
    });
    expect(breaks).toEqual([]);
    // Back to no emulation: page.pdf() then prints with the print style sheet (after 'screen' it would not).
    await page.emulateMedia({ media: null });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Fewer pages than when every section began a page of its own (the layout before, put back for a print).
    const pdf = await printReport(page);
    const pages = pdfPageCount(pdf);
    expect(pdfInfo(pdf, 'Title')).toContain(live.report.period.label.zh);
    // Search and copy find what the page shows: every member's name, and no radical in place of an ideograph.
    const pdfText = pdfPageTexts(pdf).join('');
    for (const u of universities) expect(pdfText.replaceAll(/\s+/g, ''), u.nameZh).toContain(u.nameZh);
    expect(pdfText.match(/[\u2E80-\u2FDF\u31C0-\u31EF]/gu)).toBeNull();
    // (Through the elements' style: the page's policy admits no inline style sheet.)
    const everySectionOnANewPage = (on: boolean) =>
      page.$$eval(
        '.report-page > .report-section:not(:first-of-type)',
        (sections, on) => {
          for (const section of sections) (section as HTMLElement).style.breakBefore = on ? 'page' : '';
        },
        on,
      );
    await everySectionOnANewPage(true);
    const before = pdfPageCount(await printReport(page));
    await everySectionOnANewPage(false);
    expect(pages).toBeLessThan(before);

    // Each page as a reader sees it, for review; the samples in docs/ when asked for.
    const pngs = await pdfPagePngs(await browser(), pdf);
    expect(pngs.length).toBe(pages);
    savePagePngs('report-zh-pdf', pngs);
    if (process.env.UPDATE_REPORT_SAMPLES) {
      // A page with a table beside its chart: Table 5 and the chart of its levels.
      const tables = pdfPageTexts(pdf).findIndex((text, i) => i > 0 && pdfMatch(text, '表5'));
      writeFileSync(new URL('../../docs/screenshots/report-zh-cover.png', import.meta.url), pngs[0]!);
      writeFileSync(new URL('../../docs/screenshots/report-zh-tables.png', import.meta.url), pngs[Math.max(tables, 1)]!);
    }
    tab.expectNoErrors();
  });

  test('the page’s Download PDF is the server’s print: every member’s Chinese name can be found in its text, no radical', async () => {
    const tab = await openPage(dashboard, 'commission', { lang: 'zh', path: `/#/report?period=${PERIOD}&lang=zh` });
    const { page } = tab;
    await waitForView(page, 'report');
    const link = page.locator('[data-action="download-pdf"]');
    expect((await link.textContent())?.trim()).toBe('下载 PDF');
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`/api/v1/report?period=${PERIOD}&format=pdf&lang=zh`);
    // What the browser saves when the link is followed: the answer's bytes, with the page's session.
    // The server prints it first (a Chromium of its own: seconds, more on a loaded machine).
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 150_000 }), link.click()]);
    expect(download.suggestedFilename()).toBe(`report-${PERIOD}-zh.pdf`);
    const pdf = readFileSync((await download.path())!);
    const text = pdfPageTexts(pdf).join('');
    const { universities } = await leadership.json<{ universities: Array<{ nameZh: string }> }>('/universities');
    for (const u of universities) expect(text.replaceAll(/\s+/g, ''), u.nameZh).toContain(u.nameZh);
    expect(text.match(/[\u2E80-\u2FDF\u31C0-\u31EF]/gu)).toBeNull();
    expect(pdfInfo(pdf, 'Title')).toContain(PERIOD);
    // A second download of the same data is the same print, kept.
    const again = await page.request.get(href);
    expect(again.status()).toBe(200);
    expect(Buffer.compare(await again.body(), pdf)).toBe(0);
    tab.expectNoErrors();
    await tab.close();
  }, 180_000);

  test('a table longer than a page is cut only where its title and column heads repeat', async () => {
    // Forty more members: Table 1a no longer fits on a page.
    const extra = Array.from({ length: 40 }, (_, i) => ({
      code: `XM${String(i + 1).padStart(2, '0')}`,
      name_en: `Extra Member ${String(i + 1).padStart(2, '0')}`,
      name_zh: `增补成员${String(i + 1).padStart(2, '0')}`,
      region_code: 'ZJ',
      member_since: '2020-01-01',
    }));
    await dashboard.database.db.insertInto('university').values(extra).execute();
    try {
      const tab = await openPage(dashboard, 'commission', { lang: 'en', path: `/#/report?period=${PERIOD}&lang=en` });
      // Printed as the command line prints: straight after opening, printReport waits for the view itself.
      const pdf = await printReport(tab.page);
      const caption = (await tab.page.locator('#report-table-summary .caption-row th').textContent())!;
      const pages = pdfPageTexts(pdf).map(squash);
      const withRows = pages.filter((text) => text.includes('ExtraMember'));
      const withTable1a = pages.filter((text) => text.includes(squash(caption)));
      // Table 1a runs over more than one page, and its title repeats on each.
      expect(withTable1a.length).toBeGreaterThanOrEqual(2);
      for (const text of withRows) {
        // Any page with member rows has the head of the table they are in: its title and "University".
        // (the status section's tables are S1 and S2)
        expect(text).toMatch(/Table(\d|S\d)[a-z]?\./);
        expect(text).toContain('University');
      }
      for (const [i, text] of pages.entries()) expect(text.length, `page ${i + 1}`).toBeGreaterThan(60);
      tab.expectNoErrors();
    } finally {
      await dashboard.database.db.deleteFrom('university').where('code', 'like', 'XM%').execute();
    }
  });

  test('print CSS: no navigation, no controls; the period and language pickers change the URL and the report', async () => {
    const tab = await openPage(dashboard, 'commission', { lang: 'en', path: `/#/report?period=${PERIOD}&lang=en` });
    const { page } = tab;
    await waitForView(page, 'report');
    // Commission reads, it does not submit.
    expect(await page.locator('[data-action="submit-report"]').count()).toBe(0);
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.app-header', '.app-footer', '.report-controls', '.table-tools'])
      expect(
        await page
          .locator(selector)
          .first()
          .evaluate((el) => getComputedStyle(el).display),
        selector,
      ).toBe('none');
    await page.emulateMedia({ media: 'screen' });
    await waitForView(page, 'report', { after: () => page.selectOption('#report-part', 'H1') });
    expect(page.url()).toContain(`period=${PERIOD}-H1`);
    expect(await page.locator('.report-cover h1').textContent()).toContain(`H1 ${PERIOD}`);
    await waitForView(page, 'report', { after: () => page.locator('[data-report-lang="zh"]').click() });
    expect(page.url()).toContain('lang=zh');
    expect(await page.locator('.report-cover h1').textContent()).toContain(`${PERIOD}年上半年`);
    expect(await page.locator('.report-page').getAttribute('lang')).toBe('zh-CN');
    // "Download CSV" of a table is the API's CSV of it.
    const href = (await page.locator('[data-table="tech-transfer-modes"] [data-action="download-csv"]').getAttribute('href'))!;
    expect(href).toBe(`/api/v1/report?period=${PERIOD}-H1&format=csv&table=tech-transfer-modes&lang=zh`);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(csv.split('\r\n')[0]).toContain('技术合同签订数');
    expect(csv).toContain('作价投资');
    // "Download XLSX" beside it: the whole report as one workbook, this table a sheet of it.
    const xlsxHref = (await page
      .locator('[data-table="tech-transfer-modes"] [data-action="download-xlsx"]')
      .getAttribute('href'))!;
    expect(xlsxHref).toBe(`/api/v1/report?period=${PERIOD}-H1&format=xlsx&lang=zh`);
    expect(await page.locator('[data-action="download-pdf"] ~ [data-action="download-xlsx"]').getAttribute('href')).toBe(
      xlsxHref,
    );
    const xlsx = await page.request.get(new URL(xlsxHref, page.url()).toString());
    expect(xlsx.headers()['content-type']).toBe(XLSX_TYPE);
    const sheets = readWorkbook(await xlsx.body()).book.SheetNames;
    expect(sheets).toContain('技术合同按方式');
    expect(sheets.slice(0, 2)).toEqual(['封面', '指标定义']);
    tab.expectNoErrors();
  });

  test('leadership submits from the page; the submission reopens exactly as submitted and lists a later change', async () => {
    const period = `${PERIOD}-Q2`;
    const tab = await openPage(dashboard, 'leadership', { lang: 'en', path: `/#/report?period=${period}&lang=en` });
    const { page } = tab;
    await waitForView(page, 'report');
    const liveSha = (await page.locator('.view-report').getAttribute('data-sha256'))!;
    const before = await cellText(page, 'summary', 'alliance', 'tech_transfer.contract_value');
    await page.locator('[data-action="submit-report"]').click();
    // Before freezing it, the dialog says how many university-periods the report draws on are not approved.
    const notFinal = (await page.evaluate(async (p) => {
      const r = await fetch(`/api/v1/report?period=${p}&lang=en`);
      return ((await r.json()) as { report: { status?: { notFinal: unknown[] } } }).report.status?.notFinal.length ?? 0;
    }, period)) as number;
    expect(notFinal).toBeGreaterThan(0);
    const warning = page.locator('.report-submit-dialog [data-not-final]');
    expect(await warning.getAttribute('data-not-final')).toBe(String(notFinal));
    expect(await warning.textContent()).toContain(`${notFinal} university-periods it draws on are not approved`);
    await page.locator('#report-submit-note').fill('Q2 to the commission');
    await waitForView(page, 'report', { after: () => page.locator('[data-action="confirm-submit"]').click() });
    expect(page.url()).toMatch(/submission=\d+/);
    const id = Number(new URLSearchParams(page.url().split('?')[1]).get('submission'));
    expect(await page.locator('.view-report').getAttribute('data-sha256')).toBe(liveSha);
    // The digest is in the annex, not on the cover; the cover is dated the day of the submission, its submitter the contact.
    expect(await page.locator('.report-cover').textContent()).not.toContain(liveSha);
    expect(await page.locator('[data-section="annex"]').textContent()).toContain(liveSha);
    const submittedOn = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(await page.locator('[data-cover="date"] dd').textContent()).toBe(submittedOn);
    const me = await leadership.json<{ name: string }>('/auth/me');
    expect(await page.locator('[data-cover="contact"] dd').textContent()).toBe(me.name);

    // A contract of the quarter changes afterwards.
    const admin = await api(dashboard, 'admin');
    const { rows: records } = await admin.json<{ rows: Array<{ id: number; contract_value_cny: number }> }>(
      `/records/tech_transfer?from=${PERIOD}-04-01&to=${PERIOD}-06-30&pageSize=1`,
    );
    const contract = records[0]!;
    expect(
      (await admin.patch(`/records/tech_transfer/${contract.id}`, { contract_value_cny: contract.contract_value_cny + 10_000 }))
        .status,
    ).toBe(200);

    await page.reload();
    await waitForView(page, 'report');
    const after = await cellText(page, 'summary', 'alliance', 'tech_transfer.contract_value');
    expect(after).toEqual(before);
    expect(await page.locator('.report-cover .status.changed').count()).toBe(1);
    await poll(() => page.locator('#report-table-revisions tbody tr').count()).toBe(1);
    expect(await page.locator('#report-table-revisions tbody').textContent()).toContain('+1.00');
    expect(await page.locator('#report-table-differences tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'report-submitted-en');
    // The live report has moved on.
    const live = await leadership.json<{ sha256: string }>(`/report?period=${period}`);
    expect(live.sha256).not.toBe(liveSha);
    const frozen = await leadership.json<{ submission: { sha256: string } }>(`/report/submissions/${id}`);
    expect(frozen.submission.sha256).toBe(liveSha);
    tab.expectNoErrors();

    // The commission sees the same change as the figures it moves: no record, no editor.
    const seen = await openPage(dashboard, 'commission', { lang: 'en', path: `/${new URL(page.url()).hash}` });
    await waitForView(seen.page, 'report');
    await poll(() => seen.page.locator('#report-table-revisions tbody tr').count()).toBe(1);
    const revisions = (await seen.page.locator('#report-table-revisions').textContent())!;
    expect(revisions).toContain('+1.00');
    expect(revisions).not.toContain('@');
    expect(await seen.page.locator('#report-table-revisions thead tr:not(.caption-row) th').count()).toBe(4);
    expect(await seen.page.locator('[data-note="figures-only"]').count()).toBe(1);
    seen.expectNoErrors();
  });
  test('keyboard focus stays where it is when the period or the language changes', async () => {
    const tab = await openPage(dashboard, 'commission', { lang: 'en', path: `/#/report?period=${PERIOD}&lang=en` });
    const { page } = tab;
    await waitForView(page, 'report');
    const focused = () =>
      page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-report-lang'));
    await page.locator('#report-part').focus();
    await waitForView(page, 'report', { after: () => page.keyboard.press('ArrowDown') });
    expect(page.url()).toContain(`period=${PERIOD}-H1`);
    expect(await page.locator('.report-cover h1').textContent()).toContain(`H1 ${PERIOD}`);
    expect(await focused()).toBe('report-part');
    await page.locator('[data-report-lang="zh"]').focus();
    await waitForView(page, 'report', { after: () => page.keyboard.press('Enter') });
    expect(await page.locator('.report-cover h1').textContent()).toContain(`${PERIOD}年上半年`);
    expect(await focused()).toBe('zh');
    expect(await page.locator('[data-report-lang="zh"]').getAttribute('aria-pressed')).toBe('true');
    tab.expectNoErrors();
  });

  test('while another period or language loads, the page says so, no figures stand under another period, and the keyboard stays', async () => {
    const tab = await openPage(dashboard, 'commission', { lang: 'en', path: `/#/report?period=${PERIOD}&lang=en` });
    const { page } = tab;
    await waitForView(page, 'report');
    // The report's answer is held back until the test has looked at the page.
    const held: Array<() => void> = [];
    const reportRequest = (url: URL) => url.pathname === '/api/v1/report';
    await page.route(reportRequest, async (route) => {
      await new Promise<void>((release) => held.push(release));
      await route.continue();
    });
    const release = async () => {
      while (held.length > 0) held.shift()!();
    };
    const seen = () =>
      page.evaluate(() => {
        const root = document.querySelector<HTMLElement>('.view-report')!;
        const article = root.querySelector<HTMLElement>('.report-page');
        return {
          state: root.dataset.state,
          status: root.querySelector('.report-state')?.textContent?.trim(),
          heading: article?.querySelector('h1')?.textContent ?? null,
          busy: article?.getAttribute('aria-busy') ?? null,
          opacity: article ? Number(getComputedStyle(article).opacity) : null,
          focused: document.activeElement?.id || document.activeElement?.getAttribute('data-report-lang'),
        };
      });
    const total = async (period: string, lang: string) =>
      (await leadership.json<{ report: Doc }>(`/report?period=${period}&lang=${lang}`)).report.summary.rows.at(-1)!.cells[
        'tech_transfer.contract_value'
      ]!.value;

    // Another period, from the keyboard: while it loads the year's figures are gone, the note says why.
    await page.locator('#report-part').focus();
    await page.keyboard.press('ArrowDown');
    await poll(() => held.length).toBe(1);
    await poll(seen).toMatchObject({ state: 'loading', status: 'Loading…', heading: null, focused: 'report-part' });
    expect(await page.locator('#report-part').inputValue()).toBe('H1');
    expect(await page.locator('.view-report table').count()).toBe(0);
    await waitForView(page, 'report', { after: release });
    expect(await seen()).toMatchObject({ state: 'ready', status: '', busy: 'false', opacity: 1, focused: 'report-part' });
    expect((await seen()).heading).toMatch(new RegExp(`^H1 ${PERIOD} `));
    const h1 = await cellText(page, 'summary', 'alliance', 'tech_transfer.contract_value');
    expect(Number(h1.value)).toBe(await total(`${PERIOD}-H1`, 'en'));

    // Another language of the same period: its figures stay, dimmed and marked busy, under their period's heading.
    await page.locator('[data-report-lang="zh"]').focus();
    await page.keyboard.press('Enter');
    await poll(() => held.length).toBe(1);
    await poll(seen).toMatchObject({ state: 'loading', status: 'Loading…', busy: 'true', focused: 'zh' });
    await poll(async () => (await seen()).opacity!).toBeLessThan(1);
    expect((await seen()).heading).toContain(`${PERIOD}年上半年`);
    expect((await cellText(page, 'summary', 'alliance', 'tech_transfer.contract_value')).value).toBe(h1.value);
    await waitForView(page, 'report', { after: release });
    await poll(seen).toMatchObject({ state: 'ready', status: '', busy: 'false', opacity: 1, focused: 'zh' });
    expect((await seen()).heading).toContain(`${PERIOD}年上半年`);
    expect(Number((await cellText(page, 'summary', 'alliance', 'tech_transfer.contract_value')).value)).toBe(
      await total(`${PERIOD}-H1`, 'zh'),
    );
    await page.unroute(reportRequest);
    tab.expectNoErrors();
  });

  test('on a 390 px phone the report reflows: only named, focusable regions scroll sideways; axe finds nothing after the language switch', async () => {
    const tab = await openPage(dashboard, 'leadership', {
      lang: 'en',
      width: 390,
      height: 844,
      path: `/#/report?period=${PERIOD}&lang=en`,
    });
    const { page } = tab;
    await waitForView(page, 'report');
    await waitForView(page, 'report', { after: () => page.locator('[data-report-lang="zh"]').click() });
    expect(await page.locator('.report-page').getAttribute('lang')).toBe('zh-CN');
    const layout = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      /** The region that scrolls `node` sideways: named, reachable from the keyboard. */
      const region = (node: Element) => {
        const box = node.parentElement?.closest('[role="region"]');
        return box &&
          box.getAttribute('tabindex') === '0' &&
          box.getAttribute('aria-label') &&
          getComputedStyle(box).overflowX === 'auto'
          ? box
          : null;
      };
      const outside = [...document.querySelectorAll('body *')].filter((node) => {
        const box = node.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !region(node);
      });
      const regions = [...document.querySelectorAll('.view-report [role="region"]')];
      return {
        width,
        pageWidth: document.documentElement.scrollWidth,
        outside: outside.map((node) => `${node.tagName.toLowerCase()}.${node.className} "${node.textContent?.slice(0, 40)}"`),
        regions: regions.length,
        scrolling: regions.filter((box) => box.scrollWidth > box.clientWidth && region(box.firstElementChild!) === box).length,
      };
    });
    expect(layout.width).toBe(390);
    expect(layout.outside).toEqual([]);
    expect(layout.pageWidth).toBeLessThanOrEqual(layout.width);
    // The wide tables (the comparisons, the national block, the matrices) scroll in their regions.
    expect(layout.scrolling).toBeGreaterThan(0);
    await screenshot(page, 'report-phone-390');

    // axe-core, on the report as switched: no violation (aria-pressed stays on the buttons).
    const violations = (await axeViolations(page, '#view')).map((v) => `${v.id} (${v.help}): ${v.targets.join(', ')}`);
    expect(violations).toEqual([]);
    expect(await page.$$eval('[aria-pressed]', (nodes) => nodes.map((n) => n.tagName))).toEqual(
      expect.arrayContaining(['BUTTON']),
    );
    expect(await page.$$eval('[aria-pressed]', (nodes) => nodes.filter((n) => n.tagName !== 'BUTTON').length)).toBe(0);
    tab.expectNoErrors();
  });
});
