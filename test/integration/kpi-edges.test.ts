import { figuresOf } from '../helpers/figures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

const tt = (university: string, ref: string, signed_on: string, value: number, over: Record<string, unknown> = {}) => ({
  university_code: university,
  ref,
  mode: 'license' as const,
  partner_name: 'P',
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on,
  contract_value_cny: value,
  received_cny: 0,
  patents: 0,
  ...over,
});

describe(`KPI edge cases (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let lead: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db
      .insertInto('tech_transfer')
      .values([
        tt('USST', 'Q1-END', '2024-03-31', 100.01),
        tt('USST', 'Q2-START', '2024-04-01', 200.02, { co_university_code: 'ZJUT' }),
        tt('USST', 'Y-END', '2023-12-31', 300.03),
        tt('ZJUT', 'Y-START', '2024-01-01', 400.04, { co_university_code: 'USST' }),
        tt('USST', 'LAST-YEAR', '2023-03-31', 50),
      ])
      .execute();
    await database.db
      .insertInto('incubation')
      .values([
        {
          university_code: 'AHUT',
          ref: 'I1',
          name: 'A',
          field_code: 'NEW_MAT',
          stage: 'graduated',
          entered_on: '2023-02-01',
          graduated_on: '2024-02-15',
          funding_cny: 10,
          jobs: 1,
          partner_university_code: null,
        },
        {
          university_code: 'AHUT',
          ref: 'I2',
          name: 'B',
          field_code: 'NEW_MAT',
          stage: 'incubating',
          entered_on: '2024-01-20',
          graduated_on: null,
          funding_cny: 20,
          jobs: 2,
          partner_university_code: 'UJS',
        },
        {
          university_code: 'AHUT',
          ref: 'I3',
          name: 'C',
          field_code: 'NEW_MAT',
          stage: 'closed',
          entered_on: '2023-05-01',
          graduated_on: null,
          closed_on: '2024-02-10',
          funding_cny: 30,
          jobs: 3,
          partner_university_code: null,
        },
      ])
      .execute();
    await database.db
      .insertInto('target')
      .values([
        { measure: 'tech_transfer.contracts', year: 2024, university_code: 'USST', value: 4 },
        { measure: 'tech_transfer.contracts', year: 2024, university_code: 'ZJUT', value: 2 },
        { measure: 'tech_transfer.contracts', year: 2024, university_code: null, value: 10 },
      ])
      .execute();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  /** The rows' figures; each row's status is checked against its own oracle in figure-status.test.ts. */
  const rows = async (query: string) => {
    const response = await lead.get(`/aggregate?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    // Each test reads the columns it asked for.
    return figuresOf((await response.json()).rows as Array<Record<string, unknown>>) as any[];
  };

  it('when a range holds no records, then a grouped answer is empty and an ungrouped one is zero', async () => {
    expect(await rows('measures=tech_transfer.contracts&by=university&from=2019-01-01&to=2019-12-31')).toEqual([]);
    expect(await rows('measures=tech_transfer.contracts,credits.credits&from=2019-01-01&to=2019-12-31')).toEqual([
      { 'tech_transfer.contracts': 0, 'credits.credits': 0 },
    ]);
  });

  it('when records sit on quarter and year boundaries, then each falls in its own period', async () => {
    expect(
      await rows('measures=tech_transfer.contracts,tech_transfer.contract_value&by=quarter&from=2023-10-01&to=2024-06-30'),
    ).toEqual([
      { quarter: '2023-Q4', 'tech_transfer.contracts': 1, 'tech_transfer.contract_value': 300.03 },
      { quarter: '2024-Q1', 'tech_transfer.contracts': 2, 'tech_transfer.contract_value': 500.05 },
      { quarter: '2024-Q2', 'tech_transfer.contracts': 1, 'tech_transfer.contract_value': 200.02 },
    ]);
    expect(await rows('measures=tech_transfer.contracts&by=year&to=2024-03-31')).toEqual([
      { year: 2023, 'tech_transfer.contracts': 2 },
      { year: 2024, 'tech_transfer.contracts': 2 },
    ]);
  });

  it('when grouped by partner, then records without one form a null group, sorted last', async () => {
    expect(await rows('measures=tech_transfer.contracts&by=partner_university')).toEqual([
      { partner_university: 'USST', 'tech_transfer.contracts': 1 },
      { partner_university: 'ZJUT', 'tech_transfer.contracts': 1 },
      { partner_university: null, 'tech_transfer.contracts': 3 },
    ]);
  });

  it('when fill=true, then every period of the range is there, zero where nothing happened', async () => {
    const filled = await rows('measures=tech_transfer.contracts&by=quarter&from=2023-01-01&to=2024-06-30&fill=true');
    expect(filled.map((r: { quarter: string }) => r.quarter)).toEqual([
      '2023-Q1',
      '2023-Q2',
      '2023-Q3',
      '2023-Q4',
      '2024-Q1',
      '2024-Q2',
    ]);
    expect(filled.map((r: Record<string, number>) => r['tech_transfer.contracts'])).toEqual([1, 0, 0, 1, 2, 1]);
  });

  it('when a stock is asked by month, then it is the level at each month end, unlike the flows', async () => {
    const months = await rows(
      'measures=incubation.portfolio,incubation.entered,incubation.graduated&by=month&from=2024-01-01&to=2024-03-31',
    );
    expect(months).toEqual([
      // I1 (entered 2023-02, graduates 2024-02-15), I2 (entered 2024-01-20) and I3 (entered 2023-05,
      // closed 2024-02-10) at the end of January; I2 alone from the end of February.
      { month: '2024-01', 'incubation.portfolio': 3, 'incubation.entered': 1, 'incubation.graduated': 0 },
      { month: '2024-02', 'incubation.portfolio': 1, 'incubation.entered': 0, 'incubation.graduated': 1 },
      { month: '2024-03', 'incubation.portfolio': 1, 'incubation.entered': 0, 'incubation.graduated': 0 },
    ]);
    // Inside February: I3 is held until the day before it closed, I1 until the day before it graduated.
    expect(await rows('measures=incubation.portfolio&to=2024-02-09')).toEqual([{ 'incubation.portfolio': 3 }]);
    expect(await rows('measures=incubation.portfolio&to=2024-02-10')).toEqual([{ 'incubation.portfolio': 2 }]);
    expect(await rows('measures=incubation.portfolio&to=2024-02-14')).toEqual([{ 'incubation.portfolio': 2 }]);
    expect(await rows('measures=incubation.portfolio&to=2024-02-15')).toEqual([{ 'incubation.portfolio': 1 }]);
  });

  it('when the period is a year to date, then the previous period is the same span of the year before', async () => {
    const summary = await (await lead.get('/summary?from=2024-01-01&to=2024-02-20&measures=tech_transfer.contracts')).json();
    expect(summary.previousPeriod).toEqual({ from: '2023-01-01', to: '2023-02-20' });
    expect(summary.previousPeriod).toEqual(summary.yearAgoPeriod);
    expect(summary.measures[0].previous).toBe(summary.measures[0].yearAgo);
  });

  it('when only one university has records in both years, then the matched panel is that university alone', async () => {
    const summary = await (await lead.get('/summary?from=2024-01-01&to=2024-03-31&measures=tech_transfer.contracts')).json();
    const [entry] = summary.measures;
    expect(summary.yearAgoPeriod).toEqual({ from: '2023-01-01', to: '2023-03-31' });
    expect(entry).toMatchObject({
      value: 2,
      yearAgo: 1,
      previous: 1,
      panel: { universities: ['USST'], value: 1, yearAgo: 1, change: 0 },
    });
    expect(entry.yearOnYear).toBe(1);
  });

  it('when targets exist, then progress is the year to date over the target: alliance-wide, or summed over the chosen universities', async () => {
    const all = (await (await lead.get('/summary?from=2024-01-01&to=2024-06-30&measures=tech_transfer.contracts')).json())
      .measures[0];
    expect(all).toMatchObject({ target: 10, yearToDate: 3, progress: 0.3 });
    // By 30 June of a leap year 182 of 366 days are gone: 30% against about 49.7% expected is behind.
    expect(all.pace).toEqual({ expected: 182 / 366, status: 'behind' });
    const two = (
      await (
        await lead.get('/summary?from=2024-04-01&to=2024-06-30&measures=tech_transfer.contracts&university=USST,ZJUT')
      ).json()
    ).measures[0];
    expect(two).toMatchObject({ value: 1, target: 6, yearToDate: 3, progress: 0.5 });
    expect(two.pace).toEqual({ expected: 182 / 366, status: 'on_pace' });
    const noTarget = (await (await lead.get('/summary?to=2024-06-30&measures=tech_transfer.contracts&university=UJS')).json())
      .measures[0];
    expect(noTarget).toMatchObject({ target: null, progress: null, pace: null });
    const crossCut = (await (await lead.get('/summary?to=2024-06-30&measures=tech_transfer.contracts&mode=license')).json())
      .measures[0];
    expect(crossCut.target).toBeNull();
  });

  it('when the data has not changed, then a repeated read is a 304 by ETag; after a write the ETag changes', async () => {
    const first = await lead.get('/summary?to=2024-06-30');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"\d+-/);
    const again = await lead.get('/summary?to=2024-06-30', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    const admin = await Client.signIn(server, IDENTITIES.admin.email);
    expect((await admin.post('/records/tech_transfer', tt('UJS', 'NEW', '2024-05-05', 1))).status).toBe(201);
    const after = await lead.get('/summary?to=2024-06-30', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it.each([
    ['measures=tech_transfer.contracts;drop table university', 'query.measures.0'],
    ["measures=tech_transfer.contracts&university=USST'--", 'query.university.0'],
    ['measures=tech_transfer.contracts&from=2024-01-01&from=2024-02-01', 'query.from'],
    ['measures=tech_transfer.contracts&university=上海理工', 'query.university.0'],
    ['measures=', 'query.measures'],
    ['measures=tech_transfer.contracts&by=', null],
    ['measures=tech_transfer.contracts&from=', 'query.from'],
    ['measures=tech_transfer.contracts&by=university,university', 'query.by'],
    ['measures=credits.credits&mode=license', 'query.mode'],
    ['measures=tech_transfer.contracts&mode=gift', 'query.mode.0'],
    ['measures=tech_transfer.contracts&university=XYZ', 'query.university'],
    ['measures=tech_transfer.contracts&fill=yes', 'query.fill'],
    ['measures=tech_transfer.contracts&limit=5', 'query'],
    ['measures[]=tech_transfer.contracts', 'query'],
    ['measures=tech_transfer.contracts&from=0000-01-01', 'query.from'],
    ['measures=tech_transfer.contracts&to=2101-01-01', 'query.to'],
    ['measures=tech_transfer.contracts&by=month&fill=true&from=1949-10-01&to=2100-12-31', 'query.from'],
    ['measures=incubation.portfolio&by=month&from=1949-10-01&to=2100-12-31', 'query.from'],
  ])('when the query is hostile (%s), then it is a 400 naming %s, never a 500', async (query, path) => {
    const response = await lead.get(`/aggregate?${query}`);
    if (path === null) {
      expect(response.status).toBe(200);
      return;
    }
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = await response.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(JSON.stringify(problem)).not.toMatch(/at .+\.ts:\d+/);
    expect(await database.db.selectFrom('university').select('code').execute()).toHaveLength(5);
  });

  it('when a query names a thousand or ten thousand codes, then it is refused with a 4xx, never a 500', async () => {
    const codes = (n: number) => Array.from({ length: n }, (_, i) => `U${i}`).join(',');
    const thousand = await lead.get(`/aggregate?measures=tech_transfer.contracts&university=${codes(1000)}`);
    expect(thousand.status).toBe(400);
    expect((await thousand.json()).errors.map((e: { path: string }) => e.path)).toContain('query.university');
    // Past Node's 16 KB header limit the request never reaches the application: 431.
    const tenThousand = await lead.get(`/aggregate?measures=tech_transfer.contracts&university=${codes(10_000)}`);
    expect([400, 414, 431]).toContain(tenThousand.status);
  });

  it('when /meta is read, then it carries every measure with its unit, standard, definitions and dimensions', async () => {
    const meta = await (await lead.get('/meta')).json();
    expect(meta.measures.map((m: { id: string }) => m.id)).toEqual([...MEASURE_IDS]);
    for (const measure of meta.measures) {
      expect(measure.name.zh && measure.name.en && measure.definition.zh && measure.definition.en).toBeTruthy();
      expect(['cn-annual-report', 'autm', 'ec-kti', 'alliance']).toContain(measure.standard.code);
    }
    const band = meta.dimensions.find((d: { id: string }) => d.id === 'value_band');
    expect(band.values.map((v: { code: string }) => v.code)).toEqual(['under_1m', '1m_to_10m', '10m_to_100m', '100m_and_over']);
  });
});

describe(`members, targets and the API document (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    await database.db
      .insertInto('tech_transfer')
      .values(tt('UJS', 'KEEP', '2024-01-01', 1))
      .execute();
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when an admin adds and renames a member, then /meta shows it; a member with records cannot be deleted', async () => {
    const added = await admin.post('/universities', {
      code: 'shu',
      nameEn: 'Shanghai University',
      nameZh: '上海大学',
      region: 'SH',
      memberSince: '2025-09-01',
    });
    expect(added.status).toBe(201);
    expect((await admin.patch('/universities/SHU', { nameZh: '上海大学（新）' })).status).toBe(200);
    const meta = await (await admin.get('/meta')).json();
    expect(meta.universities.find((u: { code: string }) => u.code === 'SHU')).toMatchObject({
      nameZh: '上海大学（新）',
      region: 'SH',
    });
    expect(
      (await admin.post('/universities', { code: 'SHU', nameEn: 'x', nameZh: 'x', region: 'SH', memberSince: '2025-09-01' }))
        .status,
    ).toBe(409);
    expect(
      (await admin.post('/universities', { code: 'XX1', nameEn: 'x', nameZh: 'x', region: 'MARS', memberSince: '2025-09-01' }))
        .status,
    ).toBe(400);
    // The list says which members are in use, as the removal finds them: UJS has records, SHU nothing yet.
    const listed = (await (await admin.get('/universities')).json()).universities as Array<{ code: string; inUse: boolean }>;
    expect(listed.find((u) => u.code === 'UJS')?.inUse).toBe(true);
    expect(listed.find((u) => u.code === 'SHU')?.inUse).toBe(false);
    expect((await admin.delete('/universities/UJS')).status).toBe(409);
    expect((await admin.delete('/universities/SHU')).status).toBe(204);
    expect((await admin.delete('/universities/SHU')).status).toBe(404);
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'university_change').execute();
    expect(audit).toHaveLength(3);
  });

  it("when a member joins after a year, then its province target for that year is its members' sum; for a year it belongs to, a member without a target blanks it", async () => {
    await database.db
      .insertInto('target')
      .values([
        { measure: 'tech_transfer.contracts', year: 2024, university_code: 'ZJUT', value: 7 },
        { measure: 'tech_transfer.contracts', year: 2025, university_code: 'ZJUT', value: 9 },
      ])
      .execute();
    const zjTarget = async (year: number) =>
      (await (await admin.get(`/summary?from=${year}-01-01&to=${year}-12-31&region=ZJ&measures=tech_transfer.contracts`)).json())
        .measures[0].target;
    expect(await zjTarget(2024)).toBe(7);
    const joined = await admin.post('/universities', {
      code: 'ZJX',
      nameEn: 'Zhejiang Example University',
      nameZh: '浙江示例大学',
      region: 'ZJ',
      memberSince: '2025-06-01',
    });
    expect(joined.status, await joined.clone().text()).toBe(201);
    // 2024: ZJX was not a member, so ZJUT's target is the province's; 2025: ZJX has none, so the province has none.
    expect(await zjTarget(2024)).toBe(7);
    expect(await zjTarget(2025)).toBeNull();
    // Named alone for a year before it joined, it has no target either.
    const alone = await (
      await admin.get('/summary?from=2024-01-01&to=2024-12-31&university=ZJX&measures=tech_transfer.contracts')
    ).json();
    expect(alone.measures[0].target).toBeNull();
    expect(
      (
        await admin.put('/targets', {
          targets: [{ measure: 'tech_transfer.contracts', year: 2025, university: 'ZJX', value: 2 }],
        })
      ).status,
    ).toBe(200);
    expect(await zjTarget(2025)).toBe(11);
    expect(
      (
        await admin.put('/targets', {
          targets: [{ measure: 'tech_transfer.contracts', year: 2025, university: 'ZJX', value: null }],
        })
      ).status,
    ).toBe(200);
    expect((await admin.delete('/universities/ZJX')).status).toBe(204);
  });

  it('when a member would be named as another is, in English (case aside) or in Chinese, then 409 names the other, and nothing is written', async () => {
    const members = () => database.db.selectFrom('university').selectAll().orderBy('code').execute();
    const before = await members();
    const [first, second] = before;
    const cases: Array<[Promise<Response>, string[]]> = [
      [
        admin.post('/universities', {
          code: 'TWIN',
          nameEn: first!.name_en.toUpperCase(),
          nameZh: '孪生大学',
          region: 'SH',
          memberSince: '2024-01-01',
        }),
        ['body.nameEn'],
      ],
      [
        admin.post('/universities', {
          code: 'TWIN',
          nameEn: 'Twin',
          nameZh: first!.name_zh,
          region: 'SH',
          memberSince: '2024-01-01',
        }),
        ['body.nameZh'],
      ],
      [
        admin.patch(`/universities/${second!.code}`, { nameEn: first!.name_en, nameZh: first!.name_zh }),
        ['body.nameEn', 'body.nameZh'],
      ],
    ];
    for (const [request, paths] of cases) {
      const response = await request;
      expect(response.status, paths.join()).toBe(409);
      const problem = (await response.json()) as { code: string; params: unknown; errors: Array<{ path: string }> };
      expect(problem).toMatchObject({ code: 'university_name_taken', params: { code: first!.code } });
      expect(problem.errors.map((e) => e.path)).toEqual(paths);
    }
    expect(await members()).toEqual(before);
    // Its own name, sent again, is no clash.
    expect((await admin.patch(`/universities/${first!.code}`, { nameEn: first!.name_en })).status).toBe(200);
  });

  it('when an admin takes the lead flag off the lead or deletes the lead, then 409 says to name another lead, and nothing is written or audited; naming another moves the flag', async () => {
    const members = () => database.db.selectFrom('university').selectAll().orderBy('code').execute();
    const audit = () => database.db.selectFrom('audit_log').select('id').execute();
    const leads = async () => (await members()).filter((u) => u.is_lead).map((u) => u.code);
    const [lead] = await leads();
    expect(await leads()).toEqual([lead]);
    const other = (await members()).find((u) => !u.is_lead)!.code;
    const before = { members: await members(), audit: await audit() };

    for (const body of [{ lead: false }, { lead: false, nameEn: 'Renamed on the way' }]) {
      const refused = await admin.patch(`/universities/${lead}`, body);
      expect(refused.status).toBe(409);
      const problem = (await refused.json()) as { code: string; params: unknown; errors: Array<{ path: string; code: string }> };
      expect(problem).toMatchObject({ code: 'lead_stays', params: { code: lead } });
      expect(problem.errors).toMatchObject([{ path: 'body.lead', code: 'lead_stays' }]);
    }
    const removal = await admin.delete(`/universities/${lead}`);
    expect(removal.status).toBe(409);
    expect(await removal.json()).toMatchObject({ code: 'lead_stays', params: { code: lead } });
    expect(await members()).toEqual(before.members);
    expect(await audit()).toEqual(before.audit);

    // Not the lead: taking off a flag it does not have changes nothing about the lead.
    expect((await admin.patch(`/universities/${other}`, { lead: false })).status).toBe(200);
    expect(await leads()).toEqual([lead]);
    // The fix the problem names: another university made the lead takes the flag; then back.
    expect((await admin.patch(`/universities/${other}`, { lead: true })).status).toBe(200);
    expect(await leads()).toEqual([other]);
    expect((await admin.patch(`/universities/${lead}`, { lead: true })).status).toBe(200);
    expect(await leads()).toEqual([lead]);
  });

  it('when an admin sets targets, then they read back, an unchanged one is not rewritten, and null removes one', async () => {
    const body = {
      targets: [
        { measure: 'credits.credits', year: 2025, university: 'USST', value: 1200.5 },
        { measure: 'credits.credits', year: 2025, university: null, value: 5000 },
      ],
    };
    expect(await (await admin.put('/targets', body)).json()).toEqual({ set: 2, removed: 0, unchanged: 0, warnings: [] });
    expect(await (await admin.put('/targets', body)).json()).toEqual({ set: 0, removed: 0, unchanged: 2, warnings: [] });
    const read = await (await admin.get('/targets?year=2025&university=USST,alliance')).json();
    expect(read.targets.map((t: { university: string | null; value: number }) => [t.university, t.value])).toEqual([
      [null, 5000],
      ['USST', 1200.5],
    ]);
    expect(
      await (
        await admin.put('/targets', { targets: [{ measure: 'credits.credits', year: 2025, university: 'USST', value: null }] })
      ).json(),
    ).toEqual({ set: 0, removed: 1, unchanged: 0, warnings: [] });
    expect(
      (await admin.put('/targets', { targets: [{ measure: 'credits.credits', year: 2025, university: 'MIT', value: 1 }] }))
        .status,
    ).toBe(400);
    expect((await admin.put('/targets', { targets: [{ measure: 'x.y', year: 2025, university: null, value: 1 }] })).status).toBe(
      400,
    );
  });

  it('when the API document is read, then every registered route is in it with its roles', async () => {
    const document = await (await server.fetch('/api/v1/openapi.json')).json();
    expect(document.openapi).toBe('3.1.0');
    for (const spec of server.app.routes) {
      const path = `/api/v1${spec.path.replaceAll(/:(\w+)/g, '{$1}')}`;
      expect(document.paths[path]?.[spec.method], `${spec.method} ${path}`).toBeDefined();
      expect(document.paths[path][spec.method]['x-access']).toEqual(spec.access);
    }
    const aggregate = document.paths['/api/v1/aggregate'].get;
    expect(aggregate.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['measures', 'by', 'from', 'to', 'university']),
    );
  });
});
