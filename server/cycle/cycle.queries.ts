import { type Kysely, type RawBuilder, sql } from 'kysely';
import { DEFAULT_DUE_DAYS, DEFAULT_FREQUENCY, type ReportingPeriodSpan } from '../../contract/reporting-periods.js';
import { INPUT_COLUMNS, MAIN_DATE } from '../../contract/record-columns.js';
import {
  type Database,
  FACT_KINDS,
  type FactKind,
  type ReportingPeriodStateView,
  type ReportingStepTable,
} from '../db/schema.js';
import type { Insertable, Selectable } from 'kysely';
import type { ReportingFrequency, ReportingStep } from '../../contract/enums.js';

/** A university's calendar: its frequency and days to the due date, the defaults where it has no row. */
export interface CalendarEntry {
  university: string;
  memberSince: string;
  frequency: ReportingFrequency;
  dueDays: number;
}

/** The calendars of the member universities (of `only`, when given), by code. */
export async function readCalendars(db: Kysely<Database>, only?: string): Promise<CalendarEntry[]> {
  const rows = await db
    .selectFrom('university as u')
    .leftJoin('reporting_calendar as c', 'c.university_code', 'u.code')
    .select(['u.code', 'u.member_since', 'c.frequency', 'c.due_days'])
    .$if(only !== undefined, (q) => q.where('u.code', '=', only!))
    .orderBy('u.code')
    .execute();
  return rows.map((r) => ({
    university: r.code,
    memberSince: r.member_since,
    frequency: r.frequency ?? DEFAULT_FREQUENCY,
    dueDays: r.due_days ?? DEFAULT_DUE_DAYS,
  }));
}

export async function upsertCalendar(
  trx: Kysely<Database>,
  university: string,
  frequency: ReportingFrequency,
  dueDays: number,
  userId: number,
): Promise<void> {
  await trx
    .insertInto('reporting_calendar')
    .values({ university_code: university, frequency, due_days: dueDays, updated_by: userId })
    .onConflict((oc) =>
      oc.column('university_code').doUpdateSet({ frequency, due_days: dueDays, updated_by: userId, updated_at: new Date() }),
    )
    .execute();
}

/**
 * Serialises the cycle's steps against writes of a university's records: a step takes the
 * university's lock alone (`exclusive`), a write of its records shares it. A period is thus never
 * approved while a write into it is on its way, nor written while it is being approved.
 */
export async function lockUniversityCycle(trx: Kysely<Database>, university: string, exclusive: boolean): Promise<void> {
  const key = sql`hashtext(${`reporting:${university}`})`;
  if (exclusive) await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
  else await sql`select pg_advisory_xact_lock_shared(${key})`.execute(trx);
}

