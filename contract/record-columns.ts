import {
  COMPANY_STAKES,
  FACT_KINDS,
  type FactKind,
  INCUBATION_STAGES,
  TALENT_LEVELS,
  TRANSFER_MODES,
} from './enums.js';

/**
 * The columns of each kind of record, named once for the server and the client: the JSON of
 * the records API, the CSV header (English, or Chinese with lang=zh), docs/csv.md, and the
 * records view's table and form (labels and hints in both languages) all come from here.
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

/** A text in both of the interface's languages. */
export interface Bilingual {
  en: string;
  zh: string;
}

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
  /** The API's and the CSV's name. */
  name: string;
  /** The Chinese CSV header (the import accepts it as well as `name`). */
  zh: string;
  /** The column's label in the interface. */
  label: Bilingual;
  type: ColumnType;
  /** What the column holds, for the documentation (docs/csv.md, the API document). */
  description: string;
  /** What the form says under the field. */
  hint: Bilingual;
  /** Allowed values of an `enum` or `optional_enum` column; `/meta` labels them under the dimension of the column's name. */
  values?: readonly string[];
  /** Which dimension table a code must exist in. */
  domain?: 'university' | 'region' | 'field';
  maxLength?: number;
  /** A text column that names something (a ref): one line, no line break or tab. */
  oneLine?: boolean;
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
  spec: Pick<ColumnSpec, 'name' | 'zh' | 'label' | 'description' | 'hint'>,
  optional = false,
  example = optional ? '' : 'USST',
): ColumnSpec => ({ ...spec, type: optional ? 'optional_code' : 'code', domain: 'university', example });

const REF: ColumnSpec = {
  name: 'ref',
  zh: '编号',
  label: { en: 'Reference', zh: '编号' },
  type: 'text',
  maxLength: 64,
  oneLine: true,
  description:
    "The record's own reference, unique within its university: imports update the record with the same university and ref.",
  hint: {
    en: 'Unique within the university; an import updates the record with the same university and reference.',
    zh: '在本校内唯一；导入时按“高校 + 编号”更新已有记录。',
  },
  example: 'TT-USST-2024-00017',
};

const FIELD = (example: string): ColumnSpec => ({
  name: 'field_code',
  zh: '技术领域',
  label: { en: 'Technology field', zh: '技术领域' },
  type: 'code',
  domain: 'field',
  description: 'The technology field.',
  hint: { en: 'The technology field.', zh: '所属技术领域。' },
  example,
});

