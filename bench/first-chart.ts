/**
 * Time to the first drawn chart on the Overview, and the JavaScript that first view loads, in
 * headless Chromium over fresh page loads (a new browser context each: empty cache, signed in
 * through the API). The server is what `npm start` runs in demo mode: embedded PGlite with the
 * demo data, the built client, on a free port.
 *
 * The first chart is the `performance.mark('first-chart')` the client sets once a view's first
 * chart has been drawn; without it, the first `#view canvas` with drawn pixels, polled each frame.
 *
 * Usage: npm run bench:first-chart -- [--runs 10] [--warmup 1] [--lang zh|en] [--view overview]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { sessionCookie } from '../test/helpers/users.js';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../test/e2e/chromium.js';
import { buildClient } from '../test/e2e/client-build.js';
import { serveDemo } from '../test/e2e/demo-server.js';

const TARGET_MS = 1500;
const TARGET_GZIP_BYTES = 150_000;
const TIMEOUT_MS = 30_000;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    lang: { type: 'string', default: 'zh' },
    view: { type: 'string', default: 'overview' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const lang = values.lang === 'en' ? 'en' : 'zh';
const viewName = values.view!;
const viewport = { width: Number(values.width), height: Number(values.height) };

interface Script {
  path: string;
  /** Bytes on the wire (after any Content-Encoding), from Resource Timing. */
  encoded: number;
  /** Bytes after decoding. */
  decoded: number;
}

interface Load {
  firstChartMs: number;
  /** Whether the client's `first-chart` mark gave the time (else: polled pixels). */
  marked: boolean;
  scripts: Script[];
}

/** In the page, before any script of its own: note the first frame where a view's canvas has pixels. */
function watchFirstChart(): void {
  const w = window as Window & { __firstChartAt?: number };
  const drawn = (canvas: HTMLCanvasElement): boolean => {
    if (canvas.width === 0 || canvas.height === 0) return false;
    const context = canvas.getContext('2d');
    if (!context) return false;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha] !== 0) return true;
    return false;
  };
  const poll = (): void => {
    if (performance.getEntriesByName('first-chart', 'mark').length > 0) return;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('#view canvas')) {
      if (drawn(canvas)) {
        w.__firstChartAt = performance.now();
        return;
      }
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

async function loadOnce(browser: Browser, url: string, cookie: string): Promise<Load> {
  const context = await browser.newContext({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-US', timezoneId: 'Asia/Shanghai' });
  try {
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    await context.addCookies([{ name, value, url, httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript((value) => localStorage.setItem('alliance-outcomes.lang', value), lang);
    await context.addInitScript(watchFirstChart);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/#/${viewName}`, { waitUntil: 'commit' });
    const first = await page
      .waitForFunction(
        () => {
          const mark = performance.getEntriesByName('first-chart', 'mark')[0];
          if (mark) return { ms: mark.startTime, marked: true };
          const at = (window as Window & { __firstChartAt?: number }).__firstChartAt;
          return at === undefined ? false : { ms: at, marked: false };
        },
        undefined,
        { timeout: TIMEOUT_MS, polling: 100 },
      )
      .catch(async (error: Error) => {
        throw new Error(`no chart was drawn on #/${viewName}: ${errors.join('; ') || error.message} (${await viewText(page)})`);
      });
    const { ms, marked } = (await first.jsonValue()) as { ms: number; marked: boolean };
    await settle(page);
    return { firstChartMs: ms, marked, scripts: await scriptsLoaded(page) };
  } finally {
    await context.close();
  }
}

/** What the first view loads after its first chart counts too: wait until it is ready, or the network is idle. */
async function settle(page: Page): Promise<void> {
  await page
    .waitForFunction(
      (name) => {
        const state = document.querySelector(`#view > .view-${name}`)?.getAttribute('data-state');
        return state !== null && state !== undefined && state !== 'loading';
      },
      viewName,
      { timeout: 5000 },
    )
    .catch(() => page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined));
}

function scriptsLoaded(page: Page): Promise<Script[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => entry as PerformanceResourceTiming)
      .filter((entry) => /\.m?js$/.test(new URL(entry.name).pathname))
      .map((entry) => ({ path: new URL(entry.name).pathname, encoded: entry.encodedBodySize, decoded: entry.decodedBodySize })),
  );
}

async function viewText(page: Page): Promise<string> {
  return page
    .evaluate(() => (document.querySelector('#view')?.textContent ?? '').replaceAll(/\s+/g, ' ').trim().slice(0, 200))
    .catch(() => '');
}

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
const ms = (value: number): string => `${Math.round(value)} ms`;
const verdict = (ok: boolean): string => (ok ? 'pass' : 'FAIL');

async function main(): Promise<void> {
  if (!chromiumInstalled()) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const distDir = mkdtempSync(join(tmpdir(), 'alliance-bench-client-'));
  const database = await connectDatabase({ inMemory: true });
  let browser: Browser | undefined;
  try {
    await buildClient(distDir);
    await migrateToLatest(database.db);
    const server = await serveDemo(database, distDir);
    try {
      const login = await server.fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'leadership@alliance.example', password: DEMO_PASSWORD }),
      });
      const cookie = sessionCookie(login);
      if (login.status !== 200 || !cookie) throw new Error(`sign-in failed: ${login.status}`);
      browser = await launchChromium();

      for (let i = 0; i < warmup; i++) await loadOnce(browser, server.url, cookie);
      const loads: Load[] = [];
      for (let i = 0; i < runs; i++) loads.push(await loadOnce(browser, server.url, cookie));
      report(loads, distDir, browser.version());
    } finally {
      await server.close();
    }
  } finally {
    await browser?.close();
    await database.close();
    rmSync(distDir, { recursive: true, force: true });
  }
}

