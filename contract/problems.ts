/**
 * Every problem the API can answer, named once: a stable `code`, its `params`, and how each
 * language says it. The server sends the code, the params and the English `message` (for API
 * users and the CSV error reports); the client renders the code and params in the interface's
 * language. Nothing here imports from the server or the client.
 */

import { PERIOD_STATUS_LABELS } from './reporting-periods.js';

export type Lang = 'en' | 'zh';

/** How a message names a record's column: its id in English, its label where one is known. */
export interface RenderContext {
  column: (name: string) => string;
  /** How a value of the field the problem is about is named (a mode's code by its label); as it is if absent. */
  value?: (code: string) => string;
}

interface Entry<P> {
  en: (p: P, ctx: RenderContext) => string;
  zh: (p: P, ctx: RenderContext) => string;
}

const entry = <P = Record<string, never>>(en: Entry<P>['en'], zh: Entry<P>['zh']): Entry<P> => ({ en, zh });

type Where = 'query' | 'body' | 'path';
const WHERE_ZH: Record<Where, string> = { query: '参数', body: '内容', path: '路径' };
type Domain = 'university' | 'region' | 'field';
const DOMAIN_ZH: Record<Domain, string> = { university: '高校', region: '地区', field: '技术领域' };
type Grain = 'year' | 'quarter' | 'month';
const GRAIN_ZH: Record<Grain, string> = { year: '年', quarter: '季度', month: '月' };
const ROLE_ZH: Record<string, string> = { admin: '系统管理员', leadership: '联盟领导', steward: '数据管理员', commission: '发改委' };
const FREQUENCY_ZH: Record<string, string> = { month: '月', quarter: '季度', year: '年' };
const PERIOD_STATUS_ZH: Record<string, string> = Object.fromEntries(
  Object.entries(PERIOD_STATUS_LABELS).map(([status, label]) => [status, label.zh]),
);
/** What a budget of the server admits (server/http/gate.ts), named in both languages for `too_busy`. */
export const BUSY_WORK = {
  uploads: { en: 'uploads', zh: '上传' },
  imports: { en: 'imports', zh: '导入' },
  'report prints': { en: 'report prints', zh: '报告打印' },
  downloads: { en: 'downloads', zh: '下载' },
  'downloads being written': { en: 'downloads being written', zh: '下载文件生成' },
} as const;
export type BusyWork = keyof typeof BUSY_WORK;
const roleZh = (role: string): string => ROLE_ZH[role] ?? role;
const plural = (n: number, word: string): string => `${word}${n === 1 ? '' : 's'}`;
const count = (n: number): string => n.toLocaleString('en');

