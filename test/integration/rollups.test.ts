import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL_DIR } from '../../server/db/migrate.js';
import type { FactKind } from '../../server/db/schema.js';
import { allRollups, dayRollupMigrationSql, rollupKeys, rollupMigrationSql, rollupSelect } from '../../server/kpi/rollups.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

const KINDS: FactKind[] = ['tech_transfer', 'incubation', 'talent', 'credit'];

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
        const fresh = `select ${columns} from (${rollupSelect(rollup, kind, 1)}) as fresh`;
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

  it('when the migrations are compared with the registry, then they are the SQL the registry generates', () => {
    expect(readFileSync(join(SQL_DIR, '0007_rollups.sql'), 'utf8')).toBe(rollupMigrationSql());
    expect(readFileSync(join(SQL_DIR, '0011_day_rollups.sql'), 'utf8')).toBe(dayRollupMigrationSql());
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
          ? { signed_on: '2021-02-28', contract_value_cny: 150_000_000, received_cny: 0 }
          : i % 3 === 1
            ? { university_code: 'AHUT', co_university_code: null }
            : { mode: 'service', partner_region_code: 'OTHER' };
      const response = await admin.patch(`/records/tech_transfer/${row.id}`, change);
      if (response.status === 200) changed++;
      else if (response.status !== 409) throw new Error(`${response.status} ${await response.text()}`);
    }
    expect(changed).toBeGreaterThanOrEqual(15);
    const incubation = (await (await admin.get('/records/incubation?pageSize=10&sort=id')).json()).rows as Array<{ id: number }>;
    for (const row of incubation.slice(0, 5)) {
      await admin.patch(`/records/incubation/${row.id}`, {
        stage: 'graduated',
        graduated_on: '2025-06-30',
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
      ...existing.map((r) => ({ ...r, started_on: '2022-11-30', trainees: 90, graduates: 1 })),
    ]);
    const imported = await admin.request('POST', '/imports/talent', file, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ inserted: 60, updated: 20 });
    expect(await differences()).toEqual(allZero(await differences()));
  });

  it('when a fact table is emptied, then its rollups are empty too', async () => {
    await sql`truncate credit`.execute(database.db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from rollup_credit_u`.execute(database.db);
    expect(Number(rows[0]!.n)).toBe(0);
    expect(await differences()).toEqual(allZero(await differences()));
  });
});
