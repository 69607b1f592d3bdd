import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_COLUMNS, MAIN_DATE } from '../../contract/record-columns.js';
import { type AuditAction, FACT_KINDS } from '../../server/db/schema.js';
import { canonicalJson } from '../../server/lib/canonical-json.js';
import { today } from '../../server/lib/dates.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

let serial = 0;
const contract = (over: Record<string, unknown> = {}) => ({
  university_code: 'USST',
  ref: `CYCLE-${++serial}`,
  mode: 'license',
  partner_name: 'Cycle Ltd.',
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on: '2024-08-15',
  contract_value_cny: 500000.25,
  received_cny: 0,
  patents: 1,
  ...over,
});

describe(`the reporting cycle (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let lead: Client;
  let usst: Client;
  let njtech: Client;
  const Q3 = '/cycle/periods/USST/2024-Q3';
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    njtech = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  /** The steps of a period as stored, oldest first. */
  const steps = async (university: string, period: string) =>
    database.db
      .selectFrom('reporting_step as s')
      .innerJoin('reporting_period as p', 'p.id', 's.period_id')
      .select(['s.action', 's.comment', 's.sha256', 's.summary', 's.user_email'])
      .where('p.university_code', '=', university)
      .where('p.period', '=', period)
      .orderBy('s.id')
      .execute();
  const audits = async (action: AuditAction) =>
    database.db
      .selectFrom('audit_log')
      .select(['subject', 'user_email', 'detail'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  const contracts = async () => JSON.stringify(await database.db.selectFrom('tech_transfer').selectAll().orderBy('id').execute());

  /** The digest and totals of a period, computed here from the tables. */
  async function independentFreeze(university: string, from: string, to: string) {
    const records: Record<string, unknown[]> = {};
    const summary: Record<string, { records: number; totals: Record<string, number> }> = {};
    for (const kind of FACT_KINDS) {
      const columns = INPUT_COLUMNS[kind].map((c) => c.name);
      const { rows } = await sql<
        Record<string, unknown>
      >`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(kind)}
        where university_code = ${university} and ${sql.ref(MAIN_DATE[kind])} between ${from} and ${to} order by ref`.execute(
        database.db,
      );
      records[kind] = rows;
      const amounts = INPUT_COLUMNS[kind].filter((c) => ['money', 'count', 'credits'].includes(c.type)).map((c) => c.name);
      const { rows: sums } = await sql<Record<string, unknown>>`select count(*) as n${sql.join(
        amounts.map((c) => sql`, coalesce(sum(${sql.ref(c)}), 0) as ${sql.ref(c)}`),
        sql``,
      )} from ${sql.table(kind)} where university_code = ${university} and ${sql.ref(MAIN_DATE[kind])} between ${from} and ${to}`.execute(
        database.db,
      );
      summary[kind] = { records: Number(sums[0]!.n), totals: Object.fromEntries(amounts.map((c) => [c, Number(sums[0]![c])])) };
    }
    const sha256 = createHash('sha256').update(canonicalJson({ university, from, to, records }), 'utf8').digest('hex');
    return { sha256, summary };
  }

  it('when nothing is said of a period, then the board derives it: not started, in progress with records, late past its due date; a steward sees its own row only', async () => {
    expect((await admin.post('/records/tech_transfer', contract())).status).toBe(201);
    const board = await (await lead.get('/cycle/board?year=2024')).json();
    const usstRow = board.universities.find((u: { university: string }) => u.university === 'USST');
    expect(usstRow).toMatchObject({ frequency: 'quarter', dueDays: 20 });
    expect(usstRow.periods.map((p: { period: string }) => p.period)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    const q3 = usstRow.periods[2];
    expect(q3).toMatchObject({
      status: 'in_progress',
      records: 1,
      dueOn: '2024-10-20',
      late: today() > '2024-10-20',
      ended: true,
    });
    expect(usstRow.periods[0]).toMatchObject({ status: 'not_started', records: 0, dueOn: '2024-04-20' });
    const own = await (await usst.get('/cycle/board?year=2024')).json();
    expect(own.universities.map((u: { university: string }) => u.university)).toEqual(['USST']);
    expect((await usst.get('/cycle/board?year=2024&university=NJTECH')).status).toBe(403);
  });

  it('when a steward submits its period, then counts, totals and digest are frozen as the tables say, and audited', async () => {
    const foreign = await njtech.post(`${Q3}/submit`, {});
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'steward_own_periods', params: { university: 'NJTECH' } });
    const response = await usst.post(`${Q3}/submit`, { note: 'Everything for Q3 is entered.' });
    expect(response.status).toBe(200);
    const answer = await response.json();
    const expected = await independentFreeze('USST', '2024-07-01', '2024-09-30');
    expect(answer).toMatchObject({ status: 'submitted', sha256: expected.sha256, summary: expected.summary, late: false });
    expect(answer.summary.tech_transfer).toEqual({
      records: 1,
      totals: expect.objectContaining({ contract_value_cny: 500000.25 }),
    });
    const stored = await steps('USST', '2024-Q3');
    expect(stored).toEqual([
      expect.objectContaining({ action: 'submit', sha256: expected.sha256, user_email: IDENTITIES.stewardUSST.email }),
    ]);
    expect(await audits('period_submit')).toEqual([
      expect.objectContaining({ subject: 'period:USST/2024-Q3', user_email: IDENTITIES.stewardUSST.email }),
    ]);
    // A second submission of the same period: it waits for review.
    const again = await usst.post(`${Q3}/submit`, {});
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('period_already_submitted');
    expect(await steps('USST', '2024-Q3')).toHaveLength(1);
  });

  it('when a steward would approve, or a reviewer returns without a comment, then both are refused and nothing is stored', async () => {
    expect((await usst.post(`${Q3}/approve`, {})).status).toBe(403);
    for (const body of [{}, { comment: '   ' }]) {
      const refused = await lead.post(`${Q3}/return`, body);
      expect(refused.status).toBe(400);
      // Left out or blank, the comment is said to be required.
      expect((await refused.json()).errors).toMatchObject([{ path: 'body.comment', code: 'required' }]);
    }
    expect(await steps('USST', '2024-Q3')).toHaveLength(1);
  });

  it('when a reviewer returns it with a comment, then the steward sees it, may not resubmit it unchanged, and resubmits once corrected', async () => {
    const returned = await lead.post(`${Q3}/return`, { comment: 'The September contracts are missing.' });
    expect(returned.status).toBe(200);
    expect(await returned.json()).toMatchObject({
      status: 'returned',
      lastStep: { action: 'return', comment: 'The September contracts are missing.' },
    });
    const seen = await (await usst.get(Q3)).json();
    expect(seen.lastStep.comment).toBe('The September contracts are missing.');
    expect(seen.steps.map((s: { action: string }) => s.action)).toEqual(['submit', 'return']);
    const unchanged = await usst.post(`${Q3}/submit`, {});
    expect(unchanged.status).toBe(409);
    expect((await unchanged.json()).code).toBe('period_unchanged');
    expect(
      (await usst.post('/records/tech_transfer', contract({ signed_on: '2024-09-28', contract_value_cny: 1000 }))).status,
    ).toBe(201);
    const resubmitted = await usst.post(`${Q3}/submit`, {});
    expect(resubmitted.status).toBe(200);
    const expected = await independentFreeze('USST', '2024-07-01', '2024-09-30');
    expect(await resubmitted.json()).toMatchObject({ status: 'submitted', sha256: expected.sha256, summary: expected.summary });
    expect((await steps('USST', '2024-Q3')).map((s) => s.action)).toEqual(['submit', 'return', 'submit']);
    expect((await audits('period_return')).map((a) => a.subject)).toEqual(['period:USST/2024-Q3']);
  });

  it('when records change after the submission, then approval is refused until the period is submitted again', async () => {
    const [id] = (await database.db.selectFrom('tech_transfer').select('id').where('signed_on', '=', '2024-09-28').execute()).map(
      (r) => r.id,
    );
    expect((await usst.patch(`/records/tech_transfer/${id}`, { patents: 4 })).status).toBe(200);
    const refused = await lead.post(`${Q3}/approve`, {});
    expect(refused.status).toBe(409);
    expect((await refused.json()).code).toBe('period_changed_since_submitted');
    expect((await lead.post(`${Q3}/return`, { comment: 'Resubmit with the patents.' })).status).toBe(200);
    expect((await usst.post(`${Q3}/submit`, {})).status).toBe(200);
  });

  it('when a reviewer approves it, then it is approved, audited, and approving again is refused', async () => {
    const approved = await lead.post(`${Q3}/approve`, {});
    expect(approved.status).toBe(200);
    expect((await approved.json()).status).toBe('approved');
    expect((await steps('USST', '2024-Q3')).at(-1)).toMatchObject({ action: 'approve', user_email: IDENTITIES.leadership.email });
    expect((await audits('period_approve')).map((a) => a.subject)).toEqual(['period:USST/2024-Q3']);
    const twice = await admin.post(`${Q3}/approve`, {});
    expect(twice.status).toBe(409);
    expect((await twice.json()).code).toBe('period_not_submitted');
    expect((await admin.post(`${Q3}/return`, { comment: 'late thought' })).status).toBe(409);
    const resubmit = await usst.post(`${Q3}/submit`, {});
    expect(resubmit.status).toBe(409);
    expect((await resubmit.json()).code).toBe('period_already_approved');
  });

  it('when a record dated in the approved period is created, changed, moved in or out, or deleted, then each is refused with 409 naming the period, and nothing changes', async () => {
    const before = await contracts();
    const expectClosed = async (response: Response) => {
      expect(response.status).toBe(409);
      const problem = await response.json();
      expect(problem).toMatchObject({
        code: 'period_closed',
        params: { university: 'USST', period: '2024-Q3', from: '2024-07-01', to: '2024-09-30' },
      });
      expect(problem.detail).toMatch(/2024-Q3 of USST .* reopen it, with the reason/);
    };
    await expectClosed(await usst.post('/records/tech_transfer', contract({ signed_on: '2024-07-01' })));
    await expectClosed(await admin.post('/records/tech_transfer', contract({ signed_on: '2024-09-30' })));
    const inside = (
      await database.db.selectFrom('tech_transfer').select('id').where('signed_on', '=', '2024-08-15').executeTakeFirstOrThrow()
    ).id;
    await expectClosed(await usst.patch(`/records/tech_transfer/${inside}`, { patents: 9 }));
    await expectClosed(await usst.patch(`/records/tech_transfer/${inside}`, { signed_on: '2024-10-02' }));
    await expectClosed(await usst.delete(`/records/tech_transfer/${inside}`));
    // A record outside the period may not be moved into it.
    const outside = await (await usst.post('/records/tech_transfer', contract({ signed_on: '2024-10-05' }))).json();
    const afterOutside = await contracts();
    await expectClosed(await usst.patch(`/records/tech_transfer/${outside.id}`, { signed_on: '2024-09-01' }));
    expect(await contracts()).toBe(afterOutside);
    // A payment is dated by its own day: one received in the period is refused, one after it is not.
    await expectClosed(
      await usst.post('/records/payment', {
        university_code: 'USST',
        ref: 'PAY-1',
        contract_ref: 'CYCLE-1',
        received_on: '2024-09-01',
        amount_cny: 10,
      }),
    );
    expect(
      (
        await usst.post('/records/payment', {
          university_code: 'USST',
          ref: 'PAY-2',
          contract_ref: 'CYCLE-1',
          received_on: '2024-10-09',
          amount_cny: 10,
        })
      ).status,
    ).toBe(201);
    // Another university's same quarter is open.
    expect((await njtech.post('/records/tech_transfer', contract({ university_code: 'NJTECH' }))).status).toBe(201);
    expect(before).not.toBe(await contracts());
    const inPeriod = await database.db
      .selectFrom('tech_transfer')
      .select(['ref', 'patents', 'signed_on'])
      .where('university_code', '=', 'USST')
      .where('signed_on', '>=', '2024-07-01')
      .where('signed_on', '<=', '2024-09-30')
      .orderBy('ref')
      .execute();
    expect(inPeriod).toEqual([
      { ref: 'CYCLE-1', patents: 1, signed_on: '2024-08-15' },
      { ref: 'CYCLE-2', patents: 4, signed_on: '2024-09-28' },
    ]);
  });

  it('when an import has lines dated in the approved period, then the file is refused whole with those lines listed, dry run or not; unchanged lines pass', async () => {
    const page = await (await admin.get('/records/tech_transfer?university=USST&pageSize=100&sort=ref')).json();
    const rows = page.rows as Array<Record<string, unknown>>;
    const cycle1 = rows.find((r) => r.ref === 'CYCLE-1')!;
    const later = rows.find((r) => r.signed_on === '2024-10-05')!;
    const file = csvOf('tech_transfer', [
      { ...later, patents: 7 } as never,
      { ...cycle1, patents: 8 } as never,
      { ...contract({ signed_on: '2024-07-20' }) } as never,
    ]);
    const before = await contracts();
    const batches = async () => (await database.db.selectFrom('import_batch').select('id').execute()).length;
    const batchesBefore = await batches();
    for (const query of ['?dryRun=true', '']) {
      const response = await usst.request('POST', `/imports/tech_transfer${query}`, file, { 'content-type': 'text/csv' });
      expect(response.status).toBe(409);
      const problem = await response.json();
      expect(problem).toMatchObject({ code: 'period_closed_lines', params: { count: 2 } });
      expect(problem.errors.map((e: { line: number; column: string; code: string }) => [e.line, e.column, e.code])).toEqual([
        [3, 'signed_on', 'period_closed'],
        [4, 'signed_on', 'period_closed'],
      ]);
    }
    expect(await contracts()).toBe(before);
    expect(await batches()).toBe(batchesBefore);
    // The same lines, the closed one unchanged: the file is applied.
    const fine = csvOf('tech_transfer', [{ ...later, patents: 7 } as never, cycle1 as never]);
    const applied = await usst.request('POST', '/imports/tech_transfer', fine, { 'content-type': 'text/csv' });
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
  });

  it('when an admin reopens without a reason, then it is refused; with one, writes go through and the period is submitted and approved again', async () => {
    expect((await lead.post(`${Q3}/reopen`, { reason: 'no' })).status).toBe(403);
    expect((await admin.post(`${Q3}/reopen`, {})).status).toBe(400);
    expect((await admin.post(`${Q3}/reopen`, { reason: '' })).status).toBe(400);
    const reopened = await admin.post(`${Q3}/reopen`, { reason: 'A contract was signed by NJTECH, not USST.' });
    expect(reopened.status).toBe(200);
    expect(await reopened.json()).toMatchObject({
      status: 'reopened',
      lastStep: { comment: 'A contract was signed by NJTECH, not USST.' },
    });
    expect(await audits('period_reopen')).toEqual([
      expect.objectContaining({ subject: 'period:USST/2024-Q3', user_email: IDENTITIES.admin.email }),
    ]);
    expect((await admin.post(`${Q3}/reopen`, { reason: 'again' })).status).toBe(409);
    // Unchanged since its last submission: refused until something is corrected.
    expect((await usst.post(`${Q3}/submit`, {})).status).toBe(409);
    const created = await usst.post('/records/tech_transfer', contract({ signed_on: '2024-07-02' }));
    expect(created.status).toBe(201);
    expect((await usst.post(`${Q3}/submit`, {})).status).toBe(200);
    expect((await admin.post(`${Q3}/approve`, {})).status).toBe(200);
    expect((await steps('USST', '2024-Q3')).map((s) => s.action)).toEqual([
      'submit',
      'return',
      'submit',
      'return',
      'submit',
      'approve',
      'reopen',
      'submit',
      'approve',
    ]);
    expect((await usst.delete(`/records/tech_transfer/${(await created.json()).id}`)).status).toBe(409);
  });

  it('when a period is outside the calendar, in the future, before the university joined or malformed, then it is refused (400)', async () => {
    const day = today();
    const year = Number(day.slice(0, 4));
    const refusal = async (path: string) => {
      const response = await usst.post(path, {});
      return [response.status, (await response.json()).code];
    };
    expect(await refusal(`/cycle/periods/USST/${year + 1}-Q1/submit`)).toEqual([400, 'period_not_ended']);
    expect(await refusal('/cycle/periods/USST/2024-07/submit')).toEqual([400, 'period_not_in_calendar']);
    expect(await refusal('/cycle/periods/USST/2019-Q1/submit')).toEqual([400, 'period_before_membership']);
    expect((await usst.post('/cycle/periods/USST/2024-Q5/submit', {})).status).toBe(400);
    expect((await usst.post('/cycle/periods/USST/0000-Q1/submit', {})).status).toBe(400);
    expect((await admin.post('/cycle/periods/NOPE/2024-Q1/submit', {})).status).toBe(404);
  });

  it('when an admin makes a university report monthly and sets a due date, then the board and the steps follow the calendar', async () => {
    const set = await admin.put('/cycle/calendar/NJTECH', { frequency: 'month', dueDays: 10 });
    expect(set.status).toBe(200);
    expect(
      await database.db.selectFrom('reporting_calendar').selectAll().where('university_code', '=', 'NJTECH').executeTakeFirst(),
    ).toMatchObject({
      frequency: 'month',
      due_days: 10,
    });
    const due = await admin.put('/cycle/periods/NJTECH/2024-08/due', { dueOn: '2024-09-30' });
    expect(due.status).toBe(200);
    expect((await due.json()).dueOn).toBe('2024-09-30');
    const board = await (await admin.get('/cycle/board?year=2024&university=NJTECH')).json();
    const periods = board.universities[0].periods;
    expect(periods).toHaveLength(12);
    expect(periods[6]).toMatchObject({ period: '2024-07', dueOn: '2024-08-10' });
    expect(periods[7]).toMatchObject({ period: '2024-08', dueOn: '2024-09-30', status: 'in_progress' });
    expect((await njtech.post('/cycle/periods/NJTECH/2024-Q3/submit', {})).status).toBe(400);
    expect((await njtech.post('/cycle/periods/NJTECH/2024-08/submit', {})).status).toBe(200);
    expect((await audits('calendar_change')).map((a) => a.subject)).toEqual(['calendar:NJTECH', 'period:NJTECH/2024-08']);
    expect((await njtech.put('/cycle/calendar/NJTECH', { frequency: 'year', dueDays: 10 })).status).toBe(403);
  });

  it('when a due date was set on a period before a change of frequency, then that period is still outside the calendar: a due date is no history', async () => {
    expect((await admin.put('/cycle/periods/ZJUT/2024-Q2/due', { dueOn: '2024-08-01' })).status).toBe(200);
    expect((await admin.put('/cycle/calendar/ZJUT', { frequency: 'year', dueDays: 20 })).status).toBe(200);
    const submitted = await admin.post('/cycle/periods/ZJUT/2024-Q2/submit', {});
    expect([submitted.status, (await submitted.json()).code]).toEqual([400, 'period_not_in_calendar']);
    expect((await admin.get('/cycle/periods/ZJUT/2024-Q2')).status).toBe(400);
    expect((await admin.put('/cycle/calendar/ZJUT', { frequency: 'quarter', dueDays: 20 })).status).toBe(200);
  });

  it("when a university's join date moves past an approved period, then that period can still be read and reopened", async () => {
    expect((await admin.post('/cycle/periods/AHUT/2024-Q1/submit', {})).status).toBe(200);
    expect((await lead.post('/cycle/periods/AHUT/2024-Q1/approve', {})).status).toBe(200);
    const before = await database.db
      .selectFrom('university')
      .select('member_since')
      .where('code', '=', 'AHUT')
      .executeTakeFirstOrThrow();
    expect((await admin.patch('/universities/AHUT', { memberSince: '2024-06-01' })).status).toBe(200);
    expect((await admin.get('/cycle/periods/AHUT/2024-Q1')).status).toBe(200);
    expect((await admin.get('/cycle/periods/AHUT/2024-Q2')).status).toBe(200);
    // One never stepped in, ended before the new join date, stays outside.
    expect((await admin.get('/cycle/periods/AHUT/2023-Q4')).status).toBe(400);
    const reopened = await admin.post('/cycle/periods/AHUT/2024-Q1/reopen', { reason: 'The join date was corrected.' });
    expect(reopened.status, await reopened.clone().text()).toBe(200);
    expect((await reopened.json()).status).toBe('reopened');
    expect((await admin.patch('/universities/AHUT', { memberSince: before.member_since })).status).toBe(200);
  });
});
