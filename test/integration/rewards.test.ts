import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRollupsEnabled } from '../../server/kpi/compile.js';
import { csvOf, parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import type { RawRow } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { figuresOf } from '../helpers/figures.js';

/**
 * Rewards to individuals on contracts, as the national annual report counts them (现金奖励,
 * 股权奖励, 奖励人次): on the day each reward was granted, whatever year the contract was signed in
 * (sql/0017).
 */

const contract = (ref: string, signed: string, value: number, over: Partial<RawRow> = {}): RawRow => ({
  university_code: 'ZJUT',
  ref,
  mode: 'transfer',
  partner_name: `Partner of ${ref}`,
  partner_region_code: 'ZJ',
  co_university_code: null,
  field_code: 'NEW_MAT',
  signed_on: signed,
  contract_value_cny: value,
  patents: 1,
  ...over,
});

const CONTRACTS = [
  // Signed in 2022, rewarded in 2024.
  contract('R-2022', '2022-05-10', 400_000, {
    reward_cash_cny: 100_000,
    rewarded_people: 3,
    rewarded_on: '2024-03-01',
  }),
  // Signed and rewarded in 2024, on the last day of the year: equity and fifty fen of cash.
  contract('R-2024', '2024-05-20', 3_000_000, {
    mode: 'equity',
    co_university_code: 'USST',
    reward_cash_cny: 0.5,
    reward_equity_cny: 2_000_000,
    rewarded_people: 2,
    rewarded_on: '2024-12-31',
  }),
  // Signed in 2023, rewarded in 2025 with all of its value.
  contract('R-2023', '2023-08-08', 90_000.25, {
    mode: 'development',
    reward_cash_cny: 90_000.25,
    rewarded_people: 1,
    rewarded_on: '2025-01-02',
  }),
  // No reward.
  contract('R-NONE', '2024-02-02', 10_000),
];

/** The raw rows' rewards by year granted, computed here from the rows above (in fen and people). */
function byYearGranted(rows: readonly RawRow[]) {
  const sums = new Map<string, { cash: number; equity: number; people: number }>();
  for (const r of rows) {
    if (!r.rewarded_on) continue;
    const year = String(r.rewarded_on).slice(0, 4);
    const s = sums.get(year) ?? { cash: 0, equity: 0, people: 0 };
    s.cash += Math.round(Number(r.reward_cash_cny ?? 0) * 100);
    s.equity += Math.round(Number(r.reward_equity_cny ?? 0) * 100);
    s.people += Number(r.rewarded_people ?? 0);
    sums.set(year, s);
  }
  return sums;
}

describe(`rewards to individuals (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let leadership: Client;
  let steward: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    leadership = await Client.signIn(server, IDENTITIES.leadership.email);
    steward = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    const answer = await admin.request('POST', '/imports/tech_transfer', csvOf('tech_transfer', CONTRACTS), {
      'content-type': 'text/csv',
    });
    expect(answer.status, await answer.clone().text()).toBe(200);
  });
  afterAll(async () => {
    setRollupsEnabled(true);
    await server.close();
    await database.close();
  });

  const contractCount = async (): Promise<number> =>
    Number((await sql<{ n: string }>`select count(*) as n from tech_transfer`.execute(database.db)).rows[0]!.n);

  it('when rewards are granted years after signing, then each year counts the rewards granted in it, from rollups and facts alike', async () => {
    const want = byYearGranted(CONTRACTS);
    const measures = ['tech_transfer.reward_cash', 'tech_transfer.reward_equity', 'tech_transfer.rewarded_people'];
    for (const rollups of [true, false]) {
      setRollupsEnabled(rollups);
      const answer = (await (await leadership.get(`/aggregate?measures=${measures.join(',')}&by=year`)).json()) as {
        rows: Array<Record<string, number>>;
      };
      const got = new Map(figuresOf(answer.rows).map((r) => [String(r.year), r]));
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [year, s] of want) {
        expect(got.get(year)).toEqual({
          year: Number(year),
          'tech_transfer.reward_cash': s.cash / 100,
          'tech_transfer.reward_equity': s.equity / 100,
          'tech_transfer.rewarded_people': s.people,
        });
      }
      // Nothing in 2022 or 2023, the years the rewarded contracts were signed in.
      expect(got.has('2022')).toBe(false);
    }
    setRollupsEnabled(true);
    // One day inside a month (the day rollup), by the contract's mode and partner university.
    const day = (await (
      await leadership.get(
        '/aggregate?measures=tech_transfer.reward_cash&from=2024-12-31&to=2024-12-31&by=mode,partner_university',
      )
    ).json()) as { rows: Array<Record<string, unknown>> };
    expect(figuresOf(day.rows)).toEqual([{ mode: 'equity', partner_university: 'USST', 'tech_transfer.reward_cash': 0.5 }]);
    // A year to date that ends inside a month: the first two days of 2025.
    const ytd = (await (
      await leadership.get(
        '/summary?measures=tech_transfer.reward_cash,tech_transfer.rewarded_people&from=2025-01-01&to=2025-01-02',
      )
    ).json()) as { measures: Array<{ measure: string; value: number }> };
    expect(ytd.measures.map((m) => [m.measure, m.value])).toEqual([
      ['tech_transfer.reward_cash', 90_000.25],
      ['tech_transfer.rewarded_people', 1],
    ]);
  });

  it('when the records are listed for a reward figure, then they are the contracts rewarded in the period, whenever signed', async () => {
    const page = (await (
      await leadership.get('/records/tech_transfer?measure=tech_transfer.reward_cash&from=2024-01-01&to=2024-12-31&sort=ref')
    ).json()) as { total: number; rows: Array<{ ref: string }> };
    expect(page.rows.map((r) => r.ref)).toEqual(['R-2022', 'R-2024']);
  });

  it('when a contract is exported, then its rewards are in the file and the file imports back unchanged', async () => {
    const exported = await (await admin.get('/records/tech_transfer?format=csv&sort=ref')).text();
    const { header, rows } = parseCsv(exported);
    expect(header).toEqual(expect.arrayContaining(['reward_cash_cny', 'reward_equity_cny', 'rewarded_people', 'rewarded_on']));
    const none = rows.find((r) => r[header.indexOf('ref')] === 'R-NONE')!;
    expect(
      ['reward_cash_cny', 'reward_equity_cny', 'rewarded_people', 'rewarded_on'].map((c) => none[header.indexOf(c)]),
    ).toEqual(['0.00', '0.00', '0', '']);
    const again = await admin.request('POST', '/imports/tech_transfer', exported, { 'content-type': 'text/csv' });
    expect(await again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
  });

  it('when a file is written without the reward columns (as before they existed), then it imports with no rewards', async () => {
    const old = [
      'university_code,ref,mode,partner_name,partner_region_code,co_university_code,field_code,signed_on,contract_value_cny,patents',
      'USST,OLD-1,license,Old partner,SH,,OPTO,2024-06-28,1200000.00,2',
    ].join('\r\n');
    const answer = await steward.request('POST', '/imports/tech_transfer', old, { 'content-type': 'text/csv' });
    expect(answer.status, await answer.clone().text()).toBe(200);
    const row = (await (await steward.get('/records/tech_transfer?q=OLD-1')).json()).rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({ reward_cash_cny: 0, reward_equity_cny: 0, rewarded_people: 0, rewarded_on: null });
  });

  it('when a file leaves out columns, then the contracts it updates keep their stored values there, in the dry run as in the import', async () => {
    // R-2024 holds rewards and a joint university; the file names neither.
    const header = 'university_code,ref,mode,partner_name,partner_region_code,field_code,signed_on,contract_value_cny,patents';
    const line = (value: string, signed = '2024-05-20', patents = 1) =>
      `ZJUT,R-2024,equity,Partner of R-2024,ZJ,NEW_MAT,${signed},${value},${patents}`;
    const send = (body: string, dryRun = false) =>
      admin.request('POST', `/imports/tech_transfer${dryRun ? '?dryRun=true' : ''}`, body, { 'content-type': 'text/csv' });

    const same = [header, line('3000000')].join('\r\n');
    for (const dryRun of [true, false]) {
      const answer = await send(same, dryRun);
      expect(await answer.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    }
    const changed = [header, line('3000000', '2024-05-20', 7)].join('\r\n');
    expect(await (await send(changed, true)).json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await (await send(changed)).json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const stored = (await (await admin.get('/records/tech_transfer?q=R-2024')).json()).rows[0] as Record<string, unknown>;
    expect(stored).toMatchObject({
      patents: 7,
      co_university_code: 'USST',
      reward_cash_cny: 0.5,
      reward_equity_cny: 2_000_000,
      rewarded_people: 2,
      rewarded_on: '2024-12-31',
    });
    // The audit entry says what the record became: its rewards kept.
    const audit = (await (await admin.get('/audit?subject=tech_transfer:ZJUT/R-2024')).json()) as {
      entries: Array<{ after: Record<string, unknown> }>;
    };
    expect(audit.entries[0]!.after).toMatchObject({ patents: 7, reward_equity_cny: 2_000_000, co_university_code: 'USST' });

    // The stored rewards still bind the file's values: a value below them, a signing after them.
    for (const [file, column, message] of [
      [[header, line('1000000')], 'reward_equity_cny', /must not exceed contract_value_cny \(1000000\.00\)/],
      [[header, line('3000000', '2025-01-05')], 'rewarded_on', /must not be before signed_on \(2025-01-05\)/],
      // Some reward columns named, others left out: the file's blank day with the stored reward.
      [[`${header},rewarded_on`, `${line('3000000')},`], 'rewarded_on', /is required when there is a reward/],
      [[`${header},rewarded_people`, `${line('3000000')},0`], 'rewarded_people', /must be at least 1 when there is a reward/],
    ] as const) {
      for (const dryRun of [true, false]) {
        const refused = await send(file.join('\r\n'), dryRun);
        expect(refused.status).toBe(422);
        expect(((await refused.json()) as { errors: unknown[] }).errors).toContainEqual(
          expect.objectContaining({ line: 2, column, message: expect.stringMatching(message) }),
        );
      }
    }
    expect((await (await admin.get('/records/tech_transfer?q=R-2024')).json()).rows[0]).toMatchObject({
      contract_value_cny: 3_000_000,
      signed_on: '2024-05-20',
    });
  });

  const BAD: Array<[string, Partial<RawRow>, string, RegExp]> = [
    [
      'rewards above the contract value',
      { reward_cash_cny: 300, reward_equity_cny: 800, rewarded_people: 1, rewarded_on: '2024-07-01' },
      'reward_equity_cny',
      /must not exceed contract_value_cny \(1000\.00\)/,
    ],
    ['a reward without people', { reward_cash_cny: 10, rewarded_on: '2024-07-01' }, 'rewarded_people', /at least 1/],
    [
      'people without a reward',
      { rewarded_people: 2, rewarded_on: '2024-07-01' },
      'rewarded_people',
      /must be 0 when there is no reward/,
    ],
    [
      'a reward without its day',
      { reward_cash_cny: 10, rewarded_people: 1 },
      'rewarded_on',
      /is required when there is a reward/,
    ],
    ['a day without a reward', { rewarded_on: '2024-07-01' }, 'rewarded_on', /must be empty when there is no reward/],
    [
      'a reward granted before signing',
      { reward_cash_cny: 10, rewarded_people: 1, rewarded_on: '2024-05-31' },
      'rewarded_on',
      /must not be before signed_on \(2024-06-01\)/,
    ],
    [
      'a negative reward',
      { reward_cash_cny: -1, rewarded_people: 1, rewarded_on: '2024-07-01' },
      'reward_cash_cny',
      /must not be negative/,
    ],
    [
      'a reward with three decimals',
      { reward_cash_cny: '10.005', rewarded_people: 1, rewarded_on: '2024-07-01' },
      'reward_cash_cny',
      /must have at most 2 decimals/,
    ],
    [
      'a reward granted in the future',
      { reward_cash_cny: 1, rewarded_people: 1, rewarded_on: '2999-01-01' },
      'rewarded_on',
      /future/,
    ],
  ];

  it.each(BAD)(
    'when a contract has %s, then the form and the file are refused naming the field, and nothing is written',
    async (_, over, field, message) => {
      const before = await contractCount();
      const record = contract('BAD-1', '2024-06-01', 1000, { university_code: 'USST', ...over });
      const created = await steward.post('/records/tech_transfer', record);
      expect(created.status).toBe(400);
      const body = (await created.json()) as { errors: Array<{ path: string; message: string }> };
      expect(body.errors).toContainEqual(
        expect.objectContaining({ path: `body.${field}`, message: expect.stringMatching(message) }),
      );
      // The same row as line 3 of a file, after a good one: the whole file is refused.
      const good = contract('GOOD-1', '2024-06-01', 1000, { university_code: 'USST' });
      const file = await steward.request('POST', '/imports/tech_transfer', csvOf('tech_transfer', [good, record]), {
        'content-type': 'text/csv',
      });
      expect(file.status).toBe(422);
      const problems = (await file.json()) as { errors: Array<{ line: number; column: string; message: string }> };
      expect(problems.errors).toContainEqual(
        expect.objectContaining({ line: 3, column: field, message: expect.stringMatching(message) }),
      );
      expect(await contractCount()).toBe(before);
    },
  );

  it('when a file gives some reward columns and leaves the others out, then the stored ones count with them, in the dry run as in the import', async () => {
    // R-2024 holds an equity reward and two people; the file names the cash and the day only.
    const header =
      'university_code,ref,mode,partner_name,partner_region_code,field_code,signed_on,contract_value_cny,patents,reward_cash_cny,rewarded_on';
    const file = [header, 'ZJUT,R-2024,equity,Partner of R-2024,ZJ,NEW_MAT,2024-05-20,3000000,1,0,2024-12-31'].join('\r\n');
    for (const dryRun of [true, false]) {
      const answer = await admin.request('POST', `/imports/tech_transfer${dryRun ? '?dryRun=true' : ''}`, file, {
        'content-type': 'text/csv',
      });
      expect(answer.status, await answer.clone().text()).toBe(200);
    }
    const row = (await (await admin.get('/records/tech_transfer?q=R-2024')).json()).rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({
      reward_cash_cny: 0,
      reward_equity_cny: 2_000_000,
      rewarded_people: 2,
      rewarded_on: '2024-12-31',
    });
    // Back as it was.
    const back = [header, 'ZJUT,R-2024,equity,Partner of R-2024,ZJ,NEW_MAT,2024-05-20,3000000,1,0.5,2024-12-31'].join('\r\n');
    expect((await admin.request('POST', '/imports/tech_transfer', back, { 'content-type': 'text/csv' })).status).toBe(200);
  });

  it('when a file leaves out date columns that a stored project holds and changes its stage, then the stored dates count: refused naming them, in the dry run as in the import', async () => {
    const project = [
      'university_code,ref,name,field_code,stage,entered_on,graduated_on,closed_on,funding_cny,jobs',
      'ZJUT,GRAD-0,Graduated project,IT_AI,graduated,2022-01-10,2023-06-30,,0,1',
    ].join('\r\n');
    expect((await admin.request('POST', '/imports/incubation', project, { 'content-type': 'text/csv' })).status).toBe(200);
    // Back to incubating, without the date columns: the stored graduation day stays, which incubating forbids.
    const file = [
      'university_code,ref,name,field_code,stage,entered_on,funding_cny,jobs',
      'ZJUT,GRAD-0,Graduated project,IT_AI,incubating,2022-01-10,0,1',
    ].join('\r\n');
    for (const dryRun of [true, false]) {
      const answer = await admin.request('POST', `/imports/incubation${dryRun ? '?dryRun=true' : ''}`, file, {
        'content-type': 'text/csv',
      });
      expect(answer.status).toBe(422);
      const problem = (await answer.json()) as { errors: Array<{ line: number; column: string; message: string }> };
      expect(problem.errors).toMatchObject([
        { line: 2, column: 'graduated_on', message: 'must be empty unless the stage is graduated (it is incubating)' },
      ]);
    }
    // The same file with the stage it has: the stored graduation day counts, and nothing changes.
    const same = file.replace(',incubating,', ',graduated,');
    const unchanged = await admin.request('POST', '/imports/incubation', same, { 'content-type': 'text/csv' });
    expect(unchanged.status, await unchanged.clone().text()).toBe(200);
    expect(await unchanged.json()).toMatchObject({ unchanged: 1 });
  });

  it('when a file leaves out an optional column that a rule of the row needs, then the row is refused naming it, in the dry run as in the import', async () => {
    // A graduated project needs its graduation day; a file without the column gives none.
    const file = [
      'university_code,ref,name,field_code,stage,entered_on,funding_cny,jobs',
      'ZJUT,GRAD-1,Graduated project,IT_AI,graduated,2022-01-10,0,1',
    ].join('\r\n');
    for (const dryRun of [true, false]) {
      const answer = await admin.request('POST', `/imports/incubation${dryRun ? '?dryRun=true' : ''}`, file, {
        'content-type': 'text/csv',
      });
      expect(answer.status).toBe(422);
      const problem = (await answer.json()) as { errors: Array<{ line: number; column: string }> };
      expect(problem.errors.map((e) => [e.line, e.column])).toEqual([[2, 'graduated_on']]);
    }
  });

  it('when a contract is changed so that its value falls below its rewards, then the change is refused naming the field', async () => {
    const row = (await (await admin.get('/records/tech_transfer?q=R-2022')).json()).rows[0] as { id: number };
    const answer = await admin.patch(`/records/tech_transfer/${row.id}`, { contract_value_cny: 99_999.99 });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { errors: unknown[] }).errors).toContainEqual({
      code: 'rewards_exceed_value',
      params: expect.anything(),
      path: 'body.reward_cash_cny',
      message: expect.stringMatching(/must not exceed contract_value_cny \(99999\.99\)/),
    });
    const redated = await admin.patch(`/records/tech_transfer/${row.id}`, { signed_on: '2024-03-02' });
    expect(redated.status).toBe(400);
    const stored = (await (await admin.get('/records/tech_transfer?q=R-2022')).json()).rows[0] as Record<string, unknown>;
    expect(stored).toMatchObject({ contract_value_cny: 400_000, signed_on: '2022-05-10' });
  });

  it('when a write reaches the database past the checks, then its constraints refuse it', async () => {
    const insert = (over: string) =>
      sql`insert into tech_transfer (university_code, ref, mode, partner_name, partner_region_code, field_code, signed_on, contract_value_cny, patents, reward_cash_cny, reward_equity_cny, rewarded_people, rewarded_on)
          values ('AHUT', 'DB-1', 'transfer', 'P', 'AH', 'OPTO', '2024-06-01', 1000, 0, ${sql.raw(over)})`.execute(database.db);
    for (const [over, constraint] of [
      ["600, 600, 1, '2024-07-01'", 'tech_transfer_rewards_within_value'],
      ["10, 0, 0, '2024-07-01'", 'tech_transfer_rewards_complete'],
      ['10, 0, 1, null', 'tech_transfer_rewards_complete'],
      ["10, 0, 1, '2024-05-01'", 'tech_transfer_rewarded_after_signing'],
      ["-1, 0, 1, '2024-07-01'", 'tech_transfer_reward_cash_check'],
    ] as const) {
      await expect(insert(over), over).rejects.toMatchObject({ code: '23514', constraint });
    }
  });
});
