import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts } from '../helpers/facts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/**
 * Submitting freezes a report: the document stored is byte for byte the one served ever after,
 * whatever happens to the records; the live report moves on; and the revisions since submission
 * come from the audit log with the figures each one moves.
 */

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The sections of a report that hold figures; the rest is its frame (period, names, definitions). */
const FIGURE_SECTIONS = [
  'summary',
  'comparisons',
  'attainmentByUniversity',
  'techTransfer',
  'incubation',
  'talent',
  'credits',
  'national',
];

/**
 * Every number a report's figure sections hold (and every null where a number may be), by path,
 * written without the server's code: array elements are keyed by their level and code or measure.
 */
function numberLeaves(doc: Record<string, unknown>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number' || value === null) out.set(path, value);
    else if (Array.isArray(value))
      value.forEach((item, i) => {
        const o = item as Record<string, unknown> | null;
        const key =
          o && typeof o === 'object' && !Array.isArray(o) && ('code' in o || 'measure' in o)
            ? `${String(o.level ?? '')}:${String(o.code ?? o.measure)}`
            : String(i);
        walk(item, `${path}[${key}]`);
      });
    else if (typeof value === 'object' && value !== undefined)
      for (const [k, v] of Object.entries(value as object)) if (typeof v !== 'string') walk(v, `${path}.${k}`);
  };
  for (const section of FIGURE_SECTIONS) walk(doc[section], section);
  return out;
}

interface Submission {
  id: number;
  period: string;
  sha256: string;
  submittedBy: { email: string };
  submittedAt: string;
}
interface Cells {
  summary: { rows: Array<{ code: string | null; cells: Record<string, { value: number; records: number }> }> };
}

