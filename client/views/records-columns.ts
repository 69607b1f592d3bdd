import type { Bilingual, Meta } from '../api';

/**
 * The columns of each kind of record, as the client shows and edits them. They mirror
 * `server/records/record-columns.ts` (names, types, allowed values); the client keeps its own
 * copy rather than deriving it from `/openapi.json`, because the form and the table need
 * labels in both languages, which the API document does not carry, and a static list costs no
 * request. `test/e2e/records.test.ts` checks that the two lists name the same columns.
 */

export const KINDS = ['tech_transfer', 'payment', 'incubation', 'talent', 'credit', 'capacity'] as const;
export type Kind = (typeof KINDS)[number];

export const isKind = (value: string | null): value is Kind => (KINDS as readonly string[]).includes(value ?? '');

export const KIND_NAMES: Readonly<Record<Kind, Bilingual>> = {
  tech_transfer: { en: 'Technology transfers', zh: '科技成果转化合同' },
  payment: { en: 'Payments received', zh: '合同到账' },
  incubation: { en: 'Incubated projects', zh: '孵化项目' },
  talent: { en: 'Joint training', zh: '联合培养' },
  credit: { en: 'Credit recognition', zh: '学分互认' },
  capacity: { en: 'Transfer-office capacity', zh: '技术转移机构能力' },
};

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
  | 'term';

export interface Column {
  /** The API's and the CSV's name. */
  name: string;
  /** The label in the interface. */
  label: Bilingual;
  /** The Chinese CSV header (the import accepts it as well as `name`). */
  csvZh: string;
  type: ColumnType;
  /** Where a code's values come from; `enum` columns name the dimension that labels them. */
  domain?: 'university' | 'region' | 'field';
  /** The dimension (in `/meta`) whose values an `enum` column takes. */
  dimension?: 'mode' | 'stage' | 'level' | 'company_stake';
  maxLength?: number;
  /** Kept by the server from other records (a contract's received_cny, from its payments): shown, never edited. */
  derived?: true;
  /** May be left blank: the server takes its default (a contract's rewards: 0). */
  optional?: true;
  hint: Bilingual;
}

const university = (name: string, label: Bilingual, csvZh: string, hint: Bilingual, optional = false): Column => ({
  name,
  label,
  csvZh,
  type: optional ? 'optional_code' : 'code',
  domain: 'university',
  hint,
});

const FIELD: Column = {
  name: 'field_code',
  label: { en: 'Technology field', zh: '技术领域' },
  csvZh: '技术领域',
  type: 'code',
  domain: 'field',
  hint: { en: 'The technology field.', zh: '所属技术领域。' },
};

const REF: Column = {
  name: 'ref',
  label: { en: 'Reference', zh: '编号' },
  csvZh: '编号',
  type: 'text',
  maxLength: 64,
  hint: {
    en: 'Unique within the university; an import updates the record with the same university and reference.',
    zh: '在本校内唯一；导入时按“高校 + 编号”更新已有记录。',
  },
};

