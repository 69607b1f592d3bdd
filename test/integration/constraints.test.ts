import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, FactKind } from '../../server/db/schema.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';

/** A valid row of each kind; each case below breaks exactly one rule. */
const VALID: Record<FactKind, Record<string, unknown>> = {
  tech_transfer: {
    university_code: 'USST',
    ref: 'TT-1',
    mode: 'license',
    partner_name: '上海某光电科技有限公司',
    partner_region_code: 'SH',
    co_university_code: null,
    field_code: 'OPTO',
    signed_on: '2024-03-31',
    contract_value_cny: 1000000,
    patents: 2,
  },
  payment: {
    university_code: 'USST',
    ref: 'PAY-1',
    contract_ref: 'TT-1',
    received_on: '2024-04-15',
    amount_cny: 250000,
  },
  incubation: {
    university_code: 'ZJUT',
    ref: 'INC-1',
    name: '工业视觉缺陷检测',
    field_code: 'IT_AI',
    stage: 'graduated',
    entered_on: '2022-04-01',
    graduated_on: '2024-04-01',
    funding_cny: 3000000,
    jobs: 12,
    partner_university_code: 'USST',
  },
  talent: {
    university_code: 'NJTECH',
    ref: 'TAL-1',
    partner_university_code: 'UJS',
    level: 'tech_manager',
    program: '技术经理人联合培训',
    started_on: '2024-09-01',
    completed_on: '2024-12-20',
    trainees: 40,
    graduates: 38,
  },
  credit: {
    university_code: 'AHUT',
    ref: 'CR-1',
    host_university_code: 'USST',
    course: '工程热力学',
    term: '2024-2025-1',
    recognized_on: '2025-01-20',
    students: 12,
    credits: 36,
  },
  capacity: {
    university_code: 'UJS',
    ref: 'CAP-1',
    snapshot_on: '2024-12-31',
    transfer_offices: 1,
    staff: 9,
    tech_managers: 4,
    co_built: 2,
  },
};

