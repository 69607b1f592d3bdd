import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { ownUniversityOnly } from '../auth/guard.js';
import { writeCopiedCsv, writeCsv } from '../csv/csv-response.js';
import { loadLabels } from '../kpi/labels.js';
import { FACT_KINDS } from '../db/schema.js';
import { aggregateHeader, aggregateRows } from '../kpi/kpi.csv.js';
import { copiedRecords, recordRows, recordsHeader } from '../records/records.csv.js';
import { importFile } from '../imports/import-file.js';
import { ImportRejected } from '../imports/parse-import.js';
import { existingFile, sha256OfFile } from '../lib/spool.js';
import { MAX_UPLOAD_BYTES } from '../imports/read-upload.js';
import { AggregateQuerySchema } from '../kpi/kpi.schemas.js';
import { aggregate } from '../kpi/kpi.service.js';
import { assertKnownCodes, loadReferences } from '../kpi/references.js';
import { RECORDS_QUERY_SCHEMAS } from '../records/records.schemas.js';
import { generatePassword } from '../auth/password.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import type { AppUserRow } from '../db/schema.js';
import { today } from '../lib/dates.js';
import { createLogger } from '../logger.js';
import { canonicalJson } from '../report/canonical-json.js';
import { REPORT_TABLES, reportCsv, reportCsvFileName } from '../report/report-csv.js';
import { parsePeriod } from '../report/report-period.js';
import { ChromiumMissing, renderReportPdf } from '../report/report-pdf.js';
import { liveReport, readSubmission } from '../report/report-submissions.js';
import type { ReportDocument } from '../report/report.types.js';
import { connectDatabase, DatabaseUnavailableError, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { leaveDemo } from '../demo/leave-demo.js';
import { Forbidden, HttpProblem } from '../lib/problems.js';
import { type Caller, zodProblems } from '../http/route.js';
import { NewUserSchema, PasswordSchema, UserPatchSchema } from '../users/users.schemas.js';
import { createUser, findUserByEmail, listUsers, updateUser } from '../users/users.service.js';

const USAGE = `usage: npm run cli -- <command>

  user add --email E --name N --role admin|leadership|steward|commission [--university CODE] [--generate-password]
  user list
  user disable --email E
  user enable --email E
  user set-password --email E [--generate-password]
  import <kind> <file.csv> [--dry-run] [--as EMAIL]
  export <kind> [--out FILE] [--from D] [--to D] [--university U,…] [--lang zh] [--formatted] [--no-bom]
  export --measures M,… [--by D,…] [--out FILE] [--from D] [--to D] [--university U,…] [--lang zh] [--formatted] [--no-bom]
  report --period 2024|2024-H1|2024-Q3 [--lang zh|en] --out report.pdf [--submission ID] [--as EMAIL]
  report --period P --format csv [--table T] [--out FILE or DIRECTORY] [--lang zh|en] [--submission ID] [--no-bom]
  report --period P --format json [--out FILE] [--submission ID]
  leave-demo --keep-records | --remove-records

Kinds: ${FACT_KINDS.join(', ')} (import contracts before their payments). import exits 0 when applied (or a clean dry
run), 1 when the file is rejected (every problem printed), 2 for wrong usage. --as imports as
that account (a steward only its own university's rows); without it, as an administrator.

report prints the Report view to an A4 PDF through the system Chromium (/usr/bin/chromium, or
CHROMIUM_PATH), read as --as EMAIL or else the first active administrator, leadership or
commission account; --format csv writes its tables (one table with --table, else one file per
table into the --out directory), --format json its canonical JSON. --submission prints a submitted
report exactly as submitted.

leave-demo ends demo mode: it removes the demo accounts (published password) and their
sessions; --remove-records also removes the records and targets the demo generator wrote and the
synthetic label, --keep-records keeps them (still labelled synthetic). Records entered since stay.
It needs an active administrator account of your own first (user add --role admin).

The password is read from standard input (one line), or generated and printed once with
--generate-password. It must be at least 12 characters. The configured database is used
(DATABASE_URL, or the embedded database under DATA_DIR).`;

/** Wrong words on the command line: exit 2. */
class UsageError extends Error {}
/** The command was understood but refused (bad value, conflict): exit 1. */
class Refused extends Error {}

const CLI_ACTOR: Actor = { id: null, email: 'cli', address: 'command line' };

async function readPassword(generate: boolean): Promise<{ password: string; generated: boolean }> {
  if (generate) return { password: generatePassword(), generated: true };
  if (process.stdin.isTTY) process.stderr.write('Password (at least 12 characters), then Enter: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  return { password, generated: false };
}

function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Refused(
    zodProblems(result.error)
      .map((p) => `${p.path} ${p.message}`)
      .join('; '),
  );
}

async function userCommand(database: DatabaseHandle, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      university: { type: 'string' },
      'generate-password': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const { db } = database;
  const needEmail = (): string => {
    if (!values.email) throw new UsageError('--email is required');
    return values.email;
  };
  const existing = async () => {
    const user = await findUserByEmail(db, needEmail());
    if (!user) throw new Refused(`there is no user ${values.email}`);
    return user;
  };
  switch (action) {
    case 'add': {
      if (!values.email || !values.name || !values.role) throw new UsageError('user add needs --email, --name and --role');
      const { password, generated } = await readPassword(values['generate-password']);
      const input = checked(NewUserSchema, {
        email: values.email,
        name: values.name,
        role: values.role,
        university: values.university ?? null,
        password,
      });
      const user = await createUser(db, CLI_ACTOR, input);
      process.stdout.write(`added ${user.email} (${user.role}${user.university ? `, ${user.university}` : ''})\n`);
      if (generated) process.stdout.write(`password (shown once): ${password}\n`);
      return 0;
    }
    case 'list': {
      for (const user of await listUsers(db)) {
        process.stdout.write(
          `${user.email.padEnd(40)} ${user.role.padEnd(11)} ${(user.university ?? '').padEnd(8)} ${user.disabled ? 'disabled' : 'active'}\n`,
        );
      }
      return 0;
    }
    case 'disable':
    case 'enable': {
      const user = await existing();
      await updateUser(db, CLI_ACTOR, user.id, checked(UserPatchSchema, { disabled: action === 'disable' }));
      process.stdout.write(`${action}d ${user.email}${action === 'disable' ? '; its sessions have ended' : ''}\n`);
      return 0;
    }
    case 'set-password': {
      const user = await existing();
      const { password, generated } = await readPassword(values['generate-password']);
      await updateUser(db, CLI_ACTOR, user.id, { password: checked(PasswordSchema, password) });
      process.stdout.write(`set the password of ${user.email}; its sessions have ended\n`);
      if (generated) process.stdout.write(`password (shown once): ${password}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown user command ${action ?? '(none)'}`);
  }
}

const KIND = z.enum(FACT_KINDS, { error: `must be one of ${FACT_KINDS.join(', ')}` });

/** A progress bar on a terminal; nothing when the output is not one. */
function progress(label: string, total: number): (done: number) => void {
  if (!process.stderr.isTTY || total === 0) return () => undefined;
  return (done) => {
    const share = Math.min(1, done / total);
    const width = 30;
    process.stderr.write(
      `\r${label} [${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${(share * 100).toFixed(0).padStart(3)}%`,
    );
    if (share >= 1) process.stderr.write('\n');
  };
}

async function importCommand(database: DatabaseHandle, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'dry-run': { type: 'boolean', default: false }, as: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 2) throw new UsageError('import needs a kind and a file: import <kind> <file.csv>');
  const kind = checkedUsage(KIND, positionals[0], 'the kind');
  const path = positionals[1]!;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (size > MAX_UPLOAD_BYTES) throw new Refused(`${path} is larger than 50 MB; split it and import the parts one after another`);
  const { db } = database;
  let caller: Caller | null = null;
  let actor: Actor = CLI_ACTOR;
  if (values.as) {
    const user = await findUserByEmail(db, values.as);
    if (!user || user.disabled) throw new Refused(`there is no active user ${values.as}`);
    if (user.role !== 'admin' && user.role !== 'steward')
      throw new Refused(`${user.email} is ${user.role}: only an admin or a steward may import`);
    caller = { id: user.id, email: user.email, name: user.name, role: user.role, university: user.university_code };
    actor = { id: user.id, email: user.email, address: 'command line' };
  }
  const dryRun = values['dry-run'];
  let result: Awaited<ReturnType<typeof importFile>>;
  try {
    result = await importFile(db, database.bulk, {
      kind,
      file: existingFile(path),
      name: basename(path),
      sha256: await sha256OfFile(path),
      caller,
      actor,
      ownUniversity: caller ? ownUniversityOnly(caller) : null,
      dryRun,
      engine: database.kind,
      onChecking: progress('checking', size),
      onWriting: (done, rows) => progress(dryRun ? 'trying' : 'writing', rows)(done),
    });
  } catch (error) {
    if (error instanceof ImportRejected || error instanceof Forbidden) {
      process.stderr.write(`alliance-outcomes: ${path} is rejected: ${error.message}\n`);
      for (const problem of error.errors) {
        process.stderr.write(`  line ${problem.line ?? '?'}${problem.column ? `, ${problem.column}` : ''}: ${problem.message}\n`);
      }
      if (error instanceof ImportRejected && error.total > error.errors.length)
        process.stderr.write(`  … and ${error.total - error.errors.length} more\n`);
      return 1;
    }
    throw error;
  }
  process.stdout.write(
    `${result.dryRun ? 'dry run, nothing written: would insert' : 'imported: inserted'} ${result.inserted}, ${result.dryRun ? 'update' : 'updated'} ${result.updated}, unchanged ${result.unchanged} (${result.rows} rows of ${kind}${result.batchId ? `, batch ${result.batchId}` : ''})\n`,
  );
  return 0;
}

async function exportCommand(database: DatabaseHandle, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      measures: { type: 'string' },
      by: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      university: { type: 'string' },
      region: { type: 'string' },
      lang: { type: 'string' },
      formatted: { type: 'boolean', default: false },
      'no-bom': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const query: Record<string, string> = {};
  for (const key of ['from', 'to', 'university', 'region', 'lang'] as const)
    if (values[key] !== undefined) query[key] = values[key]!;
  if (values.formatted) query.formatted = 'true';
  if (values['no-bom']) query.bom = 'false';
  const { db } = database;
  const out = values.out ? await openForWriting(values.out) : process.stdout;
  let count: number;
  if (values.measures) {
    if (positionals.length > 0) throw new UsageError('export takes a kind or --measures, not both');
    const request = checkedUsage(
      AggregateQuerySchema,
      { ...query, measures: values.measures, ...(values.by ? { by: values.by } : {}) },
      'the export',
    );
    const result = await aggregate(db, request);
    const labels = await loadLabels(db, request.output.lang);
    count = await writeCsv(
      out,
      { bom: request.output.bom, header: aggregateHeader(request.by, request.measures, request.output) },
      [aggregateRows(result.rows, request.by, request.measures, request.output, labels)],
    );
  } else {
    if (positionals.length !== 1) throw new UsageError('export needs a kind or --measures');
    const kind = checkedUsage(KIND, positionals[0], 'the kind');
    const request = checkedUsage(RECORDS_QUERY_SCHEMAS[kind], query, 'the export');
    assertKnownCodes(request.filters, await loadReferences(db));
    const labels = await loadLabels(db, request.output.lang);
    const csv = { bom: request.output.bom, header: recordsHeader(kind, request.output) };
    const copied = copiedRecords(db, database.copyOut, kind, request.filters, request, request.output);
    count = copied
      ? await writeCopiedCsv(out, csv, copied)
      : await writeCsv(out, csv, recordRows(db, kind, request.filters, request, request.output, labels));
  }
  await writeAudit(db, CLI_ACTOR, {
    action: 'export',
    subject: `export:${values.measures ? 'aggregate' : `records/${positionals[0]}`}`,
    detail: { query: args.join(' '), rows: count },
  });
  if (values.out) process.stderr.write(`wrote ${count} rows to ${values.out}\n`);
  return 0;
}

/** A file to write the export to, or a clear refusal when it cannot be created. */
async function openForWriting(path: string): Promise<Writable> {
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot write ${path}: ${error.code ?? error.message}`)),
    );
  });
  return stream;
}

function checkedUsage<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UsageError(
    `${what} is not valid: ${zodProblems(result.error)
      .map((p) => `${p.path} ${p.message}`)
      .join('; ')}`,
  );
}

const REPORT_READERS = ['admin', 'leadership', 'commission'] as const;

async function reportCommand(database: DatabaseHandle, args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      period: { type: 'string' },
      lang: { type: 'string', default: 'zh' },
      format: { type: 'string', default: 'pdf' },
      table: { type: 'string' },
      out: { type: 'string' },
      submission: { type: 'string' },
      as: { type: 'string' },
      'no-bom': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.period) throw new UsageError('report needs --period (2024, 2024-H1 or 2024-Q3)');
  const period = parsePeriod(values.period);
  if (!period) throw new UsageError(`--period ${values.period} is not a period: write 2024, 2024-H1 or 2024-Q3`);
  const lang = checkedUsage(z.enum(['zh', 'en']), values.lang, '--lang');
  const format = checkedUsage(z.enum(['pdf', 'csv', 'json']), values.format, '--format');
  const submission = values.submission === undefined ? undefined : Number(values.submission);
  if (submission !== undefined && !(Number.isInteger(submission) && submission > 0))
    throw new UsageError('--submission must be a submission number');
  const { db } = database;
  const audit = (what: string, rows: number) =>
    writeAudit(db, CLI_ACTOR, { action: 'export', subject: `export:report/${what}`, detail: { query: args.join(' '), rows } });

  if (format === 'pdf') {
    if (!values.out) throw new UsageError('report --format pdf needs --out FILE.pdf');
    const out = await openForWriting(values.out);
    let user: AppUserRow | undefined;
    if (values.as) {
      user = await findUserByEmail(db, values.as);
      if (!user || user.disabled) throw new Refused(`there is no active user ${values.as}`);
    } else {
      const readers = (await listUsers(db)).filter((u) => !u.disabled && (REPORT_READERS as readonly string[]).includes(u.role));
      const id = REPORT_READERS.map((role) => readers.find((u) => u.role === role)).find(Boolean)?.id;
      user = id === undefined ? undefined : await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
      if (!user) throw new Refused('there is no account to read the report as: add one with `user add`, or name one with --as');
    }
    if (period.from > today()) throw new Refused(`the period ${period.key} has not begun`);
    let result: { pdf: Buffer; pages: number };
    try {
      result = await renderReportPdf({
        db,
        user,
        period: period.key,
        lang,
        submission,
      });
    } catch (error) {
      if (error instanceof ChromiumMissing) throw new Refused(error.message);
      throw error;
    }
    await new Promise<void>((resolve, reject) =>
      out.end(result.pdf, (error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await audit('pdf', result.pages);
    process.stderr.write(
      `wrote ${values.out}: ${result.pages} pages, ${period.key} in ${lang === 'zh' ? 'Chinese' : 'English'}, read as ${user.email}\n`,
    );
    return 0;
  }

  const document: ReportDocument = submission
    ? (JSON.parse((await readSubmission(db, submission)).canonical) as ReportDocument)
    : (await liveReport(db, period)).document;
  if (submission && document.period.key !== period.key)
    throw new Refused(`submission ${submission} is the report of ${document.period.key}, not ${period.key}`);
  if (format === 'json') {
    const text = submission ? (await readSubmission(db, submission)).canonical : canonicalJson(document);
    const out = values.out ? await openForWriting(values.out) : process.stdout;
    out.write(`${text}\n`);
    if (values.out) await new Promise<void>((resolve) => out.end(resolve));
    await audit('json', 1);
    return 0;
  }
  // A submission made before the national block has no such table: every other one is written.
  const tables = values.table
    ? [checkedUsage(z.enum(REPORT_TABLES), values.table, '--table')]
    : REPORT_TABLES.filter((t) => t !== 'national' || document.national !== undefined);
  let rows = 0;
  if (values.table) {
    const table = reportCsv(document, tables[0]!, lang);
    const out = values.out ? await openForWriting(values.out) : process.stdout;
    rows += await writeCsv(out, { bom: !values['no-bom'], header: table.header }, [table.rows]);
  } else {
    if (!values.out) throw new UsageError('report --format csv without --table needs --out DIRECTORY (one file per table)');
    await mkdir(values.out, { recursive: true });
    for (const name of tables) {
      const table = reportCsv(document, name, lang);
      const file = join(values.out, reportCsvFileName(document.period.key, name, lang, submission).name);
      rows += await writeCsv(await openForWriting(file), { bom: !values['no-bom'], header: table.header }, [table.rows]);
    }
  }
  await audit('csv', rows);
  if (values.out) process.stderr.write(`wrote ${tables.length} table(s), ${rows} rows, to ${values.out}\n`);
  return 0;
}

async function leaveDemoCommand(database: DatabaseHandle, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'keep-records': { type: 'boolean', default: false }, 'remove-records': { type: 'boolean', default: false } },
    strict: true,
  });
  if (values['keep-records'] === values['remove-records'])
    throw new UsageError('leave-demo needs one of --keep-records or --remove-records');
  const result = await leaveDemo(database.bulk, CLI_ACTOR, { removeRecords: values['remove-records'] });
  process.stdout.write(
    `left demo mode: removed ${result.removedAccounts.length} demo account(s)${result.removedAccounts.length ? ` (${result.removedAccounts.join(', ')})` : ''}\n`,
  );
  if (result.removedRecords) {
    const counts = FACT_KINDS.map((kind) => `${kind} ${result.removedRecords![kind]}`).join(', ');
    process.stdout.write(`removed the demo records (${counts}) and ${result.removedTargets} targets\n`);
  }
  process.stdout.write(
    result.synthetic
      ? 'the records are kept and still labelled synthetic; remove them with leave-demo --remove-records\n'
      : 'the data is no longer labelled synthetic\n',
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const commands: Record<string, (database: DatabaseHandle, args: string[], config: Config) => Promise<number>> = {
    user: userCommand,
    import: importCommand,
    export: exportCommand,
    report: reportCommand,
    'leave-demo': leaveDemoCommand,
  };
  const run = commands[command];
  if (!run) throw new UsageError(`unknown command ${command}`);
  const config = loadConfig();
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, watch: false });
  try {
    await migrateToLatest(database.db);
    return await run(database, args, config);
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const isParseError = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || isParseError) {
      process.stderr.write(`alliance-outcomes: ${(error as Error).message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof HttpProblem) {
      const details = error.errors.map((e) => `${e.path ?? e.column ?? ''} ${e.message}`.trim());
      process.stderr.write(`alliance-outcomes: ${error.message}${details.length ? ` (${details.join('; ')})` : ''}\n`);
      process.exit(1);
    }
    const expected = error instanceof Refused || error instanceof ConfigError || error instanceof DatabaseUnavailableError;
    const inUse = error instanceof DatabaseUnavailableError && /in use by another process/.test(error.message);
    process.stderr.write(
      `alliance-outcomes: ${error instanceof Error ? error.message : String(error)}${inUse ? ' (stop the server first, or point the command at a database server with DATABASE_URL)' : ''}\n`,
    );
    if (!expected && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
