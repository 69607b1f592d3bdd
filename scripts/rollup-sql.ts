/** Writes sql/0007_rollups.sql and sql/0011_day_rollups.sql from the rollup registry (server/kpi/rollups.ts). */
import { writeFileSync } from 'node:fs';
import { dayRollupMigrationSql, rollupMigrationSql } from '../server/kpi/rollups.js';

writeFileSync(new URL('../sql/0007_rollups.sql', import.meta.url), rollupMigrationSql());
writeFileSync(new URL('../sql/0011_day_rollups.sql', import.meta.url), dayRollupMigrationSql());
console.log('wrote sql/0007_rollups.sql and sql/0011_day_rollups.sql');
