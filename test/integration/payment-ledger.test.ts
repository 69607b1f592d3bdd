import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemText } from '../../client/lib/problem-text.js';
import { setRollupsEnabled } from '../../server/kpi/compile.js';
import { csvOf, parseCsv } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import type { RawRow } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';
import { figuresOf } from '../helpers/figures.js';

/**
 * Cash received as the national annual report counts it (当年到账金额): by the day each payment
 * arrived, whatever year its contract was signed in (sql/0016).
 */

const contract = (ref: string, signed: string, value: number, over: Partial<RawRow> = {}): RawRow => ({
  university_code: 'UJS',
  ref,
  mode: 'license',
  partner_name: `Partner of ${ref}`,
  partner_region_code: 'JS',
  co_university_code: null,
  field_code: 'ADV_MFG',
  signed_on: signed,
  contract_value_cny: value,
  patents: 1,
  ...over,
});

const payment = (ref: string, contractRef: string, on: string, amount: number, university = 'UJS'): RawRow => ({
  university_code: university,
  ref,
  contract_ref: contractRef,
  received_on: on,
  amount_cny: amount,
});

/** Contracts signed in 2022, 2023 and 2024, paid over 2023–2025. */
const CONTRACTS = [
  contract('C-2022', '2022-11-15', 1_000_000),
  contract('C-2023', '2023-06-30', 500_000, { mode: 'development', field_code: 'IT_AI' }),
  contract('C-2024', '2024-12-31', 2_000_000.5, { mode: 'transfer', co_university_code: 'AHUT' }),
];
const PAYMENTS = [
  payment('P-1', 'C-2022', '2023-01-01', 200_000),
  payment('P-2', 'C-2022', '2024-01-01', 300_000),
  payment('P-3', 'C-2022', '2025-01-01', 100_000),
  payment('P-4', 'C-2023', '2023-06-30', 100_000.25),
  payment('P-5', 'C-2023', '2024-12-31', 150_000),
  payment('P-6', 'C-2024', '2024-12-31', 0.5),
  payment('P-7', 'C-2024', '2025-03-01', 1_000_000),
];

/** The raw rows' cash by year received, and by year the contract was signed (computed here, from the rows above). */
function expected(payments: readonly RawRow[]) {
  const signed = new Map(CONTRACTS.map((c) => [c.ref, String(c.signed_on).slice(0, 4)]));
  const byReceived = new Map<string, number>();
  const bySigned = new Map<string, number>();
  for (const p of payments) {
    const fen = Math.round(Number(p.amount_cny) * 100);
    const year = String(p.received_on).slice(0, 4);
    byReceived.set(year, (byReceived.get(year) ?? 0) + fen);
    const cohort = signed.get(String(p.contract_ref))!;
    bySigned.set(cohort, (bySigned.get(cohort) ?? 0) + fen);
  }
  const yuan = (m: Map<string, number>, year: string) => (m.get(year) ?? 0) / 100;
  return { received: (y: string) => yuan(byReceived, y), toDate: (y: string) => yuan(bySigned, y) };
}

