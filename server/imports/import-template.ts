import { MEDIA_TYPES } from '../lib/media-types.js';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import {
  fill,
  TEMPLATE_HEADINGS,
  TEMPLATE_HOW,
  TEMPLATE_SHEETS,
  TEMPLATE_TYPES,
  TEMPLATE_WORDS,
} from '../../contract/import-template.js';
import {
  type Bilingual,
  type ColumnSpec,
  formatLimit,
  INPUT_COLUMNS,
  isOptionalType,
  KIND_NAMES,
  MAX_COUNT,
  MAX_CREDITS,
  MAX_MONEY_CNY,
} from '../../contract/record-columns.js';
import { FIRST_DATE, LAST_DATE } from '../lib/dates.js';
import { csvCell, DATE_FORMAT, UTF8_BOM } from '../csv/cells.js';
import { sheetName } from '../csv/xlsx-response.js';
import type { Database, FactKind } from '../db/schema.js';
import { VALUE_LABELS } from '../kpi/registry.js';
import { listFields, listRegions, listUniversities } from '../kpi/references.queries.js';
import { withoutClock } from './xlsx-zip.js';

export type Lang = 'en' | 'zh';
export type TemplateFormat = 'xlsx' | 'csv';

/** A code of the database with its names. */
export interface Coded {
  code: string;
  name: Bilingual;
}

/** What a template is made of besides the contract: the codes that exist, and whose template it is. */
export interface TemplateCodes {
  universities: readonly Coded[];
  regions: readonly Coded[];
  fields: readonly Coded[];
  /** A steward's university: the only one its rows may name as theirs. Null for an administrator. */
  ownUniversity: string | null;
}

export interface TemplateFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * The last row the validations cover: 10,000 rows under the header. Not the sheet's last row
 * (1,048,576): a validation over a whole column is one range to Excel, but workbook libraries that
 * offices' scripts use expand it to an entry per cell on reading (exceljs took 17 s and 0.5 GB, and
 * over 2 GB for a kind with more columns, to open such a template). More rows can be filled; they are
 * checked on import as every row is.
 */
export const LAST_ROW = 10_002;
/** The data sheet's rows 1 and 2 are the header, in the file's language and in the other. */
export const FIRST_DATA_ROW = 3;

const other = (lang: Lang): Lang => (lang === 'en' ? 'zh' : 'en');
const nameIn = (column: ColumnSpec, lang: Lang): string => (lang === 'zh' ? column.zh : column.name);

/** The list a code or enum column takes its values from: its id (one Lists column each), header and values. */
export interface TemplateList {
  id: string;
  header: string;
  values: readonly Coded[];
}

/**
 * The list of each listed column of a kind, by column name. A university column takes every
 * university, but the one that says whose the record is takes only a steward's own (the import
 * refuses any other); regions, fields and each enum their own list.
 */
export function templateLists(kind: FactKind, codes: TemplateCodes, lang: Lang): Map<string, TemplateList> {
  const lists = new Map<string, TemplateList>();
  const own = codes.ownUniversity;
  const ownList: TemplateList | undefined =
    own === null
      ? undefined
      : {
          id: 'own_university',
          header: lang === 'zh' ? '本校' : 'Own university',
          values: codes.universities.filter((u) => u.code === own),
        };
  const shared: Record<'university' | 'region' | 'field', TemplateList> = {
    university: { id: 'university', header: lang === 'zh' ? '高校' : 'Universities', values: codes.universities },
    region: { id: 'region', header: lang === 'zh' ? '地区' : 'Regions', values: codes.regions },
    field: { id: 'field', header: lang === 'zh' ? '技术领域' : 'Fields', values: codes.fields },
  };
  for (const column of INPUT_COLUMNS[kind]) {
    if (column.domain === 'university' && column.name === 'university_code' && ownList) lists.set(column.name, ownList);
    else if (column.domain) lists.set(column.name, shared[column.domain]);
    else if (column.values)
      lists.set(column.name, {
        id: column.name,
        header: nameIn(column, lang),
        values: column.values.map((code) => ({ code, name: VALUE_LABELS[code] ?? { en: code, zh: code } })),
      });
  }
  return lists;
}

/** The width a text takes in a column, in Excel's character units: a wide (CJK) character takes two. */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

