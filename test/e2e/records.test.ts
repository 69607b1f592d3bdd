import { problemText } from '../../client/lib/problem-text.js';
import type { Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { INPUT_COLUMNS, KIND_COLUMNS, KIND_NAMES } from '../../contract/record-columns.js';
import { headerThrough } from '../helpers/csv.js';
import { readWorkbook, XLSX_TYPE } from '../helpers/xlsx.js';
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

/** A page of the records API, as the table should show it. */
interface RecordsAnswer {
  total: number;
  page: number;
  pageSize: number;
  rows: Array<Record<string, string | number | null> & { id: number }>;
}

interface Problem {
  detail: string;
  errors?: Array<{ path?: string; line?: number; column?: string; message: string }>;
  errorCount?: number;
}

// The contract columns up to patents: the rewards after them may be left out.
const HEADER = headerThrough('tech_transfer', 'patents');

/** The rows on screen: each row's id and every cell's raw value (`data-value`), by column. */
function shownRows(page: Page): Promise<Array<{ id: string; cells: Record<string, string> }>> {
  return page.locator('.records-table tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-id') ?? '',
      cells: Object.fromEntries(
        [...row.querySelectorAll('[data-column]')].map((cell) => [
          cell.getAttribute('data-column'),
          cell.getAttribute('data-value'),
        ]),
      ),
    })),
  );
}

/** What the API's rows look like as raw cell values. */
const asCells = (answer: RecordsAnswer, kind: keyof typeof KIND_COLUMNS) =>
  answer.rows.map((row) => ({
    id: String(row.id),
    cells: Object.fromEntries(KIND_COLUMNS[kind].map((c) => [c.name, row[c.name] === null ? '' : String(row[c.name])])),
  }));

const shownTotal = async (page: Page): Promise<number> => Number(await page.locator('.records-total').getAttribute('data-total'));
const chips = (page: Page): Promise<string[]> => page.locator('.records-chips .chip > span:first-child').allTextContents();
const hash = (page: Page): Promise<string> => page.evaluate(() => decodeURIComponent(location.hash));

/** The number of records behind a measure for a filter, from /aggregate?withRecords=true. */
async function aggregateRecords(client: DashboardApi, measure: string, filters: string): Promise<number> {
  const answer = await client.json<{ rows: Array<Record<string, number>> }>(
    `/aggregate?measures=${measure}&withRecords=true${filters ? `&${filters}` : ''}`,
  );
  return answer.rows[0]?.[`${measure}:records`] ?? 0;
}

const csvFile = (name: string, lines: string[]) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(`${lines.join('\r\n')}\r\n`),
});

