import type { Kysely } from 'kysely';
import type { Database, FactKind } from '../db/schema.js';
import { FACT_KINDS } from '../db/schema.js';
import type { Caller } from '../http/route.js';
import { MEASURE_IDS, type MeasureId } from '../../contract/measure-ids.js';
import { PAYMENT_CONTRACT_COLUMNS } from '../kpi/rollups.js';
import { isHeld, MEASURE_LIST, type MeasureDef, REPORT_MEASURES } from '../kpi/registry.js';
import type { Breakdown, ReportDocument } from './report.types.js';

/**
 * What changed after a report was submitted: the audit log's entries since then that touch the
 * report's periods (records created, changed or deleted; imports; targets of its year), each with
 * the figures of the summary table it moves, and the figures that differ between the document
 * as submitted and the report as it would be made today.
 *
 * Who sees what: every role may read the report's figures, but not every role may read records or
 * accounts. So each revision is sent in one of two shapes. `figures`: when, what kind of change,
 * the universities whose figures it moves and by how much (a target's old and new value, an
 * import's counts), and nothing of the records themselves or of who made the change. `audit`: the
 * same plus the audit log's entry (its subject, the record before and after, the editor's e-mail),
 * for admin and leadership, who read every record, and for a steward on its own university's
 * records only.
 */

export {
  DIFFERENCE_TABLES,
  type FigureDelta,
  FigureDeltaSchema,
  type FigureDifference,
  FigureDifferenceSchema,
  type Revision,
  type RevisionAction,
  type RevisionAudit,
  RevisionAuditSchema,
  type RevisionFigures,
  RevisionFiguresSchema,
  RevisionSchema,
  SPANS,
  type SpanName,
} from '../../contract/schemas/report.js';
import type { FigureDelta, FigureDifference, Revision, RevisionAction, RevisionAudit } from '../../contract/schemas/report.js';
import { REVISION_ACTIONS, SPANS } from '../../contract/schemas/report.js';

/** Who is asking: what they may see depends on their role and, for a steward, its university. */
export type Viewer = Pick<Caller, 'role' | 'university'>;

/** The shape of a revision a viewer may see (see the note at the top). */
export function revisionFor(revision: RevisionAudit, viewer: Viewer): Revision {
  if (viewer.role === 'admin' || viewer.role === 'leadership') return revision;
  const ownRecord =
    viewer.role === 'steward' &&
    revision.kind !== null &&
    revision.itemized &&
    revision.action !== 'import' &&
    revision.universities.length > 0 &&
    revision.universities.every((code) => code === viewer.university);
  if (ownRecord) return revision;
  // Built field by field from what every role may see: nothing else of the entry can slip through.
  return {
    visibility: 'figures',
    at: revision.at,
    action: revision.action,
    kind: revision.kind,
    universities: revision.universities,
    itemized: revision.itemized,
    figures: revision.figures,
    target: revision.target,
    import: revision.import,
  };
}
type Values = Record<string, unknown>;

/** The report's measures that count each kind of record. */
const MEASURES_OF: Record<FactKind, MeasureDef[]> = Object.fromEntries(
  // A ratio moves with its two sums, which are listed; its own change is no sum of changes.
  FACT_KINDS.map((kind) => [
    kind,
    MEASURE_LIST.filter((m) => m.kind === kind && REPORT_MEASURES.includes(m.id) && m.aggregate.fn !== 'ratio'),
  ]),
) as Record<FactKind, MeasureDef[]>;

/** Whether a record counts in a measure over a span, as the registry defines the measure. */
function counts(def: MeasureDef, record: Values, span: { from: string; to: string }): boolean {
  if (def.temporality === 'stock') return isHeld(def.held, record, span.to);
  const date = record[def.dateColumn] as string | null | undefined;
  return typeof date === 'string' && date >= span.from && date <= span.to;
}

const partOf = (def: MeasureDef, record: Values): number =>
  def.aggregate.fn === 'sum' ? Number(record[def.aggregate.column] ?? 0) : 1;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The figures of the summary table one record change moves, over each of the report's spans. */
