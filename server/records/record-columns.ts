import { COMPANY_STAKES, FACT_KINDS, type FactKind, INCUBATION_STAGES, TALENT_LEVELS, TRANSFER_MODES } from '../db/schema.js';

/**
 * The columns of each kind of record, named once: the JSON of the records API, the header of
 * the CSV export and import (English, or Chinese with lang=zh), and docs/csv.md all come from here.
 */
export type ColumnType =
  | 'code'
  | 'optional_code'
  | 'text'
  | 'date'
  | 'optional_date'
  | 'money'
  | 'count'
  | 'credits'
  | 'enum'
  | 'optional_enum'
  | 'term';

/**
 * The largest amount one record may hold, in yuan: 10 trillion (10^15 fen, below 2^53, so every
 * amount is exact to the fen as a JavaScript number; numeric(16,2) holds it). No contract comes
 * near it. The schemas, the API document, docs/csv.md and the problem message all say this one.
 */
export const MAX_MONEY_CNY = 10_000_000_000_000;
/** The largest number of credits one record may hold. */
export const MAX_CREDITS = 999_999_999.9;
/** The largest count one record may hold (a PostgreSQL integer). */
export const MAX_COUNT = 2_147_483_647;

/** A limit as people read it: 10,000,000,000,000. */
export const formatLimit = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export interface ColumnSpec {
  name: string;
  zh: string;
  type: ColumnType;
  /** What the column holds, for the documentation. */
  description: string;
  /** Allowed values of an `enum` or `optional_enum` column. */
  values?: readonly string[];
  /** Which dimension table a code must exist in. */
  domain?: 'university' | 'region' | 'field';
  maxLength?: number;
  /** A money column that must be above 0, not just 0 or more. */
  positive?: boolean;
  /**
   * Kept by the database from other records, never written: shown in the API and in exports,
   * ignored in an imported file (so an export can be imported back), refused in a JSON body.
   * The text says where the value comes from.
   */
  derived?: string;
  /**
   * The value of a column a file or a new record may leave out (a blank cell too): files written
   * before the column existed still import.
   */
  default?: string;
  example: string;
}

const university = (
  name: string,
  zh: string,
  description: string,
  optional = false,
  example = optional ? '' : 'USST',
): ColumnSpec => ({
  name,
  zh,
  type: optional ? 'optional_code' : 'code',
  domain: 'university',
  description,
  example,
});

const REF: ColumnSpec = {
  name: 'ref',
  zh: '编号',
  type: 'text',
  maxLength: 64,
  description:
    "The record's own reference, unique within its university: imports update the record with the same university and ref.",
  example: 'TT-USST-2024-00017',
};

