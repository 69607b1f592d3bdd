import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_KINDS } from '../../server/db/schema.js';
import { csvDocs, sampleCsv } from '../../scripts/csv-docs.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe(`the CSV documentation and samples (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when the column registry changes, then docs/csv.md and the samples are regenerated (npm run docs:csv)', () => {
    expect(read('docs/csv.md')).toBe(csvDocs());
    for (const kind of FACT_KINDS) expect(read(`docs/samples/${kind}.csv`)).toBe(sampleCsv(kind));
  });

  it('when each sample is imported by the USST steward, then it imports cleanly', async () => {
    const steward = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    for (const kind of FACT_KINDS) {
      const response = await steward.request('POST', `/imports/${kind}`, read(`docs/samples/${kind}.csv`), {
        'content-type': 'text/csv',
      });
      const result = await response.json();
      expect(response.status, JSON.stringify(result)).toBe(200);
      expect(result).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    }
  });
});
