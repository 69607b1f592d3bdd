import type { Kysely } from 'kysely';
import type { AuditAction, Database, FactKind } from '../db/schema.js';
import { FACT_KINDS } from '../db/schema.js';
import type { MeasureId } from '../kpi/measure-ids.js';
import { MEASURE_LIST, type MeasureDef } from '../kpi/registry.js';
import type { ReportDocument } from './report.types.js';

/**
 * What changed after a report was submitted: the audit log's entries since then that touch the
 * report's periods (records created, changed or deleted; imports; targets of its year), each with
 * the figures of the summary table it moves, and the figures that differ between the document
 * as submitted and the report as it would be made today.
 */

/** The spans a report's figures cover: the period, the periods it is compared with, the year to date. */
export type SpanName = 'period' | 'previousPeriod' | 'yearAgoPeriod' | 'yearToDate';
const SPANS: readonly SpanName[] = ['period', 'previousPeriod', 'yearAgoPeriod', 'yearToDate'];

export interface FigureDelta {
  span: SpanName;
  measure: MeasureId;
  university: string;
  /** How much the figure moves: the record's part after the change minus its part before. */
  delta: number;
  /** How the number of records behind the figure moves (−1, 0, +1). */
  records: number;
}

/** The audit log's actions that can move a report's figures. */
const REVISION_ACTIONS = ['create', 'update', 'delete', 'import', 'target_change'] as const satisfies readonly AuditAction[];
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

export interface Revision {
  auditId: number;
  at: string;
  user: string | null;
  action: RevisionAction;
  subject: string;
  kind: FactKind | null;
  before: unknown;
  after: unknown;
  /** False for an import, whose rows the audit log does not list one by one. */
  itemized: boolean;
  detail: unknown;
  figures: FigureDelta[];
}

export interface FigureDifference {
  table: 'summary' | 'comparisons' | 'attainment';
  /** The university's or province's code, or null for the alliance. */
  scope: string | null;
  measure: MeasureId;
  field: string;
  submitted: number | null;
  now: number | null;
}

type Values = Record<string, unknown>;

const MEASURES_OF: Record<FactKind, MeasureDef[]> = Object.fromEntries(
  FACT_KINDS.map((kind) => [kind, MEASURE_LIST.filter((m) => m.kind === kind)]),
) as Record<FactKind, MeasureDef[]>;

/** Whether a record counts in a measure over a span, as the registry defines the measure. */
function counts(def: MeasureDef, record: Values, span: { from: string; to: string }): boolean {
  if (def.temporality === 'stock') {
    // Projects held on the span's last day: entered by then, not graduated by then, not closed.
    const entered = record.entered_on as string | null;
    const graduated = record.graduated_on as string | null;
    return entered !== null && entered <= span.to && (graduated === null || graduated > span.to) && record.stage !== 'closed';
  }
  const date = record[def.dateColumn] as string | null | undefined;
  return typeof date === 'string' && date >= span.from && date <= span.to;
}

const partOf = (def: MeasureDef, record: Values): number =>
  def.aggregate.fn === 'count' ? 1 : Number(record[def.aggregate.column] ?? 0);

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The figures of the summary table one record change moves, over each of the report's spans. */
export function figureDeltas(doc: ReportDocument, kind: FactKind, before: Values | null, after: Values | null): FigureDelta[] {
  const deltas = new Map<string, FigureDelta>();
  const add = (record: Values, sign: 1 | -1) => {
    for (const def of MEASURES_OF[kind]) {
      for (const span of SPANS) {
        if (!counts(def, record, doc[span])) continue;
        const university = String(record.university_code);
        const key = `${span}|${def.id}|${university}`;
        const entry = deltas.get(key) ?? { span, measure: def.id, university, delta: 0, records: 0 };
        entry.delta = round2(entry.delta + sign * partOf(def, record));
        entry.records += sign;
        deltas.set(key, entry);
      }
    }
  };
  if (before) add(before, -1);
  if (after) add(after, 1);
  return [...deltas.values()].filter((d) => d.delta !== 0 || d.records !== 0);
}

