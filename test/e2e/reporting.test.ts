import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIGURE_STATUS_LABELS } from '../../contract/figure-status.js';
import { periodHolding, reportingPeriod } from '../../contract/reporting-periods.js';
import { today } from '../../server/lib/dates.js';
import {
  api,
  axeViolations,
  type Dashboard,
  describeBrowser,
  gotoView,
  openPage,
  poll,
  screenshot,
  startDashboard,
  waitForView,
} from './harness.js';

/** axe-core's serious and critical findings on the page as it stands (an open dialog included), as the accessibility test judges views. */
async function seriousViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/** The quarter that ended last before today (Shanghai): the one a steward submits now. */
function lastEndedQuarter() {
  const current = periodHolding('quarter', today());
  const year = Number(current.key.slice(0, 4));
  const index = Number(current.key.slice(-1));
  return index === 1 ? reportingPeriod('quarter', year - 1, 4) : reportingPeriod('quarter', year, index - 1);
}

interface BoardPeriod {
  period: string;
  status: string;
  late: boolean;
  records: number;
  lastStep: { comment: string | null } | null;
}
interface Board {
  universities: Array<{ university: string; periods: BoardPeriod[] }>;
}

/** The mark beside the by-university figure of USST's quarter, as the steward sees it: status and words. */
async function figureMark(page: Page, quarter: { from: string; to: string }) {
  await gotoView(page, 'universities', {
    from: quarter.from,
    to: quarter.to,
    university: 'USST',
    grain: 'quarter',
    measure: 'tech_transfer.contract_value',
  });
  const mark = page.locator('[data-figure="by-university"] .figure-head .status-mark');
  await poll(() => mark.count()).toBe(1);
  return { status: await mark.getAttribute('data-status'), text: ((await mark.textContent()) ?? '').replace(/\s+/g, ' ').trim() };
}

const cellOf = (page: Page, key: string) => page.locator(`td[data-cell="${key}"]`);
const notice = (page: Page) => page.locator('.view-reporting .records-note[role=status]');

/** Takes a step from the board: opens the cell, presses the step, fills its form, confirms; waits for the board again. */
async function step(page: Page, key: string, action: string, fill?: { name: string; value: string }): Promise<void> {
  await page.locator(`[data-open="${key}"]`).click();
  const detail = page.locator('dialog.cycle-dialog[open]');
  await detail.locator(`[data-action=period-${action}]`).click();
  const form = page.locator('dialog.cycle-step-dialog[open]');
  if (fill) await form.locator(`[name=${fill.name}]`).fill(fill.value);
  await waitForView(page, 'reporting', { after: () => form.locator(`[data-action=confirm-${action}]`).click() });
  await poll(() => page.locator('dialog[open]').count()).toBe(0);
}

