import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL_DIR } from '../../server/db/migrate.js';
import type { FactKind } from '../../server/db/schema.js';
import {
  allRollups,
  paymentSource,
  rollupBlockOf,
  rollupKeys,
  rollupRebuildSql,
  rollupSelect,
} from '../../server/kpi/rollups.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

const KINDS: FactKind[] = ['tech_transfer', 'payment', 'incubation', 'talent', 'credit'];

/** The migrations that have landed, pinned by SHA-256: add each new one here once it lands. */
const APPLIED: ReadonlyArray<readonly [string, string]> = [
  ['0001_dimensions.sql', 'dc3a540dea76db7817a7274983b8d4d34aeaa01e31396ce7f3b726e0ef11f7bc'],
  ['0002_accounts.sql', '3f2463a0f05730d0bea395560eb804c4ed2303fe0c48765abbae5aa1ea448c9a'],
  ['0003_facts.sql', 'd57732e01b977e6cb9dcfa240562ca9d5ac2f20cf8bb60d6d02ef4584307413e'],
  ['0004_targets_audit.sql', '6be0aa7b09d63c83a0c1bceba8494e8d1c6fb03f0ea061693fd1bdc3b885737c'],
  ['0005_reference_data.sql', '641f849a8962f6fe3323b7bef56e7c1078aebd56c124ff73dce1e2e1e871f72c'],
  ['0006_sessions_csrf.sql', 'd2379cb02454500625093be6b6f806242a3ab627232e14e61b78296773dd1f67'],
  ['0007_rollups.sql', '564a975f174023ef66a774166e096e4c8492d39346c5fe933c3addf34a596ec8'],
  ['0008_data_version_triggers.sql', '2183898f731df3e80b351fb6602b2bb61f86b1f856a45dea412c1a4ebea70c04'],
  ['0009_report_submissions.sql', 'bc5d1d13cdd48f6e36943fd3e30aa464da125516c24f07fdb7e5a87cca4c4ac0'],
  ['0010_covering_indexes.sql', 'd8b850c5ecab8cce0717fb3c558729290fd3d4877554cde630020e1ba597b083'],
  ['0011_day_rollups.sql', 'd2da96ee7d7964fcafaaa0d78fc6bcf0fb2aaddfdcefd6b5d97a8452dbf2bb1f'],
  ['0012_change_announcements.sql', '5d4d16b2ed8fe12c8e367f9a0110951462de04ae1abb83cbbbe3fbb30afda012'],
  ['0013_demo_accounts.sql', 'd0982759dc2c1417b79fa53a0e23365f91d4ee42d32b1cb58f175949cf1e4b64'],
  ['0014_report_submission_once.sql', 'd5b8519b4d3fe3476093a0eeb8afb203a0be2374498e7ddd6a6e0b3009aa66c6'],
  ['0015_standard_dates.sql', '1c64a20c6f9a95d10e18ea2bd51ae8c055003582847e07c65452b6b6908b2e38'],
  ['0016_payment_ledger.sql', '19614cf0578e986336fdd3a98035fc3808e37d6e012fc18079c476d4d52c4f50'],
  ['0017_rewards.sql', '7a396ae35667f498da18bb6a374e47cd368934c4401563cfafe24773c9f3b3d7'],
  ['0018_capacity_companies.sql', '554b619c0460f88fee88c594921e4c8824dcf8922bf88f0dc30cd84e1f097479'],
  ['0019_reporting_cycle.sql', 'e898dd532077b7085d8b6221e7e7237d3895b0f93cd6149ad968f27886ceef39'],
  ['0020_mail_outbox.sql', '8d65fab63abaf8697850a704bec6b95649de6b6c317becaae3ff0529cd5004bd'],
  ['0021_ref_leading_zeros.sql', '2e1f8001426d82e552dd3173b70f28c6da44d6b053eee94d674ad99cf9b77d76'],
];