describe(`the payment ledger (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let leadership: Client;
  let commission: Client;
  let steward: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    leadership = await Client.signIn(server, IDENTITIES.leadership.email);
    commission = await Client.signIn(server, IDENTITIES.commission.email);
    steward = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    const contracts = await admin.request('POST', '/imports/tech_transfer', csvOf('tech_transfer', CONTRACTS), {
      'content-type': 'text/csv',
    });
    expect(contracts.status, await contracts.clone().text()).toBe(200);
    const payments = await admin.request('POST', '/imports/payment', csvOf('payment', PAYMENTS.slice(0, -1)), {
      'content-type': 'text/csv',
    });
    expect(payments.status, await payments.clone().text()).toBe(200);
  });
  afterAll(async () => {
    setRollupsEnabled(true);
    await server.close();
    await database.close();
  });

  const byYear = async (measure: string): Promise<Map<number, number>> => {
    const answer = (await (await leadership.get(`/aggregate?measures=${measure}&by=year`)).json()) as {
      rows: Array<Record<string, number>>;
    };
    return new Map(answer.rows.map((r) => [r.year!, r[measure]!]));
  };

  it("when payments span years, then cash received in a year is that year's payments on every year's contracts, from rollups and facts alike", async () => {
    const want = expected(PAYMENTS.slice(0, -1));
    for (const rollups of [true, false]) {
      setRollupsEnabled(rollups);
      const received = await byYear('tech_transfer.received');
      for (const year of ['2023', '2024', '2025']) expect(received.get(Number(year)) ?? 0).toBe(want.received(year));
      // 2024: P-2 on the 2022 contract, P-5 on 2023's and P-6 on 2024's.
      expect(received.get(2024)).toBe(450_000.5);
      const toDate = await byYear('tech_transfer.received_to_date');
      for (const year of ['2022', '2023', '2024']) expect(toDate.get(Number(year)) ?? 0).toBe(want.toDate(year));
    }
    setRollupsEnabled(true);
    // A period that ends inside a month (the day rollup and the facts): the 2024 contract's fifty fen.
    const day = (await (
      await leadership.get('/aggregate?measures=tech_transfer.received&from=2024-12-31&to=2024-12-31&by=mode')
    ).json()) as { rows: Array<Record<string, number | string>> };
    expect(figuresOf(day.rows)).toEqual([
      { mode: 'development', 'tech_transfer.received': 150_000 },
      { mode: 'transfer', 'tech_transfer.received': 0.5 },
    ]);
    // Grouped by the contract's own dimensions: the joint contract's partner.
    const partners = (await (
      await leadership.get('/aggregate?measures=tech_transfer.received&by=partner_university&from=2024-01-01&to=2025-12-31')
    ).json()) as { rows: Array<Record<string, number | string | null>> };
    expect(figuresOf(partners.rows)).toContainEqual({ partner_university: 'AHUT', 'tech_transfer.received': 0.5 });
  });

  it('when a contract is read, then received_cny is the sum of its payments, and an export of it imports back unchanged', async () => {
    const rows = (await (await admin.get('/records/tech_transfer?sort=ref')).json()).rows as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.ref, r.received_cny])).toEqual([
      ['C-2022', 600_000],
      ['C-2023', 250_000.25],
      ['C-2024', 0.5],
    ]);
    const exported = await (await admin.get('/records/tech_transfer?format=csv')).text();
    expect(parseCsv(exported).header).toContain('received_cny');
    const again = await admin.request('POST', '/imports/tech_transfer', exported, { 'content-type': 'text/csv' });
    // The read-only column is named as not read, so an edit of it is not lost without a word.
    expect(await again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, ignored: ['received_cny'] });
  });

  it('when a report is submitted and a payment dated after its period is entered, then the frozen report is byte-identical and no revision is listed; one dated inside is', async () => {
    const live = (await (await leadership.get('/report?period=2024&lang=en')).json()) as {
      sha256: string;
      report: { summary: { rows: Array<{ code: string | null; cells: Record<string, { value: number }> }> } };
    };
    const alliance = live.report.summary.rows.find((r) => r.code === null)!;
    expect(alliance.cells['tech_transfer.received']!.value).toBe(450_000.5);
    expect(alliance.cells['tech_transfer.received_to_date']).toBeUndefined();
    const submitted = await leadership.post('/report/submissions', { period: '2024', lang: 'en', expectedSha256: live.sha256 });
    expect(submitted.status).toBe(201);
    const { submission } = (await submitted.json()) as { submission: { id: number; sha256: string } };
    const frozen = Buffer.from(await (await commission.get(`/report/submissions/${submission.id}/document`)).arrayBuffer());

    // P-7: on the 2024 contract, received in 2025.
    expect((await admin.post('/records/payment', PAYMENTS.at(-1))).status).toBe(201);
    const later = (await (await commission.get(`/report/submissions/${submission.id}`)).json()) as {
      revisions: unknown[];
      differences: Array<{ measure?: string }>;
    };
    expect(later.revisions).toEqual([]);
    expect(later.differences.filter((d) => d.measure?.startsWith('tech_transfer'))).toEqual([]);
    expect(Buffer.from(await (await commission.get(`/report/submissions/${submission.id}/document`)).arrayBuffer())).toEqual(
      frozen,
    );
    expect((await byYear('tech_transfer.received')).get(2024)).toBe(450_000.5);

    // A payment received in 2024, entered late: a revision of the 2024 figure, the contract's university's.
    expect((await admin.post('/records/payment', payment('P-LATE', 'C-2022', '2024-06-30', 1234.5))).status).toBe(201);
    const revised = (await (await commission.get(`/report/submissions/${submission.id}`)).json()) as {
      revisions: Array<{ action: string; figures: Array<Record<string, unknown>> }>;
    };
    expect(revised.revisions).toHaveLength(1);
    expect(revised.revisions[0]!.figures).toContainEqual({
      span: 'period',
      measure: 'tech_transfer.received',
      university: 'UJS',
      delta: 1234.5,
      records: 1,
    });
    expect(Buffer.from(await (await commission.get(`/report/submissions/${submission.id}/document`)).arrayBuffer())).toEqual(
      frozen,
    );

    // A contract signed in 2022 changes its mode: its 2024 payments move between the report's
    // rows by mode, so the change is a revision, though its own date is outside the period.
    const c2022 = ((await (await admin.get('/records/tech_transfer?q=C-2022')).json()).rows as Array<{ id: number }>)[0]!;
    expect((await admin.patch(`/records/tech_transfer/${c2022.id}`, { mode: 'transfer' })).status).toBe(200);
    const moved = (await (await leadership.get(`/report/submissions/${submission.id}`)).json()) as {
      revisions: Array<{ action: string; subject: string }>;
      differences: Array<{ table: string; measure?: string }>;
    };
    expect(moved.revisions.map((r) => [r.action, r.subject])).toEqual([
      ['create', 'payment:UJS/P-LATE'],
      ['update', 'tech_transfer:UJS/C-2022'],
    ]);
    expect(moved.differences.some((d) => d.measure === 'tech_transfer.received')).toBe(true);
  });

  it('when a payment breaks a rule of its contract, then it is a 400 naming the field with the figures, and nothing is written', async () => {
    const count = async () => (await database.db.selectFrom('payment').select('id').execute()).length;
    const before = await count();
    const cases: Array<[RawRow, string, RegExp]> = [
      [payment('X-1', 'C-404', '2024-01-01', 1), 'body.contract_ref', /no contract C-404 of UJS/],
      [payment('X-2', 'C-2023', '2023-06-29', 1), 'body.received_on', /before the contract was signed \(2023-06-30\)/],
      // C-2023: 500,000 in value, 250,000.25 received.
      [
        payment('X-3', 'C-2023', '2025-01-01', 249_999.76),
        'body.amount_cny',
        /to 500000\.01, above its contract value 500000\.00: at most 249999\.75 can be received on it/,
      ],
      [payment('X-4', 'C-2023', '2025-01-01', 0), 'body.amount_cny', /above 0/],
      [payment('X-5', 'C-2023', '2025-01-01', -5), 'body.amount_cny', /^must be above 0$/],
      [payment('X-6', 'C-2023', '2999-01-01', 5), 'body.received_on', /future/],
    ];
    for (const [body, path, message] of cases) {
      const response = await admin.post('/records/payment', body);
      const problem = (await response.json()) as { errors: Array<{ path: string; message: string }> };
      expect(response.status, JSON.stringify(problem)).toBe(400);
      expect(problem.errors).toContainEqual(expect.objectContaining({ path, message: expect.stringMatching(message) }));
    }
    // Up to the fen is allowed.
    const exact = await admin.post('/records/payment', payment('X-7', 'C-2023', '2025-01-01', 249_999.75));
    expect(exact.status).toBe(201);
    const id = ((await exact.json()) as { id: number }).id;
    // Raised by a change, not only by a new payment.
    const raised = await admin.patch(`/records/payment/${id}`, { amount_cny: 249_999.76 });
    expect(raised.status).toBe(400);
    expect((await admin.delete(`/records/payment/${id}`)).status).toBe(204);
    expect(await count()).toBe(before);
  });

  it("when a steward pays on another university's contract, then it is refused, and it sees its own payments only", async () => {
    const contracts = await admin.request(
      'POST',
      '/imports/tech_transfer',
      csvOf('tech_transfer', [contract('U-1', '2024-01-10', 10_000, { university_code: 'USST' })]),
      { 'content-type': 'text/csv' },
    );
    expect(contracts.status).toBe(200);
    expect((await steward.post('/records/payment', payment('S-1', 'C-2022', '2024-02-01', 5))).status).toBe(403);
    // A payment of its own university naming another's contract: no such contract of USST.
    const foreign = await steward.post('/records/payment', payment('S-2', 'C-2022', '2024-02-01', 5, 'USST'));
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('body.contract_ref');
    expect((await steward.post('/records/payment', payment('S-3', 'U-1', '2024-02-01', 5, 'USST'))).status).toBe(201);
    const seen = (await (await steward.get('/records/payment')).json()).rows as Array<{ university_code: string }>;
    expect(seen.map((r) => r.university_code)).toEqual(['USST']);
  });

  it('when a file of payments overshoots a contract, split over two lines or with the stored ones, then the line and column are named and nothing is imported', async () => {
    const count = async () => (await database.db.selectFrom('payment').select('id').execute()).length;
    const before = await count();
    const file = csvOf('payment', [
      payment('F-1', 'C-2023', '2025-02-01', 100_000),
      // C-2023 has 250,000.25 stored: 350,000.25, then 500,000.26 here.
      payment('F-2', 'C-2023', '2025-02-02', 150_000.01),
      payment('F-3', 'C-2022', '2025-02-03', 400_000.01),
      payment('F-4', 'C-404', '2025-02-03', 1),
      payment('F-5', 'C-2024', '2024-12-30', 1),
    ]);
    for (const dryRun of [true, false]) {
      const response = await admin.request('POST', `/imports/payment?dryRun=${dryRun}`, file, { 'content-type': 'text/csv' });
      const problem = (await response.json()) as { errorCount: number; errors: Array<Record<string, unknown>> };
      expect(response.status, JSON.stringify(problem)).toBe(422);
      expect(problem.errors).toMatchObject([
        {
          line: 3,
          column: 'amount_cny',
          message:
            'would bring the payments on contract C-2023 to 500000.26, above its contract value 500000.00: at most 149999.75 can be received on this line (250000.25 received on it besides this file)',
        },
        {
          line: 4,
          column: 'amount_cny',
          message: expect.stringMatching(/contract C-2022 to 1001234\.51, above its contract value 1000000\.00/),
        },
        { line: 5, column: 'contract_ref', message: 'there is no contract C-404 of UJS' },
        { line: 6, column: 'received_on', message: 'must not be before the contract was signed (2024-12-31)' },
      ]);
      expect(problem.errorCount).toBe(4);
    }
    expect(await count()).toBe(before);
    // A stored payment the file lowers makes room for the file's others.
    const fits = csvOf('payment', [
      payment('P-4', 'C-2023', '2023-06-30', 0.25),
      payment('F-1', 'C-2023', '2025-02-01', 300_000),
    ]);
    const applied = await admin.request('POST', '/imports/payment', fits, { 'content-type': 'text/csv' });
    expect(await applied.json()).toMatchObject({ inserted: 1, updated: 1 });
  });

  it('when a payment names a contract that exists only with leading zeros (00456 for 456), then the answer names the stored ref, by the form and by the file, and nothing is written', async () => {
    const count = async () => (await database.db.selectFrom('payment').select('id').execute()).length;
    const stored = await admin.post('/records/tech_transfer', contract('00456', '2024-01-01', 10_000));
    expect(stored.status, await stored.clone().text()).toBe(201);
    const before = await count();
    const hint = 'there is no contract 456 of UJS, but there is 00456, which differs from it only by its leading zeros';
    const one = await admin.post('/records/payment', payment('Z-1', '456', '2024-02-01', 1));
    const problem = (await one.json()) as { errors: Array<{ path: string; message: string }> };
    expect(one.status, JSON.stringify(problem)).toBe(400);
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'body.contract_ref', message: expect.stringContaining(hint) }),
    ]);
    // Not every missing contract is a lost zero: a ref with letters, or digits nothing stored ends in.
    const file = csvOf('payment', [
      payment('Z-2', '456', '2024-02-01', 1),
      payment('Z-3', '457', '2024-02-01', 1),
      payment('Z-4', 'C-456', '2024-02-01', 1),
    ]);
    for (const dryRun of [true, false]) {
      const response = await admin.request('POST', `/imports/payment?dryRun=${dryRun}`, file, { 'content-type': 'text/csv' });
      const rejected = (await response.json()) as { errors: Array<Record<string, unknown>> };
      expect(response.status, JSON.stringify(rejected)).toBe(422);
      expect(rejected.errors).toMatchObject([
        {
          line: 2,
          column: 'contract_ref',
          message: expect.stringContaining(hint),
          code: 'no_contract',
          params: { ref: '456', university: 'UJS', stored: '00456' },
        },
        {
          line: 3,
          column: 'contract_ref',
          message: 'there is no contract 457 of UJS',
          params: { ref: '457', university: 'UJS' },
        },
        { line: 4, column: 'contract_ref', message: 'there is no contract C-456 of UJS' },
      ]);
      expect(rejected.errors.slice(1).map((error) => error.params)).toEqual([
        { ref: '457', university: 'UJS' },
        { ref: 'C-456', university: 'UJS' },
      ]);
    }
    expect(await count()).toBe(before);
  });

  it('when a contract with payments is deleted, lowered below them or signed after them, then each is refused naming the field', async () => {
    const rows = (await (await admin.get('/records/tech_transfer?q=C-2022')).json()).rows as Array<{ id: number }>;
    const id = rows[0]!.id;
    const deleted = await admin.delete(`/records/tech_transfer/${id}`);
    expect(deleted.status).toBe(409);
    expect(((await deleted.json()) as { detail: string }).detail).toMatch(/has 4 payments: delete them first/);
    const problem = (await (await admin.delete(`/records/tech_transfer/${id}`)).json()) as { detail: string };
    expect(problemText(problem, 'zh')).toBe('合同 C-2022（UJS）有 4 笔到账记录：请先删除。');
    const lowered = await admin.patch(`/records/tech_transfer/${id}`, { contract_value_cny: 1 });
    expect(((await lowered.json()) as { errors: unknown[] }).errors).toMatchObject([
      { path: 'body.contract_value_cny', message: 'must not be below the cash received on it (601234.50)' },
    ]);
    const later = await admin.patch(`/records/tech_transfer/${id}`, { signed_on: '2023-01-02' });
    expect(((await later.json()) as { errors: unknown[] }).errors).toMatchObject([
      { path: 'body.signed_on', message: 'must not be after its first payment (received 2023-01-01)' },
    ]);
    const renamed = await admin.patch(`/records/tech_transfer/${id}`, { ref: 'C-2022-B' });
    expect(renamed.status).toBe(409);
    const written = await admin.patch(`/records/tech_transfer/${id}`, { received_cny: 5 });
    expect(written.status).toBe(400);
    expect(((await written.json()) as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('body.received_cny');
    // The same through an import: the line and the column.
    const file = csvOf('tech_transfer', [contract('C-2022', '2023-01-02', 1)]);
    const imported = await admin.request('POST', '/imports/tech_transfer', file, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(422);
    expect(((await imported.json()) as { errors: unknown[] }).errors).toMatchObject([
      { line: 2, column: 'contract_value_cny', message: 'must not be below the cash received on it (601234.50)' },
      { line: 2, column: 'signed_on', message: 'must not be after its first payment (received 2023-01-01)' },
    ]);
  });

  it('when each role reads and writes payments, then each answer is the one its role allows, and a steward reads and writes its own only', async () => {
    const usstContract = await admin.request(
      'POST',
      '/imports/tech_transfer',
      csvOf('tech_transfer', [contract('ROLE-1', '2024-01-10', 1_000_000, { university_code: 'USST' })]),
      { 'content-type': 'text/csv' },
    );
    expect(usstContract.status).toBe(200);
    const njtech = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
    const anonymous = Client.anonymous(server);
    let n = 0;
    const body = (university = 'USST', contractRef = 'ROLE-1') =>
      payment(`ROLE-P-${++n}`, contractRef, '2024-02-01', 1, university);
    const fresh = async () => ((await (await admin.post('/records/payment', body())).json()) as { id: number }).id;
    const file = () => csvOf('payment', [body()]);
    const cases: Array<[string, Client, () => Promise<Response>, number]> = [];
    for (const [who, client, read, write] of [
      ['anonymous', anonymous, 401, 401],
      ['commission', commission, 403, 403],
      ['leadership', leadership, 200, 403],
      ['steward of USST', steward, 200, 201],
      ['steward of NJTECH', njtech, 200, 403],
      ['admin', admin, 200, 201],
    ] as const) {
      cases.push([`${who} lists`, client, () => client.get('/records/payment'), read]);
      cases.push([`${who} creates`, client, () => client.post('/records/payment', body()), write]);
      const changed = write === 201 ? 200 : who === 'steward of NJTECH' ? 404 : write;
      cases.push([
        `${who} changes`,
        client,
        async () => client.patch(`/records/payment/${await fresh()}`, { amount_cny: 2 }),
        changed,
      ]);
      const removed = write === 201 ? 204 : who === 'steward of NJTECH' ? 404 : write;
      cases.push([`${who} deletes`, client, async () => client.delete(`/records/payment/${await fresh()}`), removed]);
      const imported = write === 201 ? 200 : write;
      cases.push([
        `${who} imports`,
        client,
        () => client.request('POST', '/imports/payment', file(), { 'content-type': 'text/csv' }),
        imported,
      ]);
    }
    const mismatches: string[] = [];
    for (const [what, , call, status] of cases) {
      const response = await call();
      if (response.status !== status) mismatches.push(`${what}: ${response.status}, not ${status}`);
    }
    expect(mismatches).toEqual([]);
    // What each steward sees: its own university's payments, none of the others'.
    for (const [client, own] of [
      [steward, 'USST'],
      [njtech, 'NJTECH'],
    ] as const) {
      const rows = (await (await client.get('/records/payment?pageSize=1000')).json()).rows as Array<{ university_code: string }>;
      expect(new Set(rows.map((r) => r.university_code))).toEqual(new Set(rows.length > 0 ? [own] : []));
      const csv = await (await client.get('/records/payment?format=csv')).text();
      expect(parseCsv(csv).rows.every((r) => r[0] === own)).toBe(true);
    }
  });

  it('when a long file passes a value on the way and a later line lowers a stored payment, then it imports: the sum is checked at the end', async () => {
    const contracts = await admin.request(
      'POST',
      '/imports/tech_transfer',
      csvOf('tech_transfer', [contract('BIG-1', '2024-01-01', 1_000_000), contract('BIG-2', '2024-01-01', 1_000_000)]),
      { 'content-type': 'text/csv' },
    );
    expect(contracts.status).toBe(200);
    expect((await admin.post('/records/payment', payment('BIG-S', 'BIG-1', '2024-02-01', 900_000))).status).toBe(201);
    // Line 2 takes BIG-1 to 1,400,000 while BIG-S is still 900,000; the last line, 2,500 lines on
    // (past the embedded engine's parts of 2,000), lowers BIG-S to 100,000: 600,000 at the end.
    const filler = Array.from({ length: 2498 }, (_, i) => payment(`BIG-F-${i}`, 'BIG-2', '2024-03-01', 1));
    const file = csvOf('payment', [
      payment('BIG-N', 'BIG-1', '2024-03-01', 500_000),
      ...filler,
      payment('BIG-S', 'BIG-1', '2024-02-01', 100_000),
    ]);
    const imported = await admin.request('POST', '/imports/payment', file, { 'content-type': 'text/csv' });
    expect(imported.status, await imported.clone().text()).toBe(200);
    expect(await imported.json()).toMatchObject({ inserted: 2499, updated: 1 });
    const received = async (ref: string) =>
      Number(
        (await database.db.selectFrom('tech_transfer').select('received_cny').where('ref', '=', ref).executeTakeFirstOrThrow())
          .received_cny,
      );
    expect([await received('BIG-1'), await received('BIG-2')]).toEqual([600_000, 2498]);
    // The other way round (the last line raises instead): refused, nothing written.
    const over = csvOf('payment', [
      payment('BIG-S', 'BIG-1', '2024-02-01', 100_000),
      ...filler,
      payment('BIG-N', 'BIG-1', '2024-03-01', 900_000.01),
    ]);
    const refused = await admin.request('POST', '/imports/payment', over, { 'content-type': 'text/csv' });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: Array<{ line: number; column: string }> }).errors).toMatchObject([
      expect.objectContaining({ line: 2501, column: 'amount_cny' }),
    ]);
    expect(await received('BIG-1')).toBe(600_000);
  });

  it('when two payments move crosswise between two contracts at the same moment, then each is written or answered 503, never a 500', async () => {
    const made = await admin.request(
      'POST',
      '/imports/tech_transfer',
      csvOf('tech_transfer', [contract('X-A', '2024-01-01', 1_000_000), contract('X-B', '2024-01-01', 1_000_000)]),
      { 'content-type': 'text/csv' },
    );
    expect(made.status).toBe(200);
    const a = ((await (await admin.post('/records/payment', payment('X-PA', 'X-A', '2024-02-01', 10))).json()) as { id: number })
      .id;
    const b = ((await (await admin.post('/records/payment', payment('X-PB', 'X-B', '2024-02-01', 20))).json()) as { id: number })
      .id;
    const statuses = new Set<number>();
    for (let round = 0; round < 10; round++) {
      const [one, two] = await Promise.all([
        admin.patch(`/records/payment/${a}`, { contract_ref: round % 2 === 0 ? 'X-B' : 'X-A' }),
        admin.patch(`/records/payment/${b}`, { contract_ref: round % 2 === 0 ? 'X-A' : 'X-B' }),
      ]);
      statuses.add(one.status).add(two.status);
    }
    expect([...statuses].every((status) => status === 200 || status === 503)).toBe(true);
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from tech_transfer as t
      where t.received_cny <> coalesce((select sum(amount_cny) from payment as p
        where p.university_code = t.university_code and p.contract_ref = t.ref), 0)`.execute(database.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
