import { type RawBuilder, type Selectable, sql } from 'kysely';
import type {
  CapacityTable,
  CreditTable,
  FactKind,
  IncubationTable,
  PaymentTable,
  TalentTable,
  TechTransferTable,
  TransferMode,
} from '../db/schema.js';
import { COMPANY_STAKES, FACT_KINDS, INCUBATION_STAGES, TALENT_LEVELS, TRANSFER_MODES } from '../db/schema.js';
import { DIMENSION_IDS, type DimensionId, isTimeDimension } from '../../contract/dimension-ids.js';
import { MEASURE_IDS, type MeasureGroup, type MeasureId } from '../../contract/measure-ids.js';

export {
  DIMENSION_IDS,
  type DimensionId,
  FILTER_DIMENSIONS,
  type FilterDimension,
  isTimeDimension,
  TIME_DIMENSIONS,
  type TimeDimension,
} from '../../contract/dimension-ids.js';

/**
 * The semantic layer: every measure and every dimension of the dashboard, named once. Every
 * chart, card, table, report and CSV is a query of this registry (see `compile.ts`); nothing
 * else writes KPI SQL.
 */

/** `ratio`: a share (0.25 is 25%). */
export type { Unit } from '../../contract/kpi.js';
import type { Unit } from '../../contract/kpi.js';

import type { Bilingual, Standard } from '../../contract/schemas/meta.js';

export type { Bilingual, Standard };

/** A payment as the measures read it: with its contract's dimensions (the view `payment_fact`, sql/0016). */
export interface PaymentFactView
  extends PaymentTable,
    Pick<TechTransferTable, 'co_university_code' | 'mode' | 'partner_region_code' | 'field_code' | 'contract_value_cny'> {}

/**
 * A capacity snapshot as the measures read it: with the day the next snapshot of its university
 * replaces it (the view `capacity_fact`, sql/0018; null for the latest).
 */
export interface CapacityFactView extends CapacityTable {
  superseded_on: string | null;
}

/** The rows each kind's measures read, typed as the database has them. */
export interface FactRows {
  tech_transfer: TechTransferTable;
  payment: PaymentFactView;
  incubation: IncubationTable;
  talent: TalentTable;
  credit: CreditTable;
  capacity: CapacityFactView;
}
export type FactColumn<K extends FactKind> = keyof FactRows[K] & string;
/** A kind's date columns (every one is named `…_on`). */
export type DateColumn<K extends FactKind> = Extract<FactColumn<K>, `${string}_on`>;
/** A kind's numeric columns that a measure may sum: its figures, not its keys. */
export type NumericColumn<K extends FactKind> = Exclude<
  { [C in FactColumn<K>]: Selectable<FactRows[K]>[C & keyof Selectable<FactRows[K]>] extends number ? C : never }[FactColumn<K>],
  'id' | 'created_by' | 'updated_by'
>;

/**
 * How a stock holds a record: from its `from` date (inclusive) until the first of its `until`
 * dates (exclusive; a record with none is still held). Projects in incubation: from entry until
 * graduation or closure.
 */
