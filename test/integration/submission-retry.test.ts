import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/** A submission sent again (its first answer lost) is the same submission, never a second. */
describe(`sending a report submission again (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let leadership: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(5, 40));
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    leadership = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const stored = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from report_submission where period = '2024'`.execute(database.db))
      .rows[0]!.n;

  it('when the same document is submitted for the same period again, then it answers 200 with the submission already made, and one is stored', async () => {
    const first = await leadership.post('/report/submissions', { period: '2024', lang: 'en' });
    expect(first.status).toBe(201);
    const made = (await first.json()).submission;
    const [again, inOtherLanguage] = await Promise.all([
      leadership.post('/report/submissions', { period: '2024', lang: 'en' }),
      leadership.post('/report/submissions', { period: '2024', lang: 'zh', note: 'sent twice' }),
    ]);
    expect([again.status, inOtherLanguage.status]).toEqual([200, 200]);
    expect((await again.json()).submission).toEqual(made);
    expect((await inOtherLanguage.json()).submission.id).toBe(made.id);
    expect(await stored()).toBe(1);
  });

  it('when the data has changed, then a submission for the period is a new one', async () => {
    await sql`insert into credit (university_code, ref, host_university_code, course, term, recognized_on, students, credits)
      values ('USST', 'RETRY-NEW', 'ZJUT', 'Optics', '2024-2025-1', '2024-05-06'::date, 1, 2)`.execute(database.db);
    const next = await leadership.post('/report/submissions', { period: '2024', lang: 'en' });
    expect(next.status).toBe(201);
    expect(await stored()).toBe(2);
  });
});
