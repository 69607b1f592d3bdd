import type { Kysely } from 'kysely';
import type { PeriodStatus, ReportingFrequency, ReportingStep } from '../../contract/enums.js';
import { defaultDueOn, parseReportingPeriod, periodsOfYear, type ReportingPeriodSpan } from '../../contract/reporting-periods.js';
import type {
  BoardAnswer,
  ClosedPeriod,
  PeriodAnswer,
  PeriodState,
  PeriodStep,
  PeriodSummary,
  TodoAnswer,
} from '../../contract/schemas/cycle.js';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import type { AuditAction, Database, ReportingPeriodStateView } from '../db/schema.js';
import type { Caller } from '../http/route.js';
import { today } from '../lib/dates.js';
import { BadRequest, Conflict, detail, Forbidden, NotFound, said } from '../lib/problems.js';
import {
  type CalendarEntry,
  countAwaitingReview,
  insertStep,
  lockPeriod,
  lockUniversityCycle,
  readCalendars,
  readClosedPeriods,
  readOwnPeriods,
  readPeriodStates,
  readSteps,
  recordsPerMonth,
  setPeriodDue,
  type StepRow,
  upsertCalendar,
} from './cycle.queries.js';
import { freezePeriod } from './period-records.js';

/**
 * A period's status: its last step says submitted, returned, approved or reopened; without one it
 * is in progress when the university has records dated in it, else not started.
 */
export function periodStatus(lastAction: ReportingStep | null, records: number): PeriodStatus {
  switch (lastAction) {
    case 'submit':
      return 'submitted';
    case 'return':
      return 'returned';
    case 'approve':
      return 'approved';
    case 'reopen':
      return 'reopened';
    default:
      return records > 0 ? 'in_progress' : 'not_started';
  }
}

/** Late: past its due date (the day after it) and neither submitted nor approved (a reopened period was delivered once). */
export const isLate = (status: PeriodStatus, dueOn: string, day: string): boolean =>
  day > dueOn && (status === 'not_started' || status === 'in_progress' || status === 'returned');

const stepOf = (row: Pick<StepRow, 'action' | 'at' | 'user_name' | 'user_email' | 'comment'>): PeriodStep => ({
  action: row.action,
  at: new Date(row.at).toISOString(),
  by: row.user_name ?? row.user_email,
  comment: row.comment,
});

/** The months (`YYYY-MM`) a span covers. */
function monthsOf(span: { from: string; to: string }): string[] {
  const out: string[] = [];
  let year = Number(span.from.slice(0, 4));
  let month = Number(span.from.slice(5, 7));
  const last = span.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
}

function stateOf(
  calendar: CalendarEntry,
  span: ReportingPeriodSpan,
  stored: ReportingPeriodStateView | undefined,
  records: number,
  day: string,
  lastBy: string | null,
): PeriodState {
  const status = periodStatus(stored?.last_action ?? null, records);
  const dueOn = stored?.due_on ?? defaultDueOn(span, calendar.dueDays);
  return {
    university: calendar.university,
    period: span.key,
    from: span.from,
    to: span.to,
    dueOn,
    status,
    late: isLate(status, dueOn, day),
    ended: span.to < day,
    records,
    submittedAt: stored?.submitted_at ? new Date(stored.submitted_at).toISOString() : null,
    sha256: stored?.submitted_sha256 ?? null,
    lastStep:
      stored?.last_action && stored.last_at
        ? { action: stored.last_action, at: new Date(stored.last_at).toISOString(), by: lastBy, comment: stored.last_comment }
        : null,
  };
}

/** The calendar of a member university, 404 when it is none. */
async function calendarOf(db: Kysely<Database>, university: string): Promise<CalendarEntry> {
  const [calendar] = await readCalendars(db, university);
  if (!calendar) throw new NotFound(said('no_university', { code: university }));
  return calendar;
}

/** A steward acts for its own university only; an admin, leadership for any. */
function assertOwnUniversity(caller: Caller, university: string): void {
  if (caller.role === 'steward' && caller.university !== university)
    throw new Forbidden(said('steward_own_periods', { university: String(caller.university) }));
}

/**
 * The period a path names, if it is one of the university's calendar: of its frequency, and not
 * ended before the university joined. A period with a history of steps (from before a change of
 * frequency or of the join date) stays reachable, so that what was approved can be read and reopened;
 * a due date alone is no history.
 */
