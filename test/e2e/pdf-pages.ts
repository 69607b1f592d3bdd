import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';

/**
 * Pictures of a PDF's pages, as a reader sees them: PDF.js (pdfjs-dist) draws each page on a
 * canvas in Chromium, from the PDF's bytes alone. The page is served under an origin of its own,
 * with PDF.js's files from node_modules; nothing else is fetched.
 */

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const ORIGIN = 'http://pdf-pages.invalid';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript; charset=utf-8',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.ttf': 'font/ttf',
};

/** The page PDF.js runs in: the library is loaded by the page itself (a module script), then used from the test. */
const PAGE = `<!doctype html><title>pages</title><script type="module">
import * as pdfjsLib from '/build/pdf.min.mjs';
pdfjsLib.GlobalWorkerOptions.workerSrc = '/build/pdf.worker.min.mjs';
window.pdfjsLib = pdfjsLib;
</script>`;

/** Each page of `pdf` as a PNG, `scale` CSS pixels per PDF point (1.5: an A4 page 893 px wide). */
export async function pdfPagePngs(browser: Browser, pdf: Buffer, { scale = 1.5 } = {}): Promise<Buffer[]> {
  const context = await browser.newContext();
  try {
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      const file = normalize(join(PDFJS_DIR, decodeURIComponent(url.pathname)));
      if (!file.startsWith(PDFJS_DIR) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ path: file, contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
    });
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => 'pdfjsLib' in window);
    const urls = await page.evaluate(
      async ({ data, scale }) => {
        const pdfjs = (window as unknown as { pdfjsLib: typeof import('pdfjs-dist') }).pdfjsLib;
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const doc = await pdfjs.getDocument({ data: bytes, cMapUrl: '/cmaps/', standardFontDataUrl: '/standard_fonts/' }).promise;
        const out: string[] = [];
        for (let n = 1; n <= doc.numPages; n++) {
          const pdfPage = await doc.getPage(n);
          const viewport = pdfPage.getViewport({ scale });
          const canvas = document.createElement('canvas');
          canvas.width = Math.ceil(viewport.width);
          canvas.height = Math.ceil(viewport.height);
          const context = canvas.getContext('2d')!;
          context.fillStyle = '#fff';
          context.fillRect(0, 0, canvas.width, canvas.height);
          await pdfPage.render({ canvas, canvasContext: context, viewport }).promise;
          out.push(canvas.toDataURL('image/png'));
        }
        return out;
      },
      { data: pdf.toString('base64'), scale },
    );
    return urls.map((url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
  } finally {
    await context.close();
  }
}

/** Writes the pages as `test/artifacts/<name>-page-<n>.png` (git-ignored), none left from a longer print, and returns their paths. */
export function savePagePngs(name: string, pngs: Buffer[]): string[] {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const file of readdirSync(ARTIFACTS))
    if (file.startsWith(`${name}-page-`) && file.endsWith('.png')) rmSync(join(ARTIFACTS, file));
  return pngs.map((png, i) => {
    const file = join(ARTIFACTS, `${name}-page-${i + 1}.png`);
    writeFileSync(file, png);
    return file;
  });
}
