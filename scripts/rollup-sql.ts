/**
 * Fills the rollup block of a migration from the rollup registry (server/kpi/rollups.ts):
 * `npm run sql:rollups -- sql/NNNN_name.sql`. Give it a new migration whenever the registry
 * changes: an applied migration is never edited, since a database that ran it never sees the edit.
 * A new file gets the block between its markers; an existing file keeps the rest of its text.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ROLLUP_BLOCK_BEGIN, ROLLUP_BLOCK_END, withRollupBlock } from '../server/kpi/rollups.js';

const file = process.argv[2];
if (!file || !/\d{4}_[a-z0-9_]+\.sql$/.test(file)) {
  console.error('usage: npm run sql:rollups -- sql/NNNN_name.sql (a new migration, numbered after the last one)');
  process.exit(2);
}
const text = existsSync(file)
  ? readFileSync(file, 'utf8')
  : `-- Rollups rebuilt from the facts after a change of the rollup registry.\n\n${ROLLUP_BLOCK_BEGIN}\n${ROLLUP_BLOCK_END}\n`;
writeFileSync(
  file,
  withRollupBlock(text.includes(ROLLUP_BLOCK_BEGIN) ? text : `${text}\n${ROLLUP_BLOCK_BEGIN}\n${ROLLUP_BLOCK_END}\n`),
);
console.log(`wrote the rollup block of ${file}`);
