/**
 * The browser everything here drives (the report's PDF, the browser tests, the first-chart
 * benchmark): Debian's Chromium, never a downloaded one. `CHROMIUM_PATH` names another installed build.
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
