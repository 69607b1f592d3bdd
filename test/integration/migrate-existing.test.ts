import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, SQL_DIR } from '../../server/db/migrate.js';
import type { Database } from '../../server/db/schema.js';
import { allRollups, paymentSource, rollupSelect } from '../../server/kpi/rollups.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { randomFacts, type RawRow } from '../helpers/facts.js';
import { oracleAggregate } from '../helpers/kpi-oracle.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { figuresOf } from '../helpers/figures.js';

/**
 * A database that landed before sql/0015 and sql/0016 holds records; upgraded, it must equal a
 * fresh one (tables, constraints, indexes, triggers, rollups) and show the figures it showed before.
 */

const LANDED = '0014_report_submission_once.sql';

/** The catalog of what the migrations build: everything but the data. */
async function schemaOf(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const query = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    columns: await query(`select table_name, column_name, data_type, is_nullable, column_default, ordinal_position
      from information_schema.columns where table_schema = 'public' order by 1, 2`),
    constraints: await query(`select conrelid::regclass::text as on_table, conname, pg_get_constraintdef(oid) as definition
      from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`),
    indexes: await query(`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`),
    triggers: await query(`select tgrelid::regclass::text as on_table, tgname, pg_get_triggerdef(oid) as definition
      from pg_trigger where not tgisinternal order by 1, 2`),
    functions: await query(`select proname, prosrc from pg_proc where pronamespace = 'public'::regnamespace order by 1`),
  };
}

/** Rows of each rollup that differ from a fresh sum of the facts (both ways). */
async function rollupDifferences(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const kind of ['tech_transfer', 'payment', 'incubation', 'talent', 'credit', 'capacity'] as const) {
    for (const rollup of allRollups(kind)) {
      const stored = `select * from ${rollup.table} where records <> 0`;
      const fresh = `select * from (${rollupSelect(rollup, kind === 'payment' ? paymentSource('payment') : kind, 1)}) s`;
      const { rows } = await sql<{ n: number }>`select (select count(*) from (${sql.raw(stored)} except all ${sql.raw(fresh)}) a)
        + (select count(*) from (${sql.raw(fresh)} except all ${sql.raw(stored)}) b) as n`.execute(db);
      out[rollup.table] = Number(rows[0]!.n);
    }
  }
  return out;
}

/** A raw row as the schema before sql/0015 holds it: without the new dates (nor the companies of sql/0018). */
const before0015 = (row: RawRow): RawRow => {
  const {
    closed_on: _closed,
    completed_on: _completed,
    company_registered_on: _registered,
    company_stake: _stake,
    ...rest
  } = row;
  return rest;
};

/** A contract as the landed schema holds it: without the rewards of sql/0017. */
const beforeRewards = (row: RawRow): RawRow => {
  const { reward_cash_cny: _c, reward_equity_cny: _e, rewarded_people: _p, rewarded_on: _d, ...rest } = row;
  return rest;
};

/** The portfolio and completions by year as the definitions before sql/0015 counted them, over raw rows. */
function oldFigures(facts: { incubation: RawRow[]; talent: RawRow[] }, years: number[]) {
  return years.map((year) => {
    const end = `${year}-12-31`;
    const portfolio = facts.incubation.filter(
      (r) => String(r.entered_on) <= end && (r.graduated_on === null || String(r.graduated_on) > end) && r.stage !== 'closed',
    ).length;
    const graduates = facts.talent
      .filter((r) => String(r.started_on).startsWith(String(year)))
      .reduce((sum, r) => sum + Number(r.graduates), 0);
    return { year, 'incubation.portfolio': portfolio, 'talent.graduates': graduates };
  });
}

