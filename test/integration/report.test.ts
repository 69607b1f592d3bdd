import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactKind } from '../../server/db/schema.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { REPORT_FORMAT_1, ReportDocumentSchema } from '../../contract/report.js';
import { LiveReportSchema, SubmissionWithRevisionsSchema } from '../../contract/schemas/report.js';
import { REPORT_MEASURES, TARGETED_MEASURES } from '../../server/kpi/registry.js';
import { parsePeriod } from '../../server/report/report-period.js';
import { buildReport } from '../../server/report/report.service.js';
import { parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, type RawFacts, type RawRow, REGION_OF, randomFacts, UNIVERSITIES } from '../helpers/facts.js';
import { heldOn, ORACLE_MEASURES, ORACLE_RATIOS, oracleAggregate } from '../helpers/kpi-oracle.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/**
 * The report's arithmetic, checked without the query compiler: every figure against sums over
 * the raw rows (test/helpers/kpi-oracle.ts, written from DESIGN.md), the subtotals and totals
 * against the rows above them, attainment against value ÷ target, and every figure against what
 * /aggregate, /summary and /collaboration answer for the same period.
 */

interface Figure {
  value: number;
  records: number;
}
interface Doc {
  period: { key: string; from: string; to: string };
  previousPeriod: { key: string; from: string; to: string };
  yearAgoPeriod: { key: string; from: string; to: string };
  yearToDate: { from: string; to: string };
  targetYear: number;
  attainmentBasis: string;
  complete: boolean;
  data: { synthetic: boolean; asOf: string | null; version: number };
  summary: {
    measures: string[];
    rows: Array<{ level: string; code: string | null; region: string | null; status?: string; cells: Record<string, Figure> }>;
  };
  comparisons: Array<
    Record<string, unknown> & {
      measure: string;
      value: number;
      target: number | null;
      yearToDate: number;
      attainment: number | null;
      previous: number;
      yearAgo: number;
    }
  >;
  attainmentByUniversity: {
    measures: string[];
    rows: Array<{
      level: string;
      code: string | null;
      cells: Record<string, { target: number | null; yearToDate: number; attainment: number | null }>;
    }>;
  };
  techTransfer: { byMode: Breakdown; byValueBand: Breakdown };
  incubation: { byField: Breakdown };
  talent: { byLevel: Breakdown };
  credits: {
    universities: string[];
    matrices: Array<{ measure: string; cells: Figure[][]; rowTotals: Figure[]; columnTotals: Figure[]; total: Figure }>;
  };
  national?: {
    lines: Array<{ id: string; measure: string; mode: string | null }>;
    columns: Array<{ level: string; code: string | null }>;
    rows: Array<{ line: string; cells: Array<{ value: number | null; records: number }> }>;
    above: { threshold: number; universities: string[] };
  };
}
interface Breakdown {
  measures: string[];
  rows: Array<{ level: string; code: string | null; figures: Record<string, Figure> }>;
}

const PERIODS = {
  '2024': { from: '2024-01-01', to: '2024-12-31', previous: ['2023', '2023-01-01', '2023-12-31'], ytdFrom: '2024-01-01' },
  '2024-H1': { from: '2024-01-01', to: '2024-06-30', previous: ['2023-H2', '2023-07-01', '2023-12-31'], ytdFrom: '2024-01-01' },
  '2024-Q3': { from: '2024-07-01', to: '2024-09-30', previous: ['2024-Q2', '2024-04-01', '2024-06-30'], ytdFrom: '2024-01-01' },
  '2024-Q1': { from: '2024-01-01', to: '2024-03-31', previous: ['2023-Q4', '2023-10-01', '2023-12-31'], ytdFrom: '2024-01-01' },
} as const;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The number of records behind a measure's figure, counted over the raw rows. */
function recordsOf(
  facts: RawFacts,
  measure: string,
  from: string,
  to: string,
  keep: (row: RawRow) => boolean = () => true,
): number {
  // A ratio's records are its denominator's.
  const m = ORACLE_MEASURES[ORACLE_RATIOS[measure]?.denominator ?? measure]!;
  return facts[m.kind as FactKind].filter((row) => {
    if (!keep(row)) return false;
    if (m.stock) return heldOn(facts, m, row, to);
    const date = row[m.date] as string | null;
    return date !== null && date >= from && date <= to;
  }).length;
}

