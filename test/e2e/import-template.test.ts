import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { INPUT_COLUMNS, KIND_COLUMNS } from '../../contract/record-columns.js';
import { XLSX_TYPE } from '../helpers/xlsx.js';
import {
  api,
  type Dashboard,
  type DashboardApi,
  describeBrowser,
  openPage,
  screenshot,
  startDashboard,
  waitForView,
} from './harness.js';

/**
 * The steward's round with a spreadsheet program: the import template is downloaded from the
 * Records view, filled in (by a workbook library, as Excel would save it: dates as date cells,
 * amounts as numbers), imported with one bad cell, which the answer names by sheet and cell, fixed,
 * imported again; and the figures move by exactly what the rows add.
 */

const KIND = 'tech_transfer';
const YEAR = '2024';
const FIGURE_URL = `/#/universities?grain=year&from=${YEAR}-01-01&to=${YEAR}-12-31`;
const MEASURE = 'tech_transfer.contract_value';

/** A university's figure in the Universities view's table: the cell of the year (`data-value`). */
async function shownFigure(page: Page, university: string): Promise<number> {
  const rows = await page.$$eval('[data-figure="by-university"] table tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).dataset.value ?? '')),
  );
  const row = rows.find((r) => r[0] === university);
  if (!row) throw new Error(`no row of ${university} in ${JSON.stringify(rows)}`);
  return Number(row[1]);
}

/** The same figure as the API counts it. */
async function apiFigure(client: DashboardApi, university: string): Promise<number> {
  const answer = await client.json<{ rows: Array<Record<string, number | string>> }>(
    `/aggregate?measures=${MEASURE}&by=university&from=${YEAR}-01-01&to=${YEAR}-12-31`,
  );
  return Number(answer.rows.find((r) => r.university === university)?.[MEASURE] ?? 0);
}

