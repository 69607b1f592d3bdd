import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETED_MEASURES } from '../../server/kpi/registry.js';
import { summary } from '../../server/kpi/kpi.service.js';
import { parsePeriod } from '../../server/report/report-period.js';
import { buildReport } from '../../server/report/report.service.js';
import { addUniversity } from '../../server/universities/universities.service.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, type RawFacts, randomFacts, UNIVERSITIES } from '../helpers/facts.js';

/**
 * A member counts from the day it joined (`member_since`): a report of a period that ended before
 * then neither lists it nor counts its records in the province's or the alliance's totals, so a
 * report once filed reads the same after a member is added; the alliance's own target stays the
 * alliance's. A period it had joined by the end of lists it like any other member.
 */

const NOW = '2026-06-30';
const NEW_MEMBER = {
  code: 'SUES',
  nameEn: 'Shanghai University of Engineering Science',
  nameZh: '上海工程技术大学',
  region: 'SH',
};

describe(`membership in a period (${TEST_DB})`, () => {
  let database: TestDatabase;
  let facts: RawFacts;
  /** The 2024 report before the new member was added, without its data stamp. */
  let before: Record<string, unknown>;

  const report = async (key: string) => {
    const { data: _stamp, ...doc } = (await buildReport(database.db, parsePeriod(key)!, NOW)) as unknown as Record<
      string,
      unknown
    > & { data: unknown };
    return doc;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    facts = randomFacts(20261206, 160);
    await insertFacts(database.db, facts);
    const rows = TARGETED_MEASURES.flatMap((measure, i) => [
      { measure, year: 2024, university_code: null, value: 5000 + i },
      ...UNIVERSITIES.map((u, j) => ({ measure, year: 2024, university_code: u, value: 100 * (j + 1) + i })),
    ]);
    await database.db.insertInto('target').values(rows).execute();
    before = await report('2024');

    await addUniversity(database.db, { id: null, email: null, address: null }, { ...NEW_MEMBER, memberSince: '2025-03-01' });
    // The new member's records: some before it joined (dated in 2024), some after.
    const own = randomFacts(7, 40);
    // Capacity is a snapshot per university and day: the draws for five would collide in one.
    own.capacity = [];
    for (const rows of Object.values(own))
      for (const row of rows) {
        row.university_code = NEW_MEMBER.code;
        for (const partner of ['co_university_code', 'partner_university_code', 'host_university_code'])
          if (partner in row && row[partner] !== null) row[partner] = 'USST';
      }
    await insertFacts(database.db, own);
  });
  afterAll(() => database?.close());

  it('when a member joins after a period, then that period’s report is the one filed before it joined', async () => {
    const after = await report('2024');
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    const doc = after as { universities: Array<{ code: string }>; credits: { universities: string[] } };
    expect(doc.universities.map((u) => u.code).sort()).toEqual([...UNIVERSITIES].sort());
    expect(doc.credits.universities).not.toContain(NEW_MEMBER.code);
  });

  it('when a member had joined by a period’s end, then the period’s report lists it and counts it in its province and the alliance', async () => {
    const doc = (await report('2025')) as {
      universities: Array<{ code: string }>;
      summary: { rows: Array<{ level: string; code: string | null; cells: Record<string, { value: number; records: number }> }> };
    };
    expect(doc.universities.map((u) => u.code)).toContain(NEW_MEMBER.code);
    const rows = doc.summary.rows;
    const own = rows.find((r) => r.level === 'university' && r.code === NEW_MEMBER.code)!;
    const shanghai = rows.find((r) => r.level === 'region' && r.code === 'SH')!;
    const alliance = rows.find((r) => r.level === 'alliance')!;
    for (const [measure, cell] of Object.entries(alliance.cells)) {
      const members = rows.filter((r) => r.level === 'university');
      if (!members.every((r) => r.cells[measure]!.value !== null)) continue;
      // Flows add up over the members, the new one included.
      if (!measure.startsWith('tech_transfer.') || measure.endsWith('average_value') || measure.endsWith('_rate')) continue;
      expect(cell.records, measure).toBe(members.reduce((sum, r) => sum + r.cells[measure]!.records, 0));
    }
    expect(own.cells['tech_transfer.contracts']!.records).toBeGreaterThan(0);
    expect(shanghai.cells['tech_transfer.contracts']!.records).toBeGreaterThanOrEqual(
      own.cells['tech_transfer.contracts']!.records,
    );
  });

  it('when a member’s credits were recognised at a university that joined later, then the past period’s matrix still adds up', async () => {
    // The new member's credits are hosted by USST; here USST's are hosted by the new member, in 2024.
    await database.db
      .insertInto('credit')
      .values({
        university_code: 'USST',
        ref: 'CR-AT-NEW',
        host_university_code: NEW_MEMBER.code,
        course: 'Thermodynamics',
        term: '2023-2024-2',
        recognized_on: '2024-05-01',
        students: 7,
        credits: 21,
      })
      .execute();
    const doc = (await report('2024')) as {
      credits: {
        universities: string[];
        matrices: Array<{
          cells: Array<Array<{ value: number }>>;
          rowTotals: Array<{ value: number }>;
          columnTotals: Array<{ value: number }>;
          total: { value: number };
        }>;
      };
    };
    expect(doc.credits.universities).not.toContain(NEW_MEMBER.code);
    for (const matrix of doc.credits.matrices) {
      const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
      for (const [i, row] of matrix.cells.entries()) expect(sum(row.map((c) => c.value))).toBe(matrix.rowTotals[i]!.value);
      for (const j of doc.credits.universities.keys())
        expect(sum(matrix.cells.map((row) => row[j]!.value))).toBe(matrix.columnTotals[j]!.value);
      expect(sum(matrix.rowTotals.map((c) => c.value))).toBe(matrix.total.value);
    }
    await database.db.deleteFrom('credit').where('ref', '=', 'CR-AT-NEW').execute();
  });

  it('when a period ended before any university joined, then there is no report of it: a 400 naming the first day', async () => {
    await expect(buildReport(database.db, parsePeriod('2019-Q2')!, NOW)).rejects.toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ path: 'query.period', code: 'must_end_after_first_member' })],
    });
    // The quarter the agreement was signed in has its members.
    const doc = (await buildReport(database.db, parsePeriod('2019-Q4')!, NOW)) as unknown as { universities: unknown[] };
    expect(doc.universities).toHaveLength(UNIVERSITIES.length);
  });

  it('when the figures are filtered to exactly the members of the year, then the target is the alliance’s own', async () => {
    const request = (university?: string[]) => ({
      measures: [...TARGETED_MEASURES],
      filters: { from: '2024-01-01', to: '2024-12-31', ...(university ? { university } : {}) },
      output: { file: null, bom: true, lang: 'en', formatted: false } as const,
    });
    const whole = await summary(database.db, request());
    const members = await summary(database.db, request([...UNIVERSITIES]));
    const one = await summary(database.db, request(['USST']));
    for (const [i, measure] of TARGETED_MEASURES.entries()) {
      const target = (s: typeof whole) => s.measures.find((m) => m.measure === measure)!.target;
      expect(target(whole), measure).toBe(5000 + i);
      expect(target(members), measure).toBe(5000 + i);
      expect(target(one), measure).toBe(100 + i);
    }
  });
});