describe(`the commission report's figures (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let client: Client;
  let facts: RawFacts;
  const targets = new Map<string, number>();
  const reports = new Map<string, Doc>();

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    facts = randomFacts(20250107, 220);
    await insertFacts(database.db, facts);
    // Targets for 2024: per university for every flow, alliance-wide for most (one left out).
    const rows: Array<{ measure: string; year: number; university_code: string | null; value: number }> = [];
    let n = 1;
    for (const measure of TARGETED_MEASURES) {
      for (const u of UNIVERSITIES) {
        const value = 37 * n++;
        targets.set(`${measure}|${u}`, value);
        rows.push({ measure, year: 2024, university_code: u, value });
      }
      if (measure !== 'credits.students') {
        const value = 1000 + 11 * n++;
        targets.set(`${measure}|alliance`, value);
        rows.push({ measure, year: 2024, university_code: null, value });
      }
    }
    await database.db.insertInto('target').values(rows).execute();
    server = await startTestServer(database);
    client = await Client.signIn(server, IDENTITIES.commission.email);
    for (const key of Object.keys(PERIODS)) {
      const response = await client.get(`/report?period=${key}&lang=zh`);
      expect(response.status).toBe(200);
      reports.set(key, ((await response.json()) as { report: Doc }).report);
    }
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  // The report's measures: all but cash received to date on a signing cohort (see REPORT_MEASURES).
  const measures = [...REPORT_MEASURES];

  it.each(Object.keys(PERIODS))('when the report of %s is made, then each row of Table 1 is the sum over its raw rows', (key) => {
    const doc = reports.get(key)!;
    const { from, to } = PERIODS[key as keyof typeof PERIODS];
    expect(doc.period).toMatchObject({ key, from, to });
    const scopes: Array<[string | null, (row: RawRow) => boolean, Record<string, string>]> = [
      ...UNIVERSITIES.map((u): [string, (row: RawRow) => boolean, Record<string, string>] => [
        u,
        (r) => r.university_code === u,
        { university: u },
      ]),
      ...['SH', 'JS', 'ZJ', 'AH'].map((region): [string, (row: RawRow) => boolean, Record<string, string>] => [
        region,
        (r) => REGION_OF[String(r.university_code)] === region,
        { region },
      ]),
      [null, () => true, {}],
    ];
    for (const [code, keep, filter] of scopes) {
      const row = doc.summary.rows.find((r) => r.code === code)!;
      expect(row, `row ${code}`).toBeDefined();
      const [expected] = oracleAggregate(facts, { measures, by: [], filters: { from, to, ...filter } });
      for (const m of measures) {
        if (expected![m] === null) expect(row.cells[m]!.value, `${code ?? 'alliance'} ${m}`).toBeNull();
        else expect(row.cells[m]!.value, `${code ?? 'alliance'} ${m}`).toBeCloseTo(Number(expected![m]), 2);
        expect(row.cells[m]!.records, `${code ?? 'alliance'} ${m} records`).toBe(recordsOf(facts, m, from, to, keep));
      }
    }
  });

  it.each(Object.keys(PERIODS))(
    'when the report of %s is made, then its national block equals the raw rows for every member and the alliance',
    (key) => {
      const doc = reports.get(key)!;
      const { from, to } = PERIODS[key as keyof typeof PERIODS];
      const block = doc.national!;
      expect(block.columns.map((c) => c.code)).toEqual([...UNIVERSITIES, null]);
      // The lines the national report prints, in its order.
      expect(block.rows.map((r) => r.line)).toEqual([
        ...['transfer', 'license', 'equity'].flatMap((m) => [`${m}.contracts`, `${m}.value`, `${m}.average`]),
        ...['development', 'consulting', 'service'].flatMap((m) => [`${m}.contracts`, `${m}.value`]),
        'total.contracts',
        'total.value',
        'total.average',
        'received',
        'reward_cash',
        'reward_equity',
        'rewarded_people',
        'companies',
        'transfer_offices',
        'staff',
        'tech_managers',
        'co_built',
      ]);
      for (const row of block.rows) {
        const line = block.lines.find((l) => l.id === row.line)!;
        block.columns.forEach((column, i) => {
          const filters = {
            from,
            to,
            ...(column.code === null ? {} : { university: column.code }),
            ...(line.mode === null ? {} : { mode: line.mode }),
          };
          const [expected] = oracleAggregate(facts, { measures: [line.measure], by: [], filters });
          expect(row.cells[i]!.value, `${row.line} ${column.code ?? 'alliance'}`).toBe(expected![line.measure]);
        });
      }
      // Members whose six-mode contract value in the period reached 1亿元, from the raw rows.
      const value = (u: string) =>
        facts.tech_transfer
          .filter((c) => c.university_code === u && String(c.signed_on) >= from && String(c.signed_on) <= to)
          .reduce((sum, c) => sum + Math.round(Number(c.contract_value_cny) * 100), 0);
      expect(block.above).toEqual({
        threshold: 100_000_000,
        universities: UNIVERSITIES.filter((u) => value(u) >= 100_000_000 * 100),
      });
    },
  );

  it.each(Object.keys(PERIODS))(
    'when the report of %s is read, then every province subtotal and the alliance total add up the rows above them',
    (key) => {
      const doc = reports.get(key)!;
      const rows = doc.summary.rows;
      // Order: each province's members, then its subtotal; the alliance last.
      expect(rows.map((r) => r.code)).toEqual(['USST', 'SH', 'NJTECH', 'UJS', 'JS', 'ZJUT', 'ZJ', 'AHUT', 'AH', null]);
      for (const subtotal of rows.filter((r) => r.level === 'region')) {
        const members = rows.filter((r) => r.level === 'university' && r.region === subtotal.code);
        for (const m of measures) {
          // A ratio does not add up (Table 1 checks it against the raw rows); its records do.
          if (!ORACLE_RATIOS[m])
            expect(subtotal.cells[m]!.value).toBeCloseTo(round2(members.reduce((s, r) => s + r.cells[m]!.value!, 0)), 2);
          expect(subtotal.cells[m]!.records).toBe(members.reduce((s, r) => s + r.cells[m]!.records, 0));
        }
      }
      const total = rows.at(-1)!;
      const subtotals = rows.filter((r) => r.level === 'region');
      for (const m of measures) {
        if (!ORACLE_RATIOS[m])
          expect(total.cells[m]!.value).toBeCloseTo(round2(subtotals.reduce((s, r) => s + r.cells[m]!.value!, 0)), 2);
        expect(total.cells[m]!.records).toBe(subtotals.reduce((s, r) => s + r.cells[m]!.records, 0));
      }
    },
  );

  it.each(Object.keys(PERIODS))(
    'when the report of %s compares, then previous and year-ago periods are the named ones and attainment is year to date ÷ target',
    (key) => {
      const doc = reports.get(key)!;
      const spec = PERIODS[key as keyof typeof PERIODS];
      expect(doc.previousPeriod).toMatchObject({ key: spec.previous[0], from: spec.previous[1], to: spec.previous[2] });
      expect(doc.yearAgoPeriod).toMatchObject({ from: `2023${spec.from.slice(4)}`, to: `2023${spec.to.slice(4)}` });
      expect(doc.yearToDate).toEqual({ from: spec.ytdFrom, to: spec.to });
      expect(doc.attainmentBasis).toBe(key === '2024' ? 'value' : 'year_to_date');
      const [ytd] = oracleAggregate(facts, { measures, by: [], filters: { from: spec.ytdFrom, to: spec.to } });
      const [previous] = oracleAggregate(facts, { measures, by: [], filters: { from: spec.previous[1], to: spec.previous[2] } });
      const [yearAgo] = oracleAggregate(facts, {
        measures,
        by: [],
        filters: { from: doc.yearAgoPeriod.from, to: doc.yearAgoPeriod.to },
      });
      for (const c of doc.comparisons) {
        expect(c.previous, `${c.measure} previous`).toBeCloseTo(Number(previous![c.measure]), 2);
        expect(c.yearAgo, `${c.measure} a year before`).toBeCloseTo(Number(yearAgo![c.measure]), 2);
        if (c.measure === 'incubation.portfolio') {
          // The stock: held on the last day, no target, never summed over the year.
          expect(c.target).toBeNull();
          expect(c.attainment).toBeNull();
          continue;
        }
        if (!TARGETED_MEASURES.includes(c.measure as MeasureId)) {
          // A measure that takes no target (rewards): none, and no attainment.
          expect(c.target, `${c.measure} target`).toBeNull();
          expect(c.attainment).toBeNull();
          continue;
        }
        expect(c.yearToDate, `${c.measure} year to date`).toBeCloseTo(Number(ytd![c.measure]), 2);
        if (key === '2024') expect(c.yearToDate).toBeCloseTo(c.value, 2);
        // Alliance-wide target where there is one, else the members' sum (credits.students has none).
        const target =
          targets.get(`${c.measure}|alliance`) ?? UNIVERSITIES.reduce((s, u) => s + targets.get(`${c.measure}|${u}`)!, 0);
        expect(c.target, `${c.measure} target`).toBe(target);
        expect(c.attainment, `${c.measure} attainment`).toBeCloseTo(c.yearToDate / target, 10);
      }
      for (const row of doc.attainmentByUniversity.rows.filter((r) => r.level === 'university')) {
        for (const m of doc.attainmentByUniversity.measures) {
          const cell = row.cells[m]!;
          const [mine] = oracleAggregate(facts, {
            measures: [m],
            by: [],
            filters: { from: spec.ytdFrom, to: spec.to, university: row.code! },
          });
          expect(cell.target).toBe(targets.get(`${m}|${row.code}`));
          expect(cell.yearToDate).toBeCloseTo(Number(mine![m]), 2);
          expect(cell.attainment).toBeCloseTo(cell.yearToDate / cell.target!, 10);
        }
      }
    },
  );

  it.each(Object.keys(PERIODS))(
    'when the report of %s is made, then each figure equals the /aggregate, /summary and /collaboration answer for the period',
    async (key) => {
      const doc = reports.get(key)!;
      const { from, to } = doc.period;
      const get = async <T>(path: string): Promise<T> => {
        const response = await client.get(path);
        expect(response.status, path).toBe(200);
        return (await response.json()) as T;
      };
      type Rows = { rows: Array<Record<string, string | number | null>> };
      const all = measures.join(',');
      const base = `from=${from}&to=${to}&withRecords=true`;
      const byUniversity = await get<Rows>(`/aggregate?measures=${all}&by=university&${base}`);
      const byRegion = await get<Rows>(`/aggregate?measures=${all}&by=region&${base}`);
      const [total] = (await get<Rows>(`/aggregate?measures=${all}&${base}`)).rows;
      for (const row of doc.summary.rows) {
        const answer =
          row.level === 'university'
            ? byUniversity.rows.find((r) => r.university === row.code)
            : row.level === 'region'
              ? byRegion.rows.find((r) => r.region === row.code)
              : total;
        for (const m of measures) {
          expect(row.cells[m]!.value, `${row.code} ${m}`).toBeCloseTo(Number(answer?.[m] ?? 0), 2);
          expect(row.cells[m]!.records).toBe(Number(answer?.[`${m}:records`] ?? 0));
        }
      }
      const summary = await get<{
        measures: Array<{ measure: string; value: number; previous: number; yearAgo: number; progress: number | null }>;
      }>(`/summary?from=${from}&to=${to}`);
      for (const c of doc.comparisons) {
        const s = summary.measures.find((m) => m.measure === c.measure)!;
        expect([c.value, c.previous, c.yearAgo, c.attainment]).toEqual([s.value, s.previous, s.yearAgo, s.progress]);
      }
      const tech = 'tech_transfer.contracts,tech_transfer.contract_value,tech_transfer.received';
      const byMode = await get<Rows>(`/aggregate?measures=${tech}&by=mode&${base}`);
      const byGroup = await get<Rows>(`/aggregate?measures=${tech}&by=mode_group&${base}`);
      const byBand = await get<Rows>(`/aggregate?measures=${tech}&by=value_band&${base}`);
      for (const row of doc.techTransfer.byMode.rows) {
        const answer =
          row.level === 'item'
            ? byMode.rows.find((r) => r.mode === row.code)
            : row.level === 'subtotal'
              ? byGroup.rows.find((r) => r.mode_group === row.code)
              : total;
        for (const m of doc.techTransfer.byMode.measures) expect(row.figures[m]!.value).toBeCloseTo(Number(answer?.[m] ?? 0), 2);
      }
      // The split adds up: three modes to each group, two groups to the total.
      const modeRows = doc.techTransfer.byMode.rows;
      for (const m of doc.techTransfer.byMode.measures) {
        expect(modeRows[3]!.figures[m]!.value).toBeCloseTo(
          round2(modeRows.slice(0, 3).reduce((s, r) => s + r.figures[m]!.value, 0)),
          2,
        );
        expect(modeRows[7]!.figures[m]!.value).toBeCloseTo(
          round2(modeRows.slice(4, 7).reduce((s, r) => s + r.figures[m]!.value, 0)),
          2,
        );
        expect(modeRows[8]!.figures[m]!.value).toBeCloseTo(
          round2(modeRows[3]!.figures[m]!.value + modeRows[7]!.figures[m]!.value),
          2,
        );
        const bands = doc.techTransfer.byValueBand.rows;
        expect(bands.at(-1)!.figures[m]!.value).toBeCloseTo(
          round2(bands.slice(0, -1).reduce((s, r) => s + r.figures[m]!.value, 0)),
          2,
        );
        for (const band of bands.slice(0, -1))
          expect(band.figures[m]!.value).toBeCloseTo(Number(byBand.rows.find((r) => r.value_band === band.code)?.[m] ?? 0), 2);
      }
      const levels = doc.talent.byLevel.rows;
      const [talent] = oracleAggregate(facts, { measures: ['talent.trainees'], by: [], filters: { from, to } });
      expect(levels.find((r) => r.level === 'total')!.figures['talent.trainees']!.value).toBe(Number(talent!['talent.trainees']));
      const managers = oracleAggregate(facts, {
        measures: ['talent.trainees'],
        by: [],
        filters: { from, to, level: 'tech_manager' },
      })[0]!;
      expect(levels.find((r) => r.code === 'tech_manager')!.figures['talent.trainees']!.value).toBe(
        Number(managers['talent.trainees']),
      );
      expect(levels.find((r) => r.level === 'subtotal')!.figures['talent.trainees']!.value).toBe(
        Number(talent!['talent.trainees']) - Number(managers['talent.trainees']),
      );
      for (const matrix of doc.credits.matrices) {
        const collaboration = await get<{ universities: string[]; matrix: number[][]; totals: number[] }>(
          `/collaboration?measure=${matrix.measure}&from=${from}&to=${to}`,
        );
        expect(collaboration.universities).toEqual(doc.credits.universities);
        expect(matrix.cells.map((r) => r.map((c) => c.value))).toEqual(collaboration.matrix);
        expect(matrix.rowTotals.map((c) => c.value)).toEqual(collaboration.totals);
        for (const [j] of doc.credits.universities.entries())
          expect(matrix.columnTotals[j]!.value).toBeCloseTo(round2(matrix.cells.reduce((s, r) => s + r[j]!.value, 0)), 2);
        expect(matrix.total.value).toBeCloseTo(round2(matrix.rowTotals.reduce((s, c) => s + c.value, 0)), 2);
      }
    },
  );

  it.each([
    // [period, today, the period to date, the same part of the period before, of the year before]
    ['2024-Q2', '2024-05-15', ['2024-04-01', '2024-05-15'], ['2024-01-01', '2024-02-15'], ['2023-04-01', '2023-05-15']],
    // 31 May: the previous quarter's part ends on the last day of February (a leap year's 29th).
    ['2024-Q2', '2024-05-31', ['2024-04-01', '2024-05-31'], ['2024-01-01', '2024-02-29'], ['2023-04-01', '2023-05-31']],
    ['2024', '2024-05-15', ['2024-01-01', '2024-05-15'], ['2023-01-01', '2023-05-15'], ['2023-01-01', '2023-05-15']],
    ['2024-H2', '2024-12-31', ['2024-07-01', '2024-12-31'], ['2024-01-01', '2024-06-30'], ['2023-07-01', '2023-12-31']],
  ] as const)(
    'when the report of %s is made on %s, then its figures are to that day and compared with the same part of the others',
    async (key, today, current, previous, yearAgo) => {
      const doc = (await buildReport(database.db, parsePeriod(key)!, today)) as unknown as Doc;
      // Not complete until the period's last day is over.
      expect(doc.complete).toBe(false);
      expect([doc.previousPeriod.from, doc.previousPeriod.to]).toEqual(previous);
      expect([doc.yearAgoPeriod.from, doc.yearAgoPeriod.to]).toEqual(yearAgo);
      const at = (span: readonly [string, string]) =>
        oracleAggregate(facts, { measures, by: [], filters: { from: span[0], to: span[1] } })[0]!;
      const [now, before, ago] = [at(current), at(previous), at(yearAgo)];
      for (const c of doc.comparisons) {
        expect(c.value, `${c.measure} to date`).toBeCloseTo(Number(now[c.measure]), 2);
        expect(c.previous, `${c.measure} previous`).toBeCloseTo(Number(before[c.measure]), 2);
        expect(c.yearAgo, `${c.measure} a year before`).toBeCloseTo(Number(ago[c.measure]), 2);
      }
    },
  );

  it('when a report table is downloaded as CSV, then its totals are the document’s, with a BOM and Chinese headers for lang=zh', async () => {
    const doc = reports.get('2024')!;
    const response = await client.get('/report?period=2024&lang=zh&format=csv&table=summary');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    expect(decodeURIComponent(response.headers.get('content-disposition') ?? '')).toContain('report-2024-汇总表.csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^行类别,代码,名称,省市,技术合同签订数,/);
    const total = lines.at(-1)!.split(',');
    expect(total[0]).toBe('联盟合计');
    expect(Number(total[6])).toBe(doc.summary.rows.at(-1)!.cells['tech_transfer.contract_value']!.value);
    expect(lines).toHaveLength(doc.summary.rows.length + 1);
  });

  it('when the national block is downloaded as CSV, then each line holds the exact yuan of the document, a column per member', async () => {
    const doc = reports.get('2024')!;
    const csv = parseCsv(await (await client.get('/report?period=2024&lang=en&format=csv&table=national')).text());
    expect(csv.header).toEqual(['Line', 'Indicator', 'Unit', ...UNIVERSITIES.map(() => expect.any(String)), 'Alliance total']);
    const block = doc.national!;
    for (const row of block.rows) {
      const line = csv.rows.find((r) => r[0] === row.line)!;
      expect(line.slice(3).map((v) => (v === '' ? null : Number(v)))).toEqual(row.cells.map((c) => c.value));
    }
    const above = csv.rows.at(-2)!;
    expect(above[0]).toBe('above_threshold');
    expect(Number(above.at(-1))).toBe(block.above.universities.length);
    // The last line: each column's status, its member's (the summary's row over the same period), then the alliance's.
    const status = csv.rows.at(-1)!;
    expect(status[0]).toBe('status');
    expect(status.slice(3)).toEqual(
      block.columns.map(
        (c) => doc.summary.rows.find((r) => r.code === c.code && (c.code !== null || r.level === 'alliance'))!.status,
      ),
    );
  });

  it('when the period is malformed, has not begun or the CSV names no table, then the answer is a 400 that says why', async () => {
    for (const [path, at] of [
      ['/report?period=2024-H3', 'query.period'],
      ['/report?period=2101', 'query.period'],
      ['/report?period=2099-Q1', 'query.period'],
      ['/report?period=2024&format=csv', 'query.table'],
      ['/report?period=2024&table=summary', 'query.table'],
      ['/report?period=2024&format=pdf&table=summary', 'query.table'],
      ['/report?period=2024&format=xls', 'query.format'],
      // The workbook is the whole report: it takes no table.
      ['/report?period=2024&format=xlsx&table=summary', 'query.table'],
      ['/report?period=2099-Q1&format=pdf', 'query.period'],
      // Before any member had joined: as the report would say it, though a print does not make the report.
      ['/report?period=2001&format=pdf', 'query.period'],
      ['/report?period=2001', 'query.period'],
      ['/report', 'query.period'],
    ] as const) {
      const response = await client.get(path);
      expect(response.status, path).toBe(400);
      const problem = (await response.json()) as { errors: Array<{ path: string }> };
      expect(
        problem.errors.map((e) => e.path),
        path,
      ).toContain(at);
    }
    for (const format of ['', '&format=pdf'])
      expect(((await (await client.get(`/report?period=2001${format}`)).json()) as { code: string }).code).toBe(
        'period_before_members',
      );
  });

  it('when the server has no built client to print, then a PDF is a 503 that says so and how else to get the report', async () => {
    const bare = await startTestServer(database, {}, { distDir: '/nonexistent/alliance-outcomes-dist' });
    try {
      const reader = await Client.signIn(bare, IDENTITIES.commission.email);
      for (const path of ['/report?period=2024&format=pdf&lang=zh', '/report?period=2024-Q3&format=pdf']) {
        const response = await reader.get(path);
        expect(response.status, path).toBe(503);
        expect(response.headers.get('retry-after')).toBe('60');
        const problem = (await response.json()) as { code: string; detail: string };
        expect(problem.code).toBe('pdf_unavailable');
        expect(problem.detail).toMatch(/CSV/);
      }
    } finally {
      await bare.close();
    }
  });

  it('when the report is read twice without a write between, then it is the same document (same SHA-256, ETag honoured)', async () => {
    const first = await client.get('/report?period=2024-Q3');
    const etag = first.headers.get('etag')!;
    const body = (await first.json()) as { sha256: string };
    const again = (await (await client.get('/report?period=2024-Q3')).json()) as { sha256: string };
    expect(again.sha256).toBe(body.sha256);
    expect((await client.get('/report?period=2024-Q3', { 'if-none-match': etag })).status).toBe(304);
  });

  it.each(Object.keys(PERIODS))("when the report of %s is made, then the contract's schema accepts it as it is", (key) => {
    const doc = reports.get(key)!;
    // Parsing keeps every field (the schema is strict: nothing is stripped), so the document is unchanged.
    expect(ReportDocumentSchema.parse(doc)).toEqual(doc);
  });

  it("when the live answer is read, then the whole answer is the endpoint's schema", async () => {
    const answer: unknown = await (await client.get('/report?period=2024-H1&lang=en')).json();
    expect(LiveReportSchema.safeParse(answer).error).toBeUndefined();
  });

  it('when a document is malformed, then the schema refuses it and says where', () => {
    const doc = reports.get('2024')!;
    const broken = (change: (d: any) => void) => {
      const copy = structuredClone(doc) as any;
      change(copy);
      const result = ReportDocumentSchema.safeParse(copy);
      expect(result.success).toBe(false);
      return result.error!.issues.map((issue) => issue.path.join('.'));
    };
    expect(broken((d) => (d.summary.rows[0].cells['tech_transfer.contracts'].value = '12'))).toContain(
      'summary.rows.0.cells.tech_transfer.contracts.value',
    );
    expect(broken((d) => (d.summary.rows[0].cells['tech_transfer.no_such_measure'] = { value: 1, records: 1 }))).toContain(
      'summary.rows.0.cells',
    );
    expect(broken((d) => (d.techTransfer.byMode.rows[0].level = 'grand_total'))).toContain('techTransfer.byMode.rows.0.level');
    expect(broken((d) => (d.credits.matrices[0].total.records = -1))).toContain('credits.matrices.0.total.records');
    expect(broken((d) => (d.period.from = '2024/01/01'))).toContain('period.from');
    expect(broken((d) => (d.comparisons[0].surplus = 1))).toContain('comparisons.0');
    expect(broken((d) => delete d.talent)).toContain('talent');
    expect(broken((d) => (d.format = 'alliance-outcomes.report/3'))).toContain('format');
    // Format 2 has the national block; format 1, made before it, has none.
    expect(broken((d) => delete d.national)).toEqual(['national']);
    expect(broken((d) => (d.format = REPORT_FORMAT_1))).toEqual(['national']);
    const formatOne = structuredClone(doc);
    delete formatOne.national;
    expect(ReportDocumentSchema.safeParse({ ...formatOne, format: REPORT_FORMAT_1 }).error).toBeUndefined();
  });

  it("when a report is submitted, then the submission as read back is the endpoint's schema", async () => {
    const admin = await Client.signIn(server, IDENTITIES.admin.email);
    const submitted = await admin.post('/report/submissions', { period: '2024-Q1', lang: 'en' });
    expect(submitted.status).toBe(201);
    const { submission } = (await submitted.json()) as { submission: { id: number } };
    const answer: unknown = await (await admin.get(`/report/submissions/${submission.id}`)).json();
    expect(SubmissionWithRevisionsSchema.safeParse(answer).error).toBeUndefined();
  });

  it('when the API document is read, then the report endpoints describe the document field by field', async () => {
    const document = (await (await client.get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: { '200': { content: { 'application/json': { schema: any } } } } }>>;
    };
    const answerOf = (path: string) => document.paths[path]!.get!.responses['200'].content['application/json'].schema;
    for (const report of [
      answerOf('/api/v1/report').properties.report,
      answerOf('/api/v1/report/submissions/{id}').properties.report,
      answerOf('/api/v1/report/submissions/{id}/document'),
    ]) {
      expect(report.additionalProperties).toBe(false);
      expect(report.properties.format.enum).toEqual(['alliance-outcomes.report/2', REPORT_FORMAT_1]);
      expect(Object.keys(report.properties)).toEqual(expect.arrayContaining(['summary', 'comparisons', 'credits', 'national']));
      expect(report.required).not.toContain('national');
    }
  });
});
