/**
 * Writes docs/csv.md and docs/samples/<kind>.csv from the column registry, so the CSV
 * documentation cannot drift from what the importer accepts (a test checks both).
 * Usage: npm run docs:csv
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { FACT_KINDS, type FactKind } from '../server/db/schema.js';
import { MAX_EMPTY_ROWS } from '../server/imports/parse-import.js';
import { MAX_ROW_BYTES, MAX_ROW_CELLS } from '../server/csv/record-bounds.js';
import {
  type ColumnSpec,
  formatLimit,
  INPUT_COLUMNS,
  isOptionalType,
  KIND_COLUMNS,
  KIND_NAMES,
  MAX_COUNT,
  MAX_CREDITS,
  MAX_MONEY_CNY,
} from '../contract/record-columns.js';

const TYPE_NAMES: Record<ColumnSpec['type'], string> = {
  code: 'code',
  optional_code: 'code or empty',
  text: 'text',
  date: 'date YYYY-MM-DD',
  optional_date: 'date YYYY-MM-DD or empty',
  money: `yuan, ≤ 2 decimals, ≤ ${formatLimit(MAX_MONEY_CNY)}`,
  count: `whole number ≥ 0, ≤ ${formatLimit(MAX_COUNT)}`,
  credits: `number ≥ 0, ≤ 1 decimal, ≤ ${formatLimit(MAX_CREDITS)}`,
  enum: 'one of the values',
  optional_enum: 'one of the values or empty',
  term: 'term such as 2024-2025-1',
};

/** Three rows per kind that import cleanly: the columns' examples, then two variations. */
const SAMPLES: Record<FactKind, Array<Record<string, string>>> = {
  tech_transfer: [
    { ref: 'SAMPLE-TT-0001' },
    {
      ref: 'SAMPLE-TT-0002',
      mode: 'development',
      partner_name: '上海某智能装备有限公司, "研发中心"',
      partner_region_code: 'SH',
      co_university_code: 'ZJUT',
      field_code: 'ADV_MFG',
      signed_on: '2024-12-31',
      contract_value_cny: '850000',
      patents: '0',
      reward_cash_cny: '',
      reward_equity_cny: '',
      rewarded_people: '',
      rewarded_on: '',
    },
    {
      ref: 'SAMPLE-TT-0003',
      mode: 'equity',
      partner_name: 'Hefei New Materials Co., Ltd.',
      partner_region_code: 'AH',
      field_code: 'NEW_MAT',
      signed_on: '2025-01-01',
      contract_value_cny: '12000000.00',
      patents: '5',
      reward_cash_cny: '0',
      reward_equity_cny: '6000000.00',
      rewarded_people: '4',
      rewarded_on: '2025-03-18',
    },
  ],
  // On the sample contracts above: import docs/samples/tech_transfer.csv first.
  payment: [
    { ref: 'SAMPLE-PAY-0001', contract_ref: 'SAMPLE-TT-0001', received_on: '2024-07-15', amount_cny: '300000.00' },
    { ref: 'SAMPLE-PAY-0002', contract_ref: 'SAMPLE-TT-0001', received_on: '2025-03-10', amount_cny: '400000' },
    { ref: 'SAMPLE-PAY-0003', contract_ref: 'SAMPLE-TT-0002', received_on: '2025-02-01', amount_cny: '850000' },
  ],
  incubation: [
    { ref: 'SAMPLE-INC-0001' },
    {
      ref: 'SAMPLE-INC-0002',
      name: '高性能锂电隔膜',
      field_code: 'NEW_MAT',
      stage: 'incubating',
      entered_on: '2023-09-01',
      graduated_on: '',
      closed_on: '',
      funding_cny: '1500000',
      jobs: '9',
      partner_university_code: '',
      company_registered_on: '',
      company_stake: '',
    },
    {
      ref: 'SAMPLE-INC-0003',
      name: 'Edge computing gateway',
      field_code: 'IT_AI',
      stage: 'closed',
      entered_on: '2021-04-01',
      graduated_on: '',
      closed_on: '2023-05-31',
      funding_cny: '0',
      jobs: '0',
      partner_university_code: 'NJTECH',
      company_registered_on: '2021-06-18',
      company_stake: 'shareholder',
    },
  ],
  talent: [
    { ref: 'SAMPLE-TAL-0001' },
    {
      ref: 'SAMPLE-TAL-0002',
      partner_university_code: 'AHUT',
      level: 'master',
      program: '专业学位硕士联合培养',
      started_on: '2024-09-01',
      completed_on: '',
      trainees: '12',
      graduates: '0',
    },
    {
      ref: 'SAMPLE-TAL-0003',
      partner_university_code: '',
      level: 'other',
      program: 'Innovation summer school',
      started_on: '2023-07-10',
      trainees: '80',
      graduates: '76',
    },
  ],
  credit: [
    { ref: 'SAMPLE-CR-0001' },
    {
      ref: 'SAMPLE-CR-0002',
      host_university_code: 'ZJUT',
      course: '人工智能导论',
      term: '2023-2024-2',
      recognized_on: '2024-07-15',
      students: '8',
      credits: '16',
    },
    {
      ref: 'SAMPLE-CR-0003',
      host_university_code: 'NJTECH',
      course: 'Technology transfer basics',
      term: '2024-2025-1',
      recognized_on: '2025-01-22',
      students: '3',
      credits: '4.5',
    },
  ],
  capacity: [
    // Mid-year days: the demo data holds each university's year-end snapshots.
    {
      ref: 'SAMPLE-CAP-2023-H1',
      snapshot_on: '2023-06-30',
      transfer_offices: '1',
      staff: '9',
      tech_managers: '4',
      co_built: '2',
    },
    { ref: 'SAMPLE-CAP-2024-H1' },
    {
      ref: 'SAMPLE-CAP-2025-H1',
      snapshot_on: '2025-06-30',
      transfer_offices: '1',
      staff: '14',
      tech_managers: '8',
      co_built: '3',
    },
  ],
};

