import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_KINDS } from '../../server/db/schema.js';
import { DemoDataGenerator } from '../../server/demo/generator.js';
import { hasAnyRecords, seedDemoData } from '../../server/demo/seed.js';
import { readDataVersion } from '../../server/db/data-version.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';

const OPTIONS = { seed: 42, records: 3000, asOf: '2026-11-30' };

describe(`writing the demo data (${TEST_DB})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('when the database is new, then it has no records', async () => {
    expect(await hasAnyRecords(database.db)).toBe(false);
  });

  it('when seeded, then every generated record is stored (each passed the constraints) and the dataset is marked synthetic', async () => {
    const versionBefore = await readDataVersion(database.db);
    const summary = await seedDemoData(database.db, OPTIONS);
    const { payment, capacity, ...drawn } = summary.records;
    expect(drawn).toEqual(DemoDataGenerator.split(OPTIONS.records));
    // Each university's snapshot at each year end that has come, and on the agreement day.
    expect(capacity).toBeGreaterThanOrEqual(5);
    expect(payment).toBeGreaterThan(drawn.tech_transfer);
    for (const kind of FACT_KINDS) {
      const { n } = await database.db
        .selectFrom(kind)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(n).toBe(summary.records[kind]);
    }
    const targets = await database.db
      .selectFrom('target')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(targets.n).toBe(summary.targets);
    const dataset = await database.db
      .selectFrom('app_setting')
      .select('value')
      .where('key', '=', 'dataset')
      .executeTakeFirstOrThrow();
    expect(dataset.value).toMatchObject({ synthetic: true, seed: 42, records: 3000 });
    expect(await readDataVersion(database.db)).toBeGreaterThan(versionBefore);
    expect(await hasAnyRecords(database.db)).toBe(true);
  });

  it('when stored, then the totals equal the generator’s own, to the fen', async () => {
    const generator = new DemoDataGenerator(OPTIONS);
    let value = 0;
    let received = 0;
    for (const record of generator.records()) {
      if (record.kind === 'tech_transfer') value += Math.round(record.row.contract_value_cny * 100);
      if (record.kind === 'payment') received += Math.round(record.row.amount_cny * 100);
    }
    const { rows } = await sql<{ value: number; received: number; paid: number }>`
      select sum(contract_value_cny) as value, sum(received_cny) as received, (select sum(amount_cny) from payment) as paid
      from tech_transfer`.execute(database.db);
    expect(Math.round(rows[0]!.value * 100)).toBe(value);
    // Each contract's received_cny is kept by the database as the sum of its payments.
    expect(Math.round(rows[0]!.paid * 100)).toBe(received);
    expect(Math.round(rows[0]!.received * 100)).toBe(received);
  });
});
