import type { Kysely } from 'kysely';
import type { FigureStatus } from '../../contract/figure-status.js';
import { recordsPerMonth } from '../cycle/cycle.queries.js';
import { periodStatus } from '../cycle/cycle.service.js';
import type { Database } from '../db/schema.js';
import type { DrawnPeriod, FigureStatuses, Reading, Span } from '../kpi/figure-status.js';
import type { ReportStatusTable } from '../../contract/enums.js';
import type { NotFinalPeriod, ReportStatus } from './report.types.js';

/** The months (`YYYY-MM`) from one day's to another's. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); ; ) {
    const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    months.push(key);
    if (key >= to.slice(0, 7)) return months;
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

/**
 * The report's status: each table's, and every university-period that one of its figures draws on
 * (`drawnOn`: each reading and range of the measures it shows over each of its spans) that is not
 * final, once each, with its state in the cycle (a period without a step is in progress when its
 * university has records dated in it, else not started).
 */
export async function reportStatus(
  db: Kysely<Database>,
  statuses: FigureStatuses,
  members: readonly string[],
  drawnOn: ReadonlyArray<{ reading: Reading; range: Span }>,
  tables: Record<ReportStatusTable, FigureStatus>,
): Promise<ReportStatus> {
  const seen = new Map<string, DrawnPeriod>();
  for (const { reading, range } of drawnOn)
    for (const drawn of statuses.notFinal(members, range, reading)) seen.set(`${drawn.university}|${drawn.period}`, drawn);
  const drawn = [...seen.values()].sort((a, b) =>
    a.university === b.university ? a.from.localeCompare(b.from) : members.indexOf(a.university) - members.indexOf(b.university),
  );
  const unstepped = drawn.filter((d) => d.last === null);
  const counts =
    unstepped.length === 0
      ? new Map<string, number>()
      : await recordsPerMonth(db, [...new Set(unstepped.map((d) => d.university))], {
          from: unstepped.reduce((a, d) => (d.from < a ? d.from : a), unstepped[0]!.from),
          to: unstepped.reduce((a, d) => (d.to > a ? d.to : a), unstepped[0]!.to),
        });
  const notFinal: NotFinalPeriod[] = drawn.map((d) => {
    const records =
      d.last === null ? monthsBetween(d.from, d.to).reduce((n, m) => n + (counts.get(`${d.university}|${m}`) ?? 0), 0) : 0;
    return {
      university: d.university,
      period: d.period,
      from: d.from,
      to: d.to,
      state: periodStatus(d.last, records),
      ended: d.ended,
      status: d.status,
    };
  });
  return { tables, notFinal };
}
