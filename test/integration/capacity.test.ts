import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import type { RawRow } from '../helpers/facts.js';
import { lastSnapshot } from '../helpers/kpi-oracle.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { figuresOf } from '../helpers/figures.js';

/**
 * The transfer organisation's capacity (技术转移机构, 专职人员, 技术经理人, 共建机构) as the
 * national annual report counts it: a stock, each university's last snapshot on or before the end
 * of the period, summed over universities and never over time (sql/0018). And the companies the
 * incubated projects registered (创设/参股公司), counted on the day each was registered.
 */

const snapshot = (university: string, day: string, staff: number, over: Partial<RawRow> = {}): RawRow => ({
  university_code: university,
  ref: `CAP-${university}-${day}`,
  snapshot_on: day,
  transfer_offices: 1,
  staff,
  tech_managers: Math.floor(staff / 2),
  co_built: 1,
  ...over,
});

const SNAPSHOTS: RawRow[] = [
  // USST: yearly, and once inside a month.
  snapshot('USST', '2022-12-31', 10),
  snapshot('USST', '2023-12-31', 14, { co_built: 2 }),
  snapshot('USST', '2024-06-15', 17, { co_built: 3 }),
  snapshot('USST', '2024-12-31', 21, { co_built: 3 }),
  // ZJUT: from 2023 only, and its office closed in 2024.
  snapshot('ZJUT', '2023-03-31', 6),
  snapshot('ZJUT', '2024-04-01', 4, { transfer_offices: 0 }),
  // AHUT: once, on the first day of a quarter.
  snapshot('AHUT', '2024-01-01', 3, { co_built: 0 }),
];

const MEASURES = ['capacity.transfer_offices', 'capacity.staff', 'capacity.tech_managers', 'capacity.co_built'] as const;
const COLUMN: Record<(typeof MEASURES)[number], string> = {
  'capacity.transfer_offices': 'transfer_offices',
  'capacity.staff': 'staff',
  'capacity.tech_managers': 'tech_managers',
  'capacity.co_built': 'co_built',
};

/** Each measure on a day, over the given universities: the sum of each one's last snapshot by then (computed here). */
function expectedOn(rows: readonly RawRow[], day: string, universities: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of MEASURES) {
    out[m] = universities.reduce((sum, u) => sum + Number(lastSnapshot(rows, u, day)?.[COLUMN[m]] ?? 0), 0);
  }
  return out;
}

const ALL = ['USST', 'NJTECH', 'UJS', 'ZJUT', 'AHUT'];

