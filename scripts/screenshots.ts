/**
 * The README's pictures: the first screen of a few views, in both languages, at a desk's width and
 * a phone's, on the demo data, as `npm start` serves it. The tests take a full-page picture of every
 * view under test/artifacts/; these are the few committed under docs/screenshots/.
 *
 * Usage: npm run docs:screenshots
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { withDemoDashboard } from '../bench/demo-dashboard.js';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts.js';
import { CHROMIUM_PATH, launchChromium } from '../test/e2e/chromium.js';
import { drawEveryChart } from '../test/e2e/harness.js';
import { sessionCookie } from '../test/helpers/users.js';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const WIDTHS = { desk: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;

interface Shot {
  name: string;
  path: string;
  /** The view's class, whose `data-state` says when it is drawn. */
  view: string;
  account: 'leadership' | 'admin' | 'steward.usst';
  lang: 'en' | 'zh';
  width: keyof typeof WIDTHS;
}

const SHOTS: Shot[] = [
  { name: 'overview-en-1366', path: '#/overview', view: 'overview', account: 'leadership', lang: 'en', width: 'desk' },
  { name: 'overview-zh-1366', path: '#/overview', view: 'overview', account: 'leadership', lang: 'zh', width: 'desk' },
  { name: 'overview-zh-390', path: '#/overview', view: 'overview', account: 'leadership', lang: 'zh', width: 'phone' },
  { name: 'overview-en-390', path: '#/overview', view: 'overview', account: 'leadership', lang: 'en', width: 'phone' },
  {
    name: 'universities-zh-1366',
    path: '#/universities',
    view: 'universities',
    account: 'leadership',
    lang: 'zh',
    width: 'desk',
  },
  { name: 'trends-en-1366', path: '#/trends', view: 'trends', account: 'leadership', lang: 'en', width: 'desk' },
  { name: 'records-zh-1366', path: '#/records', view: 'records', account: 'steward.usst', lang: 'zh', width: 'desk' },
  { name: 'records-en-390', path: '#/records', view: 'records', account: 'steward.usst', lang: 'en', width: 'phone' },
  { name: 'report-zh-1366', path: '#/report', view: 'report', account: 'leadership', lang: 'zh', width: 'desk' },
  {
    name: 'admin-universities-en-1366',
    path: '#/admin?tab=universities',
    view: 'admin',
    account: 'admin',
    lang: 'en',
    width: 'desk',
  },
];

await withDemoDashboard('alliance-screenshots-', async ({ server }) => {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium(CHROMIUM_PATH);
  try {
    for (const shot of SHOTS) {
      const login = await server.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${shot.account}@alliance.example`, password: DEMO_PASSWORD }),
      });
      const cookie = sessionCookie(login);
      if (login.status !== 200 || !cookie) throw new Error(`${shot.account} could not sign in: ${login.status}`);
      const context = await browser.newContext({
        viewport: WIDTHS[shot.width],
        deviceScaleFactor: 1,
        locale: shot.lang === 'zh' ? 'zh-CN' : 'en-GB',
        timezoneId: 'Asia/Shanghai',
        reducedMotion: 'reduce',
      });
      const separator = cookie.indexOf('=');
      await context.addCookies([
        {
          name: cookie.slice(0, separator),
          value: cookie.slice(separator + 1),
          url: server.url,
          httpOnly: true,
          sameSite: 'Lax',
        },
      ]);
      // tsx (esbuild, keepNames) wraps named functions in `__name(…)`: give the page a no-op one.
      await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
      await context.addInitScript((lang) => localStorage.setItem('alliance-outcomes.lang', lang), shot.lang);
      const page = await context.newPage();
      await page.goto(`${server.url}/${shot.path}`);
      await page.locator(`#view > .view-${shot.view}[data-state=ready]`).waitFor({ timeout: 30_000 });
      await drawEveryChart(page);
      await page.screenshot({ path: join(OUT, `${shot.name}.png`) });
      await context.close();
      console.log(`docs/screenshots/${shot.name}.png`);
    }
  } finally {
    await browser.close();
  }
});
