import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  api,
  canvasHasPixels,
  type Dashboard,
  type DemoUser,
  demoEmail,
  describeBrowser,
  openPage,
  poll,
  screenshot,
  signInThroughForm,
  startDashboard,
  waitForView,
} from './harness.js';

/** What each role is shown, stated here on its own rather than read from client/view.ts. */
const ROLES: Array<{ who: DemoUser; name: string; role: string; nav: string[] }> = [
  {
    who: 'admin',
    name: 'Demo administrator',
    role: 'Administrator',
    nav: ['Overview', 'Universities', 'Regions', 'Trends', 'Collaboration', 'Report', 'Records', 'Reporting', 'Admin', 'Members'],
  },
  {
    who: 'leadership',
    name: 'Demo alliance leadership',
    role: 'Alliance leadership',
    nav: ['Overview', 'Universities', 'Regions', 'Trends', 'Collaboration', 'Report', 'Records', 'Reporting', 'Members'],
  },
  {
    who: 'commission',
    name: 'Demo commission officer',
    role: 'Commission',
    nav: ['Overview', 'Universities', 'Regions', 'Trends', 'Collaboration', 'Report', 'Members'],
  },
  {
    who: 'steward.usst',
    name: 'Demo data steward, USST',
    role: 'Data steward · USST',
    nav: ['Overview', 'Universities', 'Regions', 'Trends', 'Collaboration', 'Report', 'Records', 'Reporting', 'Members'],
  },
];

const navLabels = (page: Page): Promise<string[]> => page.locator('.app-nav a').allTextContents();