/** How a column's cells are shown: dates as days, money with separators, counts whole, other text as text (a ref `00123` stays `00123`). */
export function templateFormat(column: ColumnSpec): string {
  switch (column.type) {
    case 'date':
    case 'optional_date':
      return DATE_FORMAT;
    case 'money':
      return '#,##0.00';
    case 'count':
      return '0';
    case 'credits':
      return '0.0';
    default:
      return '@';
  }
}

/** An absolute reference to a column of the Lists sheet: `'Lists'!$A$2:$A$7`. */
const listRange = (sheet: string, index: number, length: number): string => {
  const letter = columnLetter(index);
  return `'${sheet.replaceAll("'", "''")}'!$${letter}$2:$${letter}$${Math.max(2, length + 1)}`;
};

export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

type Validation = ExcelJS.DataValidation;
/** exceljs keeps a sheet's validations by address (a range is written as one); its types leave the collection out. */
interface WithValidations {
  dataValidations: { add(address: string, validation: Validation): void };
}

/**
 * Excel's limits on a validation's words: a title 32 characters, a prompt 255, an error message 225.
 * A file beyond them is one Excel "repairs" by dropping the validations, so each is cut to fit.
 */
export const VALIDATION_LIMITS = { title: 32, prompt: 255, error: 225 } as const;
const within = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};

function fitted(validation: Validation): Validation {
  return {
    ...validation,
    ...(validation.promptTitle ? { promptTitle: within(validation.promptTitle, VALIDATION_LIMITS.title) } : {}),
    ...(validation.errorTitle ? { errorTitle: within(validation.errorTitle, VALIDATION_LIMITS.title) } : {}),
    ...(validation.prompt ? { prompt: within(validation.prompt, VALIDATION_LIMITS.prompt) } : {}),
    ...(validation.error ? { error: within(validation.error, VALIDATION_LIMITS.error) } : {}),
  };
}

/** The validation of a column's cells, with its prompt and its message in the file's language. */
export function validationOf(column: ColumnSpec, lang: Lang, list: string | undefined): Validation {
  return fitted(rawValidationOf(column, lang, list));
}

function rawValidationOf(column: ColumnSpec, lang: Lang, list: string | undefined): Validation {
  const w = (key: keyof typeof TEMPLATE_WORDS) => TEMPLATE_WORDS[key][lang];
  const allowBlank = isOptionalType(column.type) || column.default !== undefined;
  const common = {
    allowBlank,
    showInputMessage: true,
    showErrorMessage: true,
    errorStyle: 'stop' as const,
    prompt: column.hint[lang],
  };
  switch (column.type) {
    case 'code':
    case 'optional_code':
    case 'enum':
    case 'optional_enum':
      return {
        ...common,
        type: 'list',
        formulae: [list!],
        promptTitle: w('listTitle'),
        errorTitle: w('listTitle'),
        error: w('listError'),
      };
    case 'date':
    case 'optional_date':
      return {
        ...common,
        type: 'date',
        operator: 'between',
        formulae: [new Date(`${FIRST_DATE}T00:00:00Z`), new Date(`${LAST_DATE}T00:00:00Z`)],
        promptTitle: w('dateTitle'),
        errorTitle: w('dateTitle'),
        error: fill(w('dateError'), { first: FIRST_DATE, example: column.example || '2024-06-28' }),
      };
    case 'money':
      return {
        ...common,
        type: 'decimal',
        operator: 'between',
        formulae: [column.positive ? 0.01 : 0, MAX_MONEY_CNY],
        promptTitle: w('amountTitle'),
        errorTitle: w('amountTitle'),
        error: fill(w('amountError'), {
          least: column.positive ? w('aboveZero') : w('atLeastZero'),
          max: formatLimit(MAX_MONEY_CNY),
        }),
      };
    case 'count':
      return {
        ...common,
        type: 'whole',
        operator: 'between',
        formulae: [0, MAX_COUNT],
        promptTitle: w('countTitle'),
        errorTitle: w('countTitle'),
        error: fill(w('countError'), { max: formatLimit(MAX_COUNT) }),
      };
    case 'credits':
      return {
        ...common,
        type: 'decimal',
        operator: 'between',
        formulae: [0, MAX_CREDITS],
        promptTitle: w('creditsTitle'),
        errorTitle: w('creditsTitle'),
        error: fill(w('creditsError'), { max: formatLimit(MAX_CREDITS) }),
      };
    case 'term':
      return {
        ...common,
        type: 'textLength',
        operator: 'equal',
        formulae: [11],
        promptTitle: w('termTitle'),
        errorTitle: w('termTitle'),
        error: w('termError'),
      };
    case 'text': {
      const max = column.maxLength ?? 200;
      return {
        ...common,
        type: 'textLength',
        operator: 'lessThanOrEqual',
        formulae: [max],
        promptTitle: w('textTitle'),
        errorTitle: w('textTitle'),
        error: fill(w('textError'), { max: String(max) }),
      };
    }
  }
}

