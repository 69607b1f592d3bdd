import { afterAll, beforeAll, expect } from 'vitest';
import { spoolFilesHeld } from './spool-files.js';

/**
 * Every integration file: the spool files this worker made while the file ran (uploads, checked
 * rows, downloads) are gone once it ends. The files of a worker run one after another, so a file
 * left behind is the file's own, or the server's it started: found here, not by a later file.
 */
let before: ReadonlySet<string> = new Set();

beforeAll(() => {
  before = new Set(spoolFilesHeld());
});

afterAll(async () => {
  const left = () => spoolFilesHeld().filter((name) => !before.has(name));
  // A file being removed as the last answer ends has a moment to go.
  for (let waited = 0; left().length > 0 && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(left(), 'spool files this test file left behind').toEqual([]);
});
