import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRollupsEnabled } from '../../server/kpi/compile.js';
import { MEASURE_IDS, type MeasureId } from '../../contract/measure-ids.js';
import { DIMENSION_VALUES, MEASURES } from '../../server/kpi/registry.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, type RawFacts, randomFacts, UNIVERSITIES } from '../helpers/facts.js';
import {
  exactQuotient,
  heldOn,
  ORACLE_MEASURES,
  ORACLE_RATIOS,
  type OracleQuery,
  oracleAggregate,
} from '../helpers/kpi-oracle.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { figuresOf } from '../helpers/figures.js';

const DATES = [
  '2022-01-01',
  '2022-06-15',
  '2023-03-31',
  '2023-04-01',
  '2023-12-31',
  '2024-01-01',
  '2024-02-29',
  '2024-06-30',
  '2024-07-01',
  '2024-12-31',
  '2025-01-01',
  '2025-08-31',
];
const REGIONS = ['SH', 'JS', 'ZJ', 'AH', 'OTHER'];
const FIELDS = ['ADV_MFG', 'NEW_MAT', 'IT_AI', 'BIOMED', 'ENERGY_ENV', 'OPTO'];
const VALUES: Record<string, readonly string[]> = {
  university: UNIVERSITIES,
  region: REGIONS.slice(0, 4),
  partner_university: UNIVERSITIES,
  partner_region: REGIONS,
  field: FIELDS,
  ...DIMENSION_VALUES,
};
const FILTERABLE = [
  'university',
  'region',
  'partner_university',
  'mode',
  'mode_group',
  'value_band',
  'partner_region',
  'field',
  'stage',
  'level',
];

/** A random query that the API must accept: every measure has every dimension used. */
const queryArbitrary: fc.Arbitrary<OracleQuery> = fc
  .shuffledSubarray([...MEASURE_IDS], { minLength: 1, maxLength: 4 })
  .chain((measures) => {
    const common = MEASURES[measures[0]!].dimensions.filter((d) =>
      measures.every((m) => MEASURES[m as MeasureId].dimensions.includes(d)),
    );
    const filterable = common.filter((d) => FILTERABLE.includes(d));
    return fc.record({
      measures: fc.constant(measures as string[]),
      by: fc.shuffledSubarray([...common], { maxLength: Math.min(3, common.length) }),
      dates: fc.tuple(fc.option(fc.constantFrom(...DATES)), fc.option(fc.constantFrom(...DATES))),
      filters: fc
        .subarray(filterable, { maxLength: Math.min(2, filterable.length) })
        .chain((dims) =>
          fc.tuple(
            ...dims.map((d) =>
              fc
                .subarray([...VALUES[d]!], { minLength: 1, maxLength: Math.min(3, VALUES[d]!.length) })
                .map((v) => [d, v] as const),
            ),
          ),
        ),
    });
  })
  .map(({ measures, by, dates, filters }) => {
    const [a, b] = dates;
    const [from, to] = a && b && a > b ? [b, a] : [a, b];
    return {
      measures,
      by: [...by],
      filters: { ...(from ? { from } : {}), ...(to ? { to } : {}), ...Object.fromEntries(filters.map(([d, v]) => [d, [...v]])) },
    };
  });

function toUrl(path: string, query: OracleQuery): string {
  const params = new URLSearchParams({ measures: query.measures.join(',') });
  if (query.by.length > 0) params.set('by', query.by.join(','));
  for (const [key, value] of Object.entries(query.filters))
    if (value !== undefined) params.set(key, Array.isArray(value) ? value.join(',') : value);
  return `${path}?${params}`;
}

