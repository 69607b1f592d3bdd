import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubmissionWithRevisionsSchema } from '../../server/report/report-submissions.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, addUser, Client, IDENTITIES } from '../helpers/users.js';

/**
 * Who sees records, and who sees who changed them. Every text planted below is a sentinel: a
 * record's ref and text fields, an import's file name, an editor's e-mail and name. After a report
 * is submitted, two universities' stewards change records, one imports a file and the admin moves
 * a target; then every role reads every route that could carry them, as JSON and as CSV, twice
 * (the second answer may come from memory), and no role may find in the bytes what it may not see.
 */

const EDITORS = {
  USST: { email: 'q7x.editor.usst@test.example', name: 'Q7X Editor Usst', role: 'steward', university: 'USST' },
  NJTECH: { email: 'q7x.editor.njtech@test.example', name: 'Q7X Editor Njtech', role: 'steward', university: 'NJTECH' },
} as const;

/** What a university's records and editors put in the data: shown to that university, admin and leadership only. */
const SECRETS = {
  USST: ['Q7X-REF-USST', 'Q7X Partner Usst Ltd', EDITORS.USST.email, EDITORS.USST.name],
  NJTECH: [
    'Q7X-REF-NJTECH',
    'Q7X Programme Njtech',
    'Q7X Course Njtech',
    'Q7X-file-njtech',
    EDITORS.NJTECH.email,
    EDITORS.NJTECH.name,
  ],
  /** Accounts of admin and leadership (the target's editor, the report's submitter). */
  accounts: [IDENTITIES.admin.email, IDENTITIES.leadership.email],
};

type Role = 'admin' | 'leadership' | 'commission' | 'stewardUSST' | 'stewardNJTECH';
const ROLES: readonly Role[] = ['admin', 'leadership', 'commission', 'stewardUSST', 'stewardNJTECH'];

/** What each role may not find anywhere in any answer. */
const FORBIDDEN: Record<Role, string[]> = {
  admin: [],
  leadership: [],
  commission: [...SECRETS.USST, ...SECRETS.NJTECH, ...SECRETS.accounts],
  stewardUSST: [...SECRETS.NJTECH, ...SECRETS.accounts],
  // An import's file name is the audit entry's, not a record's: a steward sees imports as counts only.
  stewardNJTECH: [...SECRETS.USST, ...SECRETS.accounts, 'Q7X-file-njtech'],
};

