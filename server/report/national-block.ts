import type { TransferMode } from '../db/schema.js';
import type { AggregateRow } from '../kpi/compile.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { MEASURES, TRANSFORMATION_MODES, VALUE_BANDS } from '../kpi/registry.js';
import type { Bilingual } from '../kpi/registry.js';
import { TRANSFER_MODES } from '../db/schema.js';
import type { Figure, NationalBlock, NationalLine } from './report.types.js';

/**
 * The national block: each member's technology transfer as the national annual report
 * (《中国科技成果转化年度报告》) prints it for every unit. Transfer, license and equity investment
 * each with contract count, contract value and average; development, consulting and service with
 * count and value; the six modes' total; cash received in the year; rewards to individuals; companies
 * created or held; the transfer organisation's capacity at the period's end; and how many members
 * signed 1亿元 or more. Every line is a measure of the registry, for one mode or all.
 */

const line = (id: string, measure: MeasureId, mode: TransferMode | null, name: Bilingual): NationalLine => ({
  id,
  measure,
  mode,
  name,
});

const MODE_NAMES: Readonly<Record<TransferMode, Bilingual>> = {
  transfer: { en: 'Transfer', zh: '转让' },
  license: { en: 'License', zh: '许可' },
  equity: { en: 'Equity investment', zh: '作价投资' },
  development: { en: 'Technology development', zh: '技术开发' },
  consulting: { en: 'Technology consulting', zh: '技术咨询' },
  service: { en: 'Technology service', zh: '技术服务' },
};

export const NATIONAL_LINES: readonly NationalLine[] = [
  ...TRANSFER_MODES.flatMap((mode) => {
    const name = MODE_NAMES[mode];
    const lines = [
      line(`${mode}.contracts`, 'tech_transfer.contracts', mode, { en: `${name.en}: contracts`, zh: `${name.zh}合同项数` }),
      line(`${mode}.value`, 'tech_transfer.contract_value', mode, { en: `${name.en}: contract value`, zh: `${name.zh}合同金额` }),
    ];
    // The national report prints the average of the three modes that transform achievements.
    if (TRANSFORMATION_MODES.includes(mode))
      lines.push(
        line(`${mode}.average`, 'tech_transfer.average_value', mode, {
          en: `${name.en}: average contract value`,
          zh: `${name.zh}平均合同金额`,
        }),
      );
    return lines;
  }),
  line('total.contracts', 'tech_transfer.contracts', null, { en: 'Six modes: contracts', zh: '六种方式合同项数合计' }),
  line('total.value', 'tech_transfer.contract_value', null, { en: 'Six modes: contract value', zh: '六种方式合同金额合计' }),
  line('total.average', 'tech_transfer.average_value', null, {
    en: 'Six modes: average contract value',
    zh: '六种方式平均合同金额',
  }),
  line('received', 'tech_transfer.received', null, { en: 'Cash received in the year', zh: '当年到账金额' }),
  line('reward_cash', 'tech_transfer.reward_cash', null, { en: 'Cash rewards to individuals', zh: '现金奖励金额' }),
  line('reward_equity', 'tech_transfer.reward_equity', null, { en: 'Equity rewards to individuals', zh: '股权奖励金额' }),
  line('rewarded_people', 'tech_transfer.rewarded_people', null, { en: 'People rewarded', zh: '奖励人次' }),
  line('companies', 'incubation.companies', null, { en: 'Companies created or held', zh: '创设和参股公司数' }),
  line('transfer_offices', 'capacity.transfer_offices', null, {
    en: 'Technology-transfer offices (end of period)',
    zh: '技术转移机构数（期末）',
  }),
  line('staff', 'capacity.staff', null, { en: 'Full-time transfer staff (end of period)', zh: '专职人员数（期末）' }),
  line('tech_managers', 'capacity.tech_managers', null, {
    en: 'Technology managers (end of period)',
    zh: '技术经理人数（期末）',
  }),
  line('co_built', 'capacity.co_built', null, { en: 'Co-built transfer institutions (end of period)', zh: '共建机构数（期末）' }),
];

/** The measures the block reads, each once. */
export const NATIONAL_MEASURES: readonly MeasureId[] = [...new Set(NATIONAL_LINES.map((l) => l.measure))];
/** The measures of the lines by mode: those read by university and mode, and by mode. */
export const NATIONAL_MODE_MEASURES: readonly MeasureId[] = [
  ...new Set(NATIONAL_LINES.filter((l) => l.mode !== null).map((l) => l.measure)),
];

/** A member counts when its contract value over the six modes reaches this: 1亿元, the top value band's bound. */
export const NATIONAL_THRESHOLD_CNY: number = VALUE_BANDS.find((b) => b.code === '10m_to_100m')!.below;

type FigureOf = (row: AggregateRow | undefined, measure: MeasureId) => Figure;

/**
 * The block from four answers over the report's period: by university and mode, by university, by
 * mode, and ungrouped (each with records). A ratio comes from its own sums in each answer, so the
 * alliance's average is never an average of the members'.
 */
export function nationalBlock(
  universities: readonly string[],
  answers: { byUniversityMode: AggregateRow[]; byUniversity: AggregateRow[]; byMode: AggregateRow[]; total: AggregateRow[] },
  figureOf: FigureOf,
): NationalBlock {
  const columns: NationalBlock['columns'] = [
    ...universities.map((code) => ({ level: 'university' as const, code })),
    { level: 'alliance' as const, code: null },
  ];
  const cell = (l: NationalLine, code: string | null): Figure => {
    const row =
      code === null
        ? l.mode === null
          ? answers.total[0]
          : answers.byMode.find((r) => r.mode === l.mode)
        : l.mode === null
          ? answers.byUniversity.find((r) => r.university === code)
          : answers.byUniversityMode.find((r) => r.university === code && r.mode === l.mode);
    return figureOf(row, l.measure);
  };
  const rows = NATIONAL_LINES.map((l) => ({ line: l.id, cells: columns.map((c) => cell(l, c.code)) }));
  const value = (code: string) =>
    Number(answers.byUniversity.find((r) => r.university === code)?.['tech_transfer.contract_value'] ?? 0);
  return {
    lines: [...NATIONAL_LINES],
    columns,
    rows,
    above: {
      threshold: NATIONAL_THRESHOLD_CNY,
      universities: universities.filter((code) => value(code) >= NATIONAL_THRESHOLD_CNY),
    },
  };
}

/** A line by mode reads a measure that has the mode. */
for (const l of NATIONAL_LINES) {
  if (l.mode !== null && !MEASURES[l.measure].dimensions.includes('mode'))
    throw new Error(`national line ${l.id}: ${l.measure} has no mode`);
}