// Both ways of answering: from the rollups (whole months) with the facts for partial months, and
// from the facts alone. Each must equal the independent computation.
describe.each(['rollups', 'facts'] as const)(
  `the aggregation API against an independent computation, read from %s (${TEST_DB})`,
  (source) => {
    let database: TestDatabase;
    let server: TestServer;
    let client: Client;
    let facts: RawFacts;
    beforeAll(async () => {
      setRollupsEnabled(source === 'rollups');
      database = await createTestDatabase();
      facts = randomFacts(20241231, 160);
      await insertFacts(database.db, facts);
      await addStandardUsers(database.db);
      server = await startTestServer(database);
      client = await Client.signIn(server, IDENTITIES.leadership.email);
    });
    afterAll(async () => {
      setRollupsEnabled(true);
      await server.close();
      await database.close();
    });

    const aggregate = async (query: OracleQuery) => {
      const response = await client.get(toUrl('/aggregate', query));
      if (response.status !== 200)
        throw new Error(`${response.status} for ${toUrl('/aggregate', query)}: ${await response.text()}`);
      // The figures; each row's status is checked against its own oracle in figure-status.test.ts.
      return figuresOf((await response.json()).rows as Array<Record<string, number | string | null>>);
    };

    it('when 200 random queries are asked, then /aggregate equals the computation over the raw rows, and every grouping sums to the total', async () => {
      await fc.assert(
        fc.asyncProperty(queryArbitrary, async (query) => {
          const rows = await aggregate(query);
          expect(rows).toEqual(oracleAggregate(facts, query));
          // Flows sum over any grouping to the ungrouped total; a stock only over groupings without time.
          // A ratio is never summed: its numerator and denominator are, and the total is their quotient.
          const ratios = query.measures.filter((m) => ORACLE_RATIOS[m]);
          const summable = query.measures.filter(
            (m) =>
              !ORACLE_RATIOS[m] &&
              (MEASURES[m as MeasureId].temporality === 'flow' ||
                !query.by.some((d) => ['year', 'quarter', 'month'].includes(d))),
          );
          if (query.by.length > 0 && summable.length + ratios.length > 0) {
            const [total] = await aggregate({ ...query, measures: [...summable, ...ratios], by: [] });
            const sumOf = (column: string) => rows.reduce((acc, row) => acc + Math.round(Number(row[column]) * 100), 0);
            for (const measure of summable) expect(sumOf(measure)).toBe(Math.round(Number(total![measure]) * 100));
            for (const measure of ratios) {
              const numerator = sumOf(`${measure}:numerator`);
              const denominator = sumOf(`${measure}:denominator`);
              expect(Math.round(Number(total![`${measure}:numerator`]) * 100)).toBe(numerator);
              expect(Math.round(Number(total![`${measure}:denominator`]) * 100)).toBe(denominator);
              expect(total![measure]).toBe(
                denominator === 0 ? null : exactQuotient(numerator, denominator, ORACLE_RATIOS[measure]!.decimals),
              );
            }
          }
        }),
        { numRuns: 200, seed: 4242, endOnFailure: true },
      );
    });

    it('when /summary is asked for random periods and universities, then its figures agree with /aggregate and the matched panel is those with records in both years', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...DATES.slice(0, -1)),
          fc.integer({ min: 1, max: 400 }),
          fc.subarray([...UNIVERSITIES], { maxLength: 3 }),
          async (from, days, universities) => {
            const to = new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
            const filter = universities.length > 0 ? `&university=${universities.join(',')}` : '';
            const summary = await (await client.get(`/summary?from=${from}&to=${to}${filter}`)).json();
            const filters = { from, to, ...(universities.length > 0 ? { university: universities } : {}) };
            const measures = [...MEASURE_IDS];
            const [current] = oracleAggregate(facts, { measures, by: [], filters });
            const [previous] = oracleAggregate(facts, { measures, by: [], filters: { ...filters, ...summary.previousPeriod } });
            const perUniversityNow = oracleAggregate(facts, { measures, by: ['university'], filters });
            const perUniversityAgo = oracleAggregate(facts, {
              measures,
              by: ['university'],
              filters: { ...filters, ...summary.yearAgoPeriod },
            });
            for (const entry of summary.measures) {
              expect(entry.value).toBe(current![entry.measure]);
              expect(entry.previous).toBe(previous![entry.measure]);
              const panelNow = perUniversityNow.filter((r) =>
                hasRecordsIn(facts, entry.measure, String(r.university), filters.from, filters.to),
              );
              const panel = panelNow
                .map((r) => String(r.university))
                .filter((u) => hasRecordsIn(facts, entry.measure, u, summary.yearAgoPeriod.from, summary.yearAgoPeriod.to));
              expect([...entry.panel.universities].sort()).toEqual([...panel].sort());
              const ratio = ORACLE_RATIOS[entry.measure];
              if (ratio) {
                // Over the matched panel, the quotient of the panel's sums (never the members' ratios summed).
                const panel = (rows: typeof perUniversityNow) => {
                  const inPanel = rows.filter((r) => entry.panel.universities.includes(String(r.university)));
                  const sum = (column: string) => inPanel.reduce((s, r) => s + Math.round(Number(r[column]) * 100), 0);
                  const den = sum(`${entry.measure}:denominator`);
                  return den === 0 ? null : exactQuotient(sum(`${entry.measure}:numerator`), den, ratio.decimals);
                };
                expect(entry.panel.value).toBe(panel(perUniversityNow));
                expect(entry.panel.yearAgo).toBe(panel(perUniversityAgo));
                expect(entry.denominator).toBe(current![`${entry.measure}:denominator`]);
                continue;
              }
              const panelValue = perUniversityNow
                .filter((r) => panel.includes(String(r.university)))
                .reduce((s, r) => s + Math.round(Number(r[entry.measure]) * 100), 0);
              const panelAgo = perUniversityAgo
                .filter((r) => panel.includes(String(r.university)))
                .reduce((s, r) => s + Math.round(Number(r[entry.measure]) * 100), 0);
              expect(Math.round(entry.panel.value * 100)).toBe(panelValue);
              expect(Math.round(entry.panel.yearAgo * 100)).toBe(panelAgo);
            }
          },
        ),
        { numRuns: 25, seed: 7 },
      );
    });

    it('when /collaboration is asked, then each cell and each total agree with /aggregate by university and partner', async () => {
      for (const measure of ['credits.credits', 'talent.trainees', 'tech_transfer.contracts', 'incubation.entered'] as const) {
        const matrix = await (await client.get(`/collaboration?measure=${measure}&from=2023-01-01`)).json();
        const rows = oracleAggregate(facts, {
          measures: [measure],
          by: ['university', 'partner_university'],
          filters: { from: '2023-01-01' },
        });
        matrix.universities.forEach((u: string, i: number) => {
          matrix.partners.forEach((p: string, j: number) => {
            const row = rows.find((r) => r.university === u && r.partner_university === p);
            expect(matrix.matrix[i][j]).toBe(row ? row[measure] : 0);
          });
          const none = rows.find((r) => r.university === u && r.partner_university === null);
          expect(matrix.withoutPartner[i]).toBe(none ? none[measure] : 0);
          const [total] = oracleAggregate(facts, {
            measures: [measure],
            by: [],
            filters: { from: '2023-01-01', university: [u] },
          });
          expect(matrix.totals[i]).toBe(total![measure]);
        });
      }
    });
  },
);

/** Whether a university has any record behind a measure in a period (its own date column). */
function hasRecordsIn(facts: RawFacts, measure: string, university: string, from: string, to: string): boolean {
  // A ratio's records are its denominator's.
  const def = MEASURES[(ORACLE_RATIOS[measure]?.denominator ?? measure) as MeasureId];
  return facts[def.kind].some((row) => {
    if (row.university_code !== university) return false;
    if (def.temporality === 'stock') return heldOn(facts, ORACLE_MEASURES[def.id]!, row, to);
    const date = row[def.dateColumn] as string | null;
    return date !== null && date >= from && date <= to;
  });
}
