import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import { today } from '../lib/dates.js';
import type { Logger } from '../logger.js';
import { readDataset } from '../meta/meta.queries.js';
import { hasAnyRecords, seedDemoData } from './seed.js';

export const DEMO_SEED = 42;
export const DEMO_RECORDS = 5000;

/**
 * Fills an empty database with the demo dataset when the configuration asks for it:
 * `auto` fills only the embedded database, `on` any database, `off` none.
 * Returns whether the server runs in demo mode (embedded database holding demo data).
 */
export async function prepareDemoData(database: DatabaseHandle, config: Config, log: Logger): Promise<boolean> {
  const wanted = config.demoData === 'on' || (config.demoData === 'auto' && database.kind === 'pglite');
  if (wanted && !(await hasAnyRecords(database.db))) {
    const started = Date.now();
    const summary = await seedDemoData(database.db, { seed: DEMO_SEED, records: DEMO_RECORDS, asOf: today() });
    log.info({ ...summary, ms: Date.now() - started }, 'wrote the synthetic demo dataset');
  }
  const dataset = await readDataset(database.db);
  return database.kind === 'pglite' && dataset.synthetic;
}
