import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { Actor } from '../audit/audit.queries.js';
import { generatePassword } from '../auth/password.js';
import { ConfigError, loadConfig } from '../config.js';
import { connectDatabase, DatabaseUnavailableError, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { HttpProblem } from '../http/problems.js';
import { zodProblems } from '../http/route.js';
import { NewUserSchema, PasswordSchema, UserPatchSchema } from '../users/users.schemas.js';
import { createUser, findUserByEmail, listUsers, updateUser } from '../users/users.service.js';

const USAGE = `usage: npm run cli -- <command>

  user add --email E --name N --role admin|leadership|steward|commission [--university CODE] [--generate-password]
  user list
  user disable --email E
  user enable --email E
  user set-password --email E [--generate-password]

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

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command !== 'user') throw new UsageError(`unknown command ${command}`);
  const config = loadConfig();
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    return await userCommand(database, args);
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
    process.stderr.write(`alliance-outcomes: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!expected && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
