/**
 * Import and export throughput at scale on PostgreSQL, side by side with PostgreSQL's own COPY
 * on the same data, and the process's peak memory while exporting 100,000 and 1,000,000 rows.
 * Usage: npm run bench:csv -- [--rows 1000000] [--postgres URL]
 *
 * The import runs the same code as the API and the CLI (parse, check every row, upsert in one
 * transaction); only the 50 MB upload limit is left out, since a million contracts take ~110 MB.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { writeCsv } from '../server/csv/csv-response.js';
import { loadLabels } from '../server/csv/labels.js';
import { connectDatabase, quoteIdentifier } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { Random } from '../server/demo/random.js';
import { recordRows, recordsHeader } from '../server/exports/exports.js';
import { applyImport } from '../server/imports/apply-import.js';
import { parseImport } from '../server/imports/parse-import.js';
import { loadReferences } from '../server/kpi/references.js';
import { KIND_COLUMNS } from '../server/records/record-columns.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const ROWS = Number(values.rows);

/** A CSV of `n` technology-transfer contracts, as a university would export it from its own system. */
function contractsCsv(n: number, seed: number): Buffer {
  const random = new Random(seed);
  const universities = ['USST', 'NJTECH', 'UJS', 'ZJUT', 'AHUT'];
  const modes = ['transfer', 'license', 'equity', 'development', 'consulting', 'service'];
  const regions = ['SH', 'JS', 'ZJ', 'AH', 'OTHER'];
  const fields = ['ADV_MFG', 'NEW_MAT', 'IT_AI', 'BIOMED', 'ENERGY_ENV', 'OPTO'];
  const lines = [KIND_COLUMNS.tech_transfer.map((c) => c.name).join(',')];
  for (let i = 0; i < n; i++) {
    const u = random.pick(universities);
    const value = Math.round(random.logNormal(400_000, 1.1)) + 100;
    const day = new Date(Date.UTC(2020, 0, 1) + random.int(0, 2000) * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      `${u},TT-${u}-${i},${random.pick(modes)},上海某科技有限公司 ${i % 997},${random.pick(regions)},,${random.pick(fields)},${day},${value}.00,${Math.floor(value / 2)}.50,${random.int(0, 4)}`,
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

/** Samples the process's resident memory every 20 ms while `work` runs; returns the peak above the start. */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number; peakRssMb: number }> {
  global.gc?.();
  const start = process.memoryUsage();
  let peakHeap = start.heapUsed;
  let peakRss = start.rss;
  const sample = () => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  };
  const timer = setInterval(sample, 10);
  try {
    const result = await work();
    sample();
    return { result, peakMb: (peakHeap - start.heapUsed) / 1024 / 1024, peakRssMb: peakRss / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

class Counter extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

const name = `ao_bench_csv_${process.pid}`;
const admin = new pg.Client({ connectionString: values.postgres });
await admin.connect();
await admin.query(`drop database if exists ${quoteIdentifier(name)}`);
await admin.query(`create database ${quoteIdentifier(name)}`);
const url = new URL(values.postgres!);
url.pathname = `/${name}`;
const database = await connectDatabase({ databaseUrl: url.toString() });
await migrateToLatest(database.db);
const db = database.db;
const raw = new pg.Client({ connectionString: url.toString() });
await raw.connect();

const file = contractsCsv(ROWS, 42);
console.log(`\n${ROWS.toLocaleString('en')} technology-transfer rows, ${(file.length / 1024 / 1024).toFixed(1)} MB of CSV\n`);

// 1. PostgreSQL's own COPY FROM of the same file: into the real table (same indexes, checks and
// foreign keys; rolled back), and into a bare table without any of them, the absolute floor.
const columns = KIND_COLUMNS.tech_transfer.map((c) => c.name).join(', ');
const copyInto = async (table: string): Promise<number> => {
  const start = performance.now();
  await pipeline(
    (async function* () {
      yield file;
    })(),
    raw.query(copyFrom(`copy ${table} (${columns}) from stdin with (format csv, header true)`)),
  );
  return (performance.now() - start) / 1000;
};
await raw.query('begin');
const copyFromSeconds = await copyInto('tech_transfer');
await raw.query('rollback');
await raw.query(`create unlogged table copy_target as select ${columns} from tech_transfer with no data`);
const copyBareSeconds = await copyInto('copy_target');
let started = performance.now();

// 2. Our import: parse, check every row (schema, codes, duplicates), upsert in one transaction.
const references = await loadReferences(db);
const { rows } = await parseImport('tech_transfer', file, references, null);
const parsedSeconds = (performance.now() - started) / 1000;
const imported = await applyImport(
  db,
  'tech_transfer',
  rows,
  { name: 'bench.csv', bytes: file },
  null,
  { id: null, email: 'bench', address: null },
  { dryRun: false },
);
const importSeconds = (performance.now() - started) / 1000;
if (imported.inserted !== ROWS) throw new Error(`imported ${imported.inserted}, expected ${ROWS}`);
await sql`analyze tech_transfer`.execute(db);

// 3. COPY TO against our export, of the same rows.
started = performance.now();
const copyOut = new Counter();
await pipeline(
  raw.query(
    copyTo(
      `copy (select ${columns} from tech_transfer order by signed_on, university_code, ref) to stdout with (format csv, header true)`,
    ),
  ),
  copyOut,
);
const copyToSeconds = (performance.now() - started) / 1000;

const labels = await loadLabels(db, 'en');
const output = { csv: true, bom: true, lang: 'en' as const, formatted: false };
const exportRows = async (limit: number | null) => {
  const out = new Counter();
  const filters =
    limit === null
      ? {}
      : {
          to: (await raw.query(`select signed_on::text as d from tech_transfer order by signed_on offset ${limit - 1} limit 1`))
            .rows[0].d,
        };
  const count = await writeCsv(
    out,
    { bom: true, header: recordsHeader('tech_transfer', output) },
    recordRows(db, 'tech_transfer', filters, undefined, output, labels),
  );
  return { count, bytes: out.bytes };
};
started = performance.now();
const full = await peakMemory(() => exportRows(null));
const exportSeconds = (performance.now() - started) / 1000;
const tenth = await peakMemory(() => exportRows(Math.round(ROWS / 10)));

const rate = (n: number, s: number) =>
  `${Math.round(n / s)
    .toLocaleString('en')
    .padStart(10)} rows/s`;
console.log('step                         | time (s) | rate');
console.log(`COPY FROM, bare table       | ${copyBareSeconds.toFixed(2).padStart(8)} | ${rate(ROWS, copyBareSeconds)}`);
console.log(`COPY FROM, the real table   | ${copyFromSeconds.toFixed(2).padStart(8)} | ${rate(ROWS, copyFromSeconds)}`);
console.log(`our import (parse+check)     | ${parsedSeconds.toFixed(2).padStart(8)} | ${rate(ROWS, parsedSeconds)}`);
console.log(
  `our import (whole)           | ${importSeconds.toFixed(2).padStart(8)} | ${rate(ROWS, importSeconds)}  = ${(copyFromSeconds / importSeconds).toFixed(2)}× COPY FROM's rate (target ≥ 0.33)`,
);
console.log(`COPY TO (floor)              | ${copyToSeconds.toFixed(2).padStart(8)} | ${rate(ROWS, copyToSeconds)}`);
console.log(
  `our export                   | ${exportSeconds.toFixed(2).padStart(8)} | ${rate(full.result.count, exportSeconds)}  = ${(copyToSeconds / exportSeconds).toFixed(2)}× COPY TO's rate (target ≥ 0.5)`,
);
console.log(
  `\npeak memory above the start while exporting: ${tenth.result.count.toLocaleString('en')} rows ${tenth.peakMb.toFixed(1)} MB, ${full.result.count.toLocaleString('en')} rows ${full.peakMb.toFixed(1)} MB (difference ${(full.peakMb - tenth.peakMb).toFixed(1)} MB, target ≤ 50)`,
);

await raw.end();
await database.close();
await admin.query(`drop database if exists ${quoteIdentifier(name)} with (force)`);
await admin.end();
