import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport } from '../../server/imports/apply-import.js';
import { checkImport, ImportRejected } from '../../server/imports/parse-import.js';
import { existingFile } from '../../server/lib/spool.js';
import { loadReferences } from '../../server/kpi/references.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts, type RawRow } from '../helpers/facts.js';

/**
 * A dry run says what an import would do, by reading: its counts are the import's own, it writes
 * nothing, and it holds no transaction, so that on the embedded database (one connection) other
 * requests are answered while it runs.
 */

const ACTOR = { id: null, email: 'test', address: null };

describe(`a dry run (${TEST_DB})`, () => {
  let database: TestDatabase;
  let folder: string;
  let n = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(21, 300));
    folder = await mkdtemp(join(tmpdir(), 'dry-run-'));
  });
  afterAll(async () => {
    await database?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const checked = async (rows: RawRow[]) => {
    const path = join(folder, `file-${++n}.csv`);
    writeFileSync(path, csvOf('credit', rows));
    return checkImport('credit', existingFile(path), await loadReferences(database.db), null);
  };
  const run = async (rows: RawRow[], dryRun: boolean) =>
    applyImport(database.db, 'credit', await checked(rows), { name: 'f.csv', sha256: '0'.repeat(64) }, null, ACTOR, {
      dryRun,
      engine: TEST_DB,
    });
  /** What an import could write: the facts, the audit log, the batches, the data version. */
  const state = async () =>
    (
      await sql<{ s: string }>`select (select md5(string_agg(c::text, ',' order by id)) from credit c)
        || (select count(*) from audit_log)::text || (select count(*) from import_batch)::text
        || (select value::text from app_setting where key = 'data_version') as s`.execute(database.db)
    ).rows[0]!.s;

  it('when a file inserts, updates and leaves rows as they are, then the dry run counts what the import then does, writing nothing', async () => {
    const stored = (await database.db.selectFrom('credit').selectAll().orderBy('id').limit(60).execute()) as unknown as RawRow[];
    const rows: RawRow[] = [
      ...stored.slice(0, 20),
      ...stored.slice(20, 45).map((r) => ({ ...r, students: Number(r.students) + 1 })),
      ...stored.slice(45, 60).map((r) => ({ ...r, course: `${String(r.course)} (renamed)` })),
      ...randomFacts(22, 35).credit.map((r, i) => ({ ...r, ref: `NEW-${i}` })),
    ];
    const before = await state();
    const dry = await run(rows, true);
    expect(await state()).toBe(before);
    expect(dry).toMatchObject({ dryRun: true, inserted: 35, updated: 40, unchanged: 20, batchId: null });
    const real = await run(rows, false);
    expect(real).toMatchObject({ dryRun: false, inserted: dry.inserted, updated: dry.updated, unchanged: dry.unchanged });
    expect(await run(rows, true)).toMatchObject({ inserted: 0, updated: 0, unchanged: rows.length });
  });

  it('when a ref repeats, then the dry run names both lines, as the import would', async () => {
    const rows: RawRow[] = randomFacts(23, 5).credit.map((r, i) => ({
      ...r,
      university_code: 'USST',
      host_university_code: 'UJS',
      ref: i === 4 ? 'DUP-0' : `DUP-${i}`,
    }));
    const dry = run(rows, true);
    await expect(dry).rejects.toBeInstanceOf(ImportRejected);
    await expect(dry).rejects.toMatchObject({
      errors: [{ line: 6, column: 'ref', message: 'ref DUP-0 of USST is also on line 2' }],
    });
  });

  it('when a dry run of many rows is going on, then reads of the database are answered before it ends', async () => {
    const rows = randomFacts(24, 20_000).credit.map((r, i) => ({ ...r, ref: `MANY-${i}` }));
    const file = await checked(rows);
    let ended = false;
    const dry = applyImport(database.db, 'credit', file, { name: 'f.csv', sha256: '0'.repeat(64) }, null, ACTOR, {
      dryRun: true,
      engine: TEST_DB,
    }).finally(() => {
      ended = true;
    });
    // Reads go on until the dry run ends; those answered before its end are counted.
    let answeredDuring = 0;
    while (!ended) {
      // A request of a real client arrives as an event: the loop lets events in between reads.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await database.db.selectFrom('university').select('code').execute();
      if (!ended) answeredDuring++;
    }
    expect(await dry).toMatchObject({ inserted: 20_000 });
    expect(answeredDuring).toBeGreaterThan(1);
  });
});
