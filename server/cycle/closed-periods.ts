import { type Kysely, sql } from 'kysely';
import { MAIN_DATE } from '../../contract/record-columns.js';
import type { Database, FactKind } from '../db/schema.js';
import { Conflict, said } from '../lib/problems.js';
import { lockUniversityCycle } from './cycle.queries.js';

/** A record's university and the day its kind is dated by, as a write finds it or leaves it. */
export interface DatedRecord {
  university: string;
  day: string | null;
}

/** The day a record of `kind` is dated by (its kind's own date: signed_on, received_on, …). */
export const recordDay = (kind: FactKind, record: Record<string, unknown>): string | null => {
  const value = record[MAIN_DATE[kind]];
  return typeof value === 'string' ? value : null;
};

/**
 * Refuses (409) a write of records dated inside an approved period of their university, naming the
 * period and how to reopen it. Call it in the write's transaction with every record the write
 * touches, as it was and as it will be: it first shares each university's cycle lock, so that no
 * period is approved between this check and the write's commit.
 */
export async function assertPeriodsOpen(trx: Kysely<Database>, records: readonly DatedRecord[]): Promise<void> {
  const universities = [...new Set(records.map((r) => r.university))].sort();
  for (const university of universities) await lockUniversityCycle(trx, university, false);
  for (const record of records) {
    if (record.day === null) continue;
    const closed = await trx
      .selectFrom('reporting_period_state')
      .select(['period', 'period_from', 'period_to'])
      .where('university_code', '=', record.university)
      .where('last_action', '=', 'approve')
      .where('period_from', '<=', record.day)
      .where('period_to', '>=', record.day)
      .orderBy('period_from')
      .executeTakeFirst();
    if (closed)
      throw new Conflict(
        said('period_closed', {
          university: record.university,
          period: closed.period,
          from: closed.period_from,
          to: closed.period_to,
        }),
      );
  }
}

/** Shares the cycle lock of every university of a staged import (`table`): see `assertPeriodsOpen`. */
export async function lockStagedUniversities(trx: Kysely<Database>, table: string): Promise<void> {
  const { rows } = await sql<{ university_code: string }>`
    select distinct university_code from ${sql.table(table)} order by university_code`.execute(trx);
  for (const row of rows) await lockUniversityCycle(trx, row.university_code, false);
}
