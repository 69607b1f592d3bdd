import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

const contract = (over: Record<string, unknown> = {}) => ({
  university_code: 'USST',
  ref: 'TT-NEW-1',
  mode: 'license',
  partner_name: '上海某光电科技有限公司',
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on: '2024-03-31',
  contract_value_cny: 1200000.5,
  // Read only (the sum of the payments): a new record may send it as 0, as a client that sends back what it read.
  received_cny: '0',
  patents: 2,
  ...over,
});

describe(`records: one at a time (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let usst: Client;
  let njtech: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(99, 40));
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    njtech = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const snapshot = async () => JSON.stringify(await database.db.selectFrom('tech_transfer').selectAll().orderBy('id').execute());
  const auditCount = async () => (await database.db.selectFrom('audit_log').select('id').execute()).length;

  it('when a steward creates a record of its own university, then it is stored exactly, audited, and counted in the aggregates', async () => {
    const before = await (
      await usst.get('/aggregate?measures=tech_transfer.contract_value&university=USST&from=2024-03-31&to=2024-03-31')
    ).json();
    const response = await usst.post('/records/tech_transfer', contract());
    expect(response.status).toBe(201);
    const record = await response.json();
    expect(record).toMatchObject({
      university_code: 'USST',
      ref: 'TT-NEW-1',
      contract_value_cny: 1200000.5,
      received_cny: 0,
      patents: 2,
    });
    const after = await (
      await usst.get('/aggregate?measures=tech_transfer.contract_value&university=USST&from=2024-03-31&to=2024-03-31')
    ).json();
    expect(
      Math.round(after.rows[0]['tech_transfer.contract_value'] * 100) -
        Math.round(before.rows[0]['tech_transfer.contract_value'] * 100),
    ).toBe(120000050);
    const entry = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'create')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      user_email: IDENTITIES.stewardUSST.email,
      subject: 'tech_transfer:USST/TT-NEW-1',
      before: null,
    });
    expect(entry.after).toMatchObject({ ref: 'TT-NEW-1', contract_value_cny: 1200000.5 });
  });

  it('when a steward creates, changes, moves or deletes another university’s record, then each is refused (404 by id, 403 by body) and nothing changes', async () => {
    const [own] = await database.db
      .selectFrom('tech_transfer')
      .select('id')
      .where('university_code', '=', 'USST')
      .limit(1)
      .execute();
    const before = await snapshot();
    const audits = await auditCount();
    const attempts = [
      await njtech.post('/records/tech_transfer', contract({ ref: 'TT-INTRUDER' })),
      await njtech.patch(`/records/tech_transfer/${own!.id}`, { patents: 9 }),
      await njtech.patch(`/records/tech_transfer/${own!.id}`, { university_code: 'NJTECH' }),
      await njtech.delete(`/records/tech_transfer/${own!.id}`),
      await usst.patch(`/records/tech_transfer/${own!.id}`, { university_code: 'NJTECH' }),
    ];
    // By its id, another university's record is missing to a steward (no probing which ids exist);
    // naming another university in the body is refused outright.
    expect(attempts.map((r) => r.status)).toEqual([403, 404, 404, 404, 403]);
    expect(await snapshot()).toBe(before);
    expect(await auditCount()).toBe(audits);
  });

  it('when a record breaks the rules, then it is a 400 naming every field, and nothing is written', async () => {
    const before = await snapshot();
    const response = await admin.post(
      '/records/tech_transfer',
      contract({
        ref: 'TT-BAD',
        mode: 'gift',
        contract_value_cny: -5,
        received_cny: 'lots',
        signed_on: '2024-02-30',
        university_code: 'MIT',
        extra: 1,
      }),
    );
    expect(response.status).toBe(400);
    const paths = (await response.json()).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['body', 'body.contract_value_cny', 'body.mode', 'body.received_cny', 'body.signed_on'].sort());
    const unknownCode = await admin.post('/records/tech_transfer', contract({ ref: 'TT-BAD2', university_code: 'MIT' }));
    expect(unknownCode.status).toBe(400);
    expect((await unknownCode.json()).errors[0]).toMatchObject({
      path: 'body.university_code',
      message: expect.stringMatching(/unknown university MIT/),
    });
    const crossRule = await admin.post('/records/tech_transfer', contract({ ref: 'TT-BAD3', co_university_code: 'USST' }));
    expect((await crossRule.json()).errors).toMatchObject([
      { path: 'body.co_university_code', message: 'must differ from university_code' },
    ]);
    const derived = await admin.post('/records/tech_transfer', contract({ ref: 'TT-BAD4', received_cny: 2000000 }));
    expect((await derived.json()).errors).toMatchObject([
      {
        path: 'body.received_cny',
        message: "is read only (0): the sum of the contract's payments: record a payment instead",
      },
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('when a record is sent with a year-first date and a grouped amount, then it is stored as the ISO day and the plain amount; a day-first date is a 400', async () => {
    const created = await admin.post(
      '/records/tech_transfer',
      contract({ ref: 'TT-ZH-SAVED', signed_on: '2024/5/1', contract_value_cny: '1,200,000.50' }),
    );
    expect(created.status, await created.clone().text()).toBe(201);
    expect(await created.json()).toMatchObject({ signed_on: '2024-05-01', contract_value_cny: 1_200_000.5 });
    const stored = await database.db
      .selectFrom('tech_transfer')
      .select(['signed_on', 'contract_value_cny'])
      .where('ref', '=', 'TT-ZH-SAVED')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ signed_on: '2024-05-01', contract_value_cny: 1_200_000.5 });
    const before = await snapshot();
    const dayFirst = await admin.post('/records/tech_transfer', contract({ ref: 'TT-ZH-BAD', signed_on: '1/5/2024' }));
    expect(dayFirst.status).toBe(400);
    expect((await dayFirst.json()).errors).toMatchObject([
      { path: 'body.signed_on', message: expect.stringMatching(/not 1\/5\/2024 \(a spreadsheet may have reformatted it/) },
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('when the ref is taken within the university, then it is a 409', async () => {
    expect((await admin.post('/records/tech_transfer', contract())).status).toBe(409);
  });

  it('when a record is changed, then the audit keeps before and after; when deleted, the audit keeps it whole', async () => {
    const [row] = await database.db.selectFrom('tech_transfer').select(['id', 'patents']).where('ref', '=', 'TT-NEW-1').execute();
    const changed = await usst.patch(`/records/tech_transfer/${row!.id}`, { patents: 5, contract_value_cny: 1300000 });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ patents: 5, contract_value_cny: 1300000, received_cny: 0 });
    const update = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(update.before).toMatchObject({ patents: 2, contract_value_cny: 1200000.5 });
    expect(update.after).toMatchObject({ patents: 5, contract_value_cny: 1300000 });
    expect((await usst.patch(`/records/tech_transfer/${row!.id}`, { patents: -1 })).status).toBe(400);
    expect((await usst.patch(`/records/tech_transfer/${row!.id}`, { colour: 'red' })).status).toBe(400);
    expect((await usst.delete(`/records/tech_transfer/${row!.id}`)).status).toBe(204);
    expect(await database.db.selectFrom('tech_transfer').select('id').where('id', '=', row!.id).execute()).toEqual([]);
    const removal = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'delete')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(removal).toMatchObject({ subject: 'tech_transfer:USST/TT-NEW-1', after: null });
    expect(removal.before).toMatchObject({ ref: 'TT-NEW-1', patents: 5 });
    expect((await usst.delete(`/records/tech_transfer/${row!.id}`)).status).toBe(404);
  });

  it('when a steward lists records, then only its own university’s come back; leadership sees all', async () => {
    const own = await (await usst.get('/records/credit?pageSize=1000')).json();
    expect(own.rows.length).toBeGreaterThan(0);
    expect(new Set(own.rows.map((r: { university_code: string }) => r.university_code))).toEqual(new Set(['USST']));
    const sneaky = await (await usst.get('/records/credit?university=NJTECH')).json();
    expect(sneaky.rows).toEqual([]);
    const lead = await Client.signIn(server, IDENTITIES.leadership.email);
    const all = await (await lead.get('/records/credit?pageSize=1000')).json();
    expect(all.total).toBe((await database.db.selectFrom('credit').select('id').execute()).length);
  });

  it('when paged, filtered and sorted, then pages partition the filtered records in order', async () => {
    const lead = await Client.signIn(server, IDENTITIES.leadership.email);
    const query = 'from=2023-01-01&to=2024-12-31&mode=license,transfer&sort=-contract_value_cny';
    const pages = [];
    for (let page = 1; page <= 3; page++)
      pages.push(await (await lead.get(`/records/tech_transfer?${query}&pageSize=5&page=${page}`)).json());
    const all = await (await lead.get(`/records/tech_transfer?${query}&pageSize=1000`)).json();
    expect(pages.flatMap((p) => p.rows).map((r) => r.id)).toEqual(all.rows.slice(0, 15).map((r: { id: number }) => r.id));
    const values = all.rows.map((r: { contract_value_cny: number }) => r.contract_value_cny);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const row of all.rows) {
      expect(['license', 'transfer']).toContain(row.mode);
      expect(row.signed_on >= '2023-01-01' && row.signed_on <= '2024-12-31').toBe(true);
    }
    expect((await lead.get('/records/credit?mode=license')).status).toBe(400);
    expect((await lead.get('/records/tech_transfer?sort=password_hash')).status).toBe(400);
    expect((await lead.get('/records/tech_transfer?pageSize=1001')).status).toBe(400);
    expect((await lead.get('/records/users')).status).toBe(400);
  });
});