export const KIND_COLUMNS: Readonly<Record<FactKind, readonly ColumnSpec[]>> = {
  tech_transfer: [
    university('university_code', '高校代码', 'The alliance university that signed the contract.'),
    REF,
    {
      name: 'mode',
      zh: '转化方式',
      type: 'enum',
      values: TRANSFER_MODES,
      description:
        'transfer (转让), license (许可), equity (作价投资), development (技术开发), consulting (技术咨询), service (技术服务).',
      example: 'license',
    },
    {
      name: 'partner_name',
      zh: '合作方名称',
      type: 'text',
      maxLength: 200,
      description: 'The company or body on the other side of the contract.',
      example: '苏州华创光电科技有限公司',
    },
    {
      name: 'partner_region_code',
      zh: '合作方地区',
      type: 'code',
      domain: 'region',
      description: 'Where the partner is: SH, JS, ZJ, AH, or OTHER outside the delta.',
      example: 'JS',
    },
    university(
      'co_university_code',
      '联合高校代码',
      'A second alliance university when the contract is joint; empty otherwise.',
      true,
    ),
    { name: 'field_code', zh: '技术领域', type: 'code', domain: 'field', description: 'The technology field.', example: 'OPTO' },
    {
      name: 'signed_on',
      zh: '签订日期',
      type: 'date',
      description: 'The day the contract was signed (YYYY-MM-DD).',
      example: '2024-06-28',
    },
    {
      name: 'contract_value_cny',
      zh: '合同金额（元）',
      type: 'money',
      description: 'Contract value in yuan, up to two decimals.',
      example: '1200000.00',
    },
    {
      name: 'received_cny',
      zh: '累计到账金额（元）',
      type: 'money',
      description:
        "Cash received to date in yuan: the sum of the contract's payments, kept by the database. Read only: an import ignores it; record payments instead.",
      derived: "the sum of the contract's payments: record a payment instead",
      example: '300000.00',
    },
    { name: 'patents', zh: '涉及专利数', type: 'count', description: 'Patents the contract covers.', example: '2' },
    {
      name: 'reward_cash_cny',
      zh: '现金奖励（元）',
      type: 'money',
      description:
        'Cash rewards to the individuals behind the achievement, in yuan (现金奖励). With the equity rewards, at most the contract value. May be left out: 0.',
      default: '0',
      example: '150000.00',
    },
    {
      name: 'reward_equity_cny',
      zh: '股权奖励（元）',
      type: 'money',
      description: 'Equity rewards to those individuals, valued in yuan (股权奖励). May be left out: 0.',
      default: '0',
      example: '0',
    },
    {
      name: 'rewarded_people',
      zh: '奖励人次',
      type: 'count',
      description:
        'How many people were rewarded (奖励人次): at least 1 when there is a reward, 0 when there is none. May be left out: 0.',
      default: '0',
      example: '3',
    },
    {
      name: 'rewarded_on',
      zh: '奖励日期',
      type: 'optional_date',
      description:
        'The day the rewards were granted, not before signing: required when there is a reward, empty when there is none. The reward figures count on it.',
      example: '2024-12-20',
    },
  ],
  payment: [
    university('university_code', '高校代码', 'The alliance university that signed the contract the payment is for.'),
    {
      ...REF,
      description:
        "The payment's own reference, unique within its university: imports update the payment with the same university and ref.",
      example: 'PAY-USST-2025-00042',
    },
    {
      name: 'contract_ref',
      zh: '合同编号',
      type: 'text',
      maxLength: 64,
      description: 'The ref of the technology contract (a tech_transfer record of the same university) the cash was received on.',
      example: 'TT-USST-2024-00017',
    },
    {
      name: 'received_on',
      zh: '到账日期',
      type: 'date',
      description: 'The day the cash was received (YYYY-MM-DD): not before the contract was signed.',
      example: '2025-03-10',
    },
    {
      name: 'amount_cny',
      zh: '到账金额（元）',
      type: 'money',
      positive: true,
      description:
        "The amount received in yuan, above 0, up to two decimals; all of a contract's payments together at most its contract value.",
      example: '300000.00',
    },
  ],
  incubation: [
    university('university_code', '高校代码', 'The university whose incubator hosts the project.'),
    REF,
    {
      name: 'name',
      zh: '项目名称',
      type: 'text',
      maxLength: 200,
      description: "The project's name.",
      example: '工业视觉缺陷检测平台',
    },
    { name: 'field_code', zh: '技术领域', type: 'code', domain: 'field', description: 'The technology field.', example: 'IT_AI' },
    {
      name: 'stage',
      zh: '孵化阶段',
      type: 'enum',
      values: INCUBATION_STAGES,
      description: 'incubating (在孵), graduated (已毕业) or closed (已终止).',
      example: 'graduated',
    },
    {
      name: 'entered_on',
      zh: '入孵日期',
      type: 'date',
      description: 'The day the project entered the incubator.',
      example: '2022-03-15',
    },
    {
      name: 'graduated_on',
      zh: '毕业日期',
      type: 'optional_date',
      description: 'The day it graduated: required when the stage is graduated, empty otherwise, not before entered_on.',
      example: '2024-05-20',
    },
    {
      name: 'closed_on',
      zh: '终止日期',
      type: 'optional_date',
      description:
        'The day it was closed (left the incubator without graduating): required when the stage is closed, empty otherwise, not before entered_on.',
      example: '',
    },
    {
      name: 'funding_cny',
      zh: '融资额（元）',
      type: 'money',
      description: 'Funding raised to date, in yuan.',
      example: '3500000.00',
    },
    { name: 'jobs', zh: '带动就业人数', type: 'count', description: 'Jobs created to date.', example: '18' },
    university('partner_university_code', '合作高校代码', 'A co-founding alliance university, or empty.', true),
    {
      name: 'company_registered_on',
      zh: '公司注册日期',
      type: 'optional_date',
      description:
        'The day the company of the project was registered (创设/参股公司), when the university founded it or holds shares in it; empty otherwise. Given with company_stake. Companies are counted on this day.',
      example: '2023-04-12',
    },
    {
      name: 'company_stake',
      zh: '高校持股方式',
      type: 'optional_enum',
      values: COMPANY_STAKES,
      description:
        'founded (创设: the university founded the company) or shareholder (参股: it holds shares in it); empty when there is no such company. Given with company_registered_on.',
      example: 'founded',
    },
  ],
  talent: [
    university('university_code', '主办高校代码', 'The host university of the joint-training cohort.'),
    REF,
    university(
      'partner_university_code',
      '合作高校代码',
      'The partner alliance university; empty for a programme run for the whole alliance.',
      true,
    ),
    {
      name: 'level',
      zh: '培养层次',
      type: 'enum',
      values: TALENT_LEVELS,
      description: 'undergraduate, master, doctoral, tech_manager (技术经理人) or other.',
      example: 'tech_manager',
    },
    {
      name: 'program',
      zh: '项目名称',
      type: 'text',
      maxLength: 200,
      description: 'The programme.',
      example: '长三角技术经理人联合培训（2024级）',
    },
    { name: 'started_on', zh: '开班日期', type: 'date', description: 'The day the cohort started.', example: '2024-09-02' },
    {
      name: 'completed_on',
      zh: '结业日期',
      type: 'optional_date',
      description:
        'The day the cohort completed; empty while it runs. Required when graduates is above 0 (they are counted on this day), not before started_on.',
      example: '2025-06-30',
    },
    { name: 'trainees', zh: '招收人数', type: 'count', description: 'People enrolled.', example: '45' },
    {
      name: 'graduates',
      zh: '结业人数',
      type: 'count',
      description: 'People who completed it; at most trainees, and 0 until completed_on is given.',
      example: '43',
    },
  ],
  credit: [
    university('university_code', '学生所在高校代码', "The students' home university, which recognised the credits."),
    REF,
    university(
      'host_university_code',
      '开课高校代码',
      'The university where the course was taken; not the home university.',
      false,
      'ZJUT',
    ),
    { name: 'course', zh: '课程名称', type: 'text', maxLength: 200, description: 'The course.', example: '工程热力学' },
    {
      name: 'term',
      zh: '学期',
      type: 'term',
      description: 'Academic year and term: 2024-2025-1 is the autumn term of 2024/25, -2 spring, -3 summer.',
      example: '2024-2025-1',
    },
    {
      name: 'recognized_on',
      zh: '认定日期',
      type: 'date',
      description: 'The day the credits were recognised.',
      example: '2025-01-20',
    },
    { name: 'students', zh: '学生人数', type: 'count', description: 'Students whose credits were recognised.', example: '12' },
    {
      name: 'credits',
      zh: '认定学分',
      type: 'credits',
      description: 'Credits recognised in all, up to one decimal.',
      example: '36',
    },
  ],
  capacity: [
    university('university_code', '高校代码', 'The university whose technology-transfer organisation the snapshot describes.'),
    {
      ...REF,
      description:
        "The snapshot's own reference, unique within its university: imports update the snapshot with the same university and ref.",
      example: 'CAP-USST-2024-H1',
    },
    {
      name: 'snapshot_on',
      zh: '统计日期',
      type: 'date',
      description:
        'The day the counts hold on (YYYY-MM-DD), one snapshot per university and day. A period counts each university’s last snapshot on or before its last day.',
      example: '2024-06-30',
    },
    {
      name: 'transfer_offices',
      zh: '技术转移机构数',
      type: 'count',
      description: 'Dedicated technology-transfer offices of the university (技术转移机构), 0 when it has none.',
      example: '1',
    },
    {
      name: 'staff',
      zh: '专职人员数',
      type: 'count',
      description: 'Full-time technology-transfer staff (专职人员).',
      example: '12',
    },
    {
      name: 'tech_managers',
      zh: '技术经理人数',
      type: 'count',
      description:
        'Technology managers (技术经理人) working for the transfer organisation, full-time or not (so they may outnumber the full-time staff).',
      example: '7',
    },
    {
      name: 'co_built',
      zh: '共建机构数',
      type: 'count',
      description: 'Transfer institutions co-built with local governments or companies (共建机构).',
      example: '3',
    },
  ],
};

