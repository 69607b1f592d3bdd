/**
 * The server's problem messages are English. In the Chinese interface the common ones are shown in
 * Chinese: exact messages from a table, templated ones (with a code, a number, a line) by pattern.
 * Anything not listed is shown as the server wrote it, so nothing is ever lost.
 */
const EXACT: Readonly<Record<string, string>> = {
  'is required': '必填',
  'must not be negative': '不能为负数',
  'must be a whole number': '必须是整数',
  'must not be in the future': '不能晚于今天',
  'must be a real date written YYYY-MM-DD': '必须是真实的日期，格式为 YYYY-MM-DD',
  'must be a date written YYYY-MM-DD': '必须是日期，格式为 YYYY-MM-DD',
  'must be one date written YYYY-MM-DD': '必须是一个日期，格式为 YYYY-MM-DD',
  'must differ from university_code': '不能与本校相同',
  'must differ from university_code (the home university)': '不能与学生所在高校相同',
  'must be a term such as 2024-2025-1': '必须是学期，如 2024-2025-1',
  'must name two consecutive years, such as 2024-2025-1': '学年须为相邻两年，如 2024-2025-1',
  'is taken': '已被使用',
  'is taken within this university': '在本校已被使用',
  'is too long': '过长',
  'is too large': '过大',
  'must be text': '必须是文本',
  'must be one line without control characters': '必须是一行文字，不含控制字符',
  'must not hold control characters': '不能含控制字符',
  'must be an email address': '必须是电子邮件地址',
  'must be a number or null': '必须是数字或留空',
  'must be a year': '必须是年份',
  'must not be after to': '不能晚于截止日期',
  'must be a code such as USST': '必须是代码，如 USST',
  'the file is not UTF-8': '文件不是 UTF-8 编码',
  'is required when the stage is closed': '阶段为“已终止”时必填',
  'is required when the stage is graduated': '阶段为“已毕业”时必填',
  'is required when graduates is above 0 (graduates are counted on the day the cohort completed)':
    '结业人数大于 0 时必填（结业人数按结业日期计）',
  'The record is not valid.': '记录无效。',
  'must be above 0': '必须大于 0',
  'must be at least 1 when there is a reward': '有奖励时至少为 1',
  'is required when there is a reward': '有奖励时必填',
  'must be 0 when there is no reward (reward_cash_cny and reward_equity_cny are 0)':
    '无奖励（现金奖励与股权奖励均为 0）时必须为 0',
  'must be empty when there is no reward (reward_cash_cny and reward_equity_cny are 0)':
    '无奖励（现金奖励与股权奖励均为 0）时必须留空',
  'must be an amount in yuan such as 1200000.50': '必须是以元为单位的金额，如 1200000.50',
  'must be a number of credits such as 4.5': '必须是学分数，如 4.5',
  'The record breaks a rule between a contract and its payments.': '记录不符合合同与其到账记录之间的规则。',
  'The record names codes that do not exist.': '记录中有不存在的代码。',
  "The request's query is not valid.": '请求的参数无效。',
  "The request's body is not valid.": '请求的内容无效。',
  "The request's path is not valid.": '请求的路径无效。',
  'must be Unicode text without a lone surrogate or a NUL character': '必须是有效的 Unicode 文本，不含孤立代理字符或 NUL 字符',
  'has a percent-escape that is not UTF-8 text': '含有不是 UTF-8 文本的百分号编码',
  'cannot be stored as given': '无法按原样保存',
  'A value cannot be stored as given.': '有一个值无法按原样保存。',
  'is required when company_stake is given': '填写高校持股方式时必填',
  'is required when company_registered_on is given (founded or shareholder)': '填写公司注册日期时必填（创设或参股）',
  'has a snapshot of this university already: one per university and day': '本校该日已有填报：每所高校每天一条',
};

