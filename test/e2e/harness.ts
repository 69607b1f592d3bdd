/**
 * The browser-test harness: the real server on the demo data, the built client, headless Chromium.
 *
 * ```ts
 * import { afterAll, beforeAll, expect, test } from 'vitest';
 * import { canvasHasPixels, type Dashboard, describeBrowser, openPage, startDashboard, waitForView } from './harness.js';
 *
 * describeBrowser('overview', () => {
 *   let dashboard: Dashboard;
 *   beforeAll(async () => {
 *     dashboard = await startDashboard();
 *   });
 *   afterAll(() => dashboard?.close());
 *
 *   test('draws its charts', async () => {
 *     const tab = await openPage(dashboard, 'leadership', { lang: 'zh' });
 *     await waitForView(tab.page, 'overview');
 *     expect(await canvasHasPixels(tab.page, '#view canvas')).toBe(true);
 *     tab.expectNoErrors();
 *   });
 * });
 * ```
 *
 * - `describeBrowser`: `describe`, or `describe.skip` when a Chromium is missing (test/e2e/chromium.ts; the run
 *   prints the hint once; CI refuses a run with skipped tests).
 * - `startDashboard(options?)`: per test file, in `beforeAll`. A PGlite database of its own (a clone
 *   of one the worker wrote once) holding the demo data (seed 42, 5,000 records, as of today) and
 *   the demo accounts, and the app serving the client built for this run, on 127.0.0.1. `{ url, database, server, close() }`; `close()`
 *   also closes every page opened on it.
 * - `openPage(dashboard, who, options?)`: a fresh browser context (empty cache and storage, reduced
 *   motion, time zone Asia/Shanghai, 1280×800 unless `width`/`height`) on the worker's one Chromium.
 *   `who` is a demo account (`'admin'`, `'leadership'`, `'commission'`, `'steward.usst'` …) or
 *   `null` for a signed-out page. `lang` (default `'en'`) is set both in localStorage and as the
 *   account's stored language. `signIn: 'api'` (default) sets the session cookie through the API;
 *   `signIn: 'form'` types the email and password into the real sign-in form. `path` (default `/`)
 *   is where the page opens, e.g. `'/#/trends?measure=contracts'`. It resolves once the header
 *   shows the signed-in user (or the sign-in form, for `null`); wait for the view yourself.
 *   The answer `{ page, context, errors, expectNoErrors(...allowed), close() }` collects, in
 *   `errors`, page errors, console errors, HTTP answers >= 400 and failed requests, as readable
 *   lines (`HTTP 500 GET /api/v1/summary?…`). Not errors: requests aborted because a view no longer
 *   needs them, and the 401 of `GET /api/v1/auth/me` by which a signed-out page learns that it is.
 *   A page opened inside a test is closed when the test ends, after a screenshot of it if the test
 *   failed (`test/artifacts/failed-<test>.png`).
 * - `api(dashboard, who)`: the same account over HTTP (test/helpers/users.ts `Client`: `get`,
 *   `post`, …, returning `Response`s), plus `json(path)` and `text(path)` that insist on a 200.
 * - `waitForView(page, name, { state?, after?, timeout? })`: waits until `#view > .view-<name>` has
 *   `data-state="ready"` (or the `state` given) and fails at once, with the view's text, when it
 *   ends in another state or the app shows an error. With `after: () => action`, it waits for a
 *   render that the action caused (the root replaced or its `data-state` set again), not for the
 *   one already on screen. `gotoView(page, name, params?)` changes the URL's hash and waits.
 * - `canvasHasPixels(page, selector, { timeout? })`: whether the first matching canvas has drawn
 *   (non-transparent) pixels, read back with `getImageData`; polls each frame for up to `timeout`
 *   (default 2 s) before it answers false.
 * - `screenshot(page, name)`: scrolls the page so that every chart is drawn (its errors are the
 *   page's), and with `E2E_SCREENSHOTS=1` saves a full-page PNG at `test/artifacts/<name>.png`
 *   (git-ignored). No test compares the pictures: they are for a person to look at, and taking
 *   them costs a fifth of the browser tests' time, so a plain `npm test` skips the file.
 * - `axeViolations(page, context?)`: axe-core's violations on the page as it stands (or within the
 *   selector `context`), each `{ id, impact, help, targets }`; the test decides which ones fail it.
 * - Also: `signInThroughForm(page, email, password)`, `demoEmail(who)`, and `browser()` (the worker's
 *   shared Chromium, for a test that needs a context of its own making).
 * - `poll(fn)`: `expect.poll` with the harness's patience (15 s, not vitest's 1 s: a sign-in alone
 *   hashes for half a second, and the machine is shared with the other test files).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, onTestFinished } from 'vitest';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestServer } from '../helpers/server.js';
import { Client } from '../helpers/users.js';
import { chromiumInstalled, launchChromium } from './chromium.js';
import { type DemoServerOptions, serveDemoInTest } from './demo-server.js';

export type Lang = 'zh' | 'en';

/** The demo accounts, by the part of their email before `@alliance.example`. */
export type DemoUser =
  | 'admin'
  | 'leadership'
  | 'commission'
  | 'steward.usst'
  | 'steward.njtech'
  | 'steward.ujs'
  | 'steward.zjut'
  | 'steward.ahut';