describe(`submitting the commission report (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let leadership: Client;
  let admin: Client;
  let commission: Client;
  let submission: Submission;
  let frozen: Buffer;
  let frozenCsv: string;
  let contractId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    await insertFacts(database.db, randomFacts(7, 120));
    server = await startTestServer(database);
    leadership = await Client.signIn(server, IDENTITIES.leadership.email);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
    commission = await Client.signIn(server, IDENTITIES.commission.email);
    const row = await database.db
      .insertInto('tech_transfer')
      .values({
        university_code: 'UJS',
        ref: 'FROZEN-1',
        mode: 'license',
        partner_name: 'Frozen Ltd.',
        partner_region_code: 'JS',
        co_university_code: null,
        field_code: 'OPTO',
        signed_on: '2024-05-06',
        contract_value_cny: 250_000,
        received_cny: 1000,
        patents: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    contractId = row.id;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('when leadership submits the report it reviewed, then it is stored with the SHA-256 of its canonical JSON, who and when, and audited', async () => {
    const live = (await (await leadership.get('/report?period=2024&lang=zh')).json()) as { sha256: string };
    const response = await leadership.post('/report/submissions', {
      period: '2024',
      lang: 'zh',
      note: 'Annual report to the commission',
      expectedSha256: live.sha256,
    });
    expect(response.status).toBe(201);
    submission = ((await response.json()) as { submission: Submission }).submission;
    expect(response.headers.get('location')).toBe(`/api/v1/report/submissions/${submission.id}`);
    expect(submission).toMatchObject({
      period: '2024',
      sha256: live.sha256,
      submittedBy: { email: IDENTITIES.leadership.email },
    });

    const document = await commission.get(`/report/submissions/${submission.id}/document`);
    expect(document.status).toBe(200);
    frozen = Buffer.from(await document.arrayBuffer());
    expect(sha256(frozen)).toBe(submission.sha256);
    expect(document.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(submission.sha256, 'hex').toString('base64')}:`);
    frozenCsv = await (await commission.get(`/report/submissions/${submission.id}?format=csv&table=summary&lang=en`)).text();

    const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'report_submit').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: 'report:2024', user_email: IDENTITIES.leadership.email });
    expect(audit[0]!.detail).toMatchObject({ submission: submission.id, sha256: submission.sha256 });

    const opened = (await (await commission.get(`/report/submissions/${submission.id}`)).json()) as {
      live: { unchanged: boolean };
      revisions: unknown[];
      differences: unknown[];
    };
    expect(opened).toMatchObject({ live: { unchanged: true }, revisions: [], differences: [] });
  });

  it('when records of the period change after submission, then the submitted report is byte-identical, the live one differs and each revision is listed with the figures it moves', async () => {
    const before = (await (await commission.get('/report?period=2024')).json()) as { sha256: string; report: Cells };
    expect((await admin.patch(`/records/tech_transfer/${contractId}`, { contract_value_cny: 300_000 })).status).toBe(200);
    const created = await admin.post('/records/talent', {
      university_code: 'ZJUT',
      ref: 'LATE-COHORT',
      partner_university_code: 'USST',
      level: 'tech_manager',
      program: 'Late cohort',
      started_on: '2024-09-01',
      trainees: 12,
      graduates: 0,
    });
    expect(created.status).toBe(201);
    // A change outside the report's periods is no revision of it.
    expect(
      (
        await admin.post('/records/credit', {
          university_code: 'USST',
          ref: 'OUTSIDE',
          host_university_code: 'UJS',
          course: 'Elsewhere',
          term: '2025-2026-1',
          recognized_on: '2025-11-11',
          students: 3,
          credits: 6,
        })
      ).status,
    ).toBe(201);

    const again = Buffer.from(await (await commission.get(`/report/submissions/${submission.id}/document`)).arrayBuffer());
    expect(again.equals(frozen)).toBe(true);
    expect(await (await commission.get(`/report/submissions/${submission.id}?format=csv&table=summary&lang=en`)).text()).toBe(
      frozenCsv,
    );

    const live = (await (await commission.get('/report?period=2024')).json()) as { sha256: string; report: Cells };
    expect(live.sha256).not.toBe(submission.sha256);
    const value = (doc: Cells, code: string | null, measure: string) =>
      doc.summary.rows.find((r) => r.code === code)!.cells[measure]!;
    expect(value(live.report, 'UJS', 'tech_transfer.contract_value').value).toBeCloseTo(
      value(before.report, 'UJS', 'tech_transfer.contract_value').value + 50_000,
      2,
    );
    expect(value(live.report, null, 'talent.trainees').value).toBe(value(before.report, null, 'talent.trainees').value + 12);

    const opened = (await (await commission.get(`/report/submissions/${submission.id}`)).json()) as {
      report: Cells;
      live: { sha256: string; unchanged: boolean };
      revisions: Array<{
        action: string;
        universities: string[];
        figures: Array<{ span: string; measure: string; university: string; delta: number; records: number }>;
      }>;
      differences: Array<{ table: string; scope: string | null; measure: string; field: string; submitted: number; now: number }>;
    };
    expect(opened.live).toEqual({ sha256: live.sha256, unchanged: false, dataVersion: expect.any(Number) });
    // The document inside the answer is the frozen one too.
    expect(value(opened.report, 'UJS', 'tech_transfer.contract_value')).toEqual(
      value(before.report, 'UJS', 'tech_transfer.contract_value'),
    );
    // The commission sees which figures moved; the records themselves are leadership's (visibility.test.ts).
    expect(opened.revisions.map((r) => [r.action, r.universities])).toEqual([
      ['update', ['UJS']],
      ['create', ['ZJUT']],
    ]);
    const audited = (await (await leadership.get(`/report/submissions/${submission.id}`)).json()) as {
      revisions: Array<{ action: string; subject: string }>;
    };
    expect(audited.revisions.map((r) => [r.action, r.subject])).toEqual([
      ['update', 'tech_transfer:UJS/FROZEN-1'],
      ['create', 'talent:ZJUT/LATE-COHORT'],
    ]);
    const [update, create] = opened.revisions;
    expect(update!.figures).toContainEqual({
      span: 'period',
      measure: 'tech_transfer.contract_value',
      university: 'UJS',
      delta: 50_000,
      records: 0,
    });
    expect(update!.figures).toContainEqual({
      span: 'yearToDate',
      measure: 'tech_transfer.contract_value',
      university: 'UJS',
      delta: 50_000,
      records: 0,
    });
    expect(update!.figures.some((f) => f.measure === 'tech_transfer.contracts')).toBe(false);
    expect(create!.figures).toContainEqual({
      span: 'period',
      measure: 'talent.trainees',
      university: 'ZJUT',
      delta: 12,
      records: 1,
    });
    // Every number that differs between the frozen and the live document is listed, once.
    const frozenLeaves = numberLeaves(opened.report as unknown as Record<string, unknown>);
    const liveLeaves = numberLeaves(live.report as unknown as Record<string, unknown>);
    const changed = [...new Set([...frozenLeaves.keys(), ...liveLeaves.keys()])].filter((path) => {
      const before = frozenLeaves.get(path) ?? null;
      const now = liveLeaves.get(path) ?? null;
      return before !== now && (frozenLeaves.has(path) || (now !== null && now !== 0));
    });
    expect(changed.length).toBeGreaterThan(10);
    expect(opened.differences).toHaveLength(changed.length);
    // Today's figures beside the submitted ones: the university's row, its province's and the alliance's.
    for (const scope of ['UJS', 'JS', null]) {
      const d = opened.differences.find(
        (x) => x.table === 'summary' && x.scope === scope && x.measure === 'tech_transfer.contract_value',
      )!;
      expect(d.now - d.submitted).toBeCloseTo(50_000, 2);
    }
  });

  it('when a record of the period is deleted, then that too is a revision, and the frozen document still does not move', async () => {
    expect((await admin.delete(`/records/tech_transfer/${contractId}`)).status).toBe(204);
    const opened = (await (await commission.get(`/report/submissions/${submission.id}`)).json()) as {
      revisions: Array<{
        action: string;
        figures: Array<{ span: string; measure: string; university: string; delta: number; records: number }>;
      }>;
    };
    const deleted = opened.revisions.find((r) => r.action === 'delete')!;
    expect(deleted.figures).toContainEqual({
      span: 'period',
      measure: 'tech_transfer.contracts',
      university: 'UJS',
      delta: -1,
      records: -1,
    });
    expect(deleted.figures).toContainEqual({
      span: 'period',
      measure: 'tech_transfer.contract_value',
      university: 'UJS',
      delta: -300_000,
      records: -1,
    });
    const again = Buffer.from(await (await commission.get(`/report/submissions/${submission.id}/document`)).arrayBuffer());
    expect(again.equals(frozen)).toBe(true);
  });

  it('when the data changed after the submitter reviewed the report, then the submission is refused (409) and nothing is stored', async () => {
    const count = async () =>
      (await database.db.selectFrom('report_submission').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const response = await admin.post('/report/submissions', { period: '2024', lang: 'en', expectedSha256: submission.sha256 });
    expect(response.status).toBe(409);
    expect(await count()).toBe(before);
  });

  it('when anyone tries to change or remove a submission in the database, then the database refuses', async () => {
    await expect(
      sql`update report_submission set note = 'changed' where id = ${submission.id}`.execute(database.db),
    ).rejects.toThrow(/immutable/);
    await expect(sql`delete from report_submission where id = ${submission.id}`.execute(database.db)).rejects.toThrow(
      /immutable/,
    );
    await expect(sql`truncate report_submission`.execute(database.db)).rejects.toThrow(/immutable/);
    // Nor can a document be stored under a digest that is not its own.
    await expect(
      sql`insert into report_submission (period, period_from, period_to, lang, document, sha256, data_version, submitted_by_email, submitted_by_name)
          values ('2024', '2024-01-01', '2024-12-31', 'zh', '{}', ${'0'.repeat(64)}, 1, 'x@test.example', 'x')`.execute(
        database.db,
      ),
    ).rejects.toThrow(/report_submission_digest/);
  });

  it('when submissions are listed, then they are newest first, by period, and a resubmission is a new one', async () => {
    const second = await admin.post('/report/submissions', { period: '2024', lang: 'en' });
    expect(second.status).toBe(201);
    const list = (await (await commission.get('/report/submissions?period=2024')).json()) as { submissions: Submission[] };
    expect(list.submissions.map((s) => s.id)).toEqual([
      ((await second.json()) as { submission: Submission }).submission.id,
      submission.id,
    ]);
    expect(
      ((await (await commission.get('/report/submissions?period=2023')).json()) as { submissions: Submission[] }).submissions,
    ).toEqual([]);
    expect((await commission.get('/report/submissions/999999')).status).toBe(404);
    expect((await commission.post('/report/submissions', { period: '2024', lang: 'zh' })).status).toBe(403);
  });
});