describeBrowser('the records view', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(() => dashboard?.close());

  test('the table shows the API’s page for the same query: columns, rows, raw values, total, paging and sorting', async () => {
    const admin = await api(dashboard, 'admin');
    const tab = await openPage(dashboard, 'admin', { path: '/#/records?kind=incubation&sort=ref&pageSize=25' });
    const { page } = tab;
    await waitForView(page, 'records');

    // One column per column of the server's registry, in its order.
    expect(
      await page
        .locator('.records-table thead th[data-column]')
        .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column'))),
    ).toEqual(KIND_COLUMNS.incubation.map((c) => c.name));
    const first = await admin.json<RecordsAnswer>('/records/incubation?sort=ref&pageSize=25&page=1');
    expect(await shownRows(page)).toEqual(asCells(first, 'incubation'));
    expect(await shownTotal(page)).toBe(first.total);
    expect(await page.locator('.records-total').textContent()).toBe(`${first.total.toLocaleString('en-US')} records`);
    const pages = Math.ceil(first.total / 25);
    expect(await page.locator('.pager-position').textContent()).toBe(`Page 1 of ${pages}`);
    expect(await page.locator('thead th[data-column=ref]').getAttribute('aria-sort')).toBe('ascending');
    // Shown formatted, with the raw value beside: money in the thousands of yuan its header names, the exact yuan on hover.
    const funding = page.locator('.records-table tbody tr').first().locator('[data-column=funding_cny]');
    const yuan = Number(first.rows[0]!.funding_cny);
    expect(await funding.textContent()).toBe(
      (yuan / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    );
    expect(await funding.locator('span').getAttribute('title')).toBe(
      `¥${yuan.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
    );
    expect(await page.locator('thead th[data-column=funding_cny]').getAttribute('data-unit')).toBe('CNY thousand');

    // Next page, then the last one: the URL holds the page, the rows are the API's.
    await waitForView(page, 'records', { after: () => page.locator('[data-page=next]').first().click() });
    expect(await hash(page)).toContain('page=2');
    const second = await admin.json<RecordsAnswer>('/records/incubation?sort=ref&pageSize=25&page=2');
    expect(await shownRows(page)).toEqual(asCells(second, 'incubation'));
    await waitForView(page, 'records', { after: () => page.locator('[data-page=last]').first().click() });
    expect(await page.locator('.pager-position').textContent()).toBe(`Page ${pages} of ${pages}`);
    expect(await page.locator('[data-page=next]').first().isDisabled()).toBe(true);

    // The back button returns to page 2.
    await waitForView(page, 'records', { after: () => page.goBack() });
    expect(await hash(page)).toContain('page=2');
    expect(await shownRows(page)).toEqual(asCells(second, 'incubation'));

    // A click on a sorted header reverses it, from the first page.
    await waitForView(page, 'records', { after: () => page.locator('th[data-column=ref] button').click() });
    expect(await hash(page)).toContain('sort=-ref');
    expect(await hash(page)).not.toContain('page=');
    expect(await page.locator('thead th[data-column=ref]').getAttribute('aria-sort')).toBe('descending');
    const descending = await admin.json<RecordsAnswer>('/records/incubation?sort=-ref&pageSize=25');
    expect(await shownRows(page)).toEqual(asCells(descending, 'incubation'));

    // Typing in the search box narrows the list (the URL keeps the search, without a history entry per key).
    const before = await page.evaluate(() => history.length);
    await waitForView(page, 'records', { after: () => page.locator('#records-search').fill('INC-USST-2024') });
    expect(await hash(page)).toContain('q=INC-USST-2024');
    expect(await page.evaluate(() => history.length)).toBe(before);
    const searched = await admin.json<RecordsAnswer>('/records/incubation?sort=-ref&pageSize=25&q=INC-USST-2024');
    expect(searched.total).toBeGreaterThan(0);
    expect(await shownTotal(page)).toBe(searched.total);
    expect(await shownRows(page)).toEqual(asCells(searched, 'incubation'));

    // Reloading restores the same state from the URL.
    await page.reload();
    await waitForView(page, 'records');
    expect(await shownRows(page)).toEqual(asCells(searched, 'incubation'));
    expect(await page.locator('#records-search').inputValue()).toBe('INC-USST-2024');
    tab.expectNoErrors();
  });

  test('a drill-down URL shows each filter as a removable chip; its total is the aggregate’s record count, and the CSV holds exactly that selection', async () => {
    const leadership = await api(dashboard, 'leadership');
    const filters = 'university=USST&from=2024-01-01&to=2024-06-30&mode_group=transformation';
    const tab = await openPage(dashboard, 'leadership', { path: `/#/records?kind=tech_transfer&${filters}` });
    const { page } = tab;
    await waitForView(page, 'records');

    expect(await chips(page)).toEqual([
      'From: 2024-01-01',
      'To: 2024-06-30',
      'University: University of Shanghai for Science and Technology',
      'Mode group: Transformation of achievements (transfer, license, equity)',
    ]);
    const expected = await aggregateRecords(leadership, 'tech_transfer.contracts', filters);
    expect(expected).toBeGreaterThan(0);
    expect(await shownTotal(page)).toBe(expected);
    expect((await leadership.json<RecordsAnswer>(`/records/tech_transfer?${filters}`)).total).toBe(expected);
    const rows = await shownRows(page);
    expect(rows.every((r) => r.cells.university_code === 'USST')).toBe(true);
    expect(rows.every((r) => ['transfer', 'license', 'equity'].includes(r.cells.mode!))).toBe(true);

    // The CSV link gives the API's CSV of exactly this selection: a header and one line per record.
    const href = await page.locator('[data-action=download-csv]').getAttribute('href');
    expect(href).toContain('format=csv');
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(KIND_COLUMNS.tech_transfer.map((c) => c.name).join(','));
    expect(lines.length - 1).toBe(expected);
    // "Download XLSX" beside it: the same selection as a workbook.
    const xlsxHref = await page.locator('[data-action=download-xlsx]').getAttribute('href');
    expect(xlsxHref).toBe(href!.replace('format=csv', 'format=xlsx'));
    const xlsx = await page.request.get(xlsxHref!);
    expect(xlsx.headers()['content-type']).toBe(XLSX_TYPE);
    const book = readWorkbook(await xlsx.body());
    const grid = book.grid(book.book.SheetNames[0]!);
    expect(grid[0]!.map((cell) => cell?.v)).toEqual(KIND_COLUMNS.tech_transfer.map((c) => c.name));
    expect(grid.length - 1).toBe(expected);

    // Removing a chip widens the selection, and the count follows the aggregate again.
    await waitForView(page, 'records', { after: () => page.locator('.chip[data-chip="mode_group=transformation"]').click() });
    expect(await hash(page)).not.toContain('mode_group');
    expect(await chips(page)).toHaveLength(3);
    const wider = await aggregateRecords(leadership, 'tech_transfer.contracts', 'university=USST&from=2024-01-01&to=2024-06-30');
    expect(wider).toBeGreaterThan(expected);
    expect(await shownTotal(page)).toBe(wider);

    // Leadership reads only: no new record, import, edit or delete.
    expect(
      await page
        .locator(
          '[data-action=new-record], [data-action=import], [data-action^=template], [data-action=edit], [data-action=delete]',
        )
        .count(),
    ).toBe(0);
    tab.expectNoErrors();
  });

  test('a steward downloads the template of the kind shown, in the language of the interface', async () => {
    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=payment', lang: 'zh' });
    const { page } = tab;
    await waitForView(page, 'records');
    expect(await page.locator('[data-action=template-xlsx]').textContent()).toBe('模板（XLSX）');
    const csvHref = await page.locator('[data-action=template-csv]').getAttribute('href');
    expect(csvHref).toBe('/api/v1/imports/payment/template?format=csv&lang=zh');
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toBe(`\uFEFF${INPUT_COLUMNS.payment.map((c) => c.zh).join(',')}\r\n`);
    const xlsx = await page.request.get((await page.locator('[data-action=template-xlsx]').getAttribute('href'))!);
    expect(xlsx.headers()['content-type']).toBe(XLSX_TYPE);
    const book = readWorkbook(await xlsx.body());
    expect(book.book.SheetNames[0]).toBe(KIND_NAMES.payment.zh);
    expect(book.grid('代码表').map((row) => row[0]?.v)).toEqual(['本校', 'USST']);
    // Another kind: the links follow it.
    await waitForView(page, 'records', { after: () => page.locator('#records-tab-credit').click() });
    expect(await page.locator('[data-action=template-csv]').getAttribute('href')).toBe(
      '/api/v1/imports/credit/template?format=csv&lang=zh',
    );
    tab.expectNoErrors();
  });

  test('a filter that matches nothing says so', async () => {
    const tab = await openPage(dashboard, 'admin', { path: '/#/records?kind=talent&q=no-such-programme-anywhere' });
    await waitForView(tab.page, 'records', { state: 'empty' });
    expect(await tab.page.locator('.records-empty').textContent()).toContain('No records match.');
    expect(await shownTotal(tab.page)).toBe(0);
    tab.expectNoErrors();
  });

  test('a steward sees only its university’s records, edits one, and the change shows in /aggregate', async () => {
    const steward = await api(dashboard, 'steward.usst');
    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer' });
    const { page } = tab;
    await waitForView(page, 'records');
    const answer = await steward.json<RecordsAnswer>('/records/tech_transfer');
    expect(await shownTotal(page)).toBe(answer.total);
    expect(await shownTotal(page)).toBe(await aggregateRecords(steward, 'tech_transfer.contracts', 'university=USST'));
    expect((await shownRows(page)).every((r) => r.cells.university_code === 'USST')).toBe(true);

    const valueBefore = async () =>
      (
        await steward.json<{ rows: Array<Record<string, number>> }>(
          '/aggregate?measures=tech_transfer.contract_value&university=USST',
        )
      ).rows[0]!['tech_transfer.contract_value']!;
    const before = await valueBefore();
    const record = answer.rows[0]!;
    const row = page.locator(`.records-table tbody tr[data-id="${record.id}"]`);
    await row.locator('[data-action=edit]').click();
    const dialog = page.locator('dialog[open]');
    // The steward's university is fixed to its own.
    expect(await dialog.locator('[name=university_code]').isDisabled()).toBe(true);
    expect(await dialog.locator('[name=university_code]').inputValue()).toBe('USST');
    expect(await dialog.locator('[name=contract_value_cny]').inputValue()).toBe(String(record.contract_value_cny));
    const raised = Number(record.contract_value_cny) + 1000;
    await dialog.locator('[name=contract_value_cny]').fill(String(raised));
    await waitForView(page, 'records', { after: () => dialog.locator('[data-action=save]').click() });
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(Number(await row.locator('[data-column=contract_value_cny]').getAttribute('data-value'))).toBe(raised);
    expect(await page.locator('.records-note').textContent()).toContain(String(record.ref));
    expect(await valueBefore()).toBeCloseTo(before + 1000, 2);
    expect((await steward.json<Record<string, unknown>>(`/records/tech_transfer?q=${record.ref}`)) as unknown).toMatchObject({
      rows: [{ id: record.id, contract_value_cny: raised }],
    });
    // An amount typed as an office writes it: 9000万 is saved as 90,000,000 yuan.
    await row.locator('[data-action=edit]').click();
    await dialog.locator('[name=contract_value_cny]').fill('9000万');
    await waitForView(page, 'records', { after: () => dialog.locator('[data-action=save]').click() });
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(Number(await row.locator('[data-column=contract_value_cny]').getAttribute('data-value'))).toBe(90_000_000);
    expect((await steward.json<Record<string, unknown>>(`/records/tech_transfer?q=${record.ref}`)) as unknown).toMatchObject({
      rows: [{ id: record.id, contract_value_cny: 90_000_000 }],
    });
    tab.expectNoErrors();
  });

  test('a steward adds a record through the form, then deletes it after confirming', async () => {
    const steward = await api(dashboard, 'steward.usst');
    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=credit' });
    const { page } = tab;
    await waitForView(page, 'records');
    const before = await shownTotal(page);

    await page.locator('[data-action=new-record]').click();
    const dialog = page.locator('dialog[open]');
    // One labelled field per column of the kind.
    expect(await dialog.locator('[data-field]').evaluateAll((fields) => fields.map((f) => f.getAttribute('data-field')))).toEqual(
      KIND_COLUMNS.credit.map((c) => c.name),
    );
    for (const name of KIND_COLUMNS.credit.map((c) => c.name)) {
      const id = await dialog.locator(`[name=${name}]`).getAttribute('id');
      expect(await dialog.locator(`label[for="${id}"]`).count()).toBe(1);
    }
    await dialog.locator('[name=ref]').fill('E2E-CREDIT-1');
    await dialog.locator('[name=host_university_code]').selectOption('ZJUT');
    await dialog.locator('[name=course]').fill('工程热力学（端到端测试）');
    await dialog.locator('[name=term]').fill('2024-2025-1');
    await dialog.locator('[name=recognized_on]').fill('2025-01-20');
    await dialog.locator('[name=students]').fill('12');
    await dialog.locator('[name=credits]').fill('36');
    await waitForView(page, 'records', { after: () => dialog.locator('[data-action=save]').click() });
    expect(await shownTotal(page)).toBe(before + 1);
    const created = await steward.json<RecordsAnswer>('/records/credit?q=E2E-CREDIT-1');
    expect(created.rows).toHaveLength(1);
    expect(created.rows[0]).toMatchObject({ university_code: 'USST', host_university_code: 'ZJUT', students: 12, credits: 36 });

    // It sorts onto another page: the note offers to show it.
    await waitForView(page, 'records', { after: () => page.locator('.records-note [data-action=show-saved]').click() });
    expect(await hash(page)).toContain('q=E2E-CREDIT-1');
    const row = page.locator(`.records-table tbody tr[data-id="${created.rows[0]!.id}"]`);
    expect(await row.locator('[data-column=host_university_code]').textContent()).toBe('ZJUT');
    expect(await row.locator('[data-column=host_university_code] abbr').getAttribute('title')).toBe(
      'Zhejiang University of Technology',
    );
    await row.locator('[data-action=delete]').click();
    // Cancelling keeps it.
    await page.locator('dialog[open] button.secondary').click();
    expect(await (await steward.json<RecordsAnswer>('/records/credit?q=E2E-CREDIT-1')).total).toBe(1);
    await row.locator('[data-action=delete]').click();
    await waitForView(page, 'records', {
      state: 'empty',
      after: () => page.locator('dialog[open] [data-action=confirm]').click(),
    });
    expect(await shownTotal(page)).toBe(0);
    expect(await page.locator('.records-empty').textContent()).toContain('No records match.');
    expect(await page.locator('.records-note').textContent()).toBe('Deleted E2E-CREDIT-1.');
    // The keyboard is on the records' heading, not lost with the row.
    expect(await page.evaluate(() => document.activeElement?.matches('.records-head h1') ?? false)).toBe(true);
    expect((await steward.json<RecordsAnswer>('/records/credit?q=E2E-CREDIT-1')).total).toBe(0);
    tab.expectNoErrors();
  });

  test('in Chinese, a choice left empty is answered with the choices by their Chinese labels, not their codes', async () => {
    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer', lang: 'zh' });
    const { page } = tab;
    await waitForView(page, 'records');
    await page.locator('[data-action=new-record]').click();
    const create = page.locator('dialog[open]');
    await create.locator('[name=ref]').fill('E2E-EMPTY-MODE');
    await create.locator('[data-action=save]').click();
    const error = create.locator('[data-field=mode] .field-error');
    await expect.poll(() => error.textContent()).toMatch(/^必须是以下之一：/);
    // The labels the form's own choices show, from the registry: never the codes the API takes.
    const labels = await create
      .locator('[name=mode] option')
      .evaluateAll((options) =>
        options.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent!.trim() })).filter((o) => o.value),
      );
    expect(labels.length).toBe(6);
    expect(await error.textContent()).toBe(`必须是以下之一：${labels.map((l) => l.label).join('、')}`);
    expect(await error.textContent()).not.toMatch(/[a-z]/);
    tab.expectNoErrors(/^HTTP 400 POST \/api\/v1\/records\/tech_transfer$/);
  });

  test('a bad field shows the server’s message beside it; a taken reference beside the reference', async () => {
    const steward = await api(dashboard, 'steward.usst');
    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer' });
    const { page } = tab;
    await waitForView(page, 'records');
    // A contract with payments on it: its value may not fall below the cash received.
    const record = (await steward.json<RecordsAnswer>('/records/tech_transfer?pageSize=200')).rows.find(
      (r) => Number(r.received_cny) >= 1,
    )!;
    const tooLow = String(Math.floor(Number(record.received_cny)) - 1);
    // What the server says of this change.
    const refused = await steward.patch(`/records/tech_transfer/${record.id}`, { contract_value_cny: tooLow });
    expect(refused.status).toBe(400);
    const problem = (await refused.json()) as Problem;
    const message = problem.errors!.find((e) => e.path === 'body.contract_value_cny')!.message;
    expect(message).toMatch(/must not be below the cash received on it/);

    await waitForView(page, 'records', { after: () => page.locator('#records-search').fill(String(record.ref)) });
    await page.locator(`.records-table tbody tr[data-id="${record.id}"] [data-action=edit]`).click();
    const dialog = page.locator('dialog[open]');
    // The contract's received total is the payments' sum: shown in the table, not a field of the form.
    expect(await dialog.locator('[name=received_cny]').count()).toBe(0);
    await dialog.locator('[name=contract_value_cny]').fill(tooLow);
    await dialog.locator('[data-action=save]').click();
    const field = dialog.locator('[data-field=contract_value_cny]');
    await expect.poll(() => field.locator('.field-error').textContent()).toBe(message);
    const input = field.locator('input');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const errorId = await field.locator('.field-error').getAttribute('id');
    expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('contract_value_cny');
    expect(await dialog.locator('.form-problems').textContent()).toContain(problem.detail);
    // Only that field is marked.
    expect(await dialog.locator('[aria-invalid=true]').count()).toBe(1);
    await screenshot(page, 'records-form-error-en');
    await page.keyboard.press('Escape');
    // Nothing was saved.
    expect((await steward.json<RecordsAnswer>(`/records/tech_transfer?q=${record.ref}`)).rows[0]!.contract_value_cny).toBe(
      record.contract_value_cny,
    );

    // A new record with a reference the university already has: the 409 names body.ref.
    await page.locator('[data-action=new-record]').click();
    const create = page.locator('dialog[open]');
    await create.locator('[name=ref]').fill(String(record.ref));
    await create.locator('[name=mode]').selectOption('license');
    await create.locator('[name=partner_name]').fill('E2E Partner Co.');
    await create.locator('[name=partner_region_code]').selectOption('JS');
    await create.locator('[name=field_code]').selectOption({ index: 1 });
    await create.locator('[name=signed_on]').fill('2024-06-28');
    await create.locator('[name=contract_value_cny]').fill('100');
    await create.locator('[name=patents]').fill('0');
    await create.locator('[data-action=save]').click();
    await expect
      .poll(() => create.locator('[data-field=ref] .field-error').textContent())
      .toBe('is taken within this university');
    tab.expectNoErrors(
      new RegExp(`^HTTP 400 PATCH /api/v1/records/tech_transfer/${record.id}$`),
      /^HTTP 409 POST \/api\/v1\/records\/tech_transfer$/,
    );
  });

  test('importing a file with bad rows lists their lines and columns, as the API does, and changes nothing', async () => {
    const steward = await api(dashboard, 'steward.usst');
    const before = (await steward.json<RecordsAnswer>('/records/tech_transfer')).total;
    const lines = [
      HEADER,
      'USST,E2E-BAD-1,license,A Co,JS,USST,OPTO,2024-06-28,100,300,2',
      'USST,E2E-BAD-2,lease,B Co,JS,,OPTO,2024-13-01,100,0,1',
      'USST,E2E-GOOD-3,license,C Co,JS,,OPTO,2024-06-28,100,0,1',
      'USST,E2E-BAD-4,license,D Co,XX,,OPTO,2024-06-28,100,0,-1',
    ];
    const file = csvFile('bad-rows.csv', lines);
    const answer = await steward.post('/imports/tech_transfer?dryRun=true', file.buffer.toString());
    expect(answer.status).toBe(422);
    const problem = (await answer.json()) as Problem;

    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer', lang: 'zh' });
    const { page } = tab;
    await waitForView(page, 'records');
    await page.locator('[data-action=import]').click();
    await page.locator('[data-action=choose-file]').setInputFiles(file);
    await page.locator('[data-action=dry-run]').click();
    await page.locator('.import-result[data-state=rejected]').waitFor();
    const shown = await page
      .locator('.import-errors tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(shown.map(([line]) => Number(line))).toEqual(problem.errors!.map((e) => e.line));
    expect(shown.map(([, column]) => column!.split(' ')[0])).toEqual(problem.errors!.map((e) => e.column));
    // The Chinese interface says the server's problems in Chinese, from their codes (contract/problems.ts).
    expect(shown.map(([, , message]) => message)).toEqual(problem.errors!.map((e) => problemText(e, 'zh')));
    expect(shown.some(([, , message]) => /[\u4e00-\u9fff]/.test(message ?? ''))).toBe(true);
    expect([...new Set(shown.map(([line]) => Number(line)))]).toEqual([2, 3, 5]);
    expect(await page.locator('[data-error-count]').getAttribute('data-error-count')).toBe(String(problem.errorCount));
    expect(await page.locator('.import-result [data-action=apply]').count()).toBe(0);
    await screenshot(page, 'records-import-errors-zh');

    // A Windows-1252 file is refused with the hint to save it as CSV UTF-8, naming its line and column.
    const latin1 = Buffer.from(`${HEADER}\r\nUSST,E2E-1252-1,license,Café,JS,,OPTO,2024-06-28,100,0,1\r\n`, 'latin1');
    await page.locator('[data-action=choose-file]').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    await page.locator('[data-action=dry-run]').click();
    await expect.poll(() => page.locator('.import-result .import-error').textContent()).toContain('CSV UTF-8');
    expect(
      await page.locator('.import-errors tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line'))),
    ).toEqual(['2', '2']);

    // A file Excel saved as “CSV” in a Chinese locale (GBK) is read: the dry run says in what.
    const gbk = Buffer.from([
      ...Buffer.from(`${HEADER}\r\nUSST,E2E-GBK-1,license,`),
      0xcb,
      0xd5,
      0xd6,
      0xdd,
      ...Buffer.from(',JS,,OPTO,2024-06-28,100,0,1\r\n'),
    ]);
    await page.locator('[data-action=choose-file]').setInputFiles({ name: 'gbk.csv', mimeType: 'text/csv', buffer: gbk });
    await page.locator('[data-action=dry-run]').click();
    await page.locator('.import-result[data-state=preview]').waitFor();
    const reading = page.locator('.import-result .import-reading');
    expect(await reading.getAttribute('data-encoding')).toBe('gb18030');
    expect(await reading.textContent()).toContain('读取方式：GB18030（GBK，中文版 Excel 的“CSV”），逗号分隔。');
    expect(await reading.locator('.import-sample').textContent()).toBe(
      '按此读取的第一处非 ASCII 文字：第 2 行，partner_name：“苏州”。',
    );

    // Nothing was applied: the same total, through the API and on screen.
    await page.keyboard.press('Escape');
    expect((await steward.json<RecordsAnswer>('/records/tech_transfer')).total).toBe(before);
    expect(await shownTotal(page)).toBe(before);
    tab.expectNoErrors(/^HTTP 422 POST \/api\/v1\/imports\/tech_transfer\?dryRun=true$/);
  });

  test('a good file: the dry run previews the counts and writes nothing; applying imports them; the same file again changes nothing', async () => {
    const steward = await api(dashboard, 'steward.usst');
    const existing = (await steward.json<RecordsAnswer>('/records/tech_transfer?sort=ref&pageSize=1')).rows[0]!;
    const row = (r: Record<string, unknown>) =>
      HEADER.split(',')
        .map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c])))
        .join(',');
    const file = csvFile('good.csv', [
      HEADER,
      'USST,E2E-NEW-1,license,"E2E Partner, Ltd.",JS,,OPTO,2024-06-28,1200000.00,300000.00,2',
      'USST,E2E-NEW-2,development,E2E 合作方,SH,ZJUT,OPTO,2024-12-31,850000,850000,0',
      row({ ...existing, patents: Number(existing.patents) + 1, partner_name: `"${existing.partner_name}"` }),
    ]);
    const before = (await steward.json<RecordsAnswer>('/records/tech_transfer')).total;

    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer' });
    const { page } = tab;
    await waitForView(page, 'records');
    await page.locator('[data-action=import]').click();
    const dialog = page.locator('dialog[open]');
    expect(await dialog.locator('progress').count()).toBe(1);
    await dialog.locator('[data-action=choose-file]').setInputFiles(file);
    await dialog.locator('[data-action=dry-run]').click();
    await dialog.locator('.import-result[data-state=preview]').waitFor();
    const counts = () =>
      dialog
        .locator('.import-counts dd')
        .evaluateAll((dds) => Object.fromEntries(dds.map((dd) => [dd.getAttribute('data-count'), Number(dd.textContent)])));
    expect(await counts()).toEqual({ rows: 3, inserted: 2, updated: 1, unchanged: 0 });
    expect(await dialog.locator('.import-reading').textContent()).toBe(
      'Read as UTF-8, comma-separated. The first text beyond ASCII, as read: line 3, partner_name: “E2E 合作方”.',
    );
    expect((await steward.json<RecordsAnswer>('/records/tech_transfer')).total).toBe(before);
    await screenshot(page, 'records-import-preview-en');

    await waitForView(page, 'records', { after: () => dialog.locator('[data-action=apply]').click() });
    await dialog.locator('.import-result[data-state=applied]').waitFor();
    expect(await counts()).toEqual({ rows: 3, inserted: 2, updated: 1, unchanged: 0 });
    expect((await steward.json<RecordsAnswer>('/records/tech_transfer')).total).toBe(before + 2);
    expect(await shownTotal(page)).toBe(before + 2);
    expect((await steward.json<RecordsAnswer>(`/records/tech_transfer?q=${existing.ref}`)).rows[0]!.patents).toBe(
      Number(existing.patents) + 1,
    );

    // The same file again: every row is unchanged.
    await dialog.locator('[data-action=dry-run]').click();
    await dialog.locator('.import-result[data-state=preview]').waitFor();
    expect(await counts()).toEqual({ rows: 3, inserted: 0, updated: 0, unchanged: 3 });
    await dialog.locator('[data-action=apply]').click();
    await dialog.locator('.import-result[data-state=applied]').waitFor();
    expect(await counts()).toEqual({ rows: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect((await steward.json<RecordsAnswer>('/records/tech_transfer')).total).toBe(before + 2);
    await dialog.locator('[data-action=close-import]').click();
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('import');
    tab.expectNoErrors();
  });

  test('a steward importing another university’s rows is refused with those lines', async () => {
    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer' });
    const { page } = tab;
    await waitForView(page, 'records');
    await page.locator('[data-action=import]').click();
    await page
      .locator('[data-action=choose-file]')
      .setInputFiles(csvFile('other.csv', [HEADER, 'ZJUT,E2E-ZJUT-1,license,A Co,JS,,OPTO,2024-06-28,100,0,2']));
    await page.locator('[data-action=dry-run]').click();
    await page.locator('.import-result[data-state=rejected]').waitFor();
    expect(await page.locator('.import-result .import-error').textContent()).toBe('You may not import these records.');
    expect(await page.locator('.import-errors tbody tr').getAttribute('data-line')).toBe('2');
    tab.expectNoErrors(/^HTTP 403 POST \/api\/v1\/imports\/tech_transfer\?dryRun=true$/);
  });

  test('a workbook with a bad cell is refused naming its sheet and cell, in both languages', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('说明').addRow(['Instructions']);
    const sheet = book.addWorksheet('合同');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['USST', 'E2E-XLSX-1', 'license', 'A Co', 'JS', null, 'OPTO', new Date(Date.UTC(2024, 5, 28)), 100, 0, 2.5]);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    for (const [lang, words] of [
      ['en', 'Sheet 合同, cell K2: '],
      ['zh', '工作表 合同，单元格 K2：'],
    ] as const) {
      const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer', lang });
      const { page } = tab;
      await waitForView(page, 'records');
      await page.locator('[data-action=import]').click();
      expect(await page.locator('[data-action=choose-file]').getAttribute('accept')).toContain('.xlsx');
      await page.locator('[data-action=choose-file]').setInputFiles({ name: 'records.xlsx', mimeType: XLSX_TYPE, buffer });
      await page.locator('[data-action=dry-run]').click();
      await page.locator('.import-result[data-state=rejected]').waitFor();
      const cell = page.locator('.import-errors tbody tr .import-cell');
      expect(await cell.textContent()).toBe(words);
      expect(await cell.getAttribute('data-cell')).toBe('K2');
      expect(await page.locator('.import-errors tbody tr').getAttribute('data-line')).toBe('2');
      tab.expectNoErrors(/^HTTP 422 POST \/api\/v1\/imports\/tech_transfer\?dryRun=true$/);
    }
  });

  test('the commission has no Records link, and #/records shows it no records', async () => {
    const commission = await api(dashboard, 'commission');
    expect((await commission.get('/records/tech_transfer')).status).toBe(403);
    const tab = await openPage(dashboard, 'commission', { path: '/#/records?kind=tech_transfer' });
    const { page } = tab;
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/overview/);
    expect(await page.locator('.app-nav a').allTextContents()).not.toContain('Records');
    expect(await page.locator('.view-records, .records-table').count()).toBe(0);
    tab.expectNoErrors();
  });

  test("a payment's contract is picked from its university's contracts, and the contract's received total follows", async () => {
    const steward = await api(dashboard, 'steward.usst');
    const contracts = (await steward.json<RecordsAnswer>('/records/tech_transfer?pageSize=1000&sort=-signed_on')).rows;
    const roomy = contracts.find((c) => Number(c.contract_value_cny) - Number(c.received_cny) >= 1)!;
    const tab = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=payment', lang: 'zh' });
    const { page } = tab;
    await waitForView(page, 'records');
    await page.locator('[data-action=new-record]').click();
    const dialog = page.locator('dialog[open]');
    await expect.poll(() => dialog.locator('#payment-contracts option').count()).toBe(contracts.length);
    const offered = await dialog
      .locator('#payment-contracts option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(contracts.map((c) => c.ref));
    expect(await dialog.locator('[name=contract_ref]').getAttribute('list')).toBe('payment-contracts');
    await dialog.locator('[name=ref]').fill('E2E-PAY-1');
    await dialog.locator('[name=contract_ref]').fill(String(roomy.ref));
    await dialog.locator('[name=received_on]').fill(String(roomy.signed_on));
    await dialog.locator('[name=amount_cny]').fill('1');
    await dialog.locator('[data-action=save]').click();
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    const after = (await steward.json<RecordsAnswer>(`/records/tech_transfer?q=${roomy.ref}`)).rows[0]!;
    expect(Number(after.received_cny)).toBeCloseTo(Number(roomy.received_cny) + 1, 2);
    await screenshot(page, 'records-payment-zh');
    tab.expectNoErrors();
  });

  test('keyboard: tabs move with the arrow keys; a dialog takes the focus and Escape gives it back', async () => {
    const tab = await openPage(dashboard, 'admin', { path: '/#/records?kind=tech_transfer' });
    const { page } = tab;
    await waitForView(page, 'records');
    await page.locator('#records-tab-tech_transfer').focus();
    await waitForView(page, 'records', { after: () => page.keyboard.press('ArrowRight') });
    expect(await hash(page)).toContain('kind=payment');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('records-tab-payment');
    expect(await page.locator('#records-tab-payment').getAttribute('aria-selected')).toBe('true');

    await page.locator('[data-action=new-record]').focus();
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('new-record');
    tab.expectNoErrors();
  });

  test('keyboard: typing a search, a date or ticking a filter changes the URL and the focus stays where it was', async () => {
    const tab = await openPage(dashboard, 'admin', { path: '/#/records?kind=incubation' });
    const { page } = tab;
    await waitForView(page, 'records');
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('value'));

    // The search: the URL follows the typing; the box keeps the focus and every key typed, also after the list is drawn again.
    await page.locator('#records-search').focus();
    await waitForView(page, 'records', { after: () => page.keyboard.type('INC-USST') });
    expect(await hash(page)).toContain('q=INC-USST');
    expect(await focused()).toBe('records-search');
    await waitForView(page, 'records', { after: () => page.keyboard.type('-2024') });
    expect(await hash(page)).toContain('q=INC-USST-2024');
    expect(await focused()).toBe('records-search');
    expect(await page.locator('#records-search').inputValue()).toBe('INC-USST-2024');

    // A date typed into the period's first day.
    await page.locator('.records-filters summary').click();
    await page.locator('#records-from').focus();
    await page.keyboard.type('01012024');
    await expect.poll(() => hash(page)).toContain('from=2024-01-01');
    await waitForView(page, 'records');
    expect(await focused()).toBe('records-from');
    expect(await page.locator('#records-from').inputValue()).toBe('2024-01-01');

    // A university ticked with the space bar: the URL gains it, the box stays ticked and focused.
    const box = page.locator('input[data-filter=university][value=USST]');
    await box.focus();
    await waitForView(page, 'records', { after: () => page.keyboard.press('Space') });
    expect(await hash(page)).toContain('university=USST');
    expect(await box.isChecked()).toBe(true);
    expect(await focused()).toBe('USST');
    expect(await chips(page)).toContain('University: University of Shanghai for Science and Technology');
    expect((await shownRows(page)).every((r) => r.cells.university_code === 'USST')).toBe(true);
    tab.expectNoErrors();
  });

  test('at tablet width the table scrolls inside its box, not the page', async () => {
    const tab = await openPage(dashboard, 'admin', { path: '/#/records?kind=tech_transfer', width: 768, lang: 'zh' });
    const { page } = tab;
    await waitForView(page, 'records');
    const box = await page
      .locator('.records-results .table-scroll')
      .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.client);
    const view = await page.locator('#view').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(view.scroll).toBeLessThanOrEqual(view.client);
    await screenshot(page, 'records-tablet-zh');
    tab.expectNoErrors();
  });

  test('screenshots of the records view in both languages', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openPage(dashboard, 'admin', {
        lang,
        path: '/#/records?kind=tech_transfer&university=USST&from=2024-01-01&to=2024-12-31&mode_group=transformation',
      });
      await waitForView(tab.page, 'records');
      await tab.page.locator('.records-filters summary').click();
      await tab.page.evaluate(() => document.fonts.ready);
      await screenshot(tab.page, `records-${lang}`);
      tab.expectNoErrors();
      await tab.close();
    }
  });
});