export const KIND_COLUMNS: Readonly<Record<Kind, readonly Column[]>> = {
  tech_transfer: [
    university('university_code', { en: 'University', zh: '高校' }, '高校代码', {
      en: 'The alliance university that signed the contract.',
      zh: '签订合同的联盟高校。',
    }),
    REF,
    {
      name: 'mode',
      label: { en: 'Mode', zh: '转化方式' },
      csvZh: '转化方式',
      type: 'enum',
      dimension: 'mode',
      hint: {
        en: 'Transfer, license or equity investment; or development, consulting or service.',
        zh: '转让、许可、作价投资，或技术开发、技术咨询、技术服务。',
      },
    },
    {
      name: 'partner_name',
      label: { en: 'Partner', zh: '合作方' },
      csvZh: '合作方名称',
      type: 'text',
      maxLength: 200,
      hint: { en: 'The company or body on the other side of the contract.', zh: '合同另一方的企业或机构。' },
    },
    {
      name: 'partner_region_code',
      label: { en: 'Partner region', zh: '合作方地区' },
      csvZh: '合作方地区',
      type: 'code',
      domain: 'region',
      hint: { en: 'Where the partner is; “other” outside the delta.', zh: '合作方所在地区；长三角以外选“其他”。' },
    },
    university(
      'co_university_code',
      { en: 'Joint university', zh: '联合高校' },
      '联合高校代码',
      { en: 'A second alliance university when the contract is joint.', zh: '联合签约时的另一所联盟高校。' },
      true,
    ),
    FIELD,
    {
      name: 'signed_on',
      label: { en: 'Signed on', zh: '签订日期' },
      csvZh: '签订日期',
      type: 'date',
      hint: { en: 'The day the contract was signed.', zh: '合同签订日。' },
    },
    {
      name: 'contract_value_cny',
      label: { en: 'Contract value', zh: '合同金额' },
      csvZh: '合同金额（元）',
      type: 'money',
      hint: { en: 'In yuan, up to two decimals.', zh: '单位：元，最多两位小数。' },
    },
    {
      name: 'received_cny',
      label: { en: 'Received to date', zh: '累计到账' },
      csvZh: '累计到账金额（元）',
      type: 'money',
      derived: true,
      hint: {
        en: "The sum of the contract's payments, in yuan: record payments to change it.",
        zh: '该合同各笔到账之和（元）：通过登记到账记录更改。',
      },
    },
    {
      name: 'patents',
      label: { en: 'Patents', zh: '涉及专利数' },
      csvZh: '涉及专利数',
      type: 'count',
      hint: { en: 'Patents the contract covers.', zh: '合同涉及的专利数。' },
    },
    {
      name: 'reward_cash_cny',
      label: { en: 'Cash rewards', zh: '现金奖励' },
      csvZh: '现金奖励（元）',
      type: 'money',
      optional: true,
      hint: {
        en: 'Cash rewarded to the people behind the achievement, in yuan; with equity rewards, at most the contract value. Blank: none.',
        zh: '给予成果完成人等个人的现金奖励（元）；与股权奖励合计不超过合同金额。留空即无。',
      },
    },
    {
      name: 'reward_equity_cny',
      label: { en: 'Equity rewards', zh: '股权奖励' },
      csvZh: '股权奖励（元）',
      type: 'money',
      optional: true,
      hint: { en: 'Equity rewarded to them, valued in yuan. Blank: none.', zh: '给予个人的股权奖励（折算金额，元）。留空即无。' },
    },
    {
      name: 'rewarded_people',
      label: { en: 'People rewarded', zh: '奖励人次' },
      csvZh: '奖励人次',
      type: 'count',
      optional: true,
      hint: {
        en: 'How many people were rewarded: at least 1 with a reward, 0 without.',
        zh: '获奖励人次：有奖励时至少为 1，无奖励时为 0。',
      },
    },
    {
      name: 'rewarded_on',
      label: { en: 'Rewarded on', zh: '奖励日期' },
      csvZh: '奖励日期',
      type: 'optional_date',
      hint: {
        en: 'The day the rewards were granted, not before signing; blank when there is none.',
        zh: '奖励发放日期，不早于签订日期；无奖励时留空。',
      },
    },
  ],
  payment: [
    university('university_code', { en: 'University', zh: '高校' }, '高校代码', {
      en: 'The alliance university that signed the contract.',
      zh: '签订该合同的联盟高校。',
    }),
    {
      ...REF,
      hint: {
        en: "The payment's own reference, unique within the university; an import updates the payment with the same university and reference.",
        zh: '到账记录编号，在本校内唯一；导入时按“高校 + 编号”更新已有记录。',
      },
    },
    {
      name: 'contract_ref',
      label: { en: 'Contract', zh: '合同编号' },
      csvZh: '合同编号',
      type: 'text',
      maxLength: 64,
      hint: {
        en: "The reference of the university's technology contract the cash was received on.",
        zh: '收款所对应的本校技术合同编号。',
      },
    },
    {
      name: 'received_on',
      label: { en: 'Received on', zh: '到账日期' },
      csvZh: '到账日期',
      type: 'date',
      hint: { en: 'The day the cash arrived; not before the contract was signed.', zh: '款项到账日，不早于合同签订日。' },
    },
    {
      name: 'amount_cny',
      label: { en: 'Amount', zh: '到账金额' },
      csvZh: '到账金额（元）',
      type: 'money',
      hint: {
        en: "In yuan, above 0, up to two decimals; the contract's payments together at most its value.",
        zh: '单位：元，大于 0，最多两位小数；同一合同的到账合计不超过合同金额。',
      },
    },
  ],
  incubation: [
    university('university_code', { en: 'University', zh: '高校' }, '高校代码', {
      en: 'The university whose incubator hosts the project.',
      zh: '项目所在孵化器的高校。',
    }),
    REF,
    {
      name: 'name',
      label: { en: 'Project', zh: '项目名称' },
      csvZh: '项目名称',
      type: 'text',
      maxLength: 200,
      hint: { en: "The project's name.", zh: '项目名称。' },
    },
    FIELD,
    {
      name: 'stage',
      label: { en: 'Stage', zh: '孵化阶段' },
      csvZh: '孵化阶段',
      type: 'enum',
      dimension: 'stage',
      hint: { en: 'Incubating, graduated or closed.', zh: '在孵、已毕业或已终止。' },
    },
    {
      name: 'entered_on',
      label: { en: 'Entered on', zh: '入孵日期' },
      csvZh: '入孵日期',
      type: 'date',
      hint: { en: 'The day the project entered the incubator.', zh: '项目入孵日。' },
    },
    {
      name: 'graduated_on',
      label: { en: 'Graduated on', zh: '毕业日期' },
      csvZh: '毕业日期',
      type: 'optional_date',
      hint: {
        en: 'Required when the stage is graduated, empty otherwise; not before the entry date.',
        zh: '阶段为“已毕业”时必填，否则留空；不早于入孵日期。',
      },
    },
    {
      name: 'closed_on',
      label: { en: 'Closed on', zh: '终止日期' },
      csvZh: '终止日期',
      type: 'optional_date',
      hint: {
        en: 'Required when the stage is closed, empty otherwise; not before the entry date.',
        zh: '阶段为“已终止”时必填，否则留空；不早于入孵日期。',
      },
    },
    {
      name: 'funding_cny',
      label: { en: 'Funding raised', zh: '融资额' },
      csvZh: '融资额（元）',
      type: 'money',
      hint: { en: 'Funding raised to date, in yuan.', zh: '截至目前的融资额（元）。' },
    },
    {
      name: 'jobs',
      label: { en: 'Jobs', zh: '带动就业人数' },
      csvZh: '带动就业人数',
      type: 'count',
      hint: { en: 'Jobs created to date.', zh: '截至目前带动的就业人数。' },
    },
    university(
      'partner_university_code',
      { en: 'Partner university', zh: '合作高校' },
      '合作高校代码',
      { en: 'A co-founding alliance university, if any.', zh: '共同创办的联盟高校（如有）。' },
      true,
    ),
    {
      name: 'company_registered_on',
      label: { en: 'Company registered on', zh: '公司注册日期' },
      csvZh: '公司注册日期',
      type: 'optional_date',
      hint: {
        en: 'The day the project’s company was registered, when the university founded it or holds shares in it; empty otherwise. Given with the stake.',
        zh: '项目公司的注册日期（高校创设或参股的公司）；没有则留空。须与持股方式同时填写。',
      },
    },
    {
      name: 'company_stake',
      label: { en: 'University’s stake', zh: '高校持股方式' },
      csvZh: '高校持股方式',
      type: 'enum',
      dimension: 'company_stake',
      optional: true,
      hint: {
        en: 'Founded (创设) or shareholder (参股); empty when there is no such company.',
        zh: '创设或参股；没有这样的公司则留空。',
      },
    },
  ],
  talent: [
    university('university_code', { en: 'Host university', zh: '主办高校' }, '主办高校代码', {
      en: 'The host university of the cohort.',
      zh: '联合培养班次的主办高校。',
    }),
    REF,
    university(
      'partner_university_code',
      { en: 'Partner university', zh: '合作高校' },
      '合作高校代码',
      {
        en: 'The partner alliance university; empty for an alliance-wide programme.',
        zh: '合作的联盟高校；面向全联盟的项目留空。',
      },
      true,
    ),
    {
      name: 'level',
      label: { en: 'Level', zh: '培养层次' },
      csvZh: '培养层次',
      type: 'enum',
      dimension: 'level',
      hint: {
        en: 'Undergraduate, master, doctoral, technology-transfer managers or other.',
        zh: '本科生、硕士研究生、博士研究生、技术经理人或其他。',
      },
    },
    {
      name: 'program',
      label: { en: 'Programme', zh: '项目名称' },
      csvZh: '项目名称',
      type: 'text',
      maxLength: 200,
      hint: { en: 'The programme.', zh: '培养项目名称。' },
    },
    {
      name: 'started_on',
      label: { en: 'Started on', zh: '开班日期' },
      csvZh: '开班日期',
      type: 'date',
      hint: { en: 'The day the cohort started.', zh: '开班日。' },
    },
    {
      name: 'completed_on',
      label: { en: 'Completed on', zh: '结业日期' },
      csvZh: '结业日期',
      type: 'optional_date',
      hint: {
        en: 'Empty while the cohort runs; required once there are graduates (they are counted on this day).',
        zh: '在读期间留空；有结业人数时必填（结业人数按此日期计）。',
      },
    },
    {
      name: 'trainees',
      label: { en: 'Trainees', zh: '招收人数' },
      csvZh: '招收人数',
      type: 'count',
      hint: { en: 'People enrolled.', zh: '招收人数。' },
    },
    {
      name: 'graduates',
      label: { en: 'Graduates', zh: '结业人数' },
      csvZh: '结业人数',
      type: 'count',
      hint: {
        en: 'People who completed it; at most the trainees, and 0 until the completion date is given.',
        zh: '已结业人数，不超过招收人数；填写结业日期前为 0。',
      },
    },
  ],
  credit: [
    university('university_code', { en: 'Home university', zh: '学生所在高校' }, '学生所在高校代码', {
      en: "The students' home university, which recognised the credits.",
      zh: '学生所在并认定学分的高校。',
    }),
    REF,
    university('host_university_code', { en: 'Host university', zh: '开课高校' }, '开课高校代码', {
      en: 'Where the course was taken; not the home university.',
      zh: '课程开设的高校，须不同于学生所在高校。',
    }),
    {
      name: 'course',
      label: { en: 'Course', zh: '课程名称' },
      csvZh: '课程名称',
      type: 'text',
      maxLength: 200,
      hint: { en: 'The course.', zh: '课程名称。' },
    },
    {
      name: 'term',
      label: { en: 'Term', zh: '学期' },
      csvZh: '学期',
      type: 'term',
      hint: {
        en: 'Such as 2024-2025-1: autumn term of 2024/25; -2 spring, -3 summer.',
        zh: '例如 2024-2025-1 表示 2024/25 学年秋季学期；-2 为春季，-3 为夏季。',
      },
    },
    {
      name: 'recognized_on',
      label: { en: 'Recognised on', zh: '认定日期' },
      csvZh: '认定日期',
      type: 'date',
      hint: { en: 'The day the credits were recognised.', zh: '学分认定日。' },
    },
    {
      name: 'students',
      label: { en: 'Students', zh: '学生人数' },
      csvZh: '学生人数',
      type: 'count',
      hint: { en: 'Students whose credits were recognised.', zh: '获认定学分的学生人数。' },
    },
    {
      name: 'credits',
      label: { en: 'Credits', zh: '认定学分' },
      csvZh: '认定学分',
      type: 'credits',
      hint: { en: 'Credits recognised in all, up to one decimal.', zh: '认定学分总数，最多一位小数。' },
    },
  ],
  capacity: [
    university('university_code', { en: 'University', zh: '高校' }, '高校代码', {
      en: 'The university whose technology-transfer organisation the snapshot describes.',
      zh: '所填报技术转移机构所属的高校。',
    }),
    REF,
    {
      name: 'snapshot_on',
      label: { en: 'As of', zh: '统计日期' },
      csvZh: '统计日期',
      type: 'date',
      hint: {
        en: 'The day the counts hold on; one snapshot per university and day. A period shows each university’s last snapshot by its end.',
        zh: '数据所对应的日期，每所高校每天一条。各期取期末及之前最近一次填报。',
      },
    },
    {
      name: 'transfer_offices',
      label: { en: 'Transfer offices', zh: '技术转移机构数' },
      csvZh: '技术转移机构数',
      type: 'count',
      hint: { en: 'Dedicated technology-transfer offices; 0 when there is none.', zh: '专门的技术转移机构数，没有填 0。' },
    },
    {
      name: 'staff',
      label: { en: 'Full-time staff', zh: '专职人员数' },
      csvZh: '专职人员数',
      type: 'count',
      hint: { en: 'Full-time technology-transfer staff.', zh: '专职从事科技成果转化工作的人员数。' },
    },
    {
      name: 'tech_managers',
      label: { en: 'Technology managers', zh: '技术经理人数' },
      csvZh: '技术经理人数',
      type: 'count',
      hint: {
        en: 'Technology managers working for the transfer organisation, full-time or not (they may outnumber the full-time staff).',
        zh: '在技术转移机构工作的技术经理人数（含兼职，可多于专职人员数）。',
      },
    },
    {
      name: 'co_built',
      label: { en: 'Co-built institutions', zh: '共建机构数' },
      csvZh: '共建机构数',
      type: 'count',
      hint: {
        en: 'Transfer institutions co-built with local governments or companies.',
        zh: '与地方政府、企业等共建的技术转移机构数。',
      },
    },
  ],
};

