import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/password.js';
import { connectDatabase } from '../../server/db/connect.js';
import { createTestDatabase, TEST_DB } from '../helpers/database.js';
import { runTs } from '../helpers/process.js';

describe(`user administration from the command line (${TEST_DB})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ao-cli-'));
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    if (TEST_DB === 'postgres') {
      const database = await createTestDatabase({ migrated: false });
      await database.close();
      env = { DATABASE_URL: database.url };
    } else {
      env = { DATA_DIR: join(scratch, 'data') };
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const cli = async (args: string[], stdin?: string) => {
    const child = runTs('server/cli/main.ts', args, { ...env, LOG_LEVEL: 'warn' });
    child.process.stdin!.end(stdin ?? '');
    return child.exited;
  };
  const open = () => connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });

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
    const database = await open();
    const row = await database.db.selectFrom('app_user').selectAll().executeTakeFirstOrThrow();
    expect(await verifyPassword('the first admin password', row.password_hash)).toBe(true);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'user_email']).execute();
    expect(audit).toEqual([{ action: 'user_change', user_email: 'cli' }]);
    await database.close();
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
    const database = await open();
    const row = await database.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', 's@alliance.example')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'steward', university_code: 'UJS', disabled: true });
    expect(await verifyPassword(password!, row.password_hash)).toBe(true);
    await database.close();
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
    const database = await open();
    expect(await database.db.selectFrom('app_user').select('email').where('email', '=', 'x@alliance.example').execute()).toEqual(
      [],
    );
    await database.close();
  });
});