/** What the instructions say a column allows: its list (code and name) or its range. */
function allowedOf(column: ColumnSpec, lang: Lang, list: TemplateList | undefined): string {
  if (list) return list.values.map((v) => `${v.code} (${v.name[lang]})`).join(lang === 'zh' ? '；' : '; ');
  const w = (key: keyof typeof TEMPLATE_WORDS) => TEMPLATE_WORDS[key][lang];
  switch (column.type) {
    case 'date':
    case 'optional_date':
      return fill(w('dateError'), { first: FIRST_DATE, example: column.example || '2024-06-28' });
    case 'money':
      return fill(w('amountError'), {
        least: column.positive ? w('aboveZero') : w('atLeastZero'),
        max: formatLimit(MAX_MONEY_CNY),
      });
    case 'count':
      return fill(w('countError'), { max: formatLimit(MAX_COUNT) });
    case 'credits':
      return fill(w('creditsError'), { max: formatLimit(MAX_CREDITS) });
    case 'term':
      return w('termError');
    default:
      return fill(w('textError'), { max: String(column.maxLength ?? 200) });
  }
}

function requiredOf(column: ColumnSpec, lang: Lang): string {
  if (column.default !== undefined) return fill(TEMPLATE_WORDS.noBlank[lang], { default: column.default });
  return isOptionalType(column.type) ? TEMPLATE_WORDS.no[lang] : TEMPLATE_WORDS.yes[lang];
}

/** The sample row's cell of a column: its example, typed as the column's cells are. */
function exampleValue(column: ColumnSpec): string | number | Date | null {
  if (column.example === '') return null;
  if (column.type === 'date' || column.type === 'optional_date') return new Date(`${column.example}T00:00:00Z`);
  if (column.type === 'money' || column.type === 'count' || column.type === 'credits') return Number(column.example);
  return column.example;
}

/** The file name of a kind's template: `tech_transfer-template.xlsx`, `tech_transfer-模板.csv`. */
export const templateFileName = (kind: FactKind, format: TemplateFormat, lang: Lang): string =>
  `${kind}-${lang === 'zh' ? '模板' : 'template'}.${format}`;

/** The CSV template: the header row in the language, UTF-8 with a byte-order mark (Excel reads it so). */
export function templateCsv(kind: FactKind, lang: Lang): Buffer {
  const header = INPUT_COLUMNS[kind].map((c) => csvCell(nameIn(c, lang))).join(',');
  return Buffer.from(`${UTF8_BOM}${header}\r\n`, 'utf8');
}

/**
 * The workbook a steward fills in: the data sheet (the kind's input columns, named in the file's
 * language and then in the other, frozen; each column's cells typed, formatted and validated from
 * row 3 to Excel's last), the lists the validations read (a hidden sheet: lists written inline in
 * a validation may not exceed 255 characters), and the instructions (a row per column and a
 * sample row; the data sheet holds none, as it would be imported).
 */
