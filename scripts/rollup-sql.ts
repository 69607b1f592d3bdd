/** Writes sql/0007_rollups.sql from the rollup registry (server/kpi/rollups.ts). */
import { writeFileSync } from 'node:fs';
import { rollupMigrationSql } from '../server/kpi/rollups.js';

writeFileSync(new URL('../sql/0007_rollups.sql', import.meta.url), rollupMigrationSql());
console.log('wrote sql/0007_rollups.sql');
