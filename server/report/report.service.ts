import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { BadRequest, detail, said } from '../lib/problems.js';
import { today } from '../lib/dates.js';
import type { AggregateRow, KpiFilters } from '../kpi/compile.js';
import { recordsColumn } from '../../contract/aggregate-columns.js';
import type { SummaryRequest } from '../kpi/kpi.schemas.js';
import { aggregate, figureRanges, type MeasureSummary, spanStatus, summary } from '../kpi/kpi.service.js';
import { figureStatuses } from '../kpi/figure-status.js';
import { statusOfAll } from '../../contract/figure-status.js';
import { reportStatus } from './report-status.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { DIMENSION_VALUES, MEASURES, REPORT_MEASURES, STANDARDS, TARGETED_MEASURES, VALUE_LABELS } from '../kpi/registry.js';
import { getMeta } from '../meta/meta.service.js';
import { loadReferences } from '../kpi/references.js';
import { NATIONAL_MEASURES, NATIONAL_MODE_MEASURES, nationalBlock } from './national-block.js';
import { comparedSpans, type ReportPeriod } from './report-period.js';
import { dataVersionStamp } from './report.queries.js';
import {
  type Attainment,
  type Breakdown,
  type BreakdownRow,
  type Comparison,
  type Figure,
  type Figures,
  type PairMatrix,
  type PeriodInfo,
  REPORT_FORMAT,
  type ReportDocument,
  type ScopeRow,
} from './report.types.js';

/**
 * Builds the commission report for a period. Every figure is an answer of the KPI services
 * (`summary` per university, province and the alliance; `aggregate` for the breakdowns), so it
 * equals what `/summary` and `/aggregate` answer for the same period; nothing here writes SQL.
 */

const TECH: MeasureId[] = ['tech_transfer.contracts', 'tech_transfer.contract_value', 'tech_transfer.received'];
const INCUBATION: MeasureId[] = [
  'incubation.entered',
  'incubation.graduated',
  'incubation.portfolio',
  'incubation.funding',
  'incubation.jobs',
];
const TALENT: MeasureId[] = ['talent.trainees', 'talent.graduates'];
const CREDITS: MeasureId[] = ['credits.credits', 'credits.students'];
/** Joint training other than of technology-transfer managers, which the report shows apart. */
const DEGREE_LEVELS = ['undergraduate', 'master', 'doctoral', 'other'];

const NO_CSV = { file: null, bom: true, lang: 'en', formatted: false } as const;

const info = (period: ReportPeriod): PeriodInfo => ({
  key: period.key,
  grain: period.grain,
  from: period.from,
  to: period.to,
  label: period.label,
});

/**
 * Refuses a period the report cannot be made of, as `buildReport` would, without making it: one
 * that has not begun, or that ended before the alliance had a member.
 */
export async function assertReportPeriod(
  db: Kysely<Database>,
  period: ReportPeriod,
  now = today(),
  path = 'query.period',
): Promise<void> {
  assertReportable(period, now, path);
  const joined = [...(await loadReferences(db)).memberSince.values()].sort();
  if (!joined.some((day) => day <= period.to)) {
    // Before the alliance had a member there is nothing to report, and no list to count records by.
    const first = joined[0] ?? '';
    throw new BadRequest(said('period_before_members', { period: period.key, first }), [
      detail({ path }, said('must_end_after_first_member', { first })),
    ]);
  }
}

/** Refuses a period that has not begun: there is nothing to report yet. */
export function assertReportable(period: ReportPeriod, now = today(), path = 'query.period'): void {
  if (period.from > now) {
    throw new BadRequest(said('period_not_begun', { period: period.key, today: now }), [
      detail({ path }, said('must_have_begun', { period: period.key, from: period.from })),
    ]);
  }
}

const figureOf = (row: AggregateRow | undefined, measure: MeasureId): Figure => {
  const value = row?.[measure];
  return {
    // A ratio without a denominator has no figure; a sum over no records is 0.
    value:
      MEASURES[measure].aggregate.fn === 'ratio'
        ? value === null || value === undefined
          ? null
          : Number(value)
        : Number(value ?? 0),
    records: Number(row?.[recordsColumn(measure)] ?? 0),
  };
};

/** One cell per measure, typed: the entries are pairs, so a cell that is not the table's type does not compile. */
const perMeasure = <T>(measures: readonly MeasureId[], cell: (m: MeasureId) => T): Partial<Record<MeasureId, T>> =>
  Object.fromEntries(measures.map((m) => [m, cell(m)] as const));

