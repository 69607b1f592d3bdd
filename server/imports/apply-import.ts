import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { Database, FactKind } from '../db/schema.js';
import { Unprocessable } from '../http/problems.js';
import type { Caller } from '../http/route.js';
import { KIND_COLUMNS } from '../records/record-columns.js';
import type { RecordValues } from '../records/record-schemas.js';

const BATCH = 1000;

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

/**
 * Applies checked rows in one transaction: upsert on (university_code, ref); a row whose
 * values are all the same is left alone (`unchanged`), so the same file twice changes nothing.
 * Each changed row is audited with its values before and after; the batch as a whole too.
 * A dry run does the same work and rolls it back, so its counts are exact.
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
  const columns = KIND_COLUMNS[kind].map((c) => c.name);
  const userId = caller?.id ?? null;
  const run = async (trx: Kysely<Database>): Promise<ImportCounts & { batchId: number | null }> => {
    const counts: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const keys = sql.join(batch.map((r) => sql`(${r.university_code}, ${r.ref})`));
      const before = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(kind)} where (university_code, ref) in (${keys})`.execute(trx);
      const beforeByKey = new Map(before.rows.map((r) => [`${r.university_code}\u0000${r.ref}`, r]));
      const values = sql.join(batch.map((row) => sql`(${sql.join([...columns.map((c) => row[c] ?? null), userId, userId])})`));
      const columnList = sql.join([...columns, 'created_by', 'updated_by'].map((c) => sql.ref(c)));
      const assignments = sql.join(
        [...columns.filter((c) => c !== 'university_code' && c !== 'ref'), 'updated_by'].map(
          (c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`,
        ),
      );
      const changed = sql.join(columns.map((c) => sql`t.${sql.ref(c)}`));
      const incoming = sql.join(columns.map((c) => sql`excluded.${sql.ref(c)}`));
      const upserted = await sql<{ university_code: string; ref: string; inserted: boolean }>`
        insert into ${sql.table(kind)} as t (${columnList})
        values ${values}
        on conflict (university_code, ref) do update set ${assignments}, updated_at = now()
        where (${changed}) is distinct from (${incoming})
        returning t.university_code, t.ref, (xmax = 0) as inserted`.execute(trx);
      const updatedRows = upserted.rows.filter((r) => !r.inserted);
      counts.inserted += upserted.rows.length - updatedRows.length;
      counts.updated += updatedRows.length;
      counts.unchanged += batch.length - upserted.rows.length;
      if (updatedRows.length > 0) {
        const byKey = new Map(batch.map((r) => [`${r.university_code}\u0000${r.ref}`, r]));
        await trx
          .insertInto('audit_log')
          .values(
            updatedRows.map((r) => {
              const key = `${r.university_code}\u0000${r.ref}`;
              const old = beforeByKey.get(key)!;
              return {
                user_id: actor.id,
                user_email: actor.email,
                address: actor.address,
                action: 'update' as const,
                subject: `${kind}:${r.university_code}/${r.ref}`,
                before: Object.fromEntries(columns.map((c) => [c, old[c] ?? null])),
                after: byKey.get(key)!,
                detail: { import: digest },
              };
            }),
          )
          .execute();
      }
      options.onProgress?.(Math.min(rows.length, start + BATCH));
    }
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
