import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_COLUMNS } from '../../contract/record-columns.js';
import { checkImport } from '../../server/imports/parse-import.js';
import { loadReferences } from '../../server/kpi/references.js';
import { existingFile } from '../../server/lib/spool.js';
import { csvOf } from '../helpers/csv.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { openFilePaths } from '../helpers/spool-files.js';
import { until } from '../helpers/until.js';
import { type RawRow, randomFacts } from '../helpers/facts.js';

/**
 * Waits until this process has no file-system request in flight: a stream made to open, read or
 * close a file has done so. A file still open then stays open.
 */
async function fileSystemSettled(): Promise<void> {
  // A stream asks to open its file on the next tick after it is made.
  await new Promise((resolve) => setImmediate(resolve));
  await until(
    () => !process.getActiveResourcesInfo().some((type) => type.startsWith('FSReq') || type.startsWith('FileHandle')),
    () => `file-system requests to settle (${process.getActiveResourcesInfo().join(', ')})`,
  );
}

/**
 * A check stopped because its caller went away (an upload whose client left) lets go of the file
 * it was reading, whenever the leaving is seen: a read stream or a sheet left open would hold the
 * upload's bytes on disk until the process ends, after its name was removed.
 */
describe(`a check whose caller has left (${TEST_DB})`, () => {
  let database: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = await mkdtemp(join(tmpdir(), 'check-left-'));
  });
  afterAll(async () => {
    await database?.close();
    await rm(folder, { recursive: true, force: true });
  });

  // Larger than the buffers between the file and the checks: reading stops part-way, with the file open.
  const some = randomFacts(5, 400).credit;
  const rows: RawRow[] = Array.from({ length: 20_000 }, (_, i) => ({ ...some[i % some.length]!, ref: `LEFT-${i}` }));
  const files = {
    csv: async (path: string) => writeFileSync(path, csvOf('credit', rows)),
    xlsx: async (path: string) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('credit');
      const columns = KIND_COLUMNS.credit.map((column) => column.name);
      sheet.addRow(columns);
      for (const row of rows) sheet.addRow(columns.map((name) => row[name] ?? null));
      await book.xlsx.writeFile(path);
    },
  };

  for (const [format, write] of Object.entries(files)) {
    it(`when the caller of a ${format} check has already gone, then it refuses with the reason and the file is closed`, async () => {
      const path = join(folder, `left.${format}`);
      await write(path);
      const gone = new AbortController();
      const reason = new Error('the client went away');
      gone.abort(reason);
      await expect(
        checkImport('credit', existingFile(path), await loadReferences(database.db), null, undefined, gone.signal),
      ).rejects.toBe(reason);
      await fileSystemSettled();
      expect(openFilePaths().filter((open) => open.startsWith(path))).toEqual([]);
    });
  }
});