/** The date each kind's records are filtered (`from`, `to`) and sorted by, newest first by default. */
export const MAIN_DATE: Readonly<Record<Kind, string>> = {
  tech_transfer: 'signed_on',
  payment: 'received_on',
  incubation: 'entered_on',
  talent: 'started_on',
  credit: 'recognized_on',
  capacity: 'snapshot_on',
};

/** What the search box looks in, besides the reference. */
export const SEARCH_COLUMN: Readonly<Record<Kind, string>> = {
  tech_transfer: 'partner_name',
  payment: 'contract_ref',
  incubation: 'name',
  talent: 'program',
  credit: 'course',
  capacity: 'ref',
};

/** The dimensions that filter records (the time dimensions filter through from/to): the server's list. */
export { FILTER_DIMENSIONS, type FilterDimension } from '../../contract/dimension-ids';
import { FILTER_DIMENSIONS, type FilterDimension } from '../../contract/dimension-ids';

/** The filters a kind's records take: the filter dimensions its measures have, as `/meta` says. */
export function kindFilters(meta: Meta, kind: Kind): FilterDimension[] {
  const dimensions = new Set(meta.measures.filter((m) => m.kind === kind).flatMap((m) => m.dimensions));
  return FILTER_DIMENSIONS.filter((d) => dimensions.has(d));
}

/** Every parameter of the records API besides the filters; anything else in the URL is not sent. */
export const LIST_PARAMS = ['from', 'to', ...FILTER_DIMENSIONS, 'q', 'sort', 'page', 'pageSize'] as const;

export const isNumeric = (column: Column): boolean =>
  column.type === 'money' || column.type === 'count' || column.type === 'credits';