describe(`capacity snapshots and companies (${TEST_DB})`, () => {
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
    const answer = await admin.request('POST', '/imports/capacity', csvOf('capacity', SNAPSHOTS), {
      'content-type': 'text/csv',
    });
    expect(answer.status, await answer.clone().text()).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const count = async (table: 'capacity' | 'incubation'): Promise<number> =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n);

  it('when asked at a period end, then each university counts its last snapshot by then, summed over universities, never over time', async () => {
    for (const day of [
      '2022-12-31',
      '2023-06-30',
      '2024-03-31',
      '2024-04-01',
      '2024-06-14',
      '2024-06-15',
      '2024-07-20',
      '2025-06-30',
    ]) {
      const answer = (await (await leadership.get(`/aggregate?measures=${MEASURES.join(',')}&to=${day}`)).json()) as {
        rows: Array<Record<string, number>>;
      };
      expect(figuresOf(answer.rows), day).toEqual([expectedOn(SNAPSHOTS, day, ALL)]);
    }
    // 2024-06-14: USST's mid-year snapshot is not yet there; ZJUT's second is.
    expect(expectedOn(SNAPSHOTS, '2024-06-14', ALL)['capacity.staff']).toBe(14 + 4 + 3);
  });

  it('when grouped by quarter and university, then every quarter end holds each university’s last snapshot by then', async () => {
    const answer = (await (
      await leadership.get(`/aggregate?measures=${MEASURES.join(',')}&by=quarter,university&from=2023-01-01&to=2024-12-31`)
    ).json()) as { rows: Array<Record<string, string | number>> };
    const ends = ['2023-03-31', '2023-06-30', '2023-09-30', '2023-12-31', '2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'];
    const want: Array<Record<string, string | number>> = [];
    for (const end of ends) {
      const quarter = `${end.slice(0, 4)}-Q${Math.ceil(Number(end.slice(5, 7)) / 3)}`;
      for (const u of [...ALL].sort()) {
        if (!lastSnapshot(SNAPSHOTS, u, end)) continue;
        want.push({ quarter, university: u, ...expectedOn(SNAPSHOTS, end, [u]) });
      }
    }
    expect(figuresOf(answer.rows)).toEqual(want);
  });

  it('when the records behind a capacity figure are listed, then they are each university’s last snapshot by the period end', async () => {
    for (const day of ['2023-12-31', '2024-06-30']) {
      const page = (await (
        await leadership.get(`/records/capacity?measure=capacity.staff&from=${day.slice(0, 4)}-01-01&to=${day}&sort=ref`)
      ).json()) as { total: number; rows: Array<Record<string, unknown>> };
      const want = ALL.flatMap((u) => {
        const last = lastSnapshot(SNAPSHOTS, u, day);
        return last ? [String(last.ref)] : [];
      }).sort();
      expect(page.rows.map((r) => r.ref)).toEqual(want);
      // The record as the API shows it: its columns, not the view's.
      expect(Object.keys(page.rows[0]!)).not.toContain('superseded_on');
    }
  });

  it('when a snapshot repeats a day of its university, then the API refuses it naming snapshot_on, and nothing is written', async () => {
    const before = await count('capacity');
    const answer = await steward.request('POST', '/records/capacity', {
      ...snapshot('USST', '2024-12-31', 30),
      ref: 'CAP-USST-AGAIN',
    });
    expect(answer.status).toBe(409);
    const problem = (await answer.json()) as { errors?: Array<{ path: string }> };
    expect(problem.errors?.map((e) => e.path)).toEqual(['body.snapshot_on']);
    expect(await count('capacity')).toBe(before);
  });

  it('when a snapshot has a negative count or a future day, then the API names the field, and nothing is written', async () => {
    const before = await count('capacity');
    for (const [change, path] of [
      [{ staff: -1 }, 'body.staff'],
      [{ tech_managers: -3 }, 'body.tech_managers'],
      [{ co_built: 1.5 }, 'body.co_built'],
      [{ snapshot_on: '2999-12-31', ref: 'CAP-FUTURE' }, 'body.snapshot_on'],
    ] as const) {
      const answer = await steward.request('POST', '/records/capacity', { ...snapshot('USST', '2021-12-31', 5), ...change });
      expect(answer.status).toBe(400);
      const problem = (await answer.json()) as { errors: Array<{ path: string }> };
      expect(problem.errors.map((e) => e.path)).toContain(path);
    }
    expect(await count('capacity')).toBe(before);
  });

  it("when a steward writes another university's snapshot, then it is refused", async () => {
    const answer = await steward.request('POST', '/records/capacity', snapshot('ZJUT', '2021-12-31', 5));
    expect(answer.status).toBe(403);
  });

  it('when a file repeats a day, within itself or against a stored snapshot, then each line is named and nothing is written', async () => {
    const before = await count('capacity');
    const file = csvOf('capacity', [
      snapshot('UJS', '2024-12-31', 5, { ref: 'CAP-UJS-A' }),
      snapshot('UJS', '2024-12-31', 6, { ref: 'CAP-UJS-B' }),
      snapshot('USST', '2023-12-31', 9, { ref: 'CAP-USST-OTHER' }),
      snapshot('UJS', '2025-01-31', -2, { ref: 'CAP-UJS-C', tech_managers: 0 }),
    ]);
    for (const dryRun of [true, false]) {
      const answer = await admin.request('POST', `/imports/capacity${dryRun ? '?dryRun=true' : ''}`, file, {
        'content-type': 'text/csv',
      });
      expect(answer.status).toBe(422);
      // Cells are checked first: the negative count, on its line; the repeated days wait for clean cells.
      const problem = (await answer.json()) as { errors: Array<{ line: number; column: string; message: string }> };
      expect(problem.errors).toEqual([expect.objectContaining({ line: 5, column: 'staff', message: 'must not be negative' })]);
    }
    // Without the bad cell, the days are checked against each other and the stored snapshots.
    const days = csvOf('capacity', [
      snapshot('UJS', '2024-12-31', 5, { ref: 'CAP-UJS-A' }),
      snapshot('UJS', '2024-12-31', 6, { ref: 'CAP-UJS-B' }),
      snapshot('USST', '2023-12-31', 9, { ref: 'CAP-USST-OTHER' }),
    ]);
    for (const dryRun of [true, false]) {
      const answer = await admin.request('POST', `/imports/capacity${dryRun ? '?dryRun=true' : ''}`, days, {
        'content-type': 'text/csv',
      });
      expect(answer.status).toBe(422);
      const problem = (await answer.json()) as { errors: Array<{ line: number; column: string; message: string }> };
      expect(problem.errors.map((e) => [e.line, e.column])).toEqual([
        [3, 'snapshot_on'],
        [4, 'snapshot_on'],
      ]);
      expect(problem.errors[0]!.message).toMatch(/line 2/);
      expect(problem.errors[1]!.message).toMatch(/CAP-USST-2023-12-31/);
    }
    expect(await count('capacity')).toBe(before);
  });

  it('when a file moves a snapshot to another day, then it is its own ref that holds the day, and the file imports', async () => {
    const moved = csvOf('capacity', [snapshot('AHUT', '2024-02-01', 3, { ref: 'CAP-AHUT-2024-01-01', co_built: 0 })]);
    const answer = await admin.request('POST', '/imports/capacity', moved, { 'content-type': 'text/csv' });
    expect(answer.status, await answer.clone().text()).toBe(200);
    expect(await answer.json()).toMatchObject({ inserted: 0, updated: 1 });
    const back = csvOf('capacity', [snapshot('AHUT', '2024-01-01', 3, { co_built: 0 })]);
    expect((await admin.request('POST', '/imports/capacity', back, { 'content-type': 'text/csv' })).status).toBe(200);
  });

  it('when a university has only capacity snapshots, then it cannot be deleted; once they are gone, it can', async () => {
    const added = await admin.post('/universities', {
      code: 'SHU',
      nameEn: 'Shanghai University',
      nameZh: '上海大学',
      region: 'SH',
      memberSince: '2025-09-01',
    });
    expect(added.status).toBe(201);
    const created = await admin.request('POST', '/records/capacity', snapshot('SHU', '2025-12-31', 4));
    expect(created.status, await created.clone().text()).toBe(201);
    const inUse = async () =>
      ((await (await admin.get('/universities')).json()).universities as Array<{ code: string; inUse: boolean }>).find(
        (u) => u.code === 'SHU',
      )?.inUse;
    expect(await inUse()).toBe(true);
    expect((await admin.delete('/universities/SHU')).status).toBe(409);
    const { id } = (await created.json()) as { id: number };
    expect((await admin.delete(`/records/capacity/${id}`)).status).toBe(204);
    expect(await inUse()).toBe(false);
    expect((await admin.delete('/universities/SHU')).status).toBe(204);
  });

  it('when a file swaps the days of two stored snapshots, then the dry run and the import agree, whatever the order of the lines', async () => {
    for (const order of [0, 1]) {
      const a = snapshot('USST', '2023-12-31', 14, { ref: 'CAP-USST-2022-12-31', co_built: 2 });
      const b = snapshot('USST', '2022-12-31', 10, { ref: 'CAP-USST-2023-12-31' });
      const lines = order === 0 ? [a, b] : [b, a];
      const file = csvOf('capacity', lines);
      const dry = await admin.request('POST', '/imports/capacity?dryRun=true', file, { 'content-type': 'text/csv' });
      expect(dry.status, await dry.clone().text()).toBe(200);
      const applied = await admin.request('POST', '/imports/capacity', file, { 'content-type': 'text/csv' });
      expect(applied.status, await applied.clone().text()).toBe(200);
      expect(await applied.json()).toMatchObject({ updated: 2 });
      // And back, so the figures above stay as they were.
      const back = csvOf('capacity', [snapshot('USST', '2022-12-31', 10), snapshot('USST', '2023-12-31', 14, { co_built: 2 })]);
      expect((await admin.request('POST', '/imports/capacity', back, { 'content-type': 'text/csv' })).status).toBe(200);
    }
    const stored = await database.db
      .selectFrom('capacity')
      .select(['ref', 'snapshot_on', 'staff'])
      .where('university_code', '=', 'USST')
      .orderBy('ref')
      .execute();
    expect(stored.slice(0, 2).map((r) => [r.ref, String(r.snapshot_on), r.staff])).toEqual([
      ['CAP-USST-2022-12-31', '2022-12-31', 10],
      ['CAP-USST-2023-12-31', '2023-12-31', 14],
    ]);
  });

  it('when projects registered companies, then they count on the day registered, split by the university’s stake', async () => {
    const project = (ref: string, entered: string, company: string | null, stake: string | null): RawRow => ({
      university_code: 'NJTECH',
      ref,
      name: `Project ${ref}`,
      field_code: 'NEW_MAT',
      stage: 'incubating',
      entered_on: entered,
      graduated_on: null,
      closed_on: null,
      funding_cny: 100_000,
      jobs: 3,
      partner_university_code: null,
      company_registered_on: company,
      company_stake: stake,
    });
    const projects = [
      // Registered before entry: counted in 2022.
      project('C-1', '2023-02-01', '2022-11-30', 'founded'),
      project('C-2', '2023-05-05', '2023-05-05', 'shareholder'),
      project('C-3', '2023-06-01', '2024-01-01', 'founded'),
      project('C-4', '2024-03-01', null, null),
    ];
    const imported = await admin.request('POST', '/imports/incubation', csvOf('incubation', projects), {
      'content-type': 'text/csv',
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    const answer = (await (
      await leadership.get('/aggregate?measures=incubation.companies,incubation.entered&by=year,company_stake')
    ).json()) as { rows: Array<Record<string, unknown>> };
    expect(figuresOf(answer.rows)).toEqual([
      { year: 2022, company_stake: 'founded', 'incubation.companies': 1, 'incubation.entered': 0 },
      { year: 2023, company_stake: 'founded', 'incubation.companies': 0, 'incubation.entered': 2 },
      { year: 2023, company_stake: 'shareholder', 'incubation.companies': 1, 'incubation.entered': 1 },
      { year: 2024, company_stake: 'founded', 'incubation.companies': 1, 'incubation.entered': 0 },
      { year: 2024, company_stake: null, 'incubation.companies': 0, 'incubation.entered': 1 },
    ]);
    // A file that names one of the two columns: the stored other one counts, in the dry run as in the import.
    const stakeOnly = [
      'university_code,ref,name,field_code,stage,entered_on,funding_cny,jobs,company_stake',
      'NJTECH,C-2,Project C-2,NEW_MAT,incubating,2023-05-05,100000,3,founded',
    ].join('\r\n');
    for (const dryRun of [true, false]) {
      const changed = await admin.request('POST', `/imports/incubation${dryRun ? '?dryRun=true' : ''}`, stakeOnly, {
        'content-type': 'text/csv',
      });
      expect(changed.status, await changed.clone().text()).toBe(200);
      expect(await changed.json()).toMatchObject({ updated: 1 });
    }
    const c2 = await database.db
      .selectFrom('incubation')
      .select(['company_registered_on', 'company_stake'])
      .where('ref', '=', 'C-2')
      .executeTakeFirstOrThrow();
    expect([String(c2.company_registered_on), c2.company_stake]).toEqual(['2023-05-05', 'founded']);
    // A stake for a project with no company day (stored or given) is refused, naming the line and column, in both.
    const noDay = [
      'university_code,ref,name,field_code,stage,entered_on,funding_cny,jobs,company_stake',
      'NJTECH,C-4,Project C-4,NEW_MAT,incubating,2024-03-01,100000,3,shareholder',
    ].join('\r\n');
    for (const dryRun of [true, false]) {
      const refused = await admin.request('POST', `/imports/incubation${dryRun ? '?dryRun=true' : ''}`, noDay, {
        'content-type': 'text/csv',
      });
      expect(refused.status).toBe(422);
      const problem = (await refused.json()) as { errors: Array<{ line: number; column: string }> };
      expect(problem.errors.map((e) => [e.line, e.column])).toEqual([[2, 'company_registered_on']]);
    }
    // A stake without its day (and the other way round) is refused naming the field.
    for (const [change, path] of [
      [{ company_registered_on: null }, 'body.company_registered_on'],
      [{ company_stake: null }, 'body.company_stake'],
      [{ company_stake: 'owner' }, 'body.company_stake'],
    ] as const) {
      const answer = await admin.request('POST', '/records/incubation', {
        ...project('C-BAD', '2023-01-01', '2023-01-02', 'founded'),
        ...change,
      });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(path);
    }
  });

  it('when the commission report is built, then its national block holds the capacity at the period end and the companies of the period', async () => {
    const answer = await leadership.get('/report?period=2024&lang=en');
    expect(answer.status).toBe(200);
    const { report: doc } = (await answer.json()) as {
      report: {
        national: {
          lines: Array<{ id: string }>;
          columns: Array<{ code: string | null }>;
          rows: Array<{ line: string; cells: Array<{ value: number | null }> }>;
        };
      };
    };
    const { columns, rows } = doc.national;
    const line = (id: string) => rows.find((r) => r.line === id)!.cells.map((c) => c.value);
    const codes = columns.map((c) => c.code);
    const end = '2024-12-31';
    const capacity = await database.db.selectFrom('capacity').selectAll().execute();
    const raw = capacity.map((r) => ({ ...r, snapshot_on: String(r.snapshot_on) })) as unknown as RawRow[];
    for (const [id, measure] of [
      ['transfer_offices', 'capacity.transfer_offices'],
      ['staff', 'capacity.staff'],
      ['tech_managers', 'capacity.tech_managers'],
      ['co_built', 'capacity.co_built'],
    ] as const) {
      expect(line(id), id).toEqual(codes.map((code) => expectedOn(raw, end, code === null ? ALL : [code])[measure]));
    }
    expect(line('companies')).toEqual(codes.map((code) => (code === 'NJTECH' || code === null ? 1 : 0)));
  });
});
