import { moneyCell, type NumberCell, type NumberKind, numberCell, numberFormat } from '../csv/cells.js';
import type { CsvRow } from '../csv/csv-response.js';
import { unitLabel, withUnit } from '../kpi/labels.js';
import { NotFound, said } from '../lib/problems.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { PERIOD_STATUS_LABELS } from '../../contract/reporting-periods.js';
import type { Breakdown, Figure, ReportDocument, ReportMeasure } from './report.types.js';

/**
 * The report's tables as CSV, one file per table, from the document alone: the live report and
 * a submitted one export the same way. Numbers are raw (yuan with two decimals, counts whole), so
 * Excel adds them up; headers and labels are in the language asked for.
 */
export const REPORT_TABLES = [
  'summary',
  'comparisons',
  'attainment',
  'tech-transfer-modes',
  'tech-transfer-bands',
  'incubation-fields',
  'joint-training-levels',
  'credit-recognition',
  'credit-students',
  'national',
  'not-final',
] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

type Lang = 'zh' | 'en';

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

export const TITLES: Record<ReportTable, { en: string; zh: string }> = {
  summary: { en: 'summary', zh: '汇总表' },
  comparisons: { en: 'targets-and-comparisons', zh: '目标与同比环比' },
  attainment: { en: 'attainment-by-university', zh: '各校目标完成率' },
  'tech-transfer-modes': { en: 'tech-transfer-by-mode', zh: '技术合同按方式' },
  'tech-transfer-bands': { en: 'tech-transfer-by-value-band', zh: '技术合同按金额区间' },
  'incubation-fields': { en: 'incubation-by-field', zh: '孵化按技术领域' },
  'joint-training-levels': { en: 'joint-training-by-level', zh: '联合培养按层次' },
  'credit-recognition': { en: 'credits-recognised-by-pair', zh: '学分互认矩阵' },
  national: { en: 'national-report-block', zh: '国家年度报告口径汇总表' },
  'credit-students': { en: 'students-by-pair', zh: '学分互认学生人次矩阵' },
  'not-final': { en: 'periods-not-final', zh: '未定稿报告期' },
};

/** The file name of a table's CSV, in the language asked for and in English (for the ASCII fallback). */
export function reportCsvFileName(
  periodKey: string,
  table: ReportTable,
  lang: Lang,
  submission?: number,
): { name: string; ascii: string } {
  const build = (l: Lang) => `report-${periodKey}${submission ? `-submission-${submission}` : ''}-${TITLES[table][l]}.csv`;
  return { name: build(lang), ascii: build('en') };
}

const L = (lang: Lang, en: string, zh: string) => (lang === 'zh' ? zh : en);

/**
 * The number format a workbook shows a report figure with: for reading (thousands separators, a
 * ratio as a percentage), money in yuan as the headers say in both languages; the cell holds the
 * exact value, and the CSV the raw text.
 */
const shown = (kind: NumberKind): string => numberFormat(kind, { formatted: true, lang: 'en' });

function figureCell(measure: ReportMeasure | undefined, value: number | null): NumberCell | null {
  if (value === null) return null;
  const unit = measure?.unit ?? 'count';
  return numberCell(unit === 'cny' ? moneyCell(value) : String(value), value, shown(unit));
}
const ratioCell = (value: number | null): NumberCell | null =>
  value === null ? null : numberCell(value.toFixed(6), value, shown('ratio'));
const countCell = (value: number): NumberCell => numberCell(String(value), value, shown('count'));

