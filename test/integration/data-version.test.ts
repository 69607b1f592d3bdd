import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

// What is cached per data version (ETags, the member list, the data's date range) must follow
// writes made outside the application too: a trigger bumps the version on every write statement,
// and announces it (sql/0012); the server hears it milliseconds after the commit.
const HEARD = { interval: 2 };
describe(`caches keyed by the data version (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(3, 30));
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when records are written straight into the database, then the next answers see them: new ETag, date range, figures', async () => {
    const before = await admin.get('/aggregate?measures=credits.credits&to=2026-11-30');
    const etag = before.headers.get('etag')!;
    const total = (await before.json()).rows[0]['credits.credits'];
    const metaBefore = await (await admin.get('/meta')).json();
    // Out of band, as an operator would in psql: a credit recognised on the first day of the data's last month.
    const day = `${metaBefore.dateRange.to.slice(0, 7)}-01`;
    await sql`insert into credit (university_code, ref, host_university_code, course, term, recognized_on, students, credits)
      values ('USST', 'OUT-OF-BAND-1', 'UJS', 'Thermodynamics', '2024-2025-1', ${day}::date, 3, 12.5)`.execute(database.db);
    const revalidate = () => admin.get('/aggregate?measures=credits.credits&to=2026-11-30', { 'if-none-match': etag });
    await expect.poll(async () => (await revalidate()).status, HEARD).toBe(200);
    const after = await revalidate();
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const added = day <= '2026-11-30' ? 12.5 : 0;
    expect((await after.json()).rows[0]['credits.credits']).toBeCloseTo(total + added, 6);
    await sql`update university set name_en = 'Renamed out of band' where code = 'AHUT'`.execute(database.db);
    const renamed = async () =>
      (await (await admin.get('/meta')).json()).universities.find((u: { code: string }) => u.code === 'AHUT').nameEn;
    await expect.poll(renamed, HEARD).toBe('Renamed out of band');
  });

  it('when a record dated after the cached last day is written out of band, then a range ending on that day still counts it exactly', async () => {
    const meta = await (await admin.get('/meta')).json();
    const last: string = meta.dateRange.to;
    const next = new Date(`${last}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() - 40);
    const earlier = next.toISOString().slice(0, 10);
    // A range that ends mid-month before the data's end reads the partial month from the facts.
    const ask = async () =>
      (await (await admin.get(`/aggregate?measures=credits.students&to=${earlier}`)).json()).rows[0]['credits.students'];
    const before = await ask();
    await sql`insert into credit (university_code, ref, host_university_code, course, term, recognized_on, students, credits)
      values ('ZJUT', 'OUT-OF-BAND-2', 'UJS', 'Optics', '2024-2025-1', ${earlier}::date, 7, 2)`.execute(database.db);
    await expect.poll(ask, HEARD).toBe(before + 7);
  });
});
