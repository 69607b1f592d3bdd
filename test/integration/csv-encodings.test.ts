import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import type { ImportEncoding } from '../../contract/schemas/records.js';
import { isBidiControl, isControl, isInvisible } from '../../contract/text.js';
import { FACT_KINDS, type FactKind } from '../../server/db/schema.js';
import { stringify } from 'csv-stringify/sync';
import { csvOf, parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { encodeText, gb18030RoundTrips, withTabs } from '../helpers/encodings.js';
import { randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/** The formula-like text of csv-formulas.test.ts, and the characters csv.test.ts builds its hostile text of. */
const HOSTILE = ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx'];
const SPECIAL = [',', '"', '\r\n', '\n', '\r', '=', '+', '-', '@', "'", '\t', '上海', '😀', ' ', ';', 'a'];
/** csv.test.ts's random hostile text (a fixed sample), less what a GB18030 file cannot carry (see docs/csv.md). */
const RANDOM = fc.sample(
  fc
    .array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })), {
      minLength: 1,
      maxLength: 8,
    })
    .map((parts) => parts.join(''))
    .filter(
      (s) =>
        s.trim().length > 0 &&
        s.trim().length <= 200 &&
        ![...s].some((c) => isControl(c) || isBidiControl(c) || isInvisible(c)) &&
        gb18030RoundTrips(s) &&
        // No private use character, no ideograph against a Latin letter: what Windows-1252 read as GBK looks like.
        !/[\uE000-\uF8FF\u{F0000}-\u{10FFFF}]|[A-Za-z]\p{Script=Han}|\p{Script=Han}[A-Za-z]/u.test(s),
    ),
  { seed: 99, numRuns: 60 },
);

/** How each file is written: its encoding, its delimiter, and the language of the export's header. */
const WRITINGS: Array<{ encoding: ImportEncoding; tabs: boolean; lang: 'en' | 'zh' }> = [
  { encoding: 'utf-8', tabs: false, lang: 'en' },
  { encoding: 'utf-8-bom', tabs: false, lang: 'zh' },
  // Excel's "CSV" and "Text (Tab delimited)" in a Chinese locale.
  { encoding: 'gb18030', tabs: false, lang: 'zh' },
  { encoding: 'gb18030', tabs: true, lang: 'en' },
  // Excel's "Unicode text".
  { encoding: 'utf-16le', tabs: true, lang: 'zh' },
  { encoding: 'utf-16be', tabs: false, lang: 'en' },
];

