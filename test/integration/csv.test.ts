import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactKind } from '../../server/db/schema.js';
import { INPUT_COLUMNS, KIND_COLUMNS } from '../../contract/record-columns.js';
import { isBidiControl, isControl, isInvisible } from '../../contract/text.js';
import { csvOf, headerThrough, parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { type RawRow, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

const TRIGGER = /^[=+\-@\t\r\0]/;

describe(`CSV in and out (${TEST_DB})`, () => {
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
    await server.close();
    await database.close();
  });

  const snapshot = async () => {
    const tables = await Promise.all(
      (['tech_transfer', 'incubation', 'talent', 'credit'] as const).map((k) =>
        database.db.selectFrom(k).selectAll().orderBy('id').execute(),
      ),
    );
    return JSON.stringify(tables);
  };
  const importCsv = (client: Client, kind: FactKind, body: string | Buffer, query = '') =>
    client.request('POST', `/imports/${kind}${query}`, body as string, { 'content-type': 'text/csv' });

  it('when a file is imported twice, then the first time inserts every row and the second changes nothing', async () => {
    const facts = randomFacts(5, 25);
    for (const kind of ['tech_transfer', 'incubation', 'talent', 'credit'] as const) {
      const file = csvOf(kind, facts[kind]);
      const first = await (await importCsv(admin, kind, file)).json();
      expect(first).toMatchObject({ inserted: 25, updated: 0, unchanged: 0, rows: 25, dryRun: false });
      const again = await (await importCsv(admin, kind, file)).json();
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 25 });
    }
    const batches = await database.db.selectFrom('import_batch').selectAll().where('status', '=', 'applied').execute();
    expect(batches).toHaveLength(8);
    expect(batches[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'import').execute();
    expect(audit).toHaveLength(8);
  });

  it('when a row changes, then an import updates it and the audit keeps it before and after; a dry run reports it and writes nothing', async () => {
    const facts = randomFacts(5, 25);
    const changed = facts.credit.map((row, i) =>
      i === 3 ? { ...row, students: Number(row.students) + 1, credits: Number(row.credits) + 2 } : row,
    );
    const before = await snapshot();
    const dry = await (await importCsv(admin, 'credit', csvOf('credit', changed), '?dryRun=true')).json();
    expect(dry).toMatchObject({ dryRun: true, inserted: 0, updated: 1, unchanged: 24, batchId: null });
    expect(await snapshot()).toBe(before);
    const applied = await (await importCsv(admin, 'credit', csvOf('credit', changed))).json();
    expect(applied).toMatchObject({ inserted: 0, updated: 1, unchanged: 24 });
    const entry = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.subject).toBe(`credit:${facts.credit[3]!.university_code}/${facts.credit[3]!.ref}`);
    expect((entry.before as RawRow).students).toBe(facts.credit[3]!.students);
    expect((entry.after as RawRow).students).toBe(Number(facts.credit[3]!.students) + 1);
  });

  it('when records are exported, then the file opens right in Excel: BOM, CRLF, no sep= line, English headers, money with two decimals', async () => {
    const response = await admin.get('/records/tech_transfer?format=csv&university=USST');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="records-tech_transfer_USST_all-dates\.csv"; filename\*=UTF-8''/,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).not.toMatch(/^sep=/i);
    expect(text.split('\r\n')[0]).toBe(KIND_COLUMNS.tech_transfer.map((c) => c.name).join(','));
    expect(text.replace(/"[^"]*"/g, '')).not.toMatch(/[^\r]\n/);
    const { rows } = parseCsv(text);
    const expected = await database.db
      .selectFrom('tech_transfer')
      .select(['contract_value_cny'])
      .where('university_code', '=', 'USST')
      .execute();
    expect(rows).toHaveLength(expected.length);
    for (const row of rows) expect(row[8]).toMatch(/^\d+\.\d{2}$/);
    const noBom = Buffer.from(await (await admin.get('/records/tech_transfer?format=csv&bom=false')).arrayBuffer());
    expect(noBom[0]).toBe('u'.charCodeAt(0));
    const exports = await database.db
      .selectFrom('audit_log')
      .select(['subject', 'detail'])
      .where('action', '=', 'export')
      .execute();
    expect(exports[0]).toMatchObject({ subject: 'export:records/tech_transfer', detail: { rows: expected.length } });
  });

  it('when exported in Chinese, then the headers and the file name are Chinese, and the file imports back unchanged', async () => {
    const response = await admin.get('/records/talent?format=csv&lang=zh');
    expect(response.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''%E8%81%94%E5%90%88%E5%9F%B9%E5%85%BB/);
    const text = await response.text();
    expect(parseCsv(text).header).toEqual(KIND_COLUMNS.talent.map((c) => c.zh));
    const back = await (await importCsv(admin, 'talent', text)).json();
    expect(back).toMatchObject({ inserted: 0, updated: 0, unchanged: 25 });
  });

  it('when an aggregate is exported, then its rows equal the JSON answer, and formatted Chinese shows 万元 and names', async () => {
    const query = 'measures=tech_transfer.contracts,tech_transfer.contract_value&by=university,year';
    const json = await (await admin.get(`/aggregate?${query}`)).json();
    const csv = parseCsv(await (await admin.get(`/aggregate?${query}&format=csv`)).text());
    expect(csv.header).toEqual(['university', 'year', 'tech_transfer.contracts', 'tech_transfer.contract_value', 'status']);
    expect(csv.rows).toEqual(
      json.rows.map((r: Record<string, number | string>) => [
        r.university,
        String(r.year),
        String(r['tech_transfer.contracts']),
        Number(r['tech_transfer.contract_value']).toFixed(2),
        r.status,
      ]),
    );
    const zh = parseCsv(await (await admin.get(`/aggregate?${query}&format=csv&lang=zh&formatted=true`)).text());
    expect(zh.header).toEqual(['高校', '年份', '技术合同签订数（项）', '合同金额（万元）', '数据状态']);
    // The status by its Chinese name.
    expect(zh.rows.map((r) => r[4])).toEqual(
      json.rows.map((r: { status: 'F' | 'P' | 'R' }) => ({ F: '最终', P: '初步', R: '已修订' })[r.status]),
    );
    expect(zh.rows[0]![0]).toMatch(/大学/);
    expect(zh.rows[0]![3]).toBe((Number(json.rows[0]['tech_transfer.contract_value']) / 10_000).toFixed(2));
  });

  it('when random records with hostile text go out and back in, then every row is unchanged and every formula cell is defused', async () => {
    const special = fc.constantFrom(',', '"', '\r\n', '\n', '\r', '=', '+', '-', '@', "'", '\t', '上海', '😀', ' ', ';', 'a');
    const text = fc
      .array(fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 8 })
      .map((parts) => parts.join(''))
      .filter(
        (s) =>
          // Hostile but storable: the characters every text field refuses are tested where they are refused.
          s.trim().length > 0 &&
          s.trim().length <= 200 &&
          ![...s].some((c) => isControl(c) || isBidiControl(c) || isInvisible(c)),
      );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 12 }), async (names) => {
        round++;
        const rows = names.map(([partner, ref], i) => ({
          ...randomFacts(round, 1).tech_transfer[0]!,
          // A ref is one line: its breaks and tabs are the name's test, not the ref's.
          ref: `P${round}-${i}-${ref
            .trim()
            .replaceAll(/[\t\r\n]/g, '_')
            .slice(0, 40)}`,
          partner_name: partner,
        }));
        const imported = await (await importCsv(admin, 'tech_transfer', csvOf('tech_transfer', rows))).json();
        expect(imported.inserted + imported.updated + imported.unchanged).toBe(rows.length);
        const exported = await (await admin.get(`/records/tech_transfer?format=csv&q=P${round}-`)).text();
        const parsed = parseCsv(exported);
        const stored = await database.db
          .selectFrom('tech_transfer')
          .select(['ref', 'partner_name'])
          .where('ref', 'like', `P${round}-%`)
          .execute();
        expect(parsed.rows.length).toBe(stored.length);
        for (const row of parsed.rows) {
          const original = stored.find((s) => s.ref === row[1]!.replace(/^'/, ''))!;
          for (const [cell, value] of [
            [row[1]!, original.ref],
            [row[3]!, original.partner_name],
          ] as const) {
            if (/^'*[=+\-@\t\r\0]/.test(value)) expect(cell).toBe(`'${value}`);
            else expect(cell).toBe(value);
            if (TRIGGER.test(cell)) throw new Error(`a formula cell went out: ${JSON.stringify(cell)}`);
          }
        }
        const back = await (await importCsv(admin, 'tech_transfer', exported)).json();
        expect(back).toMatchObject({ inserted: 0, updated: 0, unchanged: stored.length });
      }),
      { numRuns: 30, seed: 99 },
    );
  });

  it('when random bad rows are mixed into a good file, then exactly those lines are reported and nothing is written', async () => {
    const base = randomFacts(77, 30).incubation.map((row) => ({ ...row, ref: `BAD-TEST-${row.ref}` }));
    const breakers: Array<(row: RawRow) => RawRow> = [
      (r) => ({ ...r, funding_cny: '-5' }),
      (r) => ({ ...r, stage: 'hatched' }),
      (r) => ({ ...r, entered_on: '2024-02-30' }),
      (r) => ({ ...r, university_code: 'NOPE' }),
      (r) => ({ ...r, stage: 'graduated', entered_on: '2024-05-01', graduated_on: '2024-04-30' }),
      (r) => ({ ...r, jobs: 'many' }),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 29 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(breakers.length - 1), { minLength: 6, maxLength: 6 }),
        async (positions, kinds) => {
          const rows = base.map((row, i) => (positions.includes(i) ? breakers[kinds[positions.indexOf(i)]!]!(row) : row));
          const before = await snapshot();
          const response = await importCsv(admin, 'incubation', csvOf('incubation', rows));
          expect(response.status).toBe(422);
          const problem = await response.json();
          const lines = [...new Set(problem.errors.map((e: { line: number }) => e.line))].sort((a, b) => Number(a) - Number(b));
          expect(lines).toEqual([...positions].sort((a, b) => a - b).map((i) => i + 2));
          expect(await snapshot()).toBe(before);
        },
      ),
      { numRuns: 20, seed: 3 },
    );
  });

  // The columns up to patents: the rewards after them may be left out, as files written before them do.
  const header = headerThrough('tech_transfer', 'patents');
  const good = 'USST,X-1,license,Acme,SH,,OPTO,2024-05-01,1000.00,0.00,0';

  it('when the header is wrong for one reason, then that reason is the one problem listed, not its consequences', async () => {
    const semicolons = await importCsv(
      admin,
      'tech_transfer',
      `${header.replaceAll(',', ';')}\r\n${good.replaceAll(',', ';')}\r\n`,
    );
    expect(semicolons.status).toBe(422);
    expect((await semicolons.json()).errors).toMatchObject([
      { line: 1, message: 'the header is separated by semicolons, not commas: save the file as CSV (comma delimited)' },
    ]);
    // Unknown columns are named one by one; the expected columns are listed once.
    const unknown = await importCsv(admin, 'tech_transfer', `${header},colour,size\r\n${good},red,L\r\n`);
    const errors = (await unknown.json()).errors as Array<{ message: string }>;
    expect(errors.map((e) => e.message)).toEqual([
      'unknown column "colour"',
      'unknown column "size"',
      `the columns of tech_transfer are ${INPUT_COLUMNS.tech_transfer.map((c) => c.name).join(', ')}`,
    ]);
  });
  it.each([
    ['a semicolon delimiter', header.replaceAll(',', ';') + '\r\n' + good.replaceAll(',', ';'), 422, /separated by semicolons/],
    [
      'an unterminated quote',
      `${header}\r\n${good}\r\nUSST,X-2,license,"Acme,SH,,OPTO,2024-05-01,1000.00,0.00,0\r\n`,
      422,
      /never closed/,
    ],
    ['a ragged row', `${header}\r\n${good}\r\nUSST,X-3,license\r\n`, 422, /the row has 3 cells, the header 11/],
    ['an empty file', '', 422, /empty/],
    ['a header and no rows', `${header}\r\n`, 422, /no rows/],
    ['an unknown column', `${header},colour\r\n${good},red\r\n`, 422, /unknown column \\"colour\\"/],
    [
      'a stray quote',
      `${header}\r\nUSST,X-4,license,Acme "Big" Ltd,SH,,OPTO,2024-05-01,1000.00,0.00,0\r\n`,
      422,
      /does not start with one/,
    ],
    [
      'a missing column',
      `${header.replace(',patents', '')}\r\n${good.replace(/,0$/, '')}\r\n`,
      422,
      /the column patents .* is missing/,
    ],
    ['a duplicate ref', `${header}\r\n${good}\r\n${good}\r\n`, 422, /ref X-1 of USST is also on line 2/],
    ['an unknown university', `${header}\r\n${good.replace('USST', 'HARVARD')}\r\n`, 422, /unknown university HARVARD/],
    ['a negative amount', `${header}\r\n${good.replace('1000.00', '-1000.00')}\r\n`, 422, /must not be negative/],
    [
      'a date a spreadsheet reformatted day or month first',
      `${header}\r\n${good.replace('2024-05-01', '5/1/2024')}\r\n`,
      422,
      /must be a date written YYYY-MM-DD, not 5\/1\/2024 \(a spreadsheet may have reformatted it/,
    ],
    [
      'an amount grouped as in another locale',
      `${header}\r\n${good.replace('1000.00', '"1.000,00"')}\r\n`,
      422,
      /must be an amount in yuan such as 1200000.50/,
    ],
    [
      'an amount grouped other than by thousands',
      `${header}\r\n${good.replace('1000.00', '"1,2,3"')}\r\n`,
      422,
      /must be an amount in yuan such as 1200000.50/,
    ],
    ['a date that does not exist', `${header}\r\n${good.replace('2024-05-01', '2024-02-30')}\r\n`, 422, /there is no 2024-02-30/],
    [
      "another kind's header",
      `${KIND_COLUMNS.credit.map((c) => c.zh).join(',')}\r\nUSST,CR-1,ZJUT,Course,2024-2025-1,2025-01-20,3,9\r\n`,
      422,
      /the header is that of Credit recognition \(credit\), not of Technology transfers \(tech_transfer\): import the file as credit/,
    ],
  ])(
    'when the file has %s, then it is rejected with a clear error and the database is as it was',
    async (_what, body, status, message) => {
      const before = await snapshot();
      const response = await importCsv(admin, 'tech_transfer', body);
      expect(response.status).toBe(status);
      const problem = await response.json();
      expect(JSON.stringify(problem)).toMatch(message);
      expect(problem.errors.every((e: { line?: number }) => typeof e.line === 'number')).toBe(true);
      expect(await snapshot()).toBe(before);
    },
  );

  it('when a row is too wide or too long to be a record, then the refusal names its line and its column, and nothing is written', async () => {
    const before = await snapshot();
    const refusal = async (body: string) => {
      const response = await importCsv(admin, 'tech_transfer', body);
      expect(response.status).toBe(422);
      return (await response.json()) as { code: string; errors: Array<Record<string, unknown>> };
    };
    // A 101st cell has no header: it is named by the letters a spreadsheet shows it under.
    expect(await refusal(`${header}\r\n${good}\r\n${good}${',x'.repeat(90)}\r\n`)).toMatchObject({
      code: 'row_too_large',
      errors: [{ line: 3, column: 'CW', code: 'row_too_many_cells' }],
    });
    // A cell that runs past 64 KB: by its header's name.
    expect(await refusal(`${header}\r\n${good.replace('Acme', 'A'.repeat(70_000))}\r\n`)).toMatchObject({
      code: 'row_too_large',
      errors: [{ line: 2, column: 'partner_name', code: 'row_too_long' }],
    });
    // After blank lines above the header too, by the header's name.
    expect(await refusal(`\r\n${header}\r\n${good.replace('Acme', 'A'.repeat(70_000))}\r\n`)).toMatchObject({
      errors: [{ line: 3, column: 'partner_name', code: 'row_too_long' }],
    });
    expect(await snapshot()).toBe(before);
  });

  it('when the file is GBK, then it is read as such; when it is Windows-1252, then it says it is neither UTF-8 nor GBK and how to save it', async () => {
    const post = (body: Buffer, query = '') =>
      server.fetch(`/api/v1/imports/tech_transfer${query}`, {
        method: 'POST',
        headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken!, 'content-type': 'text/csv' },
        body: new Uint8Array(body),
      });
    const before = await snapshot();
    // 上海 in GBK as a partner's name: read as GBK, it is a good row.
    const gbk = Buffer.concat([
      Buffer.from(`${header}\r\nUSST,X-9,license,`),
      Buffer.from([0xc9, 0xcf, 0xba, 0xa3]),
      Buffer.from(',SH,,OPTO,2024-05-01,1,0,0\r\n'),
    ]);
    const read = await post(gbk, '?dryRun=true');
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ encoding: 'gb18030', delimiter: 'comma', inserted: 1 });
    const latin1 = await post(Buffer.from(`${header}\r\nUSST,X-9,license,Caf\xe9,SH,,OPTO,2024-05-01,1,0,0\r\n`, 'latin1'));
    expect(latin1.status).toBe(422);
    const problem = await latin1.json();
    expect(problem.detail).toMatch(/not UTF-8, nor GB18030.*CSV UTF-8/);
    expect(problem.errors[0]).toMatchObject({ line: 2, column: 'partner_name' });
    expect(await snapshot()).toBe(before);
  });

  it('when the body is over 50 MB, then it is a 413 and nothing is read into the database', async () => {
    const before = await snapshot();
    const huge = Buffer.alloc(60 * 1024 * 1024, 'a');
    const response = await server.fetch('/api/v1/imports/tech_transfer', {
      method: 'POST',
      headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken!, 'content-type': 'text/csv' },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(await snapshot()).toBe(before);
  });

  it('when a steward imports rows of another university, then it is a 403 naming the lines, and nothing is written', async () => {
    const before = await snapshot();
    const response = await importCsv(
      usst,
      'tech_transfer',
      `${header}\r\n${good.replace('X-1', 'S-1')}\r\n${good.replace('USST', 'ZJUT').replace('X-1', 'S-2')}\r\n`,
    );
    expect(response.status).toBe(403);
    expect((await response.json()).errors).toMatchObject([
      { line: 3, column: 'university_code', message: 'a steward of USST may not import records of ZJUT' },
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('when a steward’s file has rows of another university and other faults, then the 403 lists every fault by line', async () => {
    const before = await snapshot();
    const rows = [
      good.replace('X-1', 'S-3').replace('2024-05-01', '2024-02-30'),
      good.replace('USST', 'ZJUT').replace('X-1', 'S-4'),
      good.replace('X-1', 'S-5').replace('license', 'gift'),
      good.replace('USST', 'AHUT').replace('X-1', 'S-6').replace('1000.00', '-1'),
    ];
    const response = await importCsv(usst, 'tech_transfer', `${header}\r\n${rows.join('\r\n')}\r\n`);
    expect(response.status).toBe(403);
    const problem = await response.json();
    expect(problem.detail).toMatch(/USST/);
    // Line by line; on a line, the row of another university first (the reason the file is refused).
    expect(problem.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [2, 'signed_on'],
      [3, 'university_code'],
      [4, 'mode'],
      [5, 'university_code'],
      [5, 'contract_value_cny'],
    ]);
    expect(problem.errorCount).toBe(5);
    expect(await snapshot()).toBe(before);
  });

  it('when a steward’s file has many rows of others and a few bad rows of its own, then the 403 lists them all and counts everything', async () => {
    const before = await snapshot();
    const others = Array.from({ length: 300 }, (_, i) => good.replace('USST', 'NJTECH').replace('X-1', `O-${i}`));
    const own = [
      good.replace('X-1', 'B-1').replace('license', 'gift'),
      good.replace('X-1', 'B-2').replace('1000.00', 'lots'),
      good.replace('USST', 'ZZZZ').replace('X-1', 'B-3'),
    ];
    const response = await importCsv(usst, 'tech_transfer', `${header}\r\n${[...others, ...own].join('\r\n')}\r\n`);
    expect(response.status).toBe(403);
    const problem = await response.json();
    expect(problem.errorCount).toBe(303);
    const errors = problem.errors as Array<{ line: number; column: string; code: string }>;
    // A hundred of the others' rows are named, then every fault of the steward's own rows, by line.
    expect(errors.filter((e) => e.code === 'steward_foreign_row')).toHaveLength(100);
    expect(errors.slice(100).map((e) => [e.line, e.column, e.code])).toEqual([
      [302, 'mode', 'one_of'],
      [303, 'contract_value_cny', 'money_format'],
      [304, 'university_code', 'unknown_code'],
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('when a formula cell is imported, then the apostrophe our export adds is removed, and a real formula is stored as text', async () => {
    const body = `${header}\r\nUSST,F-1,license,"'=HYPERLINK(""x"")",SH,,OPTO,2024-05-01,1.00,0.00,0\r\nUSST,F-2,license,=1+1,SH,,OPTO,2024-05-01,1.00,0.00,0\r\n`;
    expect((await importCsv(admin, 'tech_transfer', body)).status).toBe(200);
    const rows = await database.db
      .selectFrom('tech_transfer')
      .select(['ref', 'partner_name'])
      .where('ref', 'in', ['F-1', 'F-2'])
      .orderBy('ref')
      .execute();
    expect(rows).toEqual([
      { ref: 'F-1', partner_name: '=HYPERLINK("x")' },
      { ref: 'F-2', partner_name: '=1+1' },
    ]);
    const exported = await (await admin.get('/records/tech_transfer?format=csv&q=F-')).text();
    expect(exported).toContain(`'=HYPERLINK(""x"")`);
    expect(exported).toContain("'=1+1");
  });

  it('when the browser uploads a multipart form, then the file is imported and its name recorded', async () => {
    const form = new FormData();
    form.append('file', new Blob([`${header}\r\n${good.replace('X-1', 'M-1')}\r\n`], { type: 'text/csv' }), '上海理工 合同.csv');
    const response = await server.fetch('/api/v1/imports/tech_transfer', {
      method: 'POST',
      headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken! },
      body: form,
    });
    const result = await response.json();
    expect(response.status, JSON.stringify(result)).toBe(200);
    expect(result).toMatchObject({ inserted: 1, fileName: '上海理工 合同.csv' });
  });
});

describe(`CSV import reports (${TEST_DB})`, () => {
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
    await server.close();
    await database.close();
  });

  const header = KIND_COLUMNS.credit.map((c) => c.name).join(',');
  const row = (over: Partial<Record<string, string>> = {}) => {
    const base: Record<string, string> = {
      university_code: 'USST',
      ref: 'R-1',
      host_university_code: 'ZJUT',
      course: 'Course',
      term: '2024-2025-1',
      recognized_on: '2025-01-20',
      students: '12',
      credits: '36',
    };
    return KIND_COLUMNS.credit.map((c) => ({ ...base, ...over })[c.name] ?? '').join(',');
  };
  const errorsOf = async (client: Client, body: string) => {
    const response = await client.request('POST', '/imports/credit?dryRun=true', body, { 'content-type': 'text/csv' });
    return {
      status: response.status,
      errors: (await response.json()).errors as Array<{ line: number; column?: string; message: string }>,
    };
  };

  it('when a quote is broken on the third line, then the report names line 3', async () => {
    const unclosed = await errorsOf(admin, `${header}\r\n${row()}\r\n${row({ ref: 'R-2', course: '"Course unterminated' })}\r\n`);
    expect(unclosed.errors).toMatchObject([{ line: 3, message: 'a quoted cell is never closed (a " is missing)' }]);
    const stray = await errorsOf(admin, `${header}\r\n${row()}\r\n${row({ ref: 'R-2', course: 'ab"c' })}\r\n`);
    expect(stray.errors[0]!.line).toBe(3);
  });

  it('when a row has a bad value and an unknown code, then both are reported in one pass', async () => {
    const { errors } = await errorsOf(admin, `${header}\r\n${row({ university_code: 'BAR', students: 'abc' })}\r\n`);
    expect(errors).toMatchObject([
      { line: 2, column: 'students', message: 'must be a whole number' },
      { line: 2, column: 'university_code', message: expect.stringMatching(/unknown university BAR/) },
    ]);
  });

  it('when a steward’s file has another university’s row with a bad value, then the other university is reported too', async () => {
    const result = await errorsOf(usst, `${header}\r\n${row({ university_code: 'NJTECH', students: 'abc' })}\r\n`);
    expect(result.status).toBe(403);
    expect(result.errors).toMatchObject([
      { line: 2, column: 'university_code', message: 'a steward of USST may not import records of NJTECH' },
      { line: 2, column: 'students', code: 'whole_number' },
    ]);
  });
});