const figuresOf = (row: AggregateRow | undefined, measures: readonly MeasureId[]): Figures =>
  perMeasure(measures, (m) => figureOf(row, m));

export async function buildReport(
  db: Kysely<Database>,
  period: ReportPeriod,
  now = today(),
  path = 'query.period',
): Promise<ReportDocument> {
  await assertReportPeriod(db, period, now, path);
  const meta = await getMeta(db);
  const stamp = await dataVersionStamp(db);
  const measures = [...REPORT_MEASURES];
  // A period still running is reported to today and compared with the same part of the others.
  const spans = comparedSpans(period, now);
  // The period's members: the universities that had joined by its end. One that joins later is
  // not in it, nor are its records in the alliance's or a province's totals, so a report once
  // filed reads the same after a new member is added.
  const members = meta.universities.filter((u) => u.memberSince <= period.to);
  const span: KpiFilters = {
    from: spans.current.from,
    to: spans.current.to,
    ...(members.length < meta.universities.length ? { university: members.map((u) => u.code) } : {}),
  };
  const compare = {
    previous: { from: spans.previous.from, to: spans.previous.to },
    yearAgo: { from: spans.yearAgo.from, to: spans.yearAgo.to },
  };
  const summaryOf = (filters: KpiFilters) =>
    summary(db, { measures, filters: { ...span, ...filters }, output: NO_CSV } satisfies SummaryRequest, compare);
  const grouped = async (ms: MeasureId[], by: string[], filters: KpiFilters = {}) =>
    (
      await aggregate(db, {
        measures: ms,
        by: by as never,
        filters: { ...span, ...filters },
        withRecords: true,
        fill: false,
        output: NO_CSV,
      })
    ).rows;

  // The scopes of the tables by university: each member, each province with members, the alliance.
  const regionsWithMembers = meta.regions.filter((r) => members.some((u) => u.region === r.code));
  const scopes: Array<{ level: ScopeRow<unknown>['level']; code: string | null; region: string | null; filters: KpiFilters }> =
    [];
  for (const region of regionsWithMembers) {
    for (const u of members.filter((m) => m.region === region.code))
      scopes.push({ level: 'university', code: u.code, region: region.code, filters: { university: [u.code] } });
    scopes.push({ level: 'region', code: region.code, region: null, filters: { region: [region.code] } });
  }
  scopes.push({ level: 'alliance', code: null, region: null, filters: {} });
  // Every measure the report shows, over its period; those it compares over other spans too.
  const shown = [...new Set([...measures, ...TECH, ...INCUBATION, ...TALENT, ...CREDITS, ...NATIONAL_MEASURES])];
  const [summaries, statuses] = await Promise.all([
    Promise.all(scopes.map((scope) => summaryOf(scope.filters))),
    figureStatuses(db, shown, now),
  ]);
  // The members each scope's row covers: its own, its province's, all of them.
  const scopeMembers = scopes.map((scope) =>
    members
      .filter((u) => scope.level === 'alliance' || (scope.level === 'region' ? u.region === scope.code : u.code === scope.code))
      .map((u) => u.code),
  );
  const statusOver = (universities: readonly string[], ms: readonly MeasureId[], over: { from: string; to: string }) =>
    spanStatus(statuses, universities, ms, over);
  const alliance = summaries.at(-1)!;
  const byMeasure = (s: (typeof summaries)[number]) => new Map(s.measures.map((m) => [m.measure, m]));

  const summaryRows = scopes.map((scope, i) => {
    const found = byMeasure(summaries[i]!);
    const cells: Figures = perMeasure(measures, (m) => ({ value: found.get(m)!.value, records: found.get(m)!.records }));
    const status = statusOver(scopeMembers[i]!, measures, spans.current);
    return { level: scope.level, code: scope.code, region: scope.region, status, cells };
  });

  const targeted = measures.filter((m) => TARGETED_MEASURES.includes(m));
  const attainmentRows = scopes.map((scope, i) => {
    const found = byMeasure(summaries[i]!);
    const cells = perMeasure(targeted, (m): Attainment => {
      const s = found.get(m)!;
      return { target: s.target, yearToDate: s.yearToDate, attainment: s.progress };
    });
    const status = statusOver(scopeMembers[i]!, targeted, alliance.yearToDate);
    return { level: scope.level, code: scope.code, region: scope.region, status, cells };
  });

  const comparisons: Comparison[] = alliance.measures.map((s: MeasureSummary) => ({
    measure: s.measure,
    value: s.value,
    records: s.records,
    previous: s.previous,
    change: s.change,
    yearAgo: s.yearAgo,
    yearOnYear: s.yearOnYear,
    panel: s.panel,
    target: s.target,
    yearToDate: s.yearToDate,
    attainment: s.progress,
  }));

  // Technology transfer as the national annual report splits it.
  const [byMode, byGroup, byBand, techTotal] = await Promise.all([
    grouped(TECH, ['mode']),
    grouped(TECH, ['mode_group']),
    grouped(TECH, ['value_band']),
    grouped(TECH, []),
  ]);
  const rowWhere = (rows: AggregateRow[], key: string, code: string) => rows.find((r) => r[key] === code);
  const modeRows: BreakdownRow[] = [];
  for (const group of DIMENSION_VALUES.mode_group) {
    const modes = group === 'transformation' ? ['transfer', 'license', 'equity'] : ['development', 'consulting', 'service'];
    for (const mode of modes)
      modeRows.push({ level: 'item', code: mode, figures: figuresOf(rowWhere(byMode, 'mode', mode), TECH) });
    modeRows.push({ level: 'subtotal', code: group, figures: figuresOf(rowWhere(byGroup, 'mode_group', group), TECH) });
  }
  modeRows.push({ level: 'total', code: null, figures: figuresOf(techTotal[0], TECH) });
  const techTransfer = {
    byMode: { dimension: 'mode', measures: TECH, rows: modeRows } satisfies Breakdown,
    byValueBand: {
      dimension: 'value_band',
      measures: TECH,
      rows: [
        ...DIMENSION_VALUES.value_band.map(
          (band): BreakdownRow => ({ level: 'item', code: band, figures: figuresOf(rowWhere(byBand, 'value_band', band), TECH) }),
        ),
        { level: 'total', code: null, figures: figuresOf(techTotal[0], TECH) },
      ],
    } satisfies Breakdown,
  };

  // Incubation by technology field (the stock held on the period's last day).
  const [byField, incubationTotal] = await Promise.all([grouped(INCUBATION, ['field']), grouped(INCUBATION, [])]);
  const incubation = {
    byField: {
      dimension: 'field',
      measures: INCUBATION,
      rows: [
        ...meta.fields.map(
          (f): BreakdownRow => ({
            level: 'item',
            code: f.code,
            figures: figuresOf(rowWhere(byField, 'field', f.code), INCUBATION),
          }),
        ),
        { level: 'total', code: null, figures: figuresOf(incubationTotal[0], INCUBATION) },
      ],
    } satisfies Breakdown,
  };

  // Joint training by level; technology-transfer managers apart from the degree programmes.
  const [byLevel, degreeTotal, talentTotal] = await Promise.all([
    grouped(TALENT, ['level']),
    grouped(TALENT, [], { level: DEGREE_LEVELS }),
    grouped(TALENT, []),
  ]);
  const talent = {
    byLevel: {
      dimension: 'level',
      measures: TALENT,
      rows: [
        ...DEGREE_LEVELS.map(
          (level): BreakdownRow => ({
            level: 'item',
            code: level,
            figures: figuresOf(rowWhere(byLevel, 'level', level), TALENT),
          }),
        ),
        { level: 'subtotal', code: 'degree_and_other', figures: figuresOf(degreeTotal[0], TALENT) },
        { level: 'item', code: 'tech_manager', figures: figuresOf(rowWhere(byLevel, 'level', 'tech_manager'), TALENT) },
        { level: 'total', code: null, figures: figuresOf(talentTotal[0], TALENT) },
      ],
    } satisfies Breakdown,
  };

  // Credit recognition between each pair of members: home university × host university.
  const codes = members.map((u) => u.code);
  // Hosts are members too, so that every row and column total is the sum of its cells: credits
  // recognised at a university that joined later are in the summary's figures, not in this table.
  const hosts: KpiFilters = members.length < meta.universities.length ? { partner_university: codes } : {};
  const [pairs, byHost, byHome, creditTotal] = await Promise.all([
    grouped(CREDITS, ['university', 'partner_university'], hosts),
    grouped(CREDITS, ['partner_university'], hosts),
    grouped(CREDITS, ['university'], hosts),
    grouped(CREDITS, [], hosts),
  ]);
  const matrices: PairMatrix[] = CREDITS.map((measure) => ({
    measure,
    cells: codes.map((home) =>
      codes.map((host) =>
        figureOf(
          pairs.find((r) => r.university === home && r.partner_university === host),
          measure,
        ),
      ),
    ),
    rowTotals: codes.map((home) => figureOf(rowWhere(byHome, 'university', home), measure)),
    columnTotals: codes.map((host) => figureOf(rowWhere(byHost, 'partner_university', host), measure)),
    total: figureOf(creditTotal[0], measure),
  }));

  // The national report's table, per member and for the alliance.
  const [nationalByUniversityMode, nationalByUniversity, nationalByMode, nationalTotal] = await Promise.all([
    grouped([...NATIONAL_MODE_MEASURES], ['university', 'mode']),
    grouped([...NATIONAL_MEASURES], ['university']),
    grouped([...NATIONAL_MODE_MEASURES], ['mode']),
    grouped([...NATIONAL_MEASURES], []),
  ]);
  const national = nationalBlock(
    codes,
    {
      byUniversityMode: nationalByUniversityMode,
      byUniversity: nationalByUniversity,
      byMode: nationalByMode,
      total: nationalTotal,
    },
    figureOf,
  );

  const labels: Record<string, { en: string; zh: string }> = {
    ...Object.fromEntries(
      [...DIMENSION_VALUES.mode, ...DIMENSION_VALUES.mode_group, ...DIMENSION_VALUES.value_band, ...DIMENSION_VALUES.level].map(
        (code) => [code, VALUE_LABELS[code]!],
      ),
    ),
    degree_and_other: { en: 'Degree and other programmes', zh: '学历及其他培养' },
    ...Object.fromEntries(meta.fields.map((f) => [f.code, { en: f.nameEn, zh: f.nameZh }])),
  };

  const all = members.map((u) => u.code);
  const over = (ms: readonly MeasureId[]) => statusOver(all, ms, spans.current);
  // What the report's figures draw on: every measure it shows over its period; those it compares over
  // the period before, the year before and the year to date too.
  const drawnOn = [
    ...figureRanges(shown, spans.current, statuses.day),
    ...[spans.previous, spans.yearAgo, alliance.yearToDate].flatMap((s) => figureRanges(measures, s, statuses.day)),
  ];
  const status = await reportStatus(db, statuses, all, drawnOn, {
    summary: statusOfAll(summaryRows.map((r) => r.status)),
    comparisons: statusOfAll(
      [spans.current, spans.previous, spans.yearAgo, alliance.yearToDate].map((s) => statusOver(all, measures, s)),
    ),
    attainmentByUniversity: statusOfAll(attainmentRows.map((r) => r.status)),
    techTransfer: over(TECH),
    incubation: over(INCUBATION),
    talent: over(TALENT),
    credits: over(CREDITS),
    national: over([...NATIONAL_MEASURES]),
  });

  return {
    format: REPORT_FORMAT,
    national,
    status,
    period: info(period),
    previousPeriod: info(spans.previous),
    yearAgoPeriod: info(spans.yearAgo),
    yearToDate: alliance.yearToDate,
    targetYear: period.year,
    attainmentBasis: period.grain === 'year' ? 'value' : 'year_to_date',
    complete: period.to < now,
    data: {
      synthetic: meta.dataset.synthetic,
      asOf: stamp.at,
      version: stamp.version,
      firstDate: meta.dateRange.from,
      lastDate: meta.dateRange.to,
    },
    universities: members.map((u) => ({
      code: u.code,
      name: { en: u.nameEn, zh: u.nameZh },
      region: u.region,
      lead: u.lead,
    })),
    regions: regionsWithMembers.map((r) => ({ code: r.code, name: { en: r.nameEn, zh: r.nameZh } })),
    labels,
    standards: { ...STANDARDS },
    measures: measures.map((id) => {
      const m = MEASURES[id];
      return {
        id,
        kind: m.kind,
        unit: m.unit,
        temporality: m.temporality,
        dateColumn: m.dateColumn,
        aggregate: m.aggregate.fn,
        name: m.name,
        definition: m.definition,
        standard: { code: m.standard.code, name: STANDARDS[m.standard.code], reference: m.standard.reference },
      };
    }),
    summary: { measures, rows: summaryRows },
    comparisons,
    attainmentByUniversity: { measures: targeted, rows: attainmentRows },
    techTransfer,
    incubation,
    talent,
    credits: { universities: codes, matrices },
  };
}
