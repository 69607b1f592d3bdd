import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * The browser the end-to-end tests and the first-chart bench drive: Debian's Chromium, never a
 * downloaded one (CI installs it with apt; a developer without it sees the browser tests skipped).
 * `CHROMIUM_PATH` names another installed build (and lets one try the skipped path).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_MISSING_HINT = 'Chromium not found: apt-get install -y chromium (the browser tests are skipped)';

/** Headless in a container: no sandbox, no GPU, and nothing that phones home while a test runs. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
