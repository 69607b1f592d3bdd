import { type Kysely, sql } from 'kysely';
import type { ReportingStep } from '../../contract/enums.js';
import type { Database } from '../db/schema.js';
import type { Held } from './registry.js';

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

/**
 * A month a stock's records are held from (the month of their `from` date, the day that also places
 * them in a period: periods are whole months) and the last day on which any record from that month
 * is still held: the latest of their ends, null when one of them has none. A snapshot is held until
 * the next snapshot of its university. One row per university and month, however many records.
 */
export interface HeldMonthRow {
  university_code: string;
  /** The month's first day. */
  from: string;
  until: string | null;
}

export async function readHeldMonths(db: Kysely<Database>, table: string, held: Held): Promise<HeldMonthRow[]> {
  const from = sql.ref(held.from);
  // A record is held until the first of its end dates (least() passes over nulls); a snapshot until
  // the next day its university took one.
  const records = held.latest
    ? sql`select university_code, day, lead(day) over (partition by university_code order by day) as ends
          from (select distinct university_code, ${from} as day from ${sql.table(held.latest.table)}) as d`
    : sql`select university_code, ${from} as day,
                 ${held.until.length > 0 ? sql`least(${sql.join(held.until.map((c) => sql.ref(c)))})` : sql`null::date`} as ends
          from ${sql.table(table)}`;
  const { rows } = await sql<HeldMonthRow>`
    select university_code, to_char(day, 'YYYY-MM-01') as "from",
           case when bool_or(ends is null) then null else to_char(max(ends), 'YYYY-MM-DD') end as until
    from (${records}) as r
    group by 1, 2
    order by 1, 2`.execute(db);
  return rows;
}

/**
 * The days a flow dated by another column than its records' own (a graduation, a reward: `column`)
 * counts records on, by the month of their own date (`main`, which places them in a period). One
 * row per university, month and day counted, however many records.
 */
export interface DatedDayRow {
  university_code: string;
  month: string;
  day: string;
}

export async function readDatedDays(db: Kysely<Database>, table: string, main: string, column: string): Promise<DatedDayRow[]> {
  const { rows } = await sql<DatedDayRow>`
    select distinct university_code, to_char(${sql.ref(main)}, 'YYYY-MM-01') as month, to_char(${sql.ref(column)}, 'YYYY-MM-DD') as day
    from ${sql.table(table)}
    where ${sql.ref(column)} is not null
    order by 1, 2, 3`.execute(db);
  return rows;
}
