import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { Database, FactKind } from '../db/schema.js';
import { Unprocessable } from '../http/problems.js';
import type { Caller } from '../http/route.js';
import { type ColumnType, KIND_COLUMNS } from '../records/record-columns.js';
import type { RecordValues } from '../records/record-schemas.js';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult extends ImportCounts {
  kind: FactKind;
  rows: number;
  dryRun: boolean;
  batchId: number | null;
  fileName: string | null;
  sha256: string;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Thrown inside the transaction of a dry run, so that nothing it wrote survives. */
class DryRunRollback extends Error {
  constructor(readonly counts: ImportCounts) {
    super('dry run');
  }
}

/** The SQL type of each kind of column, for the arrays the rows travel in. */
const SQL_TYPE: Readonly<Record<ColumnType, string>> = {
  code: 'text',
  optional_code: 'text',
  text: 'text',
  date: 'date',
  optional_date: 'date',
  money: 'numeric',
  count: 'integer',
  credits: 'numeric',
  enum: 'text',
  term: 'text',
};

/** Rows per round trip into the staging table: one array per column. */
const STAGE_BATCH = 20_000;

/**
 * Applies checked rows in one transaction: upsert on (university_code, ref); a row whose
 * values are all the same is left alone (`unchanged`), so the same file twice changes nothing.
 * Each changed row is audited with its values before and after; the batch as a whole too.
 * A dry run does the same work and rolls it back, so its counts are exact.
 *
 * The rows are staged in a temporary table, then merged by three set-based statements, so a
 * million rows cost a few statements rather than a million.
 */
export async function applyImport(
  db: Kysely<Database>,
  kind: FactKind,
  rows: readonly RecordValues[],
  file: { name: string | null; bytes: Buffer },
  caller: Caller | null,
  actor: Actor,
  options: { dryRun: boolean; onProgress?: (done: number) => void },
): Promise<ImportResult> {
  const digest = sha256(file.bytes);
  const specs = KIND_COLUMNS[kind];
  const columns = specs.map((c) => c.name);
  const userId = caller?.id ?? null;
  const refs = (names: readonly string[], alias?: string) =>
    sql.join(names.map((c) => (alias ? sql.ref(`${alias}.${c}`) : sql.ref(c))));
  const run = async (trx: Kysely<Database>): Promise<ImportCounts & { batchId: number | null }> => {
    await sql`create temporary table import_rows on commit drop as select ${refs(columns)} from ${sql.table(kind)} with no data`.execute(
      trx,
    );
    for (let start = 0; start < rows.length; start += STAGE_BATCH) {
      const batch = rows.slice(start, start + STAGE_BATCH);
      const arrays = specs.map((spec) => sql`${batch.map((row) => row[spec.name] ?? null)}::${sql.raw(SQL_TYPE[spec.type])}[]`);
      await sql`insert into import_rows (${refs(columns)}) select * from unnest(${sql.join(arrays)})`.execute(trx);
      options.onProgress?.(Math.min(rows.length, start + STAGE_BATCH));
    }
    const differs = sql`(${refs(columns, 't')}) is distinct from (${refs(columns, 'i')})`;
    // The audit log first, while the old values are still there: one entry per row the import changes.
    const audited = await sql`
      insert into audit_log (user_id, user_email, address, action, subject, before, after, detail)
      select ${actor.id}::bigint, ${actor.email}::text, ${actor.address}::text, 'update', ${`${kind}:`} || t.university_code || '/' || t.ref,
             jsonb_build_object(${sql.join(columns.map((c) => sql`${c}::text, ${sql.ref(`t.${c}`)}`))}),
             jsonb_build_object(${sql.join(columns.map((c) => sql`${c}::text, ${sql.ref(`i.${c}`)}`))}),
             jsonb_build_object('import', ${digest}::text)
      from ${sql.table(kind)} as t inner join import_rows as i using (university_code, ref)
      where ${differs}`.execute(trx);
    const updates = sql.join(
      [...columns.filter((c) => c !== 'university_code' && c !== 'ref'), 'updated_by'].map(
        (c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`,
      ),
    );
    const merged = await sql<{ inserted: number; updated: number }>`
      with merged as (
        insert into ${sql.table(kind)} as t (${refs([...columns, 'created_by', 'updated_by'])})
        select ${refs(columns, 'i')}, ${userId}::bigint, ${userId}::bigint from import_rows as i
        on conflict (university_code, ref) do update set ${updates}, updated_at = now()
        where (${refs(columns, 't')}) is distinct from (${refs(columns, 'excluded')})
        returning (xmax = 0) as inserted
      )
      select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from merged`.execute(
      trx,
    );
    const inserted = Number(merged.rows[0]?.inserted ?? 0);
    const updated = Number(merged.rows[0]?.updated ?? 0);
    if (updated !== Number(audited.numAffectedRows ?? 0)) throw new Error('the audit entries and the updated rows disagree');
    const counts: ImportCounts = { inserted, updated, unchanged: rows.length - inserted - updated };
    if (options.dryRun) throw new DryRunRollback(counts);
    const batchRow = await trx
      .insertInto('import_batch')
      .values({
        kind,
        file_name: file.name,
        sha256: digest,
        status: 'applied',
        row_count: rows.length,
        ...counts,
        user_id: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'import',
      subject: `import:${kind}`,
      detail: { batch: batchRow.id, file: file.name, sha256: digest, rows: rows.length, ...counts },
    });
    if (counts.inserted + counts.updated > 0) await bumpDataVersion(trx);
    return { ...counts, batchId: batchRow.id };
  };
  try {
    const outcome = await db.transaction().execute(run);
    return { kind, rows: rows.length, dryRun: false, fileName: file.name, sha256: digest, ...outcome };
  } catch (error) {
    if (error instanceof DryRunRollback)
      return { kind, rows: rows.length, dryRun: true, batchId: null, fileName: file.name, sha256: digest, ...error.counts };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('23')) {
      throw new Unprocessable(`The database refused the file (${(error as Error).message}); nothing was imported.`);
    }
    throw error;
  }
}

/** A rejected file is recorded too (file name, digest, how many problems), though nothing of it is applied. */
export async function recordRejectedImport(
  db: Kysely<Database>,
  kind: FactKind,
  file: { name: string | null; bytes: Buffer },
  caller: Caller | null,
  errorCount: number,
): Promise<void> {
  await db
    .insertInto('import_batch')
    .values({
      kind,
      file_name: file.name,
      sha256: sha256(file.bytes),
      status: 'rejected',
      error_count: errorCount,
      user_id: caller?.id ?? null,
    })
    .execute();
}