export function figureDeltas(doc: ReportDocument, kind: FactKind, before: Values | null, after: Values | null): FigureDelta[] {
  const deltas = new Map<string, FigureDelta>();
  const add = (record: Values, sign: 1 | -1) => {
    for (const def of MEASURES_OF[kind]) {
      // A snapshot counts until its university's next one: what its change moves depends on the
      // other snapshots, so it has no delta of its own (the differences table has the figures).
      // It still touches a span it may bear on: one it is dated before the end of.
      if (def.temporality === 'stock' && def.held.latest) continue;
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

const asNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** A target change's subject, `target:<measure>/<year>/<university or alliance>`, and its values. */
function targetChange(subject: string, before: Values | null, after: Values | null): RevisionAudit['target'] {
  const [measure, year, scope] = subject.slice('target:'.length).split('/');
  if (!MEASURE_IDS.includes(measure as MeasureId)) return null;
  return {
    measure: measure as MeasureId,
    year: Number(year),
    university: scope === undefined || scope === 'alliance' ? null : scope,
    before: asNumber(before?.value),
    after: asNumber(after?.value),
  };
}

/**
 * Whether a change of a contract moves the report's figures of cash received through its payments:
 * its grouping columns changed, and a payment on it (under its ref before or after) was received in
 * one of the report's spans. Its own dates may be years away from them.
 */
async function movesPayments(
  db: Kysely<Database>,
  doc: ReportDocument,
  kind: FactKind,
  before: Values | null,
  after: Values | null,
): Promise<boolean> {
  if (kind !== 'tech_transfer' || !before || !after) return false;
  if (PAYMENT_CONTRACT_COLUMNS.every((c) => String(before[c] ?? '') === String(after[c] ?? ''))) return false;
  const contracts = [before, after].map((r) => [String(r.university_code), String(r.ref)] as const);
  const spans = SPANS.map((span) => doc[span]);
  const found = await db
    .selectFrom('payment')
    .select('id')
    .where((eb) =>
      eb.and([
        eb.or(contracts.map(([u, ref]) => eb.and([eb('university_code', '=', u), eb('contract_ref', '=', ref)]))),
        eb.or(spans.map((span) => eb.and([eb('received_on', '>=', span.from), eb('received_on', '<=', span.to)]))),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

/** The audit log's entries since `since` that bear on the report, oldest first, each with its whole entry. */
export async function revisionsSince(db: Kysely<Database>, doc: ReportDocument, since: Date): Promise<RevisionAudit[]> {
  const entries = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('at', '>=', since)
    .where('action', 'in', REVISION_ACTIONS)
    .orderBy('id')
    .execute();
  const revisions: RevisionAudit[] = [];
  for (const entry of entries) {
    const before = asValues(entry.before);
    const after = asValues(entry.after);
    const base = {
      visibility: 'audit' as const,
      auditId: Number(entry.id),
      at: new Date(entry.at).toISOString(),
      user: entry.user_email,
      // The query takes these actions only.
      action: entry.action as RevisionAction,
      subject: entry.subject,
      before: entry.before,
      after: entry.after,
      detail: entry.detail,
      target: null,
      import: null,
    };
    if (entry.action === 'target_change') {
      const target = targetChange(entry.subject, before, after);
      if (target?.year === doc.targetYear)
        revisions.push({ ...base, kind: null, universities: [], itemized: true, figures: [], target });
      continue;
    }
    // A record's subject is `<kind>:<university>/<ref>`, an import's `import:<kind>`.
    const [prefix, rest] = entry.subject.split(':');
    const kind = (entry.action === 'import' ? rest : prefix) as FactKind;
    if (!FACT_KINDS.includes(kind)) continue;
    if (entry.action === 'import') {
      const detail = asValues(entry.detail);
      const counts = {
        rows: Number(detail?.rows ?? 0),
        inserted: Number(detail?.inserted ?? 0),
        updated: Number(detail?.updated ?? 0),
      };
      if (counts.inserted + counts.updated > 0)
        revisions.push({ ...base, kind, universities: [], itemized: false, figures: [], import: counts });
      continue;
    }
    if (!touches(doc, kind, before) && !touches(doc, kind, after) && !(await movesPayments(db, doc, kind, before, after)))
      continue;
    const universities = [...new Set([before, after].flatMap((r) => (r ? [String(r.university_code)] : [])))];
    revisions.push({ ...base, kind, universities, itemized: true, figures: figureDeltas(doc, kind, before, after) });
  }
  return revisions;
}

type FigureEntry = Omit<FigureDifference, 'submitted' | 'now'> & { value: number | null };

/** Every figure a report prints (its tables' numbers and the records behind them), each once, keyed by where it is. */
export function reportFigures(doc: ReportDocument): Map<string, FigureEntry> {
  const out = new Map<string, FigureEntry>();
  const add = (entry: Omit<FigureEntry, 'value'>, value: number | null | undefined) => {
    const key = [entry.table, entry.scope ?? '', entry.partner ?? '', entry.measure, entry.field].join('|');
    out.set(key, { ...entry, value: value ?? null });
  };
  const figure = (
    table: FigureDifference['table'],
    scope: string | null,
    measure: MeasureId,
    f: { value: number | null; records: number } | undefined,
    partner?: string | null,
  ) => {
    const where = partner === undefined ? {} : { partner };
    add({ table, scope, measure, field: 'value', ...where }, f?.value);
    add({ table, scope, measure, field: 'records', ...where }, f?.records);
  };
  for (const row of doc.summary.rows) for (const m of doc.summary.measures) figure('summary', row.code, m, row.cells[m]);
  for (const c of doc.comparisons) {
    const at = (field: string, value: number | null) =>
      add({ table: 'comparisons', scope: null, measure: c.measure, field }, value);
    at('value', c.value);
    at('records', c.records);
    at('previous', c.previous);
    at('change', c.change);
    at('yearAgo', c.yearAgo);
    at('yearOnYear', c.yearOnYear);
    at('panelValue', c.panel.value);
    at('panelYearAgo', c.panel.yearAgo);
    at('panelChange', c.panel.change);
    at('target', c.target);
    at('yearToDate', c.yearToDate);
    at('attainment', c.attainment);
  }
  for (const row of doc.attainmentByUniversity.rows) {
    for (const m of doc.attainmentByUniversity.measures) {
      const cell = row.cells[m];
      for (const field of ['target', 'yearToDate', 'attainment'] as const)
        add({ table: 'attainment', scope: row.code, measure: m, field }, cell?.[field]);
    }
  }
  const breakdowns: Array<[FigureDifference['table'], Breakdown]> = [
    ['byMode', doc.techTransfer.byMode],
    ['byValueBand', doc.techTransfer.byValueBand],
    ['byField', doc.incubation.byField],
    ['byLevel', doc.talent.byLevel],
  ];
  for (const [table, breakdown] of breakdowns) {
    for (const row of breakdown.rows) {
      // A subtotal's code is its group's; the same code never names an item too.
      const scope = row.level === 'subtotal' ? `subtotal:${row.code}` : row.code;
      for (const m of breakdown.measures) figure(table, scope, m, row.figures[m]);
    }
  }
  const codes = doc.credits.universities;
  for (const matrix of doc.credits.matrices) {
    for (const [i, cells] of matrix.cells.entries()) {
      for (const [j, cell] of cells.entries()) figure('matrix', codes[i] ?? null, matrix.measure, cell, codes[j] ?? null);
      figure('matrix', codes[i] ?? null, matrix.measure, matrix.rowTotals[i], null);
    }
    for (const [j, cell] of matrix.columnTotals.entries()) figure('matrix', null, matrix.measure, cell, codes[j] ?? null);
    figure('matrix', null, matrix.measure, matrix.total, null);
  }
  // The national block (documents of format 2): per member (null: the alliance), per line's mode.
  if (doc.national) {
    const { lines, columns, rows } = doc.national;
    for (const row of rows) {
      const line = lines.find((l) => l.id === row.line);
      if (!line) continue;
      for (const [i, cell] of row.cells.entries()) figure('national', columns[i]?.code ?? null, line.measure, cell, line.mode);
    }
  }
  return out;
}

/** Every figure the report prints that differs between two documents of the same period. */
export function differences(submitted: ReportDocument, now: ReportDocument): FigureDifference[] {
  const before = reportFigures(submitted);
  const after = reportFigures(now);
  const out: FigureDifference[] = [];
  for (const [key, entry] of before) {
    const today = after.get(key)?.value ?? null;
    if (entry.value === today) continue;
    const { value, ...where } = entry;
    out.push({ ...where, submitted: value, now: today });
  }
  // A figure that exists only today (a new row of a breakdown): submitted as nothing. A measure the
  // submitted report did not print at all (added to the report since) is no revision of it.
  const printed = new Set([...before.values()].map((entry) => entry.measure));
  for (const [key, entry] of after) {
    if (before.has(key) || entry.value === null || entry.value === 0 || !printed.has(entry.measure)) continue;
    const { value, ...where } = entry;
    out.push({ ...where, submitted: null, now: value });
  }
  return out;
}
