import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { TEMPLATE_SHEETS } from '../../contract/import-template.js';
import { type ColumnSpec, INPUT_COLUMNS, KIND_NAMES } from '../../contract/record-columns.js';
import { FACT_KINDS, type FactKind } from '../../server/db/schema.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { type ReadWorkbook, readWorkbook, XLSX_TYPE } from '../helpers/xlsx.js';

/** One `<dataValidation>` of a sheet's XML, read without exceljs (whose reader expands a range into every cell). */
interface ReadValidation {
  type: string;
  operator: string | undefined;
  allowBlank: boolean;
  sqref: string;
  prompt: string;
  error: string;
  formulae: string[];
}

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decodeXml(match[1]!) : undefined;
};
const decodeXml = (text: string): string =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');

function validationsOf(xml: string): ReadValidation[] {
  return [...xml.matchAll(/<dataValidation\b([^>]*)>([\s\S]*?)<\/dataValidation>/g)].map(([, tag, inner]) => ({
    type: attribute(tag!, 'type') ?? 'any',
    operator: attribute(tag!, 'operator'),
    allowBlank: attribute(tag!, 'allowBlank') === '1',
    sqref: attribute(tag!, 'sqref') ?? '',
    prompt: attribute(tag!, 'prompt') ?? '',
    error: attribute(tag!, 'error') ?? '',
    formulae: [...inner!.matchAll(/<formula\d>([\s\S]*?)<\/formula\d>/g)].map((m) => decodeXml(m[1]!)),
  }));
}

/** The number format of each column of a sheet, from its `<cols>` and the workbook's styles. */
function columnFormats(workbook: ReadWorkbook, sheet: string): Map<number, string> {
  const files = (workbook.book as unknown as { files: Record<string, { content: Uint8Array }> }).files;
  const styles = Buffer.from(files['xl/styles.xml']!.content).toString('utf8');
  const custom = new Map(
    [...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map((m) => [Number(m[1]), decodeXml(m[2]!)]),
  );
  const builtIn: Record<number, string> = { 0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 49: '@' };
  const xfs = [...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g)].map((m) =>
    Number(attribute(m[0], 'numFmtId') ?? 0),
  );
  const formats = new Map<number, string>();
  for (const [tag] of workbook.xml(sheet).matchAll(/<col\b[^>]*>/g)) {
    const min = Number(attribute(tag, 'min'));
    const max = Number(attribute(tag, 'max'));
    const id = xfs[Number(attribute(tag, 'style') ?? 0)] ?? 0;
    for (let c = min; c <= max; c++) formats.set(c, custom.get(id) ?? builtIn[id] ?? `#${id}`);
  }
  return formats;
}

/** The values a list validation names: the cells of its range in the Lists sheet, read by SheetJS. */
function listValues(workbook: ReadWorkbook, formula: string): string[] {
  const match = /^'(.+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(formula);
  expect(match, formula).not.toBeNull();
  const [, sheet, col, from, , to] = match!;
  const ws = workbook.book.Sheets[sheet!.replaceAll("''", "'")]!;
  const values: string[] = [];
  for (let r = Number(from); r <= Number(to); r++) {
    const cell = ws[`${col}${r}`] as XLSX.CellObject | undefined;
    if (cell !== undefined) values.push(String(cell.v));
  }
  return values;
}

const expectedFormat = (column: ColumnSpec): string =>
  column.type === 'date' || column.type === 'optional_date'
    ? 'yyyy-mm-dd'
    : column.type === 'money'
      ? '#,##0.00'
      : column.type === 'count'
        ? '0'
        : column.type === 'credits'
          ? '0.0'
          : '@';

