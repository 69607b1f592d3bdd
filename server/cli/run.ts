import { ConfigError, loadConfig } from '../config.js';
import { connectDatabase, type DatabaseHandle, DatabaseUnavailableError } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { FACT_KINDS } from '../db/schema.js';
import { HttpProblem } from '../lib/problems.js';
import { DEMO_RECORDS, DEMO_SEED } from '../demo/demo-mode.js';
import { type CliIo, type Command, Refused, UsageError } from './command.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { leaveDemoCommand } from './commands/leave-demo.js';
import { reportCommand } from './commands/report.js';
import { seedCommand } from './commands/seed.js';
import { templateCommand } from './commands/template.js';
import { userCommand } from './commands/user.js';

export const USAGE = `usage: npm run cli -- <command>

  user add --email E --name N --role admin|leadership|steward|commission [--university CODE] [--generate-password]
  user list
  user disable --email E
  user enable --email E
  user set-password --email E [--generate-password]
  import <kind> <file.csv> [--dry-run] [--as EMAIL]
  template <kind> [--format xlsx|csv] [--lang en|zh] [--out FILE] [--as EMAIL]
  export <kind> [--out FILE] [--format csv|xlsx] [--from D] [--to D] [--university U,…] [--lang zh] [--formatted] [--no-bom]
  export --measures M,… [--by D,…] [--out FILE] [--format csv|xlsx] [--from D] [--to D] [--university U,…] [--lang zh] [--formatted] [--no-bom]
  report --period 2024|2024-H1|2024-Q3 [--lang zh|en] --out report.pdf [--submission ID] [--as EMAIL]
  report --period P --format csv [--table T] [--out FILE or DIRECTORY] [--lang zh|en] [--submission ID] [--no-bom]
  report --period P --format xlsx --out FILE.xlsx [--lang zh|en] [--submission ID]
  report --period P --format json [--out FILE] [--submission ID]
  leave-demo --keep-records | --remove-records
  seed [--seed N] [--records N] [--as-of YYYY-MM-DD] [--replace]

Kinds: ${FACT_KINDS.join(', ')} (import contracts before their payments). import exits 0 when applied (or a clean dry
run), 1 when the file is rejected (every problem printed), 2 for wrong usage. --as imports as
that account (a steward only its own university's rows); without it, as an administrator.

template writes the file to fill in and import: a workbook (needs --out) whose first sheet has the
kind's columns and lists, or with --format csv the header row (to standard output without --out);
--as a steward lists that steward's own university only.

report prints the Report view to an A4 PDF through the system Chromium (/usr/bin/chromium, or
CHROMIUM_PATH), read as --as EMAIL or else the first active administrator, leadership or
commission account; --format csv writes its tables (one table with --table, else one file per
table into the --out directory), --format json its canonical JSON. --submission prints a submitted
report exactly as submitted.

leave-demo ends demo mode: it removes the demo accounts (published password) and their
sessions; --remove-records also removes the records and targets the demo generator wrote and the
synthetic label, --keep-records keeps them (still labelled synthetic). Records entered since stay.
It needs an active administrator account of your own first (user add --role admin).

seed (also npm run seed) writes the deterministic synthetic demo dataset: --records of all kinds
together (default ${DEMO_RECORDS}; 10000000 for benchmarks), the same rows for the same --seed (default
${DEMO_SEED}) and --as-of day (default today). A database that holds records is refused unless --replace
deletes every record and target first (recorded in the audit log).

The password is read from standard input (one line), or generated and printed once with
--generate-password. It must be at least 12 characters. The configured database is used
(DATABASE_URL, or the embedded database under DATA_DIR).`;

const COMMANDS: Record<string, Command> = {
  user: userCommand,
  import: importCommand,
  export: exportCommand,
  report: reportCommand,
  template: templateCommand,
  'leave-demo': leaveDemoCommand,
  seed: seedCommand,
};

/** The process's own streams and environment: what `npm run cli` runs with. */
export const PROCESS_IO: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

/**
 * Runs one command line (the words after `npm run cli --`) and answers its exit code: 0 done,
 * 1 refused or failed, 2 wrong usage. It reads and writes only `io` and configures itself from
 * `io.env` (DATABASE_URL, or the embedded database under DATA_DIR), which it opens, migrates and
 * closes; every error becomes its exit code and a message on `io.stderr`, nothing is thrown.
 * `database`, when given, is used instead (already migrated, and left open): what a caller that
 * holds the database already runs commands on.
 */
export async function runCli(argv: readonly string[], io: CliIo = PROCESS_IO, database?: DatabaseHandle): Promise<number> {
  try {
    return await dispatch(argv, io, database);
  } catch (error) {
    return failure(error, io);
  }
}

async function dispatch(argv: readonly string[], io: CliIo, given: DatabaseHandle | undefined): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) throw new UsageError(`unknown command ${command}`);
  // A command's help needs no database (the embedded one may be open in the running server).
  if (args.some((arg) => arg === '--help' || arg === '-h')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (given) return await run(given, args, io);
  const config = loadConfig(io.env);
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, watch: false });
  try {
    await migrateToLatest(database.db);
    return await run(database, args, io);
  } finally {
    await database.close();
  }
}

/** The exit code of what a command threw, and the line that says why on `io.stderr`. */
function failure(error: unknown, io: CliIo): number {
  const isParseError = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  if (error instanceof UsageError || isParseError) {
    io.stderr.write(`alliance-outcomes: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (error instanceof HttpProblem) {
    const details = error.errors.map((e) => `${e.path ?? e.column ?? ''} ${e.message}`.trim());
    io.stderr.write(`alliance-outcomes: ${error.message}${details.length ? ` (${details.join('; ')})` : ''}\n`);
    return 1;
  }
  const expected = error instanceof Refused || error instanceof ConfigError || error instanceof DatabaseUnavailableError;
  const inUse = error instanceof DatabaseUnavailableError && /in use by another process/.test(error.message);
  io.stderr.write(
    `alliance-outcomes: ${error instanceof Error ? error.message : String(error)}${inUse ? ' (stop the server first, or point the command at a database server with DATABASE_URL)' : ''}\n`,
  );
  if (!expected && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  return 1;
}
