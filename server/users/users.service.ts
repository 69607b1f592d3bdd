import type { Kysely } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { hashPassword, type PasswordWork, processPasswordWork } from '../auth/password.js';
import { endUserSessions } from '../auth/sessions.js';
import type { AppUserRow, Database } from '../db/schema.js';
import { BadRequest, Conflict, detail, NotFound, said } from '../lib/problems.js';
import { type NewUserInput, stewardProblem, type User, type UserPatch } from './users.schemas.js';

/** An account as the API shows it: never the password hash. */
export function toUser(row: AppUserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    university: row.university_code,
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The audit log's copy of an account: what changed, without the hash. */
function auditCopy(user: User): Omit<User, 'createdAt' | 'updatedAt'> {
  const { createdAt: _c, updatedAt: _u, ...rest } = user;
  return rest;
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('role').orderBy('email').execute();
  return rows.map(toUser);
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<AppUserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

async function assertUniversityExists(db: Kysely<Database>, code: string | null | undefined): Promise<void> {
  if (!code) return;
  const found = await db.selectFrom('university').select('code').where('code', '=', code).executeTakeFirst();
  if (!found)
    throw new BadRequest(said('no_such_university'), [
      detail({ path: 'body.university' }, said('unknown_named', { domain: 'university', code })),
    ]);
}

export async function createUser(
  db: Kysely<Database>,
  actor: Actor,
  input: NewUserInput,
  passwords: PasswordWork = processPasswordWork,
): Promise<User> {
  await assertUniversityExists(db, input.university);
  const passwordHash = await hashPassword(input.password, passwords);
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('app_user').select('id').where('email', '=', input.email).executeTakeFirst();
    if (taken)
      throw new Conflict(said('account_exists', { email: input.email }), [detail({ path: 'body.email' }, said('taken'))]);
    const row = await trx
      .insertInto('app_user')
      .values({
        email: input.email,
        name: input.name,
        role: input.role,
        university_code: input.university ?? null,
        password_hash: passwordHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const user = toUser(row);
    await writeAudit(trx, actor, { action: 'user_change', subject: `user:${user.email}`, after: auditCopy(user) });
    return user;
  });
}

/**
 * Changes an account. Disabling it or changing its password ends its sessions at once. The
 * last active administrator cannot be disabled or demoted, so the alliance is never locked out.
 */
export async function updateUser(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  patch: UserPatch,
  passwords: PasswordWork = processPasswordWork,
): Promise<User> {
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password, passwords);
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('app_user').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFound(said('no_user', { id }));
    const role = patch.role ?? current.role;
    // Changing the role away from steward clears the university unless another is given.
    const university = patch.university !== undefined ? patch.university : role === 'steward' ? current.university_code : null;
    const problem = stewardProblem(role, university);
    if (problem) throw new BadRequest(said('account_inconsistent'), [detail({ path: 'body.university' }, problem)]);
    await assertUniversityExists(trx, university);
    const losesAdmin = current.role === 'admin' && !current.disabled && (role !== 'admin' || patch.disabled === true);
    if (losesAdmin) {
      // Lock every admin row, so two admins demoting each other at once cannot both pass the count.
      await trx.selectFrom('app_user').select('id').where('role', '=', 'admin').forUpdate().execute();
      const others = await trx
        .selectFrom('app_user')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'admin')
        .where('disabled', '=', false)
        .where('id', '<>', id)
        .executeTakeFirstOrThrow();
      if (others.n === 0) throw new Conflict(said('last_admin'));
    }
    const row = await trx
      .updateTable('app_user')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        role,
        university_code: university ?? null,
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (
      row.disabled ||
      passwordHash !== undefined ||
      row.role !== current.role ||
      row.university_code !== current.university_code
    ) {
      await endUserSessions(trx, id);
    }
    const before = toUser(current);
    const after = toUser(row);
    await writeAudit(trx, actor, {
      action: 'user_change',
      subject: `user:${row.email}`,
      before: auditCopy(before),
      after: auditCopy(after),
      ...(passwordHash !== undefined ? { detail: { passwordChanged: true } } : {}),
    });
    return after;
  });
}
