import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { DatabaseKind } from '../db/connect.js';
import type { Database, FactKind } from '../db/schema.js';
import { byLine, detail, type ProblemDetail, said, Unprocessable } from '../lib/problems.js';
import type { Caller } from '../http/route.js';
import {
  brokenContractRule,
  hasStagedChecks,
  lostZeroRefs,
  type StagedProblems,
  stagedProblems,
  WHOLE_FILE_KINDS,
} from '../records/contract-rules.js';
import { type ColumnType, INPUT_COLUMNS } from '../../contract/record-columns.js';
import type { ImportDelimiter, ImportEncoding, ImportFormat, TextSample } from '../../contract/schemas/records.js';
import { type CheckedImport, ImportRejected, MAX_IMPORT_ROWS, MAX_REPORTED_ERRORS, problemsInFile } from './parse-import.js';
import { spoolLines } from '../lib/spool.js';
import { Conflict } from '../lib/problems.js';
import { lockStagedUniversities } from '../cycle/closed-periods.js';
import { closedLinesQuery } from '../cycle/cycle.queries.js';
import { MAIN_DATE } from '../../contract/record-columns.js';

/**
 * The lines of a file that would insert or change a record dated in
 * an approved period of its university (by its new day or its stored one), found by `query`; each is
 * named with the period, so the file is refused whole (409) with every such line listed.
 */
class ClosedLines {
  readonly problems: ProblemDetail[] = [];
  total = 0;

  constructor(private readonly kind: FactKind) {}

  async find(db: Kysely<Database>, rows: RawBuilder<unknown>, compared: readonly string[]): Promise<void> {
    const found = await closedLinesQuery(this.kind, rows, compared, MAX_REPORTED_ERRORS - this.problems.length + 1).execute(db);
    this.total += Number(found.rows[0]?.total ?? 0);
    for (const row of found.rows.slice(0, MAX_REPORTED_ERRORS - this.problems.length))
      this.problems.push(
        detail(
          { line: Number(row.line), column: MAIN_DATE[this.kind] },
          said('period_closed', {
            university: row.university_code,
            period: row.period,
            from: row.period_from,
            to: row.period_to,
          }),
        ),
      );
  }

  throwIfAny(): void {
    if (this.total > 0) throw new Conflict(said('period_closed_lines', { count: this.total }), this.problems);
  }
}

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult extends ImportCounts {
  kind: FactKind;
  /** Read-only columns of the file that were not read (a contract's received_cny): say so to the user. */
  ignored: string[];
  rows: number;
  dryRun: boolean;
  batchId: number | null;
  fileName: string | null;
  sha256: string;
  /** How the file was read: a CSV's encoding and delimiter (`file-encoding.ts`), or a workbook's sheet. */
  format: ImportFormat;
  encoding: ImportEncoding | null;
  delimiter: ImportDelimiter | null;
  sheet: string | null;
  /** The file's first text cell beyond ASCII, as read. */
  sample: TextSample | null;
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
  optional_enum: 'text',
  term: 'text',
};

/**
 * Rows read from the spool, keyed and staged per round trip: what the process holds of an import.
 */
export const STAGE_BATCH = 2000;

/**
 * How many staged rows one merge takes. Each merge statement runs the rollup triggers once over
 * its rows, so fewer, larger merges cost less in all (one merge of a million rows: 0.45× the rate of
 * COPY into the same table; merges of 2,000: 0.14×). PostgreSQL runs them in its own process: one
 * merge for the whole file. The embedded database runs each on the server's own event loop: merges
 * stay small enough that other requests get their turn between two of them.
 */
export function mergeRowsFor(engine: DatabaseKind): number {
  return engine === 'postgres' ? MAX_IMPORT_ROWS : STAGE_BATCH;
}

/**
 * Lets the event loop in. The embedded database runs each statement on it and goes on to the next
 * without a pause: between two statements of a batch, other requests (a health check) get their turn.
 */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface ApplyOptions {
  dryRun: boolean;
  /** Which engine `db` is: how large each merge is, and how a dry run holds its session. */
  engine: DatabaseKind;
  onProgress?: (done: number) => void;
  /** Called inside the transaction, once its last statement has run: the write is about to commit. */
  beforeCommit?: () => void;
  /** Stops the work between two batches (its reason is thrown, and everything rolls back). */
  signal?: AbortSignal;
}

