import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppUserRow } from '../../server/db/schema.js';
import { HttpProblem } from '../../server/lib/problems.js';
import { ReportPrinter } from '../../server/report/report-printer.js';
import type { RenderPdfOptions } from '../../server/report/report-pdf.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { until } from '../helpers/until.js';
import { addStandardUsers, addUser } from '../helpers/users.js';

/**
 * The report printer's line (server/report/report-printer.ts): one print at a time, four waiting,
 * one per account. Chromium is not needed to judge the line: the printing is a function the test
 * finishes when it says so (the browser tests print for real).
 */
describe(`the report printer's line (${TEST_DB})`, () => {
  let database: TestDatabase;
  let users: Record<'commission' | 'leadership' | 'admin' | 'other', AppUserRow>;
  let clientDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    const standard = await addStandardUsers(database.db);
    const other = await addUser(database.db, { email: 'second.commission@test.example', role: 'commission' });
    users = { commission: standard.commission, leadership: standard.leadership, admin: standard.admin, other };
    clientDir = mkdtempSync(join(tmpdir(), 'ao-printer-'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html>');
  });
  afterAll(async () => {
    rmSync(clientDir, { recursive: true, force: true });
    await database?.close();
  });

  /** A printer whose prints end when the test finishes them, or fail when it fails them. */
  function printer() {
    const started: Array<{ options: RenderPdfOptions; finish: () => void; fail: (error: Error) => void }> = [];
    const render = (options: RenderPdfOptions) =>
      new Promise<{ pdf: Buffer }>((resolve, reject) => {
        started.push({
          options,
          finish: () => resolve({ pdf: Buffer.from(`%PDF ${options.period} ${options.lang} ${options.user.email}`) }),
          fail: reject,
        });
      });
    const printer = new ReportPrinter(database.db, clientDir, { render });
    /** Waits until `count` prints have started (each reads the data version first). */
    const reach = (count: number) => until(() => started.length === count, `${count} prints to start`);
    /** Waits until `count` prints wait their turn. */
    const queued = (count: number) => until(() => printer.waiting === count, `${count} prints to wait`);
    return { printer, started, reach, queued };
  }
  /** The problem a refused print throws: its status, code and Retry-After. */
  const refusal = async (printing: Promise<unknown>) => {
    const error = await printing.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpProblem);
    const problem = error as HttpProblem;
    return { status: problem.status, code: problem.problem.code, retryAfter: problem.headers['Retry-After'] };
  };

  it('when an account asks for a second print while its first is printed, then the second is 429 at once, and other accounts still queue', async () => {
    const { printer: p, started, reach, queued } = printer();
    const first = p.print(users.commission, { period: '2024', lang: 'zh' });
    await reach(1);
    expect(await refusal(p.print(users.commission, { period: '2023', lang: 'zh' }))).toEqual({
      status: 429,
      code: 'printing_already',
      retryAfter: '10',
    });
    // Another account of the same role waits its turn, as before.
    // In this order: each joins the line once the one before it waits.
    const others = p.print(users.other, { period: '2023', lang: 'en' });
    await queued(1);
    const lead = p.print(users.leadership, { period: '2022', lang: 'zh' });
    await queued(2);
    expect(started).toHaveLength(1);
    started[0]!.finish();
    expect((await first).toString()).toBe(`%PDF 2024 zh ${users.commission.email}`);
    await reach(2);
    // Its first is done: the account may print again (it waits behind the others).
    const again = p.print(users.commission, { period: '2023', lang: 'zh' });
    await queued(2);
    started[1]!.finish();
    expect((await others).toString()).toBe(`%PDF 2023 en ${users.other.email}`);
    await reach(3);
    started[2]!.finish();
    expect((await lead).toString()).toBe(`%PDF 2022 zh ${users.leadership.email}`);
    await reach(4);
    started[3]!.finish();
    expect((await again).toString()).toBe(`%PDF 2023 zh ${users.commission.email}`);
  });

  it('when an account asks for the same print twice (a double click), then it is printed once for both, and goes on while one of them waits', async () => {
    const { printer: p, started, reach, queued } = printer();
    // The line is busy: the leadership's print runs.
    const lead = p.print(users.leadership, { period: '2020', lang: 'en' });
    await reach(1);
    const first = new AbortController();
    const second = new AbortController();
    const clicks = [p.print(users.commission, { period: '2020', lang: 'zh' }, first.signal)];
    await queued(1);
    clicks.push(p.print(users.commission, { period: '2020', lang: 'zh' }, second.signal));
    // The first click's client goes; the print waits on for the second.
    first.abort(new Error('the client left'));
    await expect(clicks[0]).rejects.toThrow('the client left');
    expect(p.waiting).toBe(1);
    started[0]!.finish();
    await lead;
    await reach(2);
    started[1]!.finish();
    expect((await clicks[1]!).toString()).toBe(`%PDF 2020 zh ${users.commission.email}`);
    expect(started).toHaveLength(2);
    // Once both of a print's readers have gone, it leaves the line, and the account may print again.
    const busy = p.print(users.leadership, { period: '2019', lang: 'en' });
    await reach(3);
    const readers = [new AbortController(), new AbortController()];
    const both = [p.print(users.admin, { period: '2019', lang: 'zh' }, readers[0]!.signal)];
    await queued(1);
    both.push(p.print(users.admin, { period: '2019', lang: 'zh' }, readers[1]!.signal));
    for (const c of readers) c.abort(new Error('the client left'));
    for (const click of both) await expect(click).rejects.toThrow('the client left');
    await queued(0);
    const again = p.print(users.admin, { period: '2018', lang: 'zh' });
    await queued(1);
    started[2]!.finish();
    await busy;
    await reach(4);
    started[3]!.finish();
    expect((await again).toString()).toBe(`%PDF 2018 zh ${users.admin.email}`);
  });

  it('when an account asks for a print already kept, then it is sent at once, even while the account prints another', async () => {
    const { printer: p, started, reach } = printer();
    const kept = p.print(users.admin, { period: '2024', lang: 'en' });
    await reach(1);
    started[0]!.finish();
    await kept;
    const printing = p.print(users.admin, { period: '2021', lang: 'en' });
    await reach(2);
    expect((await p.print(users.admin, { period: '2024', lang: 'en' })).toString()).toBe(`%PDF 2024 en ${users.admin.email}`);
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await printing;
  });

  it('when a print fails, or its client leaves while it waits, then the account may print again', async () => {
    const { printer: p, started, reach, queued } = printer();
    const failing = p.print(users.leadership, { period: '2024', lang: 'zh' });
    await reach(1);
    // The commission waits behind it, then leaves.
    const leaving = new AbortController();
    const waiting = p.print(users.commission, { period: '2024', lang: 'zh' }, leaving.signal);
    await queued(1);
    leaving.abort(new Error('the client left'));
    await expect(waiting).rejects.toThrow('the client left');
    started[0]!.fail(new Error('Chromium crashed'));
    await expect(failing).rejects.toThrow('Chromium crashed');
    expect(p.waiting).toBe(0);
    const lead = p.print(users.leadership, { period: '2024', lang: 'zh' });
    await reach(2);
    const commission = p.print(users.commission, { period: '2024', lang: 'zh' });
    await queued(1);
    started[1]!.finish();
    await lead;
    await reach(3);
    started[2]!.finish();
    expect((await commission).toString()).toBe(`%PDF 2024 zh ${users.commission.email}`);
  });
});