describe(`who sees records and their editors (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  const clients = {} as Record<Role, Client>;
  let submissionId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    for (const editor of Object.values(EDITORS)) await addUser(database.db, editor);
    server = await startTestServer(database);
    for (const role of ROLES) clients[role] = await Client.signIn(server, IDENTITIES[role].email);
    const editor = {
      USST: await Client.signIn(server, EDITORS.USST.email),
      NJTECH: await Client.signIn(server, EDITORS.NJTECH.email),
    };

    const submitted = await clients.leadership.post('/report/submissions', { period: '2024', lang: 'en' });
    expect(submitted.status).toBe(201);
    submissionId = ((await submitted.json()) as { submission: { id: number } }).submission.id;

    // After the submission: a contract of USST created and changed by its steward,
    const contract = await editor.USST.post('/records/tech_transfer', {
      university_code: 'USST',
      ref: 'Q7X-REF-USST',
      mode: 'license',
      partner_name: 'Q7X Partner Usst Ltd',
      partner_region_code: 'JS',
      co_university_code: null,
      field_code: 'OPTO',
      signed_on: '2024-05-06',
      contract_value_cny: 250_000,
      received_cny: 0,
      patents: 1,
    });
    expect(contract.status, await contract.clone().text()).toBe(201);
    const contractId = ((await contract.json()) as { id: number }).id;
    expect((await editor.USST.patch(`/records/tech_transfer/${contractId}`, { contract_value_cny: 300_000 })).status).toBe(200);
    // a cohort of NJTECH created by its steward, and a file of NJTECH's credits imported by it,
    const cohort = await editor.NJTECH.post('/records/talent', {
      university_code: 'NJTECH',
      ref: 'Q7X-REF-NJTECH',
      partner_university_code: 'USST',
      level: 'master',
      program: 'Q7X Programme Njtech',
      started_on: '2024-09-01',
      trainees: 12,
      graduates: 0,
    });
    expect(cohort.status, await cohort.clone().text()).toBe(201);
    const file = csvOf('credit', [
      {
        university_code: 'NJTECH',
        ref: 'Q7X-REF-NJTECH-CR',
        host_university_code: 'ZJUT',
        course: 'Q7X Course Njtech',
        term: '2023-2024-2',
        recognized_on: '2024-07-01',
        students: 4,
        credits: 8,
      },
    ]);
    const imported = await editor.NJTECH.post('/imports/credit?fileName=Q7X-file-njtech.csv', file);
    expect(imported.status, await imported.clone().text()).toBe(200);
    // and the alliance's target of the year, moved by the admin.
    const target = await clients.admin.put('/targets', {
      targets: [{ measure: 'talent.trainees', year: 2024, university: 'NJTECH', value: 40 }],
    });
    expect(target.status, await target.clone().text()).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const revisionsOf = async (role: Role) => {
    const response = await clients[role].get(`/report/submissions/${submissionId}`);
    expect(response.status).toBe(200);
    // The answer is exactly what the route's schema states: strict shapes, nothing more.
    return SubmissionWithRevisionsSchema.parse(await response.json());
  };

  it('when admin or leadership open the submission, then every revision carries its audit entry', async () => {
    for (const role of ['admin', 'leadership'] as const) {
      const answer = await revisionsOf(role);
      expect(answer.submission.submittedBy).toEqual({
        id: expect.any(Number),
        email: IDENTITIES.leadership.email,
        name: expect.any(String),
      });
      expect(answer.revisions.map((r) => [r.visibility, r.action, r.visibility === 'audit' ? r.subject : null])).toEqual([
        ['audit', 'create', 'tech_transfer:USST/Q7X-REF-USST'],
        ['audit', 'update', 'tech_transfer:USST/Q7X-REF-USST'],
        ['audit', 'create', 'talent:NJTECH/Q7X-REF-NJTECH'],
        ['audit', 'import', 'import:credit'],
        ['audit', 'target_change', 'target:talent.trainees/2024/NJTECH'],
      ]);
      const update = answer.revisions[1]!;
      expect(update).toMatchObject({
        user: EDITORS.USST.email,
        before: { partner_name: 'Q7X Partner Usst Ltd', contract_value_cny: 250_000 },
        after: { contract_value_cny: 300_000 },
      });
      expect(answer.revisions[3]).toMatchObject({ user: EDITORS.NJTECH.email, detail: { file: 'Q7X-file-njtech.csv' } });
      expect(answer.revisions[4]).toMatchObject({ user: IDENTITIES.admin.email });
    }
  });

  it('when the commission opens the submission, then it sees which figures moved and by how much, and nothing of records or people', async () => {
    const answer = await revisionsOf('commission');
    expect(answer.submission.submittedBy).toEqual({ name: expect.any(String) });
    expect(answer.revisions.map((r) => r.visibility)).toEqual(['figures', 'figures', 'figures', 'figures', 'figures']);
    const [create, update, cohort, imported, target] = answer.revisions;
    expect(create).toMatchObject({ action: 'create', kind: 'tech_transfer', universities: ['USST'], itemized: true });
    expect(update!.figures).toContainEqual({
      span: 'period',
      measure: 'tech_transfer.contract_value',
      university: 'USST',
      delta: 50_000,
      records: 0,
    });
    expect(cohort!.figures).toContainEqual({
      span: 'period',
      measure: 'talent.trainees',
      university: 'NJTECH',
      delta: 12,
      records: 1,
    });
    expect(imported).toEqual({
      visibility: 'figures',
      at: expect.any(String),
      action: 'import',
      kind: 'credit',
      universities: [],
      itemized: false,
      figures: [],
      target: null,
      import: { rows: 1, inserted: 1, updated: 0 },
    });
    expect(target).toMatchObject({
      action: 'target_change',
      target: { measure: 'talent.trainees', year: 2024, university: 'NJTECH', before: null, after: 40 },
    });
    for (const revision of answer.revisions) {
      for (const key of ['auditId', 'user', 'subject', 'before', 'after', 'detail']) expect(revision).not.toHaveProperty(key);
    }
    // The figures that differ today are the commission's to see.
    expect(answer.differences.some((d) => d.scope === 'USST' && d.measure === 'tech_transfer.contract_value')).toBe(true);
  });

  it("when a steward opens the submission, then it sees the audit entries of its own university's records only", async () => {
    const usst = await revisionsOf('stewardUSST');
    expect(usst.submission.submittedBy).toEqual({ name: expect.any(String) });
    expect(usst.revisions.map((r) => r.visibility)).toEqual(['audit', 'audit', 'figures', 'figures', 'figures']);
    expect(usst.revisions[1]).toMatchObject({ user: EDITORS.USST.email, before: { partner_name: 'Q7X Partner Usst Ltd' } });
    const njtech = await revisionsOf('stewardNJTECH');
    expect(njtech.revisions.map((r) => r.visibility)).toEqual(['figures', 'figures', 'audit', 'figures', 'figures']);
    expect(njtech.revisions[2]).toMatchObject({ subject: 'talent:NJTECH/Q7X-REF-NJTECH', user: EDITORS.NJTECH.email });
    expect(njtech.revisions[0]).toMatchObject({ universities: ['USST'], kind: 'tech_transfer' });
  });

  /** Every route that answers with records, audit entries, accounts or figures, as JSON and as CSV. */
  const routes = () => [
    `/report/submissions/${submissionId}`,
    `/report/submissions/${submissionId}?format=csv&table=summary`,
    `/report/submissions/${submissionId}/document`,
    '/report/submissions',
    '/report/submissions?period=2024',
    '/report?period=2024',
    '/report?period=2024&format=csv&table=joint-training-levels',
    '/aggregate?measures=tech_transfer.contract_value,talent.trainees,credits.credits&by=university,partner_university&withRecords=true',
    '/aggregate?measures=tech_transfer.contract_value&by=university&withRecords=true&format=csv&formatted=true',
    '/summary?from=2024-01-01&to=2024-12-31',
    '/summary?from=2024-01-01&to=2024-12-31&format=csv',
    '/collaboration?measure=talent.trainees&format=csv&formatted=true',
    '/records/tech_transfer?pageSize=1000',
    '/records/tech_transfer?q=Q7X',
    '/records/talent?pageSize=1000&university=USST,NJTECH',
    '/records/credit?pageSize=1000',
    '/records/tech_transfer?format=csv',
    '/records/talent?format=csv&formatted=true',
    '/records/credit?format=csv',
    '/audit?pageSize=1000',
    '/users',
    '/targets?year=2024',
    '/meta',
    '/universities',
    '/auth/me',
  ];

  it('when every role reads every route that embeds records, audit entries, accounts or figures, then no answer holds what that role may not see', async () => {
    const leaks: string[] = [];
    let checked = 0;
    for (const url of routes()) {
      // Admin first, so that an answer it leaves in memory would be found by whoever came next.
      for (const round of [1, 2]) {
        for (const role of ROLES) {
          const response = await clients[role].get(url);
          expect(response.status, `${role} ${url}`).toBeLessThan(500);
          const body = await response.text();
          for (const secret of FORBIDDEN[role]) {
            if (body.toLowerCase().includes(secret.toLowerCase())) leaks.push(`${role} (round ${round}) ${url}: ${secret}`);
          }
          checked++;
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(checked).toBe(routes().length * ROLES.length * 2);
  });

  it('when admin or a steward reads its own records, then the sentinels are there (the search above can find them)', async () => {
    const find = async (role: Role, url: string, text: string) =>
      expect((await (await clients[role].get(url)).text()).includes(text), `${role} ${url} ${text}`).toBe(true);
    await find('admin', `/report/submissions/${submissionId}`, 'Q7X Partner Usst Ltd');
    await find('admin', '/audit?pageSize=1000', 'Q7X-file-njtech');
    await find('stewardUSST', '/records/tech_transfer?format=csv', 'Q7X Partner Usst Ltd');
    await find('stewardNJTECH', '/records/credit?format=csv', 'Q7X Course Njtech');
    await find('stewardNJTECH', `/report/submissions/${submissionId}`, 'Q7X Programme Njtech');
    await find('leadership', '/records/talent?pageSize=1000', 'Q7X Programme Njtech');
  });
});
