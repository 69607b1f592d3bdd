import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../server/lib/chromium.js';

/** The browser the end-to-end tests and the first-chart bench drive: the one the report prints with. */
export { CHROMIUM_PATH };

export const CHROMIUM_MISSING_HINT = 'Chromium not found: apt-get install -y chromium (the browser tests are skipped)';

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
