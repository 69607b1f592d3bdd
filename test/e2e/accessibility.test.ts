import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  axeViolations,
  type Dashboard,
  type DemoUser,
  describeBrowser,
  gotoView,
  openPage,
  screenshot,
  startDashboard,
} from './harness.js';

type Lang = 'en' | 'zh';
type Role = 'admin' | 'leadership' | 'commission' | 'steward';
interface Sitting {
  who: DemoUser;
  role: Role;
  lang: Lang;
  width: 1366 | 390;
}

/** The views (and the administrator's tabs) each role is shown, stated here on their own (as the shell's test does). */
type Place = [view: string, params?: Record<string, string>];
const CHARTS: Place[] = [['overview'], ['universities'], ['regions'], ['trends'], ['collaboration'], ['report']];
const VIEWS: Record<Role, Place[]> = {
  admin: [
    ...CHARTS,
    ['records'],
    ['reporting'],
    ['admin', { tab: 'users' }],
    ['admin', { tab: 'targets' }],
    ['admin', { tab: 'universities' }],
    ['admin', { tab: 'audit' }],
    ['admin', { tab: 'mail' }],
    ['members'],
  ],
  leadership: [...CHARTS, ['records'], ['reporting'], ['members']],
  steward: [...CHARTS, ['records'], ['reporting'], ['members']],
  commission: [...CHARTS, ['members']],
};

/**
 * Every view as the administrator (who sees them all) in both languages at 1366 px and on a 390 px
 * phone; every view of each other role in one language and width, so that what a role alone is
 * shown (a steward's edit buttons, the commission's record counts) is judged too.
 */
const SITTINGS: Sitting[] = [
  { who: 'admin', role: 'admin', lang: 'en', width: 1366 },
  { who: 'admin', role: 'admin', lang: 'zh', width: 1366 },
  { who: 'admin', role: 'admin', lang: 'en', width: 390 },
  { who: 'admin', role: 'admin', lang: 'zh', width: 390 },
  { who: 'leadership', role: 'leadership', lang: 'zh', width: 1366 },
  { who: 'commission', role: 'commission', lang: 'en', width: 390 },
  { who: 'steward.usst', role: 'steward', lang: 'zh', width: 390 },
];

/** axe-core on the whole page as it stands: what is serious or critical, and any content outside the landmarks. */
async function violations(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region')
    .map((v) => `${v.id} [${v.impact}] ${v.help}: ${v.targets.join(', ')}`);
}

/**
 * What is wider than its place: the page must not be; inside it, only a region made to scroll
 * sideways, reachable from the keyboard, named, and showing its cue (a shadow on the side) while it has more.
 */
async function overflowing(page: Page): Promise<string[]> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.table-scroll')].every((b) => (b as HTMLElement).dataset.overflow),
  );
  return page.evaluate(async () => {
    const found: string[] = [];
    const root = document.documentElement;
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    if (root.scrollWidth > root.clientWidth + 1)
      found.push(`the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`);
    for (const node of document.querySelectorAll<HTMLElement>('#view *')) {
      if (node.scrollWidth <= node.clientWidth + 1 || node.clientWidth <= 1) continue;
      // What scrolls sideways for a person: not a field's own text, not what is clipped on purpose.
      if (node.matches('input, textarea, select')) continue;
      const style = getComputedStyle(node);
      if (style.overflowX !== 'auto' && style.overflowX !== 'scroll') continue;
      const name = `${node.tagName.toLowerCase()}.${node.className}`;
      const region =
        node.matches('.table-scroll[role="region"][tabindex="0"]') &&
        (node.getAttribute('aria-label') || node.getAttribute('aria-labelledby'));
      if (!region) {
        found.push(`${name} scrolls sideways but is not a named, focusable region`);
        continue;
      }
      // Its cue as a person sees it: below the first screen, a region is laid out when it comes near.
      node.scrollIntoView({ block: 'nearest' });
      await frame();
      await frame();
      if (node.scrollWidth - node.clientWidth - node.scrollLeft > 1 && !['end', 'both'].includes(node.dataset.overflow ?? ''))
        found.push(`${name} has more to its side without its cue (data-overflow=${node.dataset.overflow})`);
      else if (node.dataset.overflow !== 'none' && getComputedStyle(node).boxShadow === 'none')
        found.push(`${name} shows no cue (data-overflow=${node.dataset.overflow})`);
    }
    return found;
  });
}

describeBrowser('accessibility: axe-core on every view, for every role, in both languages, at desk and phone widths', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(() => dashboard?.close());

  test.each(SITTINGS)(
    '$who in $lang at $width px: no serious or critical violation, nothing outside the landmarks, no table wider than its place without its cue',
    async ({ who, role, lang, width }) => {
      const tab = await openPage(dashboard, who, { lang, width, height: width === 390 ? 844 : 900 });
      const { page } = tab;
      const found: string[] = [];
      for (const [view, params] of VIEWS[role]) {
        await gotoView(page, view, params);
        const where = `${view}${params ? ` ${JSON.stringify(params)}` : ''}`;
        for (const line of await violations(page)) found.push(`${where}: ${line}`);
        for (const line of await overflowing(page)) found.push(`${where}: ${line}`);
        // The administrator sees every view: a picture of each, in both languages, at both widths.
        if (role === 'admin') await screenshot(page, `view-${view}${params?.tab ? `-${params.tab}` : ''}-${lang}-${width}`);
      }
      expect(found).toEqual([]);
      tab.expectNoErrors();
    },
  );
});
