import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSnapshots, SNAPSHOT_DIR } from '../test/sql/catalogue.js';

/**
 * Writes the SQL of the query catalogue (test/sql/catalogue.ts) into docs/sql/, one file per
 * family, and removes files of families no longer in it. Commit the result with the change that
 * moved the SQL: the diff is what a reviewer reads.
 */
const files = await renderSnapshots();
mkdirSync(SNAPSHOT_DIR, { recursive: true });
for (const name of readdirSync(SNAPSHOT_DIR)) {
  if (name.endsWith('.sql') && !files.has(name)) rmSync(join(SNAPSHOT_DIR, name));
}
for (const [name, text] of files) writeFileSync(join(SNAPSHOT_DIR, name), text);
process.stdout.write(`wrote ${files.size} files of SQL to ${SNAPSHOT_DIR}/\n`);