describeBrowser('an import template filled in a spreadsheet program', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(() => dashboard?.close());

  test('a steward downloads the template, fills it, imports it with one bad cell (named by sheet and cell), fixes it, and the figures move', async () => {
    const steward = await api(dashboard, 'steward.usst');
    const leadership = await api(dashboard, 'leadership');
    const before = await apiFigure(leadership, 'USST');

    const figures = await openPage(dashboard, 'leadership', { lang: 'zh', path: FIGURE_URL });
    await waitForView(figures.page, 'universities');
    expect(await shownFigure(figures.page, 'USST')).toBe(before);

    const tab = await openPage(dashboard, 'steward.usst', { lang: 'zh', path: `/#/records?kind=${KIND}` });
    const { page } = tab;
    await waitForView(page, 'records');

    // The template, as the browser saves it.
    const link = page.locator('[data-action=template-xlsx]');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const template = readFileSync((await download.path())!);

    // Filled in: two contracts under the two header rows, typed as a spreadsheet program types them.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const names = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1).map((v) => String(v ?? ''));
    // Row 1 in the page's language (Chinese), row 2 in the other: both name the kind's input columns.
    expect(names(1)).toEqual(INPUT_COLUMNS[KIND].map((c) => c.zh));
    expect(names(2)).toEqual(INPUT_COLUMNS[KIND].map((c) => c.name));
    const index = new Map(names(2).map((name, i) => [name, i + 1]));
    const contracts = [
      { ref: 'XLSX-E2E-1', mode: 'license', partner: 'E2E 合作企业（有限公司）', value: 1_234_567.89, signed: '2024-06-20' },
      { ref: 'XLSX-E2E-2', mode: 'transfer', partner: '=HYPERLINK("x")', value: -500, signed: '2024-06-21' },
    ];
    const fill = (row: number, c: (typeof contracts)[number]) => {
      const set = (column: string, value: ExcelJS.CellValue) => {
        sheet.getRow(row).getCell(index.get(column)!).value = value;
      };
      set('university_code', 'USST');
      set('ref', c.ref);
      set('mode', c.mode);
      set('partner_name', c.partner);
      set('partner_region_code', 'SH');
      set('field_code', 'OPTO');
      set('signed_on', new Date(`${c.signed}T00:00:00Z`));
      set('contract_value_cny', c.value);
      set('patents', 1);
    };
    for (const [i, c] of contracts.entries()) fill(3 + i, c);
    const saved = async () => Buffer.from(await book.xlsx.writeBuffer());
    const badCell = `${sheet.getColumn(index.get('contract_value_cny')!).letter}4`;

    const records = async () => (await steward.json<{ total: number }>(`/records/${KIND}`)).total;
    const total = await records();
    await page.locator('[data-action=import]').click();
    const dialog = page.locator('dialog[open]');
    await dialog
      .locator('[data-action=choose-file]')
      .setInputFiles({ name: '技术转移.xlsx', mimeType: XLSX_TYPE, buffer: await saved() });
    await dialog.locator('[data-action=dry-run]').click();
    await dialog.locator('.import-result[data-state=rejected]').waitFor();
    // The one problem: its sheet and cell, as the spreadsheet shows them.
    const errors = dialog.locator('.import-errors tbody tr');
    expect(await errors.count()).toBe(1);
    const named = errors.locator('.import-cell');
    expect(await named.getAttribute('data-sheet')).toBe(sheet.name);
    expect(await named.getAttribute('data-cell')).toBe(badCell);
    expect(await errors.textContent()).toContain(badCell);
    expect(await errors.textContent()).toContain(sheet.name);
    expect(await dialog.locator('.import-result [data-action=apply]').count()).toBe(0);
    await screenshot(page, 'records-import-xlsx-cell-zh');
    expect(await records()).toBe(total);

    // Fixed in the workbook, the same file imports: previewed, then applied.
    contracts[1]!.value = 500_000;
    fill(4, contracts[1]!);
    await dialog
      .locator('[data-action=choose-file]')
      .setInputFiles({ name: '技术转移.xlsx', mimeType: XLSX_TYPE, buffer: await saved() });
    await dialog.locator('[data-action=dry-run]').click();
    await dialog.locator('.import-result[data-state=preview]').waitFor();
    const counts = () =>
      dialog
        .locator('.import-counts dd')
        .evaluateAll((dds) => Object.fromEntries(dds.map((dd) => [dd.getAttribute('data-count'), Number(dd.textContent)])));
    expect(await counts()).toEqual({ rows: 2, inserted: 2, updated: 0, unchanged: 0 });
    expect(await dialog.locator('.import-reading').textContent()).toContain(sheet.name);
    await waitForView(page, 'records', { after: () => dialog.locator('[data-action=apply]').click() });
    await dialog.locator('.import-result[data-state=applied]').waitFor();
    expect(await records()).toBe(total + 2);

    // The rows as stored: what was typed, the formula-looking partner as text, the amounts to the fen.
    for (const c of contracts) {
      const stored = (await steward.json<{ rows: Array<Record<string, unknown>> }>(`/records/${KIND}?q=${c.ref}`)).rows[0]!;
      expect(stored).toMatchObject({ ref: c.ref, mode: c.mode, partner_name: c.partner, signed_on: c.signed });
      expect(Number(stored.contract_value_cny)).toBe(c.value);
    }
    expect(KIND_COLUMNS[KIND].some((c) => c.name === 'contract_value_cny')).toBe(true);

    // The figures move by exactly what the two contracts add: in the API and on screen.
    const added = Math.round(contracts.reduce((sum, c) => sum + c.value * 100, 0)) / 100;
    const after = await apiFigure(leadership, 'USST');
    expect(Math.round((after - before) * 100) / 100).toBe(added);
    await figures.page.reload();
    await waitForView(figures.page, 'universities');
    expect(await shownFigure(figures.page, 'USST')).toBe(after);
    // The refused dry run is the page's one failed request.
    tab.expectNoErrors(/HTTP 422 POST \/api\/v1\/imports\/tech_transfer\?dryRun=true/);
    figures.expectNoErrors();
  });
});