/** [what, kind, change, SQLSTATE]: 23514 check, 23503 foreign key, 23505 unique, 23502 not null. */
const CASES: Array<[string, FactKind, Record<string, unknown>, string]> = [
  ['an unknown mode', 'tech_transfer', { mode: 'gift' }, '23514'],
  ['a negative contract value', 'tech_transfer', { contract_value_cny: -1 }, '23514'],
  ['a zero amount', 'payment', { amount_cny: 0 }, '23514'],
  ['a negative amount', 'payment', { amount_cny: -0.01 }, '23514'],
  ['a contract that does not exist', 'payment', { contract_ref: 'TT-404' }, '23503'],
  ["another university's contract", 'payment', { university_code: 'ZJUT' }, '23503'],
  ['a date before the contract was signed', 'payment', { received_on: '2024-03-30' }, '23514'],
  ['payments above the contract value', 'payment', { amount_cny: 750000.01 }, '23514'],
  ['no date received', 'payment', { received_on: null }, '23502'],
  ['negative patents', 'tech_transfer', { patents: -1 }, '23514'],
  ['an unknown university', 'tech_transfer', { university_code: 'MIT' }, '23503'],
  ['an unknown partner region', 'tech_transfer', { partner_region_code: 'XX' }, '23503'],
  ['an unknown field', 'tech_transfer', { field_code: 'ALCHEMY' }, '23503'],
  ['a co-university that is the university itself', 'tech_transfer', { co_university_code: 'USST' }, '23514'],
  ['an empty partner name', 'tech_transfer', { partner_name: '  ' }, '23514'],
  ['no signing date', 'tech_transfer', { signed_on: null }, '23502'],
  ['an unknown stage', 'incubation', { stage: 'hatched' }, '23514'],
  ['graduation before entry', 'incubation', { graduated_on: '2022-03-31' }, '23514'],
  ['graduated without a date', 'incubation', { graduated_on: null }, '23514'],
  ['a date while still incubating', 'incubation', { stage: 'incubating' }, '23514'],
  ['negative funding', 'incubation', { funding_cny: -5 }, '23514'],
  ['negative jobs', 'incubation', { jobs: -1 }, '23514'],
  ['closed without a date', 'incubation', { stage: 'closed', graduated_on: null }, '23514'],
  ['a closing date while graduated', 'incubation', { closed_on: '2024-05-01' }, '23514'],
  ['closure before entry', 'incubation', { stage: 'closed', graduated_on: null, closed_on: '2022-03-31' }, '23514'],
  ['completion before the start', 'talent', { completed_on: '2024-08-31' }, '23514'],
  ['graduates without a completion date', 'talent', { completed_on: null }, '23514'],
  ['an unknown level', 'talent', { level: 'postdoc' }, '23514'],
  ['more graduates than trainees', 'talent', { graduates: 41 }, '23514'],
  ['negative trainees', 'talent', { trainees: -1, graduates: 0 }, '23514'],
  ['a partner that is the host itself', 'talent', { partner_university_code: 'NJTECH' }, '23514'],
  ['credits taken at the home university', 'credit', { host_university_code: 'AHUT' }, '23514'],
  ['a malformed term', 'credit', { term: '2024 autumn' }, '23514'],
  ['negative credits', 'credit', { credits: -1 }, '23514'],
  ['negative students', 'credit', { students: -3 }, '23514'],
  ['an unknown host university', 'credit', { host_university_code: 'NOPE' }, '23503'],
  ['a company stake without its day', 'incubation', { company_stake: 'founded' }, '23514'],
  ['a company day without its stake', 'incubation', { company_registered_on: '2022-05-01' }, '23514'],
  ['an unknown company stake', 'incubation', { company_registered_on: '2022-05-01', company_stake: 'owner' }, '23514'],
  ['negative staff', 'capacity', { staff: -1, snapshot_on: '2024-06-30' }, '23514'],
  ['negative technology managers', 'capacity', { tech_managers: -1, snapshot_on: '2024-06-30' }, '23514'],
  ['negative offices', 'capacity', { transfer_offices: -1, snapshot_on: '2024-06-30' }, '23514'],
  ['negative co-built institutions', 'capacity', { co_built: -2, snapshot_on: '2024-06-30' }, '23514'],
  ['a second snapshot of the day', 'capacity', {}, '23505'],
  ['no snapshot day', 'capacity', { snapshot_on: null }, '23502'],
  ['an unknown university', 'capacity', { university_code: 'MIT' }, '23503'],
];

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

async function insert(db: Kysely<Database>, kind: FactKind, row: Record<string, unknown>): Promise<void> {
  await db
    .insertInto(kind)
    .values(row as never)
    .execute();
}

