import type { FactKind } from '../db/schema.js';
import { INCUBATION_STAGES, TALENT_LEVELS, TRANSFER_MODES } from '../db/schema.js';
import type { MeasureId } from './measure-ids.js';

/**
 * The semantic layer: every measure and every dimension of the dashboard, named once. Every
 * chart, card, table, report and CSV is a query of this registry (see `compile.ts`); nothing
 * else writes KPI SQL.
 */

export type Unit = 'count' | 'cny' | 'people' | 'credits';

export interface Bilingual {
  en: string;
  zh: string;
}

export interface Standard {
  /** A short key: `cn-annual-report`, `autm`, `ec-kti`, `alliance`. */
  code: 'cn-annual-report' | 'autm' | 'ec-kti' | 'alliance';
  /** Which indicator of that standard, in both languages. */
  reference: Bilingual;
}

export const DIMENSION_IDS = [
  'university',
  'region',
  'partner_university',
  'year',
  'quarter',
  'month',
  'mode',
  'mode_group',
  'value_band',
  'partner_region',
  'field',
  'stage',
  'level',
] as const;
export type DimensionId = (typeof DIMENSION_IDS)[number];

export const TIME_DIMENSIONS = ['year', 'quarter', 'month'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

export const isTimeDimension = (id: DimensionId): id is TimeDimension => (TIME_DIMENSIONS as readonly string[]).includes(id);

const COMMON: readonly DimensionId[] = ['university', 'region', 'partner_university', 'year', 'quarter', 'month'];
const TECH: readonly DimensionId[] = [...COMMON, 'mode', 'mode_group', 'value_band', 'partner_region', 'field'];
const INCUBATION: readonly DimensionId[] = [...COMMON, 'field', 'stage'];
const TALENT: readonly DimensionId[] = [...COMMON, 'level'];
const CREDIT: readonly DimensionId[] = COMMON;

/**
 * How a stock holds a record: from its `from` date (inclusive) until the first of its `until`
 * dates (exclusive; a record with none is still held). Projects in incubation: from entry until
 * graduation or closure.
 */
export interface Held {
  from: string;
  until: readonly string[];
}

/** Whether a record is held by a stock on a day (ISO dates compare as text). */
export function isHeld(held: Held, record: Readonly<Record<string, unknown>>, day: string): boolean {
  const from = record[held.from];
  if (typeof from !== 'string' || from > day) return false;
  return held.until.every((column) => {
    const until = record[column];
    return typeof until !== 'string' || until > day;
  });
}

/** The blocks the dashboard shows measures in: a payment's figures belong with its contracts. */
export const MEASURE_GROUPS = ['tech_transfer', 'incubation', 'talent', 'credit'] as const;
export type MeasureGroup = (typeof MEASURE_GROUPS)[number];

interface MeasureBase {
  id: MeasureId;
  /** The records the measure counts (and a drill-down lists). */
  kind: FactKind;
  /** The block it is shown in. */
  group: MeasureGroup;
  /** The date a record counts on. */
  dateColumn: string;
  /** `count` of records, or `sum` of a column. */
  aggregate: { fn: 'count' } | { fn: 'sum'; column: string };
  unit: Unit;
  name: Bilingual;
  definition: Bilingual;
  standard: Standard;
  dimensions: readonly DimensionId[];
  /**
   * Counted to date on the records dated in the period (funding raised so far by a cohort of
   * projects, cash received so far on the contracts signed): a past period's figure keeps growing,
   * so its change against an earlier period is not like for like, and the dashboard says so.
   */
  cohort?: true;
}

/** A flow is summed over the period; a stock is its level at the end of the period. */
export type MeasureDef = MeasureBase & ({ temporality: 'flow' } | { temporality: 'stock'; held: Held });

const CN_REPORT = (zh: string, en: string): Standard => ({
  code: 'cn-annual-report',
  reference: {
    zh: `《中国科技成果转化年度报告》：${zh}`,
    en: `China annual report on the transformation of S&T achievements: ${en}`,
  },
});
const ALLIANCE = (zh: string, en: string): Standard => ({
  code: 'alliance',
  reference: { zh: `联盟自定义口径（无公开标准）：${zh}`, en: `Alliance definition (no published standard): ${en}` },
});

export const MEASURES: Readonly<Record<MeasureId, MeasureDef>> = {
  'tech_transfer.contracts': {
    id: 'tech_transfer.contracts',
    kind: 'tech_transfer',
    group: 'tech_transfer',
    dateColumn: 'signed_on',
    aggregate: { fn: 'count' },
    unit: 'count',
    temporality: 'flow',
    name: { en: 'Technology contracts signed', zh: '技术合同签订数' },
    definition: {
      en: 'Contracts signed in the period: transfer, license and equity investment (transformation of achievements), and development, consulting and service contracts (technical services).',
      zh: '期内签订的合同数：转让、许可、作价投资（成果转化类）及技术开发、咨询、服务（技术服务类）合同。',
    },
    standard: CN_REPORT(
      '转让、许可、作价投资合同项数与技术开发、咨询、服务合同项数',
      'number of transfer, license and equity-investment contracts, and of development, consulting and service contracts',
    ),
    dimensions: TECH,
  },
  'tech_transfer.contract_value': {
    id: 'tech_transfer.contract_value',
    kind: 'tech_transfer',
    group: 'tech_transfer',
    dateColumn: 'signed_on',
    aggregate: { fn: 'sum', column: 'contract_value_cny' },
    unit: 'cny',
    temporality: 'flow',
    name: { en: 'Contract value', zh: '合同金额' },
    definition: {
      en: 'Total value, in yuan, of the contracts signed in the period, counted in full on the day of signing.',
      zh: '期内签订合同的合同总金额（元），按签订日全额计入。',
    },
    standard: CN_REPORT('合同金额', 'contract value'),
    dimensions: TECH,
  },
  'tech_transfer.received': {
    id: 'tech_transfer.received',
    kind: 'payment',
    group: 'tech_transfer',
    dateColumn: 'received_on',
    aggregate: { fn: 'sum', column: 'amount_cny' },
    unit: 'cny',
    temporality: 'flow',
    name: { en: 'Cash received', zh: '到账金额' },
    definition: {
      en: 'Cash received in the period, in yuan: the payments received on technology contracts between its first and last day, whatever year each contract was signed in. Grouped by the contract (its university, mode, field, partner and value band).',
      zh: '期内实际到账金额（元）：到账日期在期内的技术合同收款之和，不论合同签订于哪一年；按合同的高校、转化方式、技术领域、合作方与金额区间归类。',
    },
    standard: CN_REPORT('当年到账金额', 'cash received in the year'),
    dimensions: TECH,
  },
  'tech_transfer.received_to_date': {
    id: 'tech_transfer.received_to_date',
    kind: 'tech_transfer',
    group: 'tech_transfer',
    dateColumn: 'signed_on',
    aggregate: { fn: 'sum', column: 'received_cny' },
    unit: 'cny',
    temporality: 'flow',
    name: { en: 'Cash received to date on contracts signed', zh: '期内签订合同累计到账金额' },
    definition: {
      en: 'Cash received to date, in yuan, on the contracts signed in the period: every payment on them so far, whenever it arrived. It grows as payments arrive, so a past period changes; cash received in the period is the national figure.',
      zh: '期内签订的合同截至目前累计到账的金额（元），不论何时到账；随后续到账而变化。国家年度报告口径为“当年到账金额”。',
    },
    standard: ALLIANCE(
      '按签订批次归集的累计到账金额（非国家报告口径）',
      'cash received to date on each signing cohort (not the national report figure)',
    ),
    dimensions: TECH,
    cohort: true,
  },
  'incubation.entered': {
    id: 'incubation.entered',
    kind: 'incubation',
    group: 'incubation',
    dateColumn: 'entered_on',
    aggregate: { fn: 'count' },
    unit: 'count',
    temporality: 'flow',
    name: { en: 'Projects entering incubation', zh: '新入孵项目数' },
    definition: {
      en: 'Projects that entered a member university incubator in the period.',
      zh: '期内进入成员高校孵化器的项目数。',
    },
    standard: {
      code: 'autm',
      reference: {
        zh: 'AUTM 许可活动调查：新成立初创企业（Start-ups formed），按入孵计',
        en: 'AUTM Licensing Activity Survey: start-up companies formed (counted at entry to incubation)',
      },
    },
    dimensions: INCUBATION,
  },
  'incubation.graduated': {
    id: 'incubation.graduated',
    kind: 'incubation',
    group: 'incubation',
    dateColumn: 'graduated_on',
    aggregate: { fn: 'count' },
    unit: 'count',
    temporality: 'flow',
    name: { en: 'Projects graduated', zh: '毕业项目数' },
    definition: {
      en: 'Projects that graduated from incubation in the period, counted on the graduation date.',
      zh: '期内从孵化器毕业的项目数，按毕业日期计。',
    },
    standard: {
      code: 'ec-kti',
      reference: {
        zh: '欧盟委员会知识转移核心指标：衍生企业（Spin-offs）',
        en: 'European Commission knowledge-transfer core indicators: spin-offs created',
      },
    },
    dimensions: INCUBATION,
  },
  'incubation.funding': {
    id: 'incubation.funding',
    kind: 'incubation',
    group: 'incubation',
    dateColumn: 'entered_on',
    aggregate: { fn: 'sum', column: 'funding_cny' },
    unit: 'cny',
    temporality: 'flow',
    name: { en: 'Funding raised', zh: '融资额' },
    definition: {
      en: 'Funding raised to date, in yuan, by the projects that entered incubation in the period.',
      zh: '期内入孵项目截至目前累计获得的融资额（元）。',
    },
    standard: ALLIANCE('按入孵批次归集的累计融资额', 'cumulative funding of each entry cohort'),
    dimensions: INCUBATION,
    cohort: true,
  },
  'incubation.jobs': {
    id: 'incubation.jobs',
    kind: 'incubation',
    group: 'incubation',
    dateColumn: 'entered_on',
    aggregate: { fn: 'sum', column: 'jobs' },
    // People employed: counted in 人, like the joint-training figures.
    unit: 'people',
    temporality: 'flow',
    name: { en: 'Jobs created', zh: '带动就业人数' },
    definition: {
      en: 'Jobs created to date by the projects that entered incubation in the period.',
      zh: '期内入孵项目截至目前带动的就业岗位数。',
    },
    standard: ALLIANCE('按入孵批次归集的就业岗位数', 'jobs of each entry cohort'),
    dimensions: INCUBATION,
    cohort: true,
  },
  'incubation.portfolio': {
    id: 'incubation.portfolio',
    kind: 'incubation',
    group: 'incubation',
    dateColumn: 'entered_on',
    aggregate: { fn: 'count' },
    unit: 'count',
    temporality: 'stock',
    held: { from: 'entered_on', until: ['graduated_on', 'closed_on'] },
    name: { en: 'Projects in incubation', zh: '在孵项目数' },
    definition: {
      en: 'Projects in incubation on the last day of the period: entered by then, and neither graduated nor closed by then. A project closed later still counts in the periods before its closing date.',
      zh: '期末在孵的项目数：期末前已入孵，且期末时尚未毕业、未终止；后来终止的项目仍计入其终止日期之前的各期。',
    },
    standard: ALLIANCE('期末在孵项目存量', 'projects in incubation at the end of the period'),
    dimensions: INCUBATION,
  },
  'talent.trainees': {
    id: 'talent.trainees',
    kind: 'talent',
    group: 'talent',
    dateColumn: 'started_on',
    aggregate: { fn: 'sum', column: 'trainees' },
    unit: 'people',
    temporality: 'flow',
    name: { en: 'People in joint training', zh: '联合培养人数' },
    definition: {
      en: 'People enrolled in the joint-training cohorts that started in the period, technology-transfer managers included.',
      zh: '期内开班的联合培养项目招收人数（含技术经理人）。',
    },
    standard: ALLIANCE('按开班日期计的联合培养招收人数', 'enrolment of joint-training cohorts by start date'),
    dimensions: TALENT,
  },
  'talent.graduates': {
    id: 'talent.graduates',
    kind: 'talent',
    group: 'talent',
    dateColumn: 'completed_on',
    aggregate: { fn: 'sum', column: 'graduates' },
    unit: 'people',
    temporality: 'flow',
    name: { en: 'People who completed joint training', zh: '联合培养结业人数' },
    definition: {
      en: 'People who completed joint-training cohorts in the period, counted on the day each cohort completed (cohorts still running count none).',
      zh: '期内结业的联合培养人数，按各批次结业日期计（尚未结业的批次不计）。',
    },
    standard: ALLIANCE('按结业日期计的联合培养结业人数', 'completions of joint training, by completion date'),
    dimensions: TALENT,
  },
  'credits.credits': {
    id: 'credits.credits',
    kind: 'credit',
    group: 'credit',
    dateColumn: 'recognized_on',
    aggregate: { fn: 'sum', column: 'credits' },
    unit: 'credits',
    temporality: 'flow',
    name: { en: 'Credits recognised', zh: '互认学分' },
    definition: {
      en: 'Course credits that a member university recognised in the period for courses its students took at another member.',
      zh: '期内成员高校为本校学生在其他成员高校修读课程认定的学分总数。',
    },
    standard: ALLIANCE('学分互认：按认定日期计的认定学分', 'mutual credit recognition: credits recognised, by recognition date'),
    dimensions: CREDIT,
  },
  'credits.students': {
    id: 'credits.students',
    kind: 'credit',
    group: 'credit',
    dateColumn: 'recognized_on',
    aggregate: { fn: 'sum', column: 'students' },
    unit: 'people',
    temporality: 'flow',
    name: { en: 'Students with credits recognised', zh: '学分互认学生人次' },
    definition: {
      en: 'Students whose credits for a course taken at another member were recognised in the period, counted once per course.',
      zh: '期内在其他成员高校修读课程并获学分认定的学生人次（按课程计）。',
    },
    standard: ALLIANCE('学分互认学生人次', 'mutual credit recognition: students, once per course'),
    dimensions: CREDIT,
  },
};

export const MEASURE_LIST: readonly MeasureDef[] = Object.values(MEASURES);

/** The labelled values of the enumerated dimensions. */
export const DIMENSION_VALUES = {
  mode: TRANSFER_MODES,
  mode_group: ['transformation', 'technical_services'],
  value_band: ['under_1m', '1m_to_10m', '10m_to_100m', '100m_and_over'],
  stage: INCUBATION_STAGES,
  level: TALENT_LEVELS,
} as const;

export const VALUE_LABELS: Readonly<Record<string, Bilingual>> = {
  transfer: { en: 'Transfer', zh: '转让' },
  license: { en: 'License', zh: '许可' },
  equity: { en: 'Equity investment', zh: '作价投资' },
  development: { en: 'Development', zh: '技术开发' },
  consulting: { en: 'Consulting', zh: '技术咨询' },
  service: { en: 'Service', zh: '技术服务' },
  transformation: { en: 'Transformation of achievements (transfer, license, equity)', zh: '成果转化（转让、许可、作价投资）' },
  technical_services: { en: 'Technical services (development, consulting, service)', zh: '技术服务（开发、咨询、服务）' },
  under_1m: { en: 'Under 1 million yuan', zh: '100万元以下' },
  '1m_to_10m': { en: '1–10 million yuan', zh: '100万–1000万元' },
  '10m_to_100m': { en: '10–100 million yuan', zh: '1000万–1亿元' },
  '100m_and_over': { en: '100 million yuan and over', zh: '1亿元及以上' },
  incubating: { en: 'Incubating', zh: '在孵' },
  graduated: { en: 'Graduated', zh: '已毕业' },
  closed: { en: 'Closed', zh: '已终止' },
  undergraduate: { en: 'Undergraduate', zh: '本科生' },
  master: { en: "Master's", zh: '硕士研究生' },
  doctoral: { en: 'Doctoral', zh: '博士研究生' },
  tech_manager: { en: 'Technology-transfer managers', zh: '技术经理人' },
  other: { en: 'Other', zh: '其他' },
};

export interface DimensionDef {
  id: DimensionId;
  name: Bilingual;
  /** Codes checked against a dimension table, or a fixed list of values, or a period. */
  domain: 'university' | 'region' | 'field' | 'enum' | 'period';
}

export const DIMENSIONS: Readonly<Record<DimensionId, DimensionDef>> = {
  university: { id: 'university', name: { en: 'University', zh: '高校' }, domain: 'university' },
  region: { id: 'region', name: { en: 'Province', zh: '省市' }, domain: 'region' },
  partner_university: { id: 'partner_university', name: { en: 'Partner university', zh: '合作高校' }, domain: 'university' },
  year: { id: 'year', name: { en: 'Year', zh: '年份' }, domain: 'period' },
  quarter: { id: 'quarter', name: { en: 'Quarter', zh: '季度' }, domain: 'period' },
  month: { id: 'month', name: { en: 'Month', zh: '月份' }, domain: 'period' },
  mode: { id: 'mode', name: { en: 'Mode', zh: '转化方式' }, domain: 'enum' },
  mode_group: { id: 'mode_group', name: { en: 'Mode group', zh: '合同类别' }, domain: 'enum' },
  value_band: { id: 'value_band', name: { en: 'Contract value band', zh: '合同金额区间' }, domain: 'enum' },
  partner_region: { id: 'partner_region', name: { en: 'Partner region', zh: '合作方地区' }, domain: 'region' },
  field: { id: 'field', name: { en: 'Technology field', zh: '技术领域' }, domain: 'field' },
  stage: { id: 'stage', name: { en: 'Stage', zh: '孵化阶段' }, domain: 'enum' },
  level: { id: 'level', name: { en: 'Level', zh: '培养层次' }, domain: 'enum' },
};

/** Which column of each fact table holds the partner university (a payment's: its contract's, in `payment_fact`). */
export const PARTNER_COLUMN: Readonly<Record<FactKind, string>> = {
  tech_transfer: 'co_university_code',
  payment: 'co_university_code',
  incubation: 'partner_university_code',
  talent: 'partner_university_code',
  credit: 'host_university_code',
};

/** Measures that have a partner dimension: the ones the collaboration matrix can show. */
export const PARTNER_MEASURES: readonly MeasureId[] = MEASURE_LIST.filter((m) => m.dimensions.includes('partner_university')).map(
  (m) => m.id,
);

export const STANDARDS: Readonly<Record<Standard['code'], Bilingual>> = {
  'cn-annual-report': {
    en: 'China annual report on the transformation of scientific and technological achievements',
    zh: '《中国科技成果转化年度报告》',
  },
  autm: { en: 'AUTM Licensing Activity Survey', zh: 'AUTM 许可活动调查' },
  'ec-kti': { en: 'European Commission knowledge-transfer core indicators', zh: '欧盟委员会知识转移核心指标' },
  alliance: {
    en: 'Alliance definition: figures with no published standard (joint training, credit recognition, cohort views)',
    zh: '联盟自定义口径：无公开标准的指标（联合培养、学分互认、按批次归集的指标）',
  },
};