async function periodInCalendar(db: Kysely<Database>, calendar: CalendarEntry, key: string): Promise<ReportingPeriodSpan> {
  const span = parseReportingPeriod(key);
  const place = { path: 'period' };
  if (!span) throw new BadRequest(said('reporting_period_form'));
  const inFrequency = span.frequency === calendar.frequency;
  const inMembership = span.to >= calendar.memberSince;
  if (inFrequency && inMembership) return span;
  const stored = await readPeriodStates(db, { universities: [calendar.university], period: span.key });
  if (stored.some((period) => period.last_action !== null)) return span;
  if (!inFrequency) {
    const why = said('period_not_in_calendar', {
      university: calendar.university,
      period: span.key,
      frequency: calendar.frequency,
    });
    throw new BadRequest(why, [detail(place, why)]);
  }
  throw new BadRequest(
    said('period_before_membership', { university: calendar.university, period: span.key, since: calendar.memberSince }),
  );
}

/** Records of the university dated in the span, all kinds. */
async function recordCount(db: Kysely<Database>, university: string, span: { from: string; to: string }): Promise<number> {
  const counts = await recordsPerMonth(db, [university], span);
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

/** One period as the steps answer it: its state, what its last submission froze, and its history. */
export async function readPeriod(db: Kysely<Database>, university: string, key: string, viewer?: Caller): Promise<PeriodAnswer> {
  if (viewer) assertOwnUniversity(viewer, university);
  const calendar = await calendarOf(db, university);
  const span = await periodInCalendar(db, calendar, key);
  const [stored] = await readPeriodStates(db, { universities: [university], period: span.key });
  const steps = stored ? await readSteps(db, stored.id) : [];
  const last = steps.at(-1);
  const lastSubmit = steps.findLast((s) => s.action === 'submit');
  const state = stateOf(calendar, span, stored, await recordCount(db, university, span), today(), last ? stepOf(last).by : null);
  return {
    ...state,
    summary: (lastSubmit?.summary as PeriodSummary | undefined) ?? null,
    steps: steps.map(stepOf),
  };
}

interface StepInput {
  university: string;
  period: string;
  comment?: string | undefined;
}

/** A step as it is taken, for those told of it (e-mail). */
export interface TakenStep {
  id: number;
  at: Date;
  action: ReportingStep;
  university: string;
  span: ReportingPeriodSpan;
  comment: string | null;
  by: string;
  /** A submission's frozen summary. */
  summary: PeriodSummary | null;
}

/**
 * Told of each step inside the step's transaction, after it is stored: what it writes commits with
 * the step or not at all (the mail outbox queues its message so).
 */
export interface StepListener {
  stepTaken(trx: Kysely<Database>, step: TakenStep): Promise<void>;
}

/**
 * One step of a period, in one transaction under the university's cycle lock (no write of its
 * records is on its way meanwhile): the period's row is made if need be and locked, `check` says
 * whether the step may be taken from the last one, the step is stored and audited.
 */
async function takeStep(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  input: StepInput,
  action: ReportingStep,
  check: (
    trx: Kysely<Database>,
    state: { status: PeriodStatus; last: ReportingPeriodStateView | undefined; span: ReportingPeriodSpan },
  ) => Promise<{ summary?: PeriodSummary; sha256?: string } | undefined>,
  listener?: StepListener,
): Promise<PeriodAnswer> {
  const calendar = await calendarOf(db, input.university);
  const span = await periodInCalendar(db, calendar, input.period);
  await db.transaction().execute(async (trx) => {
    await lockUniversityCycle(trx, input.university, true);
    const period = await lockPeriod(trx, input.university, span);
    const [last] = await readPeriodStates(trx, { universities: [input.university], period: span.key });
    const records = last?.last_action ? 0 : await recordCount(trx, input.university, span);
    const status = periodStatus(last?.last_action ?? null, records);
    const frozen = (await check(trx, { status, last, span })) ?? {};
    const stored = await insertStep(trx, {
      period_id: period.id,
      action,
      user_id: caller.id,
      user_email: caller.email,
      user_name: caller.name,
      comment: input.comment ?? null,
      summary: frozen.summary ?? null,
      sha256: frozen.sha256 ?? null,
    });
    await writeAudit(trx, actor, {
      action: `period_${action}` as AuditAction,
      subject: `period:${input.university}/${span.key}`,
      before: { status },
      after: { status: periodStatus(action, 0) },
      detail: { comment: input.comment ?? null, ...(frozen.sha256 ? { sha256: frozen.sha256, summary: frozen.summary } : {}) },
    });
    await listener?.stepTaken(trx, {
      id: Number(stored.id),
      at: new Date(stored.at),
      action,
      university: input.university,
      span,
      comment: input.comment ?? null,
      by: caller.name || caller.email,
      summary: frozen.summary ?? null,
    });
  });
  return readPeriod(db, input.university, span.key);
}

const names = (university: string, span: ReportingPeriodSpan) => ({ university, period: span.key });

/**
 * A steward submits its university's ended period (an admin may too): what the period holds is
 * frozen (counts, totals, digest). Refused while it waits for review or is approved, and when
 * nothing changed since the submission it was returned or reopened from.
 */
export async function submitPeriod(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  input: StepInput,
  listener?: StepListener,
): Promise<PeriodAnswer> {
  assertOwnUniversity(caller, input.university);
  const span = parseReportingPeriod(input.period);
  if (span && span.to >= today()) throw new BadRequest(said('period_not_ended', { period: span.key, to: span.to }));
  return takeStep(
    db,
    caller,
    actor,
    input,
    'submit',
    async (trx, { status, last, span }) => {
      if (status === 'submitted') throw new Conflict(said('period_already_submitted', names(input.university, span)));
      if (status === 'approved') throw new Conflict(said('period_already_approved', names(input.university, span)));
      const frozen = await freezePeriod(trx, input.university, span);
      if (last?.submitted_sha256 === frozen.sha256) throw new Conflict(said('period_unchanged', names(input.university, span)));
      return frozen;
    },
    listener,
  );
}

/** An admin or leadership account approves a submitted period whose records are still what was submitted. */
export async function approvePeriod(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  input: StepInput,
  listener?: StepListener,
): Promise<PeriodAnswer> {
  return takeStep(
    db,
    caller,
    actor,
    input,
    'approve',
    async (trx, { status, last, span }) => {
      if (status !== 'submitted') throw new Conflict(said('period_not_submitted', { ...names(input.university, span), status }));
      const now = await freezePeriod(trx, input.university, span);
      if (now.sha256 !== last?.submitted_sha256)
        throw new Conflict(said('period_changed_since_submitted', names(input.university, span)));
      return undefined;
    },
    listener,
  );
}

/** An admin or leadership account returns a submitted period with a comment: the steward corrects and submits again. */
export async function returnPeriod(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  input: StepInput,
  listener?: StepListener,
): Promise<PeriodAnswer> {
  return takeStep(
    db,
    caller,
    actor,
    input,
    'return',
    async (_trx, { status, span }) => {
      if (status !== 'submitted') throw new Conflict(said('period_not_submitted', { ...names(input.university, span), status }));
      return undefined;
    },
    listener,
  );
}

/** An admin reopens an approved period with a reason: its records may change again, and it is submitted again. */
export async function reopenPeriod(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  input: StepInput,
  listener?: StepListener,
): Promise<PeriodAnswer> {
  return takeStep(
    db,
    caller,
    actor,
    input,
    'reopen',
    async (_trx, { status, span }) => {
      if (status !== 'approved') throw new Conflict(said('period_not_approved', { ...names(input.university, span), status }));
      return undefined;
    },
    listener,
  );
}

/** An admin sets a period's own due date (null: the calendar's default again). */
export async function setDue(
  db: Kysely<Database>,
  actor: Actor,
  input: { university: string; period: string; dueOn: string | null },
): Promise<PeriodAnswer> {
  const calendar = await calendarOf(db, input.university);
  const span = await periodInCalendar(db, calendar, input.period);
  if (input.dueOn !== null && input.dueOn < span.from)
    throw new BadRequest(said('before_first_date', { first: span.from }), [
      detail({ path: 'body.dueOn' }, said('before_first_date', { first: span.from })),
    ]);
  await db.transaction().execute(async (trx) => {
    const period = await lockPeriod(trx, input.university, span);
    await setPeriodDue(trx, period.id, input.dueOn);
    await writeAudit(trx, actor, {
      action: 'calendar_change',
      subject: `period:${input.university}/${span.key}`,
      before: { dueOn: period.due_on },
      after: { dueOn: input.dueOn },
    });
  });
  return readPeriod(db, input.university, span.key);
}

/** An admin sets how often a university reports and how many days after a period's end it is due. */
export async function setCalendar(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  university: string,
  input: { frequency: ReportingFrequency; dueDays: number },
): Promise<{ university: string; frequency: ReportingFrequency; dueDays: number }> {
  const before = await calendarOf(db, university);
  await db.transaction().execute(async (trx) => {
    await upsertCalendar(trx, university, input.frequency, input.dueDays, caller.id);
    await writeAudit(trx, actor, {
      action: 'calendar_change',
      subject: `calendar:${university}`,
      before: { frequency: before.frequency, dueDays: before.dueDays },
      after: input,
    });
  });
  return { university, ...input };
}

/**
 * The status board: per university (a steward's own only) its calendar and the periods of a year
 * with their status, due date and last step. Periods that ended before the university joined are left out.
 */
export async function board(
  db: Kysely<Database>,
  caller: Caller,
  query: { year?: number | undefined; university?: string | undefined },
): Promise<BoardAnswer> {
  const day = today();
  const year = query.year ?? Number(day.slice(0, 4));
  const only = caller.role === 'steward' ? (caller.university ?? '') : query.university;
  if (caller.role === 'steward' && query.university !== undefined && query.university !== only)
    throw new Forbidden(said('steward_own_periods', { university: String(caller.university) }));
  const calendars = await readCalendars(db, only);
  if (query.university !== undefined && calendars.length === 0)
    throw new NotFound(said('no_university', { code: query.university }));
  const span = { from: `${year}-01-01`, to: `${year}-12-31` };
  const codes = calendars.map((c) => c.university);
  const [stored, counts] = await Promise.all([
    readPeriodStates(db, { universities: codes, ...span }),
    recordsPerMonth(db, codes, span),
  ]);
  const lastBy = new Map<number, string | null>();
  if (stored.length > 0) {
    const rows = await db
      .selectFrom('reporting_step')
      .select(['period_id', 'user_name', 'user_email'])
      .where(
        'id',
        'in',
        db
          .selectFrom('reporting_step')
          .select((eb) => eb.fn.max('id').as('id'))
          .where(
            'period_id',
            'in',
            stored.map((s) => s.id),
          )
          .groupBy('period_id'),
      )
      .execute();
    for (const row of rows) lastBy.set(Number(row.period_id), row.user_name ?? row.user_email);
  }
  return {
    year,
    today: day,
    universities: calendars.map((calendar) => ({
      university: calendar.university,
      frequency: calendar.frequency,
      dueDays: calendar.dueDays,
      periods: periodsOfYear(calendar.frequency, year)
        .filter((p) => p.to >= calendar.memberSince)
        .map((p) => {
          const row = stored.find((s) => s.university_code === calendar.university && s.period === p.key);
          const records = monthsOf(p).reduce((sum, month) => sum + (counts.get(`${calendar.university}|${month}`) ?? 0), 0);
          return stateOf(calendar, p, row, records, day, row ? (lastBy.get(Number(row.id)) ?? null) : null);
        }),
    })),
  };
}

/** A period is still the steward's to submit: never submitted, or given back (returned, reopened). */
const TO_SUBMIT: ReadonlySet<ReportingStep | null> = new Set([null, 'return', 'reopen']);

/**
 * What waits for the caller: for a steward, its university's ended periods of this year and last
 * year still to submit, and the next one due; for an admin or leadership account, the submissions
 * waiting for review. One statement either way.
 */
export async function todo(db: Kysely<Database>, caller: Caller): Promise<TodoAnswer> {
  const day = today();
  if (caller.role !== 'steward') return { today: day, toSubmit: null, toReview: await countAwaitingReview(db), next: null };
  const since = `${Number(day.slice(0, 4)) - 1}-01-01`;
  const { calendar, periods } = await readOwnPeriods(db, caller.university ?? '', since);
  if (!calendar) return { today: day, toSubmit: 0, toReview: null, next: null };
  const stored = new Map(periods.map((p) => [p.period, p]));
  const year = Number(day.slice(0, 4));
  const spans = [...periodsOfYear(calendar.frequency, year - 1), ...periodsOfYear(calendar.frequency, year)].filter(
    (p) => p.to >= calendar.memberSince,
  );
  const open = spans.filter((p) => TO_SUBMIT.has(stored.get(p.key)?.lastAction ?? null));
  const due = (p: ReportingPeriodSpan) => stored.get(p.key)?.dueOn ?? defaultDueOn(p, calendar.dueDays);
  const ended = open.filter((p) => p.to < day);
  // The oldest period still to submit; with none, the one running (or the next, if none runs).
  const next = ended[0] ?? open.find((p) => p.to >= day);
  return {
    today: day,
    toSubmit: ended.length,
    toReview: null,
    next: next
      ? {
          university: calendar.university,
          period: next.key,
          from: next.from,
          to: next.to,
          dueOn: due(next),
          late: isLate(periodStatus(stored.get(next.key)?.lastAction ?? null, 0), due(next), day),
        }
      : null,
  };
}

/** The approved periods overlapping a span that the caller may see (a steward its own university's). */
export async function closedPeriods(
  db: Kysely<Database>,
  caller: Caller,
  span: { from: string; to: string },
): Promise<{ periods: ClosedPeriod[] }> {
  const rows = await readClosedPeriods(db, span, caller.role === 'steward' ? (caller.university ?? '') : undefined);
  return {
    periods: rows.map((r) => ({
      university: r.university_code,
      period: r.period,
      from: r.period_from,
      to: r.period_to,
      approvedAt: new Date(r.at).toISOString(),
      approvedBy: r.by,
    })),
  };
}