function report(loads: Load[], distDir: string, version: string): void {
  const times = loads.map((load) => load.firstChartMs);
  const p50 = percentile(times, 50);
  const p90 = percentile(times, 90);
  // Every fresh load fetches the same files; the last load's list stands for all.
  const scripts = loads.at(-1)!.scripts;
  const raw = scripts.reduce((sum, s) => sum + s.decoded, 0);
  const compressedOnWire = scripts.some((s) => s.encoded > 0 && s.encoded < s.decoded);
  const gzip = compressedOnWire
    ? scripts.reduce((sum, s) => sum + s.encoded, 0)
    : scripts.reduce((sum, s) => sum + gzipSync(readFileSync(join(distDir, s.path))).length, 0);
  const how = loads.every((load) => load.marked)
    ? "the client's performance.mark('first-chart')"
    : loads.some((load) => load.marked)
      ? "performance.mark('first-chart') on some loads, polled canvas pixels on others"
      : 'polled canvas pixels (the client set no first-chart mark)';

  const rows: Array<[string, string, string, string]> = [
    ['time to first chart, median', ms(p50), `< ${ms(TARGET_MS)}`, verdict(p50 < TARGET_MS)],
    ['time to first chart, p90', ms(p90), `< ${ms(TARGET_MS)}`, verdict(p90 < TARGET_MS)],
    ['JavaScript, raw', kB(raw), '', ''],
    [
      `JavaScript, gzip${compressedOnWire ? '' : ' (zlib)'}`,
      kB(gzip),
      `< ${kB(TARGET_GZIP_BYTES)}`,
      verdict(gzip < TARGET_GZIP_BYTES),
    ],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['', 'measured', 'target', ''][c]!.length));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 1 || c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('   ')
      .trimEnd();

  console.log(
    `\nFirst chart on #/${viewName}: ${loads.length} fresh page loads (after ${warmup} warm-up), ${lang}, ` +
      `${viewport.width}×${viewport.height}, headless Chromium ${version}, demo data (5,000 records), signed in as leadership`,
  );
  console.log(`timed from navigation start to ${how}\n`);
  console.log(line(['', 'measured', 'target', '']));
  for (const row of rows) console.log(line(row));
  console.log(`\nper load: ${times.map((t) => Math.round(t)).join(', ')} ms`);
  console.log(`scripts of the first view (${scripts.length}): ${scripts.map((s) => `${s.path} ${kB(s.decoded)}`).join(', ')}`);
  if (!compressedOnWire) {
    console.log(
      'the server sends JavaScript uncompressed (no Content-Encoding): the gzip figure is zlib (level 6) over the same files, what a compressing server or proxy would send',
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
