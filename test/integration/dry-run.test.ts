import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyImport } from '../../server/imports/apply-import.js';
import { checkImport, ImportRejected } from '../../server/imports/parse-import.js';
import { existingFile, type SpoolFile } from '../../server/lib/spool.js';
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
  /** The checked rows' files: an import disposes of its own (import-file.ts); a test that checks and applies by itself, of its. */
  const spools: SpoolFile[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(21, 300));
    folder = await mkdtemp(join(tmpdir(), 'dry-run-'));
  });
  afterEach(async () => {
    for (const spool of spools.splice(0)) await spool.dispose();
  });
  afterAll(async () => {
    await database?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const checked = async (rows: RawRow[]) => {
    const path = join(folder, `file-${++n}.csv`);
    writeFileSync(path, csvOf('credit', rows));
    const result = await checkImport('credit', existingFile(path), await loadReferences(database.db), null);
    spools.push(result.spool);
    return result;
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

  it('when new all-digit refs are stored ones without their leading zeros, then the dry run and the import refuse the file at those lines, writing nothing', async () => {
    // Four stored records whose refs start with zeros, as a spreadsheet would lose them.
    const stored = (await database.db.selectFrom('credit').selectAll().orderBy('id').limit(4).execute()) as unknown as RawRow[];
    const zeroRefs = ['00456', '0789', '000123', '0042'];
    for (const [index, row] of stored.entries())
      await database.db.updateTable('credit').set({ ref: zeroRefs[index]! }).where('id', '=', Number(row.id)).execute();
    const withRef = (row: RawRow, ref: string): RawRow => ({ ...row, id: null, ref });
    // A file of more than one staging batch (2,000 lines): new refs of its own around the four.
    const filler = randomFacts(29, 2_600).credit.map((r, i) => ({ ...r, ref: `ZERO-${i}` }));
    const rows: RawRow[] = [
      withRef(stored[0]!, '456'), // line 2: 00456 lost its zeros
      withRef(stored[1]!, '789'), // line 3: 0789 is named by the file too (line 4), so 789 is meant as new
      withRef(stored[1]!, '0789'),
      withRef(stored[2]!, '000123'), // line 5: the stored ref as written
      ...filler,
      withRef(stored[3]!, '42'), // line 2,606, in the second batch: 0042 lost its zeros
    ];
    const before = await state();
    const expected = {
      errors: [
        {
          line: 2,
          column: 'ref',
          code: 'ref_lost_zeros',
          params: { ref: '456', stored: '00456', university: stored[0]!.university_code },
        },
        {
          line: 2606,
          column: 'ref',
          code: 'ref_lost_zeros',
          params: { ref: '42', stored: '0042', university: stored[3]!.university_code },
        },
      ],
    };
    for (const dryRun of [true, false]) {
      const attempt = run(rows, dryRun);
      await expect(attempt).rejects.toBeInstanceOf(ImportRejected);
      await expect(attempt).rejects.toMatchObject(expected);
      expect(await state()).toBe(before);
    }
    const [message] = (await run(rows, true).catch((error: ImportRejected) => error.errors)) as ImportRejected['errors'];
    expect(message?.message).toMatch(
      /^ref 456 of \w+ is new, but the stored ref 00456 differs from it only by its leading zeros/,
    );

    // Written as stored, the same file imports: nothing is added beside the stored records.
    rows[0] = withRef(stored[0]!, '00456');
    rows[rows.length - 1] = withRef(stored[3]!, '0042');
    const dry = await run(rows, true);
    const applied = await run(rows, false);
    expect(applied).toMatchObject({ inserted: dry.inserted, updated: dry.updated, unchanged: dry.unchanged });
    expect(applied.inserted).toBe(filler.length + 1); // the filler and 789
    const count = await database.db
      .selectFrom('credit')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('ref', 'in', ['456', '42', '123'])
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
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
