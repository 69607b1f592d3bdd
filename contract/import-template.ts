import type { Bilingual, ColumnType } from './record-columns.js';

/**
 * The words of the import template (`GET /imports/:kind/template`, the `template` command): its
 * sheets, the instructions' headings, the cells' prompts and the messages a spreadsheet shows when
 * a value is refused. The columns' names, descriptions and examples are the columns' own
 * (record-columns.ts); the lists are the database's codes and the contract's enums.
 */
export const TEMPLATE_SHEETS = {
  lists: { en: 'Lists', zh: '代码表' },
  instructions: { en: 'Instructions', zh: '说明' },
} as const satisfies Record<string, Bilingual>;

/** The instructions' table, one row per column of the data sheet. */
export const TEMPLATE_HEADINGS = {
  column: { en: 'Column', zh: '列名' },
  other: { en: 'Column (Chinese)', zh: '列名（英文）' },
  required: { en: 'Required', zh: '必填' },
  type: { en: 'Type', zh: '类型' },
  allowed: { en: 'Allowed values or range', zh: '允许的值或范围' },
  meaning: { en: 'What it holds', zh: '含义' },
  example: { en: 'Example', zh: '示例' },
} as const satisfies Record<string, Bilingual>;

export const TEMPLATE_WORDS = {
  yes: { en: 'yes', zh: '是' },
  no: { en: 'no', zh: '否' },
  noBlank: { en: 'no (blank: {default})', zh: '否（留空即 {default}）' },
  sample: { en: 'A sample row (do not copy it into the data sheet unless it is real):', zh: '示例行（除非确有其事，请勿抄入数据表）：' },
  listTitle: { en: 'Choose from the list', zh: '请从列表中选择' },
  listError: { en: 'Choose a value from the list.', zh: '请从列表中选择一个值。' },
  dateTitle: { en: 'A date', zh: '日期' },
  dateError: {
    en: 'Enter a date from {first} to today, such as {example}.',
    zh: '请输入 {first} 至今天之间的日期，如 {example}。',
  },
  amountTitle: { en: 'An amount in yuan', zh: '金额（元）' },
  amountError: {
    en: 'Enter an amount in yuan, {least}, at most {max}, up to two decimals.',
    zh: '请输入金额（元），{least}，不超过 {max}，最多两位小数。',
  },
  atLeastZero: { en: '0 or more', zh: '不小于 0' },
  aboveZero: { en: 'above 0', zh: '大于 0' },
  countTitle: { en: 'A whole number', zh: '整数' },
  countError: { en: 'Enter a whole number from 0 to {max}.', zh: '请输入 0 至 {max} 之间的整数。' },
  creditsTitle: { en: 'Credits', zh: '学分' },
  creditsError: { en: 'Enter credits from 0 to {max}, up to one decimal.', zh: '请输入 0 至 {max} 之间的学分，最多一位小数。' },
  textTitle: { en: 'Text', zh: '文本' },
  textError: { en: 'At most {max} characters.', zh: '最多 {max} 个字符。' },
  termTitle: { en: 'A term', zh: '学期' },
  termError: { en: 'Write the term as 2024-2025-1 (-1 autumn, -2 spring, -3 summer).', zh: '学期格式如 2024-2025-1（-1 秋季，-2 春季，-3 夏季）。' },
  howTitle: { en: 'How to import', zh: '如何导入' },
} as const satisfies Record<string, Bilingual>;

/** What the instructions say a column of each type holds. */
export const TEMPLATE_TYPES: Readonly<Record<ColumnType, Bilingual>> = {
  code: { en: 'code', zh: '代码' },
  optional_code: { en: 'code', zh: '代码' },
  text: { en: 'text', zh: '文本' },
  date: { en: 'date (YYYY-MM-DD)', zh: '日期（YYYY-MM-DD）' },
  optional_date: { en: 'date (YYYY-MM-DD)', zh: '日期（YYYY-MM-DD）' },
  money: { en: 'amount in yuan', zh: '金额（元）' },
  count: { en: 'whole number', zh: '整数' },
  credits: { en: 'credits', zh: '学分' },
  enum: { en: 'one of a list', zh: '列表之一' },
  optional_enum: { en: 'one of a list', zh: '列表之一' },
  term: { en: 'term (YYYY-YYYY-N)', zh: '学期（YYYY-YYYY-N）' },
};

/** How a filled template is imported: the lines below the instructions' table. */
export const TEMPLATE_HOW: readonly Bilingual[] = [
  {
    en: 'Fill in the first sheet from row 3: rows 1 and 2 are the header (the column names in both languages) and stay as they are.',
    zh: '从第 3 行起填写第一个工作表：第 1、2 行是表头（两种语言的列名），请保持不变。',
  },
  {
    en: 'The first sheet whose first row is the header is read (keep the data sheet first); this sheet and the lists are not imported.',
    zh: '导入读取第一个以表头为首行的工作表（请保持数据工作表在最前）；本说明和代码表不会被导入。',
  },
  {
    en: 'Import it in the Records view (Records › Import) or on the command line: npm run cli -- import <kind> <file>.',
    zh: '在“记录”页面（记录 › 导入）或命令行导入：npm run cli -- import <类型> <文件>。',
  },
  {
    en: 'An import is all or nothing: one bad row and nothing is written; every problem is listed by sheet, row and column.',
    zh: '导入要么全部成功，要么什么都不写：只要有一行有误就不写入，并按工作表、行和列列出所有问题。',
  },
  {
    en: 'Try it first as a dry run: it checks the file and reports what would be added and changed, writing nothing.',
    zh: '可先试运行：只检查文件并报告将新增和修改的记录，不写入任何数据。',
  },
  {
    en: 'A row with the university and reference of an existing record updates that record.',
    zh: '与已有记录高校和编号相同的行会更新该记录。',
  },
];

/** A text with `{name}` places filled. */
export const fill = (text: string, values: Record<string, string>): string =>
  text.replaceAll(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
