import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_KINDS } from '../../contract/enums.js';
import { INPUT_COLUMNS, KIND_NAMES } from '../../contract/record-columns.js';
import { verifyPassword } from '../../server/auth/password.js';
import { connectDatabase } from '../../server/db/connect.js';
import { cliInProcess } from '../helpers/cli.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { encodeText, withTabs } from '../helpers/encodings.js';
import { parseCsv } from '../helpers/csv.js';
import { CHILD_TEST_TIMEOUT, ROOT, runTs } from '../helpers/process.js';
import { expectFrozenWithoutFormulas, expectSameAsCsv, readWorkbook } from '../helpers/xlsx.js';

/**
 * The commands run in this process (`runCli`, which `npm run cli` runs on the process's own
 * streams) on the test's database; the last describe starts the command line as a process.
 */
describe(`user administration from the command line (${TEST_DB})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ao-cli-'));
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const cli = (args: string[], stdin?: string) => cliInProcess(args, { database, ...(stdin ? { stdin } : {}) });

  it('when an admin is added with a password on standard input, then it can be verified, and it is in the list', async () => {
    const added = await cli(
      ['user', 'add', '--email', 'First.Admin@Alliance.example', '--name', '管理员', '--role', 'admin'],
      'the first admin password\n',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('added first.admin@alliance.example (admin)\n');
    const listed = await cli(['user', 'list']);
    expect(listed.stdout).toMatch(/^first\.admin@alliance\.example\s+admin\s+active$/m);
    const row = await database.db.selectFrom('app_user').selectAll().executeTakeFirstOrThrow();
    expect(await verifyPassword('the first admin password', row.password_hash)).toBe(true);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'user_email']).execute();
    expect(audit).toEqual([{ action: 'user_change', user_email: 'cli' }]);
  });

  it('when a steward is added with a generated password, then the password is printed once and works', async () => {
    const added = await cli([
      'user',
      'add',
      '--email',
      's@alliance.example',
      '--name',
      'S',
      '--role',
      'steward',
      '--university',
      'UJS',
      '--generate-password',
    ]);
    expect(added.code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1];
    expect(password).toHaveLength(20);
    const disabled = await cli(['user', 'disable', '--email', 's@alliance.example']);
    expect(disabled.code).toBe(0);
    const row = await database.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', 's@alliance.example')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'steward', university_code: 'UJS', disabled: true });
    expect(await verifyPassword(password!, row.password_hash)).toBe(true);
  });

  it('when the input is wrong, then it says why, writes nothing, and exits 1 (refused) or 2 (usage)', async () => {
    const short = await cli(
      ['user', 'add', '--email', 'x@alliance.example', '--name', 'X', '--role', 'commission'],
      'too short\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password must be at least 12 characters/);
    const usage = await cli(['user', 'add', '--name', 'X']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/needs --email, --name and --role[\s\S]*usage:/);
    expect(await database.db.selectFrom('app_user').select('email').where('email', '=', 'x@alliance.example').execute()).toEqual(
      [],
    );
    // The configuration is the environment the command line is given, read before any database is opened.
    const badConfig = await cliInProcess(['user', 'list'], { env: { DATABASE_URL: 'mysql://db.example/x' } });
    expect(badConfig).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'alliance-outcomes: invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://db.example/x")\n',
    });
    // A command's help reads no configuration, so it opens no database (which a running server may hold).
    const help = await cliInProcess(['report', '--help'], { env: { DATABASE_URL: 'mysql://db.example/x' } });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run cli -- <command>/);
  });

  it('when a CSV is imported from the command line, then it is applied once, a second time changes nothing, and a dry run writes nothing', async () => {
    const sample = join(ROOT, 'docs/samples/credit.csv');
    const dry = await cli(['import', 'credit', sample, '--dry-run']);
    expect(dry.stdout).toBe(
      'dry run, nothing written: would insert 3, update 0, unchanged 0 (3 rows of credit, read as UTF-8 with a byte-order mark, comma-separated)\n',
    );
    const first = await cli(['import', 'credit', sample]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^imported: inserted 3, updated 0, unchanged 0 \(3 rows of credit, read as UTF-8 with a byte-order mark, comma-separated, batch \d+\)\n$/,
    );
    const second = await cli(['import', 'credit', sample]);
    expect(second.stdout).toMatch(/inserted 0, updated 0, unchanged 3/);
    // The same file as Excel saves "Text (Tab delimited)" in a Chinese locale: GB18030 and tabs, read as such.
    const gbk = join(scratch, 'credit-gbk.txt');
    writeFileSync(gbk, encodeText(withTabs(readFileSync(sample, 'utf8')), 'gb18030'));
    expect(readFileSync(gbk).includes(Buffer.from('工程热力学'))).toBe(false);
    const third = await cli(['import', 'credit', gbk]);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(
      /^imported: inserted 0, updated 0, unchanged 3 \(3 rows of credit, read as GB18030, tab-separated, batch \d+\)\n$/,
    );
  });

  it('when a workbook is imported from the command line, then it is read by its bytes, and a bad cell is named by sheet and cell', async () => {
    // The samples (imported already when the file runs whole: then this changes nothing).
    expect((await cli(['import', 'credit', join(ROOT, 'docs/samples/credit.csv')])).code).toBe(0);
    const out = join(scratch, 'credit-export.xlsx');
    expect((await cli(['export', 'credit', '--format', 'xlsx', '--out', out])).code).toBe(0);
    // Named .csv: the bytes decide.
    const named = join(scratch, 'credit-workbook.csv');
    writeFileSync(named, readFileSync(out));
    const again = await cli(['import', 'credit', named]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^imported: inserted 0, updated 0, unchanged \d+ \(\d+ rows of credit, read as sheet .+ of a workbook, batch \d+\)\n$/,
    );
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('学分');
    sheet.addRow(['university_code', 'ref', 'host_university_code', 'course', 'term', 'recognized_on', 'students', 'credits']);
    sheet.addRow(['USST', 'CLI-X-1', 'NJTECH', 'Course', '2023-2024-1', new Date(Date.UTC(2024, 0, 5)), { error: '#DIV/0!' }, 2]);
    const bad = join(scratch, 'bad.xlsx');
    writeFileSync(bad, Buffer.from(await book.xlsx.writeBuffer()));
    const rejected = await cli(['import', 'credit', bad]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/sheet 学分, cell G2, row 2, students: holds the error #DIV\/0!/);
  });

  it('when the file is bad, or belongs to another university than the steward named by --as, then it exits 1 with every problem, and 2 for wrong usage', async () => {
    const bad = join(scratch, 'bad.csv');
    writeFileSync(
      bad,
      readFileSync(join(ROOT, 'docs/samples/credit.csv'), 'utf8').replace('2024-07-15', '2024-07-32').replace(',8,16', ',-8,16'),
    );
    const rejected = await cli(['import', 'credit', bad]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/line 3, recognized_on: must be a real date[\s\S]*line 3, students: must not be negative/);
    const steward = await cli(['import', 'credit', join(ROOT, 'docs/samples/credit.csv'), '--as', 's@alliance.example']);
    expect(steward.code).toBe(1);
    expect(steward.stderr).toMatch(/no active user s@alliance\.example/);
    expect((await cli(['import', 'credits', 'x.csv'])).code).toBe(2);
    expect((await cli(['import', 'credit'])).code).toBe(2);
  });

  it('when records and measures are exported from the command line, then the files are what the API writes', async () => {
    const out = join(scratch, 'credit.csv');
    const records = await cli(['export', 'credit', '--out', out]);
    expect(records.code).toBe(0);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').split('\r\n')).toHaveLength(5);
    const measures = await cli([
      'export',
      '--measures',
      'credits.credits,credits.students',
      '--by',
      'university',
      '--lang',
      'zh',
      '--no-bom',
    ]);
    expect(measures.stdout.split('\r\n')[0]).toBe('高校,互认学分（学分）,学分互认学生人次（人）,数据状态');
    // Provisional: no period is approved, and a range without an end runs on past today.
    expect(measures.stdout).toMatch(/^USST,56\.5,23,P\r$/m);
  });

  it('when records, measures and the report are exported as XLSX from the command line, then the workbooks hold what the CSVs do, typed', async () => {
    const csv = join(scratch, 'credit.csv');
    const out = join(scratch, 'credit.xlsx');
    const records = await cli(['export', 'credit', '--format', 'xlsx', '--out', out]);
    expect(records.stderr).toBe('wrote 3 rows to ' + out + '\n');
    expect(records.code).toBe(0);
    const book = readWorkbook(readFileSync(out));
    const sheet = book.book.SheetNames[0]!;
    expectFrozenWithoutFormulas(book, sheet);
    const { header, rows } = parseCsv(readFileSync(csv, 'utf8'));
    expect(expectSameAsCsv('credit', book.grid(sheet), [header, ...rows], [header, ...rows])).toBe(3 * 3);

    const measuresOut = join(scratch, 'measures.xlsx');
    const measures = await cli([
      'export',
      '--measures',
      'credits.credits,credits.students',
      '--by',
      'university',
      '--lang',
      'zh',
      '--format',
      'xlsx',
      '--out',
      measuresOut,
    ]);
    expect(measures.code).toBe(0);
    const grid = readWorkbook(readFileSync(measuresOut)).grid('互认学分-学分互认学生人次_按高校_all-dates');
    expect(grid[0]!.map((cell) => cell?.v)).toEqual(['高校', '互认学分（学分）', '学分互认学生人次（人）', '数据状态']);
    const usst = grid.find((row) => row[0]?.v === 'USST')!;
    expect([usst[1]?.t, usst[1]?.v, usst[2]?.t, usst[2]?.v, usst[3]?.t, usst[3]?.v]).toEqual(['n', 56.5, 'n', 23, 's', 'P']);

    const reportOut = join(scratch, 'report.xlsx');
    const report = await cli(['report', '--period', '2024', '--format', 'xlsx', '--lang', 'en', '--out', reportOut]);
    expect(report.code).toBe(0);
    const workbook = readWorkbook(readFileSync(reportOut));
    expect(workbook.book.SheetNames.slice(0, 3)).toEqual(['Cover', 'Definitions', 'summary']);

    // A workbook is a file: not to a terminal or a pipe, and not in an unknown format.
    expect((await cli(['export', 'credit', '--format', 'xlsx'])).code).toBe(2);
    expect((await cli(['export', 'credit', '--format', 'xls', '--out', out])).code).toBe(2);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['subject', 'detail'])
      .where('action', '=', 'export')
      .execute();
    expect(audit.map((a) => a.subject)).toEqual(
      expect.arrayContaining(['export:records/credit', 'export:aggregate', 'export:report/xlsx/2024']),
    );
  });

  it('when a template is asked for from the command line, then it is the workbook or the CSV header the API gives', async () => {
    const out = join(scratch, 'template.xlsx');
    const made = await cli(['template', 'credit', '--lang', 'zh', '--out', out]);
    expect(made.code, made.stderr).toBe(0);
    const book = readWorkbook(readFileSync(out));
    expect(book.book.SheetNames).toEqual([KIND_NAMES.credit.zh, '说明', '代码表']);
    const grid = book.grid(KIND_NAMES.credit.zh);
    expect(grid.map((row) => row.map((cell) => cell?.v))).toEqual([
      INPUT_COLUMNS.credit.map((c) => c.zh),
      INPUT_COLUMNS.credit.map((c) => c.name),
    ]);
    const csv = await cli(['template', 'payment', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(`\uFEFF${INPUT_COLUMNS.payment.map((c) => c.name).join(',')}\r\n`);
    // As a steward: that steward's university only, where the record says whose it is.
    expect((await cli(['user', 'enable', '--email', 's@alliance.example'])).code).toBe(0);
    const own = join(scratch, 'own.xlsx');
    expect((await cli(['template', 'payment', '--out', own, '--as', 's@alliance.example'])).code).toBe(0);
    const lists = readWorkbook(readFileSync(own)).grid('Lists');
    expect(lists.map((row) => row[0]?.v)).toEqual(['Own university', 'UJS']);
    expect((await cli(['user', 'disable', '--email', 's@alliance.example'])).code).toBe(0);
    // A workbook is a file; unknown words are usage errors.
    expect((await cli(['template', 'credit'])).code).toBe(2);
    expect((await cli(['template', 'credit', '--format', 'pdf', '--out', out])).code).toBe(2);
    expect((await cli(['template', 'credits', '--format', 'csv'])).code).toBe(2);
    expect((await cli(['template', 'credit', '--out', join(scratch, 'no', 'such', 'dir.xlsx')])).code).toBe(2);
  });
  it('when the demo data is seeded from the command line, then the same seed and day write the same rows, and a database with records is refused unless --replace', async () => {
    /** The rows the demo wrote, without their ids and times: what the seed and day decide. */
    const written = async () => {
      const rows: Record<string, unknown[]> = {};
      for (const kind of FACT_KINDS)
        rows[kind] = (await database.db.selectFrom(kind).selectAll().orderBy('ref').execute()).map(
          ({ id: _id, created_at: _c, updated_at: _u, created_by: _b, updated_by: _w, ...values }) => values,
        );
      return rows;
    };
    const replaced = () =>
      database.db.selectFrom('audit_log').select('id').where('subject', '=', 'all records (seed --replace)').execute();
    const seeded = [];
    for (let round = 0; round < 2; round++) {
      const audited = (await replaced()).length;
      const run = await cli(['seed', '--replace', '--records', '300', '--seed', '7', '--as-of', '2025-06-30']);
      expect(run.code).toBe(0);
      const rows = await written();
      const counts = FACT_KINDS.map((kind) => `${kind} ${rows[kind]!.length}`).join(', ');
      expect(run.stdout).toMatch(
        new RegExp(
          `^wrote 300 synthetic records \\(${counts}\\) and \\d+ targets in [\\d.]+ s \\(seed 7, as of 2025-06-30\\) to the \\w+ database\\n$`,
        ),
      );
      // --records counts the drawn kinds; payments and capacity snapshots come besides.
      expect(['tech_transfer', 'incubation', 'talent', 'credit'].reduce((sum, kind) => sum + rows[kind]!.length, 0)).toBe(300);
      expect(rows.payment!.length).toBeGreaterThan(0);
      // The second round deleted the first's records, and said so in the audit log.
      if (round === 1) expect((await replaced()).length).toBe(audited + 1);
      seeded.push(rows);
    }
    expect(seeded[1]).toEqual(seeded[0]);

    const refused = await cli(['seed', '--records', '300', '--as-of', '2025-06-30']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: 'alliance-outcomes: the database already holds records; add --replace to delete them and write the demo data\n',
    });
    expect((await cli(['seed', '--records', 'many'])).code).toBe(2);
    expect((await cli(['seed', '--as-of', '2025-02-30'])).stderr).toMatch(/--as-of must be a date written YYYY-MM-DD/);
    expect(await written()).toEqual(seeded[0]);
  });
});

describe(`the command line as a process (${TEST_DB})`, { timeout: CHILD_TEST_TIMEOUT }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ao-cli-process-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const cli = async (env: NodeJS.ProcessEnv, args: string[], stdin = '') => {
    const child = runTs('server/cli/main.ts', args, { ...env, LOG_LEVEL: 'warn' });
    child.process.stdin!.end(stdin);
    return child.exited;
  };

  it('when `npm run cli` starts, then it migrates the database its environment names, reads standard input and exits with its code; while another process holds the embedded database, it says so and exits 1', async () => {
    let env: NodeJS.ProcessEnv;
    if (TEST_DB === 'postgres') {
      const empty = await createTestDatabase({ migrated: false });
      await empty.close();
      env = { DATABASE_URL: empty.url };
    } else {
      env = { DATA_DIR: join(scratch, 'data') };
    }
    const added = await cli(
      env,
      ['user', 'add', '--email', 'First.Admin@Alliance.example', '--name', '管理员', '--role', 'admin'],
      'the first admin password\n',
    );
    expect(added).toMatchObject({ code: 0, stdout: 'added first.admin@alliance.example (admin)\n', stderr: '' });

    // Held by this test's process, as by a running server.
    const held = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, watch: false });
    try {
      const row = await held.db.selectFrom('app_user').selectAll().executeTakeFirstOrThrow();
      expect(await verifyPassword('the first admin password', row.password_hash)).toBe(true);
      const refused = await cli(env, ['user', 'disable', '--email', 'nobody@alliance.example']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        TEST_DB === 'postgres'
          ? 'alliance-outcomes: there is no user nobody@alliance.example\n'
          : `alliance-outcomes: DATA_DIR ${env.DATA_DIR} is in use by another process (pid ${process.pid}) (stop the server first, or point the command at a database server with DATABASE_URL)\n`,
      );
    } finally {
      await held.close();
    }
  });
});
