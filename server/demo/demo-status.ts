import { type Kysely, sql } from 'kysely';
import type { AuditAction, Database } from '../db/schema.js';

/**
 * Whether each audited action changes what the database holds. Typed over every action, so a new
 * one cannot be added without saying which it is. An action a signed-out caller can cause must
 * not count as a change: otherwise anyone could end the demo's sign-in page for everyone.
 */
const CHANGES_DATA: Record<AuditAction, boolean> = {
  login: false,
  login_failed: false,
  logout: false,
  export: false,
  create: true,
  update: true,
  delete: true,
  import: true,
  user_change: true,
  target_change: true,
  university_change: true,
  report_submit: true,
  period_submit: true,
  period_approve: true,
  period_return: true,
  period_reopen: true,
  calendar_change: true,
  mail_settings_change: true,
  // A retry or a test message changes no data.
  mail_message: false,
};
const CHANGE_ACTIONS = (Object.keys(CHANGES_DATA) as AuditAction[]).filter((action) => CHANGES_DATA[action]);

/** The app_setting key written when demo mode is left: demo data is then never written again on its own. */
export const DEMO_LEFT_KEY = 'demo_left';

export interface DemoStatus {
  /** The dataset is labelled synthetic: demo data was written and has not been removed. */
  synthetic: boolean;
  /** Accounts made for the demo (app_user.demo), whose password is published. */
  demoAccounts: number;
  /** Demo mode was left (leave-demo): the demo is never set up again on its own. */
  left: boolean;
  /**
   * Nothing but the demo is in it: the dataset is synthetic, demo mode was not left, every account
   * is a demo account, and since the demo data was written nobody but a demo account (not the
   * command line, not another account) has changed anything. Only then may the demo password be
   * shown. Once false it stays false: accounts are never removed but by leaving demo mode, and the
   * audit log is append-only.
   */
  purelySynthetic: boolean;
}

/**
 * One statement. The moment the demo data was written is the dataset setting's `updated_at`:
 * the seeder writes that row last, after (or in the same transaction as) every record.
 */
export async function readDemoStatus(db: Kysely<Database>): Promise<DemoStatus> {
  const result = await sql<{ synthetic: boolean; demo_accounts: number; left: boolean; others: boolean }>`
    select
      coalesce((d.value ->> 'synthetic') = 'true', false) as synthetic,
      (select count(*)::int from app_user where demo) as demo_accounts,
      exists (select 1 from app_setting where key = ${DEMO_LEFT_KEY}) as left,
      exists (select 1 from app_user where not demo)
        or exists (
          select 1 from audit_log a
          where a.action in (${sql.join(CHANGE_ACTIONS)}) and a.at >= d.updated_at
            and not exists (select 1 from app_user u where u.id = a.user_id and u.demo)
        ) as others
    from (select 1) as one
    left join app_setting d on d.key = 'dataset'`.execute(db);
  const row = result.rows[0]!;
  return {
    synthetic: row.synthetic,
    demoAccounts: row.demo_accounts,
    left: row.left,
    purelySynthetic: row.synthetic && !row.left && !row.others,
  };
}
