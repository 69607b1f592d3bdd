import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_MISSING_HINT, chromiumInstalled } from './chromium.js';
import { buildClient } from './client-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The client built for this run, or null when there is no Chromium to show it to. */
    clientDist: string | null;
  }
}

/** The browser project: the client built once per run, into a directory of the run's own. */
export default async function setup(project: TestProject): Promise<() => void> {
  if (!chromiumInstalled()) {
    process.stderr.write(`\n${CHROMIUM_MISSING_HINT}\n\n`);
    project.provide('clientDist', null);
    return () => undefined;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'alliance-e2e-client-'));
  await buildClient(outDir);
  project.provide('clientDist', outDir);
  return () => rmSync(outDir, { recursive: true, force: true });
}
