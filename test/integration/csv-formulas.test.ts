import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_KINDS } from '../../server/db/schema.js';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import { REPORT_TABLES } from '../../server/report/report-csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { readWorkbook } from '../helpers/xlsx.js';

/** Text a spreadsheet would run as a formula, one of each kind of first character. */
const HOSTILE = ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx'];
const FORMULA_START = /^[=+\-@\t\r]/;
/** A figure as the exports write one: a negative number is a number, not a formula. */
const NUMBER = /^-?\d[\d,]*(\.\d+)?%?$/;

/** Every cell (header too) of a CSV answer that a spreadsheet would run as a formula. */
function formulaCells(text: string): string[] {
  const rows = parse(text, { bom: true, relax_column_count: true }) as string[][];
  return rows.flat().filter((cell) => FORMULA_START.test(cell) && !NUMBER.test(cell));
}

describe(`every CSV answer defuses formula-like text in every text field (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let submission: number;
  /** Each CSV route's path in the API document, as this test reaches it. */
  const swept = new Set<string>();

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    const { db } = database;
    // Every name that reaches a CSV: universities (the codes stay: they are keys), regions, fields.
    const codes = (await db.selectFrom('university').select('code').orderBy('code').execute()).map((u) => u.code);
    for (const [i, code] of codes.entries()) {
      const name = `${HOSTILE[i % HOSTILE.length]}${i}`;
      await db.updateTable('university').set({ name_en: name, name_zh: name }).where('code', '=', code).execute();
    }
    const regions = (await db.selectFrom('region').select('code').orderBy('code').execute()).map((r) => r.code);
    for (const [i, code] of regions.entries()) {
      const name = `${HOSTILE[(i + 1) % HOSTILE.length]}r${i}`;
      await db.updateTable('region').set({ name_en: name, name_zh: name }).where('code', '=', code).execute();
    }
    const fields = (await db.selectFrom('field').select('code').orderBy('code').execute()).map((f) => f.code);
    for (const [i, code] of fields.entries()) {
      const name = `${HOSTILE[(i + 2) % HOSTILE.length]}f${i}`;
      await db.updateTable('field').set({ name_en: name, name_zh: name }).where('code', '=', code).execute();
    }
    // Every free-text column of every kind of record, each hostile value in turn.
    const facts = randomFacts(14, 24);
    for (const kind of FACT_KINDS) {
      // The refs stay (a payment's contract_ref names its contract's ref).
      const text = KIND_COLUMNS[kind]
        .filter((c) => c.type === 'text' && c.name !== 'ref' && c.name !== 'contract_ref')
        .map((c) => c.name);
      facts[kind] = facts[kind].map((row, i) => ({
        ...row,
        ...Object.fromEntries(text.map((name, j) => [name, `${HOSTILE[(i + j) % HOSTILE.length]} ${i}`])),
      }));
    }
    // Contract refs too, and the payments that name them: a payment's only text is a ref.
    const renamed = new Map(facts.tech_transfer.map((row, i) => [row.ref, `${HOSTILE[i % HOSTILE.length]}${row.ref}`]));
    facts.tech_transfer = facts.tech_transfer.map((row) => ({ ...row, ref: renamed.get(row.ref)! }));
    facts.payment = facts.payment.map((row) => ({ ...row, contract_ref: renamed.get(row.contract_ref)! }));
    // A capacity snapshot's only text is its ref.
    facts.capacity = facts.capacity.map((row, i) => ({ ...row, ref: `${HOSTILE[i % HOSTILE.length]}${row.ref}` }));
    await insertFacts(db, facts);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    const submitted = await admin.post('/report/submissions', { period: '2024', lang: 'en' });
    expect(submitted.status).toBe(201);
    submission = ((await submitted.json()) as { submission: { id: number } }).submission.id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const csv = async (documentPath: string, url: string): Promise<string> => {
    swept.add(documentPath);
    const response = await admin.get(url);
    expect(response.status, url).toBe(200);
    expect(response.headers.get('content-type'), url).toMatch(/^text\/csv/);
    return response.text();
  };
  const OUTPUTS = ['', '&formatted=true', '&lang=zh', '&lang=zh&formatted=true'];

  it('when names and records hold formula-like text, then no cell of /aggregate, /collaboration or /summary starts a formula', async () => {
    const groupings = ['university,partner_university', 'region,field', 'partner_region,mode,value_band'];
    for (const output of OUTPUTS) {
      for (const by of groupings) {
        const measures = by.includes('partner_university') ? 'credits.credits,talent.trainees' : 'tech_transfer.contract_value';
        const text = await csv('/aggregate', `/aggregate?measures=${measures}&by=${by}&format=csv${output}`);
        expect(formulaCells(text), `${by}${output}`).toEqual([]);
      }
      for (const measure of ['credits.credits', 'talent.trainees', 'tech_transfer.contracts']) {
        const text = await csv('/collaboration', `/collaboration?measure=${measure}&format=csv${output}`);
        expect(formulaCells(text), `${measure}${output}`).toEqual([]);
        if (output.includes('formatted')) expect(text).toContain("'=HYPERLINK");
      }
      // Falls far below last year: negative changes, which are numbers and stay as they are.
      const summary = await csv('/summary', `/summary?from=2025-01-01&to=2025-12-31&format=csv${output}`);
      expect(formulaCells(summary), `summary${output}`).toEqual([]);
    }
  });

  it('when records hold formula-like text, then no cell of any records export starts a formula, raw or formatted', async () => {
    for (const kind of FACT_KINDS) {
      for (const output of OUTPUTS) {
        const text = await csv('/records/{kind}', `/records/${kind}?format=csv${output}`);
        expect(formulaCells(text), `${kind}${output}`).toEqual([]);
        expect(text).toMatch(/'[=+\-@]/);
      }
    }
  });

  it('when names hold formula-like text, then no cell of any report table starts a formula, live or submitted', async () => {
    for (const table of REPORT_TABLES) {
      for (const lang of ['en', 'zh']) {
        const live = await csv('/report', `/report?period=2024&format=csv&table=${table}&lang=${lang}`);
        expect(formulaCells(live), `${table} ${lang}`).toEqual([]);
        const frozen = await csv(
          '/report/submissions/{id}',
          `/report/submissions/${submission}?format=csv&table=${table}&lang=${lang}`,
        );
        expect(formulaCells(frozen), `submitted ${table} ${lang}`).toEqual([]);
      }
    }
  });

  it('when names and a return comment hold formula-like text, then no cell of the status board starts a formula', async () => {
    const period = '/cycle/periods/USST/2024-Q2';
    expect((await admin.post(`${period}/submit`, {})).status).toBe(200);
    expect((await admin.post(`${period}/return`, { comment: '=HYPERLINK("http://x","fix")' })).status).toBe(200);
    for (const output of OUTPUTS) {
      const text = await csv('/cycle/board', `/cycle/board?year=2024&format=csv${output}`);
      expect(formulaCells(text), `board${output}`).toEqual([]);
      expect(text).toContain("'=HYPERLINK");
    }
  });

  it('when names hold formula-like text, then no cell of an import template starts a formula, and the names are its text', async () => {
    for (const kind of FACT_KINDS) {
      for (const lang of ['en', 'zh']) {
        const text = await csv('/imports/{kind}/template', `/imports/${kind}/template?format=csv&lang=${lang}`);
        expect(formulaCells(text), `${kind} ${lang}`).toEqual([]);
        const response = await admin.get(`/imports/${kind}/template?lang=${lang}`);
        expect(response.status).toBe(200);
        const book = readWorkbook(new Uint8Array(await response.arrayBuffer()));
        for (const sheet of book.book.SheetNames) {
          expect(book.xml(sheet), `${kind} ${sheet}`).not.toMatch(/<f[ >]/);
          for (const row of book.grid(sheet)) for (const cell of row) expect(cell?.f, `${kind} ${sheet}`).toBeUndefined();
        }
        if (KIND_COLUMNS[kind].some((c) => c.domain === 'university')) {
          const instructions = book
            .grid(book.book.SheetNames[1]!)
            .flat()
            .map((c) => String(c?.v ?? ''));
          expect(
            instructions.some((v) => v.includes('(=HYPERLINK("http://x","y")0)')),
            kind,
          ).toBe(true);
        }
      }
    }
  });

  it('when the API document is read, then every route that can answer CSV was swept', async () => {
    const document = (await (await admin.get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: { enum?: string[] } }> }>>;
    };
    const csvRoutes = Object.entries(document.paths)
      .filter(([, operations]) =>
        Object.values(operations).some((op) => op.parameters?.some((p) => p.in === 'query' && p.name === 'format')),
      )
      .map(([path]) => path.replace(/^\/api\/v1/, ''));
    expect(csvRoutes.length).toBeGreaterThan(0);
    for (const path of csvRoutes) expect(swept, path).toContain(path);
  });
});