export const demoEmail = (who: DemoUser): string => `${who}@alliance.example`;

/** The views' states (`data-state` on `#view > div`). */
export type ViewState = 'loading' | 'ready' | 'empty' | 'error';

const LANG_STORAGE_KEY = 'alliance-outcomes.lang';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
/** Playwright's own waits fail before vitest's test timeout, so that their message is the one shown. */
const ACTION_TIMEOUT_MS = 15_000;

/** `expect.poll(fn)` that waits as long as Playwright's own waits do. */
export const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: ACTION_TIMEOUT_MS, interval: 50 });

/** `describe` when Chromium is installed; otherwise `describe.skip` (the run prints why, once). */
export const describeBrowser: typeof describe = chromiumInstalled() ? describe : (describe.skip as typeof describe);

export interface Dashboard {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly database: TestDatabase;
  readonly server: TestServer;
  close(): Promise<void>;
}

const openTabs = new WeakMap<Dashboard, Set<DashboardPage>>();

/** The demo dashboard for one test file: call in `beforeAll`, close in `afterAll`. */
export async function startDashboard(options: DemoServerOptions = {}): Promise<Dashboard> {
  const distDir = inject('clientDist');
  if (!distDir) throw new Error('startDashboard() needs the browser project (and Chromium): use describeBrowser');
  const { database, server } = await serveDemoInTest(distDir, options);
  const dashboard: Dashboard = {
    url: server.url,
    database,
    server,
    async close() {
      for (const tab of openTabs.get(dashboard) ?? []) await tab.close();
      await server.close();
      await database.close();
    },
  };
  openTabs.set(dashboard, new Set());
  return dashboard;
}

let sharedBrowser: Promise<Browser> | undefined;

/** One Chromium per worker, launched on first use; Playwright closes it when the worker exits. */
export function browser(): Promise<Browser> {
  if (!sharedBrowser) {
    sharedBrowser = launchChromium();
    sharedBrowser.then(
      (launched) => launched.on('disconnected', () => (sharedBrowser = undefined)),
      () => (sharedBrowser = undefined),
    );
  }
  return sharedBrowser;
}

export interface PageOptions {
  /** The interface language (default `'en'`). */
  lang?: Lang;
  width?: number;
  height?: number;
  /** `'api'` (default): the session cookie set through the API; `'form'`: the real sign-in form. */
  signIn?: 'api' | 'form';
  /** Where the page opens (default `/`), e.g. `/#/records?kind=tech_transfer`. */
  path?: string;
}

export interface DashboardPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Page errors, console errors, HTTP answers >= 400 and failed requests, as they happen. */
  readonly errors: string[];
  /** Throws, listing them, unless every error matches one of `allowed`. */
  expectNoErrors(...allowed: RegExp[]): void;
  close(): Promise<void>;
}