describeBrowser('the shell: sign-in, header, navigation, language', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(() => dashboard?.close());

  test.each(ROLES)(
    '$who signs in through the form and sees its name, its role and its views',
    async ({ who, name, role, nav }) => {
      const tab = await openPage(dashboard, who, { signIn: 'form', lang: 'en' });
      const { page } = tab;
      await poll(() => page.locator('.user-box .user-name').textContent()).toBe(name);
      expect(await page.locator('.user-box .user-role').textContent()).toBe(role);
      expect(await navLabels(page)).toEqual(nav);
      if (who === 'commission') expect(await navLabels(page)).not.toContain('Records');
      if (who !== 'admin') expect(await navLabels(page)).not.toContain('Admin');
      // Signed in, the app opens its first view, and the header marks it.
      await poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/overview/);
      expect(await page.locator('.app-nav a[aria-current=page]').textContent()).toBe('Overview');
      tab.expectNoErrors();
    },
  );

  test('the page, its scripts, its styles and its JSON arrive compressed; robots.txt is text', async () => {
    const tab = await openPage(dashboard, 'leadership');
    const { page } = tab;
    const arrived: Array<{ url: string; type: string; encoding: string | undefined; bytes: number }> = [];
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type !== 'document' && type !== 'script' && type !== 'stylesheet' && type !== 'fetch') return;
      const headers = response.headers();
      arrived.push({
        url: response.url(),
        type,
        encoding: headers['content-encoding'],
        bytes: Number(headers['content-length'] ?? 0),
      });
    });
    await page.reload();
    await page.locator('#view > .view-overview[data-state=ready]').waitFor();
    expect(arrived.filter((r) => r.type === 'script').length).toBeGreaterThan(1);
    expect(arrived.filter((r) => r.type === 'stylesheet').length).toBeGreaterThan(0);
    // The Overview's summary is several kilobytes of JSON: it too travels compressed.
    expect(
      arrived.filter((r) => r.type === 'fetch' && r.url.includes('/api/v1/summary') && r.encoding === 'br'),
    ).not.toHaveLength(0);
    // Every one above a kilobyte (below, the headers would weigh more than the saving).
    for (const r of arrived.filter((a) => a.encoding === undefined)) expect(r.bytes, `${r.type} ${r.url}`).toBeLessThan(1024);
    expect(arrived.filter((a) => a.encoding !== undefined).map((a) => a.encoding)).toEqual(expect.arrayContaining(['br']));
    const robots = await page.request.get(`${dashboard.url}/robots.txt`);
    expect(robots.status()).toBe(200);
    expect(robots.headers()['content-type']).toMatch(/^text\/plain/);
    expect(await robots.text()).toMatch(/^User-agent: \*\nDisallow: \/\n$/);
    tab.expectNoErrors();
  });

  test('a chart below the first screen, and Chart.js with it, loads when the reader scrolls to it', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en', path: '/#/overview' });
    const { page } = tab;
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.reload();
    await waitForView(page, 'overview');
    const headline = page.locator('[data-figure="headline"] canvas');
    const below = await headline.evaluate((canvas) => canvas.getBoundingClientRect().top > 2 * innerHeight);
    expect(below).toBe(true);
    // Time for anything that would load on its own.
    await page.waitForTimeout(500);
    const chartModule = (list: string[]) => list.filter((path) => /\/charts-[\w-]+\.js$/.test(path));
    expect(chartModule(scripts)).toEqual([]);
    expect(await canvasHasPixels(page, '[data-figure="headline"] canvas')).toBe(true);
    expect(chartModule(scripts)).toHaveLength(1);
    tab.expectNoErrors();
  });

  test('from the keyboard: the skip link is the first stop and leads into the view; a view change and Back put the keyboard on the new heading', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en', path: '/#/overview' });
    const { page } = tab;
    await waitForView(page, 'overview');
    const focused = () =>
      page.evaluate(() => {
        const node = document.activeElement as HTMLElement | null;
        return {
          tag: node?.tagName.toLowerCase(),
          text: node?.textContent?.trim(),
          inView: Boolean(node?.closest('#view')),
          top: node?.getBoundingClientRect().top ?? -1,
        };
      });
    // The page opens with nothing focused: the first Tab reaches the skip link, shown where it can be seen.
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'a', text: 'Skip to the content', inView: false });
    expect((await focused()).top).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await focused()).toMatchObject({ tag: 'h1', text: 'Overview', inView: true });
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/overview/);
    await page.keyboard.press('Tab');
    expect((await focused()).inView).toBe(true);
    // A view chosen from the header, by the keyboard: its heading takes the focus.
    await page.locator('.app-nav a[data-view="trends"]').focus();
    await waitForView(page, 'trends', { after: () => page.keyboard.press('Enter') });
    expect(await focused()).toMatchObject({ tag: 'h1', text: 'Trends', inView: true });
    await waitForView(page, 'overview', { after: () => page.goBack() });
    expect(await focused()).toMatchObject({ tag: 'h1', text: 'Overview', inView: true });
    tab.expectNoErrors();
  });

  test('a view the role may not see sends it to its first view', async () => {
    const tab = await openPage(dashboard, 'commission', { path: '/#/admin' });
    await poll(() => tab.page.evaluate(() => location.hash)).toMatch(/^#\/overview/);
    tab.expectNoErrors();
  });

  test('signing out returns to the sign-in form and ends the session', async () => {
    const tab = await openPage(dashboard, 'leadership');
    const { page } = tab;
    await page.locator('[data-action=sign-out]').click();
    await page.locator('form.sign-in-form').waitFor();
    expect(await page.locator('.user-box').count()).toBe(0);
    expect(await navLabels(page)).toEqual([]);
    // The session is gone on the server too: a reload stays signed out.
    await page.reload();
    await page.locator('form.sign-in-form').waitFor();
    expect(await page.locator('.user-box').count()).toBe(0);
    tab.expectNoErrors();
  });

  test('in demo mode the sign-in page lists every demo account, and a click fills the form in', async () => {
    const tab = await openPage(dashboard, null);
    const { page } = tab;
    const listed = await page
      .locator('.demo-accounts button[data-email]')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-email')));
    const options = (await (await fetch(`${dashboard.url}/api/v1/auth/login`)).json()) as { accounts: Array<{ email: string }> };
    expect(listed).toEqual(options.accounts.map((a) => a.email));
    expect(listed).toEqual(
      ['admin', 'leadership', 'commission', 'steward.usst', 'steward.njtech', 'steward.ujs', 'steward.zjut', 'steward.ahut'].map(
        (who) => demoEmail(who as DemoUser),
      ),
    );
    await page.locator(`.demo-accounts button[data-email="${demoEmail('steward.usst')}"]`).click();
    expect(await page.locator('#sign-in-email').inputValue()).toBe(demoEmail('steward.usst'));
    expect(await page.locator('#sign-in-password').inputValue()).toBe('alliance-demo');
    await page.locator('form.sign-in-form button[type=submit]').click();
    await poll(() => page.locator('.user-box .user-name').textContent()).toBe('Demo data steward, USST');
    tab.expectNoErrors();
  });

  test('a wrong password is refused on the form, with a message', async () => {
    const tab = await openPage(dashboard, null, { lang: 'en' });
    await signInThroughForm(tab.page, demoEmail('admin'), 'not-the-password');
    await poll(() => tab.page.locator('.form-error').textContent()).toBe('The email or password is not right.');
    expect(await tab.page.locator('.user-box').count()).toBe(0);
    tab.expectNoErrors(/^HTTP 401 POST \/api\/v1\/auth\/login$/);
  });

  test('the language switch changes the header, and the choice survives a reload', async () => {
    const tab = await openPage(dashboard, 'steward.usst', { lang: 'en', path: '/#/members' });
    const { page } = tab;
    expect(await navLabels(page)).toContain('Overview');
    expect(await page.locator('[data-action=sign-out]').textContent()).toBe('Sign out');

    await page.locator('[data-lang=zh]').click();
    await poll(() => navLabels(page)).toEqual(['总览', '各高校', '地区', '趋势', '协作', '报告', '记录', '报送', '成员']);
    expect(await page.locator('.user-box .user-role').textContent()).toBe('数据管理员 · USST');
    expect(await page.locator('[data-action=sign-out]').textContent()).toBe('退出登录');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('[data-lang=zh]').getAttribute('aria-pressed')).toBe('true');
    // Remembered by the page and by the account.
    const steward = await api(dashboard, 'steward.usst');
    await poll(async () => (await steward.json<{ lang: string }>('/auth/me')).lang).toBe('zh');

    await page.reload();
    await poll(() => navLabels(page)).toContain('总览');
    expect(await page.evaluate(() => localStorage.getItem('alliance-outcomes.lang'))).toBe('zh');

    await page.locator('[data-lang=en]').click();
    await poll(() => navLabels(page)).toContain('Overview');
    await page.reload();
    await poll(() => navLabels(page)).toContain('Overview');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    tab.expectNoErrors();
  });

  test('signed out, the language switch changes the sign-in page and is remembered', async () => {
    const tab = await openPage(dashboard, null, { lang: 'en' });
    const { page } = tab;
    expect(await page.locator('.sign-in-form h1').textContent()).toBe('Sign in');
    await page.locator('[data-lang=zh]').click();
    await poll(() => page.locator('.sign-in-form h1').textContent()).toBe('登录');
    await page.reload();
    await poll(() => page.locator('.sign-in-form h1').textContent()).toBe('登录');
    expect(await page.locator('.demo-panel h2').textContent()).toBe('演示账号');
    tab.expectNoErrors();
  });

  test('on a 390 px phone, with a to-do in the header, who is signed in reads whole: no word is broken across lines', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const tab = await openPage(dashboard, 'steward.usst', { lang, width: 390, height: 844, path: '/#/members' });
      const { page } = tab;
      // The demo's steward has periods to submit: the header shows the to-do beside the name.
      await page.locator('.todo-badge').waitFor();
      await page.evaluate(() => document.fonts.ready);
      const broken = await page.evaluate(() =>
        [...document.querySelectorAll('.user-box .user-name, .user-box .user-role, .todo-badge')].flatMap((element) => {
          const words: string[] = [];
          const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement?.closest('.sr-only')) continue;
            // Each word (a run of letters, digits or Han characters) in one line box.
            for (const match of (node.textContent ?? '').matchAll(/[\p{L}\p{N}]+/gu)) {
              const range = document.createRange();
              range.setStart(node, match.index);
              range.setEnd(node, match.index + match[0].length);
              const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
              if (lines.size > 1) words.push(`${element.className}: "${match[0]}" on ${lines.size} lines`);
            }
          }
          return words;
        }),
      );
      expect(broken).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(
        true,
      );
      await screenshot(page, `header-phone-steward-${lang}`);
      tab.expectNoErrors();
      await tab.close();
    }
  });

  test('the sign-in page in both languages, at desk and phone widths: nothing wider than the screen', async () => {
    for (const lang of ['zh', 'en'] as const) {
      for (const width of [1280, 390, 320]) {
        const tab = await openPage(dashboard, null, { lang, width });
        await tab.page.locator('.demo-accounts button').first().waitFor();
        await tab.page.evaluate(() => document.fonts.ready);
        // The page does not scroll sideways, and every demo account's button is inside it.
        const widths = await tab.page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          widest: Math.max(
            ...[...document.querySelectorAll('.sign-in-form, .demo-panel, .demo-accounts button')].map((e) =>
              Math.ceil(e.getBoundingClientRect().right),
            ),
          ),
        }));
        expect(widths, `${lang} at ${width} px`).toEqual({ page: width, widest: expect.any(Number) });
        expect(widths.widest, `${lang} at ${width} px`).toBeLessThanOrEqual(width);
        await screenshot(tab.page, `sign-in-${lang}-${width}`);
        tab.expectNoErrors();
        await tab.close();
      }
    }
  });
});