export function reportCsv(doc: ReportDocument, table: ReportTable, lang: Lang): CsvTable {
  const measure = new Map(doc.measures.map((m) => [m.id, m]));
  const nameOf = (id: MeasureId) => measure.get(id)!.name[lang];
  const unitOf = (id: MeasureId) => {
    const unit = measure.get(id)!.unit;
    // A count's unit depends on what is counted (contracts, projects, jobs): its name says it.
    return unit === 'count' ? '' : unitLabel(unit, lang, false);
  };
  const universityName = new Map(doc.universities.map((u) => [u.code, u.name[lang]]));
  const regionName = new Map(doc.regions.map((r) => [r.code, r.name[lang]]));
  const label = (code: string | null) => (code === null ? L(lang, 'Total', '合计') : (doc.labels[code]?.[lang] ?? code));
  const scopeName = (row: { level: string; code: string | null }) =>
    row.level === 'university'
      ? (universityName.get(row.code!) ?? row.code!)
      : row.level === 'region'
        ? L(lang, `${regionName.get(row.code!) ?? row.code} subtotal`, `${regionName.get(row.code!) ?? row.code}小计`)
        : L(lang, 'Alliance total', '联盟合计');
  const levelName = (level: string) =>
    ({
      university: L(lang, 'university', '高校'),
      region: L(lang, 'province subtotal', '省市小计'),
      alliance: L(lang, 'alliance total', '联盟合计'),
    })[level] ?? level;
  const figureCells = (ids: readonly MeasureId[], figures: Partial<Record<MeasureId, Figure>>) =>
    ids.flatMap((id) => [figureCell(measure.get(id), figures[id]?.value ?? 0), countCell(figures[id]?.records ?? 0)]);
  // A figure's status as its code (F, P, R); empty in a document made before figures had one.
  const tables = doc.status?.tables;
  const statusHeader = L(lang, 'Status', '数据状态');
  const rowStatusOf = (code: string | null) =>
    doc.summary.rows.find((r) => r.code === code && (code !== null || r.level === 'alliance'))?.status ?? null;
  const figureHeader = (ids: readonly MeasureId[]) =>
    ids.flatMap((id) => [withUnit(nameOf(id), unitOf(id), lang), L(lang, `${nameOf(id)}: records`, `${nameOf(id)}：记录数`)]);

  switch (table) {
    case 'summary':
      return {
        header: [
          L(lang, 'Row', '行类别'),
          L(lang, 'Code', '代码'),
          L(lang, 'Name', '名称'),
          L(lang, 'Province', '省市'),
          ...figureHeader(doc.summary.measures),
          statusHeader,
        ],
        rows: doc.summary.rows.map((row) => [
          levelName(row.level),
          row.code,
          scopeName(row),
          row.level === 'university' ? (regionName.get(row.region!) ?? row.region!) : null,
          ...figureCells(doc.summary.measures, row.cells),
          row.status ?? null,
        ]),
      };
    case 'comparisons':
      return {
        header: [
          L(lang, 'Measure', '指标'),
          L(lang, 'Unit', '单位'),
          L(lang, `Value ${doc.period.label.en}`, `本期（${doc.period.label.zh}）`),
          L(lang, 'Records', '记录数'),
          L(lang, `Target ${doc.targetYear}`, `${doc.targetYear}年目标`),
          L(
            lang,
            `Year to date ${doc.yearToDate.from} – ${doc.yearToDate.to}`,
            `年初至期末（${doc.yearToDate.from}至${doc.yearToDate.to}）`,
          ),
          L(lang, 'Attainment (year to date ÷ target)', '目标完成率（年初至期末÷年度目标）'),
          L(lang, `Previous period ${doc.previousPeriod.label.en}`, `上期（${doc.previousPeriod.label.zh}）`),
          L(lang, 'Change on previous period', '环比'),
          L(lang, `Same period a year before ${doc.yearAgoPeriod.label.en}`, `上年同期（${doc.yearAgoPeriod.label.zh}）`),
          L(lang, 'Change on a year before', '同比'),
          L(lang, 'Matched panel: universities', '可比口径：高校'),
          L(lang, 'Matched panel: change on a year before', '可比口径同比'),
          statusHeader,
        ],
        rows: doc.comparisons.map((c) => {
          const m = measure.get(c.measure);
          return [
            nameOf(c.measure),
            unitOf(c.measure),
            figureCell(m, c.value),
            countCell(c.records),
            figureCell(m, c.target),
            figureCell(m, m?.temporality === 'stock' ? null : c.yearToDate),
            ratioCell(c.attainment),
            figureCell(m, c.previous),
            ratioCell(c.change),
            figureCell(m, c.yearAgo),
            ratioCell(c.yearOnYear),
            c.panel.universities.join(' '),
            ratioCell(c.panel.change),
            tables?.comparisons ?? null,
          ];
        }),
      };
    case 'attainment': {
      const ids = doc.attainmentByUniversity.measures;
      return {
        header: [
          L(lang, 'Row', '行类别'),
          L(lang, 'Code', '代码'),
          L(lang, 'Name', '名称'),
          ...ids.flatMap((id) => [
            L(lang, `${nameOf(id)}: target`, `${nameOf(id)}：目标`),
            L(lang, `${nameOf(id)}: year to date`, `${nameOf(id)}：年初至期末`),
            L(lang, `${nameOf(id)}: attainment`, `${nameOf(id)}：完成率`),
          ]),
          statusHeader,
        ],
        rows: doc.attainmentByUniversity.rows.map((row) => [
          levelName(row.level),
          row.code,
          scopeName(row),
          ...ids.flatMap((id) => {
            const cell = row.cells[id];
            return [
              figureCell(measure.get(id), cell?.target ?? null),
              figureCell(measure.get(id), cell?.yearToDate ?? 0),
              ratioCell(cell?.attainment ?? null),
            ];
          }),
          row.status ?? null,
        ]),
      };
    }
    case 'tech-transfer-modes':
    case 'tech-transfer-bands':
    case 'incubation-fields':
    case 'joint-training-levels': {
      const breakdown: Breakdown =
        table === 'tech-transfer-modes'
          ? doc.techTransfer.byMode
          : table === 'tech-transfer-bands'
            ? doc.techTransfer.byValueBand
            : table === 'incubation-fields'
              ? doc.incubation.byField
              : doc.talent.byLevel;
      const status =
        table === 'tech-transfer-modes' || table === 'tech-transfer-bands'
          ? tables?.techTransfer
          : table === 'incubation-fields'
            ? tables?.incubation
            : tables?.talent;
      return {
        header: [
          L(lang, 'Row', '行类别'),
          L(lang, 'Code', '代码'),
          L(lang, 'Name', '名称'),
          ...figureHeader(breakdown.measures),
          statusHeader,
        ],
        rows: breakdown.rows.map((row) => [
          row.level === 'item'
            ? L(lang, 'item', '项')
            : row.level === 'subtotal'
              ? L(lang, 'subtotal', '小计')
              : L(lang, 'total', '合计'),
          row.code,
          label(row.code),
          ...figureCells(breakdown.measures, row.figures),
          status ?? null,
        ]),
      };
    }
    case 'national': {
      const block = doc.national;
      if (!block) throw new NotFound(said('no_national_block'));
      const columnName = (c: { code: string | null }) =>
        c.code === null ? L(lang, 'Alliance total', '联盟合计') : (universityName.get(c.code) ?? c.code);
      const above = new Set(block.above.universities);
      return {
        header: [
          L(lang, 'Line', '行代码'),
          L(lang, 'Indicator', '指标'),
          L(lang, 'Unit', '单位'),
          ...block.columns.map(columnName),
        ],
        rows: [
          ...block.rows.map((row) => {
            const line = block.lines.find((l) => l.id === row.line)!;
            const m = measure.get(line.measure);
            return [row.line, line.name[lang], unitOf(line.measure), ...row.cells.map((cell) => figureCell(m, cell.value))];
          }),
          [
            'above_threshold',
            L(
              lang,
              `Members whose contract value over the six modes reached ${block.above.threshold} yuan (1 = yes; the alliance column counts them)`,
              `六种方式合同金额达到${block.above.threshold / 100_000_000}亿元及以上的成员（1 为是；联盟列为单位数）`,
            ),
            '',
            ...block.columns.map((c) => countCell(c.code === null ? block.above.universities.length : above.has(c.code) ? 1 : 0)),
          ],
          // Each column's status: its university's (the summary row over the same period), the alliance's.
          ...(tables ? [['status', statusHeader, '', ...block.columns.map((c) => rowStatusOf(c.code))]] : []),
        ],
      };
    }
    case 'not-final':
      return {
        header: [
          L(lang, 'University', '高校'),
          L(lang, 'Name', '名称'),
          L(lang, 'Period', '报告期'),
          L(lang, 'From', '起始日期'),
          L(lang, 'To', '截止日期'),
          L(lang, 'State', '报送状态'),
          L(lang, 'Ended', '已结束'),
          statusHeader,
        ],
        rows: (doc.status?.notFinal ?? []).map((p) => [
          p.university,
          universityName.get(p.university) ?? p.university,
          p.period,
          p.from,
          p.to,
          PERIOD_STATUS_LABELS[p.state][lang],
          p.ended ? L(lang, 'yes', '是') : L(lang, 'no', '否'),
          p.status,
        ]),
      };
    case 'credit-recognition':
    case 'credit-students': {
      const matrix = doc.credits.matrices.find(
        (m) => m.measure === (table === 'credit-recognition' ? 'credits.credits' : 'credits.students'),
      )!;
      const codes = doc.credits.universities;
      const m = measure.get(matrix.measure);
      return {
        header: [
          L(
            lang,
            `Home university \\ host university: ${withUnit(nameOf(matrix.measure), unitOf(matrix.measure), lang)}`,
            `学生所在高校＼开课高校：${withUnit(nameOf(matrix.measure), unitOf(matrix.measure), lang)}`,
          ),
          ...codes.map((c) => universityName.get(c) ?? c),
          L(lang, 'Total', '合计'),
          L(lang, 'Records', '记录数'),
          statusHeader,
        ],
        rows: [
          // A row is its home university's records: the status of that university's figures.
          ...codes.map((home, i) => [
            universityName.get(home) ?? home,
            ...matrix.cells[i]!.map((cell) => figureCell(m, cell.value)),
            figureCell(m, matrix.rowTotals[i]!.value),
            countCell(matrix.rowTotals[i]!.records),
            tables ? rowStatusOf(home) : null,
          ]),
          [
            L(lang, 'Total', '合计'),
            ...matrix.columnTotals.map((cell) => figureCell(m, cell.value)),
            figureCell(m, matrix.total.value),
            countCell(matrix.total.records),
            tables?.credits ?? null,
          ],
        ],
      };
    }
  }
}
