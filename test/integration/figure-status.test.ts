import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIGURE_STATUS_LABELS } from '../../contract/figure-status.js';
import type { PeriodStatus } from '../../contract/enums.js';
import { PERIOD_STATUS_LABELS } from '../../contract/reporting-periods.js';
import { parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type CycleSnapshot, periodOfMonth, readCycle, StatusOracle, type Stock } from '../helpers/status-oracle.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/**
 * The status of figures through a period's life: a figure drawing on one unapproved
 * university-period is provisional; after its approval final; after it is reopened and a record in
 * it changes, revised; approved again, final. Every status the API gives (aggregate rows by
 * university, province, quarter and month, the summary, a stock, collaboration, CSV, a steward's
 * own view, the report's tables and its list of periods not final) is checked against the oracle
 * (test/helpers/status-oracle.ts), which reads the raw rows and the steps.
 */

const UNIVERSITIES = ['USST', 'NJTECH', 'UJS', 'ZJUT', 'AHUT'];
const H1 = { from: '2024-01-01', to: '2024-06-30' };
let serial = 0;
const contract = (university: string, signedOn: string, value = 100000) => ({
  university_code: university,
  ref: `STATUS-${++serial}`,
  mode: 'license',
  partner_name: 'Status Ltd.',
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on: signedOn,
  contract_value_cny: value,
  received_cny: 0,
  patents: 1,
});

describe(`the status of figures (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let lead: Client;
  let commission: Client;
  let usst: Client;
  let njtech: Client;
  let oracle: StatusOracle;
  let usstQ2Contract: number;

  const json = async (client: Client, path: string) => {
    const response = await client.get(path);
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return response.json();
  };
  const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

  /** Submits (as admin) and approves (as leadership) a period, and tells the oracle its rows as approved. */
  async function settle(university: string, period: string) {
    expect((await admin.post(`/cycle/periods/${university}/${period}/submit`, {})).status).toBe(200);
    expect((await lead.post(`/cycle/periods/${university}/${period}/approve`, {})).status).toBe(200);
    const month =
      period.length === 4
        ? `${period}-01`
        : period.includes('Q')
          ? `${period.slice(0, 4)}-${String(Number(period.at(-1)) * 3).padStart(2, '0')}`
          : period;
    const frequency = period.length === 4 ? 'year' : period.includes('Q') ? 'quarter' : 'month';
    const span = periodOfMonth(frequency, month);
    await oracle.approved(university, period, span.from, span.to);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
    commission = await Client.signIn(server, IDENTITIES.commission.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    njtech = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
    oracle = new StatusOracle(database.db);
    // NJTECH reports per month, the others per quarter.
    expect((await admin.put('/cycle/calendar/NJTECH', { frequency: 'month', dueDays: 20 })).status).toBe(200);
    for (const [university, day] of [
      ['USST', '2024-02-10'],
      ['USST', '2024-05-20'],
      ['NJTECH', '2024-01-15'],
      ['NJTECH', '2024-04-03'],
      ['UJS', '2024-03-01'],
      ['ZJUT', '2024-06-30'],
      ['USST', '2023-08-01'],
    ] as const) {
      const response = await admin.post('/records/tech_transfer', contract(university, day));
      expect(response.status).toBe(201);
      if (university === 'USST' && day === '2024-05-20') usstQ2Contract = (await response.json()).id;
    }
    // Every period of the first half is approved but USST's second quarter.
    for (const university of ['USST', 'UJS', 'ZJUT', 'AHUT']) {
      await settle(university, '2024-Q1');
      if (university !== 'USST') await settle(university, '2024-Q2');
    }
    for (const month of ['01', '02', '03', '04', '05', '06']) await settle('NJTECH', `2024-${month}`);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const regionOf: Record<string, string> = { USST: 'SH', NJTECH: 'JS', UJS: 'JS', ZJUT: 'ZJ', AHUT: 'AH' };
  const QUARTERS = [
    { key: '2024-Q1', from: '2024-01-01', to: '2024-03-31' },
    { key: '2024-Q2', from: '2024-04-01', to: '2024-06-30' },
  ];

  /** Every figure's status the API gives now, each beside the oracle's; returns the alliance's H1 status. */
  async function compareAll(cycle: CycleSnapshot): Promise<string> {
    const expectStatus = (got: unknown, universities: readonly string[], from: string, to: string, what: string, stock?: Stock) =>
      expect(got, what).toBe(oracle.status(cycle, universities, from, to, stock));
    const measures = 'tech_transfer.contracts,tech_transfer.contract_value';

    // The alliance's total, and by university, province, quarter, university and quarter.
    const total = await json(admin, `/aggregate?${query({ measures, ...H1 })}`);
    expectStatus(total.rows[0].status, UNIVERSITIES, H1.from, H1.to, 'total');
    const byUniversity = await json(lead, `/aggregate?${query({ measures, by: 'university', ...H1 })}`);
    for (const row of byUniversity.rows)
      expectStatus(row.status, [row.university], H1.from, H1.to, `by university ${row.university}`);
    expect(byUniversity.rows.length).toBeGreaterThan(0);
    const byRegion = await json(commission, `/aggregate?${query({ measures, by: 'region', fill: 'true', ...H1 })}`);
    for (const row of byRegion.rows)
      expectStatus(
        row.status,
        UNIVERSITIES.filter((u) => regionOf[u] === row.region),
        H1.from,
        H1.to,
        `by region ${row.region}`,
      );
    const byQuarter = await json(admin, `/aggregate?${query({ measures, by: 'quarter', fill: 'true', ...H1 })}`);
    expect(byQuarter.rows.map((r: { quarter: string }) => r.quarter)).toEqual(QUARTERS.map((q) => q.key));
    for (const [i, q] of QUARTERS.entries())
      expectStatus(byQuarter.rows[i].status, UNIVERSITIES, q.from, q.to, `quarter ${q.key}`);
    const byBoth = await json(admin, `/aggregate?${query({ measures, by: 'university,quarter', fill: 'true', ...H1 })}`);
    for (const row of byBoth.rows) {
      const q = QUARTERS.find((x) => x.key === row.quarter)!;
      expectStatus(row.status, [row.university], q.from, q.to, `${row.university} ${row.quarter}`);
    }
    // A month of NJTECH, which reports per month.
    const byMonth = await json(
      admin,
      `/aggregate?${query({ measures, by: 'month', university: 'NJTECH', fill: 'true', ...H1 })}`,
    );
    for (const row of byMonth.rows)
      expectStatus(row.status, ['NJTECH'], `${row.month}-01`, periodOfMonth('month', row.month).to, `NJTECH ${row.month}`);

    // A stock: the period holding its as-of day, and those holding the records it holds then.
    for (const to of ['2024-03-31', '2024-06-30']) {
      const stock = await json(admin, `/aggregate?${query({ measures: 'capacity.staff', by: 'university', from: H1.from, to })}`);
      for (const row of stock.rows)
        expectStatus(row.status, [row.university], H1.from, to, `stock ${row.university} ${to}`, 'capacity');
    }

    // The summary: the period, the one before, the year before.
    const summary = await json(lead, `/summary?${query({ measures, ...H1 })}`);
    for (const m of summary.measures) {
      expectStatus(m.status, UNIVERSITIES, H1.from, H1.to, 'summary');
      expectStatus(m.previousStatus, UNIVERSITIES, summary.previousPeriod.from, summary.previousPeriod.to, 'summary previous');
      expectStatus(m.yearAgoStatus, UNIVERSITIES, summary.yearAgoPeriod.from, summary.yearAgoPeriod.to, 'summary year ago');
      expectStatus(m.yearToDateStatus, UNIVERSITIES, summary.yearToDate.from, summary.yearToDate.to, 'summary year to date');
    }

    // A steward's own figures: its university alone, whatever the others' state.
    for (const [client, code] of [
      [usst, 'USST'],
      [njtech, 'NJTECH'],
    ] as const) {
      const own = await json(client, `/summary?${query({ measures, university: code, ...H1 })}`);
      expectStatus(own.measures[0].status, [code], H1.from, H1.to, `steward ${code} summary`);
      const rows = (await json(client, `/aggregate?${query({ measures, by: 'quarter', university: code, fill: 'true', ...H1 })}`))
        .rows;
      for (const [i, q] of QUARTERS.entries()) expectStatus(rows[i].status, [code], q.from, q.to, `steward ${code} ${q.key}`);
    }

    // Collaboration: a row per university, and the whole.
    const collaboration = await json(admin, `/collaboration?${query({ measure: 'credits.credits', ...H1 })}`);
    for (const [i, code] of (collaboration.universities as string[]).entries())
      expectStatus(collaboration.statuses[i], [code], H1.from, H1.to, `collaboration ${code}`);
    expectStatus(collaboration.status, UNIVERSITIES, H1.from, H1.to, 'collaboration');

    // CSV: the code raw, its name formatted, in either language.
    const csv = parseCsv(
      await (await admin.get(`/aggregate?${query({ measures, by: 'university', format: 'csv', ...H1 })}`)).text(),
    );
    const at = csv.header.indexOf('status');
    expect(at).toBe(csv.header.length - 1);
    for (const row of csv.rows) expectStatus(row[at], [row[0]!], H1.from, H1.to, `csv ${row[0]}`);
    const zh = parseCsv(
      await (await admin.get(`/aggregate?${query({ measures, format: 'csv', formatted: 'true', lang: 'zh', ...H1 })}`)).text(),
    );
    expect(zh.header.at(-1)).toBe('数据状态');
    expect(zh.rows[0]!.at(-1)).toBe(FIGURE_STATUS_LABELS[oracle.status(cycle, UNIVERSITIES, H1.from, H1.to)].zh);
    const summaryCsv = parseCsv(await (await admin.get(`/summary?${query({ measures, format: 'csv', ...H1 })}`)).text());
    expectStatus(summaryCsv.rows[0]![summaryCsv.header.indexOf('status')], UNIVERSITIES, H1.from, H1.to, 'summary csv');

    // The report of the half: each row by university, each table, the periods not final.
    const { report } = await json(commission, '/report?period=2024-H1');
    const spans = [report.period, report.previousPeriod, report.yearAgoPeriod, report.yearToDate];
    for (const row of report.summary.rows) {
      const covered =
        row.level === 'alliance'
          ? UNIVERSITIES
          : row.level === 'region'
            ? UNIVERSITIES.filter((u) => regionOf[u] === row.code)
            : [row.code];
      expectStatus(row.status, covered, H1.from, H1.to, `report row ${row.code}`);
    }
    expectStatus(report.status.tables.summary, UNIVERSITIES, H1.from, H1.to, 'report summary table');
    for (const table of ['techTransfer', 'talent', 'credits', 'national', 'incubation'])
      expectStatus(report.status.tables[table], UNIVERSITIES, H1.from, H1.to, `report ${table}`);
    const worst = (statuses: string[]) => (statuses.includes('R') ? 'R' : statuses.includes('P') ? 'P' : 'F');
    expect(report.status.tables.comparisons).toBe(
      worst(spans.map((s: { from: string; to: string }) => oracle.status(cycle, UNIVERSITIES, s.from, s.to))),
    );
    const expectedNotFinal = new Map<string, object>();
    for (const s of spans)
      for (const p of oracle.periods(cycle, UNIVERSITIES, s.from, s.to))
        if (p.status !== 'F') expectedNotFinal.set(`${p.university}|${p.period}`, { ...p, ended: true });
    const byKey = (list: Array<{ university: string; period: string }>) =>
      [...list].sort((a, b) => `${a.university}|${a.period}`.localeCompare(`${b.university}|${b.period}`));
    expect(byKey(report.status.notFinal)).toEqual(byKey([...expectedNotFinal.values()] as never));
    const notFinalCsv = parseCsv(await (await commission.get('/report?period=2024-H1&format=csv&table=not-final')).text());
    expect(notFinalCsv.rows.map((r) => `${r[0]}|${r[2]}|${r[5]}|${r[7]}`).sort()).toEqual(
      [...expectedNotFinal.values()]
        .map((p) => {
          const { university, period, state, status } = p as {
            university: string;
            period: string;
            state: PeriodStatus;
            status: string;
          };
          // The state in words of the table's language (English here), as the board says it.
          return `${university}|${period}|${PERIOD_STATUS_LABELS[state].en}|${status}`;
        })
        .sort(),
    );
    const summaryTable = parseCsv(await (await commission.get('/report?period=2024-H1&format=csv&table=summary')).text());
    const alliance = summaryTable.rows.at(-1)!;
    expect(alliance.at(-1)).toBe(report.status.tables.summary);
    return total.rows[0].status;
  }

  it('when one university-period of the range is not approved, then figures drawing on it are provisional, the others final', async () => {
    const cycle = await readCycle(database.db);
    expect(await compareAll(cycle)).toBe('P');
    expect(oracle.status(cycle, ['NJTECH'], H1.from, H1.to)).toBe('F');
  });

  it('when it is approved, then every figure of the half is final', async () => {
    await settle('USST', '2024-Q2');
    expect(await compareAll(await readCycle(database.db))).toBe('F');
  });

  it('when it is reopened, then its figures are provisional until a record changes, then revised', async () => {
    expect((await admin.post('/cycle/periods/USST/2024-Q2/reopen', { reason: 'A contract value was mistyped.' })).status).toBe(
      200,
    );
    expect(await compareAll(await readCycle(database.db))).toBe('P');
    expect((await usst.patch(`/records/tech_transfer/${usstQ2Contract}`, { contract_value_cny: 123456.78 })).status).toBe(200);
    const cycle = await readCycle(database.db);
    expect(await compareAll(cycle)).toBe('R');
    // Submitted again, it stays revised until approved.
    expect((await usst.post('/cycle/periods/USST/2024-Q2/submit', {})).status).toBe(200);
    expect(await compareAll(await readCycle(database.db))).toBe('R');
  });

  it('when it is approved again, then its figures are final again', async () => {
    expect((await lead.post('/cycle/periods/USST/2024-Q2/approve', {})).status).toBe(200);
    await oracle.approved('USST', '2024-Q2', '2024-04-01', '2024-06-30');
    expect(await compareAll(await readCycle(database.db))).toBe('F');
  });

  it('when a payment arrives today on a contract of the approved half, then the figures to date move and are provisional, the others final', async () => {
    const figure = async (measure: string) => {
      const rows = (await json(admin, `/aggregate?${query({ measures: measure, ...H1 })}`)).rows;
      return { value: Number(rows[0][measure]), status: rows[0].status as string };
    };
    const received = await figure('tech_transfer.received_to_date');
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const payment = {
      university_code: 'USST',
      ref: 'STATUS-PAYMENT',
      contract_ref: 'STATUS-2',
      received_on: day,
      amount_cny: 5000,
    };
    expect((await admin.post('/records/payment', payment)).status).toBe(201);
    const cycle = await readCycle(database.db);
    // The half's own periods are all approved: its contracts are final ...
    expect(await figure('tech_transfer.contracts')).toEqual({
      value: 6,
      status: oracle.status(cycle, UNIVERSITIES, H1.from, H1.to),
    });
    expect(oracle.status(cycle, UNIVERSITIES, H1.from, H1.to)).toBe('F');
    // ... while cash received to date on them moved with a payment of today, in a period not approved.
    const after = await figure('tech_transfer.received_to_date');
    expect(after.value).toBe(received.value + 5000);
    expect(after.status).toBe(oracle.status(cycle, UNIVERSITIES, H1.from, day));
    expect(after.status).toBe('P');
    expect((await figure('tech_transfer.collection_rate')).status).toBe('P');
    // Asked together, each measure has its own status and the row the least settled of them: for the
    // half as a whole, and per quarter (USST's second quarter is open: its contracts are provisional).
    const together = 'tech_transfer.contracts,tech_transfer.received_to_date';
    const whole = (await json(admin, `/aggregate?${query({ measures: together, ...H1 })}`)).rows[0];
    expect(whole).toMatchObject({
      'tech_transfer.contracts:status': 'F',
      'tech_transfer.received_to_date:status': 'P',
      status: 'P',
    });
    const byUniversity = await json(admin, `/aggregate?${query({ measures: together, by: 'university', ...H1 })}`);
    for (const row of byUniversity.rows) {
      const contracts = oracle.status(cycle, [row.university], H1.from, H1.to);
      const toDate = oracle.status(cycle, [row.university], H1.from, day);
      expect(row['tech_transfer.contracts:status'], row.university).toBe(contracts);
      expect(row['tech_transfer.received_to_date:status'], row.university).toBe(toDate);
      // The least settled: revised over provisional over final.
      const least = [contracts, toDate].includes('R') ? 'R' : [contracts, toDate].includes('P') ? 'P' : 'F';
      expect(row.status, row.university).toBe(least);
    }
    // The overview's card says the same.
    const summary = await json(
      admin,
      `/summary?${query({ measures: 'tech_transfer.received_to_date,tech_transfer.contracts', ...H1 })}`,
    );
    const statusOf = (id: string) => summary.measures.find((m: { measure: string }) => m.measure === id).status;
    expect([statusOf('tech_transfer.received_to_date'), statusOf('tech_transfer.contracts')]).toEqual(['P', 'F']);
  });

  it('when a stock carries forward a record of an earlier period, then its status is that period’s too: revised while it is, final once approved again', async () => {
    // USST's first quarter, approved, is reopened; a capacity snapshot and a project entered in it
    // are added. Its second quarter stays approved: the stocks at the half's end draw on both.
    expect((await admin.post('/cycle/periods/USST/2024-Q1/reopen', { reason: 'Capacity was not filed.' })).status).toBe(200);
    const added = [
      admin.post('/records/capacity', {
        university_code: 'USST',
        ref: 'STATUS-CAP',
        snapshot_on: '2024-02-20',
        transfer_offices: 1,
        staff: 12,
        tech_managers: 5,
        co_built: 2,
      }),
      admin.post('/records/incubation', {
        university_code: 'USST',
        ref: 'STATUS-INC',
        name: 'Status project',
        field_code: 'OPTO',
        stage: 'incubating',
        entered_on: '2024-03-10',
        funding_cny: 10000,
        jobs: 3,
        partner_university_code: null,
      }),
    ];
    for (const response of await Promise.all(added)) expect(response.status, await response.clone().text()).toBe(201);

    const stocks = async (cycle: CycleSnapshot, expected: string) => {
      for (const [measure, stock] of [
        ['capacity.staff', 'capacity'],
        ['incubation.portfolio', 'incubation'],
      ] as const) {
        for (const to of ['2024-03-31', '2024-06-30']) {
          const rows = (await json(admin, `/aggregate?${query({ measures: measure, by: 'university', from: H1.from, to })}`))
            .rows;
          for (const row of rows)
            expect(row.status, `${measure} ${row.university} ${to}`).toBe(
              oracle.status(cycle, [row.university], H1.from, to, stock),
            );
        }
        const byQuarter = await json(admin, `/aggregate?${query({ measures: measure, by: 'quarter', fill: 'true', ...H1 })}`);
        for (const [i, q] of QUARTERS.entries())
          expect(byQuarter.rows[i].status, `${measure} ${q.key}`).toBe(oracle.status(cycle, UNIVERSITIES, q.from, q.to, stock));
        const summary = await json(
          admin,
          `/summary?${query({ measures: measure, university: 'USST', from: '2024-04-01', to: H1.to })}`,
        );
        expect(summary.measures[0].value, measure).toBe(measure === 'capacity.staff' ? 12 : 1);
        expect(summary.measures[0].status, `${measure} summary`).toBe(expected);
      }
      // The quarter the records came from is what makes the second quarter's stock unsettled.
      expect(oracle.status(cycle, ['USST'], '2024-04-01', H1.to)).toBe('F');
      expect(oracle.status(cycle, ['USST'], '2024-04-01', H1.to, 'capacity')).toBe(expected);
      // The report of the second quarter: its tables of stocks say so, and its list of periods not
      // final names the first quarter while it is revised.
      const { report } = await json(commission, '/report?period=2024-Q2');
      expect(report.status.tables.incubation, 'report incubation').toBe(expected);
      expect(report.status.tables.national, 'report national').toBe(expected);
      expect(
        report.status.notFinal.some(
          (p: { university: string; period: string }) => p.university === 'USST' && p.period === '2024-Q1',
        ),
      ).toBe(expected !== 'F');
    };
    await stocks(await readCycle(database.db), 'R');

    await settle('USST', '2024-Q1');
    await stocks(await readCycle(database.db), 'F');
  });

  it('when a flow counts records on another day than their own (graduates on completion), then it rests on the periods those records began in', async () => {
    // A programme begun in USST's 2023-Q3, never submitted, completed in the approved 2024-Q2.
    const programme = {
      university_code: 'USST',
      ref: 'STATUS-TAL',
      partner_university_code: null,
      level: 'tech_manager',
      program: 'Status programme',
      started_on: '2023-08-01',
      completed_on: '2024-05-10',
      trainees: 20,
      graduates: 18,
    };
    const created = await admin.post('/records/talent', programme);
    expect(created.status, await created.clone().text()).toBe(201);
    const Q2 = QUARTERS[1]!;
    const check = async (expected: string) => {
      const cycle = await readCycle(database.db);
      const measures = 'talent.trainees,talent.graduates';
      const rows = (await json(admin, `/aggregate?${query({ measures, by: 'university', from: Q2.from, to: Q2.to })}`)).rows;
      for (const row of rows) {
        expect(row['talent.trainees:status'], `trainees ${row.university}`).toBe(
          oracle.status(cycle, [row.university], Q2.from, Q2.to),
        );
        expect(row['talent.graduates:status'], `graduates ${row.university}`).toBe(
          oracle.status(cycle, [row.university], Q2.from, Q2.to, 'talent.completed_on'),
        );
      }
      const usst = rows.find((r: { university: string }) => r.university === 'USST');
      expect(usst).toMatchObject({ 'talent.graduates': 18, 'talent.graduates:status': expected, 'talent.trainees:status': 'F' });
      const byQuarter = await json(
        admin,
        `/aggregate?${query({ measures: 'talent.graduates', by: 'quarter', fill: 'true', ...H1 })}`,
      );
      for (const [i, q] of QUARTERS.entries())
        expect(byQuarter.rows[i].status, `graduates ${q.key}`).toBe(
          oracle.status(cycle, UNIVERSITIES, q.from, q.to, 'talent.completed_on'),
        );
      const { report } = await json(commission, '/report?period=2024-Q2');
      expect(report.status.tables.talent, 'report talent').toBe(expected);
    };
    await check('P');
    await settle('USST', '2023-Q3');
    await check('F');
  });
});
