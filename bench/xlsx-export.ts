/**
 * The records export as XLSX beside the CSV paths, at 1,000,000 records: time, file size and the
 * process's peak resident memory, each export in a fresh process of its own, at a tenth of the
 * rows and at all of them (memory flat: the two peaks about the same).
 * Usage: npm run bench:xlsx -- [--rows 1000000] [--postgres URL]
 *
 * Each export runs the API's own code (the records projection, `writeProjection`) into a file on
 * disk, as a download is spooled before it is sent: the COPY path of a raw CSV, the cursor and
 * csv-stringify path (formatted CSVs, PGlite), and the workbook (cursor, exceljs's streaming writer).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type FileFormat, writeProjection } from '../server/csv/csv-projection.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { loadLabels } from '../server/kpi/labels.js';
import { recordsProjection } from '../server/records/records.csv.js';
import { scratchDatabase } from './scratch-database.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'export-only': { type: 'string' },
    format: { type: 'string' },
    limit: { type: 'string' },
    general: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);

interface Measured {
  seconds: number;
  rows: number;
  bytes: number;
  peakRssMb: number;
}

if (values['export-only']) {
  // A child: export the first `limit` contracts (or all) into a file; print the time, the size and the peak RSS.
  const format = values.format as FileFormat;
  const database = await connectDatabase({ databaseUrl: values['export-only'] });
  const output = { file: format, bom: true, lang: 'en' as const, formatted: false };
  const labels = await loadLabels(database.db, 'en');
  let to: string | undefined;
  if (values.limit) {
    const { rows } = await sql<{ d: string }>`select signed_on::text as d from tech_transfer order by signed_on offset ${
      Number(values.limit) - 1
    } limit 1`.execute(database.db);
    to = rows[0]!.d;
  }
  const filters = to ? { to } : {};
  const path = join(tmpdir(), `ao-bench-xlsx-${process.pid}.${format}`);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = performance.now();
  // The API's projection: COPY for a raw CSV on PostgreSQL (unless --general), a cursor otherwise.
  const projection = recordsProjection(
    database.bulk,
    values.general ? undefined : database.copyOut,
    'tech_transfer',
    filters,
    { filters, output },
    labels,
  );
  const rows = await writeProjection(createWriteStream(path), projection, format);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  const bytes = statSync(path).size;
  await rm(path, { force: true });
  await database.close();
  const measured: Measured = { seconds, rows, bytes, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 1024 / 1024 };
  console.log(JSON.stringify(measured));
  process.exit(0);
}

const scratch = await scratchDatabase(values.postgres!, `ao_bench_xlsx_${process.pid}`);
const database = await connectDatabase({ databaseUrl: scratch.url });
await migrateToLatest(database.db);
// A million contracts, made by PostgreSQL itself: five universities, six modes, Chinese partner
// names, six years of days, amounts with fen.
const started = performance.now();
// In batches, on the bulk pool (its statements may run long).
for (let first = 1; first <= ROWS; first += 100_000) {
  const last = Math.min(ROWS, first + 99_999);
  await sql`
  insert into tech_transfer (university_code, ref, mode, partner_name, partner_region_code, field_code, signed_on, contract_value_cny, patents)
  select (array['USST','NJTECH','UJS','ZJUT','AHUT'])[1 + i % 5], 'TT-' || i,
         (array['transfer','license','equity','development','consulting','service'])[1 + i % 6],
         '上海某科技有限公司 ' || (i % 997), (array['SH','JS','ZJ','AH','OTHER'])[1 + i % 5],
         (array['ADV_MFG','NEW_MAT','IT_AI','BIOMED','ENERGY_ENV','OPTO'])[1 + i % 6],
         date '2020-01-01' + (i::bigint * 7919 % 2000)::int, round((100 + (i::bigint * 104729 % 2000000) + (i % 100) / 100.0)::numeric, 2), i % 5
  from generate_series(${first}::int, ${last}::int) as i`.execute(database.bulk);
}
await sql`analyze tech_transfer`.execute(database.bulk);
await database.close();
console.log(
  `\n${ROWS.toLocaleString('en')} technology-transfer contracts made in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);

const exportIn = (format: FileFormat, limit: number | null, general = false): Measured => {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--export-only',
    scratch.url,
    '--format',
    format,
    ...(limit ? ['--limit', String(limit)] : []),
    ...(general ? ['--general'] : []),
  ];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measured;
};

const paths: Array<[string, FileFormat, boolean]> = [
  ['CSV, raw (COPY path)', 'csv', false],
  ['CSV, cursor + csv-stringify', 'csv', true],
  ['XLSX (cursor + exceljs stream)', 'xlsx', true],
];
console.log('export                          |     rows | time (s) |     rows/s | file (MB) | peak RSS, a tenth | peak RSS, all');
for (const [name, format, general] of paths) {
  const tenth = exportIn(format, Math.round(ROWS / 10), general);
  const all = exportIn(format, null, general);
  if (all.rows !== ROWS) throw new Error(`${name}: exported ${all.rows} rows, expected ${ROWS}`);
  console.log(
    `${name.padEnd(31)} | ${all.rows.toLocaleString('en').padStart(8)} | ${all.seconds.toFixed(1).padStart(8)} | ${Math.round(
      all.rows / all.seconds,
    )
      .toLocaleString('en')
      .padStart(
        10,
      )} | ${(all.bytes / 1024 / 1024).toFixed(1).padStart(9)} | ${`${tenth.peakRssMb.toFixed(0)} MB (${tenth.rows.toLocaleString('en')} rows)`.padStart(17)} | ${`${all.peakRssMb.toFixed(0)} MB`.padStart(13)}`,
  );
}
await scratch.drop();
