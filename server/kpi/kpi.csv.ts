import { FIGURE_STATUS_LABELS, type FigureStatus } from '../../contract/figure-status.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { dateCell, moneyCell, type NumberCell, numberCell, numberFormat } from '../csv/cells.js';
import type { CsvProjection } from '../csv/csv-projection.js';
import type { CsvRequest } from '../csv/csv-request.js';
import type { CsvRow } from '../csv/csv-response.js';
import type { AggregateRow, KpiFilters } from './compile.js';
import { denominatorColumn, numeratorColumn, recordsColumn } from '../../contract/aggregate-columns.js';
import type { AggregateRequest } from './kpi.schemas.js';
import type { Summary } from './kpi.service.js';
import { displayNumber, type Labels, type Lang, unitLabel, withUnit } from './labels.js';
import { type Bilingual, DIMENSIONS, type DimensionId, MEASURES } from './registry.js';

/**
 * The CSV projections of the measures: the aggregate's and the summary's header and rows, and the
 * file name of any export (what, grouped how, for which period).
 */

/** The domain whose names label a dimension's codes in a formatted export (none for a period). */
const dimensionDomain = (id: DimensionId): 'university' | 'region' | 'field' | 'value' | undefined => {
  const { domain } = DIMENSIONS[id];
  return domain === 'period' ? undefined : domain === 'enum' ? 'value' : domain;
};

function measureHeader(id: MeasureId, options: CsvRequest): string {
  if (!options.formatted && options.lang === 'en') return id;
  const def = MEASURES[id];
  const unit = unitLabel(def.unit, options.lang, options.formatted);
  return withUnit(def.name[options.lang], unit, options.lang);
}

function dimensionHeader(id: DimensionId, options: CsvRequest): string {
  return !options.formatted && options.lang === 'en' ? id : DIMENSIONS[id].name[options.lang];
}

/** The ratios among the measures, each shown with its numerator and denominator. */
const ratiosOf = (measures: readonly MeasureId[]) =>
  measures.flatMap((id) => {
    const { aggregate } = MEASURES[id];
    return aggregate.fn === 'ratio' ? [{ id, numerator: aggregate.numerator, denominator: aggregate.denominator }] : [];
  });

/** The header of a ratio's numerator or denominator: `tech_transfer.average_value:denominator`, or its measure's name. */
function ratioPartHeader(ratio: MeasureId, part: 'numerator' | 'denominator', measure: MeasureId, options: CsvRequest): string {
  if (!options.formatted && options.lang === 'en') return `${ratio}:${part}`;
  const role = options.lang === 'zh' ? (part === 'numerator' ? '分子' : '分母') : part;
  const name = measureHeader(measure, options);
  return options.lang === 'zh' ? `${MEASURES[ratio].name.zh}${role}：${name}` : `${MEASURES[ratio].name.en}, ${role}: ${name}`;
}

/** The header of a figure's status column: `status`; `Status` formatted; `数据状态` in Chinese. */
export function statusHeader(options: Pick<CsvRequest, 'lang' | 'formatted'>): string {
  return options.lang === 'zh' ? '数据状态' : options.formatted ? 'Status' : 'status';
}

/** A figure's status: its code (`F`, `P`, `R`), or formatted its name in the export's language. */
export function statusCell(status: FigureStatus, options: Pick<CsvRequest, 'lang' | 'formatted'>): string {
  return options.formatted ? FIGURE_STATUS_LABELS[status][options.lang] : status;
}

export function aggregateHeader(
  by: readonly DimensionId[],
  measures: readonly MeasureId[],
  options: CsvRequest,
  withRecords = false,
): string[] {
  return [
    ...by.map((d) => dimensionHeader(d, options)),
    ...measures.map((m) => measureHeader(m, options)),
    ...(withRecords ? measures.map((m) => (options.lang === 'zh' ? `${MEASURES[m].name.zh}记录数` : `${m}:records`)) : []),
    ...ratiosOf(measures).flatMap((r) => [
      ratioPartHeader(r.id, 'numerator', r.numerator, options),
      ratioPartHeader(r.id, 'denominator', r.denominator, options),
    ]),
    statusHeader(options),
  ];
}

/** A figure's cell (its value, and the number format of its unit in a workbook); none for a ratio without a denominator. */
export function measureCell(id: MeasureId, value: number | null, options: CsvRequest): NumberCell | null {
  if (value === null) return null;
  const def = MEASURES[id];
  const format = numberFormat(def.unit, options);
  if (options.formatted) return numberCell(displayNumber(value, def.unit, options.lang), value, format);
  return numberCell(def.unit === 'cny' ? moneyCell(value) : String(value), value, format);
}

/** A number of records. */
const recordsCell = (count: number, options: CsvRequest): NumberCell =>
  numberCell(String(count), count, numberFormat('count', options));

export function aggregateRows(
  rows: ReadonlyArray<AggregateRow & { status: FigureStatus }>,
  by: readonly DimensionId[],
  measures: readonly MeasureId[],
  options: CsvRequest,
  labels: Labels,
  withRecords = false,
): CsvRow[] {
  return rows.map((row) => [
    ...by.map((d) => {
      const value = row[d];
      if (value === null || value === undefined) return null;
      const domain = dimensionDomain(d);
      return options.formatted && domain ? labels.name(domain, String(value)) : String(value);
    }),
    ...measures.map((m) => measureCell(m, row[m] === null ? null : Number(row[m]), options)),
    ...(withRecords ? measures.map((m) => recordsCell(Number(row[recordsColumn(m)] ?? 0), options)) : []),
    ...ratiosOf(measures).flatMap((r) => [
      measureCell(r.numerator, Number(row[numeratorColumn(r.id)] ?? 0), options),
      measureCell(r.denominator, Number(row[denominatorColumn(r.id)] ?? 0), options),
    ]),
    statusCell(row.status, options),
  ]);
}

