import { type Kysely, sql } from 'kysely';
import { MAIN_DATE } from '../../contract/record-columns.js';
import { type Database, FACT_KINDS } from '../../server/db/schema.js';

/**
 * An independent account of the status of figures, from the tables' raw rows and the steps the
 * test took: it does not call the service. A figure over universities and a range draws on each
 * university's calendar periods that hold a month of the range (from its joining on; a stock the
 * period holding the range's last day, and the periods holding the records it holds on that day:
 * each university's latest capacity snapshot by then (and the periods after it, where none was
 * taken), the projects entered by then and neither
 * graduated nor closed by then; a flow counted on another day than its records' own, such as
 * graduations, also the periods of the records it counts). A period is F when its last step is an approval, R when
 * it was approved before and its records now differ from what they were at that approval (the test
 * keeps each approval's rows), else P. The figure is R if any is R, else P if any is P, else F.
 */

type Status = 'F' | 'P' | 'R';
type Frequency = 'month' | 'quarter' | 'year';

export interface OraclePeriod {
  university: string;
  period: string;
  from: string;
  to: string;
  status: Status;
  state: string;
}

export interface CycleSnapshot {
  memberSince: Map<string, string>;
  frequency: Map<string, Frequency>;
  /** Actions by `university|period`, in order. */
  steps: Map<string, string[]>;
  /** Rows of each period now, by `university|period` (only those approved once are read). */
  rowsNow: Map<string, string>;
  /** Records dated in each period by `university|YYYY-MM`. */
  monthCounts: Map<string, number>;
  /** The raw dates of the stocks' records. */
  snapshots: Array<{ university: string; day: string }>;
  projects: Array<{ university: string; entered: string; graduated: string | null; closed: string | null }>;
  /** For each dated flow, its records' own day and the day it counts them on. */
  dated: Map<Dated, Array<{ university: string; own: string; counted: string }>>;
}

