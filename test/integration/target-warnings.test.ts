import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

interface Warning {
  measure: string;
  year: number;
  sum: number;
  alliance: number;
}
interface Change {
  measure: string;
  year: number;
  university: string | null;
  value: number | null;
}

/** A stored amount (numeric(18,2), as the driver gives it) in whole fen, exactly. */
function fen(value: unknown): bigint {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(value));
  if (!match) throw new Error(`not an amount: ${String(value)}`);
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** A small seeded generator (mulberry32), so that the amounts are many and varied but the same each run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`warnings when the universities' targets add up to more than the alliance's (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let universities: string[];
  const MEASURES = ['tech_transfer.contract_value', 'credits.credits', 'talent.trainees'] as const;
  const YEARS = [2024, 2025] as const;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    universities = (await database.db.selectFrom('university').select('code').orderBy('code').execute()).map((u) => u.code);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  /**
   * The warnings as they follow from the stored rows, worked out here apart from the server: per
   * measure and year with an alliance-wide row, the universities' rows summed in whole fen, kept where
   * the sum is strictly above; by year, then measure.
   */
  async function expectedWarnings(scope: { years?: readonly number[]; measures?: readonly string[] } = {}): Promise<Warning[]> {
    const rows = await database.db.selectFrom('target').select(['measure', 'year', 'university_code', 'value']).execute();
    const groups = new Map<string, { measure: string; year: number; sum: bigint; alliance: bigint | null }>();
    for (const row of rows) {
      const key = `${row.year}|${row.measure}`;
      const group = groups.get(key) ?? { measure: row.measure, year: row.year, sum: 0n, alliance: null };
      if (row.university_code === null) group.alliance = fen(row.value);
      else group.sum += fen(row.value);
      groups.set(key, group);
    }
    return [...groups.values()]
      .filter((g) => g.alliance !== null && g.sum > g.alliance)
      .filter((g) => (scope.years ?? [g.year]).includes(g.year) && (scope.measures ?? [g.measure]).includes(g.measure))
      .sort((a, b) => a.year - b.year || (a.measure < b.measure ? -1 : a.measure > b.measure ? 1 : 0))
      .map((g) => ({ measure: g.measure, year: g.year, sum: Number(g.sum) / 100, alliance: Number(g.alliance) / 100 }));
  }

  const put = async (targets: Change[]) => {
    const response = await admin.put('/targets', { targets });
    expect(response.status).toBe(200);
    return (await response.json()) as { set: number; removed: number; unchanged: number; warnings: Warning[] };
  };
  const read = async (query: string) => {
    const response = await admin.get(`/targets${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as { targets: unknown[]; warnings: Warning[] };
  };

  it('when the universities’ targets of some measures and years sum above the alliance’s, then /targets warns of exactly those, with the sums of the rows', async () => {
    const random = seeded(20191025);
    const changes: Change[] = [];
    // For each measure and year: the universities' targets in fen, and an alliance-wide target that is
    // below their sum, equal to it, above it, or missing, in turn.
    let turn = 0;
    for (const year of YEARS) {
      for (const measure of MEASURES) {
        const values = universities.map(() => Math.floor(random() * 1_000_000_00) + 1);
        for (const [i, university] of universities.entries())
          changes.push({ measure, year, university, value: values[i]! / 100 });
        const total = values.reduce((a, b) => a + b, 0);
        const alliance = [total - 1, total, total + 1, undefined][turn++ % 4];
        if (alliance !== undefined) changes.push({ measure, year, university: null, value: alliance / 100 });
      }
    }
    const answer = await put(changes);
    expect(answer.set).toBe(changes.length);

    const all = await expectedWarnings();
    // The data hold both cases, or the comparison proves little.
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThan(MEASURES.length * YEARS.length);
    // The PUT named every one of them: it warns of each, as saved.
    expect(answer.warnings).toEqual(all);
    expect((await read('')).warnings).toEqual(all);
    expect((await read('?year=2025')).warnings).toEqual(await expectedWarnings({ years: [2025] }));
    const measure = all[0]!.measure;
    expect((await read(`?measure=${measure}`)).warnings).toEqual(await expectedWarnings({ measures: [measure] }));
    // The warnings are the alliance's: a filter on universities does not narrow them.
    expect((await read(`?year=2024&university=${universities[0]}`)).warnings).toEqual(await expectedWarnings({ years: [2024] }));
  });

  it('when a PUT raises a university’s target above what the alliance’s allows, then it is saved and its answer warns of that measure and year alone', async () => {
    const before = await expectedWarnings();
    // A measure and year now without a warning, that has an alliance-wide target.
    const alliance = await database.db
      .selectFrom('target')
      .select(['measure', 'year', 'value'])
      .where('university_code', 'is', null)
      .orderBy('year')
      .orderBy('measure')
      .execute();
    const quiet = alliance.find((a) => !before.some((w) => w.measure === a.measure && w.year === a.year))!;
    expect(quiet).toBeDefined();
    const university = universities[1]!;
    const raised = Number(fen(quiet.value) + 100n) / 100;
    const answer = await put([{ measure: quiet.measure, year: quiet.year, university, value: raised }]);
    expect(answer).toMatchObject({ set: 1, removed: 0, unchanged: 0 });
    const stored = await database.db
      .selectFrom('target')
      .select('value')
      .where('measure', '=', quiet.measure)
      .where('year', '=', quiet.year)
      .where('university_code', '=', university)
      .executeTakeFirstOrThrow();
    expect(fen(stored.value)).toBe(fen(quiet.value) + 100n);
    const now = await expectedWarnings();
    expect(now.length).toBe(before.length + 1);
    // Only what the request named: the warnings of other measures and years stay out of its answer.
    expect(answer.warnings).toEqual(now.filter((w) => w.measure === quiet.measure && w.year === quiet.year));
    expect(answer.warnings).toHaveLength(1);
  });

  it('when the alliance’s target is raised to the sum, or removed, then that warning goes: equal is not above', async () => {
    const [first, second] = await expectedWarnings();
    expect(second).toBeDefined();
    const equal = await put([{ measure: first!.measure, year: first!.year, university: null, value: first!.sum }]);
    expect(equal.warnings).toEqual([]);
    const removed = await put([{ measure: second!.measure, year: second!.year, university: null, value: null }]);
    expect(removed).toMatchObject({ removed: 1, warnings: [] });
    const left = await expectedWarnings();
    expect(left.some((w) => w.measure === first!.measure && w.year === first!.year)).toBe(false);
    expect((await read('')).warnings).toEqual(left);
  });

  it('when a target has more decimals than the fen, then it is refused naming the field, and nothing is written or audited', async () => {
    const before = await database.db.selectFrom('target').selectAll().orderBy(['measure', 'year', 'university_code']).execute();
    const audited = await database.db
      .selectFrom('audit_log')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const value of [0.004, 1234.567, 0.1 + 0.2, 1e-7]) {
      const response = await admin.put('/targets', {
        targets: [{ measure: MEASURES[0], year: YEARS[0], university: null, value }],
      });
      expect(response.status, String(value)).toBe(400);
      const problem = await response.json();
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'body.targets.0.value', code: 'max_decimals' })]);
    }
    expect(await database.db.selectFrom('target').selectAll().orderBy(['measure', 'year', 'university_code']).execute()).toEqual(
      before,
    );
    expect(
      Number(
        (
          await database.db
            .selectFrom('audit_log')
            .select(({ fn }) => fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(Number(audited.n));
    // Two decimals, or none, are kept exactly.
    const kept = await admin.put('/targets', {
      targets: [{ measure: MEASURES[0], year: YEARS[0], university: null, value: 1234.57 }],
    });
    expect(kept.status).toBe(200);
    const row = await database.db
      .selectFrom('target')
      .select('value')
      .where('measure', '=', MEASURES[0])
      .where('year', '=', YEARS[0])
      .where('university_code', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(row.value)).toBe(1234.57);
  });

  it('when a member university would take the code ALLIANCE, in any letter case, then it is refused: that word names the alliance in the targets', async () => {
    for (const code of ['ALLIANCE', 'alliance', ' Alliance ']) {
      const response = await admin.post('/universities', {
        code,
        nameEn: 'A university',
        nameZh: '某大学',
        region: 'SH',
        memberSince: '2020-01-01',
      });
      expect(response.status, code).toBe(400);
      expect((await response.json()).errors).toEqual([expect.objectContaining({ path: 'body.code', code: 'code_reserved' })]);
    }
    expect(await database.db.selectFrom('university').select('code').where('code', '=', 'ALLIANCE').execute()).toEqual([]);
  });
});