describe(`rollups stay equal to the facts they sum (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  /** Rows of each rollup that a fresh computation from the facts does not give, and the other way round. */
  const differences = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const kind of KINDS) {
      for (const rollup of allRollups(kind)) {
        const columns = [...rollupKeys(rollup), 'records', ...rollup.sums].join(', ');
        const stored = `select ${columns} from ${rollup.table} where records <> 0`;
        const source = kind === 'payment' ? paymentSource('payment') : kind;
        const fresh = `select ${columns} from (${rollupSelect(rollup, source, 1)}) as fresh`;
        const { rows } = await sql<{
          n: number;
        }>`select (select count(*) from (${sql.raw(stored)} except all ${sql.raw(fresh)}) a)
          + (select count(*) from (${sql.raw(fresh)} except all ${sql.raw(stored)}) b) as n`.execute(database.db);
        out[rollup.table] = Number(rows[0]!.n);
      }
    }
    return out;
  };
  const allZero = (d: Record<string, number>) => Object.fromEntries(Object.keys(d).map((k) => [k, 0]));

  it('when the landed migrations are read, then none has been edited: a database that ran one never sees an edit', () => {
    const edited = APPLIED.filter(
      ([file, sha]) =>
        createHash('sha256')
          .update(readFileSync(join(SQL_DIR, file)))
          .digest('hex') !== sha,
    );
    expect(
      edited.map(([file]) => file),
      'write a new migration instead of editing a landed one',
    ).toEqual([]);
  });

  it('when the rollup registry is compared with the migrations, then the newest rollup block is what it generates', () => {
    const files = readdirSync(SQL_DIR)
      .filter((f) => /^\d{4}_.*\.sql$/.test(f))
      .sort();
    const newest = files.findLast((f) => rollupBlockOf(readFileSync(join(SQL_DIR, f), 'utf8')) !== null);
    expect(newest, 'a migration with a rollup block').toBeDefined();
    // On a change of server/kpi/rollups.ts: a new migration, `npm run sql:rollups -- sql/NNNN_name.sql`.
    expect(rollupBlockOf(readFileSync(join(SQL_DIR, newest!), 'utf8'))).toBe(rollupRebuildSql());
  });

  it('when facts are inserted, changed (moved between months, universities and bands), deleted and imported, then every rollup equals a fresh sum', async () => {
    await insertFacts(database.db, randomFacts(5, 150));
    expect(await differences()).toEqual(allZero(await differences()));

    // Updates through the API: a contract moves to another month, university and value band.
    const { rows } = await (await admin.get('/records/tech_transfer?pageSize=20&sort=id')).json();
    let changed = 0;
    for (const [i, row] of (rows as Array<{ id: number; contract_value_cny: number }>).entries()) {
      const change =
        i % 3 === 0
          ? { signed_on: '2021-02-28', contract_value_cny: 150_000_000 }
          : i % 3 === 1
            ? { university_code: 'AHUT', co_university_code: null }
            : { mode: 'service', partner_region_code: 'OTHER' };
      const response = await admin.patch(`/records/tech_transfer/${row.id}`, change);
      if (response.status === 200) changed++;
      else if (response.status !== 409) throw new Error(`${response.status} ${await response.text()}`);
    }
    expect(changed).toBeGreaterThanOrEqual(12);
    // Payments move between months and contracts, change and go.
    const payments = (await (await admin.get('/records/payment?pageSize=30&sort=id')).json()).rows as Array<{
      id: number;
      amount_cny: number;
    }>;
    expect(payments.length).toBe(30);
    for (const [i, row] of payments.entries()) {
      const response =
        i % 3 === 0
          ? await admin.patch(`/records/payment/${row.id}`, { received_on: '2025-12-31' })
          : i % 3 === 1
            ? await admin.patch(`/records/payment/${row.id}`, {
                amount_cny: Math.max(0.01, Math.round(row.amount_cny * 50) / 100),
              })
            : await admin.delete(`/records/payment/${row.id}`);
      expect(response.status, await response.clone().text()).toBeLessThan(300);
    }
    const incubation = (await (await admin.get('/records/incubation?pageSize=10&sort=id')).json()).rows as Array<{ id: number }>;
    for (const row of incubation.slice(0, 5)) {
      await admin.patch(`/records/incubation/${row.id}`, {
        stage: 'graduated',
        graduated_on: '2025-06-30',
        closed_on: null,
        entered_on: '2020-01-15',
      });
    }
    for (const row of incubation.slice(5)) expect((await admin.delete(`/records/incubation/${row.id}`)).status).toBe(204);
    expect(await differences()).toEqual(allZero(await differences()));

    // An import that inserts some rows and updates others, in one statement each.
    const facts = randomFacts(6, 60);
    const existing = (await (await admin.get('/records/talent?pageSize=20&sort=id')).json()).rows as Array<
      Record<string, string | number | null>
    >;
    const file = csvOf('talent', [
      ...facts.talent.map((r, i) => ({ ...r, ref: `IMP-${i}` })),
      ...existing.map((r) => ({ ...r, started_on: '2022-11-30', completed_on: '2023-06-30', trainees: 90, graduates: 1 })),
    ]);
    const imported = await admin.request('POST', '/imports/talent', file, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ inserted: 60, updated: 20 });
    expect(await differences()).toEqual(allZero(await differences()));

    // Payments imported: a cent more on each of twenty contracts with room left, and twenty stored ones halved.
    const contracts = (await (await admin.get('/records/tech_transfer?pageSize=200&sort=id')).json()).rows as Array<
      Record<string, string | number>
    >;
    const roomy = contracts.filter((c) => Number(c.contract_value_cny) - Number(c.received_cny) >= 0.01).slice(0, 20);
    const stored = (await (await admin.get('/records/payment?pageSize=20&sort=-id')).json()).rows as Array<
      Record<string, string | number>
    >;
    const paymentFile = csvOf('payment', [
      ...roomy.map((c, i) => ({
        university_code: c.university_code!,
        ref: `IMP-PAY-${i}`,
        contract_ref: c.ref!,
        received_on: '2025-12-31',
        amount_cny: 0.01,
      })),
      ...stored.map((p) => ({ ...p, amount_cny: Math.max(0.01, Math.round(Number(p.amount_cny) * 50) / 100) })),
    ]);
    const paid = await admin.request('POST', '/imports/payment', paymentFile, { 'content-type': 'text/csv' });
    expect(paid.status, await paid.clone().text()).toBe(200);
    expect(await differences()).toEqual(allZero(await differences()));
  });

  it('when a fact table is emptied, then its rollups are empty too', async () => {
    await sql`truncate payment`.execute(database.db);
    const payments = await sql<{ n: number }>`select count(*) as n from rollup_payment_all`.execute(database.db);
    expect(Number(payments.rows[0]!.n)).toBe(0);
    await sql`truncate credit`.execute(database.db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from rollup_credit_u`.execute(database.db);
    expect(Number(rows[0]!.n)).toBe(0);
    expect(await differences()).toEqual(allZero(await differences()));
  });
});
