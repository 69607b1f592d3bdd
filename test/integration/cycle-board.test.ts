import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../server/lib/dates.js';
import { parseCsv } from '../helpers/csv.js';
import { expectFrozenWithoutFormulas, expectSameAsCsv, readWorkbook, XLSX_TYPE } from '../helpers/xlsx.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

let serial = 0;
const contract = (over: Record<string, unknown> = {}) => ({
  university_code: 'USST',
  ref: `BOARD-${++serial}`,
  mode: 'license',
  partner_name: 'Board Ltd.',
  partner_region_code: 'SH',
  co_university_code: null,
  field_code: 'OPTO',
  signed_on: '2024-08-15',
  contract_value_cny: 1000,
  received_cny: 0,
  patents: 0,
  ...over,
});

interface BoardPeriod {
  university: string;
  period: string;
  from: string;
  to: string;
  dueOn: string;
  status: string;
  late: boolean;
  ended: boolean;
  records: number;
  submittedAt: string | null;
  sha256: string | null;
  lastStep: { action: string; at: string; by: string | null; comment: string | null } | null;
}
interface Board {
  year: number;
  universities: Array<{ university: string; frequency: string; dueDays: number; periods: BoardPeriod[] }>;
}

describe(`the status board's CSV, the to-do counts and the closed periods (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  let lead: Client;
  let commission: Client;
  let usst: Client;
  let njtech: Client;
  const year = Number(today().slice(0, 4));
  const lastYear = year - 1;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    lead = await Client.signIn(server, IDENTITIES.leadership.email);
    commission = await Client.signIn(server, IDENTITIES.commission.email);
    usst = await Client.signIn(server, IDENTITIES.stewardUSST.email);
    njtech = await Client.signIn(server, IDENTITIES.stewardNJTECH.email);
    // Last year: USST's Q1 approved, Q2 returned, Q3 submitted; NJTECH's Q1 submitted; monthly for UJS.
    for (const [signed, university] of [
      [`${lastYear}-02-10`, 'USST'],
      [`${lastYear}-05-10`, 'USST'],
      [`${lastYear}-08-10`, 'USST'],
      [`${lastYear}-02-11`, 'NJTECH'],
    ] as const)
      expect(
        (await admin.post('/records/tech_transfer', contract({ signed_on: signed, university_code: university }))).status,
      ).toBe(201);
    const steps: Array<[Client, string, string, unknown]> = [
      [usst, `USST/${lastYear}-Q1`, 'submit', {}],
      [lead, `USST/${lastYear}-Q1`, 'approve', {}],
      [usst, `USST/${lastYear}-Q2`, 'submit', { note: 'All in.' }],
      [lead, `USST/${lastYear}-Q2`, 'return', { comment: '=SUM(A1) is missing, "quoted", and a comma' }],
      [usst, `USST/${lastYear}-Q3`, 'submit', {}],
      [njtech, `NJTECH/${lastYear}-Q1`, 'submit', {}],
    ];
    for (const [client, period, step, body] of steps)
      expect((await client.post(`/cycle/periods/${period}/${step}`, body)).status, `${step} ${period}`).toBe(200);
    expect((await admin.put('/cycle/calendar/UJS', { frequency: 'month', dueDays: 10 })).status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const board = async (client: Client, query: string): Promise<Board> => {
    const response = await client.get(`/cycle/board?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Board;
  };
  const csv = async (client: Client, query: string) => {
    const response = await client.get(`/cycle/board?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await response.arrayBuffer());
    return {
      text: bytes.toString('utf8'),
      bom: bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])),
      disposition: response.headers.get('content-disposition'),
    };
  };

  it('when the board is downloaded raw, then each row is a period of the JSON board, in order, every column equal', async () => {
    for (const [client, who] of [
      [admin, 'admin'],
      [lead, 'leadership'],
      [usst, 'steward'],
    ] as const) {
      const json = await board(client, `year=${lastYear}`);
      const { text, bom, disposition } = await csv(client, `year=${lastYear}&format=csv`);
      expect(bom, who).toBe(true);
      expect(disposition).toContain(`reporting-status_${lastYear}.csv`);
      const { header, rows } = parseCsv(text);
      expect(header).toEqual([
        'university',
        'frequency',
        'period',
        'from',
        'to',
        'due_on',
        'status',
        'late',
        'ended',
        'records',
        'submitted_at',
        'sha256',
        'last_step',
        'last_step_at',
        'last_step_by',
        'last_comment',
      ]);
      const expected = json.universities.flatMap((u) =>
        u.periods.map((p) => [
          u.university,
          u.frequency,
          p.period,
          p.from,
          p.to,
          p.dueOn,
          p.status,
          String(p.late),
          String(p.ended),
          String(p.records),
          p.submittedAt ?? '',
          p.sha256 ?? '',
          p.lastStep?.action ?? '',
          p.lastStep?.at ?? '',
          p.lastStep?.by ?? '',
          // The one text a person wrote: a spreadsheet must not run it.
          (p.lastStep?.comment ?? '').replace(/^=/, "'="),
        ]),
      );
      expect(rows, who).toEqual(expected);
      if (who === 'steward') expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['USST']));
      else expect(rows.filter((r) => r[0] === 'UJS')).toHaveLength(12);
    }
  });

  it('when the rows are counted from the tables, then the CSV says the same statuses and record counts', async () => {
    const { rows } = parseCsv((await csv(admin, `year=${lastYear}&format=csv`)).text);
    const usst = rows.filter((r) => r[0] === 'USST');
    // From the steps as stored: the last step of each of USST's periods.
    const { rows: last } = await sql<{ period: string; action: string }>`
      select p.period, (select s.action from reporting_step s where s.period_id = p.id order by s.id desc limit 1) as action
      from reporting_period p where p.university_code = 'USST' order by p.period`.execute(database.db);
    const statusOf: Record<string, string> = { submit: 'submitted', approve: 'approved', return: 'returned', reopen: 'reopened' };
    for (const { period, action } of last) expect(usst.find((r) => r[2] === period)?.[6], period).toBe(statusOf[action]);
    const { rows: counts } = await sql<{ q: number; n: number }>`
      select extract(quarter from signed_on)::int as q, count(*)::int as n from tech_transfer
      where university_code = 'USST' and extract(year from signed_on) = ${lastYear} group by 1`.execute(database.db);
    for (const r of usst) {
      const q = Number(r[2]!.slice(-1));
      expect(Number(r[9]), r[2]).toBe(Number(counts.find((c) => Number(c.q) === q)?.n ?? 0));
    }
    expect(usst.find((r) => r[2] === `${lastYear}-Q4`)?.[6]).toBe('not_started');
  });

  it('when the board is downloaded formatted or in Chinese, then names and statuses are words, and the download is audited', async () => {
    const en = parseCsv((await csv(admin, `year=${lastYear}&format=csv&formatted=true`)).text);
    expect(en.header.slice(0, 3)).toEqual(['University', 'Reports', 'Period']);
    const names = await database.db.selectFrom('university').select(['code', 'name_en', 'name_zh']).execute();
    const usstName = names.find((n) => n.code === 'USST')!;
    const q1 = en.rows.find((r) => r[0] === usstName.name_en && r[2] === `${lastYear}-Q1`)!;
    expect(q1[6]).toBe('Approved');
    expect(q1[1]).toBe('Quarterly');
    const zh = parseCsv((await csv(admin, `year=${lastYear}&format=csv&formatted=true&lang=zh`)).text);
    expect(zh.header.slice(0, 3)).toEqual(['高校', '报送频率', '报送期间']);
    const q2 = zh.rows.find((r) => r[0] === usstName.name_zh && r[2] === `${lastYear}-Q2`)!;
    expect(q2[6]).toBe('已退回');
    expect(q2[12]).toBe('退回');
    const raw = parseCsv((await csv(admin, `year=${lastYear}&format=csv&lang=zh`)).text);
    expect(raw.rows.map((r) => r[0])).toEqual(en.rows.map((r) => names.find((n) => n.name_en === r[0])!.code));
    const audits = await database.db
      .selectFrom('audit_log')
      .select(['subject', 'user_email'])
      .where('action', '=', 'export')
      .where('subject', '=', 'export:cycle/board')
      .execute();
    expect(audits.length).toBeGreaterThanOrEqual(4);
    expect(audits.map((a) => a.user_email)).toContain(IDENTITIES.admin.email);
  });

  it('when the board is downloaded as a workbook, then its sheet holds what the CSV of the same request holds, typed, frozen, without formulas', async () => {
    for (const [client, query] of [
      [admin, `year=${lastYear}`],
      [admin, `year=${lastYear}&formatted=true&lang=zh`],
      [usst, `year=${lastYear}`],
    ] as const) {
      const response = await client.get(`/cycle/board?${query}&format=xlsx`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(XLSX_TYPE);
      const workbook = readWorkbook(new Uint8Array(await response.arrayBuffer()));
      const sheet = workbook.book.SheetNames[0]!;
      const same = parseCsv((await csv(client, `${query}&format=csv`)).text);
      const raw = parseCsv((await csv(client, `year=${lastYear}&format=csv${query.includes('lang=zh') ? '&lang=zh' : ''}`)).text);
      expectSameAsCsv(`${query} ${sheet}`, workbook.grid(sheet), [same.header, ...same.rows], [raw.header, ...raw.rows]);
      expectFrozenWithoutFormulas(workbook, sheet);
    }
  });

  it('when the CSV is asked badly or by the commission, then it is refused with the field named', async () => {
    expect((await commission.get(`/cycle/board?year=${lastYear}&format=csv`)).status).toBe(403);
    const bad = await admin.get('/cycle/board?format=xls');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('format');
    expect((await admin.get('/cycle/board?format=csv&whatever=1')).status).toBe(400);
    expect((await usst.get('/cycle/board?format=csv&university=NJTECH')).status).toBe(403);
  });

  it('when each role asks for its to-do, then a steward counts its open ended periods of this year and last year, and reviewers the submissions waiting', async () => {
    // Independently: the board's own periods of both years, ended and still the steward's to deliver.
    const open = new Set(['not_started', 'in_progress', 'returned', 'reopened']);
    for (const [client, university] of [
      [usst, 'USST'],
      [njtech, 'NJTECH'],
    ] as const) {
      let expected = 0;
      for (const y of [lastYear, year]) {
        const own = await board(client, `year=${y}`);
        expected += own.universities[0]!.periods.filter((p) => p.ended && open.has(p.status)).length;
      }
      const response = await client.get('/cycle/todo');
      expect(response.status).toBe(200);
      const todo = await response.json();
      expect(todo, university).toMatchObject({ toSubmit: expected, toReview: null, today: today() });
      expect(todo.next.university).toBe(university);
    }
    // USST's oldest open period is last year's Q2 (Q1 is approved, Q2 was returned).
    const usstTodo = await (await usst.get('/cycle/todo')).json();
    expect(usstTodo.next).toMatchObject({
      period: `${lastYear}-Q2`,
      dueOn: `${lastYear}-07-20`,
      late: today() > `${lastYear}-07-20`,
    });
    // Waiting for review, from the stored steps: periods whose last step is a submission.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from reporting_period p
      where (select s.action from reporting_step s where s.period_id = p.id order by s.id desc limit 1) = 'submit'`.execute(
      database.db,
    );
    const waiting = Number(rows[0]!.n);
    expect(waiting).toBe(2);
    for (const client of [admin, lead]) {
      expect(await (await client.get('/cycle/todo')).json()).toMatchObject({ toReview: waiting, toSubmit: null, next: null });
    }
    expect((await commission.get('/cycle/todo')).status).toBe(403);
    expect((await Client.anonymous(server).get('/cycle/todo')).status).toBe(401);
    expect((await admin.get('/cycle/todo?x=1')).status).toBe(400);
  });

  it('when a reviewer approves, then the count of submissions waiting falls by one and the steward’s open periods stay', async () => {
    const before = (await (await lead.get('/cycle/todo')).json()).toReview;
    const stewardBefore = (await (await njtech.get('/cycle/todo')).json()).toSubmit;
    expect((await lead.post(`/cycle/periods/NJTECH/${lastYear}-Q1/approve`, {})).status).toBe(200);
    expect((await (await admin.get('/cycle/todo')).json()).toReview).toBe(before - 1);
    expect((await (await njtech.get('/cycle/todo')).json()).toSubmit).toBe(stewardBefore);
  });

  it('when the closed periods are asked for a span, then each role sees the approved ones it may, with who approved them', async () => {
    const span = `from=${lastYear}-01-01&to=${lastYear}-12-31`;
    const all = await (await admin.get(`/cycle/closed?${span}`)).json();
    // From the tables: periods whose last step is an approval.
    const { rows } = await sql<{ university_code: string; period: string; by: string }>`
      select p.university_code, p.period, s.user_name as by from reporting_period p
      join reporting_step s on s.id = (select max(id) from reporting_step where period_id = p.id)
      where s.action = 'approve' order by p.university_code, p.period_from`.execute(database.db);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(all.periods.map((p: { university: string; period: string }) => `${p.university}/${p.period}`)).toEqual(
      rows.map((r) => `${r.university_code}/${r.period}`),
    );
    expect(all.periods[0]).toMatchObject({ from: `${lastYear}-01-01`, to: `${lastYear}-03-31`, approvedBy: rows[0]!.by });
    expect(await (await lead.get(`/cycle/closed?${span}`)).json()).toEqual(all);
    const own = await (await usst.get(`/cycle/closed?${span}`)).json();
    expect(own.periods.map((p: { university: string }) => p.university)).toEqual(['USST']);
    const other = await (await njtech.get(`/cycle/closed?${span}`)).json();
    expect(other.periods.map((p: { university: string }) => p.university)).toEqual(['NJTECH']);
    // A span that touches none: nothing.
    expect((await (await admin.get(`/cycle/closed?from=${lastYear}-04-01&to=${lastYear}-04-30`)).json()).periods).toEqual([]);
    // Bad input names its field.
    const reversed = await admin.get(`/cycle/closed?from=${lastYear}-05-01&to=${lastYear}-04-01`);
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(await reversed.json())).toContain('query.from');
    expect((await admin.get('/cycle/closed?from=2024-02-30&to=2024-03-01')).status).toBe(400);
    expect((await admin.get('/cycle/closed')).status).toBe(400);
    expect((await commission.get(`/cycle/closed?${span}`)).status).toBe(403);
  });
});
