import { type Kysely, sql } from 'kysely';
import type { ReportingStep } from '../../contract/enums.js';
import type { Database } from '../db/schema.js';

/** A stored reporting period as a figure's status reads it. */
export interface StoredPeriodRow {
  university_code: string;
  period: string;
  period_from: string;
  period_to: string;
  last_action: ReportingStep | null;
  /** The digest of the submission its last approval approved; null when it was never approved. */
  approved_sha256: string | null;
}

/**
 * Every stored period with its last step and, when it was ever approved, the digest of the
 * submission that its last approval approved (the last submission before that approval). One
 * statement for all universities: the periods are a few per university and year.
 */
export async function readStoredPeriods(db: Kysely<Database>): Promise<StoredPeriodRow[]> {
  const { rows } = await sql<StoredPeriodRow>`
    select p.university_code, p.period,
           to_char(p.period_from, 'YYYY-MM-DD') as period_from, to_char(p.period_to, 'YYYY-MM-DD') as period_to,
           p.last_action,
           (select sub.sha256 from reporting_step sub
             where sub.period_id = p.id and sub.action = 'submit'
               and sub.id < (select max(a.id) from reporting_step a where a.period_id = p.id and a.action = 'approve')
             order by sub.id desc limit 1) as approved_sha256
    from reporting_period_state p
    order by p.university_code, p.period_from`.execute(db);
  return rows;
}
