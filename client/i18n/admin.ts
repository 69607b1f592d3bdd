import { AUDIT_ACTIONS, type AuditAction } from '../../contract/enums';

/** The audit log's actions by name, [English, Chinese]: a new action (contract/enums.ts) does not compile until it is labelled here. */
const ACTION_LABELS: Record<AuditAction, readonly [string, string]> = {
  login: ['Sign-in', '登录'],
  login_failed: ['Failed sign-in', '登录失败'],
  logout: ['Sign-out', '退出登录'],
  create: ['Record added', '新增记录'],
  update: ['Record changed', '修改记录'],
  delete: ['Record deleted', '删除记录'],
  import: ['Import', '导入'],
  export: ['Export', '导出'],
  user_change: ['Account change', '账户变更'],
  target_change: ['Target change', '目标变更'],
  university_change: ['Member change', '成员高校变更'],
  report_submit: ['Report submitted', '提交报告'],
};

/** Messages of the admin view, each as [English, Chinese]. */
const MESSAGES = {
  'admin.title': ['Administration', '系统管理'],
  'admin.intro': ['Accounts, the yearly targets and the audit log.', '账户、年度目标和审计日志。'],
  'admin.forbidden': ['Only an administrator may open this page.', '只有系统管理员可以打开此页面。'],
  'admin.tab.users': ['Users', '用户'],
  'admin.tab.targets': ['Targets', '目标'],
  'admin.tab.audit': ['Audit log', '审计日志'],

  'admin.demo.title': ['Demo mode', '演示模式'],
  'admin.demo.accounts': [
    '{n} demo accounts share the published password “alliance-demo”: anyone who has read it can sign in, as an administrator too.',
    '{n} 个演示账户共用公开的密码“alliance-demo”：任何看到它的人都能登录，包括以管理员身份。',
  ],
  'admin.demo.accountsRetired': [
    '{n} demo accounts remain. The published password no longer signs them in, since this database holds more than the demo; sessions they opened before go on until they end, and an account given a password of its own still signs in.',
    '仍有 {n} 个演示账户。由于数据库中已有演示数据以外的内容，公开密码已不能再登录这些账户；此前已登录的会话在到期前仍然有效，另设了密码的账户仍可登录。',
  ],
  'admin.demo.explain': [
    'Before real use, leave demo mode: the demo accounts and their sessions are removed, and demo mode is never set up on this database again. Records entered since the demo data was written stay.',
    '正式使用前请退出演示模式：演示账户及其会话将被删除，此数据库不会再进入演示模式。演示数据生成之后录入的记录保留。',
  ],
  'admin.demo.keptExplain': [
    'The records the demo generator wrote are kept, and every figure is labelled synthetic while they are. Remove them, with the demo targets, to lift the label; records entered since stay.',
    '演示数据生成器写入的记录仍保留，保留期间所有数字都标注为模拟数据。删除这些记录及演示目标即可取消该标注；之后录入的记录保留。',
  ],
  'admin.demo.records': ['The demo records', '演示记录'],
  'admin.demo.records.keep': ['Keep them (still labelled synthetic)', '保留（仍标注为模拟数据）'],
  'admin.demo.records.remove': ['Remove the generated records and targets', '删除生成的记录和目标'],
  'admin.demo.leave': ['Leave demo mode', '退出演示模式'],
  'admin.demo.removeRecords': ['Remove the demo records', '删除演示记录'],
  'admin.demo.needAdmin': [
    'First add an administrator account of your own (Add account, role Administrator): the demo administrator is removed with the others.',
    '请先添加一个自己的系统管理员账户（添加账户，角色选系统管理员）：演示管理员会与其他演示账户一起被删除。',
  ],
  'admin.demo.confirmTitle': ['Leave demo mode?', '退出演示模式？'],
  'admin.demo.confirmKeep': [
    'The {n} demo accounts are removed and signed out at once; the records stay, labelled synthetic. This cannot be undone.',
    '{n} 个演示账户将被删除并立即退出登录；记录保留，并标注为模拟数据。此操作无法撤销。',
  ],
  'admin.demo.confirmRemove': [
    'The {n} demo accounts are removed and signed out at once, and the records and targets the demo generator wrote are deleted. This cannot be undone.',
    '{n} 个演示账户将被删除并立即退出登录，演示数据生成器写入的记录和目标将被删除。此操作无法撤销。',
  ],
  'admin.demo.doneKept': [
    'Demo mode is left: {accounts} demo accounts removed; the records are kept, labelled synthetic.',
    '已退出演示模式：删除了 {accounts} 个演示账户；记录保留，标注为模拟数据。',
  ],
  'admin.demo.doneRemoved': [
    'Demo mode is left: {accounts} demo accounts and {records} demo records removed.',
    '已退出演示模式：删除了 {accounts} 个演示账户和 {records} 条演示记录。',
  ],
  'admin.demo.failed': ['Demo mode was not left: {message}', '未能退出演示模式：{message}'],

  'admin.users.title': ['Accounts', '账户'],
  'admin.users.intro': [
    'A data steward belongs to one university and writes only its records; the commission reads aggregates and reports. Disabling an account, changing its role or its password ends its sessions at once.',
    '数据管理员隶属于一所高校，只能填写本校的记录；委员会可查看汇总指标和报告。停用账户、修改其角色或密码会立即结束其所有会话。',
  ],
  'admin.users.add': ['Add account', '新增账户'],
  'admin.users.addTitle': ['New account', '新账户'],
  'admin.users.editTitle': ['Change {email}', '修改 {email}'],
  'admin.users.edit': ['Change', '修改'],
  'admin.users.col.name': ['Name', '姓名'],
  'admin.users.col.email': ['Email', '邮箱'],
  'admin.users.col.role': ['Role', '角色'],
  'admin.users.col.university': ['University', '所属高校'],
  'admin.users.col.status': ['Status', '状态'],
  'admin.users.col.created': ['Created', '创建日期'],
  'admin.users.col.actions': ['Actions', '操作'],
  'admin.users.active': ['Active', '启用'],
  'admin.users.disabled': ['Disabled', '已停用'],
  'admin.users.disable': ['Disable', '停用'],
  'admin.users.enable': ['Enable', '启用'],
  'admin.users.disableLabel': ['Disable {email}', '停用 {email}'],
  'admin.users.enableLabel': ['Enable {email}', '启用 {email}'],
  'admin.users.disableTitle': ['Disable this account?', '停用此账户？'],
  'admin.users.disableMessage': [
    '{name} ({email}) will be signed out at once and cannot sign in until the account is enabled again.',
    '{name}（{email}）将立即退出登录，在重新启用前无法登录。',
  ],
  'admin.users.disabledDone': ['{email} is disabled.', '已停用 {email}。'],
  'admin.users.enabledDone': ['{email} is enabled again.', '已重新启用 {email}。'],
  'admin.users.failed': ['The account was not changed: {message}', '账户未修改：{message}'],
  'admin.users.universityHint': ['Data stewards only.', '仅数据管理员需要。'],
  'admin.users.password.generate': ['Generate a strong password', '自动生成强密码'],
  'admin.users.password.type': ['Type a password', '手动输入密码'],
  'admin.users.password.keep': ['Keep the current password', '保留当前密码'],
  'admin.users.passwordHint': ['At least {min} characters.', '至少 {min} 个字符。'],
  'admin.users.passwordOnce': [
    'The account {email} is saved. Its password is shown this once: pass it on in person or by a safe channel.',
    '账户 {email} 已保存。密码仅显示这一次：请当面或通过安全渠道转交。',
  ],
  'admin.users.copy': ['Copy', '复制'],
  'admin.users.copied': ['Copied.', '已复制。'],
  'admin.users.copyManually': [
    'The browser did not allow copying: select the password and copy it.',
    '浏览器不允许复制：请选中密码后手动复制。',
  ],
  'admin.users.done': ['Done', '完成'],
  'admin.users.created': ['Added {email}.', '已新增 {email}。'],
  'admin.users.saved': ['Saved the changes to {email}.', '已保存对 {email} 的修改。'],
  'admin.users.selfWarning': [
    'This is your own account: a new role or password ends your session and you sign in again.',
    '这是您自己的账户：修改角色或密码后当前会话将结束，需要重新登录。',
  ],
  'admin.users.sessionsNote': [
    'A new role, university or password signs the person out everywhere.',
    '修改角色、所属高校或密码后，该用户在所有设备上都将退出登录。',
  ],

  'admin.targets.title': ['Yearly targets', '年度目标'],
  'admin.targets.intro': [
    'Targets for each measure, for the whole alliance and for each university. Leave a cell empty to remove its target. Projects in incubation, a level rather than an output, take none.',
    '各项指标的全联盟目标和各高校目标。清空单元格即删除该目标。“在孵项目数”是存量而非产出，不设目标。',
  ],
  'admin.targets.year': ['Year', '年份'],
  'admin.targets.measure': ['Measure', '指标'],
  'admin.targets.alliance': ['Alliance', '全联盟'],
  'admin.targets.allianceTitle': ['The whole alliance', '全联盟合计'],
  'admin.targets.caption': ['Targets for {year}', '{year} 年目标'],
  'admin.targets.cellLabel': ['Target for {measure}, {university}, {year}', '{year} 年 {university} 的“{measure}”目标'],
  'admin.targets.none': ['no target', '无目标'],
  'admin.targets.notNumber': [
    'Enter a number of at most two decimals, or leave the cell empty.',
    '请输入最多两位小数的数字，或留空。',
  ],
  'admin.targets.saveCount': ['Save {count} changes', '保存 {count} 处修改'],
  'admin.targets.saveOne': ['Save 1 change', '保存 1 处修改'],
  'admin.targets.discard': ['Discard changes', '放弃修改'],
  'admin.targets.pending': ['{count} cells changed, not saved yet.', '有 {count} 个单元格已修改，尚未保存。'],
  'admin.targets.pendingOne': ['1 cell changed, not saved yet.', '有 1 个单元格已修改，尚未保存。'],
  'admin.targets.noChanges': ['No unsaved changes.', '没有未保存的修改。'],
  'admin.targets.saved': [
    'Saved: {set} set, {removed} removed, {unchanged} unchanged.',
    '已保存：设置 {set} 项，删除 {removed} 项，{unchanged} 项无变化。',
  ],
  'admin.targets.leaveTitle': ['Discard the changes?', '放弃修改？'],
  'admin.targets.leaveMessage': [
    '{count} changed cells of {year} have not been saved.',
    '{year} 年有 {count} 个已修改的单元格尚未保存。',
  ],
  'admin.targets.leaveConfirm': ['Discard and change year', '放弃并切换年份'],
  'admin.targets.overAlliance': [
    'The universities’ targets add up to {sum}, more than the alliance’s.',
    '各高校目标合计 {sum}，超过全联盟目标。',
  ],

  'admin.audit.intro': [
    'Every change, import, export and sign-in, newest first, with the row before and after. The log cannot be edited.',
    '所有修改、导入、导出和登录，按时间倒序，附修改前后的记录。审计日志不可编辑。',
  ],
  'admin.audit.filters': ['Filter the audit log', '筛选审计日志'],
  'admin.audit.filter.user': ['User (email)', '用户（邮箱）'],
  'admin.audit.filter.action': ['Action', '操作'],
  'admin.audit.filter.subject': ['Subject starts with', '对象前缀'],
  'admin.audit.filter.from': ['From', '起始日期'],
  'admin.audit.filter.to': ['To', '截止日期'],
  'admin.audit.anyAction': ['Any action', '全部操作'],
  'admin.audit.apply': ['Apply', '应用'],
  'admin.audit.reset': ['Reset', '重置'],
  'admin.audit.total': ['{count} entries', '共 {count} 条'],
  'admin.audit.empty': ['No entries match.', '没有符合条件的条目。'],
  'admin.audit.pages': ['Pages of the audit log', '审计日志分页'],
  'admin.audit.col.time': ['Time', '时间'],
  'admin.audit.col.user': ['User', '用户'],
  'admin.audit.col.action': ['Action', '操作'],
  'admin.audit.col.subject': ['Subject', '对象'],
  'admin.audit.col.address': ['Address', '地址'],
  'admin.audit.col.detail': ['Detail', '详情'],
  'admin.audit.show': ['Show', '展开'],
  'admin.audit.hide': ['Hide', '收起'],
  'admin.audit.showLabel': ['Show entry {id}', '展开第 {id} 条'],
  'admin.audit.changes': ['Before and after', '修改前后'],
  'admin.audit.field': ['Field', '字段'],
  'admin.audit.before': ['Before', '修改前'],
  'admin.audit.after': ['After', '修改后'],
  'admin.audit.changedMarked': ['Changed values are highlighted.', '有变化的值已高亮显示。'],
  'admin.audit.noDetail': ['Nothing more is recorded for this entry.', '此条目没有更多记录。'],
} as const;

type AdminKey = keyof typeof MESSAGES | `admin.audit.action.${AuditAction}`;
const catalogue = (index: 0 | 1): Record<AdminKey, string> => ({
  ...(Object.fromEntries(Object.entries(MESSAGES).map(([key, texts]) => [key, texts[index]])) as Record<
    keyof typeof MESSAGES,
    string
  >),
  ...(Object.fromEntries(AUDIT_ACTIONS.map((a) => [`admin.audit.action.${a}`, ACTION_LABELS[a][index]])) as Record<
    `admin.audit.action.${AuditAction}`,
    string
  >),
});

export const adminEn = catalogue(0);
export const adminZh = catalogue(1);
