import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import { today } from '../lib/dates.js';
import type { Logger } from '../logger.js';
import { readDemoStatus } from './demo-status.js';
import { hasAnyRecords, seedDemoData } from './seed.js';

export const DEMO_SEED = 42;
export const DEMO_RECORDS = 5000;

/**
 * Fills an empty database with the demo dataset when the configuration asks for it:
 * `auto` fills only the embedded database, `on` any database, `off` none; a database that has
 * left demo mode is never filled again. Returns whether the server runs in demo mode: an
 * embedded database holding nothing but the demo (see `readDemoStatus`), whose demo accounts
 * the sign-in page may show. Demo accounts on any other database are warned of: the published
 * password no longer signs them in there (see `login`).
 */
export async function prepareDemoData(database: DatabaseHandle, config: Config, log: Logger): Promise<boolean> {
  const wanted = config.demoData === 'on' || (config.demoData === 'auto' && database.kind === 'pglite');
  if (wanted && !(await readDemoStatus(database.db)).left && !(await hasAnyRecords(database.db))) {
    const started = Date.now();
    const summary = await seedDemoData(database.db, { seed: DEMO_SEED, records: DEMO_RECORDS, asOf: today() });
    log.info({ ...summary, ms: Date.now() - started }, 'wrote the synthetic demo dataset');
  }
  const status = await readDemoStatus(database.db);
  const demoMode = database.kind === 'pglite' && status.purelySynthetic;
  if (!demoMode && status.demoAccounts > 0) {
    log.warn(
      { demoAccounts: status.demoAccounts },
      'demo accounts with the published demo password exist on a database that holds more than the demo data, and that password no longer signs them in: leave demo mode (Admin, Users; or npm run cli -- leave-demo --keep-records or --remove-records), or give an account a password of its own (npm run cli -- user set-password --email E)',
    );
  }
  return demoMode;
}