/** A fresh context and page of the shared Chromium on `dashboard`, signed in as `who` (null: signed out). */
export async function openPage(
  dashboard: Dashboard,
  who: DemoUser | null,
  { lang = 'en', width = 1280, height = 800, signIn = 'api', path = '/' }: PageOptions = {},
): Promise<DashboardPage> {
  const context = await (await browser()).newContext({
    baseURL: dashboard.url,
    viewport: { width, height },
    deviceScaleFactor: 1,
    locale: lang === 'zh' ? 'zh-CN' : 'en-US',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  // Only a first visit gets the language: a later choice in the page survives a reload.
  await context.addInitScript(
    ([key, value]) => {
      if (!localStorage.getItem(key)) localStorage.setItem(key, value);
    },
    [LANG_STORAGE_KEY, lang] as const,
  );
  const page = await context.newPage();
  const errors = collectErrors(page);
  const tabs = openTabs.get(dashboard);
  let closed = false;
  const tab: DashboardPage = {
    page,
    context,
    errors,
    expectNoErrors(...allowed) {
      const unexpected = errors.filter((error) => !allowed.some((pattern) => pattern.test(error)));
      if (unexpected.length > 0) throw new Error(`the page reported errors:\n  ${unexpected.join('\n  ')}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      tabs?.delete(tab);
      await context.close().catch(() => undefined);
    },
  };
  tabs?.add(tab);
  closeWhenTheTestEnds(tab);

  try {
    if (who === null) {
      await page.goto(path);
      await page.locator('form.sign-in-form').waitFor();
    } else if (signIn === 'api') {
      const login = await context.request.post('/api/v1/auth/login', {
        data: { email: demoEmail(who), password: DEMO_PASSWORD },
      });
      if (!login.ok()) throw new Error(`sign-in of ${who} failed: ${login.status()} ${await login.text()}`);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const patched = await context.request.patch('/api/v1/auth/me', { data: { lang }, headers: { 'x-csrf-token': csrfToken } });
      if (!patched.ok()) throw new Error(`setting the language of ${who} failed: ${patched.status()}`);
      await page.goto(path);
      await page.locator('.user-box .user-name').waitFor();
    } else {
      // The account's stored language wins over the page's at sign-in: store the one asked for.
      const client = await api(dashboard, who);
      const patched = await client.patch('/auth/me', { lang });
      if (!patched.ok) throw new Error(`setting the language of ${who} failed: ${patched.status}`);
      await client.post('/auth/logout');
      await page.goto(path);
      await signInThroughForm(page, demoEmail(who), DEMO_PASSWORD);
      await page.locator('.user-box .user-name').waitFor();
    }
  } catch (error) {
    await tab.close();
    throw error;
  }
  return tab;
}

/** Types the account into the sign-in form on screen and submits it. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.locator('#sign-in-email').fill(email);
  await page.locator('#sign-in-password').fill(password);
  await page.locator('form.sign-in-form button[type=submit]').click();
}

/** How a signed-out page asks whether it is signed in: a 401 that is no error. */
const isSignedOutProbe = (method: string, pathname: string, status: number): boolean =>
  method === 'GET' && pathname === '/api/v1/auth/me' && status === 401;

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Chromium logs every HTTP error as "Failed to load resource": reported with its address below.
    if (text.startsWith('Failed to load resource: the server responded with a status of')) return;
    errors.push(`console error: ${text}`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    const { pathname, search } = new URL(response.url());
    const method = response.request().method();
    if (isSignedOutProbe(method, pathname, status)) return;
    errors.push(`HTTP ${status} ${method} ${pathname}${search}`);
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // A view aborts what it no longer needs (navigation, a newer filter): that is by design.
    if (reason === 'net::ERR_ABORTED') return;
    const { pathname, search } = new URL(request.url());
    errors.push(`request failed: ${request.method()} ${pathname}${search} ${reason}`);
  });
  return errors;
}

/** Inside a test: close the page when it ends, with a screenshot first if it failed. */
function closeWhenTheTestEnds(tab: DashboardPage): void {
  try {
    onTestFinished(async ({ task }) => {
      if (task.result?.state === 'fail' && !tab.page.isClosed()) {
        await screenshot(tab.page, `failed-${task.name}`, { always: true }).catch(() => undefined);
      }
      await tab.close();
    });
  } catch {
    // Opened in a hook (beforeAll): it lives until the dashboard closes.
  }
}

export type DashboardApi = Client & {
  /** GET `path` (below /api/v1) and its JSON; throws unless the answer is 200. */
  json<T = unknown>(path: string): Promise<T>;
  /** GET `path` (below /api/v1) and its body as text, e.g. a CSV; throws unless the answer is 200. */
  text(path: string): Promise<string>;
};

/** A signed-in HTTP client of the demo account `who`, to compare the page with the API. */
export async function api(dashboard: Dashboard, who: DemoUser): Promise<DashboardApi> {
  const client = await Client.signIn(dashboard.server, demoEmail(who), DEMO_PASSWORD);
  const ok = async (path: string): Promise<Response> => {
    const response = await client.get(path);
    if (response.status !== 200) throw new Error(`GET ${path} as ${who}: ${response.status} ${await response.text()}`);
    return response;
  };
  return Object.assign(client, {
    json: async <T>(path: string) => (await (await ok(path)).json()) as T,
    text: async (path: string) => (await ok(path)).text(),
  });
}

export interface WaitForViewOptions {
  /** The state to wait for (default `'ready'`); reaching another final state fails at once. */
  state?: Exclude<ViewState, 'loading'>;
  /** An action that makes the view render again: waits for that render, not the one on screen. */
  after?: () => Promise<unknown>;
  timeout?: number;
}

/** Waits until `#view > .view-<name>` has `data-state` = `state` (default ready). */
export async function waitForView(
  page: Page,
  name: string,
  { state = 'ready', after, timeout = ACTION_TIMEOUT_MS }: WaitForViewOptions = {},
): Promise<void> {
  if (after) {
    await page.evaluate(watchViewRenders);
    await after();
  }
  let reached: string;
  try {
    const handle = await page.waitForFunction(viewSettled, { name, sinceMark: after !== undefined }, { timeout, polling: 'raf' });
    reached = (await handle.jsonValue()) as string;
  } catch (error) {
    throw new Error(`view ${name} did not become ${state}: ${await describeView(page)}`, { cause: error });
  }
  if (reached !== state) throw new Error(`view ${name} became ${reached}, not ${state}: ${await describeView(page)}`);
}

/** Changes the URL's hash to the view (with its parameters) and waits for it to be ready. */
export async function gotoView(
  page: Page,
  name: string,
  params: Record<string, string> = {},
  options: Omit<WaitForViewOptions, 'after'> = {},
): Promise<void> {
  const query = new URLSearchParams(params).toString();
  const hash = `#/${name}${query ? `?${query}` : ''}`;
  const current = await page.evaluate(() => location.hash);
  if (current === hash) return waitForView(page, name, options);
  await waitForView(page, name, { ...options, after: () => page.evaluate((next) => void (location.hash = next), hash) });
}

declare global {
  interface Window {
    __e2eRendered?: boolean;
    __e2eObserver?: MutationObserver;
  }
}

/** In the page: note when the view's root is replaced or its data-state is set. */
function watchViewRenders(): void {
  window.__e2eObserver?.disconnect();
  window.__e2eRendered = false;
  const view = document.querySelector('#view');
  if (!view) return;
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'childList' && mutation.target === view) window.__e2eRendered = true;
      if (mutation.type === 'attributes' && (mutation.target as Element).parentElement === view) window.__e2eRendered = true;
    }
  });
  observer.observe(view, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
  window.__e2eObserver = observer;
}

/** In the page: the view's final state, `error:<text>` when the app shows an error, or false while loading. */
function viewSettled({ name, sinceMark }: { name: string; sinceMark: boolean }): string | false {
  if (sinceMark && !window.__e2eRendered) return false;
  const failed = document.querySelector('#view > .state.error');
  if (failed) return `error (${failed.textContent?.trim()})`;
  const state = document.querySelector(`#view > .view-${name}`)?.getAttribute('data-state');
  return state && state !== 'loading' ? state : false;
}

async function describeView(page: Page): Promise<string> {
  return page
    .evaluate(() => {
      const root = document.querySelector('#view > *');
      if (!root) return '#view is empty';
      const text = (root.textContent ?? '').replaceAll(/\s+/g, ' ').trim().slice(0, 300);
      return `#view > ${root.tagName.toLowerCase()}.${root.className} data-state=${root.getAttribute('data-state')} "${text}" (at ${location.hash})`;
    })
    .catch((error: Error) => `(the page could not be read: ${error.message})`);
}

/** Whether the first canvas matching `selector` has drawn pixels; polls each frame for up to `timeout` ms. */
export async function canvasHasPixels(page: Page, selector: string, { timeout = ACTION_TIMEOUT_MS } = {}): Promise<boolean> {
  const canvas = page.locator(selector).first();
  await canvas.waitFor({ state: 'attached' });
  // A chart is drawn when it comes near the screen, as for a person who scrolls to it.
  await canvas.scrollIntoViewIfNeeded();
  return canvas.evaluate(async (element, waitMs) => {
    if (!(element instanceof HTMLCanvasElement)) throw new Error(`${element.tagName} is not a canvas`);
    const drawn = (): boolean => {
      if (element.width === 0 || element.height === 0) return false;
      const context = element.getContext('2d');
      if (!context) return false;
      const { data } = context.getImageData(0, 0, element.width, element.height);
      for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha] !== 0) return true;
      return false;
    };
    const until = performance.now() + waitMs;
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      if (drawn()) return true;
      if (performance.now() >= until) return false;
    }
  }, timeout);
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeScript: string | undefined;

/** One finding of axe-core: the rule, its impact and help, and the elements it names. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's violations on the page as it stands, within `context` (a selector; default the whole
 * document, an open dialog included). axe is loaded into the page once per document. Only the
 * violations are worked out: the other result types (passes and the rest) would cost as much again
 * and nobody reads them.
 */
export async function axeViolations(page: Page, context?: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate((axeScript ??= readFileSync(AXE_SOURCE, 'utf8')));
  return page.evaluate(async (context) => {
    interface Found {
      id: string;
      impact?: string | null;
      help: string;
      nodes: Array<{ target: string[] }>;
    }
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Found[] }> } }).axe;
    const { violations } = await axe.run(context ?? document, { resultTypes: ['violations'] });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, context);
}