/** The message of a file refused for refs that repeat. */
const repeatedRefs = (count: number) => said('repeated_refs', { count });

/**
 * Applies checked rows in one transaction: upsert on (university_code, ref); a row whose
 * values are all the same is left alone (`unchanged`), so the same file twice changes nothing.
 * Each changed row is audited with its values before and after; the batch as a whole too.
 * A dry run does the same work and rolls it back, so its counts are exact. A ref that appears
 * twice in the file rejects it (422, both lines named), nothing applied.
 *
 * The rows stream from their spool file a batch at a time (2,000 rows): each batch's keys are
 * recorded (which finds duplicates across the whole file) and its rows staged in a temporary table;
 * the staged rows are merged by set-based statements, `mergeRows` at a time. Memory holds one
 * batch, whatever the file.
 */
export async function applyImport(
  db: Kysely<Database>,
  kind: FactKind,
  checked: CheckedImport,
  file: { name: string | null; sha256: string },
  caller: Caller | null,
  actor: Actor,
  options: ApplyOptions,
): Promise<ImportResult> {
  if (options.dryRun) return dryRunImport(db, kind, checked, file, options);
  const mergeRows = mergeRowsFor(options.engine);
  // Payments are checked as one file (a contract's payments may be split over many lines): every row
  // is staged first, then the file is checked and merged, in parts of `mergeRows` lines. A part may
  // pass a contract's value on the way (a later line lowers another payment), so the contracts' sum
  // rule waits for the commit (sql/0016 makes it deferrable), when the whole file is in.
  // Snapshots likewise: one per university and day, whichever lines name them.
  const wholeFile = WHOLE_FILE_KINDS[kind];
  const digest = file.sha256;
  const specs = INPUT_COLUMNS[kind];
  const columns = specs.map((c) => c.name);
  const userId = caller?.id ?? null;
  const refs = (names: readonly string[], alias?: string) =>
    sql.join(names.map((c) => (alias ? sql.ref(`${alias}.${c}`) : sql.ref(c))));
  const differs = sql`(${refs(columns, 't')}) is distinct from (${refs(columns, 'i')})`;
  // The columns the file names: the only ones an update writes (those it leaves out keep their values).
  const updates = sql.join(
    [...columns.filter((c) => c !== 'university_code' && c !== 'ref' && !checked.absent.includes(c)), 'updated_by'].map(
      (c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`,
    ),
  );
  const universityAt = columns.indexOf('university_code') + 1;
  const refAt = columns.indexOf('ref') + 1;

  const run = async (trx: Kysely<Database>): Promise<ImportCounts & { batchId: number | null }> => {
    await sql`create temporary table import_rows on commit drop as select ${refs(columns)} from ${sql.table(kind)} with no data`.execute(
      trx,
    );
    await sql`create temporary table import_keys (university_code text, ref text, line integer not null, primary key (university_code, ref)) on commit drop`.execute(
      trx,
    );
    const counts: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const duplicates: ProblemDetail[] = [];
    let duplicateCount = 0;
    let done = 0;

    /** Rows staged in `import_rows` and not merged yet. */
    let staged = 0;
    /** Rows that break a rule of their contract (payments) or of their payments (contracts). */
    const broken: ProblemDetail[] = [];
    let brokenCount = 0;
    /** Rows that would change a record of an approved period. */
    const closed = new ClosedLines(kind);

    const stage = async (batch: unknown[][]): Promise<void> => {
      // The keys first: a key already staged (earlier in this batch or in an earlier one) is a duplicate.
      const found = await recordKeys(
        trx,
        kind,
        'import_keys',
        batch,
        { universityAt, refAt },
        MAX_REPORTED_ERRORS - duplicates.length,
      );
      duplicateCount += found.repeated.total;
      duplicates.push(...found.repeated.problems);
      brokenCount += found.lostZeros.total;
      broken.push(...found.lostZeros.problems.slice(0, MAX_REPORTED_ERRORS - broken.length));
      await breathe();
      // A file with a duplicate is refused whole: the rest is only read for the other duplicates.
      if (duplicateCount > 0) return;
      const arrays = specs.map(
        (spec, index) => sql`${batch.map((row) => row[index + 1] ?? null)}::${sql.raw(SQL_TYPE[spec.type])}[]`,
      );
      await sql`insert into import_rows (${refs(columns)}) select * from unnest(${sql.join(arrays)})`.execute(trx);
      await breathe();
      staged += batch.length;
      if (!wholeFile && staged >= mergeRows) await merge();
    };

    /** Audits and merges the staged rows, then empties the stage. */
    const merge = async (): Promise<void> => {
      if (staged === 0) return;
      await keepAbsentColumns(trx, kind, 'import_rows', checked.absent, true);
      // No period of the file's universities is approved from here to the commit; a line that would
      // change a record of an approved one refuses the file, and the rest of it is only checked.
      await lockStagedUniversities(trx, 'import_rows');
      await closed.find(
        trx,
        sql`(select i.*, k.line from import_rows as i join import_keys as k using (university_code, ref))`,
        columns,
      );
      if (closed.total > 0) {
        staged = 0;
        await sql`truncate import_rows`.execute(trx);
        return;
      }
      // The rules between contracts and payments, checked on the staged rows with their lines: a
      // file that breaks one is refused whole, and the rest of it is only checked, not merged.
      const check = await stagedProblems(trx, kind, 'import_rows', 'import_keys', checked.absent);
      brokenCount += check.total;
      broken.push(...check.problems.slice(0, MAX_REPORTED_ERRORS - broken.length));
      if (brokenCount > 0) {
        staged = 0;
        await sql`truncate import_rows`.execute(trx);
        return;
      }
      let merged = 0;
      if (!wholeFile) {
        merged = await mergePart(sql`true`);
      } else {
        const { rows: span } = await sql<{ first: number; last: number }>`
          select min(line) as first, max(line) as last from import_keys`.execute(trx);
        const first = Number(span[0]?.first ?? 0);
        const last = Number(span[0]?.last ?? 0);
        await sql`set constraints ${sql.ref(wholeFile.deferred)} deferred`.execute(trx);
        for (let from = first; from <= last; from += mergeRows) {
          merged += await mergePart(sql`exists (select 1 from import_keys as k
            where k.university_code = i.university_code and k.ref = i.ref and k.line >= ${from} and k.line < ${from + mergeRows})`);
          options.signal?.throwIfAborted();
        }
      }
      counts.unchanged += staged - merged;
      staged = 0;
      await sql`truncate import_rows`.execute(trx);
    };

    /** Audits and merges the staged rows that `part` (over alias `i`) keeps: how many it inserted or updated. */
    const mergePart = async (part: RawBuilder<unknown>): Promise<number> => {
      // The audit log first, while the old values are still there: one entry per row the import changes.
      const audited = await sql`
        insert into audit_log (user_id, user_email, address, action, subject, before, after, detail)
        select ${actor.id}::bigint, ${actor.email}::text, ${actor.address}::text, 'update', ${`${kind}:`} || t.university_code || '/' || t.ref,
               jsonb_build_object(${sql.join(columns.map((c) => sql`${c}::text, ${sql.ref(`t.${c}`)}`))}),
               jsonb_build_object(${sql.join(columns.map((c) => sql`${c}::text, ${sql.ref(`i.${c}`)}`))}),
               jsonb_build_object('import', ${digest}::text)
        from ${sql.table(kind)} as t inner join import_rows as i using (university_code, ref)
        where ${differs} and ${part}`.execute(trx);
      await breathe();
      const merged = await sql<{ inserted: number; updated: number }>`
        with merged as (
          insert into ${sql.table(kind)} as t (${refs([...columns, 'created_by', 'updated_by'])})
          select ${refs(columns, 'i')}, ${userId}::bigint, ${userId}::bigint from import_rows as i where ${part}
          on conflict (university_code, ref) do update set ${updates}, updated_at = now()
          where (${refs(columns, 't')}) is distinct from (${refs(columns, 'excluded')})
          returning (xmax = 0) as inserted
        )
        select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from merged`.execute(
        trx,
      );
      const inserted = Number(merged.rows[0]?.inserted ?? 0);
      const updated = Number(merged.rows[0]?.updated ?? 0);
      await breathe();
      if (updated !== Number(audited.numAffectedRows ?? 0)) throw new Error('the audit entries and the updated rows disagree');
      counts.inserted += inserted;
      counts.updated += updated;
      return inserted + updated;
    };

    let batch: unknown[][] = [];
    for await (const text of spoolLines(checked.spool)) {
      batch.push(JSON.parse(text) as unknown[]);
      if (batch.length < STAGE_BATCH) continue;
      await stage(batch);
      done += batch.length;
      batch = [];
      options.onProgress?.(done);
      options.signal?.throwIfAborted();
    }
    if (batch.length > 0) {
      await stage(batch);
      done += batch.length;
      options.onProgress?.(done);
    }
    if (duplicateCount === 0) await merge();
    if (duplicateCount > 0) throw new ImportRejected(repeatedRefs(duplicateCount), duplicates, duplicateCount);
    // In line order, as the dry run lists them: lost zeros are found as lines are staged, the rest as they are merged.
    if (brokenCount > 0) throw new ImportRejected(problemsInFile(brokenCount), broken.sort(byLine), brokenCount);
    closed.throwIfAny();
    const batchRow = await trx
      .insertInto('import_batch')
      .values({
        kind,
        file_name: file.name,
        sha256: digest,
        status: 'applied',
        row_count: checked.rows,
        ...counts,
        user_id: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'import',
      subject: `import:${kind}`,
      detail: { batch: batchRow.id, file: file.name, sha256: digest, ...checked.reading, rows: checked.rows, ...counts },
    });
    if (counts.inserted + counts.updated > 0) await bumpDataVersion(trx);
    options.beforeCommit?.();
    return { ...counts, batchId: batchRow.id };
  };
  try {
    const outcome = await db.transaction().execute(run);
    return {
      kind,
      rows: checked.rows,
      dryRun: false,
      fileName: file.name,
      sha256: digest,
      ignored: checked.ignored,
      ...checked.reading,
      sample: checked.sample,
      ...outcome,
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const rule = brokenContractRule(error);
    // A rule between contracts and payments broken by a write made meanwhile (the file was checked first).
    if (rule) throw new Unprocessable(said('contract_rule_refused', { rule, during: 'import' }));
    if (typeof code === 'string' && code.startsWith('23')) {
      // The answer says what it means for the file, never the database's own message.
      throw new Unprocessable(said('file_value_refused'));
    }
    throw error;
  }
}

let dryRunNumber = 0;

/**
 * Gives the staged rows of stored records the stored values of the columns the file leaves out:
 * a file written before a column existed keeps what the records hold (a new record keeps the
 * column's default). The checks, the comparison and the audit then read what each record would be;
 * the merge never writes those columns. In an import's transaction (`lock`) the stored records are
 * locked first, in id order, so no write between this read and the merge is lost or misreported.
 */
async function keepAbsentColumns(
  db: Kysely<Database>,
  kind: FactKind,
  staged: string,
  absent: readonly string[],
  lock: boolean,
): Promise<void> {
  if (lock)
    await sql`select t.id from ${sql.table(kind)} as t inner join ${sql.table(staged)} as i using (university_code, ref)
      order by t.id for update of t`.execute(db);
  if (absent.length === 0) return;
  await sql`update ${sql.table(staged)} as i set ${sql.join(absent.map((c) => sql`${sql.ref(c)} = t.${sql.ref(c)}`))}
    from ${sql.table(kind)} as t where t.university_code = i.university_code and t.ref = i.ref`.execute(db);
}

/**
 * Records a batch's keys in the temporary table `table`, and answers the lines whose key an earlier
 * line holds (earlier in this batch or in an earlier one), as problems: the first `room` of them, and
 * how many. Then, for a batch without repeats, the lines whose new all-digit ref is a stored one
 * that lost its leading zeros (`lostZeroRefs`). Both refuse the file.
 */
async function recordKeys(
  db: Kysely<Database>,
  kind: FactKind,
  table: string,
  batch: readonly unknown[][],
  at: { universityAt: number; refAt: number },
  room: number,
): Promise<{ repeated: StagedProblems; lostZeros: StagedProblems }> {
  const lines = batch.map((row) => row[0] as number);
  const universities = batch.map((row) => row[at.universityAt]);
  const refs = batch.map((row) => row[at.refAt]);
  const fresh = await sql<{ line: number }>`
    insert into ${sql.table(table)} (university_code, ref, line)
    select * from unnest(${universities}::text[], ${refs}::text[], ${lines}::integer[])
    on conflict do nothing returning line`.execute(db);
  const repeated: StagedProblems = { problems: [], total: batch.length - fresh.rows.length };
  if (repeated.total > 0) {
    const first = new Set(fresh.rows.map((r) => Number(r.line)));
    for (const row of batch) {
      if (first.has(row[0] as number) || repeated.problems.length >= room) continue;
      const earlier = await sql<{ line: number }>`
        select line from ${sql.table(table)} where university_code = ${row[at.universityAt]} and ref = ${row[at.refAt]}`.execute(
        db,
      );
      repeated.problems.push(
        detail(
          { line: row[0] as number, column: 'ref' },
          said('duplicate_ref', {
            ref: String(row[at.refAt]),
            university: String(row[at.universityAt]),
            line: Number(earlier.rows[0]?.line),
          }),
        ),
      );
    }
    return { repeated, lostZeros: { problems: [], total: 0 } };
  }
  return { repeated, lostZeros: await lostZeroRefs(db, kind, { universities, refs, lines }, table) };
}

/**
 * A dry run: what the import would do, found by reading, never by writing, and without holding a
 * transaction. Each batch is one short statement (its keys recorded in a temporary table, which
 * finds refs that repeat across the file; its rows compared with the stored ones), so on the
 * embedded database, whose one connection a transaction would hold from the first batch to the
 * last, other requests are answered between two batches. The counts are those the import would
 * make: a row whose key is not stored is inserted, one whose values all equal the stored ones is
 * unchanged, any other is updated.
 */
async function dryRunImport(
  db: Kysely<Database>,
  kind: FactKind,
  checked: CheckedImport,
  file: { name: string | null; sha256: string },
  options: ApplyOptions,
): Promise<ImportResult> {
  const specs = INPUT_COLUMNS[kind];
  const columns = specs.map((c) => c.name);
  // A stored record keeps the columns the file leaves out: they are not compared.
  const compared = columns.filter((c) => !checked.absent.includes(c));
  const universityAt = columns.indexOf('university_code') + 1;
  const refAt = columns.indexOf('ref') + 1;
  const keys = `dry_run_keys_${process.pid}_${++dryRunNumber}`;
  // The rows themselves too, where they are checked staged: against other records, or by their own
  // rules with the stored values of the columns the file leaves out.
  const withRows = hasStagedChecks(kind, checked.absent);
  const rowsTable = `dry_run_rows_${process.pid}_${dryRunNumber}`;
  const refs = (names: readonly string[], alias: string) => sql.join(names.map((c) => sql.ref(`${alias}.${c}`)));
  const counts: ImportCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const duplicates: ProblemDetail[] = [];
  let duplicateCount = 0;
  const lostZeros: StagedProblems = { problems: [], total: 0 };
  const closed = new ClosedLines(kind);

  // A temporary table lives in one session: PostgreSQL's pool lends one connection for the whole
  // run; the embedded database is one session already, and is taken statement by statement.
  const inSession = <T>(work: (session: Kysely<Database>) => Promise<T>): Promise<T> =>
    options.engine === 'postgres' ? db.connection().execute(work) : work(db);

  return inSession(async (session) => {
    await sql`create temporary table ${sql.table(keys)} (university_code text, ref text, line integer not null, primary key (university_code, ref))`.execute(
      session,
    );
    if (withRows)
      await sql`create temporary table ${sql.table(rowsTable)} as select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(kind)} with no data`.execute(
        session,
      );
    try {
      const compare = async (batch: unknown[][]): Promise<void> => {
        const lines = batch.map((row) => row[0] as number);
        const found = await recordKeys(
          session,
          kind,
          keys,
          batch,
          { universityAt, refAt },
          MAX_REPORTED_ERRORS - duplicates.length,
        );
        duplicateCount += found.repeated.total;
        duplicates.push(...found.repeated.problems);
        lostZeros.total += found.lostZeros.total;
        lostZeros.problems.push(...found.lostZeros.problems.slice(0, MAX_REPORTED_ERRORS - lostZeros.problems.length));
        await breathe();
        if (duplicateCount > 0) return;
        const arrays = specs.map(
          (spec, index) => sql`${batch.map((row) => row[index + 1] ?? null)}::${sql.raw(SQL_TYPE[spec.type])}[]`,
        );
        if (withRows)
          await sql`insert into ${sql.table(rowsTable)} (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})`.execute(
            session,
          );
        const counted = await sql<{ inserted: number; updated: number }>`
          select count(*) filter (where t.id is null) as inserted,
                 count(*) filter (where t.id is not null and (${refs(compared, 't')}) is distinct from (${refs(compared, 'i')})) as updated
          from unnest(${sql.join(arrays)}) as i (${sql.join(columns.map((c) => sql.ref(c)))})
          left join ${sql.table(kind)} as t on t.university_code = i.university_code and t.ref = i.ref`.execute(session);
        await closed.find(
          session,
          sql`(select * from unnest(${sql.join(arrays)}, ${lines}::integer[]) as u (${sql.join([...columns, 'line'].map((c) => sql.ref(c)))}))`,
          compared,
        );
        const inserted = Number(counted.rows[0]?.inserted ?? 0);
        const updated = Number(counted.rows[0]?.updated ?? 0);
        counts.inserted += inserted;
        counts.updated += updated;
        counts.unchanged += batch.length - inserted - updated;
        await breathe();
      };
      let batch: unknown[][] = [];
      let done = 0;
      for await (const text of spoolLines(checked.spool)) {
        batch.push(JSON.parse(text) as unknown[]);
        if (batch.length < STAGE_BATCH) continue;
        await compare(batch);
        done += batch.length;
        batch = [];
        options.onProgress?.(done);
        options.signal?.throwIfAborted();
      }
      if (batch.length > 0) {
        await compare(batch);
        options.onProgress?.(done + batch.length);
      }
      if (duplicateCount > 0) throw new ImportRejected(repeatedRefs(duplicateCount), duplicates, duplicateCount);
      closed.throwIfAny();
      let check: StagedProblems = { problems: [], total: 0 };
      if (withRows) {
        await keepAbsentColumns(session, kind, rowsTable, checked.absent, false);
        check = await stagedProblems(session, kind, rowsTable, keys, checked.absent);
      }
      const total = check.total + lostZeros.total;
      if (total > 0) {
        const problems = [...lostZeros.problems, ...check.problems].sort(byLine);
        throw new ImportRejected(problemsInFile(total), problems.slice(0, MAX_REPORTED_ERRORS), total);
      }
      return {
        kind,
        rows: checked.rows,
        dryRun: true,
        batchId: null,
        fileName: file.name,
        sha256: file.sha256,
        ignored: checked.ignored,
        ...checked.reading,
        sample: checked.sample,
        ...counts,
      };
    } finally {
      await sql`drop table if exists ${sql.table(keys)}`.execute(session);
      if (withRows) await sql`drop table if exists ${sql.table(rowsTable)}`.execute(session);
    }
  });
}

/** A rejected file is recorded too (file name, digest, how many problems), though nothing of it is applied. */
export async function recordRejectedImport(
  db: Kysely<Database>,
  kind: FactKind,
  file: { name: string | null; sha256: string },
  caller: Caller | null,
  errorCount: number,
): Promise<void> {
  await db
    .insertInto('import_batch')
    .values({
      kind,
      file_name: file.name,
      sha256: file.sha256,
      status: 'rejected',
      error_count: errorCount,
      user_id: caller?.id ?? null,
    })
    .execute();
}
