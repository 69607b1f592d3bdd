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
const KINDS = ['tech_transfer', 'incubation', 'talent', 'credit'] as const;

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
        expect(answer).toMatchObject({
          format: 'xlsx',
          encoding: null,
          delimiter: null,
          inserted: 0,
          updated: 0,
          unchanged: 40,
          rows: 40,
        });
        expect(typeof answer.sheet).toBe('string');
        // The import itself is recorded (a batch), but no record moved.
        const after = JSON.parse(await snapshot()) as unknown[];
        expect(JSON.stringify(after.slice(0, 4))).toBe(JSON.stringify((JSON.parse(before) as unknown[]).slice(0, 4)));
      }
    }
  });
});