/** The columns a message names, as the Chinese forms and files call them. */
const COLUMN_NAMES: Readonly<Record<string, string>> = {
  signed_on: '签订日期',
  contract_value_cny: '合同金额',
  entered_on: '入孵日期',
  started_on: '开班日期',
  received_on: '到账日期',
  snapshot_on: '统计日期',
  company_registered_on: '公司注册日期',
};
const columnName = (column: string): string => COLUMN_NAMES[column] ?? column;

const PATTERNS: ReadonlyArray<[RegExp, (...groups: string[]) => string]> = [
  [/^must be one of (.+)$/, (list) => `必须是以下之一：${list}`],
  [/^must be at most (\d+) characters$/, (n) => `最多 ${n} 个字符`],
  [/^must have at most (\d+) decimals?$/, (n) => `最多 ${n} 位小数`],
  [/^must be at most ([\d,.]+)$/, (n) => `不能超过 ${n}`],
  [/^is too long: at most (\d+) characters$/, (n) => `过长：最多 ${n} 个字符`],
  [/^must be a whole number from (\d+) to (\d+)$/, (a, b) => `必须是 ${a} 到 ${b} 之间的整数`],
  [/^must not exceed (\w+) \((.+)\)$/, (column, value) => `不能超过${columnName(column)}（${value}）`],
  [/^must not be before (\w+) \((.+)\)$/, (column, value) => `不能早于${columnName(column)}（${value}）`],
  [
    /^the rewards \(cash ([\d.]+) and equity ([\d.]+)\) must not exceed contract_value_cny \(([\d.]+)\)$/,
    (cash, equity, value) => `现金奖励（${cash}）与股权奖励（${equity}）合计不能超过合同金额（${value}）`,
  ],
  [/^must be a code such as (\w+)$/, (example) => `必须是代码，如 ${example}`],
  [/^there is no contract (.+) of (\S+)$/, (ref, u) => `${u} 没有编号为 ${ref} 的合同`],
  [/^must not be before the contract was signed \((.+)\)$/, (d) => `不能早于合同签订日（${d}）`],
  [
    /^would bring the payments on contract (.+) to ([\d.]+), above its contract value ([\d.]+): at most ([\d.]+) can be received on it besides its other payments$/,
    (ref, total, value, room) =>
      `将使合同 ${ref} 的到账合计达到 ${total}，超过合同金额 ${value}：除其他到账外最多还可登记 ${room}`,
  ],
  [
    /^would bring the payments on contract (.+) to ([\d.]+), above its contract value ([\d.]+): at most ([\d.]+) can be received on this line \(([\d.]+) received on it besides this file\)$/,
    (ref, total, value, room, other) =>
      `将使合同 ${ref} 的到账合计达到 ${total}，超过合同金额 ${value}：本行最多可登记 ${room}（本文件以外已到账 ${other}）`,
  ],
  [/^a steward of (\S+) may not import records of (\S+)$/, (own, other) => `${own} 的管理员不能导入 ${other} 的记录`],
  [
    /^A steward of (\S+) may import only its own university's records; (\d+) row\(s\) belong to another\.$/,
    (own, n) => `${own} 的管理员只能导入本校记录；有 ${n} 行属于其他高校。`,
  ],
  [/^A (\w+) record (.+) of (\S+) exists already\.$/, (kind, ref, u) => `${u} 已有编号为 ${ref} 的记录（${kind}）。`],
  [
    /^Contract (.+) of (\S+) has (\d+) payments?: delete (?:it|them) first\.$/,
    (ref, u, n) => `合同 ${ref}（${u}）有 ${n} 笔到账记录：请先删除。`,
  ],
  [
    /^Contract (.+) of (\S+) has (\d+) payments?: its university and ref cannot change while (?:it names|they name) it\.$/,
    (ref, u, n) => `合同 ${ref}（${u}）有 ${n} 笔到账记录：在其引用期间不能更改高校或编号。`,
  ],
  [/^must not be below the cash received on it \((.+)\)$/, (v) => `不能低于已到账金额（${v}）`],
  [/^must not be after its first payment \(received (.+)\)$/, (d) => `不能晚于首笔到账日期（${d}）`],
  [
    /^is read only \((.+)\): the sum of the contract's payments: record a payment instead$/,
    (v) => `只读（${v}）：为合同各笔到账之和，请登记到账记录`,
  ],
  [/^unknown university (\S+); known: (.+)$/, (code, known) => `未知的高校代码 ${code}；可用：${known}`],
  [/^unknown region (\S+); known: (.+)$/, (code, known) => `未知的地区代码 ${code}；可用：${known}`],
  [/^unknown field (\S+); known: (.+)$/, (code, known) => `未知的技术领域代码 ${code}；可用：${known}`],
  [/^ref (.+) of (\S+) is also on line (\d+)$/, (ref, u, line) => `编号 ${ref}（${u}）与第 ${line} 行重复`],
  [/^The file has ([\d,]+) problems?: nothing was imported\.$/, (n) => `文件中有 ${n} 处问题，未导入任何记录。`],
  [/^must be a real date written YYYY-MM-DD: there is no (.+)$/, (d) => `必须是真实的日期（YYYY-MM-DD）：不存在 ${d}`],
  [
    /^must be a date written YYYY-MM-DD, not (.+) \(a spreadsheet may have reformatted it: format the column as text or as yyyy-mm-dd\)$/,
    (v) => `必须是 YYYY-MM-DD 格式的日期，而不是 ${v}（可能被电子表格改了格式：请把该列设为文本或 yyyy-mm-dd 格式）`,
  ],
  [/^must be a real date written YYYY-MM-DD, not "(.*)"$/, (v) => `必须是真实的日期，格式为 YYYY-MM-DD，而不是“${v}”`],
  [/^must be empty unless the stage is (\w+) \(it is (\w+)\)$/, (stage, now) => `阶段为 ${stage} 时才可填写（当前为 ${now}）`],
  [/^unknown column "(.*)"$/, (column) => `未知的列“${column}”`],
  [
    /^must be written without thousands separators: (\S+), not (\S+)$/,
    (plain, given) => `不要使用千位分隔符：应写 ${plain}，而不是 ${given}`,
  ],
  [/^the columns of (\w+) are (.+)$/, (kind, list) => `${kind} 的列为：${list}`],
  [
    /^the header is that of (.+) \((\w+)\), not of (.+) \((\w+)\): import the file as (\w+)$/,
    (_a, other, _b, kind, as) => `表头属于 ${other} 记录，不是 ${kind} 记录：请按 ${as} 导入`,
  ],
  [/^The period (\S+) has not begun \(today is (\S+)\)\.$/, (p, today) => `期间 ${p} 尚未开始（今天是 ${today}）。`],
  [
    /^is also the day of the snapshot of (\S+) on line (\d+): one snapshot per university and day$/,
    (u, line) => `与第 ${line} 行 ${u} 的填报为同一天：每所高校每天一条`,
  ],
  [
    /^is the day of the stored snapshot (.+) of (\S+): one snapshot per university and day \(update that one with its ref, or choose another day\)$/,
    (ref, u) => `${u} 已有该日的填报 ${ref}：每所高校每天一条（请用其编号更新，或另选日期）`,
  ],
  [/^(\S+) has a capacity snapshot on (\S+) already\.$/, (u, day) => `${u} 在 ${day} 已有技术转移机构能力填报。`],
];

/** The server's message in the interface's language (Chinese where it is known; as written otherwise). */
export function serverText(message: string, lang: 'zh' | 'en'): string {
  if (lang !== 'zh') return message;
  const exact = EXACT[message];
  if (exact) return exact;
  for (const [pattern, render] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return render(...match.slice(1));
  }
  // A list of messages joined by "; " (several problems of one field).
  if (message.includes('; ') && !message.includes('known:')) {
    const parts = message.split('; ');
    const translated = parts.map((part) => serverText(part, lang));
    if (translated.some((t, i) => t !== parts[i])) return translated.join('；');
  }
  return message;
}