describe(`import templates (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let usst: Client;
  let universities: string[];
  let regions: string[];
  let fields: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    const answer = (await (await admin.get('/universities')).json()) as { universities: { code: string }[] };
    universities = answer.universities.map((u) => u.code);
    regions = (await database.db.selectFrom('region').select('code').execute()).map((r) => r.code);
    fields = (await database.db.selectFrom('field').select('code').execute()).map((r) => r.code);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const template = async (client: Client, kind: FactKind, query = '') => {
    const response = await client.get(`/imports/${kind}/template${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return response;
  };
  const workbookOf = async (client: Client, kind: FactKind, query = '') =>
    readWorkbook(new Uint8Array(await (await template(client, kind, query)).arrayBuffer()));

  it('is given to the roles that import, and to no one else', async () => {
    for (const identity of ['admin', 'stewardUSST', 'stewardNJTECH'] as const) {
      const client = await Client.signIn(server, IDENTITIES[identity].email);
      expect((await client.get('/imports/payment/template')).status, identity).toBe(200);
    }
    for (const identity of ['leadership', 'commission'] as const) {
      const client = await Client.signIn(server, IDENTITIES[identity].email);
      const response = await client.get('/imports/payment/template');
      expect(response.status, identity).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const anonymous = await Client.anonymous(server).get('/imports/payment/template');
    expect(anonymous.status).toBe(401);
  });

  it('is described in the API document, answering a workbook or a CSV', async () => {
    const document = (await (await admin.get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const types = Object.keys(document.paths['/api/v1/imports/{kind}/template']!.get!.responses['200']!.content ?? {});
    expect(types).toEqual(expect.arrayContaining(['text/csv', XLSX_TYPE]));
  });

  it('refuses a query it does not know, naming the parameter', async () => {
    for (const [query, name] of [
      ['?format=pdf', 'format'],
      ['?lang=fr', 'lang'],
      ['?sheet=1', 'sheet'],
      ['?format=xlsx&format=csv', 'format'],
      ['?format=', 'format'],
      ['?lang=ZH', 'lang'],
      ['?format=csv%00', 'format'],
      ['?lang[]=en', 'lang'],
    ] as const) {
      const response = await admin.get(`/imports/tech_transfer/template${query}`);
      expect(response.status, query).toBe(400);
      expect(JSON.stringify(await response.json()), query).toContain(name);
    }
    for (const kind of ['nothing', 'TECH_TRANSFER', '..%2F..%2Fetc', 'tech_transfer%00']) {
      const response = await admin.get(`/imports/${kind}/template`);
      expect(response.status, kind).toBe(400);
      expect(response.headers.get('content-type'), kind).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(await response.json()), kind).toContain('kind');
    }
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`in ${lang}: data sheet, header rows in both languages, typed and validated columns, hidden lists, instructions`, async () => {
      const other = lang === 'en' ? 'zh' : 'en';
      const nameIn = (c: ColumnSpec, l: 'en' | 'zh') => (l === 'zh' ? c.zh : c.name);
      for (const kind of FACT_KINDS) {
        const response = await template(admin, kind, `?lang=${lang}`);
        expect(response.headers.get('content-type')).toBe(XLSX_TYPE);
        expect(response.headers.get('content-disposition')).toContain(`${kind}-`);
        const workbook = readWorkbook(new Uint8Array(await response.arrayBuffer()));
        const columns = INPUT_COLUMNS[kind];
        const dataSheet = KIND_NAMES[kind][lang];
        expect(workbook.book.SheetNames).toEqual([dataSheet, TEMPLATE_SHEETS.instructions[lang], TEMPLATE_SHEETS.lists[lang]]);
        // The lists are hidden; the others shown.
        const states = workbook.book.Workbook?.Sheets?.map((s) => s.Hidden ?? 0);
        expect(states).toEqual([0, 0, 1]);

        // Rows 1 and 2: the input columns (none derived) in the language, then in the other; nothing below.
        const grid = workbook.grid(dataSheet);
        expect(grid.length).toBe(2);
        expect(grid[0]!.map((c) => c?.v)).toEqual(columns.map((c) => nameIn(c, lang)));
        expect(grid[1]!.map((c) => c?.v)).toEqual(columns.map((c) => nameIn(c, other)));
        expect(columns.some((c) => c.derived)).toBe(false);
        const xml = workbook.xml(dataSheet);
        expect(xml).toMatch(/<pane [^>]*ySplit="2"[^>]*state="frozen"/);
        expect(xml).not.toMatch(/<f[ >]/);
        // Both header rows bold: their cells' font, from the styles.
        const files = (workbook.book as unknown as { files: Record<string, { content: Uint8Array }> }).files;
        const styles = Buffer.from(files['xl/styles.xml']!.content).toString('utf8');
        const fonts = [
          ...(/<fonts[^>]*>([\s\S]*?)<\/fonts>/.exec(styles)?.[1] ?? '').matchAll(/<font>([\s\S]*?)<\/font>|<font\/>/g),
        ].map((m) => /<b\/>/.test(m[1] ?? ''));
        const xfFonts = [...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g)].map((m) =>
          Number(attribute(m[0], 'fontId') ?? 0),
        );
        const headerCells = [...xml.matchAll(/<c r="[A-Z]+([12])" s="(\d+)"/g)];
        expect(headerCells.length).toBe(2 * columns.length);
        for (const m of headerCells) expect(fonts[xfFonts[Number(m[2])]!], m[0]).toBe(true);

        // Number formats per column: dates, amounts, counts, text as text.
        const formats = columnFormats(workbook, dataSheet);
        for (const [i, column] of columns.entries())
          expect(formats.get(i + 1), `${kind}.${column.name}`).toBe(expectedFormat(column));

        // One validation per column, over rows 3 to the last.
        const validations = validationsOf(xml);
        expect(validations.length, kind).toBe(columns.length);
        columns.forEach((column, i) => {
          const letter = XLSX.utils.encode_col(i);
          const v = validations.find((x) => x.sqref === `${letter}3:${letter}10002`);
          expect(v, `${kind}.${column.name}`).toBeDefined();
          expect(v!.prompt).toBe(column.hint[lang]);
          expect(v!.error.length).toBeGreaterThan(0);
          const listed =
            column.domain === 'university'
              ? universities
              : column.domain === 'region'
                ? regions
                : column.domain === 'field'
                  ? fields
                  : column.values;
          if (listed) {
            expect(v!.type).toBe('list');
            expect(new Set(listValues(workbook, v!.formulae[0]!))).toEqual(new Set(listed));
            expect(listValues(workbook, v!.formulae[0]!).length).toBe(listed.length);
          } else if (column.type === 'date' || column.type === 'optional_date') {
            expect(v!.type).toBe('date');
            // 1949-10-01 and 2100-12-31 as Excel's day numbers.
            expect(v!.formulae.map(Number)).toEqual([18172, 73415]);
          } else if (column.type === 'money') {
            expect(v!.type).toBe('decimal');
            expect(Number(v!.formulae[0])).toBe(column.positive ? 0.01 : 0);
          } else if (column.type === 'count') {
            expect(v!.type).toBe('whole');
            expect(v!.formulae.map(Number)).toEqual([0, 2_147_483_647]);
          } else if (column.type === 'text') {
            expect(v!.type).toBe('textLength');
            expect(v!.operator).toBe('lessThanOrEqual');
            expect(Number(v!.formulae[0])).toBe(column.maxLength ?? 200);
          }
          expect(v!.allowBlank, column.name).toBe(column.type.startsWith('optional_') || column.default !== undefined);
        });

        // The instructions: a heading row, then one row per column with both names and an example.
        const instructions = workbook.grid(TEMPLATE_SHEETS.instructions[lang]);
        const rows = instructions.slice(1, 1 + columns.length);
        expect(rows.map((r) => r[0]?.v)).toEqual(columns.map((c) => nameIn(c, lang)));
        expect(rows.map((r) => r[1]?.v)).toEqual(columns.map((c) => nameIn(c, other)));
        expect(rows.map((r) => r[6]?.v ?? '')).toEqual(columns.map((c) => c.example));
        expect(instructions[1 + columns.length]?.every((c) => c === undefined) ?? true).toBe(true);
        // The sample row, below its own header, typed as the columns are.
        const sampleHeader = instructions.findIndex((r, i) => i > columns.length && r[0]?.v === nameIn(columns[0]!, lang));
        expect(sampleHeader).toBeGreaterThan(columns.length);
        const sample = instructions[sampleHeader + 1]!;
        columns.forEach((column, i) => {
          const cell = sample[i];
          if (column.example === '') expect(cell?.v ?? '', column.name).toBe('');
          else if (column.type.endsWith('date')) expect(cell?.w, column.name).toBe(column.example);
          else if (['money', 'count', 'credits'].includes(column.type)) expect(cell?.v, column.name).toBe(Number(column.example));
          else expect(cell?.v, column.name).toBe(column.example);
        });
      }
    });
  }

  it('gives a steward its own university only, where the record says whose it is', async () => {
    const workbook = await workbookOf(usst, 'credit');
    const dataSheet = KIND_NAMES.credit.en;
    const validations = validationsOf(workbook.xml(dataSheet));
    const columns = INPUT_COLUMNS.credit;
    const listOf = (name: string) => {
      const i = columns.findIndex((c) => c.name === name);
      const letter = XLSX.utils.encode_col(i);
      return listValues(workbook, validations.find((v) => v.sqref.startsWith(`${letter}3:`))!.formulae[0]!);
    };
    expect(listOf('university_code')).toEqual(['USST']);
    // The host university is another one: every university is listed there.
    expect(new Set(listOf('host_university_code'))).toEqual(new Set(universities));
    expect(universities.length).toBeGreaterThan(1);
    // The instructions say the same.
    const instructions = workbook.grid(TEMPLATE_SHEETS.instructions.en);
    const own = instructions.find((r) => r[0]?.v === 'university_code')!;
    expect(String(own[4]?.v)).toMatch(/^USST \(/);
    expect(String(own[4]?.v)).not.toContain(';');
    // Another steward, its own.
    const njtech = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
    const theirs = await workbookOf(njtech, 'payment', '?lang=zh');
    expect(theirs.grid('代码表').map((row) => row[0]?.v)).toEqual(['本校', 'NJTECH']);
  });

  it('follows the database: a university added is listed at once', async () => {
    const added = await admin.post('/universities', {
      code: 'TPLNEW',
      nameEn: 'Template University',
      nameZh: '模板大学',
      region: 'AH',
      memberSince: '2020-01-01',
    });
    expect(added.status, await added.clone().text()).toBe(201);
    const workbook = await workbookOf(admin, 'tech_transfer');
    expect(workbook.grid('Lists').map((row) => row[0]?.v)).toContain('TPLNEW');
    const instructions = workbook
      .grid('Instructions')
      .flat()
      .map((c) => String(c?.v ?? ''));
    expect(instructions.some((v) => v.includes('TPLNEW (Template University)'))).toBe(true);
  });

  it('is opened whole by exceljs too (validations to row 10,002 keep that quick): sheets, header rows and the hidden lists', async () => {
    const bytes = Buffer.from(await (await template(admin, 'tech_transfer', '?lang=zh')).arrayBuffer());
    // The whole-workbook reader, as office scripts use it: it expands each validated range into its cells.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheets = book.worksheets.map((ws) => {
      const rows: unknown[][] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return { name: ws.name, rows, state: ws.state };
    });
    expect(sheets.map((s) => s.state)).toEqual(['visible', 'visible', 'hidden']);
    const columns = INPUT_COLUMNS.tech_transfer;
    expect(sheets.map((s) => s.name)).toEqual([KIND_NAMES.tech_transfer.zh, '说明', '代码表']);
    expect(sheets[0]!.rows).toEqual([columns.map((c) => c.zh), columns.map((c) => c.name)]);
    expect(sheets[2]!.rows[0]).toEqual(['高校', '转化方式', '地区', '技术领域']);
  });

  it('as CSV: the header row in the language, UTF-8 with a byte-order mark', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const response = await template(usst, 'incubation', `?format=csv&lang=${lang}`);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.slice(3));
      expect(text).toBe(`${INPUT_COLUMNS.incubation.map((c) => (lang === 'zh' ? c.zh : c.name)).join(',')}\r\n`);
    }
  });
});