describe(`database constraints (${TEST_DB})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('when every row is valid, then each kind is accepted', async () => {
    for (const kind of Object.keys(VALID) as FactKind[]) await insert(database.db, kind, VALID[kind]);
    for (const kind of Object.keys(VALID) as FactKind[]) {
      expect(await database.db.selectFrom(kind).select('ref').execute()).toHaveLength(1);
    }
  });

  it.each(CASES)('when a row has %s, then the database rejects it', async (_what, kind, change, code) => {
    const row = { ...VALID[kind], ...change, ref: `BAD-${Math.random().toString(36).slice(2)}` };
    const failure = await insert(database.db, kind, row).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(errorCode(failure)).toBe(code);
    expect(await database.db.selectFrom(kind).select('ref').where('ref', '=', row.ref).execute()).toEqual([]);
  });

  it('when a ref repeats within a university, then it is a unique violation; in another university it is fine', async () => {
    const failure = await insert(database.db, 'credit', VALID.credit).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(errorCode(failure)).toBe('23505');
    await insert(database.db, 'credit', { ...VALID.credit, university_code: 'UJS' });
  });

  it('when a steward has no university, or a non-steward has one, then the user row is rejected', async () => {
    const base = { email: 'a@x.example', name: 'A', password_hash: 'x' };
    for (const row of [
      { ...base, role: 'steward', university_code: null },
      { ...base, role: 'admin', university_code: 'USST' },
    ]) {
      const failure = await database.db
        .insertInto('app_user')
        .values(row as never)
        .execute()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(errorCode(failure)).toBe('23514');
    }
  });

  it('when the audit log is changed or emptied, then the database refuses', async () => {
    await database.db.insertInto('audit_log').values({ action: 'create', subject: 'test' }).execute();
    const update = await database.db
      .updateTable('audit_log')
      .set({ subject: 'forged' })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(String(update)).toMatch(/append-only/);
    const remove = await database.db
      .deleteFrom('audit_log')
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(String(remove)).toMatch(/append-only/);
    expect(await database.db.selectFrom('audit_log').select('subject').execute()).toEqual([{ subject: 'test' }]);
  });
});

describe(`the payment ledger's rules in the database (${TEST_DB})`, () => {
  let database: TestDatabase;
  const received = async (ref = 'TT-1'): Promise<number> =>
    Number(
      (await database.db.selectFrom('tech_transfer').select('received_cny').where('ref', '=', ref).executeTakeFirstOrThrow())
        .received_cny,
    );
  const fails = (work: Promise<unknown>): Promise<string | undefined> =>
    work.then(
      () => 'no error',
      (error: unknown) => errorCode(error),
    );
  beforeAll(async () => {
    database = await createTestDatabase();
    await insert(database.db, 'tech_transfer', { ...VALID.tech_transfer, received_cny: 999 });
  });
  afterAll(() => database.close());

  it("when a contract is written with received_cny, then the database keeps its payments' sum instead", async () => {
    expect(await received()).toBe(0);
    await insert(database.db, 'payment', VALID.payment);
    await insert(database.db, 'payment', { ...VALID.payment, ref: 'PAY-2', received_on: '2025-02-01', amount_cny: 100000.5 });
    expect(await received()).toBe(350000.5);
    await database.db.updateTable('tech_transfer').set({ received_cny: 1 }).where('ref', '=', 'TT-1').execute();
    expect(await received()).toBe(350000.5);
  });

  it('when payments change, move or go, then the contract follows them, and a truncate zeroes it', async () => {
    await insert(database.db, 'tech_transfer', { ...VALID.tech_transfer, ref: 'TT-2', signed_on: '2023-01-01' });
    await database.db.updateTable('payment').set({ amount_cny: 200000 }).where('ref', '=', 'PAY-2').execute();
    expect(await received()).toBe(450000);
    await database.db.updateTable('payment').set({ contract_ref: 'TT-2' }).where('ref', '=', 'PAY-2').execute();
    expect([await received(), await received('TT-2')]).toEqual([250000, 200000]);
    await database.db.deleteFrom('payment').where('ref', '=', 'PAY-2').execute();
    expect(await received('TT-2')).toBe(0);
  });

  it('when a contract with payments is deleted, renamed, lowered below them or signed after them, then the database refuses', async () => {
    const contract = database.db.updateTable('tech_transfer').where('ref', '=', 'TT-1');
    expect(await fails(database.db.deleteFrom('tech_transfer').where('ref', '=', 'TT-1').execute())).toBe('23503');
    expect(await fails(contract.set({ ref: 'TT-1b' }).execute())).toBe('23503');
    expect(await fails(contract.set({ contract_value_cny: 249999.99 }).execute())).toBe('23514');
    expect(await fails(contract.set({ signed_on: '2024-04-16' }).execute())).toBe('23514');
    expect(await fails(contract.set({ signed_on: '2024-04-15', contract_value_cny: 250000 }).execute())).toBe('no error');
    expect(await received()).toBe(250000);
  });

  it('when the payments are truncated, then every contract has received nothing', async () => {
    await database.db.deleteFrom('payment').execute();
    await insert(database.db, 'payment', VALID.payment);
    await sql`truncate payment`.execute(database.db);
    expect(await received()).toBe(0);
  });
});
