import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

describe(`a meeting's worth of load (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(8, 40));
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    client = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when 2,000 requests arrive 50 at a time on /summary and /aggregate, then every one succeeds', async () => {
    const paths = [
      '/summary?measures=tech_transfer.contracts,credits.credits',
      '/aggregate?measures=tech_transfer.contracts,tech_transfer.contract_value&by=university,quarter',
      '/aggregate?measures=credits.credits,talent.trainees&by=region,year',
      '/summary?from=2024-01-01&to=2024-06-30&university=USST',
    ];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < 2000) {
        const path = paths[next++ % paths.length]!;
        const response = await client.get(path);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 200: 2000 });
  }, 180_000);
});
