import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { FACT_KINDS, FACT_KINDS_DEPENDENTS_FIRST } from '../../db/schema.js';
import { DEMO_RECORDS, DEMO_SEED } from '../../demo/demo-mode.js';
import { hasAnyRecords, seedDemoData } from '../../demo/seed.js';
import { isValidIsoDate, today } from '../../lib/dates.js';
import { type Command, Refused, UsageError } from '../command.js';

function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} must be a whole number up to ${max}`);
  return Number(value);
}

/**
 * `seed`: writes the deterministic synthetic demo dataset (`npm run seed` runs it). A database that
 * holds records already is refused unless `--replace` deletes them first, in one transaction with
 * its audit entry; progress goes to standard error, the summary to standard output.
 */
export const seedCommand: Command = async (database, args, io) => {
  const { values } = parseArgs({
    args,
    options: { seed: { type: 'string' }, records: { type: 'string' }, 'as-of': { type: 'string' }, replace: { type: 'boolean' } },
    strict: true,
  });
  const seed = wholeNumber('seed', values.seed, DEMO_SEED, 2 ** 32 - 1);
  const records = wholeNumber('records', values.records, DEMO_RECORDS, 100_000_000);
  const asOf = values['as-of'] ?? today();
  if (!isValidIsoDate(asOf)) throw new UsageError('--as-of must be a date written YYYY-MM-DD');

  if (await hasAnyRecords(database.db)) {
    if (!values.replace)
      throw new Refused('the database already holds records; add --replace to delete them and write the demo data');
    await database.db.transaction().execute(async (trx) => {
      const counts: Record<string, number> = {};
      for (const kind of FACT_KINDS_DEPENDENTS_FIRST)
        counts[kind] = Number((await trx.deleteFrom(kind).executeTakeFirst()).numDeletedRows);
      await trx.deleteFrom('target').execute();
      await trx
        .insertInto('audit_log')
        .values({ action: 'delete', subject: 'all records (seed --replace)', user_email: 'cli', detail: counts })
        .execute();
    });
  }
  const started = Date.now();
  const tty = io.stderr.isTTY === true;
  let lastPrint = 0;
  const summary = await seedDemoData(database.db, { seed, records, asOf }, ({ written, total }) => {
    const now = Date.now();
    if (now - lastPrint < 250 && written < total) return;
    lastPrint = now;
    const rate = Math.round(written / Math.max(0.001, (now - started) / 1000));
    const line = `  written ${written.toLocaleString('en')} / ${total.toLocaleString('en')} records (${((100 * written) / Math.max(1, total)).toFixed(1)}%), ${rate.toLocaleString('en')} records/s`;
    io.stderr.write(tty ? `\r${line}` : `${line}\n`);
  });
  if (tty) io.stderr.write('\n');
  await sql`analyze`.execute(database.db);
  const seconds = (Date.now() - started) / 1000;
  io.stdout.write(
    `wrote ${records.toLocaleString('en')} synthetic records (${FACT_KINDS.map((k) => `${k} ${summary.records[k]}`).join(', ')}) and ${summary.targets} targets in ${seconds.toFixed(1)} s (seed ${seed}, as of ${asOf}) to the ${database.kind} database\n`,
  );
  return 0;
};
