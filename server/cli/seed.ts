import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../config.js';
import { connectDatabase, DatabaseUnavailableError } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { FACT_KINDS } from '../db/schema.js';
import { DEMO_RECORDS, DEMO_SEED } from '../demo/demo-mode.js';
import { hasAnyRecords, seedDemoData } from '../demo/seed.js';
import { isValidIsoDate, today } from '../lib/dates.js';

const USAGE = `usage: npm run seed -- [--seed N] [--records N] [--as-of YYYY-MM-DD] [--replace]

Writes the deterministic synthetic demo dataset into the configured database
(DATABASE_URL, or the embedded database under DATA_DIR).
  --seed N        seed of the generator (default ${DEMO_SEED}); same seed and as-of day, same rows
  --records N     records of all kinds together (default ${DEMO_RECORDS}; 10000000 for benchmarks)
  --as-of DATE    last day records may carry (default today, UTC)
  --replace       delete every existing record and target first (recorded in the audit log)`;

class UsageError extends Error {}

function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} must be a whole number up to ${max}`);
  return Number(value);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      records: { type: 'string' },
      'as-of': { type: 'string' },
      replace: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const seed = wholeNumber('seed', values.seed, DEMO_SEED, 2 ** 32 - 1);
  const records = wholeNumber('records', values.records, DEMO_RECORDS, 100_000_000);
  const asOf = values['as-of'] ?? today();
  if (!isValidIsoDate(asOf)) throw new UsageError('--as-of must be a date written YYYY-MM-DD');

  const config = loadConfig();
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, watch: false });
  try {
    await migrateToLatest(database.db);
    if (await hasAnyRecords(database.db)) {
      if (!values.replace) {
        process.stderr.write(
          'alliance-outcomes: the database already holds records; add --replace to delete them and write the demo data\n',
        );
        return 1;
      }
      await database.db.transaction().execute(async (trx) => {
        const counts: Record<string, number> = {};
        for (const kind of FACT_KINDS) {
          const result = await trx.deleteFrom(kind).executeTakeFirst();
          counts[kind] = Number(result.numDeletedRows);
        }
        await trx.deleteFrom('target').execute();
        await trx
          .insertInto('audit_log')
          .values({ action: 'delete', subject: 'all records (seed --replace)', user_email: 'cli', detail: counts })
          .execute();
      });
    }
    const started = Date.now();
    const tty = process.stderr.isTTY;
    let lastPrint = 0;
    const summary = await seedDemoData(database.db, { seed, records, asOf }, ({ written, total }) => {
      const now = Date.now();
      if (now - lastPrint < 250 && written < total) return;
      lastPrint = now;
      const rate = Math.round(written / Math.max(0.001, (now - started) / 1000));
      const line = `  written ${written.toLocaleString('en')} / ${total.toLocaleString('en')} records (${((100 * written) / Math.max(1, total)).toFixed(1)}%), ${rate.toLocaleString('en')} records/s`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    });
    if (tty) process.stderr.write('\n');
    await sql`analyze`.execute(database.db);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `wrote ${records.toLocaleString('en')} synthetic records (${FACT_KINDS.map((k) => `${k} ${summary.records[k]}`).join(', ')}) and ${summary.targets} targets in ${seconds.toFixed(1)} s (seed ${seed}, as of ${asOf}) to the ${database.kind} database\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`alliance-outcomes: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    const expected = error instanceof ConfigError || error instanceof DatabaseUnavailableError;
    process.stderr.write(`alliance-outcomes: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!expected && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
