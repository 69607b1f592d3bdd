import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIGURE_STATUS_LABELS } from '../../contract/figure-status.js';
import {
  api,
  type Dashboard,
  type DashboardApi,
  describeBrowser,
  gotoView,
  openPage,
  poll,
  startDashboard,
  waitForView,
} from './harness.js';

/**
 * The mark beside a figure follows its university-periods through the cycle: USST's figures of the
 * first quarter of 2024 are provisional on the demo data (nothing is approved), final once that
 * quarter is approved, revised once it is reopened and a record in it changes. The page's mark
 * (symbol and name, in both languages) is the API's status each time.
 */
describeBrowser('the status of figures in the page', () => {
  let dashboard: Dashboard;
  let admin: DashboardApi;
  let leadership: DashboardApi;
  const PARAMS = {
    from: '2024-01-01',
    to: '2024-03-31',
    university: 'USST',
    grain: 'quarter',
    measure: 'tech_transfer.contract_value',
  };
  const api_ = () =>
    leadership.json<{ rows: Array<{ status: 'F' | 'P' | 'R' }> }>(
      `/aggregate?measures=tech_transfer.contract_value&from=${PARAMS.from}&to=${PARAMS.to}&university=USST`,
    );
  beforeAll(async () => {
    dashboard = await startDashboard();
    admin = await api(dashboard, 'admin');
    leadership = await api(dashboard, 'leadership');
  });
  afterAll(() => dashboard?.close());

  /** The figure's mark as the page shows it: its status, its text, and the legend's presence. */
  const markOf = async (page: Page) => {
    const mark = page.locator('[data-figure="by-university"] .figure-head .status-mark');
    return {
      status: await mark.getAttribute('data-status'),
      text: ((await mark.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      legend: await page.locator('[data-figure="by-university"] .status-legend').count(),
    };
  };

  test('provisional, then final after approval, revised after a change in the reopened period; the mark says so in words', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en' });
    const { page } = tab;
    await gotoView(page, 'universities', PARAMS);
    const expectMark = async (lang: 'en' | 'zh') => {
      const status = (await api_()).rows[0]!.status;
      const label = FIGURE_STATUS_LABELS[status];
      await poll(async () => (await markOf(page)).status).toBe(status);
      expect(await markOf(page)).toEqual({ status, text: `${label.symbol} ${label[lang]}`, legend: 1 });
      return status;
    };
    expect(await expectMark('en')).toBe('P');

    expect((await admin.post('/cycle/periods/USST/2024-Q1/submit', {})).status).toBe(200);
    expect((await leadership.post('/cycle/periods/USST/2024-Q1/approve', {})).status).toBe(200);
    await page.reload();
    await waitForView(page, 'universities');
    expect(await expectMark('en')).toBe('F');

    // Beside cash received to date, which draws on every period up to today (open ones too), the
    // approved quarter's contracts stay final: in Trends each measure's cells carry their own status.
    const both = 'tech_transfer.contracts,tech_transfer.received_to_date';
    const [row] = (
      await leadership.json<{ rows: Array<Record<string, string>> }>(
        `/aggregate?measures=${both}&from=${PARAMS.from}&to=${PARAMS.to}&university=USST`,
      )
    ).rows;
    expect([row!['tech_transfer.contracts:status'], row!['tech_transfer.received_to_date:status']]).toEqual(['F', 'P']);
    await gotoView(page, 'trends', {
      from: PARAMS.from,
      to: PARAMS.to,
      grain: 'quarter',
      series: 'measures',
      subject: 'USST',
      measures: both,
    });
    await page.locator('[data-figure="trend"] [data-action=toggle-table]').click();
    const trendCells = page.locator('[data-figure="trend"] table tbody tr').first().locator('td[data-status]');
    await poll(() => trendCells.count()).toBe(2);
    expect(await trendCells.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')))).toEqual(['F', 'P']);
    await gotoView(page, 'universities', PARAMS);

    expect((await admin.post('/cycle/periods/USST/2024-Q1/reopen', { reason: 'A value was mistyped.' })).status).toBe(200);
    const records = await admin.json<{ rows: Array<{ id: number; contract_value_cny: number }> }>(
      '/records/tech_transfer?university=USST&from=2024-01-01&to=2024-03-31&pageSize=1',
    );
    const record = records.rows[0]!;
    expect(
      (await admin.patch(`/records/tech_transfer/${record.id}`, { contract_value_cny: record.contract_value_cny + 1 })).status,
    ).toBe(200);
    await page.reload();
    await waitForView(page, 'universities');
    expect(await expectMark('en')).toBe('R');

    // Over two quarters (the revised first, the provisional second) the table's cells differ: each
    // one not final carries its own mark, the revised one too, so no unmarked cell reads as settled.
    await gotoView(page, 'universities', { ...PARAMS, to: '2024-06-30' });
    await page.locator('[data-figure="by-university"] [data-action=toggle-table]').click();
    const cells = page.locator('[data-figure="by-university"] table :is(td, th)[data-status]');
    await poll(() => cells.count()).toBeGreaterThan(0);
    const marks = await cells.evaluateAll((nodes) =>
      nodes.map((n) => [n.getAttribute('data-status'), n.querySelector('.status-mark')?.getAttribute('data-status') ?? null]),
    );
    expect(marks.some(([status]) => status === 'R')).toBe(true);
    expect(marks.some(([status]) => status === 'P')).toBe(true);
    for (const [status, mark] of marks) expect(mark, JSON.stringify(marks)).toBe(status === 'F' ? null : status);

    tab.expectNoErrors();
    // In Chinese, the same mark in Chinese words.
    const zh = await openPage(dashboard, 'leadership', { lang: 'zh' });
    await gotoView(zh.page, 'universities', PARAMS);
    const label = FIGURE_STATUS_LABELS.R;
    await poll(async () => (await markOf(zh.page)).status).toBe('R');
    expect(await markOf(zh.page)).toEqual({ status: 'R', text: `${label.symbol} ${label.zh}`, legend: 1 });
    zh.expectNoErrors();
  });
});
