import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../server/db/connect.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

// DATABASE_READ_URL: dashboard reads go to the replica; a caller who has just written reads the
// primary. A second database stands in for the replica, holding one record more, so that each
// answer shows where it was read.
describe('reads from a replica (postgres)', () => {
  let primary: TestDatabase;
  let replica: TestDatabase;
  let routed: DatabaseHandle;
  let server: TestServer;
  let admin: Client;
  let leadership: Client;
  const credits = async (client: Client) =>
    (await (await client.get('/aggregate?measures=credits.credits&to=2030-01-01')).json()).rows[0]['credits.credits'] as number;

  beforeAll(async () => {
    primary = await createTestDatabase();
    replica = await createTestDatabase();
    const facts = randomFacts(8, 40);
    await insertFacts(primary.db, facts);
    await insertFacts(replica.db, facts);
    await insertFacts(replica.db, {
      capacity: [],
      tech_transfer: [],
      payment: [],
      incubation: [],
      talent: [],
      credit: [
        {
          university_code: 'USST',
          ref: 'ONLY-ON-THE-REPLICA',
          host_university_code: 'UJS',
          course: 'Heat transfer',
          term: '2024-2025-1',
          recognized_on: '2024-10-08',
          students: 1,
          credits: 1000,
        },
      ],
    });
    await addStandardUsers(primary.db);
    routed = await connectDatabase({ databaseUrl: primary.url, readUrl: replica.url, poolSize: 3 });
    server = await startTestServer(routed);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    leadership = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    await server.close();
    await routed.close();
    await primary.close();
    await replica.close();
  });

  it('when the dashboard reads, then the answer is the replica’s; sessions and records stay on the primary', async () => {
    const direct = await startTestServer(primary);
    const onPrimary = await credits(await Client.signIn(direct, IDENTITIES.admin.email));
    await direct.close();
    expect(await credits(leadership)).toBe(onPrimary + 1000);
    const records = await (await leadership.get('/records/credit?q=ONLY-ON-THE-REPLICA')).json();
    expect(records.total).toBe(0);
    // A HEAD is a read: it does not send the caller's next reads to the primary.
    expect((await leadership.request('HEAD', '/meta')).status).toBe(200);
    expect(await credits(leadership)).toBe(onPrimary + 1000);
  });

  it('when a caller writes, then its own reads go to the primary for a while, and everyone else’s still to the replica', async () => {
    const before = await credits(admin);
    expect(before).toBe(await credits(leadership));
    const created = await admin.post('/records/credit', {
      university_code: 'ZJUT',
      ref: 'WRITTEN-ON-THE-PRIMARY',
      host_university_code: 'AHUT',
      course: 'Control theory',
      term: '2024-2025-1',
      recognized_on: '2024-10-09',
      students: 2,
      credits: 7.5,
    });
    expect(created.status).toBe(201);
    // The writer sees its write at once (the primary: the replica's extra 1000 is not there).
    expect(await credits(admin)).toBe(before - 1000 + 7.5);
    // Others read the replica, which (standing in for one that lags) does not have it.
    expect(await credits(leadership)).toBe(before);
  });
});
