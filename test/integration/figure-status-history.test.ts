import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts, UNIVERSITIES } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Dated, periodOfMonth, readCycle, StatusOracle, type Stock } from '../helpers/status-oracle.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/**
 * The statuses of stocks and of flows counted on another day than their records' own, over years of
 * random records (test/helpers/facts.ts: snapshots replaced by later ones, projects graduated and
 * closed, programmes completed years after they began), with some periods approved, one reopened and
 * changed, and NJTECH on a monthly calendar: every status the API gives is the oracle's, read from the
 * raw rows (test/helpers/status-oracle.ts).
 */

const FIGURES: ReadonlyArray<[measure: string, figure: Stock | Dated]> = [
  ['capacity.staff', 'capacity'],
  ['incubation.portfolio', 'incubation'],
  ['talent.graduates', 'talent.completed_on'],
  ['incubation.graduated', 'incubation.graduated_on'],
  ['incubation.companies', 'incubation.company_registered_on'],
  ['tech_transfer.reward_cash', 'tech_transfer.rewarded_on'],
];

/** As-of days and ranges: quarter ends and days inside quarters, a month, a year, several years. */
const RANGES = [
  { from: '2023-01-01', to: '2023-03-31' },
  { from: '2023-04-01', to: '2023-06-30' },
  { from: '2023-10-01', to: '2023-11-15' },
  { from: '2024-01-01', to: '2024-12-31' },
  { from: '2024-02-01', to: '2024-02-29' },
  { from: '2024-07-01', to: '2024-09-30' },
  { from: '2025-01-01', to: '2025-06-30' },
  { from: '2022-01-01', to: '2025-12-31' },
];

describe(`the status of stocks and of flows counted on another day, over years of records (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let lead: Client;
  let oracle: StatusOracle;

  const json = async (client: Client, path: string) => {
    const response = await client.get(path);
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return response.json();
  };

  async function approve(university: string, period: string, month: string, frequency: 'quarter' | 'month') {
    for (const [client, step] of [
      [admin, 'submit'],
      [lead, 'approve'],
    ] as const) {
      const response = await client.post(`/cycle/periods/${university}/${period}/${step}`, {});
      expect(response.status, `${step} ${university} ${period}: ${await response.clone().text()}`).toBe(200);
    }
    const span = periodOfMonth(frequency, month);
    await oracle.approved(university, period, span.from, span.to);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(20261207, 60));
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
    oracle = new StatusOracle(database.db);
    expect((await admin.put('/cycle/calendar/NJTECH', { frequency: 'month', dueDays: 20 })).status).toBe(200);
    // Every university but NJTECH: the quarters of 2023 and 2024 but 2023-Q3; NJTECH: every month
    // of 2024 but May.
    for (const university of UNIVERSITIES.filter((u) => u !== 'NJTECH'))
      for (const year of [2023, 2024])
        for (const q of [1, 2, 3, 4])
          if (!(year === 2023 && q === 3))
            await approve(university, `${year}-Q${q}`, `${year}-${String(q * 3).padStart(2, '0')}`, 'quarter');
    for (let m = 1; m <= 12; m++)
      if (m !== 5) await approve('NJTECH', `2024-${String(m).padStart(2, '0')}`, `2024-${String(m).padStart(2, '0')}`, 'month');
    // USST's 2024-Q1 reopened and one of its records changed: revised.
    expect((await admin.post('/cycle/periods/USST/2024-Q1/reopen', { reason: 'A record was corrected.' })).status).toBe(200);
    const { rows } = (await json(admin, '/records/tech_transfer?university=USST&from=2024-01-01&to=2024-03-31&pageSize=1')) as {
      rows: Array<{ id: number; patents: number }>;
    };
    expect(rows.length).toBe(1);
    expect((await admin.patch(`/records/tech_transfer/${rows[0]!.id}`, { patents: rows[0]!.patents + 1 })).status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when stocks and dated flows are asked by university and by quarter over many ranges, then each status is the oracle’s', async () => {
    const cycle = await readCycle(database.db);
    const seen = new Set<string>();
    for (const [measure, figure] of FIGURES)
      for (const range of RANGES) {
        const params = (by: string) => new URLSearchParams({ measures: measure, by, ...range, fill: 'true' });
        for (const row of (await json(admin, `/aggregate?${params('university')}`)).rows) {
          const expected = oracle.status(cycle, [row.university], range.from, range.to, figure);
          expect(row.status, `${measure} ${row.university} ${range.from}..${range.to}`).toBe(expected);
          seen.add(expected);
        }
        for (const row of (await json(admin, `/aggregate?${params('quarter')}`)).rows) {
          const [year, q] = String(row.quarter).split('-Q').map(Number) as [number, number];
          const quarter = periodOfMonth('quarter', `${year}-${String(q * 3).padStart(2, '0')}`);
          const from = quarter.from > range.from ? quarter.from : range.from;
          const to = quarter.to < range.to ? quarter.to : range.to;
          expect(row.status, `${measure} ${row.quarter} ${range.from}..${range.to}`).toBe(
            oracle.status(cycle, [...UNIVERSITIES], from, to, figure),
          );
        }
      }
    // The ranges reach every status: not a comparison of provisional with provisional only.
    expect([...seen].sort()).toEqual(['F', 'P', 'R']);
  });
});