describe(`a database migrated from the landed schema (${TEST_DB})`, () => {
  let upgraded: TestDatabase;
  let fresh: TestDatabase;
  let server: TestServer;
  let lead: Client;
  let landedFolder: string;
  const facts = randomFacts(15, 200);
  const landedFacts = { incubation: facts.incubation.map(before0015), talent: facts.talent.map(before0015) };
  // The years the random rows span (test/helpers/facts.ts).
  const YEARS = [2022, 2023, 2024, 2025];
  let figuresBefore: unknown;

  beforeAll(async () => {
    landedFolder = mkdtempSync(join(tmpdir(), 'landed-migrations-'));
    for (const file of readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql') && f <= LANDED)) {
      copyFileSync(join(SQL_DIR, file), join(landedFolder, file));
    }
    upgraded = await createTestDatabase({ migrated: false });
    expect((await migrateToLatest(upgraded.db, landedFolder)).at(-1)).toBe(LANDED.replace('.sql', ''));
    await upgraded.db
      .insertInto('tech_transfer')
      .values(facts.tech_transfer.map(beforeRewards) as never)
      .execute();
    await upgraded.db
      .insertInto('incubation')
      .values(landedFacts.incubation as never)
      .execute();
    await upgraded.db
      .insertInto('talent')
      .values(landedFacts.talent as never)
      .execute();
    await upgraded.db
      .insertInto('credit')
      .values(facts.credit as never)
      .execute();
    figuresBefore = oldFigures(landedFacts, YEARS);
    const applied = await migrateToLatest(upgraded.db);
    expect(applied).toContain('0015_standard_dates');
    expect(applied).toContain('0016_payment_ledger');
    expect(applied).toContain('0017_rewards');
    expect(applied).toContain('0018_capacity_companies');
    fresh = await createTestDatabase();
    await addStandardUsers(upgraded.db);
    server = await startTestServer(upgraded);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
  });
  afterAll(async () => {
    await server?.close();
    await upgraded?.close();
    await fresh?.close();
    rmSync(landedFolder, { recursive: true, force: true });
  });

  it('when upgraded, then its tables, constraints, indexes, triggers and functions are those of a fresh database', async () => {
    expect(await schemaOf(upgraded.db)).toEqual(await schemaOf(fresh.db));
  });

  it('when upgraded, then every rollup equals a fresh sum of the facts it holds', async () => {
    const differences = await rollupDifferences(upgraded.db);
    expect(differences).toEqual(Object.fromEntries(Object.keys(differences).map((table) => [table, 0])));
  });

  it('when upgraded, then no project has a company and no university a capacity snapshot until one is entered', async () => {
    const companies = await upgraded.db
      .selectFrom('incubation')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where((eb) => eb.or([eb('company_registered_on', 'is not', null), eb('company_stake', 'is not', null)]))
      .executeTakeFirstOrThrow();
    expect(Number(companies.n)).toBe(0);
    expect(await upgraded.db.selectFrom('capacity').selectAll().execute()).toEqual([]);
  });

  it('when upgraded, then every contract carries no reward until one is entered', async () => {
    const rows = await upgraded.db
      .selectFrom('tech_transfer')
      .select(['reward_cash_cny', 'reward_equity_cny', 'rewarded_people', 'rewarded_on'])
      .execute();
    expect(rows.length).toBe(facts.tech_transfer.length);
    expect(
      new Set(
        rows.map((r) =>
          JSON.stringify([Number(r.reward_cash_cny), Number(r.reward_equity_cny), r.rewarded_people, r.rewarded_on]),
        ),
      ),
    ).toEqual(new Set([JSON.stringify([0, 0, 0, null])]));
  });

  it('when upgraded, then closed projects and completed cohorts get the stated defaults', async () => {
    const incubation = await upgraded.db.selectFrom('incubation').select(['ref', 'stage', 'entered_on', 'closed_on']).execute();
    expect(incubation.length).toBe(facts.incubation.length);
    for (const row of incubation) expect(row.closed_on).toBe(row.stage === 'closed' ? row.entered_on : null);
    const talent = await upgraded.db.selectFrom('talent').select(['ref', 'graduates', 'started_on', 'completed_on']).execute();
    for (const row of talent) expect(row.completed_on).toBe(row.graduates > 0 ? row.started_on : null);
    expect(incubation.some((r) => r.stage === 'closed')).toBe(true);
    expect(talent.some((r) => r.graduates > 0)).toBe(true);
  });

  it('when upgraded, then the figures are those it showed before, and those of the new definitions over its rows', async () => {
    const response = await lead.get(
      '/aggregate?measures=incubation.portfolio,talent.graduates&by=year&from=2022-01-01&to=2025-12-31',
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const rows = (await response.json()).rows;
    expect(figuresOf(rows)).toEqual(figuresBefore);
    const migrated = {
      ...facts,
      incubation: (await upgraded.db.selectFrom('incubation').selectAll().execute()) as unknown as RawRow[],
      talent: (await upgraded.db.selectFrom('talent').selectAll().execute()) as unknown as RawRow[],
    };
    expect(
      oracleAggregate(migrated, {
        measures: ['incubation.portfolio', 'talent.graduates'],
        by: ['year'],
        filters: { from: '2022-01-01', to: '2025-12-31' },
      }),
    ).toEqual(figuresOf(rows));
  });

  it("when upgraded, then each contract's cash received is one payment dated its signing, and every figure of cash received is as before", async () => {
    // The landed schema kept one received_cny per contract (here the sum of the random payments).
    const received = facts.tech_transfer.filter((c) => Number(c.received_cny) > 0);
    expect(received.length).toBeGreaterThan(50);
    const payments = await upgraded.db
      .selectFrom('payment')
      .select(['university_code', 'ref', 'contract_ref', 'received_on', 'amount_cny'])
      .orderBy('contract_ref')
      .execute();
    expect(payments).toEqual(
      received
        .map((c) => ({
          university_code: c.university_code,
          ref: `${c.ref}-P1`,
          contract_ref: c.ref,
          received_on: c.signed_on,
          amount_cny: Number(c.received_cny),
        }))
        .sort((a, b) => (String(a.contract_ref) < String(b.contract_ref) ? -1 : 1)),
    );
    const contracts = await upgraded.db.selectFrom('tech_transfer').select(['ref', 'received_cny']).execute();
    const was = new Map(facts.tech_transfer.map((c) => [c.ref, Number(c.received_cny)]));
    for (const c of contracts) expect(c.received_cny).toBe(was.get(c.ref));
    // What the old definition showed by year (cash to date, on the year of signing), from the raw rows.
    const byYear = new Map<number, number>();
    for (const c of received) {
      const year = Number(String(c.signed_on).slice(0, 4));
      byYear.set(year, (byYear.get(year) ?? 0) + Math.round(Number(c.received_cny) * 100));
    }
    const answer = await lead.get('/aggregate?measures=tech_transfer.received,tech_transfer.received_to_date&by=year');
    const rows = (await answer.json()).rows as Array<Record<string, number>>;
    expect(rows.map((r) => [r.year, r['tech_transfer.received'], r['tech_transfer.received_to_date']])).toEqual(
      [...byYear.entries()].sort((a, b) => a[0] - b[0]).map(([year, fen]) => [year, fen / 100, fen / 100]),
    );
  });
});