export async function templateWorkbook(kind: FactKind, lang: Lang, codes: TemplateCodes): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'alliance-outcomes';
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  const taken = new Set<string>();
  const columns = INPUT_COLUMNS[kind];
  const dataName = sheetName(KIND_NAMES[kind][lang], taken);
  const listsName = sheetName(TEMPLATE_SHEETS.lists[lang], taken);
  const instructionsName = sheetName(TEMPLATE_SHEETS.instructions[lang], taken);

  const lists = templateLists(kind, codes, lang);
  const data = workbook.addWorksheet(dataName, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
  });
  const instructions = workbook.addWorksheet(instructionsName);
  const listSheet = workbook.addWorksheet(listsName, { state: 'hidden' });

  // The lists: one column each, its header in row 1.
  const listColumn = new Map<string, string>();
  const distinct = [...new Map([...lists.values()].map((l) => [l.id, l])).values()];
  listSheet.columns = distinct.map((l) => ({ width: Math.max(12, textWidth(l.header) + 2), style: { numFmt: '@' } }));
  distinct.forEach((list, index) => {
    listSheet.getCell(1, index + 1).value = list.header;
    list.values.forEach((v, row) => {
      listSheet.getCell(row + 2, index + 1).value = v.code;
    });
    listColumn.set(list.id, listRange(listsName, index, list.values.length));
  });
  listSheet.getRow(1).font = { bold: true };

  // The data sheet: two header rows, typed columns, a validation per column.
  data.columns = columns.map((c) => ({
    width: Math.min(60, Math.max(12, textWidth(c.name) + 2, textWidth(c.zh) + 2, textWidth(c.example) + 2)),
    style: { numFmt: templateFormat(c) },
  }));
  columns.forEach((column, i) => {
    data.getCell(1, i + 1).value = nameIn(column, lang);
    data.getCell(2, i + 1).value = nameIn(column, other(lang));
    const list = lists.get(column.name);
    const letter = columnLetter(i);
    (data as unknown as WithValidations).dataValidations.add(
      `${letter}${FIRST_DATA_ROW}:${letter}${LAST_ROW}`,
      validationOf(column, lang, list ? listColumn.get(list.id) : undefined),
    );
  });
  data.getRow(1).font = { bold: true };
  data.getRow(2).font = { bold: true };

  // The instructions: a row per column, then the sample row, then how to import.
  const h = TEMPLATE_HEADINGS;
  const headings = [h.column, h.other, h.required, h.type, h.allowed, h.meaning, h.example].map((b) => b[lang]);
  instructions.columns = [
    { width: 24 },
    { width: 24 },
    { width: 16 },
    { width: 20 },
    { width: 60, style: { alignment: { wrapText: true, vertical: 'top' } } },
    { width: 60, style: { alignment: { wrapText: true, vertical: 'top' } } },
    { width: 24, style: { numFmt: '@' } },
  ];
  instructions.addRow(headings).font = { bold: true };
  instructions.views = [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }];
  for (const column of columns) {
    instructions.addRow([
      nameIn(column, lang),
      nameIn(column, other(lang)),
      requiredOf(column, lang),
      TEMPLATE_TYPES[column.type][lang],
      allowedOf(column, lang, lists.get(column.name)),
      lang === 'zh' ? column.hint.zh : column.description,
      column.example,
    ]);
  }
  instructions.addRow([]);
  instructions.addRow([TEMPLATE_WORDS.sample[lang]]).font = { bold: true };
  instructions.addRow(columns.map((c) => nameIn(c, lang))).font = { bold: true };
  const sample = instructions.addRow(columns.map(exampleValue));
  columns.forEach((column, i) => {
    sample.getCell(i + 1).numFmt = templateFormat(column);
  });
  instructions.addRow([]);
  instructions.addRow([TEMPLATE_WORDS.howTitle[lang]]).font = { bold: true };
  for (const line of TEMPLATE_HOW) instructions.addRow([line[lang]]);

  return withoutClock(Buffer.from(await workbook.xlsx.writeBuffer()));
}

/** The codes a template lists, read from the database: every university, region and field. */
export async function templateCodes(db: Kysely<Database>, ownUniversity: string | null): Promise<TemplateCodes> {
  const [universities, regions, fields] = await Promise.all([listUniversities(db), listRegions(db), listFields(db)]);
  const coded = (rows: readonly { code: string; name_en: string; name_zh: string }[]): Coded[] =>
    rows.map((r) => ({ code: r.code, name: { en: r.name_en, zh: r.name_zh } }));
  return { universities: coded(universities), regions: coded(regions), fields: coded(fields), ownUniversity };
}

/** A kind's import template, as the route and the command line give it. */
export async function importTemplate(
  db: Kysely<Database>,
  request: { kind: FactKind; format: TemplateFormat; lang: Lang; ownUniversity: string | null },
): Promise<TemplateFile> {
  const { kind, format, lang } = request;
  const fileName = templateFileName(kind, format, lang);
  if (format === 'csv') return { fileName, contentType: MEDIA_TYPES.csv, bytes: templateCsv(kind, lang) };
  const bytes = await templateWorkbook(kind, lang, await templateCodes(db, request.ownUniversity));
  return { fileName, contentType: MEDIA_TYPES.xlsx, bytes };
}