export interface Held<K extends FactKind = FactKind> {
  from: DateColumn<K>;
  until: readonly DateColumn<K>[];
  /**
   * A stock of snapshots: on a day, each university holds its latest record dated on or before it
   * (`until` is then the next one's date, from a view). Read per university and day through the
   * table's index on (university_code, from), so many snapshots cost a lookup each, not a join of
   * every snapshot with every period.
   */
  latest?: { table: K };
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
export { MEASURE_GROUPS, type MeasureGroup } from '../../contract/measure-ids.js';

/** A measure as it is declared: its columns typed against its kind's rows. */
interface MeasureInput<K extends FactKind> {
  id: MeasureId;
  /** The records the measure counts (and a drill-down lists). */
  kind: K;
  /** The block it is shown in. */
  group: MeasureGroup;
  /** The date a record counts on. */
  dateColumn: DateColumn<K>;
  /** `count` of records, or `sum` of a column. */
  aggregate: { fn: 'count' } | { fn: 'sum'; column: NumericColumn<K> };
  unit: Unit;
  name: Bilingual;
  definition: Bilingual;
  standard: Standard;
  /**
   * Counted to date on the records dated in the period (funding raised so far by a cohort of
   * projects, cash received so far on the contracts signed): a past period's figure keeps growing,
   * so its change against an earlier period is not like for like, and the dashboard says so.
   */
  cohort?: true;
  /**
   * Moved by records dated after the period (cash received to date grows with payments, each dated
   * on its own day): a figure of it draws on every period from its range's first day up to today, so
   * it is final only once they all are (docs/reporting-cycle.md, "Status of figures").
   */
  toDate?: true;
  /** `false`: the measure takes no yearly target (a level, or a figure that keeps changing after its year). */
  targeted?: false;
  /** `false`: the commission report leaves it out (it is no figure of the national report, and it keeps changing). */
  reported?: false;
}

/** A flow is summed over the period; a stock is its level at the end of the period. */
type Temporality<K extends FactKind> = { temporality: 'flow' } | { temporality: 'stock'; held: Held<K> };

/**
 * A ratio of two measures of the same records and date: the sum of the numerator over a group
 * divided by the sum of the denominator over it (never an average of averages), rounded to
 * `decimals` places; no figure where the denominator is 0. Never summed over groups.
 */
export interface RatioAggregate {
  fn: 'ratio';
  numerator: MeasureId;
  denominator: MeasureId;
  decimals: number;
}

/** A measure as the compiler reads it, with the dimensions its kind has. */
export type MeasureDef = Omit<MeasureInput<FactKind>, 'dateColumn' | 'aggregate' | 'unit'> & {
  unit: Unit;
  dateColumn: string;
  aggregate: { fn: 'count' } | { fn: 'sum'; column: string } | RatioAggregate;
  dimensions: readonly DimensionId[];
} & ({ temporality: 'flow' } | { temporality: 'stock'; held: Held });

/** A ratio as it is declared: its two measures, and what it shows. */
interface RatioInput
  extends Pick<MeasureInput<FactKind>, 'id' | 'group' | 'name' | 'definition' | 'standard' | 'cohort' | 'reported'> {
  numerator: MeasureDef;
  denominator: MeasureDef;
  unit: 'cny' | 'ratio';
  decimals: number;
}

/** Declares a ratio: its records, date and dimensions are those its two flows share. */
function ratio(input: RatioInput): MeasureDef {
  const { numerator, denominator, decimals, ...rest } = input;
  if (
    numerator.kind !== denominator.kind ||
    numerator.dateColumn !== denominator.dateColumn ||
    numerator.temporality !== 'flow' ||
    denominator.temporality !== 'flow'
  )
    throw new Error(`ratio ${input.id}: its measures must be flows of the same records and date`);
  return {
    ...rest,
    kind: numerator.kind,
    dateColumn: numerator.dateColumn,
    aggregate: { fn: 'ratio', numerator: numerator.id, denominator: denominator.id, decimals },
    temporality: 'flow',
    dimensions: numerator.dimensions,
    // Moved by later records when either of its measures is.
    ...(numerator.toDate || denominator.toDate ? { toDate: true as const } : {}),
    // A ratio is no output to plan a year's target for.
    targeted: false,
  };
}

export const isRatio = (def: MeasureDef): def is MeasureDef & { aggregate: RatioAggregate } => def.aggregate.fn === 'ratio';

/** Declares a measure: its columns checked against its kind's rows, its dimensions those its kind has. */
function measure<K extends FactKind>(input: MeasureInput<K> & Temporality<K>): MeasureDef {
  return { ...input, dimensions: dimensionsOf(input.kind) } as MeasureDef;
}

/** The modes whose contracts transform achievements (转让、许可、作价投资); the rest are technical services. */
export const TRANSFORMATION_MODES: readonly TransferMode[] = ['transfer', 'license', 'equity'];
export const MODE_GROUPS = ['transformation', 'technical_services'] as const;

/** The contract value bands, each below its bound in yuan (the last has none). */
export const VALUE_BANDS = [
  { code: 'under_1m', below: 1_000_000 },
  { code: '1m_to_10m', below: 10_000_000 },
  { code: '10m_to_100m', below: 100_000_000 },
  { code: '100m_and_over', below: null },
] as const;

/** The value band of a contract value (`column`), as SQL text: for the generated migrations. */
export function valueBandSqlText(column: string): string {
  const bounded = VALUE_BANDS.flatMap((b) => (b.below === null ? [] : [`  when ${column} < ${b.below} then '${b.code}'`]));
  return `case\n${bounded.join('\n')}\n  else '${VALUE_BANDS[VALUE_BANDS.length - 1]!.code}' end`;
}

/** What a dimension's key is built from: its column (alias `f`), and the measure's date for the time dimensions. */
export interface KeyContext {
  column: RawBuilder<unknown>;
  date: RawBuilder<unknown>;
  /** Whether it is read from a rollup, which keeps some keys (the value band) as keys of their own. */
  rollup: boolean;
}

/** The columns of each kind that hold a dimension; a kind that has none does not have the dimension. */
type KindColumns = { readonly [K in FactKind]?: FactColumn<K> };

export interface DimensionDef {
  id: DimensionId;
  name: Bilingual;
  /** Codes checked against a dimension table, or a fixed list of values, or a period. */
  domain: 'university' | 'region' | 'field' | 'enum' | 'period';
  /** The values of an enumerated dimension, labelled in `VALUE_LABELS`. */
  values?: readonly string[];
  /** Where each kind holds it; `date` for the time dimensions, which read each measure's own date. */
  columns: KindColumns | 'date';
  /** The rollup key it is kept under when that is not its column (a contract's value band). */
  rollupKey?: string;
  /** Whether its key reads the university table (alias `u`). */
  joinsUniversity?: true;
  /** Its key over the facts or a rollup (alias `f`); by default the column itself. */
  key?: (context: KeyContext) => RawBuilder<unknown>;
}

const every = <C extends string>(column: C) =>
  Object.fromEntries(FACT_KINDS.map((kind) => [kind, column])) as { readonly [K in FactKind]: C };
const contracts = <C extends FactColumn<'tech_transfer'> & FactColumn<'payment'>>(column: C) =>
  ({ tech_transfer: column, payment: column }) as const;

export const DIMENSIONS: Readonly<Record<DimensionId, DimensionDef>> = {
  university: {
    id: 'university',
    name: { en: 'University', zh: '高校' },
    domain: 'university',
    columns: every('university_code'),
  },
  region: {
    id: 'region',
    name: { en: 'Province', zh: '省市' },
    domain: 'region',
    columns: every('university_code'),
    joinsUniversity: true,
    key: () => sql`u.region_code`,
  },
  partner_university: {
    id: 'partner_university',
    name: { en: 'Partner university', zh: '合作高校' },
    domain: 'university',
    columns: {
      tech_transfer: 'co_university_code',
      payment: 'co_university_code',
      incubation: 'partner_university_code',
      talent: 'partner_university_code',
      credit: 'host_university_code',
    },
  },
  year: {
    id: 'year',
    name: { en: 'Year', zh: '年份' },
    domain: 'period',
    columns: 'date',
    key: ({ date }) => sql`extract(year from ${date})::int`,
  },
  quarter: {
    id: 'quarter',
    name: { en: 'Quarter', zh: '季度' },
    domain: 'period',
    columns: 'date',
    key: ({ date }) => sql`to_char(${date}, 'YYYY') || '-Q' || to_char(${date}, 'Q')`,
  },
  month: {
    id: 'month',
    name: { en: 'Month', zh: '月份' },
    domain: 'period',
    columns: 'date',
    key: ({ date }) => sql`to_char(${date}, 'YYYY-MM')`,
  },
  mode: { id: 'mode', name: { en: 'Mode', zh: '转化方式' }, domain: 'enum', values: TRANSFER_MODES, columns: contracts('mode') },
  mode_group: {
    id: 'mode_group',
    name: { en: 'Mode group', zh: '合同类别' },
    domain: 'enum',
    values: MODE_GROUPS,
    columns: contracts('mode'),
    key: ({ column }) =>
      sql`case when ${column} in (${sql.join(TRANSFORMATION_MODES.map((m) => sql.lit(m)))}) then 'transformation' else 'technical_services' end`,
  },
  value_band: {
    id: 'value_band',
    name: { en: 'Contract value band', zh: '合同金额区间' },
    domain: 'enum',
    values: VALUE_BANDS.map((b) => b.code),
    columns: contracts('contract_value_cny'),
    // A band is a property of each contract: a rollup keeps it as a key of its own.
    rollupKey: 'value_band',
    key: ({ column, rollup }) =>
      rollup
        ? sql`f.value_band`
        : sql`case ${sql.join(
            VALUE_BANDS.map((b) =>
              b.below === null ? sql`else ${sql.lit(b.code)}` : sql`when ${column} < ${sql.lit(b.below)} then ${sql.lit(b.code)}`,
            ),
            sql` `,
          )} end`,
  },
  partner_region: {
    id: 'partner_region',
    name: { en: 'Partner region', zh: '合作方地区' },
    domain: 'region',
    columns: contracts('partner_region_code'),
  },
  field: {
    id: 'field',
    name: { en: 'Technology field', zh: '技术领域' },
    domain: 'field',
    columns: { ...contracts('field_code'), incubation: 'field_code' },
  },
  stage: {
    id: 'stage',
    name: { en: 'Stage', zh: '孵化阶段' },
    domain: 'enum',
    values: INCUBATION_STAGES,
    columns: { incubation: 'stage' },
  },
  level: {
    id: 'level',
    name: { en: 'Level', zh: '培养层次' },
    domain: 'enum',
    values: TALENT_LEVELS,
    columns: { talent: 'level' },
  },
  company_stake: {
    id: 'company_stake',
    name: { en: "University's stake in the company", zh: '公司持股方式' },
    domain: 'enum',
    values: COMPANY_STAKES,
    columns: { incubation: 'company_stake' },
  },
};

/** The column of a kind that holds a dimension; null for the time dimensions (and a kind without it). */
export function dimensionColumn(dimension: DimensionId, kind: FactKind): string | null {
  const { columns } = DIMENSIONS[dimension];
  return columns === 'date' ? null : (columns[kind] ?? null);
}

/** The dimensions a kind's measures have, in the registry's order. */
export function dimensionsOf(kind: FactKind): readonly DimensionId[] {
  return DIMENSION_IDS.filter((id) => isTimeDimension(id) || dimensionColumn(id, kind) !== null);
}

/** The labelled values of the enumerated dimensions. */
export const DIMENSION_VALUES = Object.fromEntries(
  Object.values(DIMENSIONS).flatMap((d) => (d.values ? [[d.id, d.values]] : [])),
) as Readonly<Record<'mode' | 'mode_group' | 'value_band' | 'stage' | 'level' | 'company_stake', readonly string[]>>;

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

/** A capacity snapshot is held from its day until the next snapshot of its university (`capacity_fact`). */
const SNAPSHOT: Held<'capacity'> = { from: 'snapshot_on', until: ['superseded_on'], latest: { table: 'capacity' } };

const ADDITIVE = {
  'tech_transfer.contracts': measure({
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
  }),
  'tech_transfer.contract_value': measure({
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
  }),
  'tech_transfer.received': measure({
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
  }),
  'tech_transfer.received_to_date': measure({
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
    cohort: true,
    toDate: true,
    // It keeps changing after its year (cash received in the year is targeted and reported).
    targeted: false,
    reported: false,
  }),
  'tech_transfer.reward_cash': measure({
    id: 'tech_transfer.reward_cash',
    kind: 'tech_transfer',
    group: 'tech_transfer',
    dateColumn: 'rewarded_on',
    aggregate: { fn: 'sum', column: 'reward_cash_cny' },
    unit: 'cny',
    temporality: 'flow',
    name: { en: 'Cash rewards to individuals', zh: '现金奖励' },
    definition: {
      en: 'Cash rewarded in the period, in yuan, to the individuals who made the achievements transformed, counted on the day each reward was granted, whatever year its contract was signed in.',
      zh: '期内给予成果完成人和为成果转化作出重要贡献人员的现金奖励（元），按奖励日期计入，不论合同签订于哪一年。',
    },
    standard: CN_REPORT('现金奖励金额', 'cash rewards to individuals'),
    // Paid out of what the contracts bring: a consequence of the income, not an output to plan.
    targeted: false,
  }),
  'tech_transfer.reward_equity': measure({
    id: 'tech_transfer.reward_equity',
    kind: 'tech_transfer',
    group: 'tech_transfer',
    dateColumn: 'rewarded_on',
    aggregate: { fn: 'sum', column: 'reward_equity_cny' },
    unit: 'cny',
    temporality: 'flow',
    name: { en: 'Equity rewards to individuals', zh: '股权奖励' },
    definition: {
      en: 'Equity rewarded in the period to those individuals, valued in yuan, counted on the day each reward was granted.',
      zh: '期内给予上述人员的股权奖励（按折算金额计，元），按奖励日期计入。',
    },
    standard: CN_REPORT('股权奖励金额', 'equity rewards to individuals'),
    targeted: false,
  }),
  'tech_transfer.rewarded_people': measure({
    id: 'tech_transfer.rewarded_people',
    kind: 'tech_transfer',
    group: 'tech_transfer',
    dateColumn: 'rewarded_on',
    aggregate: { fn: 'sum', column: 'rewarded_people' },
    unit: 'people',
    temporality: 'flow',
    name: { en: 'People rewarded', zh: '奖励人次' },
    definition: {
      en: 'People rewarded in the period, counted once per contract they were rewarded on (person-times), on the day each reward was granted.',
      zh: '期内获得奖励的人次（同一人因不同合同获奖分别计），按奖励日期计入。',
    },
    standard: CN_REPORT('奖励人次', 'individuals rewarded (person-times)'),
    targeted: false,
  }),
  'incubation.entered': measure({
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
  }),
  'incubation.graduated': measure({
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
  }),
  'incubation.funding': measure({
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
    cohort: true,
  }),
  'incubation.jobs': measure({
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
    cohort: true,
  }),
  'incubation.portfolio': measure({
    id: 'incubation.portfolio',
    kind: 'incubation',
    group: 'incubation',
    dateColumn: 'entered_on',
    aggregate: { fn: 'count' },
    unit: 'count',
    temporality: 'stock',
    held: { from: 'entered_on', until: ['graduated_on', 'closed_on'] },
    // A level, not an output of the year.
    targeted: false,
    name: { en: 'Projects in incubation', zh: '在孵项目数' },
    definition: {
      en: 'Projects in incubation on the last day of the period: entered by then, and neither graduated nor closed by then. A project closed later still counts in the periods before its closing date.',
      zh: '期末在孵的项目数：期末前已入孵，且期末时尚未毕业、未终止；后来终止的项目仍计入其终止日期之前的各期。',
    },
    standard: ALLIANCE('期末在孵项目存量', 'projects in incubation at the end of the period'),
  }),
  'incubation.companies': measure({
    id: 'incubation.companies',
    kind: 'incubation',
    group: 'incubation',
    dateColumn: 'company_registered_on',
    aggregate: { fn: 'count' },
    unit: 'count',
    temporality: 'flow',
    name: { en: 'Companies created or held', zh: '创设和参股公司数' },
    definition: {
      en: 'Companies registered in the period by projects of the member incubators that the university founded (创设) or holds shares in (参股), counted once per project on the day the company was registered. Counted from the incubation records, not from the equity-investment contracts (one company may take several contracts). Split by the university’s stake.',
      zh: '期内成员高校孵化项目注册成立、由高校创设或参股的公司数，按公司注册日期计，每个项目计一家；依据孵化项目记录统计，而非作价投资合同（同一公司可能对应多份合同）；可按持股方式（创设、参股）细分。',
    },
    standard: CN_REPORT('创设和参股公司数', 'companies created or held through the transformation of achievements'),
  }),
  'talent.trainees': measure({
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
  }),
  'talent.graduates': measure({
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
  }),
  'credits.credits': measure({
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
  }),
  'credits.students': measure({
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
  }),
  'capacity.transfer_offices': measure({
    id: 'capacity.transfer_offices',
    kind: 'capacity',
    group: 'capacity',
    dateColumn: 'snapshot_on',
    aggregate: { fn: 'sum', column: 'transfer_offices' },
    unit: 'count',
    temporality: 'stock',
    held: SNAPSHOT,
    targeted: false,
    name: { en: 'Technology-transfer offices', zh: '技术转移机构数' },
    definition: {
      en: 'Dedicated technology-transfer offices (技术转移机构) of the member universities at the end of the period. Each university’s last snapshot on or before the last day of the period, summed over universities (never over time).',
      zh: '期末成员高校设立的专门技术转移机构数。取各高校在期末及之前的最近一次填报，按高校加总（不跨时间累加）。',
    },
    standard: CN_REPORT('技术转移机构', 'technology-transfer offices'),
  }),
  'capacity.staff': measure({
    id: 'capacity.staff',
    kind: 'capacity',
    group: 'capacity',
    dateColumn: 'snapshot_on',
    aggregate: { fn: 'sum', column: 'staff' },
    unit: 'people',
    temporality: 'stock',
    held: SNAPSHOT,
    targeted: false,
    name: { en: 'Full-time technology-transfer staff', zh: '专职人员数' },
    definition: {
      en: 'Full-time technology-transfer staff (专职人员) at the end of the period. Each university’s last snapshot on or before the last day of the period, summed over universities (never over time).',
      zh: '期末技术转移机构专职从事科技成果转化工作的人员数。取各高校在期末及之前的最近一次填报，按高校加总（不跨时间累加）。',
    },
    standard: CN_REPORT('专职人员', 'full-time transfer staff'),
  }),
  'capacity.tech_managers': measure({
    id: 'capacity.tech_managers',
    kind: 'capacity',
    group: 'capacity',
    dateColumn: 'snapshot_on',
    aggregate: { fn: 'sum', column: 'tech_managers' },
    unit: 'people',
    temporality: 'stock',
    held: SNAPSHOT,
    targeted: false,
    name: { en: 'Technology managers', zh: '技术经理人数' },
    definition: {
      en: 'Technology managers (技术经理人) at the end of the period. Each university’s last snapshot on or before the last day of the period, summed over universities (never over time).',
      zh: '期末技术转移机构中的技术经理人数。取各高校在期末及之前的最近一次填报，按高校加总（不跨时间累加）。',
    },
    standard: CN_REPORT('技术经理人', 'technology managers'),
  }),
  'capacity.co_built': measure({
    id: 'capacity.co_built',
    kind: 'capacity',
    group: 'capacity',
    dateColumn: 'snapshot_on',
    aggregate: { fn: 'sum', column: 'co_built' },
    unit: 'count',
    temporality: 'stock',
    held: SNAPSHOT,
    targeted: false,
    name: { en: 'Co-built transfer institutions', zh: '共建机构数' },
    definition: {
      en: 'Transfer institutions co-built with local governments or companies (共建机构) at the end of the period. Each university’s last snapshot on or before the last day of the period, summed over universities (never over time).',
      zh: '期末与地方政府、企业等共建的技术转移机构数。取各高校在期末及之前的最近一次填报，按高校加总（不跨时间累加）。',
    },
    standard: CN_REPORT('共建技术转移机构', 'transfer institutions co-built with governments or companies'),
  }),
} satisfies Partial<Record<MeasureId, MeasureDef>>;

export const MEASURES: Readonly<Record<MeasureId, MeasureDef>> = {
  ...ADDITIVE,
  'tech_transfer.average_value': ratio({
    id: 'tech_transfer.average_value',
    group: 'tech_transfer',
    numerator: ADDITIVE['tech_transfer.contract_value'],
    denominator: ADDITIVE['tech_transfer.contracts'],
    unit: 'cny',
    decimals: 2,
    name: { en: 'Average contract value', zh: '平均合同金额' },
    definition: {
      en: 'Contract value divided by the number of contracts signed in the period, over the same group (never an average of averages), in yuan.',
      zh: '期内签订合同的合同金额除以合同项数（元），按同一分组的合计计算，不对平均数再平均。',
    },
    standard: CN_REPORT('平均合同金额', 'average contract value'),
  }),
  'tech_transfer.collection_rate': ratio({
    id: 'tech_transfer.collection_rate',
    group: 'tech_transfer',
    numerator: ADDITIVE['tech_transfer.received_to_date'],
    denominator: ADDITIVE['tech_transfer.contract_value'],
    unit: 'ratio',
    decimals: 4,
    name: { en: 'Collection rate of contracts signed', zh: '期内签订合同到账率' },
    definition: {
      en: 'Cash received to date on the contracts signed in the period, divided by their contract value. It grows as payments arrive, so a past period changes.',
      zh: '期内签订合同截至目前的累计到账金额除以其合同金额；随后续到账而变化。',
    },
    standard: ALLIANCE(
      '按签订批次计算的到账率（累计到账金额 ÷ 合同金额）',
      'collection rate of each signing cohort (cash received to date ÷ contract value)',
    ),
    cohort: true,
    // It keeps changing after its period, like the cash received to date it divides.
    reported: false,
  }),
};

/** The measures in the order of `MEASURE_IDS`: the order every list shows them in. */
export const MEASURE_LIST: readonly MeasureDef[] = MEASURE_IDS.map((id) => MEASURES[id]);

/**
 * The measures of the commission report: those the registry does not leave out. A submitted report
 * then changes only by revisions dated inside its period.
 */
export const REPORT_MEASURES: readonly MeasureId[] = MEASURE_LIST.filter((m) => m.reported !== false).map((m) => m.id);

/** Measures that take yearly targets. */
export const TARGETED_MEASURES: readonly MeasureId[] = MEASURE_LIST.filter((m) => m.targeted !== false).map((m) => m.id);

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
  founded: { en: 'Founded by the university', zh: '创设' },
  shareholder: { en: 'Shares held by the university', zh: '参股' },
};

/** Measures that have a partner dimension: the ones the collaboration matrix can show. */
export const PARTNER_MEASURES: readonly MeasureId[] = MEASURE_LIST.filter(
  (m) => m.dimensions.includes('partner_university') && !isRatio(m),
).map((m) => m.id);

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
