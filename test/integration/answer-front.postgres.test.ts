import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

// PostgreSQL only: the announcements come over a connection of their own, which can be lost.
describe('answers from memory when the announcing connection is lost (postgres)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let leadership: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(12, 30));
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    leadership = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const credits = async () =>
    (await (await leadership.get('/aggregate?measures=credits.credits&from=2020-01-01&to=2030-12-31')).json()).rows[0][
      'credits.credits'
    ];
  const insertCredit = (ref: string, amount: number) =>
    sql`insert into credit (university_code, ref, host_university_code, course, term, recognized_on, students, credits)
      values ('AHUT', ${ref}, 'UJS', 'Optics', '2024-2025-1', '2024-05-06'::date, 1, ${amount})`.execute(database.db);

  it('when the connection is cut, then every request asks the database until it listens again, and nothing stale is served', async () => {
    const start = await credits();
    await credits();
    // The feed's own connection: the last statement it ran was LISTEN or one of its markers.
    const cut = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and (query ilike 'listen%' or query like 'select pg_notify%')`.execute(
      database.db,
    );
    expect(cut.rows[0]!.n).toBe(1);
    const deadline = Date.now() + 2000;
    while (database.changes.settled && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(database.changes.settled).toBe(false);
    // Unsettled (the first retry waits 250 ms): a write no announcement tells of is seen by the very next request.
    await insertCredit('WHILE-DEAF', 4);
    expect(database.changes.settled).toBe(false);
    expect(await credits()).toBeCloseTo(start + 4, 6);
    // Listening again: the version is read afresh, and memory answers again, with the new figure.
    await database.changes.ready(10_000);
    expect(await credits()).toBeCloseTo(start + 4, 6);
    await insertCredit('AFTER-RETURN', 5);
    const seen = Date.now();
    while (Math.abs((await credits()) - (start + 9)) > 1e-6) {
      if (Date.now() - seen > 1000) throw new Error('a write after the feed returned was not seen within a second');
    }
  });
});