describe(`CSV in the encodings Excel writes (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let usst: Client;

  const snapshot = async () =>
    JSON.stringify(await Promise.all(FACT_KINDS.map((kind) => database.db.selectFrom(kind).selectAll().orderBy('id').execute())));
  const post = (client: Client, kind: FactKind, body: Buffer, query = '') =>
    server.fetch(`/api/v1/imports/${kind}${query}`, {
      method: 'POST',
      headers: { cookie: client.cookie!, 'x-csrf-token': client.csrfToken!, 'content-type': 'text/csv' },
      body: new Uint8Array(body),
    });
  const figures = async () =>
    (
      await admin.get(
        '/aggregate?measures=tech_transfer.contract_value,tech_transfer.received,incubation.funding,talent.trainees,credits.credits,capacity.staff&by=university',
      )
    ).text();

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    // Every free-text column of every kind holds hostile text; refs too, where one line allows.
    const facts = randomFacts(23, 30);
    let n = 0;
    const hostile = () => {
      n++;
      return n % 3 === 0
        ? RANDOM[n % RANDOM.length]!
        : `${HOSTILE[n % HOSTILE.length]}${SPECIAL[(n * 7) % SPECIAL.length]}朱镕基${SPECIAL[(n * 3) % SPECIAL.length]} ${n}`;
    };
    for (const kind of FACT_KINDS) {
      const text = KIND_COLUMNS[kind].filter((c) => c.type === 'text' && c.name !== 'ref' && c.name !== 'contract_ref');
      facts[kind] = facts[kind].map((row) => ({ ...row, ...Object.fromEntries(text.map((c) => [c.name, hostile()])) }));
    }
    const oneLine = ['=1+2', '+1', '-1', '@SUM(A1)', '"q",', '上海😀;'];
    const renamed = new Map(facts.tech_transfer.map((row, i) => [row.ref, `${oneLine[i % oneLine.length]}${row.ref}`]));
    facts.tech_transfer = facts.tech_transfer.map((row) => ({ ...row, ref: renamed.get(row.ref)! }));
    facts.payment = facts.payment.map((row) => ({ ...row, contract_ref: renamed.get(row.contract_ref)! }));
    facts.capacity = facts.capacity.map((row, i) => ({ ...row, ref: `${oneLine[i % oneLine.length]}${row.ref}` }));
    // In through the import (UTF-8), so that what is stored is what an import stores.
    for (const kind of FACT_KINDS) {
      const response = await post(admin, kind, Buffer.from(csvOf(kind, facts[kind])));
      expect(response.status, `${kind}: ${await response.clone().text()}`).toBe(200);
    }
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('when each kind is exported and imported back in each encoding Excel writes, then the dry run names it and the import changes nothing', async () => {
    const before = await snapshot();
    const figuresBefore = await figures();
    /** Each kind's first text beyond ASCII, as the first (UTF-8) file read it: every other reading must read the same. */
    const samples = new Map<FactKind, unknown>();
    for (const { encoding, tabs, lang } of WRITINGS) {
      for (const kind of FACT_KINDS) {
        const stored = Number(
          (
            await database.db
              .selectFrom(kind)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
        const exported = await (await admin.get(`/records/${kind}?format=csv&lang=${lang}`)).text();
        const file = encodeText(tabs ? withTabs(exported) : exported, encoding);
        const what = `${kind} in ${encoding}${tabs ? ' with tabs' : ''}, ${lang} header`;
        const expected = {
          encoding,
          delimiter: tabs ? 'tab' : 'comma',
          rows: stored,
          inserted: 0,
          updated: 0,
          unchanged: stored,
        };
        const dry = await post(admin, kind, file, '?dryRun=true');
        expect(dry.status, `${what}: ${await dry.clone().text()}`).toBe(200);
        const answer = await dry.json();
        expect(answer, what).toMatchObject({ ...expected, dryRun: true, batchId: null });
        if (!samples.has(kind)) samples.set(kind, answer.sample);
        expect(answer.sample, what).toEqual(samples.get(kind));
        const applied = await post(admin, kind, file);
        expect(applied.status, what).toBe(200);
        expect(await applied.json(), what).toMatchObject({ ...expected, dryRun: false, batchId: expect.any(Number) });
      }
    }
    expect(await snapshot()).toBe(before);
    expect(await figures()).toBe(figuresBefore);
    // Every kind's file has text beyond ASCII (its hostile text, or a Chinese header's row below): the samples compared were some.
    for (const kind of FACT_KINDS)
      expect(samples.get(kind), kind).toMatchObject({ line: expect.any(Number), text: expect.any(String) });
  });

  it('when an export is opened and saved by Excel in a Chinese locale (year-first dates, grouped amounts, GB18030), then importing it changes nothing', async () => {
    const before = await snapshot();
    for (const kind of FACT_KINDS) {
      const exported = parseCsv(await (await admin.get(`/records/${kind}?format=csv&lang=zh`)).text());
      const columns = exported.header.map((name) => KIND_COLUMNS[kind].find((c) => c.zh === name)!);
      let dates = 0;
      let grouped = 0;
      const resaved = exported.rows.map((cells) =>
        cells.map((cell, i) => {
          const type = columns[i]!.type;
          if (cell === '') return cell;
          if (type === 'date' || type === 'optional_date') {
            const [y, m, d] = cell.split('-').map(Number);
            dates++;
            return `${y}/${m}/${d}`;
          }
          if (type === 'money') {
            const shown = Number(cell).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
            if (shown.includes(',')) grouped++;
            return shown;
          }
          return cell;
        }),
      );
      expect(dates, kind).toBeGreaterThan(0);
      if (KIND_COLUMNS[kind].some((c) => c.type === 'money')) expect(grouped, kind).toBeGreaterThan(0);
      const file = encodeText(stringify([exported.header, ...resaved], { record_delimiter: 'windows', quoted: true }), 'gb18030');
      const stored = exported.rows.length;
      const expected = { encoding: 'gb18030', rows: stored, inserted: 0, updated: 0, unchanged: stored };
      const dry = await post(admin, kind, file, '?dryRun=true');
      expect(dry.status, `${kind}: ${await dry.clone().text()}`).toBe(200);
      expect(await dry.json(), kind).toMatchObject({ ...expected, dryRun: true });
      const applied = await post(admin, kind, file);
      expect(applied.status, kind).toBe(200);
      expect(await applied.json(), kind).toMatchObject({ ...expected, dryRun: false });
    }
    expect(await snapshot()).toBe(before);
  });

  it('when a GB18030 file changes a record, then the change is read right and the audit entry names the encoding', async () => {
    const row = await database.db
      .selectFrom('talent')
      .selectAll()
      .where('university_code', '=', 'USST')
      .executeTakeFirstOrThrow();
    const exported = parseCsv(await (await usst.get('/records/talent?format=csv')).text());
    const refAt = exported.header.indexOf('ref');
    const programAt = exported.header.indexOf('program');
    const line = exported.rows.find((cells) => cells[refAt]!.replace(/^'/, '') === row.ref)!;
    const program = '长三角技术经理人联合培训（镕）😀';
    line[programAt] = program;
    const file = encodeText(stringify([exported.header, line], { record_delimiter: 'windows' }), 'gb18030');
    // A steward's own university's file.
    const applied = await post(usst, 'talent', file);
    expect(applied.status, await applied.clone().text()).toBe(200);
    expect(await applied.json()).toMatchObject({
      encoding: 'gb18030',
      delimiter: 'comma',
      updated: 1,
      sample: { line: 2, column: 'program', text: program },
    });
    const after = await database.db.selectFrom('talent').select('program').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.program).toBe(program);
    const audit = await database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'import')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ encoding: 'gb18030', delimiter: 'comma', updated: 1 });
  });

  it('when a GBK file has bytes that are not GBK, then it is a 422 naming the line and column, and nothing is written', async () => {
    const exported = await (await admin.get('/records/incubation?format=csv&lang=zh')).text();
    const stored = Number(
      (
        await database.db
          .selectFrom('incubation')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // A row added under the last: its first byte, 0x81, and the comma after it are no GBK character.
    const good = encodeText(exported, 'gb18030');
    const bytes = Buffer.concat([good, Buffer.from([0x81]), Buffer.from(',x\r\n')]);
    const before = await snapshot();
    for (const query of ['?dryRun=true', '']) {
      const response = await post(admin, 'incubation', bytes, query);
      expect(response.status).toBe(422);
      const problem = await response.json();
      expect(problem.detail).toMatch(/not UTF-8, nor GB18030.*CSV UTF-8/);
      const gbError = problem.errors.find((e: { params: { encoding?: string } }) => e.params.encoding === 'GB18030');
      // The header is line 1, the records follow it, and the new row is the line after them, in its first column.
      expect(gbError).toEqual({
        line: stored + 2,
        column: KIND_COLUMNS.incubation[0]!.zh,
        code: 'bytes_not_encoding',
        params: { bytes: '81 2C', offset: good.length, encoding: 'GB18030' },
        message: `the bytes 81 2C (at byte ${good.length.toLocaleString('en')} of the file) are not GB18030`,
      });
    }
    expect(await snapshot()).toBe(before);
  });

  it('when a file is Windows-1252, or UTF-16 without its mark, then it is a 422 with the hint to save it as CSV UTF-8, and nothing is written', async () => {
    const header = KIND_COLUMNS.credit.map((c) => c.name).join(',');
    const before = await snapshot();
    const latin1 = await post(
      admin,
      'credit',
      Buffer.from(`${header}\r\nUSST,W-1,ZJUT,Cours de café,2024-2025-1,2025-01-20,3,9\r\n`, 'latin1'),
    );
    expect(latin1.status).toBe(422);
    expect(await latin1.json()).toMatchObject({
      detail: expect.stringMatching(/Windows-1252.*CSV UTF-8/),
      errors: [
        { line: 2, column: 'course', params: { encoding: 'UTF-8' } },
        { line: 2, column: 'course', params: { encoding: 'GB18030', bytes: 'E9 2C' } },
      ],
    });
    const inWord = await post(
      admin,
      'credit',
      Buffer.from(`${header}\r\nUSST,W-1,ZJUT,Thermodynamique appliquée,2024-2025-1,2025-01-20,3,9\r\n`, 'latin1'),
    );
    expect(inWord.status).toBe(422);
    expect((await inWord.json()).errors[1]).toMatchObject({
      line: 2,
      column: 'course',
      code: 'gb18030_doubtful',
      params: { text: 'ue appliqu閑' },
    });
    const utf16 = await post(
      admin,
      'credit',
      Buffer.from(`${header}\r\nUSST,W-1,ZJUT,Course,2024-2025-1,2025-01-20,3,9\r\n`, 'utf16le'),
    );
    expect(utf16.status).toBe(422);
    expect((await utf16.json()).detail).toMatch(/UTF-16 without a byte-order mark/);
    // With Chinese text too (bytes that are neither UTF-8 nor GB18030), in either byte order; no NUL ever echoed.
    for (const encoding of ['utf16le', 'utf16be'] as const) {
      const text = `${KIND_COLUMNS.credit.map((c) => c.zh).join(',')}\r\nUSST,W-1,ZJUT,材料科学基础,2024-2025-1,2025-01-20,3,9\r\n`;
      const bytes = Buffer.from(text, 'utf16le');
      if (encoding === 'utf16be') bytes.swap16();
      const chinese = await post(admin, 'credit', bytes);
      expect(chinese.status, encoding).toBe(422);
      const body = await chinese.text();
      expect(JSON.parse(body).detail, encoding).toMatch(/UTF-16 without a byte-order mark/);
      expect(body, encoding).not.toContain('\\u0000');
    }
    expect(await snapshot()).toBe(before);
  });

  it('when the browser uploads a GB18030 file in a form, then it is read as GB18030', async () => {
    const exported = await (await admin.get('/records/credit?format=csv&lang=zh')).text();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(encodeText(exported, 'gb18030'))], { type: 'text/csv' }), '学分互认.csv');
    const response = await server.fetch('/api/v1/imports/credit?dryRun=true', {
      method: 'POST',
      headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken! },
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ encoding: 'gb18030', fileName: '学分互认.csv', inserted: 0, updated: 0 });
  });
});