/** Whether a column of the type may be empty. */
export const isOptionalType = (type: ColumnType): boolean =>
  type === 'optional_code' || type === 'optional_date' || type === 'optional_enum';

/** The columns a record is written with: all but the derived ones. */
export const INPUT_COLUMNS: Readonly<Record<FactKind, readonly ColumnSpec[]>> = Object.fromEntries(
  FACT_KINDS.map((kind) => [kind, KIND_COLUMNS[kind].filter((c) => !c.derived)]),
) as unknown as Record<FactKind, readonly ColumnSpec[]>;

/** The date a kind's records are filtered and sorted by in the records view. */
export const MAIN_DATE: Readonly<Record<FactKind, string>> = {
  tech_transfer: 'signed_on',
  payment: 'received_on',
  incubation: 'entered_on',
  talent: 'started_on',
  credit: 'recognized_on',
  capacity: 'snapshot_on',
};

/** The text columns the records search looks in. */
export const SEARCH_COLUMNS: Readonly<Record<FactKind, readonly string[]>> = {
  tech_transfer: ['ref', 'partner_name'],
  payment: ['ref', 'contract_ref'],
  incubation: ['ref', 'name'],
  talent: ['ref', 'program'],
  credit: ['ref', 'course'],
  capacity: ['ref'],
};