/** Whether a record, before or after, falls in any of the report's spans (for some measure of its kind). */
function touches(doc: ReportDocument, kind: FactKind, record: Values | null): boolean {
  if (!record) return false;
  return MEASURES_OF[kind].some((def) => SPANS.some((span) => counts(def, record, doc[span])));
}

const asValues = (value: unknown): Values | null => (value && typeof value === 'object' ? (value as Values) : null);

/** The audit log's entries since `since` that bear on the report, oldest first. */
export async function revisionsSince(db: Kysely<Database>, doc: ReportDocument, since: Date): Promise<Revision[]> {
  const entries = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('at', '>=', since)
    .where('action', 'in', REVISION_ACTIONS)
    .orderBy('id')
    .execute();
  const revisions: Revision[] = [];
  for (const entry of entries) {
    const base = {
      auditId: Number(entry.id),
      at: new Date(entry.at).toISOString(),
      user: entry.user_email,
      // The query takes these actions only.
      action: entry.action as RevisionAction,
      subject: entry.subject,
      before: entry.before,
      after: entry.after,
      detail: entry.detail,
    };
    if (entry.action === 'target_change') {
      // target:<measure>/<year>/<university or alliance>
      const year = Number(entry.subject.split('/')[1]);
      if (year === doc.targetYear) revisions.push({ ...base, kind: null, itemized: true, figures: [] });
      continue;
    }
    const kind = entry.subject.split(':')[0] as FactKind;
    if (!FACT_KINDS.includes(kind)) continue;
    if (entry.action === 'import') {
      const detail = asValues(entry.detail);
      if (Number(detail?.inserted ?? 0) + Number(detail?.updated ?? 0) > 0)
        revisions.push({ ...base, kind, itemized: false, figures: [] });
      continue;
    }
    const before = asValues(entry.before);
    const after = asValues(entry.after);
    if (!touches(doc, kind, before) && !touches(doc, kind, after)) continue;
    revisions.push({ ...base, kind, itemized: true, figures: figureDeltas(doc, kind, before, after) });
  }
  return revisions;
}

/** Every figure of the summary, comparison and attainment tables that differs between two documents. */
export function differences(submitted: ReportDocument, now: ReportDocument): FigureDifference[] {
  const out: FigureDifference[] = [];
  const push = (d: FigureDifference) => {
    if (d.submitted !== d.now) out.push(d);
  };
  const rowsOf = <T>(rows: Array<{ code: string | null; cells: T }>) => new Map(rows.map((r) => [r.code ?? '', r.cells]));
  const nowSummary = rowsOf(now.summary.rows);
  for (const row of submitted.summary.rows) {
    const other = nowSummary.get(row.code ?? '');
    for (const measure of submitted.summary.measures) {
      push({
        table: 'summary',
        scope: row.code,
        measure,
        field: 'value',
        submitted: row.cells[measure]?.value ?? null,
        now: other?.[measure]?.value ?? null,
      });
    }
  }
  const nowComparisons = new Map(now.comparisons.map((c) => [c.measure, c]));
  for (const c of submitted.comparisons) {
    const other = nowComparisons.get(c.measure);
    for (const field of ['previous', 'yearAgo', 'target', 'yearToDate', 'attainment'] as const) {
      push({ table: 'comparisons', scope: null, measure: c.measure, field, submitted: c[field], now: other?.[field] ?? null });
    }
  }
  const nowAttainment = rowsOf(now.attainmentByUniversity.rows);
  for (const row of submitted.attainmentByUniversity.rows) {
    if (row.level === 'alliance') continue;
    const other = nowAttainment.get(row.code ?? '');
    for (const measure of submitted.attainmentByUniversity.measures) {
      push({
        table: 'attainment',
        scope: row.code,
        measure,
        field: 'target',
        submitted: row.cells[measure]?.target ?? null,
        now: other?.[measure]?.target ?? null,
      });
    }
  }
  return out;
}
