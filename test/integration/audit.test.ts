import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

describe(`the audit log (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    await database.db
      .insertInto('audit_log')
      .values([
        {
          at: new Date('2024-03-31T23:59:59Z'),
          user_email: 'x@test.example',
          action: 'create',
          subject: 'tech_transfer:USST/TT-1',
          after: { v: 1 },
        },
        {
          at: new Date('2024-04-01T00:00:00Z'),
          user_email: 'x@test.example',
          action: 'update',
          subject: 'tech_transfer:USST/TT-1',
          before: { v: 1 },
          after: { v: 2 },
        },
        {
          at: new Date('2024-04-02T08:00:00Z'),
          user_email: 'y@test.example',
          action: 'delete',
          subject: 'credit:AHUT/CR-9',
          before: { v: 3 },
        },
      ])
      .execute();
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when an admin reads it, then entries come newest first with before and after', async () => {
    const page = await (await admin.get('/audit?action=create,update,delete')).json();
    expect(page.total).toBe(3);
    expect(page.entries.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create']);
    expect(page.entries[1]).toMatchObject({
      user: 'x@test.example',
      subject: 'tech_transfer:USST/TT-1',
      before: { v: 1 },
      after: { v: 2 },
    });
  });

  it('when filtered by user, day and subject, then only those entries come back (days are inclusive, in UTC)', async () => {
    const byUser = await (await admin.get('/audit?user=Y@test.example')).json();
    expect(byUser.entries.map((e: { subject: string }) => e.subject)).toEqual(['credit:AHUT/CR-9']);
    const byDay = await (await admin.get('/audit?from=2024-03-31&to=2024-03-31')).json();
    expect(byDay.entries.map((e: { action: string }) => e.action)).toEqual(['create']);
    const bySubject = await (await admin.get('/audit?subject=tech_transfer:')).json();
    expect(bySubject.total).toBe(2);
  });

  it('when paged, then pages partition the entries', async () => {
    const first = await (await admin.get('/audit?action=create,update,delete&pageSize=2&page=1')).json();
    const second = await (await admin.get('/audit?action=create,update,delete&pageSize=2&page=2')).json();
    expect(first.entries).toHaveLength(2);
    expect(second.entries).toHaveLength(1);
    expect(new Set([...first.entries, ...second.entries].map((e: { id: number }) => e.id)).size).toBe(3);
  });

  it.each([
    ['pageSize=5000', 'query.pageSize'],
    ['action=create,hack', 'query.action.1'],
    ['from=2024-05-01&to=2024-04-01', 'query.from'],
    ['from=2024-02-30', 'query.from'],
    ['page=0', 'query.page'],
    ['sort=id', 'query'],
  ])('when the query has %s, then it is a 400 naming the parameter', async (query, path) => {
    const response = await admin.get(`/audit?${query}`);
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});