export function sampleCsv(kind: FactKind): string {
  const columns = INPUT_COLUMNS[kind];
  const base = Object.fromEntries(columns.map((c) => [c.name, c.example]));
  const rows = SAMPLES[kind].map((over) => columns.map((c) => ({ ...base, ...over })[c.name] ?? ''));
  return stringify([columns.map((c) => c.name), ...rows], { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

export function csvDocs(): string {
  const lines = [
    '# CSV and XLSX formats',
    '',
    'One CSV per kind of record, with the same columns as its export. This page is generated from the',
    'column registry (`contract/record-columns.ts`) by `npm run docs:csv`; a test keeps it current.',
    '',
    '## Files the dashboard writes',
    '',
    '- RFC 4180, CRLF line ends, UTF-8 with a byte-order mark (Excel in a Chinese locale needs it;',
    '  `bom=false` drops it). Never a `sep=` line. LibreOffice Calc and WPS ask for the character set when',
    '  they open a CSV file: choose UTF-8 (Unicode), or Chinese text shows garbled.',
    '- A header row of stable English column names; `lang=zh` gives the Chinese names below.',
    '- Raw values by default: numbers as numbers, money with two decimals, ISO dates. `formatted=true`',
    '  writes display units and labels (万元 and Chinese names with `lang=zh`, thousands separators in English);',
    '  a formatted file is for reading, not for importing back.',
    '- Every file of figures (aggregate, summary, collaboration, each report table) ends with a `status`',
    '  column (`数据状态` in Chinese): `F` final, `P` provisional, `R` revised (docs/reporting-cycle.md,',
    '  "Status of figures"); `formatted=true` writes the name in `lang` (Final / 最终, Provisional / 初步,',
    "  Revised / 已修订); the report's national block has a status line per column instead. The report also",
    '  has a `not-final` table: the university-periods it draws on that are not final.',
    '- A text cell that begins with `=`, `+`, `-`, `@`, a tab, a carriage return or NUL is written with a',
    "  leading `'`, so no spreadsheet runs it as a formula; number columns never are. Import removes that",
    '  apostrophe again, so export → import gives back the same records. One function writes every cell of',
    '  every CSV (records, figures raw or formatted, summary, collaboration, report tables, the reporting',
    '  status board, the command line; the header too), so a name (a university, region or field) is',
    '  escaped like any other text;',
    '  `test/integration/csv-formulas.test.ts` sweeps every CSV route with formula-like names and text.',
    '- The file name says what it holds: the kind or the measures, the grouping and the period',
    '  (`records-tech_transfer_2024-01-01_2024-12-31.csv`; Chinese names through RFC 5987 `filename*`).',
    "- Exports are read from the database through a cursor (or PostgreSQL's `COPY`) into a file on the",
    "  server's disk, then sent from it with `Content-Length`: no row limit, memory stays flat, and a slow",
    '  reader never holds a database connection ([reliability](reliability.md)).',
    '',
    '## Workbooks (XLSX)',
    '',
    'Everything that downloads as CSV downloads as an Excel workbook too: `format=xlsx` in place of',
    '`format=csv` (records of every kind, `/aggregate`, `/summary`, `/collaboration`), with the same',
    'filters, `lang` and `formatted`, the same access (a steward gets its own records only) and the same',
    'audit entry; `npm run cli -- export … --format xlsx --out FILE.xlsx` on the command line. The answer is',
    '`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, named as the CSV with `.xlsx`.',
    'Each view has a “Download XLSX” link beside its “Download CSV”.',
    '',
    '- The same header and cells as the CSV of the same request (one projection writes both), typed:',
    '  money a number in yuan exact to the fen, counts and credits numbers, days date cells shown',
    '  `yyyy-mm-dd`, ratios numbers; codes, names and free text text cells.',
    '- Number formats: raw, as the CSV writes them (`0.00` for money, `0.000000` for a ratio); with',
    '  `formatted=true`, `#,##0.00` for money (`0"."0000"万元"` in Chinese: the cell still holds yuan, shown',
    '  in 万元 to the yuan; Excel can only scale by thousands, so the format places the point instead),',
    '  `#,##0` for counts and `0.00%` for ratios.',
    '- Text is stored as text, never as a formula: a cell that begins with `=`, `+`, `-`, `@`, a tab or a',
    "  carriage return holds exactly that text, with no leading `'` (a workbook has no need of it).",
    '- The header row is bold and frozen; the columns are as wide as the header and the first 500 rows want.',
    '- The sheet is named after the file, in the language asked for (at most 31 characters, none of `[]:*?/\\`).',
    '- The commission report is one workbook: `GET /api/v1/report?period=2024&format=xlsx&lang=zh` (a',
    '  submission: `/api/v1/report/submissions/<id>?format=xlsx`; `npm run cli -- report --period 2024',
    '  --format xlsx --out report.xlsx`): a cover (period, data as of, version, digest), the measures’',
    '  definitions with their standards, and a sheet per table, named in the report’s language, each holding',
    '  what that table’s CSV holds. Money there shows with separators in yuan, as its headers say.',
    '- Records are written as they are read (a cursor, exceljs’s streaming writer, text inline rather than in',
    '  a shared table), into the same spool file as a CSV: memory stays flat at a million records',
    '  ([benchmarks](benchmarks.md)). A raw CSV on PostgreSQL is rendered by `COPY`; a workbook never is.',
    '- Excel shows 15 significant digits: an amount up to 10^13 yuan shows to the fen; a sum above that',
    '  (possible in an aggregate) is stored exactly, but Excel rounds what it shows and computes.',
    '',
    '## Templates: the empty file of each kind',
    '',
    '`GET /api/v1/imports/<kind>/template?format=xlsx|csv&lang=en|zh` (admin and steward, the roles that',
    'import; the Records view’s “Template (XLSX)” and “Template (CSV)” links beside Import, in the',
    'interface’s language; `npm run cli -- template <kind> [--format xlsx|csv] [--lang en|zh] [--out FILE]',
    '[--as EMAIL]`). `format=csv` is the header row alone, in `lang`, UTF-8 with a byte-order mark.',
    '`format=xlsx` (the default) is a workbook:',
    '',
    '- The first sheet, named after the kind in `lang`, is the data sheet: row 1 names the kind’s input',
    '  columns (no read-only column) in `lang`, row 2 the same columns in the other language; both bold and',
    '  frozen. Data starts at row 3: the import reads the first sheet and passes over a second header row',
    '  that names the same columns. There is no sample row in it (it would be imported).',
    '- Every column is validated from row 3 to the last row (1,048,576), with an input prompt (the',
    '  column’s hint) and an error message in `lang`: codes and enumerated values from a list (universities,',
    '  regions and fields as the database holds them; a steward’s own university only in `university_code`,',
    '  every university in a partner or host column), dates between 1949-10-01 and 2100-12-31 (the import',
    '  also refuses a day in the future), amounts as decimals from 0 (a payment from 0.01) to the limit,',
    '  counts as whole numbers, credits as decimals, text at most its length, a term 11 characters.',
    '- The lists are the columns of a hidden sheet (Lists / 代码表), one list a column under its header:',
    '  Excel refuses a list written into the validation itself beyond 255 characters.',
    '- Date columns are shown `yyyy-mm-dd`, amounts `#,##0.00` (yuan), counts `0`, credits `0.0`; every',
    '  other column is formatted as text (`@`), so that a ref such as `00123` stays `00123`.',
    '- The Instructions sheet (说明) has a row per column (its name in both languages, whether it is',
    '  required, its type, its allowed values or range, what it holds, an example), then a sample row of',
    '  the examples, then how to import (Records › Import or the command line, all or nothing, the dry run,',
    '  the first sheet read, rows 1–2 the header).',
    '- Made in memory: its size grows with the number of universities, regions and fields only.',
    '',
    '## Files the dashboard reads',
    '',
    '- `POST /api/v1/imports/<kind>` with the file as the `text/csv` body (or a `multipart/form-data`',
    '  part named `file`), or `npm run cli -- import <kind> <file.csv>`. `dryRun=true` (`--dry-run`)',
    '  reports what would happen and writes nothing.',
    '- The encodings Excel writes, found from the file itself (`server/imports/file-encoding.ts`), and',
    '  named in the answer (`encoding`: `utf-8`, `utf-8-bom`, `gb18030`, `utf-16le`, `utf-16be`; the',
    '  command line prints it too, and the audit entry of the import keeps it), with the first text cell',
    '  beyond ASCII as it was read (`sample`: line, column, text), where a wrong reading would show:',
    '  - a byte-order mark decides: UTF-8, UTF-16LE (Excel’s “Unicode Text”) or UTF-16BE;',
    '  - without one, a file that is UTF-8 throughout is UTF-8 (“CSV UTF-8”, or plain ASCII);',
    '  - otherwise GB18030, of which GBK (Excel’s “CSV” and “Text” in a Chinese locale) is a part, if the',
    '    whole file is GB18030. Almost any bytes are: the file is refused when, read so, it has a character of',
    '    the private use areas (GBK’s user-defined codes, where two accented letters fall) or, next to a Latin',
    '    letter, an ideograph whose GBK code ends in an ASCII letter, which is what an accented Windows-1252',
    '    letter and the letter after it read as (`Müller` reads `M黮ler`, `École` `蒫ole`); the message shows',
    '    that text. A Windows-1252 accented letter before a space, a comma or a line end is no GB18030 at all,',
    '    and is refused there. What is not caught: a Windows-1252 file whose accented letters only come in pairs',
    '    that happen to make a common Chinese character (`Nºª` reads `N邯`), or a Big5 or Shift JIS file',
    '    (mostly valid GBK bytes). What is refused though right: Chinese text with such a rare ideograph',
    '    against a Latin letter (GB2312’s common ones never are; `臺積電TSMC` is read): save it as CSV UTF-8.',
    '    The dry run says `gb18030` and shows its `sample`, so that a steward can tell, and the Records view',
    '    asks them to check.',
    '  - A file that is UTF-8 for three characters beyond ASCII and then is not was damaged (or had text of',
    '    another encoding pasted in): it is refused at that byte, not read as GB18030.',
    '  - Anything else, and UTF-16 without its mark, is refused with the hint to save it from Excel as',
    '    “CSV UTF-8 (Comma delimited)”; each error names the line and column (the header’s cell) and the byte',
    '    offset of the first bytes that are not UTF-8, and of the first that are not GB18030.',
    '  GB18030 is decoded as this Node build’s ICU reads it: the few codes GB18030-2005 gave to private use',
    '  characters read as the characters GB18030-2022 gives them (`A6 D9` is U+FE10), so private use text',
    '  cannot come through GB18030 (nor does Excel write any). The file is read through once to find its encoding and once more to',
    '  check its rows, a block at a time: memory stays flat whatever its size. Its SHA-256 is that of its',
    '  bytes as sent: the same records in two encodings are two different files, and importing either twice',
    '  changes nothing (records are matched on university and ref, not on the digest).',
    '- Cells are separated by commas, or by tabs when the header line holds tabs and no comma (“Unicode',
    '  Text” and “Text (Tab delimited)”), in any of these encodings; the answer says which (`delimiter`).',
    '- Dates are written `YYYY-MM-DD`. Excel in a Chinese locale saves a date column year first without',
    '  leading zeros (`2026/9/3`): that form, and `2026-9-3`, are read as the same day (`2026-09-03`). A',
    '  date written day or month first (`3/9/2026`, `9/3/2026`) cannot be told apart and is refused, naming',
    '  the cell, with the hint to format the column as text or as `yyyy-mm-dd` before saving.',
    '- Amounts (`money`) are written `1200000.50`. Excel saves a formatted amount column with thousands',
    '  separators (`1,200,000.50`, perhaps `¥1,200,000.50` or `1,200,000.50元`): separators in exact groups',
    '  of three, after an optional yuan sign or before 元, are read as the plain amount. Other groupings',
    '  (`1,2,3`, `12,00,000`) and decimal commas (`1.200.000,00`) are refused. Credits take no separators.',
    '  The records API reads the same forms (one schema checks an import row and a JSON record).',
    '- The header names the columns in English or in Chinese, in any order; optional columns may be left out.',
    '- Every row is checked: types, codes that exist, real dates not in the future, amounts not below 0 (a payment above 0),',
    "  the rules between columns, a steward's own university, and duplicate refs within the file. One bad row",
    '  rejects the whole file: the 422 answer lists every bad row by line (as a spreadsheet numbers it,',
    '  the header being line 1) and column, up to the first 1,000, with the total count (`errorCount`).',
    '  The check stops counting at 10,000 problems and says so: such a file is the wrong file. Duplicate',
    '  refs are found once every other check has passed, as the rows are staged, and are listed the same way.',
    "  A steward's file with rows of another university is a 403 instead, and its list holds those rows and",
    '  every other fault of the file, line by line.',
    '- Payments are checked against their contracts: the contract (`contract_ref`) exists in the same',
    "  university, no payment is dated before its contract was signed, and a contract's payments, those stored",
    '  and those of the file together (a payment the file updates counts with its new amount), sum to at most',
    '  its value; the line named is the first at which they pass it. A contract file is checked against the',
    '  payments stored on it: its value covers them, and it is signed no later than the first. Import',
    '  contracts before their payments.',
    "- A contract's rewards to individuals (`reward_cash_cny`, `reward_equity_cny`) sum to at most its value; a",
    '  reward has its people (`rewarded_people` at least 1) and its day (`rewarded_on`, not before signing), and',
    '  a contract without one has neither. A column marked *no (0)* may be left blank: it is 0 (no reward). It',
    '  may also be left out of the header: a new record then has 0, and a stored one keeps its own value, so a',
    '  file written before the reward columns existed imports as it did and changes no reward.',
    '- A column left out of the header keeps, on a stored record, the value the record holds, and the rules',
    "  between a row's columns (a graduation day for a graduated project, a reward with its people and day, a",
    "  company's day with its stake) are judged with those stored values, in the dry run as in the import: a",
    '  file that sets a graduated project back to incubating without its date columns is refused, naming the',
    '  stored `graduated_on`.',
    '- A capacity snapshot (`capacity`) is one per university and day: a file that repeats a day, or takes',
    '  the day of a stored snapshot it does not name, is refused naming the line; snapshots may swap days.',
    "- A column marked *read only* (`received_cny`, the sum of a contract's payments) is written by the",
    '  export and not read by the import, so an exported file can be imported back; the answer names such',
    '  columns (`ignored`), and the Records view says so: record payments instead. The rules between',
    '  contracts and payments are checked once every row has passed its own checks, as duplicate refs are.',
    '- A text cell may hold line breaks (line feed, carriage return) and tabs, except a ref (`ref`,',
    '  `contract_ref`), which is one line; no cell holds another control character (C0, DEL, C1 such as NEL,',
    '  the separators U+2028 and U+2029), a bidirectional control or mark (U+061C, U+200E, U+200F,',
    "  U+202A–U+202E, U+2066–U+2069) or an invisible character (Unicode's format and default-ignorable",
    '  characters: zero-width spaces and joiners, the soft hyphen, U+FEFF inside text, fillers, variation',
    '  selectors, tags; noncharacters; the blank braille pattern): each is refused naming the line and',
    '  column, as names and notes entered through the forms and the API are.',
    '- A good file is applied in one transaction, upserting on (`university_code`, `ref`): the answer is',
    '  `{ inserted, updated, unchanged }`, and importing the same file twice changes nothing the second time.',
    '  Each updated record is in the audit log with its values before and after; the batch is recorded',
    '  with its file name and SHA-256.',
    `- At most 50 MB and 1,000,000 rows per file; a row at most ${MAX_ROW_BYTES / 1024} KB and ${MAX_ROW_CELLS} cells (a larger`,
    '  one is refused at once, naming its line); empty rows (as a spreadsheet leaves under a table) are',
    `  passed over, up to ${MAX_EMPTY_ROWS.toLocaleString('en')}.`,
    '- The file is kept on disk while it is checked and applied, never whole in memory; the server runs',
    '  two imports at once, with four more waiting their turn, and receives at most eight uploads at once.',
    '  Beyond that the answer is 503 with `Retry-After`: send the file again then.',
    '',
  ];
  for (const kind of FACT_KINDS) {
    lines.push(`## ${KIND_NAMES[kind].en} (${KIND_NAMES[kind].zh}) — \`${kind}\``, '');
    lines.push(`Sample: [\`docs/samples/${kind}.csv\`](samples/${kind}.csv)`, '');
    lines.push(
      '| column | 中文列名 | type | required | allowed values | example | meaning |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const c of KIND_COLUMNS[kind]) {
      const required = c.derived
        ? 'read only'
        : c.default !== undefined
          ? `no (${c.default})`
          : isOptionalType(c.type)
            ? 'no'
            : 'yes';
      const allowed = c.values
        ? c.values.map((v) => `\`${v}\``).join(', ')
        : c.domain
          ? `a ${c.domain} code`
          : c.maxLength
            ? `≤ ${c.maxLength} characters`
            : '';
      lines.push(
        `| \`${c.name}\` | ${c.zh} | ${TYPE_NAMES[c.type]} | ${required} | ${allowed} | \`${c.example}\` | ${c.description} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../docs/csv.md', import.meta.url), csvDocs());
  for (const kind of FACT_KINDS) writeFileSync(new URL(`../docs/samples/${kind}.csv`, import.meta.url), sampleCsv(kind));
  process.stdout.write('wrote docs/csv.md and docs/samples/*.csv\n');
}
