/**
 * Import and export throughput at scale on PostgreSQL, side by side with PostgreSQL's own COPY
 * on the same data, and the process's peak memory while exporting 100,000 and 1,000,000 rows.
 * Usage: npm run bench:csv -- [--rows 1000000] [--postgres URL] [--database URL]
 * With --database, the benchmark runs in that existing database (e.g. the 10,000,000-record one
 * of `bench:load-demo`): the import adds its rows to what is there (and removes them after), the
 * export writes every contract the database holds.
 *
 * The import runs the same code as the API and the CLI (parse, check every row, upsert in one
 * transaction); only the 50 MB upload limit is left out, since a million contracts take ~110 MB.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { writeCopiedCsv, writeCsv } from '../server/csv/csv-response.js';
import { loadLabels } from '../server/kpi/labels.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { Random } from '../server/demo/random.js';
import { scratchDatabase } from './scratch-database.js';
import { copiedRecords, recordRows, recordsHeader } from '../server/records/records.csv.js';
import { applyImport } from '../server/imports/apply-import.js';
import { checkImport } from '../server/imports/parse-import.js';
import { spoolFile } from '../server/lib/spool.js';
import { loadReferences } from '../server/kpi/references.js';
import { KIND_COLUMNS } from '../contract/record-columns.js';

class Counter extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'export-only': { type: 'string' },
    limit: { type: 'string' },
    general: { type: 'boolean', default: false },
    database: { type: 'string' },
  },
});
const ROWS = Number(values.rows);

if (values['export-only']) {
  // A child: export the first `limit` contracts (or all) of that database; print the time and the peak RSS.
  const database = await connectDatabase({ databaseUrl: values['export-only'] });
  const labels = await loadLabels(database.db, 'en');
  const output = { file: 'csv' as const, bom: true, lang: 'en' as const, formatted: false };
  let to: string | undefined;
  if (values.limit) {
    const offset = Number(values.limit) - 1;
    const { rows } = await sql<{
      d: string;
    }>`select signed_on::text as d from tech_transfer order by signed_on offset ${offset} limit 1`.execute(database.db);
    to = rows[0]!.d;
  }
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const out = new Counter();
  const start = performance.now();
  const header = recordsHeader('tech_transfer', output);
  const filters = to ? { to } : {};
  // The API's own choice: PostgreSQL renders a raw export (COPY), csv-stringify the rest.
  const copied = values.general ? null : copiedRecords(database.bulk, database.copyOut, 'tech_transfer', filters, {}, output);
  const rows = copied
    ? await writeCopiedCsv(out, { bom: true, header }, copied)
    : await writeCsv(out, { bom: true, header }, recordRows(database.bulk, 'tech_transfer', filters, {}, output, labels));
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  await database.close();
  console.log(
    JSON.stringify({ seconds, rows, bytes: out.bytes, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 1024 / 1024 }),
  );
  process.exit(0);
}

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

const scratch = values.database
  ? { url: values.database, drop: async () => undefined }
  : await scratchDatabase(values.postgres!, `ao_bench_csv_${process.pid}`);
const url = new URL(scratch.url);
const database = await connectDatabase({ databaseUrl: scratch.url });
await migrateToLatest(database.db);
const db = database.db;
const raw = new pg.Client({ connectionString: url.toString() });
await raw.connect();

const file = contractsCsv(ROWS, 42);
const existing = Number((await sql<{ n: number }>`select count(*)::bigint as n from tech_transfer`.execute(db)).rows[0]!.n);
console.log(
  `\n${ROWS.toLocaleString('en')} technology-transfer rows, ${(file.length / 1024 / 1024).toFixed(1)} MB of CSV${existing > 0 ? `, imported into a table of ${existing.toLocaleString('en')} contracts` : ''}\n`,
);

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
await raw.query(`drop table if exists copy_target`);
await raw.query(`create unlogged table copy_target as select ${columns} from tech_transfer with no data`);
const copyBareSeconds = await copyInto('copy_target');
let started = performance.now();

// 2. Our import: parse, check every row (schema, codes, duplicates), upsert in one transaction.
// The file goes to disk first, as an upload does; the checks stream it, the rows stream from their spool.
const upload = spoolFile('upload');
await writeFile(upload.path, file);
const references = await loadReferences(db);
const checked = await checkImport('tech_transfer', upload, references, null);
const parsedSeconds = (performance.now() - started) / 1000;
// The bulk pool, as the API's import route uses (its statements may run for minutes).
const imported = await applyImport(
  database.bulk,
  'tech_transfer',
  checked,
  { name: 'bench.csv', sha256: createHash('sha256').update(file).digest('hex') },
  null,
  { id: null, email: 'bench', address: null },
  { dryRun: false, engine: database.kind },
);
await checked.spool.dispose();
await upload.dispose();
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

// 4. Our export, each size in a fresh process of its own, so that its peak memory is its own.
const exportIn = (limit: number | null, general = false): { seconds: number; rows: number; bytes: number; peakRssMb: number } => {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--export-only',
    url.toString(),
    ...(limit ? ['--limit', String(limit)] : []),
    ...(general ? ['--general'] : []),
  ];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
};
const exported = existing + ROWS;
const full = exportIn(null);
const tenth = exportIn(Math.round(exported / 10));
const fullGeneral = exportIn(null, true);
const tenthGeneral = exportIn(Math.round(exported / 10), true);

const rate = (n: number, s: number) =>
  `${Math.round(n / s)
    .toLocaleString('en')
    .padStart(10)} rows/s`;
const line = (step: string, seconds: number, rows: number, note = '') =>
  console.log(`${step.padEnd(28)} | ${seconds.toFixed(2).padStart(8)} | ${rate(rows, seconds)}${note}`);
console.log('step                         | time (s) | rate');
line('COPY FROM, bare table', copyBareSeconds, ROWS);
line('COPY FROM, the real table', copyFromSeconds, ROWS);
line('our import: parse and check', parsedSeconds, ROWS);
line(
  'our import: whole',
  importSeconds,
  ROWS,
  `  = ${(copyFromSeconds / importSeconds).toFixed(2)}× the rate of COPY into the same table (target ≥ 0.33), ${(copyBareSeconds / importSeconds).toFixed(2)}× a bare one`,
);
line('COPY TO', copyToSeconds, exported);
line(
  'our export (raw: COPY path)',
  full.seconds,
  full.rows,
  `  = ${(copyToSeconds / full.seconds).toFixed(2)}× COPY TO's rate (target ≥ 0.5)`,
);
line(
  'our export (csv-stringify path)',
  fullGeneral.seconds,
  fullGeneral.rows,
  `  = ${(copyToSeconds / fullGeneral.seconds).toFixed(2)}× COPY TO's rate (formatted exports and PGlite)`,
);
const memory = (name: string, small: typeof full, large: typeof full) =>
  console.log(
    `peak resident memory, ${name}: ${small.rows.toLocaleString('en')} rows ${small.peakRssMb.toFixed(1)} MB, ${large.rows.toLocaleString('en')} rows ${large.peakRssMb.toFixed(1)} MB (difference ${(large.peakRssMb - small.peakRssMb).toFixed(1)} MB, target ≤ 50)`,
  );
console.log('');
memory('COPY path', tenth, full);
memory('csv-stringify path', tenthGeneral, fullGeneral);
if (full.bytes !== fullGeneral.bytes) throw new Error(`the two paths wrote ${full.bytes} and ${fullGeneral.bytes} bytes`);

await raw.query('drop table if exists copy_target');
if (values.database) {
  // Leave the database as it was: the benchmark's rows (refs TT-<university>-<n>) go again.
  await sql`delete from tech_transfer where ref ~ '^TT-[A-Z]+-[0-9]+$'`.execute(db);
  await sql`vacuum analyze tech_transfer`.execute(db);
}
await raw.end();
await database.close();
await scratch.drop();
