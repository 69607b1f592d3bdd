import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_COLUMNS, MAX_MONEY_CNY } from '../../contract/record-columns.js';
import type { ReportDocument } from '../../contract/report.js';
import { FACT_KINDS } from '../../server/db/schema.js';
import { REPORT_TABLES, TITLES } from '../../server/report/report-csv.js';
import { parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { expectFrozenWithoutFormulas, expectSameAsCsv, readWorkbook, shown, XLSX_TYPE } from '../helpers/xlsx.js';

/** Text a spreadsheet would run as a formula, one of each kind of first character (as csv-formulas.test.ts). */
const HOSTILE = ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx'];
/** The largest amount a record may hold, less a fen: fifteen significant digits, exact to the fen. */
const LARGEST = (MAX_MONEY_CNY - 0.01).toFixed(2);
const WAN = '0"."0000"万元"';

describe(`XLSX exports, read back by an independent reader (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let usst: Client;
  let submission: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    const { db } = database;
    const codes = (await db.selectFrom('university').select('code').orderBy('code').execute()).map((u) => u.code);
    for (const [i, code] of codes.entries()) {
      const name = `${HOSTILE[i % HOSTILE.length]}${i}`;
      await db
        .updateTable('university')
        .set({ name_en: name, name_zh: `${name}大学` })
        .where('code', '=', code)
        .execute();
    }
    const facts = randomFacts(21, 30);
    for (const kind of FACT_KINDS) {
      const text = KIND_COLUMNS[kind]
        .filter((c) => c.type === 'text' && c.name !== 'ref' && c.name !== 'contract_ref')
        .map((c) => c.name);
      facts[kind] = facts[kind].map((row, i) => ({
        ...row,
        ...Object.fromEntries(text.map((name, j) => [name, `${HOSTILE[(i + j) % HOSTILE.length]} ${i}`])),
      }));
    }
    facts.tech_transfer[0] = { ...facts.tech_transfer[0]!, contract_value_cny: LARGEST };
    await insertFacts(db, facts);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    const submitted = await admin.post('/report/submissions', { period: '2024', lang: 'zh' });
    expect(submitted.status).toBe(201);
    submission = ((await submitted.json()) as { submission: { id: number } }).submission.id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const workbookOf = async (client: Client, url: string) => {
    const response = await client.get(url);
    expect(response.status, url).toBe(200);
    expect(response.headers.get('content-type'), url).toBe(XLSX_TYPE);
    expect(response.headers.get('content-disposition'), url).toMatch(/\.xlsx"; filename\*=UTF-8''.+\.xlsx$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length')), url).toBe(bytes.length);
    return readWorkbook(bytes);
  };
  const csvOf = async (client: Client, url: string) => {
    const response = await client.get(url);
    expect(response.status, url).toBe(200);
    const { header, rows } = parseCsv(await response.text());
    return [header, ...rows];
  };
  const onlySheet = (book: ReturnType<typeof readWorkbook>) => {
    expect(book.book.SheetNames).toHaveLength(1);
    return book.book.SheetNames[0]!;
  };

  it('when records of every kind are exported as XLSX, then each cell is the CSV’s, typed: money exact to the fen, counts numbers, days dates, formula-like text text', async () => {
    for (const kind of FACT_KINDS) {
      const raw = await csvOf(admin, `/records/${kind}?format=csv`);
      for (const output of ['', '&formatted=true', '&lang=zh', '&lang=zh&formatted=true']) {
        const same = output ? await csvOf(admin, `/records/${kind}?format=csv${output}`) : raw;
        const book = await workbookOf(admin, `/records/${kind}?format=xlsx${output}`);
        const sheet = onlySheet(book);
        expectFrozenWithoutFormulas(book, sheet);
        const grid = book.grid(sheet);
        expectSameAsCsv(`${kind}${output}`, grid, same, raw);
        const formatted = output.includes('formatted');
        const zh = output.includes('zh');
        for (const [c, column] of KIND_COLUMNS[kind].entries()) {
          for (const [r, row] of grid.slice(1).entries()) {
            const cell = row[c];
            const where = `${kind}${output} ${column.name} row ${r + 2}`;
            if (raw[r + 1]![c] === '') continue;
            switch (column.type) {
              case 'money': {
                expect(cell?.t, where).toBe('n');
                expect((cell!.v as number).toFixed(2), where).toBe(raw[r + 1]![c]);
                expect(cell!.z, where).toBe(formatted ? (zh ? WAN : '#,##0.00') : '0.00');
                // What the reader shows: yuan with separators, or 万元 to the yuan.
                if (formatted && !zh) expect(shown(cell!.z as string, cell!.v as number), where).toBe(same[r + 1]![c]);
                if (formatted && zh)
                  expect(shown(cell!.z as string, cell!.v as number), where).toBe(
                    `${(Math.round(cell!.v as number) / 10_000).toFixed(4)}万元`,
                  );
                break;
              }
              case 'count':
              case 'credits':
                expect(cell?.t, where).toBe('n');
                break;
              case 'date':
              case 'optional_date':
                expect(cell?.t, where).toBe('n');
                expect(cell!.z, where).toBe('yyyy-mm-dd');
                break;
              default:
                expect(cell?.t, where).toBe('s');
            }
          }
        }
        // Formula-like text is there, as text.
        const texts = grid
          .flat()
          .filter((cell) => cell?.t === 's')
          .map((cell) => String(cell!.v));
        if (kind !== 'payment' && kind !== 'capacity') {
          expect(
            texts.some((t) => t.startsWith('=HYPERLINK')),
            `${kind}${output}`,
          ).toBe(true);
          expect(
            texts.some((t) => t.startsWith('\r')),
            `${kind}${output}: a carriage return kept`,
          ).toBe(true);
        }
        if (kind === 'tech_transfer' && !output) {
          expect(
            grid.slice(1).some((row) => row.some((cell) => cell?.t === 'n' && (cell.v as number).toFixed(2) === LARGEST)),
          ).toBe(true);
        }
      }
    }
  });

  it('when the headers are asked in Chinese, then the header row is the Chinese column names', async () => {
    const book = await workbookOf(admin, '/records/tech_transfer?format=xlsx&lang=zh');
    const header = book.grid(onlySheet(book))[0]!.map((cell) => cell?.v);
    expect(header).toEqual(KIND_COLUMNS.tech_transfer.map((c) => c.zh));
    const english = await workbookOf(admin, '/records/tech_transfer?format=xlsx');
    expect(english.grid(onlySheet(english))[0]!.map((cell) => cell?.v)).toEqual(KIND_COLUMNS.tech_transfer.map((c) => c.name));
  });

  it('when a steward exports records as XLSX, then the workbook holds its own university’s only, and the export is audited', async () => {
    for (const kind of FACT_KINDS) {
      const book = await workbookOf(usst, `/records/${kind}?format=xlsx`);
      const grid = book.grid(onlySheet(book));
      const column = KIND_COLUMNS[kind].findIndex((c) => c.name === 'university_code');
      const own = await database.db
        .selectFrom(kind)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('university_code', '=', 'USST')
        .executeTakeFirstOrThrow();
      expect(grid.length - 1, kind).toBe(Number(own.n));
      for (const row of grid.slice(1)) expect(row[column]?.v, kind).toBe('USST');
      const entry = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'export')
        .where('subject', '=', `export:records/${kind}`)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(entry.detail).toMatchObject({ query: `/api/v1/records/${kind}?format=xlsx`, rows: Number(own.n) });
    }
  });

  it('when a role may not read records, then it gets no workbook either', async () => {
    const commission = await Client.signIn(server, IDENTITIES.commission.email);
    for (const client of [commission, Client.anonymous(server)]) {
      const xlsx = await client.get('/records/talent?format=xlsx');
      const csv = await client.get('/records/talent?format=csv');
      expect(xlsx.status).toBe(csv.status);
      expect(xlsx.status).toBeGreaterThanOrEqual(401);
      expect(xlsx.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('when an aggregate, the summary and the collaboration matrix are exported as XLSX, then their cells are the CSVs’, typed and formatted', async () => {
    const urls = [
      '/aggregate?measures=tech_transfer.contract_value,tech_transfer.contracts,tech_transfer.average_value&by=university,mode&withRecords=true',
      '/summary?from=2024-01-01&to=2024-12-31',
      '/collaboration?measure=credits.credits',
      '/collaboration?measure=talent.trainees',
    ];
    for (const url of urls) {
      const raw = await csvOf(admin, `${url}&format=csv`);
      for (const output of ['', '&formatted=true', '&lang=zh', '&lang=zh&formatted=true']) {
        const same = output ? await csvOf(admin, `${url}&format=csv${output}`) : raw;
        const book = await workbookOf(admin, `${url}&format=xlsx${output}`);
        const sheet = onlySheet(book);
        expectFrozenWithoutFormulas(book, sheet);
        const grid = book.grid(sheet);
        const numbers = expectSameAsCsv(`${url}${output}`, grid, same, raw);
        expect(numbers, `${url}${output}`).toBeGreaterThan(0);
        if (url.startsWith('/aggregate')) {
          // The contract value's column: money in yuan, shown as asked.
          const c = raw[0]!.indexOf('tech_transfer.contract_value');
          for (const row of grid.slice(1)) {
            expect(row[c]?.t).toBe('n');
            expect(row[c]?.z).toBe(output.includes('formatted') ? (output.includes('zh') ? WAN : '#,##0.00') : '0.00');
          }
          // The largest contract is there to the fen.
          expect(grid.slice(1).some((row) => (row[c]?.v as number) >= MAX_MONEY_CNY - 0.01)).toBe(true);
        }
        if (url.startsWith('/summary')) {
          // The period's days are dates.
          for (const row of grid.slice(1)) {
            expect(row[2]?.z).toBe('yyyy-mm-dd');
            expect(shown('yyyy-mm-dd', row[2]!.v as number)).toBe('2024-01-01');
            expect(shown('yyyy-mm-dd', row[3]!.v as number)).toBe('2024-12-31');
          }
        }
      }
    }
  });

  it('when the report is exported as XLSX, then one workbook holds the cover, the definitions and every table, named in its language, each sheet the table’s CSV', async () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const [url, base] of [
        [`/report?period=2024&lang=${lang}`, `/report?period=2024&lang=${lang}`],
        [`/report/submissions/${submission}?lang=${lang}`, `/report/submissions/${submission}?lang=${lang}`],
      ] as const) {
        const book = await workbookOf(admin, `${url}&format=xlsx`);
        const live = url.startsWith('/report?');
        if (live) {
          // The plain file name (what most tools save under) is the language's, as the encoded one is.
          const disposition = (await admin.get(`${url}&format=xlsx`)).headers.get('content-disposition') ?? '';
          expect(disposition).toContain(`filename="report-2024-${lang}.xlsx"`);
          expect(disposition).toContain(`filename*=UTF-8''report-2024-${lang}.xlsx`);
        }
        const json = live
          ? ((await (await admin.get(`/report?period=2024&lang=${lang}`)).json()) as { sha256: string; report: ReportDocument })
          : null;
        const document = live
          ? json!.report
          : ((await (await admin.get(`/report/submissions/${submission}/document`)).json()) as ReportDocument);
        const tables = REPORT_TABLES.filter((t) => t !== 'national' || document.national);
        const cover = lang === 'zh' ? '封面' : 'Cover';
        const definitions = lang === 'zh' ? '指标定义' : 'Definitions';
        expect(book.book.SheetNames).toEqual([cover, definitions, ...tables.map((t) => TITLES[t][lang])]);
        for (const sheet of book.book.SheetNames) {
          expect([...sheet].length).toBeLessThanOrEqual(31);
          expectFrozenWithoutFormulas(book, sheet);
        }
        for (const table of tables) {
          const csv = await csvOf(admin, `${base}&format=csv&table=${table}`);
          expectSameAsCsv(`${url} ${table}`, book.grid(TITLES[table][lang]), csv, csv);
        }
        const defs = book.grid(definitions);
        expect(defs.length - 1).toBe(document.measures.length);
        for (const [i, m] of document.measures.entries()) {
          expect(defs[i + 1]![0]?.v).toBe(m.id);
          expect(defs[i + 1]![3]?.v).toBe(m.definition[lang]);
          expect(defs[i + 1]![4]?.v).toBe(m.standard.code);
        }
        const coverCells = book
          .grid(cover)
          .flat()
          .map((cell) => cell?.v);
        // When the data were read, in the alliance's time (UTC+8), as the cover says it.
        const asOf = document.data.asOf;
        if (asOf !== null)
          expect(coverCells).toContain(
            `${new Date(Date.parse(asOf) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`,
          );
        if (json) expect(coverCells).toContain(json.sha256);
        else {
          const stored = await database.db
            .selectFrom('report_submission')
            .select('sha256')
            .where('id', '=', submission)
            .executeTakeFirstOrThrow();
          expect(coverCells).toContain(stored.sha256);
        }
        // The summary's money: numbers in yuan, with separators, exact to the fen.
        const summary = book.grid(TITLES.summary[lang]);
        const moneyColumn = document.summary.measures.findIndex(
          (id) => document.measures.find((m) => m.id === id)?.unit === 'cny',
        );
        const cell = summary[1]![4 + 2 * moneyColumn]!;
        expect(cell.t).toBe('n');
        expect(cell.z).toBe('#,##0.00');
      }
    }
    const entry = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject', '=', `export:report/xlsx/${submission}`)
      .executeTakeFirstOrThrow();
    expect(entry.action).toBe('export');
  });

  it('when the API document is read, then every route that answers CSV says it answers a workbook too', async () => {
    const document = (await (await admin.get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    for (const path of [
      '/api/v1/aggregate',
      '/api/v1/summary',
      '/api/v1/collaboration',
      '/api/v1/report',
      '/api/v1/report/submissions/{id}',
    ]) {
      const types = Object.keys(document.paths[path]!.get!.responses['200']!.content ?? {});
      expect(types, path).toEqual(expect.arrayContaining(['application/json', 'text/csv', XLSX_TYPE]));
    }
    expect(Object.keys(document.paths['/api/v1/report']!.get!.responses['200']!.content!)).toContain('application/pdf');
  });

  it('when a report workbook is asked with a table, or a format is unknown, then the answer names the field', async () => {
    const withTable = await admin.get('/report?period=2024&format=xlsx&table=summary');
    expect(withTable.status).toBe(400);
    expect(JSON.stringify(await withTable.json())).toContain('table');
    const unknown = await admin.get('/records/talent?format=xls');
    expect(unknown.status).toBe(400);
    const body = JSON.stringify(await unknown.json());
    expect(body).toContain('format');
    expect(body).toContain('xlsx');
  });
});