export const PROBLEMS = {
  // Cells and fields.
  required: entry(
    () => 'is required',
    () => '必填',
  ),
  not_text: entry(
    () => 'must be text',
    () => '必须是文本',
  ),
  not_one_line: entry(
    () => 'must be one line without control characters',
    () => '必须是一行文字，不含控制字符',
  ),
  control_characters: entry(
    () => 'must not hold control characters',
    () => '不能含控制字符',
  ),
  bidi_controls: entry(
    () => 'must not hold bidirectional control characters or marks (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)',
    () => '不能含双向文本控制字符或方向标记（U+061C、U+200E、U+200F、U+202A–U+202E、U+2066–U+2069）',
  ),
  invisible_characters: entry(
    () => 'must not hold invisible characters (zero-width and other format characters, fillers, variation selectors, tags, noncharacters)',
    () => '不能含不可见字符（零宽字符等格式字符、填充符、变体选择符、标签字符、非字符码位）',
  ),
  unrepresentable: entry(
    () => 'must be Unicode text without a lone surrogate or a NUL character',
    () => '必须是有效的 Unicode 文本，不含孤立代理字符或 NUL 字符',
  ),
  key_unrepresentable: entry(
    () => 'has a key that must be Unicode text without a lone surrogate or a NUL character',
    () => '有一个键不是有效的 Unicode 文本（含孤立代理字符或 NUL 字符）',
  ),
  max_characters: entry<{ max: number }>(
    (p) => `must be at most ${p.max} characters`,
    (p) => `最多 ${p.max} 个字符`,
  ),
  too_long: entry(
    () => 'is too long',
    () => '过长',
  ),
  too_large: entry(
    () => 'is too large',
    () => '过大',
  ),
  not_negative: entry(
    () => 'must not be negative',
    () => '不能为负数',
  ),
  above_zero: entry(
    () => 'must be above 0',
    () => '必须大于 0',
  ),
  whole_number: entry(
    () => 'must be a whole number',
    () => '必须是整数',
  ),
  whole_number_between: entry<{ min: number; max: number }>(
    (p) => `must be a whole number from ${p.min} to ${p.max}`,
    (p) => `必须是 ${p.min} 到 ${p.max} 之间的整数`,
  ),
  at_most: entry<{ limit: string }>(
    (p) => `must be at most ${p.limit}`,
    (p) => `不能超过 ${p.limit}`,
  ),
  max_decimals: entry<{ decimals: number }>(
    (p) => `must have at most ${p.decimals} ${plural(p.decimals, 'decimal')}`,
    (p) => `最多 ${p.decimals} 位小数`,
  ),
  money_format: entry(
    () => 'must be an amount in yuan such as 1200000.50',
    () => '必须是以元为单位的金额，如 1200000.50',
  ),
  credits_format: entry(
    () => 'must be a number of credits such as 4.5',
    () => '必须是学分数，如 4.5',
  ),
  number_or_null: entry(
    () => 'must be a number or null',
    () => '必须是数字或留空',
  ),
  thousands_separators: entry<{ plain: string; given: string }>(
    (p) => `must be written without thousands separators: ${p.plain}, not ${p.given}`,
    (p) => `不要使用千位分隔符：应写 ${p.plain}，而不是 ${p.given}`,
  ),
  one_of: entry<{ values: readonly string[] }>(
    (p, ctx) => `must be one of ${p.values.map((v) => ctx.value?.(v) ?? v).join(', ')}`,
    (p, ctx) => `必须是以下之一：${p.values.map((v) => ctx.value?.(v) ?? v).join('、')}`,
  ),
  code_format: entry<{ example: string }>(
    (p) => `must be a code such as ${p.example}`,
    (p) => `必须是代码，如 ${p.example}`,
  ),
  email: entry(
    () => 'must be an email address',
    () => '必须是电子邮件地址',
  ),
  year: entry(
    () => 'must be a year',
    () => '必须是年份',
  ),
  term_format: entry(
    () => 'must be a term such as 2024-2025-1',
    () => '必须是学期，如 2024-2025-1',
  ),
  term_years: entry(
    () => 'must name two consecutive years, such as 2024-2025-1',
    () => '学年须为相邻两年，如 2024-2025-1',
  ),
  // Dates.
  date_format: entry(
    () => 'must be a date written YYYY-MM-DD',
    () => '必须是日期，格式为 YYYY-MM-DD',
  ),
  real_date: entry(
    () => 'must be a real date written YYYY-MM-DD',
    () => '必须是真实的日期，格式为 YYYY-MM-DD',
  ),
  one_date: entry(
    () => 'must be one date written YYYY-MM-DD',
    () => '必须是一个日期，格式为 YYYY-MM-DD',
  ),
  no_such_day: entry<{ value: string }>(
    (p) => `must be a real date written YYYY-MM-DD: there is no ${p.value}`,
    (p) => `必须是真实的日期（YYYY-MM-DD）：不存在 ${p.value}`,
  ),
  date_reformatted: entry<{ value: string }>(
    (p) =>
      `must be a date written YYYY-MM-DD, not ${p.value} (a spreadsheet may have reformatted it: format the column as text or as yyyy-mm-dd)`,
    (p) => `必须是 YYYY-MM-DD 格式的日期，而不是 ${p.value}（可能被电子表格改了格式：请把该列设为文本或 yyyy-mm-dd 格式）`,
  ),
  not_a_date: entry<{ value: string }>(
    (p) => `must be a real date written YYYY-MM-DD, not "${p.value}"`,
    (p) => `必须是真实的日期，格式为 YYYY-MM-DD，而不是“${p.value}”`,
  ),
  in_future: entry(
    () => 'must not be in the future',
    () => '不能晚于今天',
  ),
  before_first_date: entry<{ first: string }>(
    (p) => `must not be before ${p.first}`,
    (p) => `不能早于 ${p.first}`,
  ),
  after_to: entry<{ from: string; to: string }>(
    (p) => `must not be after to (${p.from} > ${p.to})`,
    (p) => `不能晚于截止日期（${p.from} > ${p.to}）`,
  ),
  kind_one_of: entry<{ values: readonly string[] }>(
    (p) => `must be a kind of record: one of ${p.values.join(', ')}`,
    (p) => `必须是以下记录类型之一：${p.values.join(', ')}`,
  ),
  record_id: entry<{ positive: boolean }>(
    (p) => (p.positive ? 'must be a record id: a positive whole number' : 'must be a record id'),
    (p) => (p.positive ? '必须是记录编号：正整数' : '必须是记录编号'),
  ),
  sort_format: entry(
    () => 'must be a column name, with - before it for descending',
    () => '必须是列名，降序时在前面加 -',
  ),
  sort_one_of: entry<{ values: readonly string[] }>(
    (p) => `must be one of ${p.values.join(', ')} (with - for descending)`,
    (p) => `必须是以下之一：${p.values.join(', ')}（降序时加 -）`,
  ),
  measure_of_kind: entry<{ kind: string }>(
    (p) => `must be a measure of ${p.kind} records`,
    (p) => `必须是 ${p.kind} 记录的指标`,
  ),
  kind_lacks_dimension: entry<{ kind: string; dimension: string }>(
    (p) => `${p.kind} records have no dimension ${p.dimension}`,
    (p) => `${p.kind} 记录没有维度 ${p.dimension}`,
  ),
  no_measure: entry(
    () => 'name at least one measure',
    () => '请至少指定一个指标',
  ),
  true_or_false: entry(
    () => 'must be true or false',
    () => '必须是 true 或 false',
  ),
  dimension_twice: entry(
    () => 'names a dimension twice',
    () => '重复指定了同一维度',
  ),
  partner_measure_one_of: entry<{ values: readonly string[] }>(
    (p) => `must be one measure with a partner university: one of ${p.values.join(', ')}`,
    (p) => `必须是一个有合作高校的指标：${p.values.join(', ')} 之一`,
  ),
  date_between: entry<{ first: string; last: string }>(
    (p) => `must be between ${p.first} and ${p.last}`,
    (p) => `必须在 ${p.first} 与 ${p.last} 之间`,
  ),
  comma_list: entry(
    () => 'must be a comma-separated list',
    () => '必须是以逗号分隔的列表',
  ),
  list_too_long: entry<{ max: number }>(
    (p) => `is too long: at most ${p.max} characters`,
    (p) => `过长：最多 ${p.max} 个字符`,
  ),
  list_too_many: entry<{ max: number }>(
    (p) => `may name at most ${p.max} values`,
    (p) => `最多可列 ${p.max} 个值`,
  ),
  measure_one_of: entry<{ values: readonly string[] }>(
    (p) => `must be a measure: one of ${p.values.join(', ')}`,
    (p) => `必须是以下指标之一：${p.values.join(', ')}`,
  ),
  dimension_one_of: entry<{ values: readonly string[] }>(
    (p) => `must be a dimension: one of ${p.values.join(', ')}`,
    (p) => `必须是以下维度之一：${p.values.join(', ')}`,
  ),
  measure_lacks_dimension: entry<{ measure: string; dimension: string; dimensions: readonly string[] }>(
    (p) => `measure ${p.measure} has no dimension ${p.dimension}; its dimensions are ${p.dimensions.join(', ')}`,
    (p) => `指标 ${p.measure} 没有维度 ${p.dimension}；其维度为 ${p.dimensions.join(', ')}`,
  ),
  // Rules between a record's columns.
  differs_from_university: entry<{ home: boolean }>(
    (p) => (p.home ? 'must differ from university_code (the home university)' : 'must differ from university_code'),
    (p) => (p.home ? '不能与学生所在高校相同' : '不能与本校相同'),
  ),
  exceeds_column: entry<{ column: string; value: string | number }>(
    (p) => `must not exceed ${p.column} (${p.value})`,
    (p, ctx) => `不能超过${ctx.column(p.column)}（${p.value}）`,
  ),
  before_column: entry<{ column: string; value: string }>(
    (p) => `must not be before ${p.column} (${p.value})`,
    (p, ctx) => `不能早于${ctx.column(p.column)}（${p.value}）`,
  ),
  required_for_stage: entry<{ stage: string }>(
    (p) => `is required when the stage is ${p.stage}`,
    (p) => `阶段为“${p.stage === 'closed' ? '已终止' : p.stage === 'graduated' ? '已毕业' : p.stage}”时必填`,
  ),
  empty_unless_stage: entry<{ stage: string; now: string }>(
    (p) => `must be empty unless the stage is ${p.stage} (it is ${p.now})`,
    (p) => `阶段为 ${p.stage} 时才可填写（当前为 ${p.now}）`,
  ),
  required_with_graduates: entry(
    () => 'is required when graduates is above 0 (graduates are counted on the day the cohort completed)',
    () => '结业人数大于 0 时必填（结业人数按结业日期计）',
  ),
  required_with_stake: entry(
    () => 'is required when company_stake is given',
    () => '填写高校持股方式时必填',
  ),
  required_with_registration: entry(
    () => 'is required when company_registered_on is given (founded or shareholder)',
    () => '填写公司注册日期时必填（创设或参股）',
  ),
  rewards_exceed_value: entry<{ cash: string; equity: string; value: string }>(
    (p) => `the rewards (cash ${p.cash} and equity ${p.equity}) must not exceed contract_value_cny (${p.value})`,
    (p) => `现金奖励（${p.cash}）与股权奖励（${p.equity}）合计不能超过合同金额（${p.value}）`,
  ),
  reward_needs_people: entry(
    () => 'must be at least 1 when there is a reward',
    () => '有奖励时至少为 1',
  ),
  reward_needs_day: entry(
    () => 'is required when there is a reward',
    () => '有奖励时必填',
  ),
  no_reward_no_people: entry(
    () => 'must be 0 when there is no reward (reward_cash_cny and reward_equity_cny are 0)',
    () => '无奖励（现金奖励与股权奖励均为 0）时必须为 0',
  ),
  no_reward_no_day: entry(
    () => 'must be empty when there is no reward (reward_cash_cny and reward_equity_cny are 0)',
    () => '无奖励（现金奖励与股权奖励均为 0）时必须留空',
  ),
  // Contracts and their payments.
  // `stored`: a contract whose ref differs from the one given only by its leading zeros (00456 for 456).
  no_contract: entry<{ ref: string; university: string; stored?: string }>(
    (p) =>
      p.stored === undefined
        ? `there is no contract ${p.ref} of ${p.university}`
        : `there is no contract ${p.ref} of ${p.university}, but there is ${p.stored}, which differs from it only by its leading zeros: a spreadsheet may have read the refs as numbers. Write ${p.stored} (format the column as text)`,
    (p) =>
      p.stored === undefined
        ? `${p.university} 没有编号为 ${p.ref} 的合同`
        : `${p.university} 没有编号为 ${p.ref} 的合同，但有编号 ${p.stored}，与它只差开头的 0：电子表格可能把编号当作数字读取。请写成 ${p.stored}（把该列设为文本格式）`,
  ),
  before_signed: entry<{ signed: string }>(
    (p) => `must not be before the contract was signed (${p.signed})`,
    (p) => `不能早于合同签订日（${p.signed}）`,
  ),
  amount_exceeds_contract: entry<{ ref: string; total: string; value: string; room: string; other?: string }>(
    (p) =>
      p.other === undefined
        ? `would bring the payments on contract ${p.ref} to ${p.total}, above its contract value ${p.value}: at most ${p.room} can be received on it besides its other payments`
        : `would bring the payments on contract ${p.ref} to ${p.total}, above its contract value ${p.value}: at most ${p.room} can be received on this line (${p.other} received on it besides this file)`,
    (p) =>
      p.other === undefined
        ? `将使合同 ${p.ref} 的到账合计达到 ${p.total}，超过合同金额 ${p.value}：除其他到账外最多还可登记 ${p.room}`
        : `将使合同 ${p.ref} 的到账合计达到 ${p.total}，超过合同金额 ${p.value}：本行最多可登记 ${p.room}（本文件以外已到账 ${p.other}）`,
  ),
  below_received: entry<{ received: string }>(
    (p) => `must not be below the cash received on it (${p.received})`,
    (p) => `不能低于已到账金额（${p.received}）`,
  ),
  after_first_payment: entry<{ received: string }>(
    (p) => `must not be after its first payment (received ${p.received})`,
    (p) => `不能晚于首笔到账日期（${p.received}）`,
  ),
  received_read_only: entry<{ value: string }>(
    (p) => `is read only (${p.value}): the sum of the contract's payments: record a payment instead`,
    (p) => `只读（${p.value}）：为合同各笔到账之和，请登记到账记录`,
  ),
  contract_has_payments: entry<{ ref: string; university: string; count: number; rekey: boolean }>(
    (p) =>
      p.rekey
        ? `Contract ${p.ref} of ${p.university} has ${p.count} ${plural(p.count, 'payment')}: its university and ref cannot change while ${p.count === 1 ? 'it names' : 'they name'} it.`
        : `Contract ${p.ref} of ${p.university} has ${p.count} ${plural(p.count, 'payment')}: delete ${p.count === 1 ? 'it' : 'them'} first.`,
    (p) =>
      p.rekey
        ? `合同 ${p.ref}（${p.university}）有 ${p.count} 笔到账记录：在其引用期间不能更改高校或编号。`
        : `合同 ${p.ref}（${p.university}）有 ${p.count} 笔到账记录：请先删除。`,
  ),
  contract_rule_refused: entry<{ rule: 'missing_contract' | 'over_value' | 'before_signing'; during: 'write' | 'import' }>(
    (p) =>
      `${
        p.rule === 'missing_contract'
          ? 'The payment names a contract that does not exist, or the contract still has payments'
          : p.rule === 'over_value'
            ? 'The payments on a contract would sum above its contract value'
            : 'A payment would be dated before its contract was signed'
      }${p.during === 'write' ? '; nothing was written.' : ': another write got there first; nothing was imported.'}`,
    (p) =>
      `${
        p.rule === 'missing_contract'
          ? '到账记录所指的合同不存在，或该合同仍有到账记录'
          : p.rule === 'over_value'
            ? '合同的到账合计将超过合同金额'
            : '到账日期将早于合同签订日'
      }${p.during === 'write' ? '；未写入任何内容。' : '：另一写入先行完成；未导入任何记录。'}`,
  ),
  record_exists: entry<{ kind: string; ref: string; university: string }>(
    (p) => `A ${p.kind} record ${p.ref} of ${p.university} exists already.`,
    (p) => `${p.university} 已有编号为 ${p.ref} 的记录（${p.kind}）。`,
  ),
  capacity_snapshot_exists: entry<{ university: string; day: string }>(
    (p) => `${p.university} has a capacity snapshot on ${p.day} already.`,
    (p) => `${p.university} 在 ${p.day} 已有技术转移机构能力填报。`,
  ),
  snapshot_same_day_line: entry<{ university: string; line: number }>(
    (p) => `is also the day of the snapshot of ${p.university} on line ${p.line}: one snapshot per university and day`,
    (p) => `与第 ${p.line} 行 ${p.university} 的填报为同一天：每所高校每天一条`,
  ),
  snapshot_same_day_stored: entry<{ ref: string; university: string }>(
    (p) =>
      `is the day of the stored snapshot ${p.ref} of ${p.university}: one snapshot per university and day (update that one with its ref, or choose another day)`,
    (p) => `${p.university} 已有该日的填报 ${p.ref}：每所高校每天一条（请用其编号更新，或另选日期）`,
  ),
  contract_rule_broken: entry(
    () => 'The record breaks a rule between a contract and its payments.',
    () => '记录不符合合同与其到账记录之间的规则。',
  ),
  // Keys and references.
  university_name_taken: entry<{ code: string }>(
    (p) => `Another member, ${p.code}, has this name: two members are never named alike.`,
    (p) => `另一所成员高校（${p.code}）已使用此名称：成员高校的名称不能相同。`,
  ),
  name_of: entry<{ code: string }>(
    (p) => `is the name of ${p.code}`,
    (p) => `是 ${p.code} 的名称`,
  ),
  taken: entry(
    () => 'is taken',
    () => '已被使用',
  ),
  taken_in_university: entry(
    () => 'is taken within this university',
    () => '在本校已被使用',
  ),
  unknown_code: entry<{ domain: Domain; code: string; known: readonly string[] }>(
    (p) => `unknown ${p.domain} ${p.code}; known: ${p.known.join(', ')}`,
    (p) => `未知的${DOMAIN_ZH[p.domain]}代码 ${p.code}；可用：${p.known.join(', ')}`,
  ),
  unknown_filter_code: entry<{ code: string; known: readonly string[] }>(
    (p) => `unknown code ${p.code}; known: ${p.known.join(', ')}`,
    (p) => `未知的代码 ${p.code}；可用：${p.known.join(', ')}`,
  ),
  query_unknown_codes: entry(
    () => 'The query names codes that do not exist.',
    () => '查询中有不存在的代码。',
  ),
  record_not_found: entry<{ kind: string; id: number }>(
    (p) => `There is no ${p.kind} record ${p.id}.`,
    (p) => `没有编号为 ${p.id} 的 ${p.kind} 记录。`,
  ),
  change_unknown_fields: entry(
    () => 'The change names fields a record does not have.',
    () => '修改中有记录不存在的字段。',
  ),
  not_a_field: entry(
    () => 'is not a field of this kind of record',
    () => '不是此类记录的字段',
  ),
  change_empty: entry(
    () => 'The change names no field.',
    () => '修改未指定任何字段。',
  ),
  unknown_codes: entry(
    () => 'The record names codes that do not exist.',
    () => '记录中有不存在的代码。',
  ),
  snapshot_taken: entry(
    () => 'has a snapshot of this university already: one per university and day',
    () => '本校该日已有填报：每所高校每天一条',
  ),
  record_invalid: entry(
    () => 'The record is not valid.',
    () => '记录无效。',
  ),
  // Imported files.
  not_utf8: entry(
    () => 'the file is not UTF-8',
    () => '文件不是 UTF-8 编码',
  ),
  file_not_utf8: entry<{ utf16: boolean }>(
    (p) =>
      p.utf16
        ? 'The file looks like UTF-16 without a byte-order mark, which cannot be told apart safely. In Excel, save it as “CSV UTF-8 (Comma delimited)” and import it again.'
        : 'The file is not UTF-8, nor GB18030 (GBK) as Excel saves “CSV” in a Chinese locale (it may be Windows-1252). In Excel, save it as “CSV UTF-8 (Comma delimited)” and import it again.',
    (p) =>
      p.utf16
        ? '文件像是没有字节顺序标记（BOM）的 UTF-16 编码，无法可靠识别。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。'
        : '文件不是 UTF-8 编码，也不是 Excel 中文版保存“CSV”时使用的 GB18030（GBK）编码（可能是 Windows-1252）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。',
  ),
  file_utf8_damaged: entry(
    () =>
      'The file is UTF-8 up to a byte that is not: it was damaged, or text in another encoding was pasted into it. In Excel, save it as “CSV UTF-8 (Comma delimited)” and import it again.',
    () => '文件在某个字节之前是 UTF-8 编码，之后不是：文件已损坏，或粘贴进了其他编码的文字。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。',
  ),
  file_not_as_marked: entry<{ encoding: string }>(
    (p) =>
      `The file begins with the byte-order mark of ${p.encoding} but is not ${p.encoding} throughout: it was damaged. In Excel, save it as “CSV UTF-8 (Comma delimited)” and import it again.`,
    (p) =>
      `文件以 ${p.encoding} 的字节顺序标记（BOM）开头，但并非全部为 ${p.encoding} 编码：文件已损坏。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。`,
  ),
  bytes_not_encoding: entry<{ bytes: string; offset: number; encoding: string }>(
    (p) => `the bytes ${p.bytes} (at byte ${count(p.offset)} of the file) are not ${p.encoding}`,
    (p) => `字节 ${p.bytes}（位于文件第 ${count(p.offset)} 字节）不是 ${p.encoding} 编码`,
  ),
  file_changed_while_read: entry(
    () => 'the file changed while it was read: import it again',
    () => '文件在读取期间被修改：请重新导入',
  ),
  gb18030_doubtful: entry<{ text: string }>(
    (p) =>
      `read as GB18030 (GBK) this is “${p.text}”: a Chinese character inside a Latin word, or one of the private use area, is what a Windows-1252 file read as GBK gives`,
    (p) =>
      `按 GB18030（GBK）读取，此处为“${p.text}”：拉丁字母单词中夹有汉字，或出现私用区字符，这是 Windows-1252 文件被误读为 GBK 时的特征`,
  ),
  xlsx_truncated: entry(
    () => 'The file starts as a zip (an .xlsx workbook is one) but is cut short or damaged: save the workbook again in Excel (.xlsx) and import it again.',
    () => '文件以 zip 格式开头（.xlsx 工作簿即为 zip），但已被截断或损坏：请在 Excel 中重新保存为 .xlsx 后再导入。',
  ),
  xlsx_damaged: entry(
    () => 'The workbook is damaged (its zip or its XML cannot be read): save it again in Excel (.xlsx), or save the sheet as CSV UTF-8, and import it again.',
    () => '工作簿已损坏（无法读取其 zip 或 XML）：请在 Excel 中重新保存为 .xlsx，或将工作表另存为“CSV UTF-8”后再导入。',
  ),
  xlsx_zip64: entry(
    () => 'The workbook is stored as a ZIP64 archive, which an import of at most 50 MB never needs: save it again in Excel (.xlsx).',
    () => '工作簿以 ZIP64 格式存储，而不超过 50 MB 的导入文件无需此格式：请在 Excel 中重新保存为 .xlsx。',
  ),
  xlsx_compression: entry<{ method: number }>(
    (p) => `The workbook uses a zip compression method (${p.method}) that Excel does not write: save it again in Excel (.xlsx).`,
    (p) => `工作簿使用了 Excel 不会使用的 zip 压缩方式（${p.method}）：请在 Excel 中重新保存为 .xlsx。`,
  ),
  xlsx_zip_bomb: entry<{ part: string; ratio: number; megabytes: number }>(
    (p) =>
      `The workbook's part ${p.part} inflates to more than ${p.ratio} times its compressed size, or the workbook to more than ${count(p.megabytes)} MB: no workbook of records does; it is refused unread.`,
    (p) => `工作簿的部件 ${p.part} 解压后超过其压缩大小的 ${p.ratio} 倍，或整个工作簿解压后超过 ${count(p.megabytes)} MB：记录工作簿不会如此，已拒绝读取。`,
  ),
  xlsx_is_xls: entry(
    () =>
      'This is an Excel 97–2003 workbook (.xls) or another old Office file, which is not read: in Excel, save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and import that.',
    () => '这是 Excel 97–2003 工作簿（.xls）或其他旧版 Office 文件，无法读取：请在 Excel 中另存为“Excel 工作簿（.xlsx）”或“CSV UTF-8”后再导入。',
  ),
  xlsx_encrypted: entry(
    () =>
      'This workbook is protected with a password to open, so it cannot be read: in Excel, clear the password (File › Info › Protect Workbook › Encrypt with Password), save, and import it again.',
    () => '此工作簿设置了打开密码，无法读取：请在 Excel 中清除密码（文件 › 信息 › 保护工作簿 › 用密码进行加密），保存后再导入。',
  ),
  xlsx_is_ods: entry(
    () => 'This is an OpenDocument file (.ods), which is not read: save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and import that.',
    () => '这是 OpenDocument 文件（.ods），无法读取：请另存为“Excel 工作簿（.xlsx）”或“CSV UTF-8”后再导入。',
  ),
  xlsx_is_xlsb: entry(
    () => 'This is an Excel binary workbook (.xlsb), which is not read: save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and import that.',
    () => '这是 Excel 二进制工作簿（.xlsb），无法读取：请另存为“Excel 工作簿（.xlsx）”或“CSV UTF-8”后再导入。',
  ),
  sent_as_xlsx_not_zip: entry(
    () =>
      'This file was sent as an Excel workbook (.xlsx), but it is not one (a workbook is a zip file, and this is not): in Excel, save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and import that.',
    () => '此文件以 Excel 工作簿（.xlsx）发送，但并不是工作簿（工作簿是 zip 文件，此文件不是）：请在 Excel 中另存为“Excel 工作簿（.xlsx）”或“CSV UTF-8”后再导入。',
  ),
  xlsx_not_workbook: entry(
    () => 'This is a zip file but not an Excel workbook (it has no xl/workbook.xml): import a CSV, or an .xlsx saved by Excel.',
    () => '这是 zip 文件，但不是 Excel 工作簿（没有 xl/workbook.xml）：请导入 CSV，或由 Excel 保存的 .xlsx。',
  ),
  xlsx_part_too_large: entry(
    () => 'A part of the workbook (its list of sheets, relationships or styles) is larger than 8 MB: no workbook of records has one; save it again in Excel.',
    () => '工作簿的某个部件（工作表列表、关系或样式）超过 8 MB：记录工作簿不会如此；请在 Excel 中重新保存。',
  ),
  xlsx_shared_strings: entry<{ megabytes: number }>(
    (p) =>
      `The workbook's shared strings are larger than ${p.megabytes} MB: split the file, or save the sheet as CSV UTF-8 and import that.`,
    (p) => `工作簿的共享字符串超过 ${p.megabytes} MB：请拆分文件，或将工作表另存为“CSV UTF-8”后导入。`,
  ),
  xlsx_too_many_cells: entry<{ cells: number }>(
    (p) =>
      `The workbook holds more than ${count(p.cells)} cells, empty ones included: no workbook of records does. Delete the unused rows and columns, or save the sheet as CSV UTF-8, and import it again.`,
    (p) => `工作簿包含的单元格（含空单元格）超过 ${count(p.cells)} 个：记录工作簿不会如此。请删除未使用的行和列，或将工作表另存为“CSV UTF-8”后再导入。`,
  ),
  xlsx_no_sheet: entry(
    () => 'The workbook has no visible worksheet to read.',
    () => '工作簿中没有可读取的可见工作表。',
  ),
  xlsx_error_value: entry<{ value: string }>(
    (p) => `holds the error ${p.value}: correct the formula or type the value`,
    (p) => `单元格为错误值 ${p.value}：请修正公式或直接填写数值`,
  ),
  xlsx_formula_without_value: entry(
    () => 'holds a formula whose result was never saved: open the file in Excel and save it again (or paste the values)',
    () => '单元格中的公式没有保存计算结果：请在 Excel 中打开后重新保存（或粘贴为数值）',
  ),
  xlsx_date_not_expected: entry(
    () => 'is a date cell, but this column takes no date: format the cell as text (or as a number) and type the value',
    () => '单元格是日期格式，但此列不接受日期：请将单元格设为文本（或数字）格式后重新填写',
  ),
  xlsx_not_a_day: entry<{ value: string; date1904: boolean }>(
    (p) =>
      `the number ${p.value} is no day of the workbook's calendar (${p.date1904 ? '1904 date system: 0 is 1904-01-01' : '1900 date system: 1 is 1900-01-01, and 60 the 29 February 1900 that never was'}): type the date as YYYY-MM-DD`,
    (p) =>
      `数字 ${p.value} 不是工作簿日历中的日期（${p.date1904 ? '1904 日期系统：0 为 1904-01-01' : '1900 日期系统：1 为 1900-01-01，60 为并不存在的 1900 年 2 月 29 日'}）：请按 YYYY-MM-DD 填写日期`,
  ),
  xlsx_merged: entry<{ range: string }>(
    (p) => `the cells ${p.range} are merged: unmerge them and give each cell its value`,
    (p) => `单元格 ${p.range} 已合并：请取消合并，并为每个单元格填写数值`,
  ),
  header_mismatch: entry(
    () => 'The header does not match the columns of this kind of record.',
    () => '表头与此类记录的列不符。',
  ),
  ends_inside_character: entry(
    () => 'the file ends inside a character',
    () => '文件在一个字符中间结束',
  ),
  file_problems: entry<{ count: number }>(
    (p) => `The file has ${count(p.count)} ${plural(p.count, 'problem')}: nothing was imported.`,
    (p) => `文件中有 ${count(p.count)} 处问题，未导入任何记录。`,
  ),
  too_many_problems: entry<{ count: number }>(
    (p) =>
      `${count(p.count)} or more problems in the file (the check stopped there); is it the right file for this kind of record? Nothing was imported.`,
    (p) => `文件中的问题达到 ${count(p.count)} 处或以上（检查已停止）；是否选错了文件？未导入任何记录。`,
  ),
  too_many_empty_rows: entry<{ count: number }>(
    (p) => `The file has more than ${count(p.count)} empty rows; is it the right file? Nothing was imported.`,
    (p) => `文件中有超过 ${count(p.count)} 个空行；是否选错了文件？未导入任何记录。`,
  ),
  empty_rows_by_line: entry<{ count: number }>(
    (p) => `more than ${count(p.count)} empty rows by this line`,
    (p) => `到此行为止已有超过 ${count(p.count)} 个空行`,
  ),
  header_delimiter: entry<{ delimiter: string }>(
    (p) => `the header is separated by ${p.delimiter}, not commas: save the file as CSV (comma delimited)`,
    (p) => `表头以 ${p.delimiter} 分隔，而不是逗号：请另存为 CSV（逗号分隔）`,
  ),
  unknown_column: entry<{ column: string }>(
    (p) => `unknown column "${p.column}"`,
    (p) => `未知的列“${p.column}”`,
  ),
  column_twice: entry<{ column: string }>(
    (p) => `the column ${p.column} appears twice`,
    (p, ctx) => `列 ${ctx.column(p.column)} 出现了两次`,
  ),
  column_missing: entry<{ column: string; zh: string }>(
    (p) => `the column ${p.column} (${p.zh}) is missing`,
    (p) => `缺少列 ${p.column}（${p.zh}）`,
  ),
  header_of_other_kind: entry<{ kind: string; kindName: string; other: string; otherName: string; otherNameZh: string }>(
    (p) => `the header is that of ${p.otherName} (${p.other}), not of ${p.kindName} (${p.kind}): import the file as ${p.other}`,
    (p) => `表头属于${p.otherNameZh}（${p.other}），不是 ${p.kind} 记录：请按 ${p.other} 导入`,
  ),
  columns_of_kind: entry<{ kind: string; columns: readonly string[] }>(
    (p) => `the columns of ${p.kind} are ${p.columns.join(', ')}`,
    (p) => `${p.kind} 的列为：${p.columns.join(', ')}`,
  ),
  row_width: entry<{ cells: number; header: number }>(
    (p) => `the row has ${p.cells} cells, the header ${p.header}`,
    (p) => `该行有 ${p.cells} 个单元格，表头有 ${p.header} 个`,
  ),
  duplicate_ref: entry<{ ref: string; university: string; line: number }>(
    (p) => `ref ${p.ref} of ${p.university} is also on line ${p.line}`,
    (p) => `编号 ${p.ref}（${p.university}）与第 ${p.line} 行重复`,
  ),
  ref_lost_zeros: entry<{ ref: string; stored: string; university: string }>(
    (p) =>
      `ref ${p.ref} of ${p.university} is new, but the stored ref ${p.stored} differs from it only by its leading zeros: a spreadsheet may have read the refs as numbers. Write ${p.stored} (format the column as text), or give a new record a ref of its own`,
    (p) =>
      `编号 ${p.ref}（${p.university}）是新编号，但已存编号 ${p.stored} 与它只差开头的 0：电子表格可能把编号当作数字读取。请写成 ${p.stored}（把该列设为文本格式），或为新记录另取编号`,
  ),
  repeated_refs: entry<{ count: number }>(
    (p) =>
      `${count(p.count)} ${plural(p.count, 'row')} repeat${p.count === 1 ? 's' : ''} a ref of an earlier row; nothing was imported.`,
    (p) => `有 ${count(p.count)} 行重复了前面某行的编号；未导入任何记录。`,
  ),
  file_value_refused: entry(
    () => 'The database refused a value of the file; nothing was imported.',
    () => '数据库拒绝了文件中的一个值；未导入任何记录。',
  ),
  steward_foreign_row: entry<{ own: string; university: string }>(
    (p) => `a steward of ${p.own} may not import records of ${p.university}`,
    (p) => `${p.own} 的管理员不能导入 ${p.university} 的记录`,
  ),
  steward_foreign_file: entry<{ own: string; count: number }>(
    (p) => `A steward of ${p.own} may import only its own university's records; ${p.count} row(s) belong to another.`,
    (p) => `${p.own} 的管理员只能导入本校记录；有 ${p.count} 行属于其他高校。`,
  ),
  row_too_large: entry<{ kilobytes: number; cells: number }>(
    (p) => `A row of the file is larger than a record can be (${p.kilobytes} KB, ${p.cells} cells); nothing was imported.`,
    (p) => `文件中有一行超过了一条记录的上限（${p.kilobytes} KB，${p.cells} 个单元格）；未导入任何记录。`,
  ),
  row_too_many_cells: entry<{ cells: number }>(
    (p) => `the row has more than ${p.cells} cells`,
    (p) => `该行超过 ${p.cells} 个单元格`,
  ),
  row_too_long: entry<{ kilobytes: number; inQuotes: boolean }>(
    (p) =>
      `the row is longer than ${p.kilobytes} KB${p.inQuotes ? ' (there it is inside a quoted cell: is a closing " missing?)' : ''}`,
    (p) => `该行超过 ${p.kilobytes} KB${p.inQuotes ? '（此处位于带引号的单元格内：是否缺少闭合的 "？）' : ''}`,
  ),
  csv_quote_not_closed: entry(
    () => 'a quoted cell is never closed (a " is missing)',
    () => '带引号的单元格没有闭合（缺少一个 "）',
  ),
  csv_quote_inside: entry(
    () => 'a " appears inside a cell that does not start with one; quote the whole cell and double the " inside',
    () => '不以 " 开头的单元格中出现了 "；请给整个单元格加引号，并把其中的 " 写两遍',
  ),
  csv_after_closing_quote: entry(
    () => 'a quoted cell goes on after its closing "; double any " inside the cell',
    () => '带引号的单元格在闭合的 " 之后还有内容；单元格中的 " 请写两遍',
  ),
  csv_unreadable: entry<{ reason: string }>(
    (p) => `the CSV cannot be read: ${p.reason}`,
    (p) => `无法读取 CSV：${p.reason}`,
  ),
  csv_invalid: entry(
    () => 'The file is not valid CSV.',
    () => '文件不是有效的 CSV。',
  ),
  file_empty: entry(
    () => 'The file is empty.',
    () => '文件为空。',
  ),
  file_empty_here: entry(
    () => 'the file is empty: it needs a header and at least one row',
    () => '文件为空：需要表头和至少一行数据',
  ),
  no_rows: entry(
    () => 'The file has a header but no rows.',
    () => '文件只有表头，没有数据行。',
  ),
  no_rows_here: entry(
    () => 'there are no rows under the header',
    () => '表头下没有数据行',
  ),
  too_many_rows: entry<{ max: number }>(
    (p) => `The file has more than ${count(p.max)} rows; split it and import the parts one after another.`,
    (p) => `文件超过 ${count(p.max)} 行；请拆分后依次导入。`,
  ),
  file_too_large: entry<{ megabytes: number }>(
    (p) => `The file is larger than ${p.megabytes} MB; split it and import the parts one after another.`,
    (p) => `文件大于 ${p.megabytes} MB；请拆分后依次导入。`,
  ),
  // Uploads.
  upload_encoded: entry<{ encoding: string }>(
    (p) => `Send the file as it is, not encoded as ${p.encoding}.`,
    (p) => `请直接发送文件，不要以 ${p.encoding} 编码。`,
  ),
  must_be_identity: entry(
    () => 'must be absent (or identity)',
    () => '必须省略（或为 identity）',
  ),
  upload_type: entry<{ type: string }>(
    (p) => `Send the file as text/csv or as multipart/form-data, not ${p.type || 'no content type'}.`,
    (p) => `请以 text/csv 或 multipart/form-data 发送文件，而不是 ${p.type || '无内容类型'}。`,
  ),
  must_be_csv_or_form: entry(
    () => 'must be text/csv, the .xlsx type (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) or multipart/form-data',
    () => '必须是 text/csv、.xlsx 类型（application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）或 multipart/form-data',
  ),
  upload_idle: entry<{ seconds: number }>(
    (p) => `The upload sent nothing for ${p.seconds} s; it was stopped. Send the file again.`,
    (p) => `上传已有 ${p.seconds} 秒没有发送数据，已被停止。请重新发送文件。`,
  ),
  upload_slow: entry<{ kilobytesPerSecond: number }>(
    (p) =>
      `The upload arrives too slowly (under ${p.kilobytesPerSecond} KB/s); it was stopped. Send the file again from a faster connection.`,
    (p) => `上传速度过慢（低于 ${p.kilobytesPerSecond} KB/s），已被停止。请在更快的网络下重新发送。`,
  ),
  upload_interrupted: entry(
    () => 'The upload was interrupted before it was complete.',
    () => '上传在完成前被中断。',
  ),
  form_unreadable: entry<{ reason: string }>(
    (p) => `The multipart form cannot be read: ${p.reason}`,
    (p) => `无法读取表单：${p.reason}`,
  ),
  one_file: entry(
    () => 'Send one file at a time.',
    () => '请一次发送一个文件。',
  ),
  appears_twice: entry(
    () => 'appears more than once',
    () => '出现了不止一次',
  ),
  form_file_is_text: entry(
    () => 'The form part named file is text, not a file: attach the CSV as a file (with a file name).',
    () => '表单中名为 file 的部分是文本而不是文件：请以文件（带文件名）附加 CSV。',
  ),
  must_be_file: entry(
    () => 'must be a file, with a file name',
    () => '必须是带文件名的文件',
  ),
  form_part_unread: entry<{ name: string }>(
    (p) => `The form's part ${p.name} is not read by an import: send the file alone, as the part named file, and options such as dryRun in the query.`,
    (p) => `导入不读取表单中的 ${p.name} 部分：只以名为 file 的部分发送文件，dryRun 等选项放在查询参数中。`,
  ),
  not_a_part: entry(
    () => 'is not a part this form takes',
    () => '不是此表单接受的部分',
  ),
  form_no_file: entry(
    () => 'The form has no part named file.',
    () => '表单中没有名为 file 的部分。',
  ),
  // What a schema says of a value without words of its own (zod's checks, said by the catalogue).
  not_a_number: entry(
    () => 'must be a number',
    () => '必须是数字',
  ),
  not_a_list: entry(
    () => 'must be a list',
    () => '必须是列表',
  ),
  wrong_type: entry<{ expected: string }>(
    (p) => `must be of type ${p.expected}`,
    (p) => `类型必须是 ${p.expected}`,
  ),
  at_least: entry<{ limit: string }>(
    (p) => `must be at least ${p.limit}`,
    (p) => `不能小于 ${p.limit}`,
  ),
  list_too_short: entry<{ min: number }>(
    (p) => `must hold at least ${p.min} ${plural(p.min, 'item')}`,
    (p) => `至少需要 ${p.min} 项`,
  ),
  multiple_of: entry<{ divisor: string }>(
    (p) => `must be a multiple of ${p.divisor}`,
    (p) => `必须是 ${p.divisor} 的倍数`,
  ),
  wrong_format: entry(
    () => 'is not in the expected form',
    () => '格式不正确',
  ),
  unknown_keys: entry<{ keys: readonly string[] }>(
    (p) => `has unknown ${plural(p.keys.length, 'key')}: ${p.keys.join(', ')}`,
    (p) => `含有未知的键：${p.keys.join('、')}`,
  ),
  invalid: entry(
    () => 'is not valid',
    () => '无效',
  ),
  // Requests.
  request_invalid: entry<{ where: Where }>(
    (p) => `The request's ${p.where} is not valid.`,
    (p) => `请求的${WHERE_ZH[p.where]}无效。`,
  ),
  no_query_parameters: entry<{ method: string; path: string }>(
    (p) => `${p.method} ${p.path} takes no query parameters.`,
    (p) => `${p.method} ${p.path} 不接受查询参数。`,
  ),
  no_body: entry<{ method: string; path: string }>(
    (p) => `${p.method} ${p.path} takes no body.`,
    (p) => `${p.method} ${p.path} 不接受请求体。`,
  ),
  not_expected: entry(
    () => 'is not expected here: send the request without it',
    () => '此处不应有内容：请不带它发送请求',
  ),
  not_a_parameter: entry(
    () => 'is not a parameter of this route',
    () => '不是此接口的参数',
  ),
  send_json: entry(
    () => 'Send the body as application/json.',
    () => '请以 application/json 发送内容。',
  ),
  must_be_json_type: entry(
    () => 'must be application/json',
    () => '必须是 application/json',
  ),
  must_be_object: entry(
    () => 'must be a JSON object',
    () => '必须是 JSON 对象',
  ),
  body_too_large: entry<{ limit: string }>(
    (p) => `The body is larger than the limit of ${p.limit} bytes.`,
    (p) => `内容超过了 ${p.limit} 字节的上限。`,
  ),
  body_not_json: entry(
    () => 'The body must be a JSON object.',
    () => '内容必须是 JSON 对象。',
  ),
  body_not_utf8: entry(
    () => 'The body must be UTF-8.',
    () => '内容必须是 UTF-8 编码。',
  ),
  request_aborted: entry(
    () => 'The request was aborted before its body arrived.',
    () => '请求在内容到达前被中止。',
  ),
  malformed_escape: entry(
    () => 'The path has a malformed percent-escape.',
    () => '路径中有格式错误的百分号编码。',
  ),
  escape_not_utf8: entry(
    () => 'has a percent-escape that is not UTF-8 text',
    () => '含有不是 UTF-8 文本的百分号编码',
  ),
  request_unreadable: entry(
    () => 'The request cannot be read.',
    () => '无法读取请求。',
  ),
  method_not_allowed: entry<{ method: string; path: string; allow: readonly string[] }>(
    (p) => `${p.path} does not take ${p.method}; it takes ${p.allow.join(', ')}.`,
    (p) => `${p.path} 不接受 ${p.method} 请求；可用的方法：${p.allow.join('、')}。`,
  ),
  headers_too_large: entry(
    () => 'The request headers are too large.',
    () => '请求头过大。',
  ),
  request_too_slow: entry(
    () => 'The request took too long to arrive.',
    () => '请求到达耗时过长。',
  ),
  body_cut_short: entry(
    () => 'The request ended before its body was whole.',
    () => '请求在内容完整到达之前就结束了。',
  ),
  not_http: entry(
    () => 'The request cannot be read as HTTP.',
    () => '无法按 HTTP 读取该请求。',
  ),
  request_too_large: entry(
    () => 'The request is too large.',
    () => '请求过大。',
  ),
  media_type_unsupported: entry(
    () => 'The request’s content type is not supported here.',
    () => '此处不支持该请求的内容类型。',
  ),
  no_such_route: entry<{ method: string; path: string }>(
    (p) => `There is no ${p.method} ${p.path}.`,
    (p) => `没有 ${p.method} ${p.path}。`,
  ),
  not_found: entry(
    () => 'Not found.',
    () => '未找到。',
  ),
  sign_in_first: entry(
    () => 'Sign in first.',
    () => '请先登录。',
  ),
  role_may_not: entry(
    () => 'Your role may not do this.',
    () => '您的角色无权执行此操作。',
  ),
  role_needed: entry<{ roles: readonly string[]; role: string }>(
    (p) => `This needs the role ${p.roles.join(' or ')}; you are ${p.role}.`,
    (p) => `此操作需要 ${p.roles.join(' 或 ')} 角色；您的角色是 ${p.role}。`,
  ),
  // Storage and availability.
  cannot_store: entry(
    () => 'cannot be stored as given',
    () => '无法按原样保存',
  ),
  value_cannot_store: entry(
    () => 'A value cannot be stored as given.',
    () => '有一个值无法按原样保存。',
  ),
  same_key: entry(
    () => 'A record with the same key exists already.',
    () => '已有相同键的记录。',
  ),
  write_met_another: entry(
    () => 'The change met another made at the same moment and was not written; send it again.',
    () => '该修改与同时进行的另一修改冲突，未被写入；请重新发送。',
  ),
  database_unavailable: entry(
    () => 'The database is not answering; try again shortly.',
    () => '数据库暂无响应，请稍后再试。',
  ),
  write_not_applied: entry(
    () =>
      'The database stopped answering before this change was committed: nothing of it was applied. Send it again when the service is back.',
    () => '数据库在提交此修改前停止响应：修改未生效。请在服务恢复后重新发送。',
  ),
  write_outcome_unknown: entry<{ during: 'statement' | 'commit'; seconds?: number }>(
    (p) =>
      `${
        p.during === 'statement'
          ? 'The database stopped answering while a statement of this request ran outside a transaction'
          : `The database stopped answering while this change was being committed and did not come back within ${p.seconds ?? 0} s`
      }, so whether this change was applied is unknown. Sending it again is safe: a change is never applied twice (records and imports are keyed by university and ref, a report submission by its period and digest), and a retry says what it found.`,
    (p) =>
      `${p.during === 'statement' ? '数据库在执行此请求的语句时停止响应' : `数据库在提交此修改时停止响应，且 ${p.seconds ?? 0} 秒内未恢复`}，无法确定修改是否生效。重新发送是安全的：同一修改不会生效两次，重试会说明其结果。`,
  ),
  internal_error: entry<{ requestId: string }>(
    (p) => `Something went wrong on our side. Quote request id ${p.requestId} when you report it.`,
    (p) => `服务器出错。报告问题时请提供请求编号 ${p.requestId}。`,
  ),
  too_busy: entry<{ what: BusyWork; running: number; waiting: number }>(
    (p) => `Too many ${BUSY_WORK[p.what].en} at once (${p.running} running, ${p.waiting} waiting); try again shortly.`,
    (p) => `同时进行的${BUSY_WORK[p.what].zh}过多（${p.running} 个进行中，${p.waiting} 个等待中）；请稍后再试。`,
  ),
  period_before_members: entry<{ period: string; first: string }>(
    (p) => `No university had joined the alliance by the end of ${p.period} (the first joined on ${p.first}).`,
    (p) => `${p.period} 结束前尚无高校加入联盟（最早加入日期为 ${p.first}）。`,
  ),
  must_end_after_first_member: entry<{ first: string }>(
    (p) => `must end on or after ${p.first}, the day the first member joined`,
    (p) => `结束日期不能早于 ${p.first}（第一所成员高校加入之日）`,
  ),
  period_not_begun: entry<{ period: string; today: string }>(
    (p) => `The period ${p.period} has not begun (today is ${p.today}).`,
    (p) => `期间 ${p.period} 尚未开始（今天是 ${p.today}）。`,
  ),
  // Sign-in, roles and sites.
  other_site: entry(
    () => 'This request comes from another site.',
    () => '此请求来自其他网站。',
  ),
  csrf_needed: entry<{ header: string }>(
    (p) => `A signed-in change needs the ${p.header} header from /api/v1/auth/me.`,
    (p) => `登录后的修改须附带 ${p.header} 请求头（从 /api/v1/auth/me 获取）。`,
  ),
  role_may_not_write: entry<{ role: string }>(
    (p) => `The role ${p.role} may not change records.`,
    (p) => `${roleZh(p.role)}不能修改记录。`,
  ),
  steward_own_university: entry<{ university: string }>(
    (p) => `A steward of ${p.university} may change only its own university's records.`,
    (p) => `${p.university} 的数据管理员只能修改本校的记录。`,
  ),
  steward_own_periods: entry<{ university: string }>(
    (p) => `A steward of ${p.university} submits and reads only its own university's periods.`,
    (p) => `${p.university} 的数据管理员只能报送和查看本校的报送期间。`,
  ),
  wrong_credentials: entry(
    () => 'The email or password is not right.',
    () => '电子邮件或密码不正确。',
  ),
  demo_password_retired: entry(
    () =>
      'This demo account still has the published demo password, and the database now holds more than the demo data, so it may no longer sign in with it. An operator should leave demo mode (npm run cli -- leave-demo --keep-records, or --remove-records), or set the account a password of its own (npm run cli -- user set-password --email <email>).',
    () =>
      '此演示账号仍在使用公开的演示密码，而数据库中已不只有演示数据，因此不能再用该密码登录。请运维人员退出演示模式（npm run cli -- leave-demo --keep-records 或 --remove-records），或为该账号设置自己的密码（npm run cli -- user set-password --email <email>）。',
  ),
  passwords_busy: entry(
    () => 'Too many passwords are being checked at once; try again in a few seconds.',
    () => '同时校验的密码过多，请几秒后再试。',
  ),
  sign_ins_at_once: entry(
    () => 'Too many sign-ins at once from this address; try again in a moment.',
    () => '此地址同时进行的登录过多，请稍后再试。',
  ),
  sign_ins_failed: entry<{ by: 'address' | 'account' }>(
    (p) => `Too many failed sign-ins ${p.by === 'address' ? 'from this address' : 'for this account'}; try again later.`,
    (p) => `${p.by === 'address' ? '此地址' : '此账号'}登录失败次数过多，请稍后再试。`,
  ),
  // Accounts.
  password_too_plain: entry<{ distinct: number }>(
    (p) => `must hold at least ${p.distinct} different characters`,
    (p) => `至少包含 ${p.distinct} 个互不相同的字符`,
  ),
  password_published: entry(
    () => 'is the published demo password: choose one of your own',
    () => '是公开的演示密码：请设置自己的密码',
  ),
  min_characters: entry<{ min: number }>(
    (p) => `must be at least ${p.min} characters`,
    (p) => `至少 ${p.min} 个字符`,
  ),
  user_id: entry(
    () => 'must be a user id: a positive whole number',
    () => '必须是用户编号：正整数',
  ),
  required_for_steward: entry(
    () => 'is required for a steward',
    () => '角色为数据管理员时必填',
  ),
  empty_for_role: entry<{ role: string }>(
    (p) => `must be empty for the role ${p.role}`,
    (p) => `角色为${roleZh(p.role)}时必须留空`,
  ),
  account_exists: entry<{ email: string }>(
    (p) => `An account with the email ${p.email} exists already.`,
    (p) => `电子邮件为 ${p.email} 的账号已存在。`,
  ),
  no_user: entry<{ id: number }>(
    (p) => `There is no user ${p.id}.`,
    (p) => `没有编号为 ${p.id} 的用户。`,
  ),
  account_inconsistent: entry(
    () => 'The change would leave the account inconsistent.',
    () => '此修改会使账号的角色与所属高校不一致。',
  ),
  last_admin: entry(
    () => 'This is the last active administrator: appoint another first.',
    () => '这是最后一位在用的系统管理员：请先任命另一位。',
  ),
  // Universities and provinces.
  code_letters: entry(
    () => 'must be 2–16 letters, digits or _, starting with a letter',
    () => '必须是 2–16 个字母、数字或 _，并以字母开头',
  ),
  code_reserved: entry<{ code: string }>(
    (p) => `${p.code} is reserved: it names the alliance as a whole in the targets`,
    (p) => `${p.code} 为保留代码：在目标中指整个联盟`,
  ),
  university_code: entry(
    () => 'must be a university code',
    () => '必须是高校代码',
  ),
  university_code_or_alliance: entry(
    () => 'must be a university code or alliance',
    () => '必须是高校代码或 alliance（联盟）',
  ),
  unknown_named: entry<{ domain: Domain; code: string }>(
    (p) => `unknown ${p.domain} ${p.code}`,
    (p) => `未知的${DOMAIN_ZH[p.domain]} ${p.code}`,
  ),
  no_such_province: entry(
    () => 'The province does not exist.',
    () => '该省份不存在。',
  ),
  no_such_university: entry(
    () => 'The university does not exist.',
    () => '该高校不存在。',
  ),
  university_exists: entry<{ code: string }>(
    (p) => `The university ${p.code} exists already.`,
    (p) => `高校 ${p.code} 已存在。`,
  ),
  no_university: entry<{ code: string }>(
    (p) => `There is no university ${p.code}.`,
    (p) => `没有代码为 ${p.code} 的高校。`,
  ),
  university_in_use: entry<{ code: string }>(
    (p) => `The university ${p.code} has records, accounts or targets, so it is kept; rename it instead.`,
    (p) => `高校 ${p.code} 仍有记录、账号或目标，因此不能删除；如需更正，请修改其名称。`,
  ),
  lead_stays: entry<{ code: string }>(
    (p) =>
      `${p.code} leads the alliance, which must always have a lead: make another university the lead instead (that takes the role from ${p.code}).`,
    (p) => `${p.code} 是联盟的牵头高校，联盟必须有一所牵头高校：请改为将另一所高校设为牵头高校（${p.code} 随之不再牵头）。`,
  ),
  choose_one_of: entry<{ field: string; values: readonly string[] }>(
    (p, ctx) => `${ctx.column(p.field)} must be one of ${p.values.map((v) => ctx.value?.(v) ?? v).join(', ')}`,
    (p, ctx) => `${ctx.column(p.field)}必须是以下之一：${p.values.map((v) => ctx.value?.(v) ?? v).join('、')}`,
  ),
  change_no_field: entry(
    () => 'name at least one field to change',
    () => '请至少指定一个要修改的字段',
  ),
  // Targets.
  targeted_measure_one_of: entry<{ values: readonly string[] }>(
    (p) => `must be a measure that takes a target: one of ${p.values.join(', ')}`,
    (p) => `必须是可设目标的指标：${p.values.join(', ')} 之一`,
  ),
  year_from: entry<{ min: number }>(
    (p) => `must be ${p.min} or later`,
    (p) => `不能早于 ${p.min} 年`,
  ),
  year_to: entry<{ max: number }>(
    (p) => `must be ${p.max} or earlier`,
    (p) => `不能晚于 ${p.max} 年`,
  ),
  no_target: entry(
    () => 'name at least one target',
    () => '请至少指定一个目标',
  ),
  at_most_at_once: entry<{ max: number }>(
    (p) => `at most ${p.max} at once`,
    (p) => `一次最多 ${p.max} 个`,
  ),
  same_target: entry<{ first: number }>(
    (p) => `the same target as targets.${p.first}`,
    (p) => `与 targets.${p.first} 是同一目标`,
  ),
  query_unknown_universities: entry(
    () => 'The query names universities that do not exist.',
    () => '查询中有不存在的高校。',
  ),
  targets_unknown_universities: entry(
    () => 'Targets name universities that do not exist.',
    () => '目标中有不存在的高校。',
  ),
  // Lists, choices and queries.
  either: entry<{ a: string; b: string }>(
    (p) => `must be ${p.a} or ${p.b}`,
    (p) => `必须是 ${p.a} 或 ${p.b}`,
  ),
  among: entry<{ values: readonly string[] }>(
    (p) => `must be among ${p.values.join(', ')}`,
    (p) => `必须是以下之一：${p.values.join(', ')}`,
  ),
  too_many_periods: entry<{ count: number; grain: Grain; max: number }>(
    (p) => `The range spans ${p.count} periods by ${p.grain}; at most ${p.max} can be listed.`,
    (p) => `该范围按${GRAIN_ZH[p.grain]}共有 ${p.count} 个期间，最多可列出 ${p.max} 个。`,
  ),
  narrow_range: entry<{ grain: Grain }>(
    (p) => `narrow from and to, or group by a coarser period than ${p.grain}`,
    (p) => `请缩小起止日期范围，或按比${GRAIN_ZH[p.grain]}更长的期间分组`,
  ),
  // Reports.
  period: entry(
    () => 'must be a period: 2024, 2024-H1 or 2024-Q3',
    () => '必须是期间：如 2024、2024-H1 或 2024-Q3',
  ),
  period_format: entry(
    () => 'must be a period: a year (2024), a half (2024-H1, 2024-H2) or a quarter (2024-Q1 … 2024-Q4)',
    () => '必须是期间：年（2024）、半年（2024-H1、2024-H2）或季度（2024-Q1 … 2024-Q4）',
  ),
  year_between: entry<{ min: number; max: number }>(
    (p) => `must be a year from ${p.min} to ${p.max}`,
    (p) => `年份必须在 ${p.min} 到 ${p.max} 之间`,
  ),
  table_one_of: entry<{ values: readonly string[] }>(
    (p) => `must be a table of the report: one of ${p.values.join(', ')}`,
    (p) => `必须是报告中的表：${p.values.join(', ')} 之一`,
  ),
  name_table: entry<{ values: readonly string[] }>(
    (p) => `name the table to download: one of ${p.values.join(', ')}`,
    (p) => `请指定要下载的表：${p.values.join(', ')} 之一`,
  ),
  csv_only: entry(
    () => 'applies to format=csv only',
    () => '仅适用于 format=csv',
  ),
  submission_id: entry(
    () => 'must be a submission id',
    () => '必须是提交编号',
  ),
  sha256: entry(
    () => 'must be a SHA-256 in lower-case hex',
    () => '必须是小写十六进制的 SHA-256 摘要',
  ),
  must_have_begun: entry<{ period: string; from: string }>(
    (p) => `must have begun: ${p.period} starts on ${p.from}`,
    (p) => `期间须已开始：${p.period} 从 ${p.from} 开始`,
  ),
  no_such_period: entry<{ period: string }>(
    (p) => `There is no period ${p.period}.`,
    (p) => `没有期间 ${p.period}。`,
  ),
  no_submission: entry<{ id: number }>(
    (p) => `There is no submitted report ${p.id}.`,
    (p) => `没有编号为 ${p.id} 的已提交报告。`,
  ),
  report_changed: entry<{ period: string; now: string; reviewed: string }>(
    (p) =>
      `The data changed after you reviewed the report of ${p.period} (it is now ${p.now}…, you reviewed ${p.reviewed}…); reload it, check it and submit again.`,
    (p) => `您审阅 ${p.period} 的报告后数据有变化（现为 ${p.now}…，您审阅的是 ${p.reviewed}…）；请重新加载、核对后再提交。`,
  ),
  no_national_block: entry(
    () => 'This report was submitted before it had the national block: it has no such table.',
    () => '此报告提交时尚无国家年度报告口径汇总表：没有该表。',
  ),
  pdf_unavailable: entry<{ reason: string }>(
    (p) => `The report cannot be printed as PDF here: ${p.reason}. Print it from the page, or download its tables as CSV.`,
    (p) => `此处无法将报告打印为 PDF：${p.reason}。请在页面上打印，或以 CSV 下载各表。`,
  ),
  report_page_reads_not: entry<{ method: string; path: string }>(
    (p) => `The report's page does not read ${p.method} ${p.path}.`,
    (p) => `报告页面不读取 ${p.method} ${p.path}。`,
  ),
  // Demo mode, imports and downloads.
  demo_records_choice: entry(
    () => 'must be keep (the demo records stay, labelled synthetic) or remove (the generated records and targets go)',
    () => '必须是 keep（保留演示记录，标为合成数据）或 remove（删除生成的记录和目标）',
  ),
  leave_demo_needs_admin: entry(
    () =>
      'Leaving demo mode removes the demo administrator: add an active administrator account of your own first, then leave demo mode.',
    () => '退出演示模式会删除演示管理员账号：请先添加一个自己的在用系统管理员账号，再退出演示模式。',
  ),
  client_left_import: entry(
    () => 'The client went away before the import was done.',
    () => '导入完成前客户端已断开。',
  ),
  printing_already: entry(
    () => 'This account is printing a report already; wait for it to arrive before asking for another.',
    () => '此账号已有一份报告正在打印；请等其完成后再请求另一份。',
  ),
  downloading_already: entry<{ count: number }>(
    (p) =>
      `This account has ${p.count} ${plural(p.count, 'download')} under way already; wait for one of them to arrive before asking for another.`,
    (p) => `此账号已有 ${p.count} 个下载正在进行；请等其中一个完成后再请求。`,
  ),
  sending_files: entry<{ count: number }>(
    (p) => `This account is sending ${p.count} files already; wait for one of them to arrive before sending another.`,
    (p) => `此账号已在发送 ${p.count} 个文件；请等其中一个上传完成后再发送。`,
  ),
  no_disk_room: entry(
    () => 'The server has no room on disk to prepare this download; try again later.',
    () => '服务器磁盘空间不足，无法准备此下载，请稍后再试。',
  ),
  // The reporting cycle.
  reporting_period_form: entry(
    () => 'must be a period: a year (2025), a quarter (2025-Q3) or a month (2025-07)',
    () => '必须是一个报送期间：年（2025）、季度（2025-Q3）或月（2025-07）',
  ),
  period_not_in_calendar: entry<{ university: string; period: string; frequency: string }>(
    (p) => `${p.university} reports per ${p.frequency}: ${p.period} is not one of its periods.`,
    (p) => `${p.university} 按${FREQUENCY_ZH[p.frequency] ?? p.frequency}报送：${p.period} 不是其报送期间。`,
  ),
  period_before_membership: entry<{ university: string; period: string; since: string }>(
    (p) => `${p.university} joined on ${p.since}: ${p.period} ends before it reported anything.`,
    (p) => `${p.university} 于 ${p.since} 加入：${p.period} 在其加入之前已结束。`,
  ),
  period_not_ended: entry<{ period: string; to: string }>(
    (p) => `${p.period} runs until ${p.to}: a period is submitted once it has ended.`,
    (p) => `${p.period} 截至 ${p.to}：期间结束后才能报送。`,
  ),
  period_already_submitted: entry<{ university: string; period: string }>(
    (p) => `${p.period} of ${p.university} is submitted already and waits for review.`,
    (p) => `${p.university} 的 ${p.period} 已报送，正在等待审核。`,
  ),
  period_already_approved: entry<{ university: string; period: string }>(
    (p) => `${p.period} of ${p.university} is approved; an admin must reopen it before it is submitted again.`,
    (p) => `${p.university} 的 ${p.period} 已审核通过；须由系统管理员重新开放后才能再次报送。`,
  ),
  period_unchanged: entry<{ university: string; period: string }>(
    (p) => `Nothing of ${p.period} of ${p.university} has changed since its last submission: correct its records, then submit it again.`,
    (p) => `${p.university} 的 ${p.period} 自上次报送以来没有变化：请先更正记录，再重新报送。`,
  ),
  period_not_submitted: entry<{ university: string; period: string; status: string }>(
    (p) => `${p.period} of ${p.university} is not submitted (it is ${p.status.replaceAll('_', ' ')}): only a submitted period is approved or returned.`,
    (p) => `${p.university} 的 ${p.period} 未报送（当前为${PERIOD_STATUS_ZH[p.status] ?? p.status}）：只有已报送的期间才能审核通过或退回。`,
  ),
  period_not_approved: entry<{ university: string; period: string; status: string }>(
    (p) => `${p.period} of ${p.university} is not approved (it is ${p.status.replaceAll('_', ' ')}): only an approved period is reopened.`,
    (p) => `${p.university} 的 ${p.period} 未审核通过（当前为${PERIOD_STATUS_ZH[p.status] ?? p.status}）：只有已审核通过的期间才能重新开放。`,
  ),
  period_changed_since_submitted: entry<{ university: string; period: string }>(
    (p) => `The records of ${p.period} of ${p.university} changed after it was submitted: return it so that it is submitted again.`,
    (p) => `${p.university} 的 ${p.period} 报送后记录有变化：请退回，由其重新报送。`,
  ),
  period_closed: entry<{ university: string; period: string; from: string; to: string }>(
    (p) =>
      `${p.period} of ${p.university} (${p.from} to ${p.to}) is approved and closed to changes: ask an administrator to reopen it, with the reason.`,
    (p) => `${p.university} 的 ${p.period}（${p.from} 至 ${p.to}）已审核通过，不能再修改：请系统管理员说明理由后重新开放。`,
  ),
  period_closed_lines: entry<{ count: number }>(
    (p) => `${count(p.count)} ${plural(p.count, 'line')} of the file would change records of approved periods: nothing was imported.`,
    (p) => `文件中有 ${count(p.count)} 行会修改已审核通过期间的记录：未导入任何内容。`,
  ),
  mail_address: entry<{ address: string }>(
    (p) => `“${p.address}” is not an e-mail address mail can be sent to (name@example.org)`,
    (p) => `“${p.address}”不是可以收信的电子邮件地址（例如 name@example.org）`,
  ),
  mail_address_twice: entry<{ address: string }>(
    (p) => `${p.address} is in the list twice`,
    (p) => `${p.address} 在列表中出现了两次`,
  ),
  mail_off: entry(
    () => 'No mail is sent from this installation: SMTP_URL is not set. Set SMTP_URL and MAIL_FROM, then restart the server.',
    () => '本系统未配置邮件发送：未设置 SMTP_URL。请设置 SMTP_URL 和 MAIL_FROM 后重启服务器。',
  ),
  no_mail_message: entry<{ id: number }>(
    (p) => `There is no message ${p.id} in the outbox.`,
    (p) => `发件箱中没有编号为 ${p.id} 的邮件。`,
  ),
  mail_not_failed: entry<{ id: number; state: string }>(
    (p) => `Message ${p.id} is ${p.state}: only a failed message is retried (a pending one is retried on its own).`,
    (p) => `邮件 ${p.id} 的状态为 ${p.state}：只有发送失败的邮件可以重发（待发送的邮件会自动重试）。`,
  ),
  /**
   * Words without a code of their own, shown as written: what a library might still say that no
   * fallback caught. The server never words a problem itself (test/unit/problems.test.ts).
   */
  unlisted: entry<{ text: string }>(
    (p) => p.text,
    (p) => p.text,
  ),
} as const;

