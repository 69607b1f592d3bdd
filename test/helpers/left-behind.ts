import { afterAll, beforeAll, expect } from 'vitest';
import { stopChildren } from './process.js';
import { spoolFilesHeld } from './spool-files.js';
import { until } from './until.js';

/**
 * Every integration file ends with nothing of its own left behind, found here and not by a later
 * file (a worker runs its files one after another):
 * - no child process it started (a server, the command line) still running: each is stopped, and
 *   the file fails if a test left one that way (a test that failed has had its own stopped already);
 * - no spool file this worker made while the file ran (uploads, checked rows, downloads).
 */
let before: ReadonlySet<string> = new Set();

beforeAll(() => {
  before = new Set(spoolFilesHeld());
});

afterAll(async () => {
  const children = await stopChildren();
  const left = () => spoolFilesHeld().filter((name) => !before.has(name));
  // A file being removed as the last answer ends has a moment to go.
  await until(() => left().length === 0, 'spool files to go', { everyMs: 50 }).catch(() => undefined);
  expect({ children, spoolFiles: left() }, 'child processes left running, spool files left behind').toEqual({
    children: 0,
    spoolFiles: [],
  });
});
