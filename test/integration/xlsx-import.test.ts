import { deflateRawSync, constants as zlibConstants } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import type { FactKind } from '../../server/db/schema.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { type RawRow, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { workbookParts, zipOf } from '../helpers/zip.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const KINDS = ['tech_transfer', 'payment', 'incubation', 'talent', 'credit', 'capacity'] as const;

/** Text that a spreadsheet or a CSV could mangle: formula starts, quotes, breaks, escapes, leading zeros. */
const HOSTILE = [
  "=cmd|' /C calc'!A0",
  '+1',
  '-2',
  '@SUM(A1:A2)',
  "'=already quoted",
  "''+twice",
  'line\r\nbreak',
  'carriage\rreturn',
  '_x000D_ literally',
  '上海,"引号"',
  '00123',
  '1.0',
  '1E+5',
  'TRUE',
  '😀 emoji',
];

describe(`XLSX import (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let usst: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const post = (client: Client, kind: FactKind, body: Buffer | string, query = '', type = XLSX_TYPE) =>
    server.fetch(`/api/v1/imports/${kind}${query}`, {
      method: 'POST',
      headers: { 'content-type': type, cookie: client.cookie!, 'x-csrf-token': client.csrfToken! },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  /** The records of every kind, as one string. */
  const records = async () =>
    JSON.stringify(await Promise.all(KINDS.map((k) => database.db.selectFrom(k).selectAll().orderBy('id').execute())));
  /** Every table an import could write, as one string. */
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all([
        ...KINDS.map((k) => database.db.selectFrom(k).selectAll().orderBy('id').execute()),
        database.db.selectFrom('import_batch').select(['id', 'status']).orderBy('id').execute(),
      ]),
    );
  const exported = async (client: Client, url: string): Promise<Buffer> => {
    const response = await client.get(url);
    expect(response.status, url).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  };
  const csvImport = async (kind: FactKind, rows: RawRow[]) => {
    const response = await post(admin, kind, csvOf(kind, rows), '', 'text/csv');
    expect(response.status, await response.clone().text()).toBe(200);
  };

  it('when every kind is exported as a workbook and imported again, then nothing is created or changed, in English or Chinese', async () => {
    const facts = randomFacts(31, 40);
    for (const kind of KINDS) {
      await csvImport(kind, facts[kind]);
      for (const lang of ['en', 'zh']) {
        const book = await exported(admin, `/records/${kind}?format=xlsx&lang=${lang}`);
        const before = await snapshot();
        const response = await post(admin, kind, book);
        const answer = await response.json();
        expect(response.status, JSON.stringify(answer)).toBe(200);
        expect(answer).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, inserted: 0, updated: 0 });
        const stored = await database.db
          .selectFrom(kind)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(answer.unchanged).toBe(Number(stored.n));
        expect(answer.unchanged).toBeGreaterThanOrEqual(facts[kind].length);
        expect(typeof answer.sheet).toBe('string');
        // The import itself is recorded (a batch), but no record moved.
        const after = JSON.parse(await snapshot()) as unknown[];
        expect(JSON.stringify(after.slice(0, KINDS.length))).toBe(
          JSON.stringify((JSON.parse(before) as unknown[]).slice(0, KINDS.length)),
        );
      }
    }
  });

  it('when text that spreadsheets mangle goes out in a workbook and back in, then every record is unchanged', async () => {
    const rows = HOSTILE.map((text, i) => ({
      ...randomFacts(900 + i, 1).tech_transfer[0]!,
      ref: `H-${i}-${text.replaceAll(/[\r\n]/g, '_')}`,
      partner_name: text,
    }));
    await csvImport('tech_transfer', rows);
    const stored = await database.db
      .selectFrom('tech_transfer')
      .select(['ref', 'partner_name'])
      .where('ref', 'like', 'H-%')
      .execute();
    // What the workbook must give back: formula-looking text, leading zeros, escapes, as stored.
    expect(stored.map((r) => r.partner_name)).toEqual(
      expect.arrayContaining(["=cmd|' /C calc'!A0", '+1', '-2', '@SUM(A1:A2)', '00123', '1E+5', '_x000D_ literally', "'+twice"]),
    );
    const book = await exported(admin, '/records/tech_transfer?format=xlsx&q=H-');
    const before = await snapshot();
    const answer = await (await post(admin, 'tech_transfer', book)).json();
    expect(answer).toMatchObject({ inserted: 0, updated: 0, unchanged: HOSTILE.length });
    expect(JSON.parse(await snapshot())[0]).toEqual(JSON.parse(before)[0]);
  });

  /** A credit workbook made with exceljs: instructions first, then the records' sheet with two header rows. */
  const creditBook = async (
    fill: (sheet: ExcelJS.Worksheet) => void,
    { date1904 = false, zhFirst = true }: { date1904?: boolean; zhFirst?: boolean } = {},
  ): Promise<Buffer> => {
    const book = new ExcelJS.Workbook();
    if (date1904) book.properties.date1904 = true;
    const help = book.addWorksheet('说明');
    help.addRow(['Fill in the sheet 学分; one row per course.']);
    const sheet = book.addWorksheet('学分');
    const columns = KIND_COLUMNS.credit;
    sheet.addRow(columns.map((c) => (zhFirst ? c.zh : c.name)));
    sheet.addRow(columns.map((c) => (zhFirst ? c.name : c.zh)));
    fill(sheet);
    book.addWorksheet('lists').addRow(['USST', 'NJTECH']);
    return Buffer.from(await book.xlsx.writeBuffer());
  };
  /** A credit row in column order, with cells as a person would type them. */
  const creditRow = (ref: string, cells: Partial<Record<string, ExcelJS.CellValue>> = {}): ExcelJS.CellValue[] => {
    const values: Record<string, ExcelJS.CellValue> = {
      university_code: 'USST',
      ref,
      host_university_code: 'NJTECH',
      course: 'Materials',
      term: '2023-2024-2',
      recognized_on: new Date(Date.UTC(2024, 2, 15)),
      students: 40,
      credits: 2.5,
      ...cells,
    };
    return KIND_COLUMNS.credit.map((c) => values[c.name] ?? null);
  };
  const credits = (prefix: string) =>
    database.db.selectFrom('credit').selectAll().where('ref', 'like', `${prefix}%`).orderBy('ref').execute();
  const problemOf = async (response: Response) => {
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(422);
    return body as { code: string; errors?: Array<Record<string, unknown>>; detail: string };
  };

  it('when a workbook has instructions first, two header rows, typed cells, rich text, links, formulas and a hidden row, then each cell is read as meant', async () => {
    const book = await creditBook((sheet) => {
      sheet.addRow(creditRow('X-1', { course: '00123', students: 12, credits: 4 }));
      // A ref typed as a number is its plain decimal; a formula's cached result is read.
      sheet.addRow(creditRow('X-2', { ref: 123000, students: { formula: '20*2', result: 40 } as ExcelJS.CellValue }));
      sheet.addRow(
        creditRow('X-3', {
          course: { richText: [{ text: 'Rich ' }, { font: { bold: true }, text: 'text' }] },
          host_university_code: { text: 'NJTECH', hyperlink: 'https://example.org/' },
          recognized_on: 45366, // a serial number in a date column: 2024-03-15
        }),
      );
      const hidden = sheet.addRow(creditRow('X-4', { course: '=cmd|x', credits: 0.5 }));
      hidden.hidden = true;
    });
    const response = await post(admin, 'credit', book, '?fileName=x.xlsx');
    const answer = await response.json();
    expect(response.status, JSON.stringify(answer)).toBe(200);
    expect(answer).toMatchObject({ format: 'xlsx', sheet: '学分', inserted: 4, rows: 4 });
    const rows = await database.db
      .selectFrom('credit')
      .select(['ref', 'course', 'host_university_code', 'recognized_on', 'students', 'credits'])
      .where((eb) => eb.or([eb('ref', 'like', 'X-%'), eb('ref', '=', '123000')]))
      .orderBy('ref')
      .execute();
    expect(rows).toEqual([
      {
        ref: '123000',
        course: 'Materials',
        host_university_code: 'NJTECH',
        recognized_on: '2024-03-15',
        students: 40,
        credits: 2.5,
      },
      { ref: 'X-1', course: '00123', host_university_code: 'NJTECH', recognized_on: '2024-03-15', students: 12, credits: 4 },
      {
        ref: 'X-3',
        course: 'Rich text',
        host_university_code: 'NJTECH',
        recognized_on: '2024-03-15',
        students: 40,
        credits: 2.5,
      },
      { ref: 'X-4', course: '=cmd|x', host_university_code: 'NJTECH', recognized_on: '2024-03-15', students: 40, credits: 0.5 },
    ]);
  });

  it('when one cell is wrong, then the 422 names its sheet, cell, line and column, and nothing is written; a dry run writes nothing either', async () => {
    const book = await creditBook((sheet) => {
      sheet.addRow(creditRow('W-1'));
      sheet.addRow(creditRow('W-2', { students: 2.5 }));
    });
    const before = await records();
    const problem = await problemOf(await post(admin, 'credit', book));
    expect(problem.errors).toEqual([
      expect.objectContaining({ sheet: '学分', cell: 'G4', line: 4, column: 'students', code: 'whole_number' }),
    ]);
    expect(await records()).toBe(before);
    // The rejected file is recorded, as a rejected CSV is.
    const last = await database.db
      .selectFrom('import_batch')
      .select(['status', 'file_name'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.status).toBe('rejected');
    const batches = await snapshot();
    const good = await creditBook((sheet) => sheet.addRow(creditRow('W-3')));
    const dry = await (await post(admin, 'credit', good, '?dryRun=true')).json();
    expect(dry).toMatchObject({ dryRun: true, inserted: 1 });
    expect(await snapshot()).toBe(batches);
    expect(await credits('W-')).toEqual([]);
  });

  it('when cells hold what no column takes, then each is refused by its cell: errors, formulas never computed, dates in text, days that are none, a third decimal, merged cells', async () => {
    const book = await creditBook((sheet) => {
      sheet.addRow(creditRow('E-1', { students: { error: '#N/A' } as ExcelJS.CellValue }));
      sheet.addRow(creditRow('E-2', { students: { formula: 'A1*2' } as ExcelJS.CellValue }));
      sheet.addRow(creditRow('E-3', { course: new Date(Date.UTC(2024, 0, 2)) }));
      sheet.addRow(creditRow('E-4', { recognized_on: 60 }));
      sheet.addRow(creditRow('E-5', { recognized_on: -3 }));
      sheet.addRow(creditRow('E-6', { credits: 2.25 }));
      sheet.addRow(creditRow('E-7', { recognized_on: '1899-12-31' }));
      sheet.addRow(creditRow('E-8'));
      sheet.addRow(creditRow('E-9'));
      sheet.mergeCells('D10:D11');
    });
    const problem = await problemOf(await post(admin, 'credit', book));
    const found = problem.errors!.map((e) => [e.cell, e.code]);
    expect(found).toEqual([
      ['G3', 'xlsx_error_value'],
      ['G4', 'xlsx_formula_without_value'],
      ['D5', 'xlsx_date_not_expected'],
      ['F6', 'xlsx_not_a_day'],
      ['F7', 'xlsx_not_a_day'],
      ['H8', 'max_decimals'],
      ['F9', 'before_first_date'],
      // A merged area keeps its value in its first cell only: the other is empty, and the merge is named.
      ['D11', 'required'],
      ['D10:D11', 'xlsx_merged'],
    ]);
    expect(problem.errors!.every((e) => e.sheet === '学分')).toBe(true);
    expect(await credits('E-')).toEqual([]);
  });

  it('when a workbook counts days from 1904, then its serial numbers and date cells are the same days', async () => {
    const serial1904 = 43_000;
    const expected = new Date(Date.UTC(1904, 0, 1) + serial1904 * 86_400_000).toISOString().slice(0, 10);
    const sheet = (ref: string) =>
      `<sheetData><row r="1">${KIND_COLUMNS.credit.map((c, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${c.name}</t></is></c>`).join('')}</row>` +
      `<row r="2"><c r="A2" t="inlineStr"><is><t>USST</t></is></c><c r="B2" t="inlineStr"><is><t>${ref}</t></is></c><c r="C2" t="inlineStr"><is><t>NJTECH</t></is></c>` +
      `<c r="D2" t="inlineStr"><is><t>Course</t></is></c><c r="E2" t="inlineStr"><is><t>2023-2024-1</t></is></c><c r="F2" s="1"><v>${serial1904}</v></c><c r="G2"><v>3</v></c><c r="H2"><v>1.5</v></c></row></sheetData>`;
    const response = await post(
      admin,
      'credit',
      zipOf(workbookParts([{ name: 'Data', xml: sheet('D1904-1') }], { date1904: true })),
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const viaExceljs = await creditBook((s) => s.addRow(creditRow('D1904-2')), { date1904: true });
    expect((await post(admin, 'credit', viaExceljs)).status).toBe(200);
    const rows = await credits('D1904-');
    expect(rows.map((r) => r.recognized_on)).toEqual([expected, '2024-03-15']);
  });

  it('when a steward sends a workbook with a row of another university, then it is a 403 naming that cell, and nothing is written', async () => {
    const book = await creditBook((sheet) => {
      sheet.addRow(creditRow('S-1'));
      sheet.addRow(creditRow('S-2', { university_code: 'NJTECH', host_university_code: 'USST' }));
    });
    const response = await post(usst, 'credit', book);
    const body = await response.json();
    expect(response.status).toBe(403);
    expect(body.errors).toEqual([expect.objectContaining({ sheet: '学分', cell: 'A4', code: 'steward_foreign_row' })]);
    expect(await credits('S-')).toEqual([]);
  });

  it('when a CSV has a second header row in the other language, then it is passed over and the records start on line 3', async () => {
    const columns = KIND_COLUMNS.credit;
    const file = `${columns.map((c) => c.name).join(',')}\r\n${columns.map((c) => c.zh).join(',')}\r\nUSST,CSV2-1,NJTECH,Course,2023-2024-1,2024-03-15,12,2\r\nUSST,CSV2-2,NJTECH,Course,2023-2024-1,2024-03-15,-1,2\r\n`;
    const problem = await problemOf(await post(admin, 'credit', file, '', 'text/csv'));
    expect(problem.errors).toEqual([expect.objectContaining({ line: 4, column: 'students', code: 'not_negative' })]);
    expect(problem.errors![0]!.sheet).toBeUndefined();
    const good = file.replace(',-1,', ',1,');
    expect(await (await post(admin, 'credit', good, '', 'text/csv')).json()).toMatchObject({
      format: 'csv',
      sheet: null,
      inserted: 2,
    });
    // A row that names the columns anywhere but right under the header is a row, and a wrong one.
    const late = `${columns.map((c) => c.name).join(',')}\r\nUSST,CSV2-3,NJTECH,Course,2023-2024-1,2024-03-15,12,2\r\n${columns.map((c) => c.zh).join(',')}\r\n`;
    expect((await problemOf(await post(admin, 'credit', late, '', 'text/csv'))).errors![0]).toMatchObject({ line: 3 });
  });

  it('when no sheet has a header of the kind, then the problems name the first sheet', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Notes').addRow(['not', 'a', 'header']);
    book.addWorksheet('Other').addRow(KIND_COLUMNS.talent.map((c) => c.name));
    const problem = await problemOf(await post(admin, 'credit', Buffer.from(await book.xlsx.writeBuffer())));
    expect(problem.code).toBe('header_mismatch');
    expect(problem.errors![0]).toMatchObject({ sheet: 'Notes', line: 1 });
  });

  it('when a hidden sheet comes first with a header of the kind, then it is passed over and the visible one is read', async () => {
    const header = `<row r="1">${KIND_COLUMNS.credit.map((c, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${c.name}</t></is></c>`).join('')}</row>`;
    const row = (ref: string, students: string) =>
      `<row r="2"><c r="A2" t="inlineStr"><is><t>USST</t></is></c><c r="B2" t="inlineStr"><is><t>${ref}</t></is></c><c r="C2" t="s"><v>0</v></c><c r="D2" t="inlineStr"><is><t>Course</t></is></c><c r="E2" t="inlineStr"><is><t>2023-2024-1</t></is></c><c r="F2" t="inlineStr"><is><t>2024-03-15</t></is></c><c r="G2"><v>${students}</v></c><c r="H2"><v>1</v></c></row>`;
    const bytes = zipOf(
      workbookParts(
        [
          { name: 'Old', state: 'hidden', xml: `<sheetData>${header}${row('HID-1', '-5')}</sheetData>` },
          { name: 'Now', xml: `<sheetData>${header}${row('HID-2', '7')}</sheetData>` },
        ],
        { sharedStrings: ['NJTECH'] },
      ),
    );
    expect(await (await post(admin, 'credit', bytes)).json()).toMatchObject({ sheet: 'Now', inserted: 1 });
    expect((await credits('HID-')).map((r) => [r.ref, r.host_university_code, r.students])).toEqual([['HID-2', 'NJTECH', 7]]);
  });

  it('when a file is an old .xls, an OpenDocument file, another zip or a workbook cut short, then a 422 says what it is', async () => {
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    // A workbook encrypted with a password is a compound file too, whose directory names the
    // streams EncryptionInfo and EncryptedPackage (128-byte entries on 128-byte boundaries, names in
    // UTF-16LE), here at the end of the reader's first 64 KiB block. The same name inside a cell's
    // text, off such a boundary, is no directory entry: that file is an old .xls.
    const entry = (name: string) => {
      const bytes = Buffer.alloc(128);
      bytes.write(name, 0, 'utf16le');
      bytes.writeUInt16LE((name.length + 1) * 2, 64);
      return bytes;
    };
    const encrypted = Buffer.concat([
      ole2,
      Buffer.alloc(65_536 - 3 * 128 - ole2.length),
      entry('Root Entry'),
      entry('EncryptionInfo'),
      entry('EncryptedPackage'),
      Buffer.alloc(40_000),
    ]);
    const xlsNamingIt = Buffer.concat([
      ole2,
      Buffer.alloc(3),
      Buffer.from('EncryptedPackage is a word here', 'utf16le'),
      Buffer.alloc(600),
    ]);
    const ods = zipOf([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', stored: true },
      { name: 'content.xml', data: '<office:document-content/>' },
    ]);
    const other = zipOf([{ name: 'hello.txt', data: 'hello' }]);
    const whole = await creditBook((sheet) => sheet.addRow(creditRow('T-1')));
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const before = await snapshot();
    for (const [bytes, code] of [
      [ole2, 'xlsx_is_xls'],
      [encrypted, 'xlsx_encrypted'],
      [xlsNamingIt, 'xlsx_is_xls'],
      [ods, 'xlsx_is_ods'],
      [other, 'xlsx_not_workbook'],
      [cut, 'xlsx_truncated'],
    ] as const) {
      // Whatever the body claims to be: the bytes decide.
      for (const type of [XLSX_TYPE, 'text/csv'])
        expect((await problemOf(await post(admin, 'credit', bytes, '', type))).code).toBe(code);
    }
    // The rejected files are recorded, and nothing else is written.
    const after = JSON.parse(await snapshot()) as unknown[];
    expect(JSON.stringify(after.slice(0, KINDS.length))).toBe(
      JSON.stringify((JSON.parse(before) as unknown[]).slice(0, KINDS.length)),
    );
  });

  it('when a workbook comes as a form part named .csv, then it is read as a workbook', async () => {
    const book = await creditBook((sheet) => sheet.addRow(creditRow('F-1')));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(book)], { type: 'text/csv' }), 'records.csv');
    const response = await server.fetch('/api/v1/imports/credit', {
      method: 'POST',
      headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken! },
      body: form,
    });
    expect(await response.json()).toMatchObject({ format: 'xlsx', fileName: 'records.csv', inserted: 1 });
  });

  it('when a file is sent as a workbook (its type or its name) but is not one, then the 422 says so, not what a CSV lacks', async () => {
    const text = csvOf('credit', [
      {
        university_code: 'USST',
        ref: 'NOT-A-BOOK',
        host_university_code: 'NJTECH',
        course: 'Materials',
        term: '2023-2024-2',
        recognized_on: '2024-03-15',
        students: 40,
        credits: 2.5,
      },
    ]);
    const form = (type: string, name: string, content = text) => {
      const body = new FormData();
      body.append('file', new Blob([content], { type }), name);
      return server.fetch('/api/v1/imports/credit', {
        method: 'POST',
        headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken! },
        body,
      });
    };
    const before = await records();
    const refusals = [
      await post(admin, 'credit', 'this is not a zip'),
      await post(admin, 'credit', text),
      await post(admin, 'credit', text, '?fileName=credit.xlsx', 'text/csv'),
      await form(XLSX_TYPE, 'credit.csv'),
      await form('text/csv', 'credit.XLSX'),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(422);
      const problem = await problemOf(response);
      expect(problem.code).toBe('sent_as_xlsx_not_zip');
      expect(problem.detail).toMatch(/sent as an Excel workbook \(\.xlsx\), but it is not one/);
    }
    // An empty file sent as a workbook is said to be empty, as an empty CSV is, and so is an old
    // Office file (.xls) named .xlsx said to be what it is.
    for (const response of [await post(admin, 'credit', Buffer.alloc(0)), await form(XLSX_TYPE, 'credit.xlsx', '')]) {
      expect(response.status).toBe(422);
      const problem = await problemOf(response);
      expect(problem.code).toBe('file_empty');
      expect(problem.errors![0]).toMatchObject({ line: 1 });
    }
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const xls = await problemOf(await post(admin, 'credit', ole2, '?fileName=credit.xlsx'));
    expect(xls.code).toBe('xlsx_is_xls');
    expect(await records()).toBe(before);
    // The same text sent as what it is imports.
    const dryRun = await post(admin, 'credit', text, '?dryRun=true', 'text/csv');
    expect(dryRun.status, await dryRun.clone().text()).toBe(200);
    const sent = await form('text/csv', 'credit.csv');
    expect(sent.status, await sent.clone().text()).toBe(200);
  });

  it('when a sheet holds a header and 1,048,575 empty rows, then it is refused at the empty-row limit naming the sheet', async () => {
    const header = `<row r="1">${KIND_COLUMNS.credit.map((c, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${c.name}</t></is></c>`).join('')}</row>`;
    const rows: string[] = [];
    for (let r = 2; r <= 1_048_576; r++) rows.push(`<row r="${r}"><c r="A${r}" s="1"/></row>`);
    const bytes = zipOf(workbookParts([{ name: 'Big', xml: `<sheetData>${header}${rows.join('')}</sheetData>` }]));
    const problem = await problemOf(await post(admin, 'credit', bytes));
    expect(problem.code).toBe('too_many_empty_rows');
    expect(problem.errors![0]).toMatchObject({ sheet: 'Big', line: 10_002 });
  });

  it('when a workbook passes a bound (shared strings, a row too wide or too long, a part lying about its size), then it is refused naming it', async () => {
    const headerRow = `<row r="1">${KIND_COLUMNS.credit.map((c, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${c.name}</t></is></c>`).join('')}</row>`;
    const sharedStrings = zipOf([
      ...workbookParts([{ name: 'S', xml: `<sheetData>${headerRow}</sheetData>` }]),
      { name: 'xl/sharedStrings.xml', raw: { deflated: deflateRawSync(Buffer.from('<sst/>')), size: 40 * 1024 * 1024 } },
    ]);
    expect((await problemOf(await post(admin, 'credit', sharedStrings))).code).toBe('xlsx_shared_strings');
    const wide = `<row r="2">${Array.from({ length: 101 }, (_, i) => `<c><v>${i}</v></c>`).join('')}</row>`;
    const tooWide = await problemOf(
      await post(admin, 'credit', zipOf(workbookParts([{ name: 'W', xml: `<sheetData>${headerRow}${wide}</sheetData>` }]))),
    );
    expect(tooWide).toMatchObject({
      code: 'row_too_large',
      errors: [{ sheet: 'W', line: 2, code: 'row_too_many_cells', cell: 'CW2' }],
    });
    const long = `<row r="2"><c r="D2" t="inlineStr"><is><t>${'x'.repeat(70_000)}</t></is></c></row>`;
    const tooLong = await problemOf(
      await post(admin, 'credit', zipOf(workbookParts([{ name: 'L', xml: `<sheetData>${headerRow}${long}</sheetData>` }]))),
    );
    expect(tooLong).toMatchObject({
      code: 'row_too_large',
      errors: [{ sheet: 'L', line: 2, code: 'row_too_long', cell: 'D2', column: KIND_COLUMNS.credit[3]!.name }],
    });
    // A cell longer than a row may be, inline or shared, is too large too, not a damaged workbook.
    const huge = 'x'.repeat(300_000);
    const hugeInline = `<row r="2"><c r="D2" t="inlineStr"><is><t>${huge}</t></is></c></row>`;
    const hugeShared = zipOf(
      workbookParts([{ name: 'H', xml: `<sheetData>${headerRow}<row r="2"><c r="D2" t="s"><v>0</v></c></row></sheetData>` }], {
        sharedStrings: [huge],
      }),
    );
    // Inline, its cell is named, though the text is refused before the parser reaches its end tag;
    // a shared string is read before any sheet, and belongs to no one cell.
    expect(
      await problemOf(
        await post(
          admin,
          'credit',
          zipOf(workbookParts([{ name: 'H', xml: `<sheetData>${headerRow}${hugeInline}</sheetData>` }])),
        ),
      ),
    ).toMatchObject({
      code: 'row_too_large',
      errors: [{ sheet: 'H', line: 2, code: 'row_too_long', cell: 'D2', column: KIND_COLUMNS.credit[3]!.name }],
    });
    expect((await problemOf(await post(admin, 'credit', hugeShared))).code).toBe('row_too_large');
    // A sheet that inflates to more than its directory declares is damaged, not read on.
    const xml = `<?xml version="1.0"?><worksheet><sheetData>${headerRow}</sheetData></worksheet>`;
    const lying = zipOf(workbookParts([{ name: 'X', raw: { deflated: deflateRawSync(Buffer.from(xml)), size: 10 } }]));
    expect((await problemOf(await post(admin, 'credit', lying))).code).toBe('xlsx_damaged');
  });

  it('when a small workbook holds millions of empty cells, or names one sheet part twice, then it is refused soon, not read for minutes', async () => {
    // Rows of 100,000 empty cells and no header (each sheet under the 16 MB a part may inflate to
    // whatever its ratio): the reader looks through every sheet for a header.
    const emptyRows = (rows: number) => `<sheetData>${`<row>${'<c/>'.repeat(100_000)}</row>`.repeat(rows)}</sheetData>`;
    const before = await records();
    const started = performance.now();
    // Two sheets of 2.6 million empty cells each: past the budget of 5 million in the second.
    const wide = zipOf(
      workbookParts([
        { name: 'A', xml: emptyRows(26) },
        { name: 'B', xml: emptyRows(26) },
      ]),
    );
    const problem = await problemOf(await post(admin, 'credit', wide));
    expect(problem.code).toBe('xlsx_too_many_cells');
    expect(problem.detail).toMatch(/more than 5,000,000 cells/);
    // One part of 3 million empty cells named by two sheets is read once: a workbook with no header,
    // not one over the budget (read twice, it would be).
    const twice = workbookParts([
      { name: 'A', xml: emptyRows(30) },
      { name: 'B', xml: '<sheetData/>' },
    ]).map((part) =>
      part.name === 'xl/_rels/workbook.xml.rels'
        ? { ...part, data: String(part.data).replace('worksheets/sheet2.xml', 'worksheets/sheet1.xml') }
        : part,
    );
    expect((await problemOf(await post(admin, 'credit', zipOf(twice)))).code).not.toBe('xlsx_too_many_cells');
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(await records()).toBe(before);
  });

  it('when a problem is found as the rows are applied (a ref twice), then it names the sheet and cell too', async () => {
    const book = await creditBook((sheet) => {
      sheet.addRow(creditRow('DUP-1'));
      sheet.addRow(creditRow('DUP-1', { students: 3 }));
    });
    const before = await records();
    const problem = await problemOf(await post(admin, 'credit', book));
    const refLetter = String.fromCharCode(65 + KIND_COLUMNS.credit.findIndex((c) => c.name === 'ref'));
    expect(problem.errors).toEqual([
      expect.objectContaining({ code: 'duplicate_ref', line: 4, column: 'ref', sheet: '学分', cell: `${refLetter}4` }),
    ]);
    expect(await records()).toBe(before);
  });

  it('when a made-up workbook has a long sheet name, odd number forms and row numbers past the sheet, then answers stay small and nothing is read wrong', async () => {
    const headerRow = `<row r="1">${KIND_COLUMNS.credit.map((c, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${c.name}</t></is></c>`).join('')}</row>`;
    const students = KIND_COLUMNS.credit.findIndex((c) => c.name === 'students');
    const letter = String.fromCharCode(65 + students);
    // 1,200 bad rows under a sheet named in 300,000 characters: each problem would repeat the name.
    // (Row 2 holds one cell, the others absent as a workbook leaves empty cells: the check for a
    // second header row reads such a row too.)
    const bad = Array.from({ length: 1200 }, (_, i) => `<row r="${i + 2}"><c r="${letter}${i + 2}"><v>1.5</v></c></row>`).join(
      '',
    );
    const longName = 'N'.repeat(300_000);
    const response = await post(
      admin,
      'credit',
      zipOf(workbookParts([{ name: longName, xml: `<sheetData>${headerRow}${bad}</sheetData>` }])),
    );
    const text = await response.text();
    expect(response.status, text.slice(0, 500)).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(text.length).toBeLessThanOrEqual(256 * 1024);
    const problem = JSON.parse(text) as { errors: Array<{ sheet: string }>; errorCount: number };
    expect(problem.errors[0]!.sheet).toBe('N'.repeat(31));
    expect(problem.errorCount).toBeGreaterThanOrEqual(1200);
    // A number cell is a decimal: `0x10`, `0b11` and `Infinity` are not 16, 3 and a number.
    for (const odd of ['0x10', '0b11', '0o7', 'Infinity', ' ']) {
      const row = `<row r="2"><c r="${letter}2"><v>${odd}</v></c></row>`;
      const refused = await problemOf(
        await post(admin, 'credit', zipOf(workbookParts([{ name: 'O', xml: `<sheetData>${headerRow}${row}</sheetData>` }]))),
      );
      expect(refused.code, odd).toBe('xlsx_damaged');
    }
    // A row numbered past the sheet's last row is the next row, as any row without a number.
    const far = `<row r="1e308"><c r="${letter}2"><v>1.5</v></c></row>`;
    const farProblem = await problemOf(
      await post(admin, 'credit', zipOf(workbookParts([{ name: 'F', xml: `<sheetData>${headerRow}${far}</sheetData>` }]))),
    );
    expect(JSON.stringify(farProblem)).not.toContain('e+308');
    expect(farProblem.errors!.some((e) => e.line === 2)).toBe(true);
  });

  it('when a tiny zip inflates to gigabytes, then it is refused fast, and memory does not grow with it', async () => {
    // One megabyte of XML deflated once, its block repeated: 4 GB of inflated XML in about 4 MB.
    const unit = Buffer.from('<x/>'.repeat(256 * 1024));
    const block = deflateRawSync(unit, { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const start = deflateRawSync(Buffer.from('<?xml version="1.0"?><worksheet><sheetData>'), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
    });
    const blocks = 4000;
    const deflated = Buffer.concat([start, ...Array.from({ length: blocks }, () => block), deflateRawSync(Buffer.alloc(0))]);
    const bytes = zipOf(workbookParts([{ name: 'Bomb', raw: { deflated, size: 0xfffffff0 } }]));
    expect(bytes.length).toBeLessThan(8 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const started = performance.now();
    try {
      const problem = await problemOf(await post(admin, 'credit', bytes));
      expect(problem.code).toBe('xlsx_zip_bomb');
    } finally {
      clearInterval(sampler);
    }
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(peak - rssBefore).toBeLessThan(150 * 1024 * 1024);
  });
});
