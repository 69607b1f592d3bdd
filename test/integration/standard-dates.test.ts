import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRollupsEnabled } from '../../server/kpi/compile.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import type { RawRow } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { figuresOf } from '../helpers/figures.js';

/**
 * The dates the national standard counts on (sql/0015): a project is in incubation from entry
 * until it graduates or closes, and a cohort's graduates count on the day it completed.
 */

const project = (ref: string, over: Partial<RawRow>): RawRow => ({
  university_code: 'UJS',
  ref,
  name: `Project ${ref}`,
  field_code: 'NEW_MAT',
  stage: 'incubating',
  entered_on: '2021-03-01',
  graduated_on: null,
  closed_on: null,
  funding_cny: 0,
  jobs: 0,
  partner_university_code: null,
  ...over,
});

const cohort = (ref: string, over: Partial<RawRow>): RawRow => ({
  university_code: 'UJS',
  ref,
  partner_university_code: 'AHUT',
  level: 'master',
  program: `Cohort ${ref}`,
  started_on: '2022-09-01',
  completed_on: null,
  trainees: 25,
  graduates: 0,
  ...over,
});

describe(`the dates the standard counts on (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let lead: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db
      .insertInto('incubation')
      .values([
        // Entered in 2021, closed in 2023: in the 2021 and 2022 portfolios, not in 2023's.
        project('CLOSED-2023', { stage: 'closed', closed_on: '2023-05-01' }),
        // Closed on a year's last day: not held on that day.
        project('CLOSED-YE', { stage: 'closed', entered_on: '2021-06-01', closed_on: '2022-12-31' }),
        project('GRADUATED-2022', { stage: 'graduated', entered_on: '2021-09-01', graduated_on: '2022-07-15' }),
        project('RUNNING', { entered_on: '2022-02-01' }),
      ] as never)
      .execute();
    await database.db
      .insertInto('talent')
      .values([
        // A three-year cohort: its graduates count when it completes, not when it starts.
        cohort('THREE-YEARS', { completed_on: '2025-06-30', graduates: 20 }),
        cohort('ONE-YEAR', { started_on: '2023-09-01', completed_on: '2024-07-10', graduates: 18 }),
        cohort('RUNNING', { started_on: '2024-09-01' }),
      ] as never)
      .execute();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    setRollupsEnabled(true);
    await server.close();
    await database.close();
  });

  const rows = async (query: string) => {
    const response = await lead.get(`/aggregate?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return figuresOf((await response.json()).rows);
  };

  for (const source of ['rollups', 'facts'] as const) {
    it(`when the portfolio is read by year from the ${source}, then a project closed in 2023 is in 2021's and 2022's`, async () => {
      setRollupsEnabled(source === 'rollups');
      expect(await rows('measures=incubation.portfolio&by=year&from=2021-01-01&to=2024-12-31')).toEqual([
        // 2021: CLOSED-2023, CLOSED-YE, GRADUATED-2022. 2022: CLOSED-2023 and RUNNING (CLOSED-YE closed on the 31st).
        { year: 2021, 'incubation.portfolio': 3 },
        { year: 2022, 'incubation.portfolio': 2 },
        { year: 2023, 'incubation.portfolio': 1 },
        { year: 2024, 'incubation.portfolio': 1 },
      ]);
      // On days inside a month, on either side of a closing date.
      expect(await rows('measures=incubation.portfolio&to=2023-04-30')).toEqual([{ 'incubation.portfolio': 2 }]);
      expect(await rows('measures=incubation.portfolio&to=2023-05-01')).toEqual([{ 'incubation.portfolio': 1 }]);
      expect(await rows('measures=incubation.portfolio&to=2022-12-30')).toEqual([{ 'incubation.portfolio': 3 }]);
    });

    it(`when completions are read by year from the ${source}, then graduates count in the year their cohort completed`, async () => {
      setRollupsEnabled(source === 'rollups');
      expect(await rows('measures=talent.graduates,talent.trainees&by=year&from=2022-01-01&to=2025-12-31')).toEqual([
        { year: 2022, 'talent.graduates': 0, 'talent.trainees': 25 },
        { year: 2023, 'talent.graduates': 0, 'talent.trainees': 25 },
        { year: 2024, 'talent.graduates': 18, 'talent.trainees': 25 },
        { year: 2025, 'talent.graduates': 20, 'talent.trainees': 0 },
      ]);
      // A partial month on each side of a completion day.
      expect(await rows('measures=talent.graduates&from=2025-06-15&to=2025-06-29')).toEqual([{ 'talent.graduates': 0 }]);
      expect(await rows('measures=talent.graduates&from=2025-06-15&to=2025-06-30')).toEqual([{ 'talent.graduates': 20 }]);
    });
  }

  it('when the drill-down of a year-end portfolio is asked, then it lists the projects held that day', async () => {
    setRollupsEnabled(true);
    const response = await lead.get('/records/incubation?measure=incubation.portfolio&to=2022-12-31&sort=ref');
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await response.json()).rows.map((r: { ref: string }) => r.ref)).toEqual(['CLOSED-2023', 'RUNNING']);
  });

  const count = async (kind: 'incubation' | 'talent') =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(kind)}`.execute(database.db)).rows[0]!.n);

  it.each([
    [
      'closed without a closing date',
      'incubation',
      project('X', { stage: 'closed' }),
      'body.closed_on',
      /required when the stage is closed/,
    ],
    [
      'a closing date on a running project',
      'incubation',
      project('X', { closed_on: '2023-01-01' }),
      'body.closed_on',
      /must be empty unless the stage is closed/,
    ],
    [
      'a closure before entry',
      'incubation',
      project('X', { stage: 'closed', closed_on: '2021-02-28' }),
      'body.closed_on',
      /must not be before entered_on \(2021-03-01\)/,
    ],
    [
      'a closure in the future',
      'incubation',
      project('X', { stage: 'closed', closed_on: '2999-01-01' }),
      'body.closed_on',
      /future/,
    ],
    [
      'graduates without a completion date',
      'talent',
      cohort('X', { graduates: 3 }),
      'body.completed_on',
      /required when graduates is above 0/,
    ],
    [
      'a completion before the start',
      'talent',
      cohort('X', { completed_on: '2022-08-31' }),
      'body.completed_on',
      /must not be before started_on \(2022-09-01\)/,
    ],
  ] as const)(
    'when a record has %s, then it is a 400 naming the field, and nothing is written',
    async (_, kind, body, path, message) => {
      const before = await count(kind);
      const response = await admin.post(`/records/${kind}`, body);
      expect(response.status).toBe(400);
      const errors = (await response.json()).errors as Array<{ path: string; message: string }>;
      expect(errors.find((e) => e.path === path)?.message).toMatch(message);
      expect(await count(kind)).toBe(before);
    },
  );

  it('when an import holds bad dates, then it is a 422 naming each line and column, and nothing is written', async () => {
    const before = [await count('incubation'), await count('talent')];
    const incubation = await admin.post(
      '/imports/incubation',
      csvOf('incubation', [
        project('OK-1', {}),
        project('BAD-2', { stage: 'closed' }),
        project('BAD-3', { stage: 'closed', closed_on: '2020-12-31' }),
      ]),
    );
    expect(incubation.status).toBe(422);
    expect((await incubation.json()).errors).toMatchObject([
      expect.objectContaining({
        line: 3,
        column: 'closed_on',
        message: expect.stringMatching(/required when the stage is closed/),
      }),
      expect.objectContaining({ line: 4, column: 'closed_on', message: expect.stringMatching(/not be before entered_on/) }),
    ]);
    const talent = await admin.post('/imports/talent', csvOf('talent', [cohort('BAD-1', { graduates: 5 }), cohort('OK-2', {})]));
    expect(talent.status).toBe(422);
    expect((await talent.json()).errors).toMatchObject([
      expect.objectContaining({ line: 2, column: 'completed_on', message: expect.stringMatching(/required when graduates/) }),
    ]);
    expect([await count('incubation'), await count('talent')]).toEqual(before);
  });

  it('when a file from before the dates has no such columns, then rows that need none still import', async () => {
    const header = 'university_code,ref,name,field_code,stage,entered_on,graduated_on,funding_cny,jobs,partner_university_code';
    const response = await admin.post(
      '/imports/incubation?dryRun=true',
      `${header}\r\nUJS,OLD-1,Old,NEW_MAT,incubating,2022-01-01,,0,0,\r\n`,
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ inserted: 1 });
  });
});