/** The period's row, made when it has none, locked for the transaction's rest. */
export async function lockPeriod(
  trx: Kysely<Database>,
  university: string,
  span: ReportingPeriodSpan,
): Promise<{ id: number; due_on: string | null }> {
  await trx
    .insertInto('reporting_period')
    .values({ university_code: university, period: span.key, period_from: span.from, period_to: span.to })
    .onConflict((oc) => oc.columns(['university_code', 'period']).doNothing())
    .execute();
  return trx
    .selectFrom('reporting_period')
    .select(['id', 'due_on'])
    .where('university_code', '=', university)
    .where('period', '=', span.key)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function setPeriodDue(trx: Kysely<Database>, id: number, dueOn: string | null): Promise<void> {
  await trx.updateTable('reporting_period').set({ due_on: dueOn }).where('id', '=', id).execute();
}

/** The stored periods with their last step: of one university, or of several in a date range. */
export function readPeriodStates(
  db: Kysely<Database>,
  filter: { universities?: readonly string[]; period?: string; from?: string; to?: string },
): Promise<ReportingPeriodStateView[]> {
  return db
    .selectFrom('reporting_period_state')
    .selectAll()
    .$if(filter.universities !== undefined, (q) =>
      q.where('university_code', 'in', filter.universities!.length > 0 ? filter.universities! : ['']),
    )
    .$if(filter.period !== undefined, (q) => q.where('period', '=', filter.period!))
    .$if(filter.from !== undefined, (q) => q.where('period_to', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('period_from', '<=', filter.to!))
    .orderBy('university_code')
    .orderBy('period_from')
    .execute();
}

export type StepRow = Selectable<ReportingStepTable>;

export function readSteps(db: Kysely<Database>, periodId: number): Promise<StepRow[]> {
  return db.selectFrom('reporting_step').selectAll().where('period_id', '=', periodId).orderBy('id').execute();
}

export async function insertStep(trx: Kysely<Database>, step: Insertable<ReportingStepTable>): Promise<{ id: number; at: Date }> {
  return trx
    .insertInto('reporting_step')
    .values({ ...step, summary: step.summary === undefined || step.summary === null ? null : JSON.stringify(step.summary) })
    .returning(['id', 'at'])
    .executeTakeFirstOrThrow();
}

/** Every kind's records of a university dated in a span (by the kind's own date), in ref order, as written. */
export async function periodRecords(
  db: Kysely<Database>,
  university: string,
  span: { from: string; to: string },
): Promise<Record<FactKind, Record<string, unknown>[]>> {
  const out = {} as Record<FactKind, Record<string, unknown>[]>;
  for (const kind of FACT_KINDS) {
    const columns = INPUT_COLUMNS[kind].map((c) => c.name);
    const date = MAIN_DATE[kind];
    const { rows } = await sql<Record<string, unknown>>`
      select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(kind)}
      where university_code = ${university} and ${sql.ref(date)} between ${span.from} and ${span.to}
      order by ref`.execute(db);
    out[kind] = rows;
  }
  return out;
}

/** The totals SQL of a kind: its count and the sum of each amount column (money, counts, credits). */
export function amountColumns(kind: FactKind): string[] {
  return INPUT_COLUMNS[kind].filter((c) => c.type === 'money' || c.type === 'count' || c.type === 'credits').map((c) => c.name);
}

/** Records per university and month (`YYYY-MM`) of every kind, dated in a span: what says a period is in progress. */
export async function recordsPerMonth(
  db: Kysely<Database>,
  universities: readonly string[],
  span: { from: string; to: string },
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (universities.length === 0) return counts;
  for (const kind of FACT_KINDS) {
    const date = sql.ref(MAIN_DATE[kind]);
    const { rows } = await sql<{ university_code: string; month: string; n: number }>`
      select university_code, to_char(${date}, 'YYYY-MM') as month, count(*) as n from ${sql.table(kind)}
      where university_code in (${sql.join(universities)}) and ${date} between ${span.from} and ${span.to}
      group by 1, 2`.execute(db);
    for (const row of rows) {
      const key = `${row.university_code}|${row.month}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(row.n));
    }
  }
  return counts;
}

/**
 * The approved periods that a set of records touches: `rows` is a relation (alias `i`) of a kind's
 * new values with a `line`, joined to the stored record of the same key (alias `t`, null for a new
 * one). A line counts when it inserts or changes a record (`compared` columns differ) and its new
 * day or its stored one falls in an approved period of its university.
 */
export function closedLinesQuery(
  kind: FactKind,
  rows: RawBuilder<unknown>,
  compared: readonly string[],
  limit: number,
): RawBuilder<{ line: number; university_code: string; period: string; period_from: string; period_to: string; total: number }> {
  const date = MAIN_DATE[kind];
  const refs = (alias: string) => sql.join(compared.map((c) => sql.ref(`${alias}.${c}`)));
  return sql`
    select i.line, i.university_code, p.period, to_char(p.period_from, 'YYYY-MM-DD') as period_from,
           to_char(p.period_to, 'YYYY-MM-DD') as period_to, count(*) over () as total
    from ${rows} as i
    left join ${sql.table(kind)} as t on t.university_code = i.university_code and t.ref = i.ref
    join lateral (
      select s.period, s.period_from, s.period_to from reporting_period_state as s
      where s.university_code = i.university_code and s.last_action = 'approve'
        and (i.${sql.ref(date)} between s.period_from and s.period_to
             or t.${sql.ref(date)} between s.period_from and s.period_to)
      order by s.period_from limit 1
    ) as p on true
    where t.id is null or (${refs('t')}) is distinct from (${refs('i')})
    order by i.line
    limit ${limit}`;
}

/** A university's calendar with each of its periods stored since `since` and its last step: one statement. */
export async function readOwnPeriods(
  db: Kysely<Database>,
  university: string,
  since: string,
): Promise<{
  calendar: CalendarEntry | undefined;
  periods: Array<{ period: string; dueOn: string | null; lastAction: ReportingStep | null }>;
}> {
  const rows = await db
    .selectFrom('university as u')
    .leftJoin('reporting_calendar as c', 'c.university_code', 'u.code')
    .leftJoin('reporting_period_state as s', (join) =>
      join.onRef('s.university_code', '=', 'u.code').on('s.period_to', '>=', since),
    )
    .select(['u.code', 'u.member_since', 'c.frequency', 'c.due_days', 's.period', 's.due_on', 's.last_action'])
    .where('u.code', '=', university)
    .execute();
  const first = rows[0];
  if (!first) return { calendar: undefined, periods: [] };
  return {
    calendar: {
      university: first.code,
      memberSince: first.member_since,
      frequency: first.frequency ?? DEFAULT_FREQUENCY,
      dueDays: first.due_days ?? DEFAULT_DUE_DAYS,
    },
    periods: rows.flatMap((r) => (r.period === null ? [] : [{ period: r.period, dueOn: r.due_on, lastAction: r.last_action }])),
  };
}

/** Submitted periods waiting for review, of every university. */
export async function countAwaitingReview(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('reporting_period_state')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('last_action', '=', 'submit')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The approved periods (of `university`, or every one) that overlap a span, with who approved them and when. */
export async function readClosedPeriods(
  db: Kysely<Database>,
  span: { from: string; to: string },
  university: string | undefined,
): Promise<
  Array<{ university_code: string; period: string; period_from: string; period_to: string; at: Date; by: string | null }>
> {
  const { rows } = await sql<{
    university_code: string;
    period: string;
    period_from: string;
    period_to: string;
    at: Date;
    by: string | null;
  }>`
    select p.university_code, p.period, to_char(p.period_from, 'YYYY-MM-DD') as period_from,
           to_char(p.period_to, 'YYYY-MM-DD') as period_to, st.at, coalesce(st.user_name, st.user_email) as by
    from reporting_period as p
    join lateral (
      select s.action, s.at, s.user_name, s.user_email from reporting_step as s
      where s.period_id = p.id order by s.id desc limit 1
    ) as st on st.action = 'approve'
    where p.period_to >= ${span.from} and p.period_from <= ${span.to}
      ${university === undefined ? sql`` : sql`and p.university_code = ${university}`}
    order by p.university_code, p.period_from`.execute(db);
  return rows;
}

/** The member universities' names, for a formatted export. */
export async function universityNames(db: Kysely<Database>): Promise<Map<string, { en: string; zh: string }>> {
  const rows = await db.selectFrom('university').select(['code', 'name_en', 'name_zh']).execute();
  return new Map(rows.map((r) => [r.code, { en: r.name_en, zh: r.name_zh }]));
}