describeBrowser('the Reporting view: a quarter from entry to approval', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(() => dashboard?.close());

  test("a steward submits, a reviewer returns it with a comment, the steward corrects and submits again, the reviewer approves; the quarter's figure turns final and the record is then closed", async () => {
    const quarter = lastEndedQuarter();
    const year = quarter.key.slice(0, 4);
    const key = `USST/${quarter.key}`;
    const ref = `E2E-CYCLE-${Date.now()}`;
    const stewardApi = await api(dashboard, 'steward.usst');
    const boardOf = async () =>
      (await stewardApi.json<Board>(`/cycle/board?year=${year}`)).universities[0]!.periods.find((p) => p.period === quarter.key)!;

    // The steward enters a contract signed in the quarter, through the form.
    const steward = await openPage(dashboard, 'steward.usst', { path: '/#/records?kind=tech_transfer' });
    const sp = steward.page;
    await waitForView(sp, 'records');
    await sp.locator('[data-action=new-record]').click();
    const create = sp.locator('dialog[open]');
    await create.locator('[name=ref]').fill(ref);
    await create.locator('[name=mode]').selectOption('license');
    await create.locator('[name=partner_name]').fill('Cycle Partner Co.');
    await create.locator('[name=partner_region_code]').selectOption('JS');
    await create.locator('[name=field_code]').selectOption({ index: 1 });
    await create.locator('[name=signed_on]').fill(quarter.from);
    await create.locator('[name=contract_value_cny]').fill('100');
    await create.locator('[name=patents]').fill('0');
    await waitForView(sp, 'records', { after: () => create.locator('[data-action=save]').click() });
    const before = await boardOf();
    expect(before.records).toBeGreaterThan(0);
    // The quarter's figure is provisional while its period is not approved.
    const P = FIGURE_STATUS_LABELS.P;
    expect(await figureMark(sp, quarter)).toEqual({ status: 'P', text: `${P.symbol} ${P.en}` });

    // The header's to-do counts the steward's open ended periods and links to the board.
    const todo = await stewardApi.json<{ toSubmit: number }>('/cycle/todo');
    const badge = sp.locator('.todo-badge');
    await poll(() => badge.getAttribute('data-count')).toBe(String(todo.toSubmit));
    await badge.screenshot({ path: 'test/artifacts/reporting-todo-badge-steward.png' });
    await waitForView(sp, 'reporting', { after: () => badge.click() });
    await gotoView(sp, 'reporting', { year });
    // The due-next line names a period to submit.
    expect(await sp.locator('.cycle-todo').textContent()).toContain('Due next');
    const cell = cellOf(sp, key);
    expect(await cell.getAttribute('data-status')).toBe(before.status);
    expect(await cell.locator('[data-action=period-records]').textContent()).toContain(String(before.records));

    // Submit, with a note; the keyboard returns to the cell, and the board says what happened.
    await step(sp, key, 'submit', { name: 'note', value: 'Everything of the quarter is in.' });
    await poll(() => cell.getAttribute('data-status')).toBe('submitted');
    expect(await notice(sp).textContent()).toContain(`${quarter.key} of`);
    expect(await sp.evaluate(() => document.activeElement?.getAttribute('data-open'))).toBe(key);
    expect((await boardOf()).status).toBe('submitted');
    // The header's count follows: one period fewer to submit, as the API says.
    const after = await stewardApi.json<{ toSubmit: number }>('/cycle/todo');
    expect(after.toSubmit).toBe(todo.toSubmit - 1);
    if (after.toSubmit > 0) await poll(() => badge.getAttribute('data-count')).toBe(String(after.toSubmit));
    else await poll(() => badge.count()).toBe(0);

    // The reviewer (leadership) sees it waiting, returns it; a comment is required.
    const reviewer = await openPage(dashboard, 'leadership', { path: `/#/reporting?year=${year}` });
    const rp = reviewer.page;
    await waitForView(rp, 'reporting');
    await poll(() => rp.locator('.todo-badge').getAttribute('data-todo')).toBe('review');
    await rp.locator('.todo-badge').screenshot({ path: 'test/artifacts/reporting-todo-badge-review.png' });
    await rp.locator(`[data-open="${key}"]`).click();
    await rp.locator('dialog.cycle-dialog[open] [data-action=period-return]').click();
    const returnForm = rp.locator('dialog.cycle-step-dialog[open]');
    // The form's button says the step it takes.
    expect((await returnForm.locator('[data-action=confirm-return]').textContent())?.trim()).toBe('Return');
    await returnForm.locator('[data-action=confirm-return]').click();
    // Without a comment: the server's problem beside the field, and the keyboard on it.
    await poll(() => returnForm.locator('[data-field=comment] .field-error').textContent()).not.toBe('');
    expect(await rp.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('comment');
    const comment = 'The licence fee of the partner contract is missing.';
    await returnForm.locator('[name=comment]').fill(comment);
    await waitForView(rp, 'reporting', { after: () => returnForm.locator('[data-action=confirm-return]').click() });
    await poll(() => cellOf(rp, key).getAttribute('data-status')).toBe('returned');
    await cellOf(rp, key).screenshot({ path: 'test/artifacts/reporting-returned-cell.png' });

    // The steward sees the comment, corrects the record, submits again.
    await sp.reload();
    await waitForView(sp, 'reporting');
    expect(await cell.locator('.cycle-comment').textContent()).toContain(comment);
    await gotoView(sp, 'records', { kind: 'tech_transfer', q: ref });
    await sp.locator('.records-table tbody tr [data-action=edit]').first().click();
    const edit = sp.locator('dialog[open]');
    await edit.locator('[name=contract_value_cny]').fill('2500');
    await waitForView(sp, 'records', { after: () => edit.locator('[data-action=save]').click() });
    await gotoView(sp, 'reporting', { year });
    await step(sp, key, 'submit');
    await poll(() => cell.getAttribute('data-status')).toBe('submitted');

    // The reviewer approves: the board shows it approved, for both.
    await rp.reload();
    await waitForView(rp, 'reporting');
    await step(rp, key, 'approve');
    await poll(() => cellOf(rp, key).getAttribute('data-status')).toBe('approved');
    expect(await notice(rp).textContent()).toContain('approved');
    await sp.reload();
    await waitForView(sp, 'reporting');
    expect(await cell.getAttribute('data-status')).toBe('approved');
    expect(await cell.locator('.cycle-status-label').textContent()).toContain('Approved');
    expect((await boardOf()).status).toBe('approved');
    // The history says every step, with its comment.
    await sp.locator(`[data-open="${key}"]`).click();
    const history = sp.locator('dialog.cycle-dialog[open] .cycle-history li');
    await poll(() => history.count()).toBe(4);
    // What the submission froze: money to the fen with its unit.
    expect(await sp.locator('dialog.cycle-dialog[open] .cycle-summary').textContent()).toMatch(/¥[\d,]+\.\d{2}/);
    expect(await history.evaluateAll((items) => items.map((i) => i.getAttribute('data-step')))).toEqual([
      'submit',
      'return',
      'submit',
      'approve',
    ]);
    expect(await history.nth(1).textContent()).toContain(comment);
    await screenshot(sp, 'reporting-period-dialog-en');
    expect(await seriousViolations(sp)).toEqual([]);
    await sp.keyboard.press('Escape');

    // Approved: the quarter's figure is final now.
    const F = FIGURE_STATUS_LABELS.F;
    expect(await figureMark(sp, quarter)).toEqual({ status: 'F', text: `${F.symbol} ${F.en}` });

    // The Records view marks the record closed; its edit is disabled with the reason.
    await gotoView(sp, 'records', { kind: 'tech_transfer', q: ref });
    const row = sp.locator('.records-table tbody tr').first();
    await poll(() => row.locator('.closed-mark').count()).toBe(1);
    expect(await row.locator('[data-action=edit]').isDisabled()).toBe(true);
    expect(await row.locator('[data-action=delete]').isDisabled()).toBe(true);
    expect(await row.locator('.closed-reason').textContent()).toContain(quarter.key);
    expect(await row.locator('.closed-reason').textContent()).toContain('administrator can reopen');
    await screenshot(sp, 'reporting-records-closed-en-1280');
    // A record written into the closed quarter through the form: refused (409), and the form says why.
    await sp.locator('[data-action=new-record]').click();
    const refused = sp.locator('dialog[open]');
    await refused.locator('[name=ref]').fill(`${ref}-LATE`);
    await refused.locator('[name=mode]').selectOption('license');
    await refused.locator('[name=partner_name]').fill('Late Partner Co.');
    await refused.locator('[name=partner_region_code]').selectOption('JS');
    await refused.locator('[name=field_code]').selectOption({ index: 1 });
    await refused.locator('[name=signed_on]').fill(quarter.to);
    await refused.locator('[name=contract_value_cny]').fill('100');
    await refused.locator('[name=patents]').fill('0');
    await refused.locator('[data-action=save]').click();
    await poll(() => refused.locator('.form-problems').textContent()).toContain('approved and closed to changes');
    expect(await refused.locator('.form-problems').textContent()).toContain(quarter.key);
    await screenshot(sp, 'reporting-closed-refused-en');
    await sp.keyboard.press('Escape');

    steward.expectNoErrors(/^HTTP 409 POST \/api\/v1\/records\/tech_transfer$/);
    reviewer.expectNoErrors(/^HTTP 400 POST \/api\/v1\/cycle\/periods\/USST\/\d{4}-Q\d\/return$/);
  });

  test('the board in both languages at desk and phone widths: words and symbols for every status, a key, a CSV, and keyboard reach', async () => {
    const year = lastEndedQuarter().key.slice(0, 4);
    for (const [lang, width] of [
      ['en', 1366],
      ['zh', 1366],
      ['en', 390],
      ['zh', 390],
    ] as const) {
      const tab = await openPage(dashboard, 'admin', {
        lang,
        width,
        height: width === 390 ? 844 : 900,
        path: `/#/reporting?year=${year}`,
      });
      const { page } = tab;
      await waitForView(page, 'reporting');
      const admin = await api(dashboard, 'admin');
      const board = await admin.json<Board>(`/cycle/board?year=${year}`);
      const cells = await page.locator('td[data-cell]').count();
      expect(cells).toBe(board.universities.reduce((n, u) => n + u.periods.length, 0));
      // Every cell says its status in words beside its symbol.
      const labels = await page.locator('td[data-cell] .cycle-status-label').allTextContents();
      expect(labels.every((l) => l.trim().length > 1)).toBe(true);
      expect(await page.locator('.cycle-legend li').count()).toBe(7);
      const csv = await page.locator('[data-action=download-csv]').getAttribute('href');
      expect(csv).toBe(`/api/v1/cycle/board?year=${year}&format=csv&lang=${lang}`);
      expect((await admin.get(csv!.replace('/api/v1', ''))).status).toBe(200);
      if (width === 390) {
        // The board scrolls in its own region, with its cue; the page does not.
        const region = page.locator('.view-reporting .table-scroll').first();
        await poll(() => region.getAttribute('data-overflow')).toMatch(/end|both/);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(
          true,
        );
      }
      await screenshot(page, `reporting-board-${lang}-${width}`);
      tab.expectNoErrors();
    }
  });

  test('from the keyboard: Tab reaches a cell, Enter opens its period, Escape closes it and the keyboard is back on the cell', async () => {
    const year = lastEndedQuarter().key.slice(0, 4);
    const tab = await openPage(dashboard, 'steward.njtech', { path: `/#/reporting?year=${year}` });
    const { page } = tab;
    await waitForView(page, 'reporting');
    // A steward sees its own row only.
    expect(
      await page.locator('tbody tr[data-university]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-university'))),
    ).toEqual(['NJTECH']);
    let reached: string | null = null;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-open') ?? null);
    }
    expect(reached).toMatch(/^NJTECH\//);
    await page.keyboard.press('Enter');
    await page.locator('dialog.cycle-dialog[open] .cycle-history, dialog.cycle-dialog[open] .muted').first().waitFor();
    await page.keyboard.press('Escape');
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-open') ?? null)).toBe(reached);
    tab.expectNoErrors();
  });
  test("an administrator changes a university's calendar and a period's due date; a bad value is said beside its field", async () => {
    const year = lastEndedQuarter().key.slice(0, 4);
    const tab = await openPage(dashboard, 'admin', { path: `/#/reporting?year=${year}` });
    const { page } = tab;
    await waitForView(page, 'reporting');
    await page.locator('[data-calendar=AHUT]').click();
    const form = page.locator('dialog.cycle-step-dialog[open]');
    await form.locator('[name=frequency]').selectOption('month');
    await form.locator('[name=dueDays]').fill('400');
    await form.locator('[data-action=save-calendar]').click();
    await poll(() => form.locator('[data-field=dueDays] .field-error').textContent()).toMatch(/366/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await form.locator('[name=dueDays]').getAttribute('aria-invalid')).toBe('true');
    await form.locator('[name=dueDays]').fill('10');
    await waitForView(page, 'reporting', { after: () => form.locator('[data-action=save-calendar]').click() });
    // The board follows: AHUT's periods are months now, and the columns with them.
    const admin = await api(dashboard, 'admin');
    const board = await admin.json<Board>(`/cycle/board?year=${year}`);
    const ahut = board.universities.find((u) => u.university === 'AHUT')!;
    await poll(() => page.locator('tr[data-university=AHUT] td[data-cell]').count()).toBe(ahut.periods.length);
    expect(await page.locator('.cycle-board thead th').count()).toBe(13);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-calendar'))).toBe('AHUT');
    expect(await notice(page).textContent()).toContain('10');

    // A month's own due date.
    const month = ahut.periods[0]!.period;
    await step(page, `AHUT/${month}`, 'due', { name: 'dueOn', value: `${year}-12-31` });
    const after = (await admin.json<Board>(`/cycle/board?year=${year}`)).universities.find((u) => u.university === 'AHUT')!;
    expect(after.periods[0]).toMatchObject({ period: month, dueOn: `${year}-12-31` });
    expect(await cellOf(page, `AHUT/${month}`).textContent()).toContain(`Due Dec 31, ${year}`);
    tab.expectNoErrors(/^HTTP 400 PUT \/api\/v1\/cycle\/calendar\/AHUT$/);
  });
});