export type Stock = 'capacity' | 'incubation';
/** The flows counted on another day than their records' own: the table, the record's own date, the day counted. */
const DATED = {
  'tech_transfer.rewarded_on': ['tech_transfer', 'signed_on', 'rewarded_on'],
  'incubation.graduated_on': ['incubation', 'entered_on', 'graduated_on'],
  'incubation.company_registered_on': ['incubation', 'entered_on', 'company_registered_on'],
  'talent.completed_on': ['talent', 'started_on', 'completed_on'],
} as const;
export type Dated = keyof typeof DATED;
const isDated = (what: Stock | Dated | undefined): what is Dated => what !== undefined && what in DATED;

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The period key and span of a month (`YYYY-MM`) in a calendar. */
export function periodOfMonth(frequency: Frequency, month: string): { key: string; from: string; to: string } {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  if (frequency === 'month') return { key: month, from: `${month}-01`, to: `${month}-${pad(daysIn(y, m))}` };
  if (frequency === 'year') return { key: String(y), from: `${y}-01-01`, to: `${y}-12-31` };
  const q = Math.ceil(m / 3);
  return { key: `${y}-Q${q}`, from: `${y}-${pad(q * 3 - 2)}-01`, to: `${y}-${pad(q * 3)}-${pad(daysIn(y, q * 3))}` };
}

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  while (`${y}-${pad(m)}` <= to.slice(0, 7)) {
    out.push(`${y}-${pad(m)}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The raw rows of the records of a university dated in a span, every kind, as one text. */
export async function periodRows(db: Kysely<Database>, university: string, from: string, to: string): Promise<string> {
  const parts: unknown[] = [];
  for (const kind of FACT_KINDS) {
    const { rows } = await sql`select * from ${sql.table(kind)} where university_code = ${university}
      and ${sql.ref(MAIN_DATE[kind])} between ${from} and ${to} order by id`.execute(db);
    parts.push(rows.map((r) => ({ ...(r as object), updated_at: undefined, created_at: undefined })));
  }
  return JSON.stringify(parts);
}

/** Reads the cycle's tables and the records' raw rows. */
export async function readCycle(db: Kysely<Database>): Promise<CycleSnapshot> {
  const universities = await db.selectFrom('university').select(['code', 'member_since']).execute();
  const calendars = await db.selectFrom('reporting_calendar').select(['university_code', 'frequency']).execute();
  const stepRows = await db
    .selectFrom('reporting_step as s')
    .innerJoin('reporting_period as p', 'p.id', 's.period_id')
    .select(['p.university_code', 'p.period', 'p.period_from', 'p.period_to', 's.action'])
    .orderBy('s.id')
    .execute();
  const steps = new Map<string, string[]>();
  const spans = new Map<string, { university: string; from: string; to: string }>();
  for (const s of stepRows) {
    const key = `${s.university_code}|${s.period}`;
    steps.set(key, [...(steps.get(key) ?? []), s.action]);
    spans.set(key, { university: s.university_code, from: String(s.period_from), to: String(s.period_to) });
  }
  const rowsNow = new Map<string, string>();
  for (const [key, actions] of steps)
    if (actions.includes('approve')) {
      const span = spans.get(key)!;
      rowsNow.set(key, await periodRows(db, span.university, span.from, span.to));
    }
  const monthCounts = new Map<string, number>();
  for (const kind of FACT_KINDS) {
    const { rows } = await sql<{ u: string; m: string; n: number }>`select university_code as u,
      to_char(${sql.ref(MAIN_DATE[kind])}, 'YYYY-MM') as m, count(*) as n from ${sql.table(kind)} group by 1, 2`.execute(db);
    for (const r of rows) monthCounts.set(`${r.u}|${r.m}`, (monthCounts.get(`${r.u}|${r.m}`) ?? 0) + Number(r.n));
  }
  const day = (value: unknown) => (value === null ? null : String(value).slice(0, 10));
  const { rows: snapshots } = await sql<{ u: string; d: string }>`select university_code as u,
    to_char(snapshot_on, 'YYYY-MM-DD') as d from capacity`.execute(db);
  const { rows: projects } = await sql<{ u: string; e: string; g: string | null; c: string | null }>`select university_code as u,
    to_char(entered_on, 'YYYY-MM-DD') as e, to_char(graduated_on, 'YYYY-MM-DD') as g, to_char(closed_on, 'YYYY-MM-DD') as c
    from incubation`.execute(db);
  const dated = new Map<Dated, Array<{ university: string; own: string; counted: string }>>();
  for (const [flow, [table, own, counted]] of Object.entries(DATED) as Array<[Dated, (typeof DATED)[Dated]]>) {
    const { rows } = await sql<{ u: string; o: string; c: string }>`select university_code as u,
      to_char(${sql.ref(own)}, 'YYYY-MM-DD') as o, to_char(${sql.ref(counted)}, 'YYYY-MM-DD') as c
      from ${sql.table(table)} where ${sql.ref(counted)} is not null`.execute(db);
    dated.set(
      flow,
      rows.map((r) => ({ university: r.u, own: r.o, counted: r.c })),
    );
  }
  return {
    dated,
    snapshots: snapshots.map((r) => ({ university: r.u, day: r.d })),
    projects: projects.map((r) => ({ university: r.u, entered: r.e, graduated: day(r.g), closed: day(r.c) })),
    memberSince: new Map(universities.map((u) => [u.code, String(u.member_since)])),
    frequency: new Map(calendars.map((c) => [c.university_code, c.frequency as Frequency])),
    steps,
    rowsNow,
    monthCounts,
  };
}

export class StatusOracle {
  /** The rows of each period as they were when it was last approved, kept by the test. */
  readonly approvedRows = new Map<string, string>();

  constructor(private readonly db: Kysely<Database>) {}

  /** After an approval: keeps the period's rows as approved. */
  async approved(university: string, period: string, from: string, to: string): Promise<void> {
    this.approvedRows.set(`${university}|${period}`, await periodRows(this.db, university, from, to));
  }

  /** The periods a figure draws on, each with its status and its state in the cycle. */
  periods(
    cycle: CycleSnapshot,
    universities: readonly string[],
    from: string,
    to: string,
    figure?: Stock | Dated,
  ): OraclePeriod[] {
    const stock = isDated(figure) ? undefined : figure;
    const out: OraclePeriod[] = [];
    for (const u of universities) {
      const since = cycle.memberSince.get(u)!;
      const frequency = cycle.frequency.get(u) ?? 'quarter';
      const seen = new Set<string>();
      const held =
        stock === 'capacity'
          ? cycle.snapshots
              .filter((s) => s.university === u && s.day <= to)
              .map((s) => s.day)
              .sort()
              .slice(-1)
          : stock === 'incubation'
            ? cycle.projects
                .filter(
                  (p) =>
                    p.university === u && p.entered <= to && !(p.graduated && p.graduated <= to) && !(p.closed && p.closed <= to),
                )
                .map((p) => p.entered)
            : [];
      const counted = isDated(figure)
        ? cycle.dated
            .get(figure)!
            .filter((r) => r.university === u && r.counted >= from && r.counted <= to)
            .map((r) => r.own.slice(0, 7))
        : [];
      // A snapshot carried forward: its month and every one after it up to the as-of day's.
      const heldMonths = stock === 'capacity' ? held.flatMap((d) => months(d, to)) : held.map((d) => d.slice(0, 7));
      const drawnMonths = stock
        ? [...new Set([...heldMonths, to.slice(0, 7)])].sort()
        : [...new Set([...months(from, to), ...counted])].sort();
      for (const month of drawnMonths) {
        const p = periodOfMonth(frequency, month);
        if (seen.has(p.key) || p.to < since || (stock && to < since)) continue;
        seen.add(p.key);
        const key = `${u}|${p.key}`;
        const actions = cycle.steps.get(key) ?? [];
        const last = actions.at(-1);
        const changed = actions.includes('approve') && cycle.rowsNow.get(key) !== this.approvedRows.get(key);
        const status: Status = last === 'approve' ? 'F' : changed ? 'R' : 'P';
        const records = months(p.from, p.to).reduce((n, m) => n + (cycle.monthCounts.get(`${u}|${m}`) ?? 0), 0);
        const state =
          last === undefined
            ? records > 0
              ? 'in_progress'
              : 'not_started'
            : ({ submit: 'submitted', approve: 'approved', return: 'returned', reopen: 'reopened' } as Record<string, string>)[
                last
              ]!;
        out.push({ university: u, period: p.key, from: p.from, to: p.to, status, state });
      }
    }
    return out;
  }

  status(cycle: CycleSnapshot, universities: readonly string[], from: string, to: string, figure?: Stock | Dated): Status {
    const statuses = this.periods(cycle, universities, from, to, figure).map((p) => p.status);
    return statuses.includes('R') ? 'R' : statuses.includes('P') ? 'P' : 'F';
  }
}
