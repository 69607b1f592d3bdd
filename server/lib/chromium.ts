/**
 * The browser the report's PDF is printed with (and the first-chart benchmark and the screenshots
 * drive): Debian's Chromium, never a downloaded one. `CHROMIUM_PATH` names another installed build.
 * The browser tests drive Debian's headless shell of it where installed (test/e2e/chromium.ts).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless in a container: no sandbox, no GPU, and nothing that phones home while it runs. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
