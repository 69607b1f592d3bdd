import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createApp, DIST_DIR } from '../app.js';
import { createSession, endSession, SESSION_COOKIE } from '../auth/sessions.js';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { AppUserRow } from '../db/schema.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.js';
import type { Logger } from '../logger.js';

/**
 * The report as a PDF: the Report view itself, printed by headless Chromium. The command line
 * starts the application in-process on a free port of 127.0.0.1, signs in a report-capable
 * account through a session of its own (ended afterwards), opens the view for the period and
 * language, waits for its `data-state="ready"` and prints A4 with page numbers in the footer.
 * The browser tests print through `printReport` too, so they check exactly this path.
 */

/** Chromium or playwright-core is missing: the message says how to get it. */
export class ChromiumMissing extends Error {
  override readonly name = 'ChromiumMissing';
}

const escapeHtml = (text: string) =>
  text.replaceAll(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The footer Chromium draws on every page: what the report is, and page n of m. */
export function footerTemplate(text: string): string {
  return `<div style="width:100%;margin:0 14mm;font-size:7.5pt;color:#555;display:flex;justify-content:space-between;gap:8mm;font-family:'Noto Sans CJK SC',sans-serif"><span>${escapeHtml(text)}</span><span style="white-space:nowrap"><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
}

export const PDF_MARGINS = { top: '16mm', right: '14mm', bottom: '18mm', left: '14mm' } as const;

/** Waits for the report view on `page` to be ready and prints it: the PDF's bytes. */
export async function printReport(page: Page, { timeout = 60_000 } = {}): Promise<Buffer> {
  const root = page.locator('#view > .view-report');
  await page.waitForFunction(
    () => {
      const state = document.querySelector('#view > .view-report')?.getAttribute('data-state');
      const failed = document.querySelector('#view > .state.error, #view > .view-report > .state.error');
      return failed ? 'error' : state === 'ready' || state === 'error' ? state : false;
    },
    undefined,
    { timeout, polling: 100 },
  );
  if ((await root.getAttribute('data-state')) !== 'ready') {
    throw new Error(`the report did not load: ${((await page.locator('#view').textContent()) ?? '').trim().slice(0, 300)}`);
  }
  const footer = (await root.getAttribute('data-footer')) ?? '';
  // Chromium's footer carries the page numbers here; the CSS margin box would print them twice.
  await page.evaluate(() => document.documentElement.classList.add('print-footer'));
  return page.pdf({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: footerTemplate(footer),
    margin: PDF_MARGINS,
  });
}

/** The number of pages of a PDF that Chromium wrote (its page objects). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

async function launch(): Promise<Browser> {
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new ChromiumMissing('playwright-core is not installed: run npm install (it drives the system Chromium to print)');
  }
  const executablePath = CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new ChromiumMissing(
      `Chromium is not installed at ${executablePath}: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH), or use --format csv`,
    );
  }
  return playwright.chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** The client to serve: a fresh build when Vite is at hand (never into dist/, which a server may be serving), else dist/. */
async function clientDir(): Promise<{ dir: string; cleanup: () => void }> {
  try {
    const { build } = await import('vite');
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const outDir = mkdtempSync(join(tmpdir(), 'alliance-report-client-'));
    await build({
      configFile: `${root}vite.config.ts`,
      root: `${root}client`,
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
    });
    return { dir: outDir, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
  } catch (error) {
    if (existsSync(join(DIST_DIR, 'index.html'))) return { dir: DIST_DIR, cleanup: () => undefined };
    throw new Error(`the client is not built and cannot be built here (${(error as Error).message}): run npm run build`);
  }
}

export interface RenderPdfOptions {
  database: DatabaseHandle;
  config: Config;
  log: Logger;
  /** The account the report is read as (any role may read reports). */
  user: AppUserRow;
  period: string;
  lang: 'zh' | 'en';
  submission?: number | undefined;
}

export async function renderReportPdf(options: RenderPdfOptions): Promise<{ pdf: Buffer; pages: number }> {
  const browser = await launch();
  const client = await clientDir();
  const { express } = createApp({ database: options.database, config: options.config, log: options.log, distDir: client.dir });
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const listening = express.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const session = await createSession(options.database.db, options.user.id, 'command line');
  try {
    const context = await browser.newContext({
      baseURL: url,
      locale: options.lang === 'zh' ? 'zh-CN' : 'en-GB',
      timezoneId: 'Asia/Shanghai',
      reducedMotion: 'reduce',
      viewport: { width: 1100, height: 1400 },
    });
    await context.addCookies([{ name: SESSION_COOKIE, value: session.token, url, httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript((lang) => localStorage.setItem('alliance-outcomes.lang', lang), options.lang);
    const page = await context.newPage();
    const params = new URLSearchParams({ period: options.period, lang: options.lang });
    if (options.submission) params.set('submission', String(options.submission));
    await page.goto(`/#/report?${params}`);
    const pdf = await printReport(page);
    await context.close();
    return { pdf, pages: pdfPageCount(pdf) };
  } finally {
    await endSession(options.database.db, session.token);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await browser.close();
    client.cleanup();
  }
}
