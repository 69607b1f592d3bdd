/**
 * Loads the deterministic demo dataset at scale into PostgreSQL with COPY (the generator's rows,
 * written as CSV, streamed into each fact table in statements of 500,000 rows; the rollup
 * triggers run in the same statements), and reports the load rate.
 * Usage: npm run bench:load-demo -- [--records 10000000] [--database URL]
 * The database is created (or emptied) first and kept, for the latency benchmark to use.
 */
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { connectDatabase, quoteIdentifier } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { FACT_KINDS, type FactKind } from '../server/db/schema.js';
import { DemoDataGenerator } from '../server/demo/generator.js';
import { markSynthetic } from '../server/demo/seed.js';
import { today } from '../server/lib/dates.js';
import { INPUT_COLUMNS } from '../contract/record-columns.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '10000000' },
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/ao_bench_10m' },
    seed: { type: 'string', default: '42' },
  },
});
const records = Number(values.records);
const STATEMENT_ROWS = 500_000;

/** Makes the database if it is not there, then empties the facts and targets. */
async function prepare(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database ${quoteIdentifier(name)}`);
  await admin.end();
}

await prepare(values.database!);
const database = await connectDatabase({ databaseUrl: values.database, watch: false });
await migrateToLatest(database.db);
await sql`truncate tech_transfer, payment, incubation, talent, credit, capacity, target restart identity cascade`.execute(
  database.db,
);
const client = new pg.Client({ connectionString: values.database });
await client.connect();

const generator = new DemoDataGenerator({ seed: Number(values.seed), records, asOf: today() });
const columns = (kind: FactKind) => INPUT_COLUMNS[kind].map((c) => c.name);
const buffers = new Map<FactKind, unknown[][]>(FACT_KINDS.map((k) => [k, []]));
const counts: Record<FactKind, number> = {
  tech_transfer: 0,
  payment: 0,
  incubation: 0,
  talent: 0,
  credit: 0,
  capacity: 0,
};

async function copy(kind: FactKind, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const text = stringify(rows, { record_delimiter: 'unix' });
  await pipeline(
    (async function* () {
      yield text;
    })(),
    client.query(copyFrom(`copy ${kind} (${columns(kind).join(', ')}) from stdin with (format csv)`)),
  );
  counts[kind] += rows.length;
}

const started = performance.now();
let generating = 0;
let copying = 0;
let last = started;
let t = performance.now();
for (const record of generator.records()) {
  const row = record.row as Record<string, unknown>;
  const buffer = buffers.get(record.kind)!;
  // A column the row leaves out takes its default (a contract without rewards: 0).
  buffer.push(INPUT_COLUMNS[record.kind].map((c) => row[c.name] ?? c.default ?? null));
  if (buffer.length >= STATEMENT_ROWS) {
    generating += performance.now() - t;
    t = performance.now();
    // A payment names its contract: the contracts buffered so far go first.
    if (record.kind === 'payment') {
      await copy('tech_transfer', buffers.get('tech_transfer')!);
      buffers.set('tech_transfer', []);
    }
    buffers.set(record.kind, []);
    await copy(record.kind, buffer);
    copying += performance.now() - t;
    t = performance.now();
    if (performance.now() - last > 5000) {
      last = performance.now();
      const done = Object.values(counts).reduce((a, b) => a + b, 0);
      process.stderr.write(
        `  ${done.toLocaleString('en')} records, ${Math.round(done / ((last - started) / 1000)).toLocaleString('en')}/s\n`,
      );
    }
  }
}
generating += performance.now() - t;
t = performance.now();
for (const kind of FACT_KINDS) await copy(kind, buffers.get(kind)!);
copying += performance.now() - t;
const targets = generator.targets();
await database.db.insertInto('target').values(targets).execute();
await markSynthetic(database.db, { seed: Number(values.seed), records, asOf: today() });
const seconds = (performance.now() - started) / 1000;
t = performance.now();
await sql`vacuum analyze`.execute(database.db);
const analyze = (performance.now() - t) / 1000;

const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`\nloaded ${total.toLocaleString('en')} records into ${values.database}`);
for (const kind of FACT_KINDS) console.log(`  ${kind.padEnd(14)} ${counts[kind].toLocaleString('en').padStart(12)}`);
console.log(`  targets        ${targets.length.toLocaleString('en').padStart(12)}`);
console.log(
  `\nload: ${seconds.toFixed(1)} s = ${Math.round(total / seconds).toLocaleString('en')} records/s (generating ${(generating / 1000).toFixed(1)} s, COPY with indexes, checks and rollup triggers ${(copying / 1000).toFixed(1)} s = ${Math.round(total / (copying / 1000)).toLocaleString('en')} records/s); vacuum analyze ${analyze.toFixed(1)} s`,
);
await client.end();
await database.close();