export const KIND_COLUMNS: Readonly<Record<FactKind, readonly ColumnSpec[]>> = {
  tech_transfer: [
    university({
      name: 'university_code',
      zh: '高校代码',
      label: { en: 'University', zh: '高校' },
      description: 'The alliance university that signed the contract.',
      hint: { en: 'The alliance university that signed the contract.', zh: '签订合同的联盟高校。' },
    }),
    REF,
    {
      name: 'mode',
      zh: '转化方式',
      label: { en: 'Mode', zh: '转化方式' },
      type: 'enum',
      values: TRANSFER_MODES,
      description:
        'transfer (转让), license (许可), equity (作价投资), development (技术开发), consulting (技术咨询), service (技术服务).',
      hint: {
        en: 'Transfer, license or equity investment; or development, consulting or service.',
        zh: '转让、许可、作价投资，或技术开发、技术咨询、技术服务。',
      },
      example: 'license',
    },
    {
      name: 'partner_name',
      zh: '合作方名称',
      label: { en: 'Partner', zh: '合作方' },
      type: 'text',
      maxLength: 200,
      description: 'The company or body on the other side of the contract.',
      hint: { en: 'The company or body on the other side of the contract.', zh: '合同另一方的企业或机构。' },
      example: '苏州华创光电科技有限公司',
    },
    {
      name: 'partner_region_code',
      zh: '合作方地区',
      label: { en: 'Partner region', zh: '合作方地区' },
      type: 'code',
      domain: 'region',
      description: 'Where the partner is: SH, JS, ZJ, AH, or OTHER outside the delta.',
      hint: {
        en: 'Where the partner is; “Outside the Yangtze River Delta” for anywhere else.',
        zh: '合作方所在地区；长三角以外选“长三角以外地区”。',
      },
      example: 'JS',
    },
    university(
      {
        name: 'co_university_code',
        zh: '联合高校代码',
        label: { en: 'Joint university', zh: '联合高校' },
        description: 'A second alliance university when the contract is joint; empty otherwise.',
        hint: { en: 'A second alliance university when the contract is joint.', zh: '联合签约时的另一所联盟高校。' },
      },
      true,
    ),
    FIELD('OPTO'),
    {
      name: 'signed_on',
      zh: '签订日期',
      label: { en: 'Signed on', zh: '签订日期' },
      type: 'date',
      description: 'The day the contract was signed (YYYY-MM-DD).',
      hint: { en: 'The day the contract was signed.', zh: '合同签订日。' },
      example: '2024-06-28',
    },
    {
      name: 'contract_value_cny',
      zh: '合同金额（元）',
      label: { en: 'Contract value', zh: '合同金额' },
      type: 'money',
      description: 'Contract value in yuan, up to two decimals.',
      hint: { en: 'In yuan, up to two decimals.', zh: '单位：元，最多两位小数。' },
      example: '1200000.00',
    },
    {
      name: 'received_cny',
      zh: '累计到账金额（元）',
      label: { en: 'Received to date', zh: '累计到账' },
      type: 'money',
      description:
        "Cash received to date in yuan: the sum of the contract's payments, kept by the database. Read only: an import ignores it; record payments instead.",
      hint: {
        en: "The sum of the contract's payments, in yuan: record payments to change it.",
        zh: '该合同各笔到账之和（元）：通过登记到账记录更改。',
      },
      derived: "the sum of the contract's payments: record a payment instead",
      example: '300000.00',
    },
    {
      name: 'patents',
      zh: '涉及专利数',
      label: { en: 'Patents', zh: '涉及专利数' },
      type: 'count',
      description: 'Patents the contract covers.',
      hint: { en: 'Patents the contract covers.', zh: '合同涉及的专利数。' },
      example: '2',
    },
    {
      name: 'reward_cash_cny',
      zh: '现金奖励（元）',
      label: { en: 'Cash rewards', zh: '现金奖励' },
      type: 'money',
      description:
        'Cash rewards to the individuals behind the achievement, in yuan (现金奖励). With the equity rewards, at most the contract value. May be left out: 0.',
      hint: {
        en: 'Cash rewarded to the people behind the achievement, in yuan; with equity rewards, at most the contract value. Blank: none.',
        zh: '给予成果完成人等个人的现金奖励（元）；与股权奖励合计不超过合同金额。留空即无。',
      },
      default: '0',
      example: '150000.00',
    },
    {
      name: 'reward_equity_cny',
      zh: '股权奖励（元）',
      label: { en: 'Equity rewards', zh: '股权奖励' },
      type: 'money',
      description: 'Equity rewards to those individuals, valued in yuan (股权奖励). May be left out: 0.',
      hint: { en: 'Equity rewarded to them, valued in yuan. Blank: none.', zh: '给予个人的股权奖励（折算金额，元）。留空即无。' },
      default: '0',
      example: '0',
    },
    {
      name: 'rewarded_people',
      zh: '奖励人次',
      label: { en: 'People rewarded', zh: '奖励人次' },
      type: 'count',
      description:
        'How many people were rewarded (奖励人次): at least 1 when there is a reward, 0 when there is none. May be left out: 0.',
      hint: {
        en: 'How many people were rewarded: at least 1 with a reward, 0 without.',
        zh: '获奖励人次：有奖励时至少为 1，无奖励时为 0。',
      },
      default: '0',
      example: '3',
    },
    {
      name: 'rewarded_on',
      zh: '奖励日期',
      label: { en: 'Rewarded on', zh: '奖励日期' },
      type: 'optional_date',
      description:
        'The day the rewards were granted, not before signing: required when there is a reward, empty when there is none. The reward figures count on it.',
      hint: {
        en: 'The day the rewards were granted, not before signing; blank when there is none.',
        zh: '奖励发放日期，不早于签订日期；无奖励时留空。',
      },
      example: '2024-12-20',
    },
  ],
  payment: [
    university({
      name: 'university_code',
      zh: '高校代码',
      label: { en: 'University', zh: '高校' },
      description: 'The alliance university that signed the contract the payment is for.',
      hint: { en: 'The alliance university that signed the contract.', zh: '签订该合同的联盟高校。' },
    }),
    {
      ...REF,
      description:
        "The payment's own reference, unique within its university: imports update the payment with the same university and ref.",
      hint: {
        en: "The payment's own reference, unique within the university; an import updates the payment with the same university and reference.",
        zh: '到账记录编号，在本校内唯一；导入时按“高校 + 编号”更新已有记录。',
      },
      example: 'PAY-USST-2025-00042',
    },
    {
      name: 'contract_ref',
      zh: '合同编号',
      label: { en: 'Contract', zh: '合同编号' },
      type: 'text',
      maxLength: 64,
      oneLine: true,
      description: 'The ref of the technology contract (a tech_transfer record of the same university) the cash was received on.',
      hint: {
        en: "The reference of the university's technology contract the cash was received on.",
        zh: '收款所对应的本校技术合同编号。',
      },
      example: 'TT-USST-2024-00017',
    },
    {
      name: 'received_on',
      zh: '到账日期',
      label: { en: 'Received on', zh: '到账日期' },
      type: 'date',
      description: 'The day the cash was received (YYYY-MM-DD): not before the contract was signed.',
      hint: { en: 'The day the cash arrived; not before the contract was signed.', zh: '款项到账日，不早于合同签订日。' },
      example: '2025-03-10',
    },
    {
      name: 'amount_cny',
      zh: '到账金额（元）',
      label: { en: 'Amount', zh: '到账金额' },
      type: 'money',
      positive: true,
      description:
        "The amount received in yuan, above 0, up to two decimals; all of a contract's payments together at most its contract value.",
      hint: {
        en: "In yuan, above 0, up to two decimals; the contract's payments together at most its value.",
        zh: '单位：元，大于 0，最多两位小数；同一合同的到账合计不超过合同金额。',
      },
      example: '300000.00',
    },
  ],
  incubation: [
    university({
      name: 'university_code',
      zh: '高校代码',
      label: { en: 'University', zh: '高校' },
      description: 'The university whose incubator hosts the project.',
      hint: { en: 'The university whose incubator hosts the project.', zh: '项目所在孵化器的高校。' },
    }),
    REF,
    {
      name: 'name',
      zh: '项目名称',
      label: { en: 'Project', zh: '项目名称' },
      type: 'text',
      maxLength: 200,
      description: "The project's name.",
      hint: { en: "The project's name.", zh: '项目名称。' },
      example: '工业视觉缺陷检测平台',
    },
    FIELD('IT_AI'),
    {
      name: 'stage',
      zh: '孵化阶段',
      label: { en: 'Stage', zh: '孵化阶段' },
      type: 'enum',
      values: INCUBATION_STAGES,
      description: 'incubating (在孵), graduated (已毕业) or closed (已终止).',
      hint: { en: 'Incubating, graduated or closed.', zh: '在孵、已毕业或已终止。' },
      example: 'graduated',
    },
    {
      name: 'entered_on',
      zh: '入孵日期',
      label: { en: 'Entered on', zh: '入孵日期' },
      type: 'date',
      description: 'The day the project entered the incubator.',
      hint: { en: 'The day the project entered the incubator.', zh: '项目入孵日。' },
      example: '2022-03-15',
    },
    {
      name: 'graduated_on',
      zh: '毕业日期',
      label: { en: 'Graduated on', zh: '毕业日期' },
      type: 'optional_date',
      description: 'The day it graduated: required when the stage is graduated, empty otherwise, not before entered_on.',
      hint: {
        en: 'Required when the stage is graduated, empty otherwise; not before the entry date.',
        zh: '阶段为“已毕业”时必填，否则留空；不早于入孵日期。',
      },
      example: '2024-05-20',
    },
    {
      name: 'closed_on',
      zh: '终止日期',
      label: { en: 'Closed on', zh: '终止日期' },
      type: 'optional_date',
      description:
        'The day it was closed (left the incubator without graduating): required when the stage is closed, empty otherwise, not before entered_on.',
      hint: {
        en: 'Required when the stage is closed, empty otherwise; not before the entry date.',
        zh: '阶段为“已终止”时必填，否则留空；不早于入孵日期。',
      },
      example: '',
    },
    {
      name: 'funding_cny',
      zh: '融资额（元）',
      label: { en: 'Funding raised', zh: '融资额' },
      type: 'money',
      description: 'Funding raised to date, in yuan.',
      hint: { en: 'Funding raised to date, in yuan.', zh: '截至目前的融资额（元）。' },
      example: '3500000.00',
    },
    {
      name: 'jobs',
      zh: '带动就业人数',
      label: { en: 'Jobs', zh: '带动就业人数' },
      type: 'count',
      description: 'Jobs created to date.',
      hint: { en: 'Jobs created to date.', zh: '截至目前带动的就业人数。' },
      example: '18',
    },
    university(
      {
        name: 'partner_university_code',
        zh: '合作高校代码',
        label: { en: 'Partner university', zh: '合作高校' },
        description: 'A co-founding alliance university, or empty.',
        hint: { en: 'A co-founding alliance university, if any.', zh: '共同创办的联盟高校（如有）。' },
      },
      true,
    ),
    {
      name: 'company_registered_on',
      zh: '公司注册日期',
      label: { en: 'Company registered on', zh: '公司注册日期' },
      type: 'optional_date',
      description:
        'The day the company of the project was registered (创设/参股公司), when the university founded it or holds shares in it; empty otherwise. Given with company_stake. Companies are counted on this day.',
      hint: {
        en: 'The day the project’s company was registered, when the university founded it or holds shares in it; empty otherwise. Given with the stake.',
        zh: '项目公司的注册日期（高校创设或参股的公司）；没有则留空。须与持股方式同时填写。',
      },
      example: '2023-04-12',
    },
    {
      name: 'company_stake',
      zh: '高校持股方式',
      label: { en: 'University’s stake', zh: '高校持股方式' },
      type: 'optional_enum',
      values: COMPANY_STAKES,
      description:
        'founded (创设: the university founded the company) or shareholder (参股: it holds shares in it); empty when there is no such company. Given with company_registered_on.',
      hint: {
        en: 'Founded (创设) or shareholder (参股); empty when there is no such company.',
        zh: '创设或参股；没有这样的公司则留空。',
      },
      example: 'founded',
    },
  ],
  talent: [
    university({
      name: 'university_code',
      zh: '主办高校代码',
      label: { en: 'Host university', zh: '主办高校' },
      description: 'The host university of the joint-training cohort.',
      hint: { en: 'The host university of the cohort.', zh: '联合培养班次的主办高校。' },
    }),
    REF,
    university(
      {
        name: 'partner_university_code',
        zh: '合作高校代码',
        label: { en: 'Partner university', zh: '合作高校' },
        description: 'The partner alliance university; empty for a programme run for the whole alliance.',
        hint: {
          en: 'The partner alliance university; empty for an alliance-wide programme.',
          zh: '合作的联盟高校；面向全联盟的项目留空。',
        },
      },
      true,
    ),
    {
      name: 'level',
      zh: '培养层次',
      label: { en: 'Level', zh: '培养层次' },
      type: 'enum',
      values: TALENT_LEVELS,
      description: 'undergraduate, master, doctoral, tech_manager (技术经理人) or other.',
      hint: {
        en: 'Undergraduate, master, doctoral, technology-transfer managers or other.',
        zh: '本科生、硕士研究生、博士研究生、技术经理人或其他。',
      },
      example: 'tech_manager',
    },
    {
      name: 'program',
      zh: '项目名称',
      label: { en: 'Programme', zh: '项目名称' },
      type: 'text',
      maxLength: 200,
      description: 'The programme.',
      hint: { en: 'The programme.', zh: '培养项目名称。' },
      example: '长三角技术经理人联合培训（2024级）',
    },
    {
      name: 'started_on',
      zh: '开班日期',
      label: { en: 'Started on', zh: '开班日期' },
      type: 'date',
      description: 'The day the cohort started.',
      hint: { en: 'The day the cohort started.', zh: '开班日。' },
      example: '2024-09-02',
    },
    {
      name: 'completed_on',
      zh: '结业日期',
      label: { en: 'Completed on', zh: '结业日期' },
      type: 'optional_date',
      description:
        'The day the cohort completed; empty while it runs. Required when graduates is above 0 (they are counted on this day), not before started_on.',
      hint: {
        en: 'Empty while the cohort runs; required once there are graduates (they are counted on this day).',
        zh: '在读期间留空；有结业人数时必填（结业人数按此日期计）。',
      },
      example: '2025-06-30',
    },
    {
      name: 'trainees',
      zh: '招收人数',
      label: { en: 'Trainees', zh: '招收人数' },
      type: 'count',
      description: 'People enrolled.',
      hint: { en: 'People enrolled.', zh: '招收人数。' },
      example: '45',
    },
    {
      name: 'graduates',
      zh: '结业人数',
      label: { en: 'Graduates', zh: '结业人数' },
      type: 'count',
      description: 'People who completed it; at most trainees, and 0 until completed_on is given.',
      hint: {
        en: 'People who completed it; at most the trainees, and 0 until the completion date is given.',
        zh: '已结业人数，不超过招收人数；填写结业日期前为 0。',
      },
      example: '43',
    },
  ],
  credit: [
    university({
      name: 'university_code',
      zh: '学生所在高校代码',
      label: { en: 'Home university', zh: '学生所在高校' },
      description: "The students' home university, which recognised the credits.",
      hint: { en: "The students' home university, which recognised the credits.", zh: '学生所在并认定学分的高校。' },
    }),
    REF,
    university(
      {
        name: 'host_university_code',
        zh: '开课高校代码',
        label: { en: 'Host university', zh: '开课高校' },
        description: 'The university where the course was taken; not the home university.',
        hint: { en: 'Where the course was taken; not the home university.', zh: '课程开设的高校，须不同于学生所在高校。' },
      },
      false,
      'ZJUT',
    ),
    {
      name: 'course',
      zh: '课程名称',
      label: { en: 'Course', zh: '课程名称' },
      type: 'text',
      maxLength: 200,
      description: 'The course.',
      hint: { en: 'The course.', zh: '课程名称。' },
      example: '工程热力学',
    },
    {
      name: 'term',
      zh: '学期',
      label: { en: 'Term', zh: '学期' },
      type: 'term',
      description: 'Academic year and term: 2024-2025-1 is the autumn term of 2024/25, -2 spring, -3 summer.',
      hint: {
        en: 'Such as 2024-2025-1: autumn term of 2024/25; -2 spring, -3 summer.',
        zh: '例如 2024-2025-1 表示 2024/25 学年秋季学期；-2 为春季，-3 为夏季。',
      },
      example: '2024-2025-1',
    },
    {
      name: 'recognized_on',
      zh: '认定日期',
      label: { en: 'Recognised on', zh: '认定日期' },
      type: 'date',
      description: 'The day the credits were recognised.',
      hint: { en: 'The day the credits were recognised.', zh: '学分认定日。' },
      example: '2025-01-20',
    },
    {
      name: 'students',
      zh: '学生人数',
      label: { en: 'Students', zh: '学生人数' },
      type: 'count',
      description: 'Students whose credits were recognised.',
      hint: { en: 'Students whose credits were recognised.', zh: '获认定学分的学生人数。' },
      example: '12',
    },
    {
      name: 'credits',
      zh: '认定学分',
      label: { en: 'Credits', zh: '认定学分' },
      type: 'credits',
      description: 'Credits recognised in all, up to one decimal.',
      hint: { en: 'Credits recognised in all, up to one decimal.', zh: '认定学分总数，最多一位小数。' },
      example: '36',
    },
  ],
  capacity: [
    university({
      name: 'university_code',
      zh: '高校代码',
      label: { en: 'University', zh: '高校' },
      description: 'The university whose technology-transfer organisation the snapshot describes.',
      hint: {
        en: 'The university whose technology-transfer organisation the snapshot describes.',
        zh: '所填报技术转移机构所属的高校。',
      },
    }),
    {
      ...REF,
      description:
        "The snapshot's own reference, unique within its university: imports update the snapshot with the same university and ref.",
      example: 'CAP-USST-2024-H1',
    },
    {
      name: 'snapshot_on',
      zh: '统计日期',
      label: { en: 'As of', zh: '统计日期' },
      type: 'date',
      description:
        'The day the counts hold on (YYYY-MM-DD), one snapshot per university and day. A period counts each university’s last snapshot on or before its last day.',
      hint: {
        en: 'The day the counts hold on; one snapshot per university and day. A period shows each university’s last snapshot by its end.',
        zh: '数据所对应的日期，每所高校每天一条。各期取期末及之前最近一次填报。',
      },
      example: '2024-06-30',
    },
    {
      name: 'transfer_offices',
      zh: '技术转移机构数',
      label: { en: 'Transfer offices', zh: '技术转移机构数' },
      type: 'count',
      description: 'Dedicated technology-transfer offices of the university (技术转移机构), 0 when it has none.',
      hint: { en: 'Dedicated technology-transfer offices; 0 when there is none.', zh: '专门的技术转移机构数，没有填 0。' },
      example: '1',
    },
    {
      name: 'staff',
      zh: '专职人员数',
      label: { en: 'Full-time staff', zh: '专职人员数' },
      type: 'count',
      description: 'Full-time technology-transfer staff (专职人员).',
      hint: { en: 'Full-time technology-transfer staff.', zh: '专职从事科技成果转化工作的人员数。' },
      example: '12',
    },
    {
      name: 'tech_managers',
      zh: '技术经理人数',
      label: { en: 'Technology managers', zh: '技术经理人数' },
      type: 'count',
      description:
        'Technology managers (技术经理人) working for the transfer organisation, full-time or not (so they may outnumber the full-time staff).',
      hint: {
        en: 'Technology managers working for the transfer organisation, full-time or not (they may outnumber the full-time staff).',
        zh: '在技术转移机构工作的技术经理人数（含兼职，可多于专职人员数）。',
      },
      example: '7',
    },
    {
      name: 'co_built',
      zh: '共建机构数',
      label: { en: 'Co-built institutions', zh: '共建机构数' },
      type: 'count',
      description: 'Transfer institutions co-built with local governments or companies (共建机构).',
      hint: {
        en: 'Transfer institutions co-built with local governments or companies.',
        zh: '与地方政府、企业等共建的技术转移机构数。',
      },
      example: '3',
    },
  ],
};

