import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { renderProblem } from '../../contract/problems.js';
import type { University } from '../../contract/universities.js';
import { today } from '../../server/lib/dates.js';
import { Client } from '../helpers/users.js';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts.js';
import {
  api,
  type Dashboard,
  demoEmail,
  describeBrowser,
  gotoView,
  openPage,
  poll,
  screenshot,
  signInThroughForm,
  startDashboard,
  waitForView,
} from './harness.js';

interface User {
  id: number;
  email: string;
  name: string;
  role: string;
  university: string | null;
  disabled: boolean;
}

interface Target {
  measure: string;
  year: number;
  university: string | null;
  value: number;
}

interface AuditAnswer {
  total: number;
  entries: Array<{ id: number; at: string; action: string; subject: string; before: unknown; after: unknown }>;
}

const YEAR = Number(today().slice(0, 4));
const hash = (page: Page): Promise<string> => page.evaluate(() => decodeURIComponent(location.hash));
const cell = (page: Page, measure: string, university: string) =>
  page.locator(`.targets-grid input[data-measure="${measure}"][data-university="${university}"]`);

describeBrowser('the admin view', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(() => dashboard?.close());

  test('the tab is in the URL: a reload keeps it, the back button returns, the arrow keys move between tabs', async () => {
    const tab = await openPage(dashboard, 'admin', { path: '/#/admin' });
    const { page } = tab;
    await waitForView(page, 'admin');
    expect(await page.locator('[role=tab][aria-selected=true]').textContent()).toBe('Users');
    await waitForView(page, 'admin', { after: () => page.locator('#admin-tab-audit').click() });
    expect(await hash(page)).toBe('#/admin?tab=audit');
    expect(await page.locator('#admin-panel').getAttribute('aria-labelledby')).toBe('admin-tab-audit');
    await page.reload();
    await waitForView(page, 'admin');
    expect(await page.locator('[role=tab][aria-selected=true]').textContent()).toBe('Audit log');
    await waitForView(page, 'admin', { after: () => page.goBack() });
    expect(await page.locator('[role=tab][aria-selected=true]').textContent()).toBe('Users');
    await page.locator('#admin-tab-users').focus();
    await waitForView(page, 'admin', { after: () => page.keyboard.press('ArrowRight') });
    expect(await hash(page)).toBe('#/admin?tab=targets');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('admin-tab-targets');
    tab.expectNoErrors();
  });

  test('only the administrator gets it: another role is sent to its first view, and the API refuses it', async () => {
    const leadership = await api(dashboard, 'leadership');
    expect((await leadership.get('/users')).status).toBe(403);
    expect((await leadership.get('/audit')).status).toBe(403);
    const tab = await openPage(dashboard, 'leadership', { path: '/#/admin?tab=users' });
    await expect.poll(() => tab.page.evaluate(() => location.hash)).toMatch(/^#\/overview/);
    expect(await tab.page.locator('.view-admin').count()).toBe(0);
    tab.expectNoErrors();
  });

  test('the administrator adds a steward (a bad email is marked beside its field), hands over the generated password, changes its role, disables and enables it', async () => {
    // An account of its own makes the database more than the demo, after which the demo password
    // signs nobody in: this test has a dashboard of its own, so the others still sign in as demo accounts.
    const dashboard = await startDashboard();
    try {
      await addsASteward(dashboard);
    } finally {
      await dashboard.close();
    }
    // Its own dashboard (5,000 records seeded) comes first: on a shared two-core machine that alone can take half a minute.
  }, 120_000);

  async function addsASteward(dashboard: Dashboard): Promise<void> {
    const admin = await api(dashboard, 'admin');
    const tab = await openPage(dashboard, 'admin', { path: '/#/admin?tab=users' });
    const { page } = tab;
    await waitForView(page, 'admin');
    const listed = await admin.json<{ users: User[] }>('/users');
    expect(
      await page.locator('.users-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email'))),
    ).toEqual(listed.users.map((u) => u.email));

    // What the server says of a bad email.
    const refused = await admin.post('/users', {
      email: 'not-an-email',
      name: 'E2E Steward',
      role: 'steward',
      university: 'UJS',
      password: 'a long enough password',
    });
    expect(refused.status).toBe(400);
    const message = ((await refused.json()) as { errors: Array<{ path: string; message: string }> }).errors.find(
      (e) => e.path === 'body.email',
    )!.message;

    await page.locator('[data-action=add-user]').click();
    const dialog = page.locator('dialog[open]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
    await dialog.locator('[name=email]').fill('not-an-email');
    await dialog.locator('[name=name]').fill('E2E Steward');
    expect(await dialog.locator('[name=university]').isDisabled()).toBe(true);
    await dialog.locator('[name=role]').selectOption('steward');
    expect(await dialog.locator('[name=university]').isDisabled()).toBe(false);
    await dialog.locator('[name=university]').selectOption('UJS');
    await dialog.locator('[data-action=save-user]').click();
    await expect.poll(() => dialog.locator('[data-field=email] .field-error').textContent()).toBe(message);
    expect(await dialog.locator('[name=email]').getAttribute('aria-invalid')).toBe('true');

    await dialog.locator('[name=email]').fill('e2e.steward@alliance.example');
    await dialog.locator('[data-action=save-user]').click();
    const output = dialog.locator('[data-generated-password]');
    await output.waitFor();
    const password = await output.inputValue();
    expect(password).toHaveLength(20);
    await screenshot(page, 'admin-user-password-en');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('.users-table tr[data-email="e2e.steward@alliance.example"]');
    await row.waitFor();
    expect(await row.locator('td').nth(1).getAttribute('data-value')).toBe('steward');
    expect(await row.locator('td').nth(2).getAttribute('data-value')).toBe('UJS');

    // The generated password is the account's.
    const created = await Client.signIn(dashboard.server, 'e2e.steward@alliance.example', password);
    expect(await (await created.get('/auth/me')).json()).toMatchObject({ role: 'steward', university: 'UJS' });

    // A new role: the university is cleared with it.
    await row.locator('[data-action=edit-user]').click();
    const edit = page.locator('dialog[open]');
    await edit.locator('[name=role]').selectOption('leadership');
    expect(await edit.locator('[name=university]').isDisabled()).toBe(true);
    await waitForView(page, 'admin', { after: () => edit.locator('[data-action=save-user]').click() });
    expect(await row.locator('td').nth(1).getAttribute('data-value')).toBe('leadership');
    expect(await row.locator('td').nth(2).getAttribute('data-value')).toBe('');

    // Disabling asks first, then the person can no longer sign in; enabling lets them in again.
    await row.locator('[data-action=disable-user]').click();
    await waitForView(page, 'admin', { after: () => page.locator('dialog[open] [data-action=confirm]').click() });
    expect(await row.locator('td').nth(3).getAttribute('data-value')).toBe('disabled');
    const users = (await admin.json<{ users: User[] }>('/users')).users;
    expect(users.find((u) => u.email === 'e2e.steward@alliance.example')).toMatchObject({
      role: 'leadership',
      university: null,
      disabled: true,
    });
    await expect(Client.signIn(dashboard.server, 'e2e.steward@alliance.example', password)).rejects.toThrow(/401/);
    await waitForView(page, 'admin', { after: () => row.locator('[data-action=enable-user]').click() });
    expect(await row.locator('td').nth(3).getAttribute('data-value')).toBe('active');
    await Client.signIn(dashboard.server, 'e2e.steward@alliance.example', password);
    tab.expectNoErrors(/^HTTP 400 POST \/api\/v1\/users$/);

    // The database holds an account of its own now: the published demo password opens no demo account,
    // and the form says why instead of calling the password wrong.
    const signedOut = await openPage(dashboard, null, { lang: 'en' });
    await signInThroughForm(signedOut.page, demoEmail('admin'), DEMO_PASSWORD);
    await poll(() => signedOut.page.locator('.form-error').textContent()).toMatch(
      /^This demo account’s password is published.*leave-demo/,
    );
    expect(await signedOut.page.locator('.user-box').count()).toBe(0);
    signedOut.expectNoErrors(/^HTTP 401 POST \/api\/v1\/auth\/login$/);
  }

  test('the administrator edits targets: only changed cells are sent, /targets and /summary show them, an emptied cell removes one, and bad values are marked beside their cells', async () => {
    const admin = await api(dashboard, 'admin');
    const tab = await openPage(dashboard, 'admin', { path: `/#/admin?tab=targets&year=${YEAR}` });
    const { page } = tab;
    await waitForView(page, 'admin');
    const targets = async () => (await admin.json<{ targets: Target[] }>(`/targets?year=${YEAR}`)).targets;
    const find = (list: Target[], measure: string, university: string | null) =>
      list.find((t) => t.measure === measure && t.university === university);
    const before = await targets();

    // Only the flows take targets: the one stock has no row.
    expect(await page.locator('.targets-grid tr[data-measure="incubation.portfolio"]').count()).toBe(0);
    const contracts = cell(page, 'tech_transfer.contracts', 'alliance');
    const old = find(before, 'tech_transfer.contracts', null)?.value;
    expect(await contracts.inputValue()).toBe(old === undefined ? '' : String(old));
    const raised = (old ?? 100) + 7;

    const puts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT') puts.push(request.postData() ?? '');
    });
    await contracts.fill(String(raised));
    expect(await page.locator('[data-action=save-targets]').textContent()).toBe('Save 1 change');
    await waitForView(page, 'admin', { after: () => page.locator('[data-action=save-targets]').click() });
    expect(await page.locator('[data-saved]').textContent()).toBe('Saved: 1 set, 0 removed, 0 unchanged.');
    expect(JSON.parse(puts[0]!)).toEqual({
      targets: [{ measure: 'tech_transfer.contracts', year: YEAR, university: null, value: raised }],
    });
    expect(find(await targets(), 'tech_transfer.contracts', null)?.value).toBe(raised);
    // The summary of this year (its default period) carries the new target.
    const summary = await admin.json<{ measures: Array<{ measure: string; target: number | null }> }>('/summary');
    expect(summary.measures.find((m) => m.measure === 'tech_transfer.contracts')?.target).toBe(raised);
    expect(await contracts.inputValue()).toBe(String(raised));

    // Not a number: marked beside its cell, and nothing is sent.
    const jobs = cell(page, 'incubation.jobs', 'USST');
    const jobsCell = page.locator('.targets-grid td', {
      has: page.locator('input[data-measure="incubation.jobs"][data-university="USST"]'),
    });
    await jobs.fill('many');
    // Said on leaving the cell, before any save.
    await jobs.press('Tab');
    await expect
      .poll(() => jobsCell.locator('.field-error').textContent())
      .toBe('Enter a number of at most two decimals, or leave the cell empty.');
    await page.locator('[data-action=save-targets]').click();
    expect(await jobsCell.locator('.field-error').textContent()).toBe(
      'Enter a number of at most two decimals, or leave the cell empty.',
    );
    expect(await jobs.getAttribute('aria-invalid')).toBe('true');
    expect(puts).toHaveLength(1);

    // Too large for the server: its message beside the cell that carried it.
    await jobs.fill('9999999999999999');
    await page.locator('[data-action=save-targets]').click();
    await expect.poll(() => jobsCell.locator('.field-error').textContent()).toBe('is too large');
    expect(puts).toHaveLength(2);

    // Emptying a cell removes its target.
    await page.locator('[data-action=discard-targets]').click();
    const entered = cell(page, 'incubation.entered', 'USST');
    expect(find(before, 'incubation.entered', 'USST')).toBeDefined();
    await entered.fill('');
    await waitForView(page, 'admin', { after: () => page.locator('[data-action=save-targets]').click() });
    expect(await page.locator('[data-saved]').textContent()).toBe('Saved: 0 set, 1 removed, 0 unchanged.');
    expect(find(await targets(), 'incubation.entered', 'USST')).toBeUndefined();
    expect(await entered.inputValue()).toBe('');

    // Another year: the URL holds it.
    await waitForView(page, 'admin', { after: () => page.locator('#targets-year').selectOption(String(YEAR - 1)) });
    expect(await hash(page)).toBe(`#/admin?tab=targets&year=${YEAR - 1}`);
    expect(await page.locator('.targets-grid').getAttribute('data-year')).toBe(String(YEAR - 1));
    tab.expectNoErrors(/^HTTP 400 PUT \/api\/v1\/targets$/);
  });

  test('the audit log lists what was just done, newest first, opens an entry’s before and after, and filters by action', async () => {
    const admin = await api(dashboard, 'admin');
    // A change of its own to look for.
    const put = await admin.put('/targets', {
      targets: [{ measure: 'credits.credits', year: YEAR, university: 'ZJUT', value: 4321 }],
    });
    expect(put.status).toBe(200);
    const expected = await admin.json<AuditAnswer>('/audit?action=target_change&pageSize=50');

    const tab = await openPage(dashboard, 'admin', { path: '/#/admin?tab=audit&action=target_change' });
    const { page } = tab;
    await waitForView(page, 'admin');
    expect(await page.locator('#audit-action').inputValue()).toBe('target_change');
    expect(Number(await page.locator('.records-total').getAttribute('data-total'))).toBe(expected.total);
    const rows = page.locator('.audit-table tbody tr[data-id]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.subject')?.textContent))).toEqual(
      expected.entries.map((e) => e.subject),
    );
    const first = expected.entries[0]!;
    expect(first.subject).toBe(`target:credits.credits/${YEAR}/ZJUT`);
    expect(await rows.first().locator('time').getAttribute('datetime')).toBe(first.at);

    const toggle = rows.first().locator('[data-action=expand]');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const detail = page.locator(`#audit-detail-${first.id}`);
    expect(await detail.isVisible()).toBe(true);
    const value = detail.locator('.audit-diff tr[data-field=value] td');
    expect(await value.allTextContents()).toEqual([
      first.before === null ? '—' : String((first.before as { value: number }).value),
      String((first.after as { value: number }).value),
    ]);
    await screenshot(page, 'admin-audit-detail-en');

    // Filter through the form: choosing an action moves the URL, and the list follows.
    await waitForView(page, 'admin', { after: () => page.locator('#audit-action').selectOption('login') });
    expect(await hash(page)).toContain('action=login');
    const logins = await admin.json<AuditAnswer>('/audit?action=login');
    expect(Number(await page.locator('.records-total').getAttribute('data-total'))).toBe(logins.total);
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))))).toEqual(new Set(['login']));
    await waitForView(page, 'admin', { after: () => page.locator('.audit-filters button.secondary').click() });
    expect(await hash(page)).toBe('#/admin?tab=audit');
    tab.expectNoErrors();
  });

  test('typing in the audit log’s filters moves the URL and the list while the keyboard focus stays in the field', async () => {
    const admin = await api(dashboard, 'admin');
    const tab = await openPage(dashboard, 'admin', { path: '/#/admin?tab=audit' });
    const { page } = tab;
    await waitForView(page, 'admin');
    const focused = () => page.evaluate(() => document.activeElement?.id);
    const total = async () => Number(await page.locator('.records-total').getAttribute('data-total'));

    await page.locator('#audit-subject').focus();
    await waitForView(page, 'admin', { after: () => page.keyboard.type('target:') });
    await poll(() => hash(page)).toBe('#/admin?tab=audit&subject=target:');
    expect(await focused()).toBe('audit-subject');
    expect(await page.locator('#audit-subject').inputValue()).toBe('target:');
    await poll(total).toBe((await admin.json<AuditAnswer>('/audit?subject=target%3A')).total);

    // A date typed from the keyboard, segment by segment (the page's locale writes month/day/year).
    const from = `${YEAR}-01-01`;
    await page.locator('#audit-from').focus();
    await waitForView(page, 'admin', { after: () => page.keyboard.type(`0101${YEAR}`) });
    await poll(() => hash(page)).toBe(`#/admin?tab=audit&subject=target:&from=${from}`);
    expect(await focused()).toBe('audit-from');
    expect(await page.locator('#audit-from').inputValue()).toBe(from);
    await poll(total).toBe((await admin.json<AuditAnswer>(`/audit?subject=target%3A&from=${from}`)).total);

    // Reset: the URL wins over what was typed.
    await waitForView(page, 'admin', { after: () => page.locator('.audit-filters button.secondary').click() });
    expect(await hash(page)).toBe('#/admin?tab=audit');
    expect(await page.locator('#audit-from').inputValue()).toBe('');
    expect(await page.locator('#audit-subject').inputValue()).toBe('');
    tab.expectNoErrors();
  });

  test('a warning stands beside the alliance’s target as soon as the universities’ targets typed for the measure add up to more: the save goes through, and the server’s sum is shown', async () => {
    const admin = await api(dashboard, 'admin');
    const tab = await openPage(dashboard, 'admin', { path: `/#/admin?tab=targets&year=${YEAR}` });
    const { page } = tab;
    await waitForView(page, 'admin');
    const measure = 'talent.trainees';
    const row = page.locator(`.targets-grid tr[data-measure="${measure}"]`);
    const warning = row.locator('td', { has: page.locator('input[data-university=alliance]') }).locator('.target-warning');
    /** The universities' saved targets of the measure, summed from the API's rows. */
    const savedSum = async () =>
      (await admin.json<{ targets: Target[] }>(`/targets?year=${YEAR}&measure=${measure}`)).targets
        .filter((t) => t.university !== null)
        .reduce((sum, t) => sum + t.value, 0);
    expect(await warning.count()).toBe(0);

    // The universities 1 above the alliance, saved: not refused, and the grid warns of it with their sum.
    const before = await savedSum();
    const usst = Number((await cell(page, measure, 'USST').inputValue()) || 0);
    await cell(page, measure, 'USST').fill(String(usst + 1));
    const members = before + 1;
    // The alliance's cell is sent only when it changes (the demo's alliance target is the universities' sum).
    const set = (await cell(page, measure, 'alliance').inputValue()) === String(members - 1) ? 1 : 2;
    await cell(page, measure, 'alliance').fill(String(members - 1));
    // Said while typing, before anything is saved: the sum of the cells as typed.
    const typedSum = await row
      .locator('input:not([data-university=alliance])')
      .evaluateAll((inputs) => inputs.reduce((sum, i) => sum + Number((i as HTMLInputElement).value || 0), 0));
    expect(typedSum).toBe(members);
    await poll(() => warning.getAttribute('data-over-alliance')).toBe(String(typedSum));
    expect(await warning.getAttribute('data-alliance')).toBe(String(members - 1));
    // Back to equal while typing: the warning goes, and comes back.
    await cell(page, measure, 'alliance').fill(String(members));
    expect(await warning.count()).toBe(0);
    await cell(page, measure, 'alliance').fill(String(members - 1));
    expect(await warning.count()).toBe(1);
    await waitForView(page, 'admin', { after: () => page.locator('[data-action=save-targets]').click() });
    expect(await page.locator('[data-saved]').textContent()).toBe(
      `Saved: ${set} set, 0 removed, 0 unchanged. Saved all the same, but for 1 measure the universities’ targets now add up to more than the alliance’s: see the warning in the grid.`,
    );
    const sum = await savedSum();
    expect(sum).toBe(members);
    await poll(() => warning.getAttribute('data-over-alliance')).toBe(String(sum));
    expect(await warning.getAttribute('data-alliance')).toBe(String(sum - 1));
    expect(await warning.textContent()).toContain('more than the alliance’s');
    expect(await cell(page, measure, 'alliance').getAttribute('aria-describedby')).toContain(await warning.getAttribute('id'));
    // The grid warns of the measures the server names, and of no other.
    const named = (await admin.json<{ warnings: Array<{ measure: string }> }>(`/targets?year=${YEAR}`)).warnings;
    expect(named.map((w) => w.measure)).toContain(measure);
    expect(
      await page
        .locator('.targets-grid tr[data-measure]', { has: page.locator('.target-warning') })
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-measure')!).sort()),
    ).toEqual(named.map((w) => w.measure).sort());
    await screenshot(page, 'admin-targets-warning-en');

    // Equal is not above: saved, the warning goes.
    await cell(page, measure, 'alliance').fill(String(sum));
    await waitForView(page, 'admin', { after: () => page.locator('[data-action=save-targets]').click() });
    expect(await page.locator('[data-saved]').textContent()).toBe('Saved: 1 set, 0 removed, 0 unchanged.');
    expect(await warning.count()).toBe(0);
    tab.expectNoErrors();
  });

  test('in Chinese, the targets grid and the accounts name the universities, a cell left holding what is not a number says so, a warning comes while typing, and a bad province is answered with the choices', async () => {
    const admin = await api(dashboard, 'admin');
    const universities = (await admin.json<{ universities: University[] }>('/universities')).universities;
    const nameZh = new Map(universities.map((u) => [u.code, u.nameZh]));
    const tab = await openPage(dashboard, 'admin', { lang: 'zh', path: `/#/admin?tab=targets&year=${YEAR}` });
    const { page } = tab;
    await waitForView(page, 'admin');

    // The columns are the members by their Chinese names, never their codes.
    const heads = (await page.locator('.targets-grid thead th').allTextContents()).map((h) => h.trim());
    expect(heads).toEqual(['指标', '全联盟', ...universities.map((u) => u.nameZh)]);
    for (const u of universities) expect(heads).not.toContain(u.code);

    // Left holding what is not a number: said beside the cell on leaving it, before any save.
    const other = universities[1]!.code;
    const jobs = cell(page, 'incubation.jobs', other);
    const jobsCell = page.locator('.targets-grid td', {
      has: page.locator(`input[data-measure="incubation.jobs"][data-university="${other}"]`),
    });
    await jobs.fill('abc');
    expect(await jobsCell.locator('.field-error').isVisible()).toBe(false);
    await jobs.press('Tab');
    await poll(() => jobsCell.locator('.field-error').textContent()).toBe('请输入最多两位小数的数字，或留空。');
    expect(await jobsCell.locator('.field-error').isVisible()).toBe(true);
    expect(await jobs.getAttribute('aria-invalid')).toBe('true');
    expect(await jobs.getAttribute('aria-describedby')).toContain(await jobsCell.locator('.field-error').getAttribute('id'));
    // Typing again clears it.
    await jobs.fill('12');
    expect(await jobsCell.locator('.field-error').isVisible()).toBe(false);

    // Typed above the alliance's: the warning comes at once, with the sum of the cells as typed.
    const measure = 'talent.graduates';
    const row = page.locator(`.targets-grid tr[data-measure="${measure}"]`);
    const warning = row.locator('.target-warning');
    await cell(page, measure, 'alliance').fill('10');
    await cell(page, measure, universities[0]!.code).fill('11');
    const typed = await row
      .locator('input:not([data-university=alliance])')
      .evaluateAll((inputs) => inputs.reduce((sum, i) => sum + Number((i as HTMLInputElement).value || 0), 0));
    expect(typed).toBeGreaterThan(10);
    await poll(() => warning.getAttribute('data-over-alliance')).toBe(String(typed));
    expect(await warning.textContent()).toMatch(/^提示：各高校目标合计 .+，超过全联盟目标 10\D*。$/);
    await page.locator('[data-action=discard-targets]').click();
    expect(await warning.count()).toBe(0);

    // The accounts name each steward's university in Chinese.
    await waitForView(page, 'admin', { after: () => page.locator('#admin-tab-users').click() });
    const stewards = (await admin.json<{ users: User[] }>('/users')).users.filter((u) => u.university !== null);
    expect(stewards.length).toBeGreaterThan(0);
    for (const user of stewards)
      expect(await page.locator(`.users-table tr[data-email="${user.email}"] td`).nth(2).textContent()).toBe(
        nameZh.get(user.university!),
      );

    // A province that is no choice (an option's value altered in the page): the province field, and its choices by their labels.
    await waitForView(page, 'admin', { after: () => page.locator('#admin-tab-universities').click() });
    const meta = await admin.json<{ regions: Array<{ code: string; nameZh: string }> }>('/meta');
    await page.locator('[data-action=add-university]').click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('[name=code]').fill('E2EP');
    await dialog.locator('[name=nameEn]').fill('E2E Province Test');
    await dialog.locator('[name=nameZh]').fill('省份测试大学');
    await dialog.locator('[name=memberSince]').fill(today());
    await dialog.locator('[name=region]').selectOption('JS');
    await dialog.locator('[name=region]').evaluate((select: HTMLSelectElement) => {
      select.options[select.selectedIndex]!.value = 'x';
    });
    await dialog.locator('[data-action=save-university]').click();
    const error = dialog.locator('[data-field=region] .field-error');
    await poll(() => error.textContent()).toBe(
      `所在省市必须是以下之一：${meta.regions.map((r) => `${r.code} · ${r.nameZh}`).join('、')}`,
    );
    expect(await dialog.locator('[name=region]').getAttribute('aria-invalid')).toBe('true');
    await dialog.locator('.dialog-close').click();
    expect((await admin.json<{ universities: University[] }>('/universities')).universities.map((u) => u.code)).not.toContain(
      'E2EP',
    );

    // The lead: no Remove button, and its flag is not offered for taking off (the hint says how to move it).
    const lead = universities.find((u) => u.lead)!;
    const leadRow = page.locator(`.universities-table tr[data-code="${lead.code}"]`);
    expect(await leadRow.locator('[data-action=remove-university]').count()).toBe(0);
    await leadRow.locator('[data-action=edit-university]').click();
    const edit = page.locator('dialog[open]');
    expect(await edit.locator('[name=lead]').isChecked()).toBe(true);
    expect(await edit.locator('[name=lead]').isDisabled()).toBe(true);
    expect(await edit.locator('[data-field=lead] .field-hint').textContent()).toContain('请将另一所高校设为牵头高校');
    await edit.locator('.dialog-close').click();
    tab.expectNoErrors(/^HTTP 400 POST \/api\/v1\/universities$/);
  });

  test('the administrator adds a member university in its tab (a join date after today is refused beside its field), renames it, finds the new name in a chart’s filter without a reload, and removes it; one with records is kept', async () => {
    const admin = await api(dashboard, 'admin');
    const members = async () => (await admin.json<{ universities: University[] }>('/universities')).universities;
    // In Chinese: a chart's filter names the universities there (in English it shows their codes).
    const tab = await openPage(dashboard, 'admin', { lang: 'zh', path: '/#/admin' });
    const { page } = tab;
    await waitForView(page, 'admin');
    // Marks this document: a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { e2eSameDocument: boolean }).e2eSameDocument = true;
    });
    const sameDocument = () => page.evaluate(() => (window as unknown as { e2eSameDocument?: boolean }).e2eSameDocument === true);

    // The banner over the demo's stand-in members takes the administrator to the tab.
    const link = page.locator('.demo-banner a[data-action=edit-members]');
    expect(await link.getAttribute('href')).toBe('#/admin?tab=universities');
    await waitForView(page, 'admin', { after: () => link.click() });
    expect(await hash(page)).toBe('#/admin?tab=universities');
    const rows = page.locator('.universities-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')))).toEqual(
      (await members()).map((u) => u.code),
    );

    // A join date after today, where the alliance is: the server refuses it, and the form says so beside the field.
    const tomorrow = new Date(Date.parse(`${today()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const refused = await admin.post('/universities', {
      code: 'E2EU',
      nameEn: 'x',
      nameZh: 'x',
      region: 'SH',
      memberSince: tomorrow,
    });
    expect(refused.status).toBe(400);
    const problem = ((await refused.json()) as { errors: Array<{ path: string; code: string; params: unknown }> }).errors.find(
      (e) => e.path === 'body.memberSince',
    )!;

    await page.locator('[data-action=add-university]').click();
    const dialog = page.locator('dialog[open]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('code');
    await dialog.locator('[name=code]').fill('e2eu');
    await dialog.locator('[name=nameEn]').fill('E2E University');
    await dialog.locator('[name=nameZh]').fill('端到端大学');
    await dialog.locator('[name=region]').selectOption('JS');
    await dialog.locator('[name=memberSince]').fill(tomorrow);
    await dialog.locator('[data-action=save-university]').click();
    await poll(() => dialog.locator('[data-field=memberSince] .field-error').textContent()).toBe(renderProblem(problem, 'zh'));
    expect(await dialog.locator('[name=memberSince]').getAttribute('aria-invalid')).toBe('true');

    await dialog.locator('[name=memberSince]').fill(today());
    await waitForView(page, 'admin', { after: () => dialog.locator('[data-action=save-university]').click() });
    const row = page.locator('.universities-table tr[data-code=E2EU]');
    await row.waitFor();
    expect(await row.locator('[data-field=nameZh]').textContent()).toBe('端到端大学');
    expect(await row.locator('[data-field=region]').getAttribute('data-value')).toBe('JS');
    expect((await members()).find((u) => u.code === 'E2EU')).toEqual({
      code: 'E2EU',
      nameEn: 'E2E University',
      nameZh: '端到端大学',
      region: 'JS',
      memberSince: today(),
      lead: false,
      inUse: false,
    });

    // Renamed: the code stays, the names change.
    await row.locator('[data-action=edit-university]').click();
    const edit = page.locator('dialog[open]');
    expect(await edit.locator('[name=code]').count()).toBe(0);
    await edit.locator('[name=nameEn]').fill('E2E University, renamed');
    await edit.locator('[name=nameZh]').fill('端到端理工大学');
    await waitForView(page, 'admin', { after: () => edit.locator('[data-action=save-university]').click() });
    await poll(() => row.locator('[data-field=nameZh]').textContent()).toBe('端到端理工大学');
    expect((await members()).find((u) => u.code === 'E2EU')).toMatchObject({
      nameEn: 'E2E University, renamed',
      nameZh: '端到端理工大学',
    });
    await screenshot(page, 'admin-universities-zh');

    // A chart view, reached through the header: its filter lists the member by its new name, in the same document.
    await waitForView(page, 'universities', { after: () => page.locator('.app-nav a[data-view=universities]').click() });
    const choice = page.locator('fieldset[data-filter=university] label', { has: page.locator('input[value=E2EU]') });
    expect(await choice.textContent()).toBe('端到端理工大学');
    expect(await sameDocument()).toBe(true);

    // Back to the tab: a member with records is kept, so it offers no Remove, and says why.
    await gotoView(page, 'admin', { tab: 'universities' });
    // Not the lead, which is kept as the lead (another is named the lead first).
    const kept = (await members()).find((u) => u.code !== 'E2EU' && !u.lead)!;
    expect((await admin.delete(`/universities/${kept.code}`)).status).toBe(409);
    const keptRow = page.locator(`.universities-table tr[data-code="${kept.code}"]`);
    expect(await keptRow.locator('[data-action=remove-university]').count()).toBe(0);
    expect(await keptRow.locator('[data-in-use]').textContent()).toBe('使用中，不可删除');
    expect((await members()).some((u) => u.code === kept.code)).toBe(true);

    // The new one has nothing that names it: asked first, then removed, from the tab and from the filters.
    await page.locator('.universities-table tr[data-code=E2EU] [data-action=remove-university]').click();
    await waitForView(page, 'admin', { after: () => page.locator('dialog[open] [data-action=confirm]').click() });
    await poll(() => page.locator('.universities-table tr[data-code=E2EU]').count()).toBe(0);
    expect((await members()).some((u) => u.code === 'E2EU')).toBe(false);
    await waitForView(page, 'universities', { after: () => page.locator('.app-nav a[data-view=universities]').click() });
    expect(await page.locator('fieldset[data-filter=university] input[value=E2EU]').count()).toBe(0);
    expect(await sameDocument()).toBe(true);
    tab.expectNoErrors(/^HTTP 400 POST \/api\/v1\/universities$/);
  });

  test('screenshots of each tab in both languages', async () => {
    // One page per language, going from tab to tab as a person would: each tab opens without an error.
    const [first, ...others] = ['users', 'targets', 'universities', 'audit', 'mail'] as const;
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openPage(dashboard, 'admin', { lang, path: `/#/admin?tab=${first}` });
      await waitForView(tab.page, 'admin');
      for (const name of [first, ...others]) {
        if (name !== first) await waitForView(tab.page, 'admin', { after: () => tab.page.locator(`#admin-tab-${name}`).click() });
        expect(await tab.page.locator('#admin-panel').getAttribute('aria-labelledby')).toBe(`admin-tab-${name}`);
        await tab.page.evaluate(() => document.fonts.ready);
        await screenshot(tab.page, `admin-${name}-${lang}`);
      }
      tab.expectNoErrors();
      await tab.close();
    }
  });

  // Last: it removes the demo accounts every other test signs in with.
  test('the administrator leaves demo mode: refused until an administrator of its own exists, then confirmed, the demo accounts and records are gone and the sign-in page no longer lists them', async () => {
    const admin = await api(dashboard, 'admin');
    const tab = await openPage(dashboard, 'admin', { path: '/#/admin?tab=users' });
    const { page } = tab;
    await waitForView(page, 'admin');
    const box = page.locator('.admin-demo');
    await expect.poll(() => box.getAttribute('data-demo-accounts')).toBe('8');
    expect(await box.locator('[data-action=leave-demo]').isDisabled()).toBe(true);
    expect(await box.textContent()).toContain('administrator account of your own');

    const own = await admin.post('/users', {
      email: 'ops@alliance.test',
      name: 'Operations',
      role: 'admin',
      password: 'an operator password',
    });
    expect(own.status).toBe(201);
    await page.reload();
    await waitForView(page, 'admin');
    await expect.poll(() => box.locator('[data-action=leave-demo]').isEnabled()).toBe(true);
    await box.locator('[data-demo-records=remove]').check();
    await box.locator('[data-action=leave-demo]').click();
    const dialog = page.locator('.confirm-dialog');
    expect(await dialog.textContent()).toContain('8 demo accounts');
    await dialog.locator('[data-action=confirm]').click();

    // The demo administrator's own session went with it: the page signs out, and lists no demo account.
    await page.locator('.sign-in-form').waitFor();
    expect(await page.locator('.demo-accounts').count()).toBe(0);
    expect(await (await dashboard.server.fetch('/api/v1/auth/login')).json()).toEqual({ demo: false });
    const ops = await Client.signIn(dashboard.server, 'ops@alliance.test', 'an operator password');
    const users = (await (await ops.get('/users')).json()) as { users: User[] };
    expect(users.users.map((u) => u.email)).not.toContain('admin@alliance.example');
    expect(await dashboard.database.db.selectFrom('app_user').select('email').where('demo', '=', true).execute()).toEqual([]);
    expect((await (await ops.get('/meta')).json()).dataset).toEqual({ synthetic: false });
    tab.expectNoErrors(/401/);
  });
});
