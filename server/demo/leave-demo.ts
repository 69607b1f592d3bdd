import { type Kysely, sql } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import { type Database, FACT_KINDS, FACT_KINDS_DEPENDENTS_FIRST, type FactKind } from '../db/schema.js';
import { Conflict, said } from '../lib/problems.js';
import { DEMO_LEFT_KEY } from './demo-status.js';

export interface LeaveDemoOptions {
  /** Remove the records and targets the demo generator wrote (not those anyone entered since). */
  removeRecords: boolean;
}

export interface LeaveDemoResult {
  /** The demo accounts removed, with their sessions. */
  removedAccounts: string[];
  /** Per kind, the demo records removed; null when records were kept or none were synthetic. */
  removedRecords: Record<FactKind, number> | null;
  removedTargets: number;
  /** Whether the dataset is still labelled synthetic (records kept). */
  synthetic: boolean;
}

/** Every column that names an account, but the sessions (which go with it): they are emptied for a removed account. */
const ACCOUNT_REFERENCES = [
  ...FACT_KINDS.flatMap((kind) => [
    { table: kind, column: 'created_by' },
    { table: kind, column: 'updated_by' },
  ]),
  { table: 'target', column: 'updated_by' },
  { table: 'import_batch', column: 'user_id' },
  { table: 'reporting_calendar', column: 'updated_by' },
] as const;
export const ACCOUNT_REFERENCE_COLUMNS: readonly string[] = ACCOUNT_REFERENCES.map((r) => `${r.table}.${r.column}`);

/**
 * Leaves demo mode, in one transaction: removes the demo accounts and their sessions (the records
 * they wrote stay, without the account's id; the audit log keeps their e-mail), optionally the
 * records and targets the demo generator wrote, and marks the database so that demo data and
 * demo accounts are never set up on it again. The dataset stays labelled synthetic while its
 * generated records are kept. Refused while no active administrator of the alliance's own exists:
 * nobody could sign in afterwards.
 */
export async function leaveDemo(db: Kysely<Database>, actor: Actor, options: LeaveDemoOptions): Promise<LeaveDemoResult> {
  return db.transaction().execute(async (trx) => {
    // Lock every administrator, so that disabling the last one of our own cannot race this check.
    await trx.selectFrom('app_user').select('id').where('role', '=', 'admin').forUpdate().execute();
    const own = await trx
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', false)
      .where('demo', '=', false)
      .executeTakeFirstOrThrow();
    if (Number(own.n) === 0) throw new Conflict(said('leave_demo_needs_admin'));

    const dataset = await trx
      .selectFrom('app_setting')
      .select('value')
      .where('key', '=', 'dataset')
      .forUpdate()
      .executeTakeFirst();
    const synthetic = (dataset?.value as { synthetic?: unknown } | undefined)?.synthetic === true;

    let removedRecords: Record<FactKind, number> | null = null;
    let removedTargets = 0;
    if (options.removeRecords && dataset && synthetic) {
      // The generator's rows carry no account and were written no later than the dataset setting
      // (see readDemoStatus); a row entered since, even through the command line, is later. Compared
      // in SQL: a JavaScript Date would drop the microseconds and miss rows of the same instant.
      const writtenBy = trx.selectFrom('app_setting').select('updated_at').where('key', '=', 'dataset');
      const removed: Partial<Record<FactKind, number>> = {};
      // Payments before their contracts; a demo contract that someone has since entered a payment
      // on stays, with that payment.
      for (const kind of FACT_KINDS_DEPENDENTS_FIRST) {
        const result = await trx
          .deleteFrom(kind)
          .where('created_by', 'is', null)
          .where('created_at', '<=', writtenBy)
          .$if(kind === 'tech_transfer', (q) =>
            q.where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('payment as p')
                    .select('p.id')
                    .whereRef('p.university_code', '=', 'tech_transfer.university_code')
                    .whereRef('p.contract_ref', '=', 'tech_transfer.ref'),
                ),
              ),
            ),
          )
          .executeTakeFirst();
        removed[kind] = Number(result.numDeletedRows);
      }
      removedRecords = removed as Record<FactKind, number>;
      const targets = await trx
        .deleteFrom('target')
        .where('updated_by', 'is', null)
        .where('updated_at', '<=', writtenBy)
        .executeTakeFirst();
      removedTargets = Number(targets.numDeletedRows);
      await writeAudit(trx, actor, {
        action: 'delete',
        subject: 'demo records (leaving demo mode)',
        detail: { ...removedRecords, target: removedTargets },
      });
      await trx
        .updateTable('app_setting')
        .set({ value: { synthetic: false }, updated_at: sql`now()` })
        .where('key', '=', 'dataset')
        .execute();
    }

    const accounts = await trx
      .selectFrom('app_user')
      .select(['id', 'email', 'name', 'role', 'university_code', 'disabled'])
      .where('demo', '=', true)
      .orderBy('id')
      .forUpdate()
      .execute();
    const ids = accounts.map((a) => a.id);
    if (ids.length > 0) {
      for (const { table, column } of ACCOUNT_REFERENCES) {
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = null where ${sql.ref(column)} in (${sql.join(ids)})`.execute(
          trx,
        );
      }
      // Their sessions go with them (on delete cascade), and the sign-out is announced to every server.
      await trx.deleteFrom('app_user').where('id', 'in', ids).execute();
      for (const account of accounts) {
        await writeAudit(trx, actor, {
          action: 'user_change',
          subject: `user:${account.email}`,
          before: {
            id: account.id,
            email: account.email,
            name: account.name,
            role: account.role,
            university: account.university_code,
            disabled: account.disabled,
          },
          detail: { removed: 'leaving demo mode' },
        });
      }
    }

    const left = { at: new Date().toISOString(), by: actor.email, removedRecords: removedRecords !== null };
    await trx
      .insertInto('app_setting')
      .values({ key: DEMO_LEFT_KEY, value: left })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: left, updated_at: sql`now()` }))
      .execute();
    // The dataset's label is part of /meta and the report: cached answers must not outlive it.
    await bumpDataVersion(trx);
    return {
      removedAccounts: accounts.map((a) => a.email),
      removedRecords,
      removedTargets,
      synthetic: synthetic && removedRecords === null,
    };
  });
}