export type ProblemCode = keyof typeof PROBLEMS;
export type ProblemParams<C extends ProblemCode> = Parameters<(typeof PROBLEMS)[C]['en']>[0];

/** A problem as data: what the server sends beside its English message, what the client renders. */
export type Said<C extends ProblemCode = ProblemCode> = C extends ProblemCode ? { code: C; params: ProblemParams<C> } : never;

/** Builds a problem; the params are typed by the code. */
export function said<C extends ProblemCode>(
  code: C,
  ...params: ProblemParams<C> extends Record<string, never> ? [] : [ProblemParams<C>]
): Said<C> {
  return { code, params: (params[0] ?? {}) as ProblemParams<C> } as Said<C>;
}

const AS_IS: RenderContext = { column: (name) => name };

export const isProblemCode = (code: unknown): code is ProblemCode => typeof code === 'string' && Object.hasOwn(PROBLEMS, code);

/** A problem in a language. A code this build does not know is shown by its English message, if any. */
export function renderProblem(problem: { code: string; params?: unknown }, lang: Lang, ctx: RenderContext = AS_IS): string {
  if (!isProblemCode(problem.code)) return problem.code;
  const render = PROBLEMS[problem.code][lang] as (p: unknown, ctx: RenderContext) => string;
  return render(problem.params ?? {}, ctx);
}

