import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRollupsEnabled } from '../../server/kpi/compile.js';
import { csvOf, parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import type { RawRow } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { figuresOf } from '../helpers/figures.js';

/**
 * Ratios (average contract value, collection rate): the sum of the numerator over a group divided
 * by the sum of the denominator over it, never an average of averages, and never summed.
 */

const contract = (university: string, ref: string, mode: string, value: number): RawRow => ({
  university_code: university,
  ref,
  mode,
  partner_name: `Partner of ${ref}`,
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on: '2024-03-15',
  contract_value_cny: value,
  patents: 0,
});

// USST: two licences (100 and 200.01) and one service of 0; UJS: one licence of 1,000,000.
const CONTRACTS = [
  contract('USST', 'L-1', 'license', 100),
  contract('USST', 'L-2', 'license', 200.01),
  contract('USST', 'S-0', 'service', 0),
  contract('UJS', 'L-3', 'license', 1_000_000),
];
const PAYMENTS = [
  { university_code: 'USST', ref: 'P-1', contract_ref: 'L-1', received_on: '2024-04-01', amount_cny: 50 },
  { university_code: 'UJS', ref: 'P-2', contract_ref: 'L-3', received_on: '2025-01-10', amount_cny: 333_333.33 },
];

describe(`ratios (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let lead: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    const admin = await Client.signIn(server, IDENTITIES.admin.email);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
    for (const [kind, rows] of [
      ['tech_transfer', CONTRACTS],
      ['payment', PAYMENTS],
    ] as const) {
      const answer = await admin.request('POST', `/imports/${kind}`, csvOf(kind, rows), { 'content-type': 'text/csv' });
      expect(answer.status, await answer.clone().text()).toBe(200);
    }
  });
  afterAll(async () => {
    setRollupsEnabled(true);
    await server.close();
    await database.close();
  });

  const rows = async (query: string) =>
    figuresOf(((await (await lead.get(`/aggregate?${query}`)).json()) as { rows: Array<Record<string, unknown>> }).rows);

  it('when the average contract value is grouped, then each group is its value over its contracts, with both beside it', async () => {
    for (const rollups of [true, false]) {
      setRollupsEnabled(rollups);
      expect(await rows('measures=tech_transfer.average_value&by=university,mode')).toEqual([
        {
          university: 'UJS',
          mode: 'license',
          'tech_transfer.average_value': 1_000_000,
          'tech_transfer.average_value:numerator': 1_000_000,
          'tech_transfer.average_value:denominator': 1,
        },
        // (100 + 200.01) / 2 = 150.005, half up to the fen.
        {
          university: 'USST',
          mode: 'license',
          'tech_transfer.average_value': 150.01,
          'tech_transfer.average_value:numerator': 300.01,
          'tech_transfer.average_value:denominator': 2,
        },
        {
          university: 'USST',
          mode: 'service',
          'tech_transfer.average_value': 0,
          'tech_transfer.average_value:numerator': 0,
          'tech_transfer.average_value:denominator': 1,
        },
      ]);
      // The total is the sums' quotient (1,000,300.01 / 4), not the mean of the groups' averages.
      const [total] = await rows('measures=tech_transfer.average_value');
      expect(total!['tech_transfer.average_value']).toBe(250_075);
    }
    setRollupsEnabled(true);
  });

  it('when the collection rate has no contract value to divide by, then it has no figure, not a zero', async () => {
    expect(await rows('measures=tech_transfer.collection_rate&by=university,mode')).toEqual([
      {
        university: 'UJS',
        mode: 'license',
        'tech_transfer.collection_rate': 0.3333,
        'tech_transfer.collection_rate:numerator': 333_333.33,
        'tech_transfer.collection_rate:denominator': 1_000_000,
      },
      {
        university: 'USST',
        mode: 'license',
        // 50 / 300.01 = 0.16666…
        'tech_transfer.collection_rate': 0.1667,
        'tech_transfer.collection_rate:numerator': 50,
        'tech_transfer.collection_rate:denominator': 300.01,
      },
      {
        university: 'USST',
        mode: 'service',
        'tech_transfer.collection_rate': null,
        'tech_transfer.collection_rate:numerator': 0,
        'tech_transfer.collection_rate:denominator': 0,
      },
    ]);
  });

  it('when the summary and the CSV show a ratio, then they carry its numerator and denominator, and the ratio is the sums divided', async () => {
    const summary = (await (
      await lead.get('/summary?measures=tech_transfer.average_value,tech_transfer.contracts&from=2024-01-01&to=2024-12-31')
    ).json()) as { measures: Array<Record<string, unknown>> };
    expect(summary.measures[0]).toMatchObject({
      measure: 'tech_transfer.average_value',
      value: 250_075,
      records: 4,
      numerator: 1_000_300.01,
      denominator: 4,
      target: null,
    });
    expect(summary.measures[1]).toMatchObject({ measure: 'tech_transfer.contracts', numerator: null, denominator: null });

    const csv = parseCsv(
      await (await lead.get('/aggregate?measures=tech_transfer.average_value&by=university&format=csv')).text(),
    );
    expect(csv.header).toEqual([
      'university',
      'tech_transfer.average_value',
      'tech_transfer.average_value:numerator',
      'tech_transfer.average_value:denominator',
      'status',
    ]);
    expect(csv.rows).toEqual([
      ['UJS', '1000000.00', '1000000.00', '1', 'P'],
      ['USST', '100.00', '300.01', '3', 'P'],
    ]);
    const zh = parseCsv(
      await (
        await lead.get('/aggregate?measures=tech_transfer.collection_rate&by=university&format=csv&lang=zh&formatted=true')
      ).text(),
    );
    expect(zh.header[2]).toMatch(/^期内签订合同到账率分子：/);
    expect(zh.rows.find((r) => r[0]!.includes('上海理工'))?.[1]).toBe('16.67%');
  });

  it('when a ratio is asked of the collaboration matrix, then it is refused: a matrix adds its cells', async () => {
    const answer = await lead.get('/collaboration?measure=tech_transfer.average_value');
    expect(answer.status).toBe(400);
  });
});
