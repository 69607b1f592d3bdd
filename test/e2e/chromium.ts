import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../server/lib/chromium.js';

/** The Chromium the report prints with (`CHROMIUM_PATH`), which the first-chart bench and the screenshots drive too. */
export { CHROMIUM_PATH };

/** Debian's headless build of the same Chromium (package chromium-headless-shell). */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/**
 * The browser the end-to-end tests drive: Debian's headless shell when it is installed, else the
 * Chromium the report prints with; `E2E_CHROMIUM_PATH` names another. The shell is built from the
 * same source as /usr/bin/chromium, at the same version (the packages are released together): the
 * same Blink lays out, paints and prints the same pages, without the windowing browser around it,
 * for about a third of the processor time (docs/performance.md). The report the server prints in
 * these tests is still printed by `CHROMIUM_PATH`.
 */
export const E2E_CHROMIUM_PATH = process.env.E2E_CHROMIUM_PATH || (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : CHROMIUM_PATH);

export const CHROMIUM_MISSING_HINT =
  'Chromium not found: apt-get install -y chromium chromium-headless-shell fonts-noto-cjk (the browser tests are skipped)';

/** Whether the browser tests can run: the report's Chromium, and the browser they drive. */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH) && existsSync(E2E_CHROMIUM_PATH);
}

/** A headless Chromium: the one the tests drive, unless another is named (the bench and the screenshots name `CHROMIUM_PATH`). */
export function launchChromium(executablePath = E2E_CHROMIUM_PATH): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
