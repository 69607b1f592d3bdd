import { parseArgs } from 'node:util';
import { MIN_PASSWORD_DISTINCT, MIN_PASSWORD_LENGTH } from '../../../contract/limits.js';
import { generatePassword } from '../../auth/password.js';
import { NewUserSchema, PasswordSchema, UserPatchSchema } from '../../users/users.schemas.js';
import { createUser, findUserByEmail, listUsers, updateUser } from '../../users/users.service.js';
import { CLI_ACTOR, type CliIo, checked, type Command, Refused, UsageError } from '../command.js';

async function readPassword(generate: boolean, { stdin, stderr }: CliIo): Promise<{ password: string; generated: boolean }> {
  if (generate) return { password: generatePassword(), generated: true };
  if (stdin.isTTY)
    stderr.write(
      `Password (at least ${MIN_PASSWORD_LENGTH} characters, ${MIN_PASSWORD_DISTINCT} of them different; not the demo password), then Enter: `,
    );
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    const bytes = Buffer.from(chunk as Buffer | string);
    chunks.push(bytes);
    if (stdin.isTTY && bytes.includes(10)) break;
  }
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  return { password, generated: false };
}

export const userCommand: Command = async (database, args, io) => {
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
      const { password, generated } = await readPassword(values['generate-password'], io);
      const input = checked(NewUserSchema, {
        email: values.email,
        name: values.name,
        role: values.role,
        university: values.university ?? null,
        password,
      });
      const user = await createUser(db, CLI_ACTOR, input);
      io.stdout.write(`added ${user.email} (${user.role}${user.university ? `, ${user.university}` : ''})\n`);
      if (generated) io.stdout.write(`password (shown once): ${password}\n`);
      return 0;
    }
    case 'list': {
      for (const user of await listUsers(db)) {
        io.stdout.write(
          `${user.email.padEnd(40)} ${user.role.padEnd(11)} ${(user.university ?? '').padEnd(8)} ${user.disabled ? 'disabled' : 'active'}\n`,
        );
      }
      return 0;
    }
    case 'disable':
    case 'enable': {
      const user = await existing();
      await updateUser(db, CLI_ACTOR, user.id, checked(UserPatchSchema, { disabled: action === 'disable' }));
      io.stdout.write(`${action}d ${user.email}${action === 'disable' ? '; its sessions have ended' : ''}\n`);
      return 0;
    }
    case 'set-password': {
      const user = await existing();
      const { password, generated } = await readPassword(values['generate-password'], io);
      await updateUser(db, CLI_ACTOR, user.id, { password: checked(PasswordSchema, password) });
      io.stdout.write(`set the password of ${user.email}; its sessions have ended\n`);
      if (generated) io.stdout.write(`password (shown once): ${password}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown user command ${action ?? '(none)'}`);
  }
};