const SUMMARY_COLUMNS = [
  'measure',
  'unit',
  'from',
  'to',
  'value',
  'records',
  'previous',
  'change',
  'year_ago',
  'year_on_year',
  'panel_universities',
  'panel_value',
  'panel_year_ago',
  'panel_change',
  'target_year',
  'target',
  'year_to_date',
  'progress',
  'numerator',
  'denominator',
  'status',
] as const;
const SUMMARY_ZH = [
  '指标',
  '单位',
  '起始日期',
  '截止日期',
  '本期值',
  '记录数',
  '上期值',
  '环比',
  '上年同期',
  '同比',
  '可比高校',
  '可比高校本期',
  '可比高校上年同期',
  '可比同比',
  '目标年度',
  '年度目标',
  '年初至今',
  '目标完成率',
  '分子',
  '分母',
  '数据状态',
];

export function summaryHeader(options: CsvRequest): string[] {
  return options.lang === 'zh' ? SUMMARY_ZH : [...SUMMARY_COLUMNS];
}

export function summaryRows(summary: Summary, options: CsvRequest): CsvRow[] {
  const parts = (m: Summary['measures'][number]) => {
    const { aggregate } = MEASURES[m.measure];
    if (aggregate.fn !== 'ratio' || m.numerator === null || m.denominator === null) return [null, null];
    return [measureCell(aggregate.numerator, m.numerator, options), measureCell(aggregate.denominator, m.denominator, options)];
  };
  const ratio = (value: number | null) =>
    value === null
      ? null
      : numberCell(options.formatted ? `${(value * 100).toFixed(1)}%` : value.toFixed(6), value, numberFormat('ratio', options));
  return summary.measures.map((m) => {
    const number = (value: number | null) => (value === null ? null : measureCell(m.measure, value, options));
    return [
      options.formatted || options.lang === 'zh' ? MEASURES[m.measure].name[options.lang] : m.measure,
      unitLabel(MEASURES[m.measure].unit, options.lang, options.formatted) || m.unit,
      dateCell(summary.period.from),
      dateCell(summary.period.to),
      number(m.value),
      recordsCell(m.records, options),
      number(m.previous),
      ratio(m.change),
      number(m.yearAgo),
      ratio(m.yearOnYear),
      m.panel.universities.join(' '),
      number(m.panel.value),
      number(m.panel.yearAgo),
      ratio(m.panel.change),
      numberCell(String(m.targetYear), m.targetYear, '0'),
      number(m.target),
      number(m.yearToDate),
      ratio(m.progress),
      // A ratio's two sums over the period (its numerator's and denominator's own units).
      ...parts(m),
      statusCell(m.status, options),
    ];
  });
}

export interface FileName {
  /** The name in the export's language (may be Chinese). */
  name: string;
  /** The same in English, for clients that read only the ASCII `filename`. */
  ascii: string;
}

/** A file name that says what the file holds: what, grouped how, for which period. */
export function exportFileName(parts: {
  what: Bilingual;
  by?: readonly DimensionId[];
  filters: KpiFilters;
  lang: Lang;
}): FileName {
  const period =
    parts.filters.from || parts.filters.to ? `${parts.filters.from ?? 'start'}_${parts.filters.to ?? 'latest'}` : 'all-dates';
  const scope = [...(parts.filters.university ?? []), ...(parts.filters.region ?? [])].slice(0, 6).join('-');
  const build = (lang: Lang) => {
    const by =
      parts.by && parts.by.length > 0
        ? lang === 'zh'
          ? `按${parts.by.map((d) => DIMENSIONS[d].name.zh).join('-')}`
          : `by-${parts.by.join('-')}`
        : '';
    const what = parts.what[lang].length > 120 ? `${parts.what[lang].slice(0, 117)}...` : parts.what[lang];
    return `${[what, scope, by, period]
      .filter(Boolean)
      .join('_')
      .replaceAll(/[\\/:*?"<>|]/g, '-')}.csv`;
  };
  return { name: build(parts.lang), ascii: build('en') };
}

export function measuresFileName(
  measures: readonly MeasureId[],
  by: readonly DimensionId[],
  filters: KpiFilters,
  lang: Lang,
): FileName {
  return exportFileName({
    what: { en: measures.join('-'), zh: measures.map((m) => MEASURES[m].name.zh).join('-') },
    by,
    filters,
    lang,
  });
}

/** The aggregate's CSV export: what GET /aggregate?format=csv and `cli export --measures` write. */
export function aggregateProjection(
  rows: ReadonlyArray<AggregateRow & { status: FigureStatus }>,
  request: AggregateRequest,
  labels: Labels,
): CsvProjection {
  const { by, measures, output, filters, withRecords } = request;
  return {
    fileName: measuresFileName(measures, by, filters, output.lang),
    bom: output.bom,
    header: aggregateHeader(by, measures, output, withRecords),
    rows: [aggregateRows(rows, by, measures, output, labels, withRecords)],
    subject: 'aggregate',
  };
}