/** Whether a column of the type may be empty. */
export const isOptionalType = (type: ColumnType): boolean =>
  type === 'optional_code' || type === 'optional_date' || type === 'optional_enum';

/** Whether a new record may leave the column blank: an optional type, or a column with a default. */
export const mayBeBlank = (column: ColumnSpec): boolean => isOptionalType(column.type) || column.default !== undefined;

/** Whether the column holds a number (money, a count, credits). */
export const isNumericColumn = (column: ColumnSpec): boolean =>
  column.type === 'money' || column.type === 'count' || column.type === 'credits';

/** The columns a record is written with: all but the derived ones. */
export const INPUT_COLUMNS: Readonly<Record<FactKind, readonly ColumnSpec[]>> = Object.fromEntries(
  FACT_KINDS.map((kind) => [kind, KIND_COLUMNS[kind].filter((c) => !c.derived)]),
) as unknown as Record<FactKind, readonly ColumnSpec[]>;

/** The date a kind's records are filtered (`from`, `to`) and sorted by, newest first by default. */
export const MAIN_DATE: Readonly<Record<FactKind, string>> = {
  tech_transfer: 'signed_on',
  payment: 'received_on',
  incubation: 'entered_on',
  talent: 'started_on',
  credit: 'recognized_on',
  capacity: 'snapshot_on',
};

/** The text columns the records search looks in: the reference first, then the one that names the record. */
export const SEARCH_COLUMNS: Readonly<Record<FactKind, readonly string[]>> = {
  tech_transfer: ['ref', 'partner_name'],
  payment: ['ref', 'contract_ref'],
  incubation: ['ref', 'name'],
  talent: ['ref', 'program'],
  credit: ['ref', 'course'],
  capacity: ['ref'],
};

export const KIND_NAMES: Readonly<Record<FactKind, Bilingual>> = {
  tech_transfer: { en: 'Technology transfers', zh: '科技成果转化合同' },
  payment: { en: 'Payments received', zh: '合同到账' },
  incubation: { en: 'Incubated projects', zh: '孵化项目' },
  talent: { en: 'Joint training', zh: '联合培养' },
  credit: { en: 'Credit recognition', zh: '学分互认' },
  capacity: { en: 'Transfer-office capacity', zh: '技术转移机构能力' },
};
