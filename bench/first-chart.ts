/**
 * Time to the first drawn chart of a chart view (By university unless `--view`), and the JavaScript
 * that view loads on its own, in
 * headless Chromium over fresh page loads (a new browser context each: empty cache, signed in
 * through the API). The server is what `npm start` runs in demo mode: embedded PGlite with the
 * demo data, the built client, on a free port.
 *
 * The first chart is the `performance.mark('first-chart')` the client sets once a view's first
 * chart has been drawn. A client built without that mark is timed instead to the first frame in
 * which a `#view canvas` has drawn pixels (read back with getImageData each frame); `--pixels`
 * polls them beside the mark too, as a cross-check (the polling itself costs the page some time).
 *
 * A chart is drawn when it comes near the screen: the Overview's headline chart sits below its
 * twelve cards, so on the Overview neither it nor Chart.js is loaded until the reader scrolls there,
 * and this bench would wait for it in vain (`--view overview` says so).
 *
 * Usage: npm run bench:first-chart -- [--runs 10] [--warmup 1] [--lang zh|en] [--view universities] [--pixels] [--reduced-motion]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../test/e2e/chromium.js';
import { withDemoDashboard } from './demo-dashboard.js';

const TARGET_MS = 1500;
const TARGET_GZIP_BYTES = 150_000;
const TIMEOUT_MS = 30_000;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    lang: { type: 'string', default: 'zh' },
    view: { type: 'string', default: 'universities' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
    pixels: { type: 'boolean', default: false },
    'reduced-motion': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const lang = values.lang === 'en' ? 'en' : 'zh';
const viewName = values.view!;
const viewport = { width: Number(values.width), height: Number(values.height) };
/** A person's default is motion; `--reduced-motion` emulates the setting (the client then draws without animation). */
const reducedMotion = values['reduced-motion'];

interface Script {
  path: string;
  /** Bytes on the wire (after any Content-Encoding), from Resource Timing. */
  encoded: number;
  /** Bytes after decoding. */
  decoded: number;
}

interface Load {
  /** The client's `first-chart` mark, when it sets one. */
  markMs: number | undefined;
  /** When polling first saw drawn pixels in a `#view canvas`, when polled. */
  pixelsMs: number | undefined;
  scripts: Script[];
}

/** How the first chart is found: the client's mark, polled pixels, or both. */
interface Timing {
  mark: boolean;
  pixels: boolean;
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

async function loadOnce(browser: Browser, url: string, cookie: string, timing: Timing): Promise<Load> {
  const context = await browser.newContext({
    viewport,
    locale: lang === 'zh' ? 'zh-CN' : 'en-US',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: reducedMotion ? 'reduce' : 'no-preference',
  });
  try {
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    await context.addCookies([{ name, value, url, httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript((value) => localStorage.setItem('alliance-outcomes.lang', value), lang);
    if (timing.pixels) {
      // tsx (esbuild, keepNames) wraps named functions in `__name(…)`: give the page a no-op one.
      await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
      await context.addInitScript(watchFirstChart);
    }
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/#/${viewName}`, { waitUntil: 'commit' });
    await page
      .waitForFunction(
        ({ mark, pixels }) =>
          (!mark || performance.getEntriesByName('first-chart', 'mark').length > 0) &&
          (!pixels || (window as Window & { __firstChartAt?: number }).__firstChartAt !== undefined),
        timing,
        { timeout: TIMEOUT_MS, polling: 50 },
      )
      .catch(async (error: Error) => {
        throw new Error(`no chart was drawn on #/${viewName}: ${errors.join('; ') || error.message} (${await viewText(page)})`);
      });
    await settle(page);
    const { markMs, pixelsMs } = await page.evaluate(() => ({
      markMs: performance.getEntriesByName('first-chart', 'mark')[0]?.startTime,
      pixelsMs: (window as Window & { __firstChartAt?: number }).__firstChartAt,
    }));
    return { markMs, pixelsMs, scripts: await scriptsLoaded(page) };
  } finally {
    await context.close();
  }
}

/** Whether the built client sets the `first-chart` mark at all. */
function clientMarksFirstChart(distDir: string): boolean {
  const assets = join(distDir, 'assets');
  return readdirSync(assets).some(
    (file) => file.endsWith('.js') && readFileSync(join(assets, file), 'utf8').includes('first-chart'),
  );
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
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  await withDemoDashboard('alliance-bench-client-', async ({ server, distDir, cookie }) => {
    const browser = await launchChromium(CHROMIUM_PATH);
    try {
      const mark = clientMarksFirstChart(distDir);
      const timing: Timing = { mark, pixels: values.pixels || !mark };
      for (let i = 0; i < warmup; i++) await loadOnce(browser, server.url, cookie, timing);
      const loads: Load[] = [];
      for (let i = 0; i < runs; i++) loads.push(await loadOnce(browser, server.url, cookie, timing));
      report(loads, timing, distDir, browser.version());
    } finally {
      await browser.close();
    }
  });
}

function report(loads: Load[], timing: Timing, distDir: string, version: string): void {
  const times = loads.map((load) => (timing.mark ? load.markMs : load.pixelsMs)!);
  const p50 = percentile(times, 50);
  const p90 = percentile(times, 90);
  // Every fresh load fetches the same files; the last load's list stands for all.
  const scripts = loads.at(-1)!.scripts;
  const raw = scripts.reduce((sum, s) => sum + s.decoded, 0);
  const compressedOnWire = scripts.some((s) => s.encoded > 0 && s.encoded < s.decoded);
  const gzip = compressedOnWire
    ? scripts.reduce((sum, s) => sum + s.encoded, 0)
    : scripts.reduce((sum, s) => sum + gzipSync(readFileSync(join(distDir, s.path))).length, 0);
  const how = timing.mark
    ? `the client's performance.mark('first-chart')${timing.pixels ? ' (pixels polled too, which slows the page a little)' : ''}`
    : 'the first frame with drawn pixels in a #view canvas (polled: the built client sets no first-chart mark)';

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
      `${viewport.width}×${viewport.height}${reducedMotion ? ', reduced motion' : ''}, headless Chromium ${version}, demo data (5,000 records), signed in as leadership`,
  );
  console.log(`timed from navigation start to ${how}\n`);
  console.log(line(['', 'measured', 'target', '']));
  for (const row of rows) console.log(line(row));
  console.log(`\nper load: ${times.map((t) => Math.round(t)).join(', ')} ms`);
  if (timing.mark && timing.pixels) {
    const pixels = loads.map((load) => load.pixelsMs!);
    const lag = loads.map((load) => load.markMs! - load.pixelsMs!);
    console.log(
      `cross-check: drawn pixels first seen in a #view canvas at median ${ms(percentile(pixels, 50))}; ` +
        `mark minus first pixels, median ${ms(percentile(lag, 50))}`,
    );
  }
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
