import { dateCell, numberCell } from '../csv/cells.js';
import type { WorkbookProjection } from '../csv/csv-projection.js';
import type { CsvRow } from '../csv/csv-response.js';
import type { SheetSpec } from '../csv/xlsx-response.js';
import { unitLabel } from '../kpi/labels.js';
import { allianceTime } from '../lib/dates.js';
import { REPORT_TABLES, reportCsv, TITLES } from './report-csv.js';
import type { ReportDocument } from './report.types.js';

type Lang = 'zh' | 'en';

const L = (lang: Lang, en: string, zh: string) => (lang === 'zh' ? zh : en);

/** The cover: what the report is of, how complete, from which data, and the digest that identifies it. */
function coverSheet(doc: ReportDocument, sha256: string, lang: Lang, submission?: number): SheetSpec {
  const yes = (value: boolean) => (value ? L(lang, 'yes', '是') : L(lang, 'no', '否'));
  const rows: CsvRow[] = [
    [L(lang, 'Report', '报告'), L(lang, 'Collaboration outcomes report', '合作成效报告')],
    [L(lang, 'Period', '报告期'), doc.period.label[lang]],
    [L(lang, 'From', '起始日期'), dateCell(doc.period.from)],
    [L(lang, 'To', '截止日期'), dateCell(doc.period.to)],
    [L(lang, 'Period complete', '报告期已结束'), yes(doc.complete)],
    [L(lang, 'Target year', '目标年度'), numberCell(String(doc.targetYear), doc.targetYear, '0')],
    [L(lang, 'Year to date from', '年初至期末起始'), dateCell(doc.yearToDate.from)],
    [L(lang, 'Year to date to', '年初至期末截止'), dateCell(doc.yearToDate.to)],
    [L(lang, 'Data as of', '数据截至'), doc.data.asOf === null ? null : allianceTime(new Date(doc.data.asOf))],
    [L(lang, 'Data version', '数据版本'), numberCell(String(doc.data.version), doc.data.version, '0')],
    [L(lang, 'First record dated', '最早记录日期'), doc.data.firstDate === null ? null : dateCell(doc.data.firstDate)],
    [L(lang, 'Last record dated', '最晚记录日期'), doc.data.lastDate === null ? null : dateCell(doc.data.lastDate)],
    [L(lang, 'Synthetic data', '演示数据'), yes(doc.data.synthetic)],
    [
      L(lang, 'Submission', '报送编号'),
      submission === undefined ? L(lang, 'not submitted (live)', '未报送（实时）') : String(submission),
    ],
    [L(lang, 'SHA-256 of the canonical JSON', '规范化 JSON 的 SHA-256'), sha256],
    [L(lang, 'Document format', '文档格式'), doc.format],
  ];
  return { name: L(lang, 'Cover', '封面'), header: [L(lang, 'Item', '项目'), L(lang, 'Value', '内容')], rows: [rows] };
}

/** Each measure's definition and the standard it follows, as the report states them. */
function definitionsSheet(doc: ReportDocument, lang: Lang): SheetSpec {
  return {
    name: L(lang, 'Definitions', '指标定义'),
    header: [
      L(lang, 'Measure', '指标代码'),
      L(lang, 'Name', '指标名称'),
      L(lang, 'Unit', '单位'),
      L(lang, 'Definition', '定义'),
      L(lang, 'Standard', '标准代码'),
      L(lang, 'Standard name', '标准名称'),
      L(lang, 'Reference', '依据'),
    ],
    rows: [
      doc.measures.map((m) => [
        m.id,
        m.name[lang],
        unitLabel(m.unit, lang, false),
        m.definition[lang],
        m.standard.code,
        m.standard.name[lang],
        m.standard.reference[lang],
      ]),
    ],
  };
}

/**
 * The whole commission report as one workbook (`GET /report?format=xlsx`, a submission's too):
 * the cover, the definitions with their standards, then a sheet per table, each named in the
 * report's language; the tables' cells are the CSVs' (reportCsv), typed. A document without the
 * national block (format 1) has no sheet for it.
 */
export function reportWorkbook(doc: ReportDocument, sha256: string, lang: Lang, submission?: number): WorkbookProjection {
  const tables = REPORT_TABLES.filter((table) => table !== 'national' || doc.national !== undefined);
  // ASCII whatever the language: the plain name and the encoded one are the same.
  const name = `report-${doc.period.key}${submission ? `-submission-${submission}` : ''}-${lang}.xlsx`;
  return {
    fileName: { name, ascii: name },
    subject: `report/xlsx/${submission ?? doc.period.key}`,
    sheets: [
      coverSheet(doc, sha256, lang, submission),
      definitionsSheet(doc, lang),
      ...tables.map((table) => {
        const { header, rows } = reportCsv(doc, table, lang);
        return { name: TITLES[table][lang], header, rows: [rows] };
      }),
    ],
  };
}