/** Whether `screenshot` saves its pictures: `E2E_SCREENSHOTS=1` (a failed test's page is saved regardless). */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';

/**
 * Draws every chart of the page and, with `E2E_SCREENSHOTS=1` (or `always`, as for a failed test),
 * saves a full-page screenshot as `test/artifacts/<name>.png`; returns that path, or undefined.
 */
export async function screenshot(page: Page, name: string, options: { always?: boolean } = {}): Promise<string | undefined> {
  await drawEveryChart(page);
  if (!SCREENSHOTS && !options.always) return undefined;
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = `${ARTIFACTS}${name.replaceAll(/[^\w.-]+/g, '-').slice(0, 120)}.png`;
  // A full-page picture shows what a reader sees while scrolling: the parts laid out only near the
  // screen (content-visibility: auto) laid out for it.
  const shown = (visible: boolean) =>
    page.evaluate((visible) => {
      for (const node of document.querySelectorAll<HTMLElement>('#view *')) {
        if (visible && getComputedStyle(node).contentVisibility === 'auto') node.dataset.laidOut = '';
        if (node.dataset.laidOut === undefined) continue;
        node.style.contentVisibility = visible ? 'visible' : '';
        if (!visible) delete node.dataset.laidOut;
      }
    }, visible);
  await shown(true);
  await page.screenshot({ path: file, fullPage: true });
  await shown(false);
  return file;
}

/**
 * Scrolls the page from top to bottom and back, as a reader would: the charts below the first
 * screen are drawn when they come near it, and a full-page picture should show them drawn.
 */
export async function drawEveryChart(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const start = scrollY;
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
      scrollTo(0, y);
      await frame();
    }
    scrollTo(0, start);
    await frame();
    // Until every chart of the view has drawn (Chart.js arrives, the short entrance ends), 3 s at most.
    const drawn = (canvas: HTMLCanvasElement) => {
      const context = canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d') : null;
      if (!context) return false;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha] !== 0) return true;
      return false;
    };
    const until = performance.now() + 3000;
    while (performance.now() < until && ![...document.querySelectorAll<HTMLCanvasElement>('#view canvas')].every(drawn))
      await frame();
    // The entrance (400 ms) is drawn only without reduced motion, which every page of openPage asks for.
    if (!matchMedia('(prefers-reduced-motion: reduce)').matches) await new Promise((resolve) => setTimeout(resolve, 450));
  });
}
