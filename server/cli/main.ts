import { FACT_KINDS } from '../db/schema.js';
import { ConfigError, loadConfig } from '../config.js';
import { connectDatabase, DatabaseUnavailableError } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { HttpProblem } from '../lib/problems.js';
import { type Command, Refused, UsageError } from './command.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { leaveDemoCommand } from './commands/leave-demo.js';
import { reportCommand } from './commands/report.js';
import { templateCommand } from './commands/template.js';
import { userCommand } from './commands/user.js';

const USAGE = `usage: npm run cli -- <command>

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

The password is read from standard input (one line), or generated and printed once with
--generate-password. It must be at least 12 characters. The configured database is used
(DATABASE_URL, or the embedded database under DATA_DIR).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const commands: Record<string, Command> = {
    user: userCommand,
    import: importCommand,
    export: exportCommand,
    report: reportCommand,
    template: templateCommand,
    'leave-demo': leaveDemoCommand,
  };
  const run = commands[command];
  if (!run) throw new UsageError(`unknown command ${command}`);
  // A command's help needs no database (the embedded one may be open in the running server).
  if (args.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, watch: false });
  try {
    await migrateToLatest(database.db);
    return await run(database, args);
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
