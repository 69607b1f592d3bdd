import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Browser, Page, Route } from 'playwright-core';
import type { AppUserRow, Database } from '../db/schema.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.js';
import { HttpProblem, NotFound, said } from '../lib/problems.js';
import { problemBody } from '../http/error-handler.js';
import { getMeta } from '../meta/meta.service.js';
import { mendPdfTextLayer } from './pdf-text-layer.js';
import { parsePeriod } from './report-period.js';
import { listSubmissions, liveReport, submissionWithRevisions } from './report-submissions.js';

/**
 * The report as a PDF: the Report view itself, printed by headless Chromium, without the
 * application. The page is the built client, loaded from its files under an origin of its own
 * (`http://report.invalid`); every request it makes is answered in-process (Playwright's request
 * interception): the files from the build, and the few reads the view makes (the account, /meta,
 * the live report or a submission and the period's submissions) from the same use cases the API's
 * routes call, read as the given account. No HTTP server starts and no session is made, so a PDF
 * needs a database connection and Chromium, nothing else. The view prints A4 with page numbers in
 * the footer once its `data-state` is `ready`; the browser tests print the running app's view
 * through `printReport` too, so they check exactly this path.
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

/** Waits for the report view on `page` to be ready and prints it: the PDF's bytes, its text layer mended. */
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
  const pdf = await page.pdf({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: footerTemplate(footer),
    margin: PDF_MARGINS,
  });
  return mendPdfTextLayer(pdf);
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

/** Where `npm run build` puts the client (the server serves it from there). */
const DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The client to print: a fresh build when Vite is at hand (never into dist/, which a server may be serving), else dist/. */
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
  db: Kysely<Database>;
  /** The account the report is read as (any role may read reports): it decides what the revisions show. */
  user: AppUserRow;
  period: string;
  lang: 'zh' | 'en';
  submission?: number | undefined;
  /** The built client to print (the server's own `dist/`); by default a fresh build, else `dist/`. */
  clientDir?: string | undefined;
}

const ORIGIN = 'http://report.invalid';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The answers the Report view reads, from the use cases behind the API's routes of the same paths
 * (`auth.routes.ts`, `meta.routes.ts`, `report.routes.ts`), read as `options.user`. Anything else
 * under /api is a 404, as it would be for a route that does not exist.
 */
async function answer(options: RenderPdfOptions, method: string, url: URL): Promise<unknown> {
  const { db, user } = options;
  const viewer = { id: user.id, email: user.email, name: user.name, role: user.role, university: user.university_code };
  const path = url.pathname.replace(/^\/api\/v1/, '');
  const submission = /^\/report\/submissions\/(\d+)$/.exec(path);
  if (method === 'GET' && path === '/auth/login') return { demo: false };
  if (path === '/auth/me') {
    // The view may remember the language (PATCH): the print has no session to keep it in.
    if (method === 'PATCH') return { lang: options.lang };
    const { email, name, role, university } = viewer;
    return { email, name, role, university, lang: options.lang, csrfToken: '' };
  }
  if (method === 'GET' && path === '/meta') return getMeta(db);
  if (method === 'GET' && path === '/report') {
    const period = parsePeriod(url.searchParams.get('period') ?? '');
    if (!period) throw new NotFound(said('no_such_period', { period: String(url.searchParams.get('period')) }));
    const live = await liveReport(db, period);
    return { lang: options.lang, sha256: live.sha256, report: live.document };
  }
  if (method === 'GET' && path === '/report/submissions')
    return { submissions: await listSubmissions(db, viewer, url.searchParams.get('period') ?? undefined) };
  if (method === 'GET' && submission) return submissionWithRevisions(db, Number(submission[1]), viewer);
  throw new NotFound(said('report_page_reads_not', { method, path }));
}

/** Answers one request of the page: a file of the client's build, or a read of the API. */
async function serve(route: Route, options: RenderPdfOptions, clientDir: string): Promise<void> {
  const request = route.request();
  const url = new URL(request.url());
  if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
  if (url.pathname.startsWith('/api/')) {
    try {
      const body = await answer(options, request.method(), url);
      return route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      return route.fulfill({
        status: error.status,
        contentType: 'application/problem+json; charset=utf-8',
        body: problemBody(error.toJSON()),
      });
    }
  }
  // Only files under the build: a path that climbs out of it is not one.
  const file = normalize(join(clientDir, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
  if (!file.startsWith(normalize(clientDir)) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
  return route.fulfill({ path: file, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
}

export async function renderReportPdf(options: RenderPdfOptions): Promise<{ pdf: Buffer; pages: number }> {
  const browser = await launch();
  const client = options.clientDir ? { dir: options.clientDir, cleanup: () => undefined } : await clientDir();
  try {
    const context = await browser.newContext({
      baseURL: ORIGIN,
      locale: options.lang === 'zh' ? 'zh-CN' : 'en-GB',
      timezoneId: 'Asia/Shanghai',
      reducedMotion: 'reduce',
      viewport: { width: 1100, height: 1400 },
    });
    let failure: unknown;
    await context.route('**/*', (route) =>
      serve(route, options, client.dir).catch(async (error: unknown) => {
        // The view shows a failed read as its error state; the first cause is what the command says.
        failure ??= error;
        await route.fulfill({ status: 500, contentType: 'application/problem+json', body: '{"status":500}' });
      }),
    );
    await context.addInitScript((lang) => localStorage.setItem('alliance-outcomes.lang', lang), options.lang);
    const page = await context.newPage();
    const params = new URLSearchParams({ period: options.period, lang: options.lang });
    if (options.submission) params.set('submission', String(options.submission));
    await page.goto(`/#/report?${params}`);
    let pdf: Buffer;
    try {
      pdf = await printReport(page);
    } catch (error) {
      throw failure ?? error;
    }
    await context.close();
    return { pdf, pages: pdfPageCount(pdf) };
  } finally {
    await browser.close();
    client.cleanup();
  }
}