export const KIND_NAMES: Readonly<Record<FactKind, { en: string; zh: string }>> = {
  tech_transfer: { en: 'Technology transfers', zh: '科技成果转化合同' },
  payment: { en: 'Payments received', zh: '合同到账' },
  incubation: { en: 'Incubated projects', zh: '孵化项目' },
  talent: { en: 'Joint training', zh: '联合培养' },
  credit: { en: 'Credit recognition', zh: '学分互认' },
  capacity: { en: 'Transfer-office capacity', zh: '技术转移机构能力' },
};

const JSON_TYPES: Readonly<Record<ColumnType, Record<string, unknown>>> = {
  code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,15}$' },
  optional_code: { type: ['string', 'null'] },
  text: { type: 'string', minLength: 1 },
  date: { type: 'string', format: 'date' },
  optional_date: { type: ['string', 'null'], format: 'date' },
  money: {
    type: ['number', 'string'],
    minimum: 0,
    maximum: MAX_MONEY_CNY,
    description: `yuan, up to two decimals, at most ${formatLimit(MAX_MONEY_CNY)}`,
  },
  count: { type: ['integer', 'string'], minimum: 0, maximum: MAX_COUNT },
  credits: { type: ['number', 'string'], minimum: 0, maximum: MAX_CREDITS, description: 'up to one decimal' },
  enum: { type: 'string' },
  optional_enum: { type: ['string', 'null'] },
  term: { type: 'string', pattern: '^[0-9]{4}-[0-9]{4}-[1-3]$' },
};

/** The JSON schema of a record body for the API document, one per kind; all fields optional for a PATCH. */
export function recordJsonSchema(kind: FactKind, partial: boolean): Record<string, unknown> {
  const columns = KIND_COLUMNS[kind];
  return {
    title: kind,
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      columns.map((c) => [
        c.name,
        {
          ...JSON_TYPES[c.type],
          ...(c.positive ? { exclusiveMinimum: 0, minimum: undefined } : {}),
          ...(c.derived ? { readOnly: true } : {}),
          ...(c.values ? { enum: c.type === 'optional_enum' ? [...c.values, null] : c.values } : {}),
          ...(c.maxLength ? { maxLength: c.maxLength } : {}),
          description: c.description,
          examples: [c.example],
        },
      ]),
    ),
    ...(partial
      ? {}
      : {
          required: columns.filter((c) => !isOptionalType(c.type) && c.default === undefined && !c.derived).map((c) => c.name),
        }),
  };
}

/** A record body of any kind, as the API document describes the `:kind` routes. */
export const recordBodyJsonSchema = (partial: boolean): Record<string, unknown> => ({
  oneOf: FACT_KINDS.map((kind) => recordJsonSchema(kind, partial)),
  description: 'The fields of the record of the kind named in the path.',
});
