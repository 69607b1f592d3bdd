import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { MEASURES } from '../../server/kpi/registry.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, type RawFacts, randomFacts, UNIVERSITIES } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

// Every figure can be traced to its records: the Records view, asked for a measure's records in a
// period (`measure=`), lists exactly the records the aggregate counted for that figure.
describe(`the records behind a figure (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let facts: RawFacts;
  beforeAll(async () => {
    database = await createTestDatabase();
    facts = randomFacts(31, 120);
    await insertFacts(database.db, facts);
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const day = fc
    .integer({ min: Date.UTC(2019, 9, 1), max: Date.UTC(2026, 10, 30) })
    .map((ms) => new Date(ms).toISOString().slice(0, 10));

  it('when any measure is asked for any university and period, then the records listed are as many as the aggregate counted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...MEASURE_IDS),
        fc.constantFrom(...UNIVERSITIES),
        day,
        day,
        async (measure, university, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const kind = MEASURES[measure].kind;
          const aggregate = await (
            await admin.get(
              `/aggregate?measures=${measure}&by=university&university=${university}&from=${from}&to=${to}&withRecords=true`,
            )
          ).json();
          const counted = Number(aggregate.rows[0]?.[`${measure}:records`] ?? 0);
          const listed = await (
            await admin.get(`/records/${kind}?measure=${measure}&university=${university}&from=${from}&to=${to}&pageSize=1000`)
          ).json();
          expect(listed.total).toBe(counted);
          // And the listed records sum to the figure (a count measure: their number).
          const def = MEASURES[measure];
          const figure = Number(aggregate.rows[0]?.[measure] ?? 0);
          if (def.aggregate.fn === 'sum') {
            const column = (def.aggregate as { column: string }).column;
            const sum = listed.rows.reduce((s: number, r: Record<string, number>) => s + Number(r[column]), 0);
            expect(Math.round(sum * 100)).toBe(Math.round(figure * 100));
            // The page's own total (`sum`, over every record, not just this page) is the figure too.
            expect(Math.round(listed.sum * 100)).toBe(Math.round(figure * 100));
          } else if (def.aggregate.fn === 'count') {
            expect(listed.sum).toBe(listed.total);
          } else {
            expect(listed.sum).toBeNull();
          }
        },
      ),
      { numRuns: 60, seed: 17 },
    );
  });

  it('when graduations are asked for, then the period applies to the graduation date, not the entry date', async () => {
    const graduated = facts.incubation.filter(
      (r) => r.graduated_on && r.graduated_on >= '2023-01-01' && r.graduated_on <= '2024-12-31',
    );
    const body = await (
      await admin.get('/records/incubation?measure=incubation.graduated&from=2023-01-01&to=2024-12-31&pageSize=1000')
    ).json();
    expect(body.total).toBe(graduated.length);
    // A count's total is its records; without a measure there is no figure to total: no `sum`.
    expect(body.sum).toBe(graduated.length);
    expect('sum' in (await (await admin.get('/records/incubation?from=2023-01-01&to=2024-12-31&pageSize=1')).json())).toBe(false);
    expect(body.rows.map((r: { ref: string }) => r.ref).sort()).toEqual(graduated.map((r) => r.ref).sort());
  });

  it('when the measure is of another kind or unknown, then it is a 400 that says so', async () => {
    const other = await admin.get('/records/credit?measure=tech_transfer.contracts');
    expect(other.status).toBe(400);
    expect(JSON.stringify(await other.json())).toContain('must be a measure of credit records');
    expect((await admin.get('/records/credit?measure=nope')).status).toBe(400);
  });

  it('when the records behind a figure are downloaded, then the CSV has as many rows as the figure has records', async () => {
    const aggregate = await (await admin.get('/aggregate?measures=incubation.portfolio&to=2024-06-30&withRecords=true')).json();
    const csv = await (await admin.get('/records/incubation?measure=incubation.portfolio&to=2024-06-30&format=csv')).text();
    const lines = csv.split('\r\n').filter((l) => l.length > 0);
    expect(lines.length - 1).toBe(Number(aggregate.rows[0]['incubation.portfolio:records']));
  });
});
