/**
 * Importing the same records as a workbook and as a CSV, side by side: 100,000 credit records
 * (`--rows`), each format checked and applied by the code behind `POST /imports/:kind` into a
 * scratch PostgreSQL database of its own, each in a process of its own so that its peak resident
 * memory is its own. Prints the file sizes, wall time (check, then apply) and peak RSS of each.
 *
 *   npm run bench:xlsx-import -- [--rows 100000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { applyImport } from '../server/imports/apply-import.js';
import { checkImport } from '../server/imports/parse-import.js';
import { existingFile } from '../server/lib/spool.js';
import { loadReferences } from '../server/kpi/references.js';
import { scratchDatabase } from './scratch-database.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    child: { type: 'string' },
    file: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const HEADER = ['university_code', 'ref', 'host_university_code', 'course', 'term', 'recognized_on', 'students', 'credits'];
const HOSTS = ['ZJUT', 'AHUT', 'NJTECH', 'UJS'];
/** Record i, as typed values: a workbook writes the day as a date cell and the counts as numbers. */
const record = (i: number): [string, string, string, string, string, Date, number, number] => [
  'USST',
  `CR-BENCH-${i}`,
  HOSTS[i % 4]!,
  `Fluid mechanics ${i % 97}`,
  '2024-2025-1',
  new Date(Date.UTC(2024, 9, (i % 28) + 1)),
  (i % 9) + 1,
  (i % 6) + 1,
];

if (values.child) {
  // A child: import one file into a scratch database; print the times and the peak RSS as JSON.
  const path = values.file!;
  const scratch = await scratchDatabase(values.postgres!, `bench_xlsx_import_${values.child}`);
  const database = await connectDatabase({ databaseUrl: scratch.url });
  await migrateToLatest(database.db);
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  const checked = await checkImport('credit', existingFile(path), await loadReferences(database.db), null);
  const checkSeconds = (performance.now() - started) / 1000;
  const result = await applyImport(
    database.bulk,
    'credit',
    checked,
    { name: path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') },
    null,
    { id: null, email: 'bench', address: null },
    { dryRun: false, engine: database.kind },
  );
  const totalSeconds = (performance.now() - started) / 1000;
  await checked.spool.dispose();
  await database.close();
  await scratch.drop();
  process.stdout.write(
    `${JSON.stringify({
      inserted: result.inserted,
      checkSeconds,
      totalSeconds,
      baselineMb: baseline / 1024 / 1024,
      peakMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
  process.exit(0);
}

const folder = await mkdtemp(join(tmpdir(), 'bench-xlsx-import-'));
try {
  const csvPath = join(folder, 'credit.csv');
  const lines = [HEADER.join(',')];
  for (let i = 0; i < ROWS; i++) {
    const r = record(i);
    lines.push([...r.slice(0, 5), r[5].toISOString().slice(0, 10), r[6], r[7]].join(','));
  }
  await writeFile(csvPath, `${lines.join('\r\n')}\r\n`);
  const xlsxPath = join(folder, 'credit.xlsx');
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: createWriteStream(xlsxPath),
    useSharedStrings: true,
    useStyles: true,
  });
  const sheet = writer.addWorksheet('学分');
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < ROWS; i++) {
    const row = sheet.addRow(record(i));
    row.getCell(6).numFmt = 'yyyy-mm-dd';
    row.commit();
  }
  sheet.commit();
  await writer.commit();

  const results: Array<{ format: string; bytes: number; run: Record<string, number> }> = [];
  for (const [format, path] of [
    ['csv', csvPath],
    ['xlsx', xlsxPath],
  ] as const) {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/xlsx-import.ts', '--child', format, '--file', path, '--postgres', values.postgres!],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    if (child.status !== 0) throw new Error(`${format}: ${child.stderr}`);
    const run = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    if (run.inserted !== ROWS) throw new Error(`${format}: inserted ${run.inserted}, expected ${ROWS}`);
    results.push({ format, bytes: statSync(path).size, run });
  }
  process.stdout.write(`${ROWS.toLocaleString('en')} credit records, PostgreSQL, one run each:\n\n`);
  process.stdout.write(
    '| file | size | check | check + apply | RSS before | peak RSS |\n| --- | ---: | ---: | ---: | ---: | ---: |\n',
  );
  for (const { format, bytes, run } of results)
    process.stdout.write(
      `| ${format} | ${(bytes / 1024 / 1024).toFixed(1)} MB | ${run.checkSeconds!.toFixed(1)} s | ${run.totalSeconds!.toFixed(1)} s | ${run.baselineMb!.toFixed(0)} MB | ${run.peakMb!.toFixed(0)} MB |\n`,
    );
} finally {
  await rm(folder, { recursive: true, force: true });
}