/** The English message of a problem (the server's `message` and `detail`). */
export const english = (problem: Said): string => renderProblem(problem, 'en');

/**
 * A problem said inside a zod schema (whose messages are strings), encoded so that the edge can
 * turn the issue back into its code and params (`fromIssueMessage`). Never shown as it is.
 */
const ZOD_MARK = '\u2063problem:';
export function zodSays<C extends ProblemCode>(
  code: C,
  ...params: ProblemParams<C> extends Record<string, never> ? [] : [ProblemParams<C>]
): string {
  return zodSaid(said(code, ...params));
}

/** `zodSays` for a problem built already. */
export const zodSaid = (problem: { code: ProblemCode; params: unknown }): string =>
  `${ZOD_MARK}${JSON.stringify({ code: problem.code, params: problem.params })}`;

/** The problem a zod issue's message encodes; zod's own messages are kept as written. */
export function fromIssueMessage(message: string): Said {
  if (message.startsWith(ZOD_MARK)) {
    const decoded = JSON.parse(message.slice(ZOD_MARK.length)) as { code: unknown; params: unknown };
    if (isProblemCode(decoded.code)) return decoded as Said;
  }
  return { code: 'unlisted', params: { text: message } };
}

/** Where a problem is: a query or body parameter (`by`, `body.email`), or a CSV line and column. */
export interface ProblemPlace {
  /** A query or body parameter, e.g. `by` or `body.email`. */
  path?: string;
  /** A CSV line, numbered as a spreadsheet shows it (the header is line 1); a workbook's row number. */
  line?: number;
  column?: string;
  /** A workbook's sheet, by its name (imports of `.xlsx` files). */
  sheet?: string;
  /** A workbook's cell, as Excel names it (`C12`). */
  cell?: string;
}

/** One of a problem's `errors`, as the API sends it: where, which problem, and its English words. */
export interface ProblemDetail extends ProblemPlace {
  code: ProblemCode;
  params: Said['params'];
  /** In English, rendered from the catalogue. */
  message: string;
}
