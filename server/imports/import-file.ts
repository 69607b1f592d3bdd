import type { Kysely } from 'kysely';
import type { Actor } from '../audit/audit.queries.js';
import type { DatabaseKind } from '../db/connect.js';
import type { Database, FactKind } from '../db/schema.js';
import type { Caller } from '../http/route.js';
import { loadReferences } from '../kpi/references.js';
import { applyImport, type ImportResult, recordRejectedImport } from './apply-import.js';
import { checkImport, ImportRejected } from './parse-import.js';
import type { SpoolFile } from '../lib/spool.js';
import { HttpProblem } from '../lib/problems.js';

export interface ImportFile {
  kind: FactKind;
  /** The file as received, on disk. */
  file: SpoolFile;
  name: string | null;
  /** Sent as a workbook (its media type or name): if its bytes are not one, it is refused as such. */
  sentAsWorkbook?: boolean;
  sha256: string;
  /** Null for the command line's own account. */
  caller: Caller | null;
  actor: Actor;
  /** A steward's university: rows of any other are refused. Null for an administrator. */
  ownUniversity: string | null;
  dryRun: boolean;
  onChecking?: (bytesRead: number) => void;
  onWriting?: (rowsDone: number, rows: number) => void;
  /** The caller went away: the checks stop, and so does a dry run (a real import, once checked, is applied). */
  signal?: AbortSignal;
  /** Which engine `bulk` is (see `ApplyOptions.engine`). */
  engine: DatabaseKind;
  /** Called just before anything of the import is written for good (its commit, or the record of a rejected file). */
  beforeWrite?: () => void;
}

/**
 * The story of an import, for the API and the command line alike: check every row of the file
 * (nothing is written if any is wrong, and a rejected file is recorded), then apply the rows in
 * one transaction. `db` answers the short questions; `bulk` runs the long transaction.
 */
export async function importFile(db: Kysely<Database>, bulk: Kysely<Database>, request: ImportFile): Promise<ImportResult> {
  const file = { name: request.name, sha256: request.sha256 };
  const rejected = async (error: unknown) => {
    if (error instanceof ImportRejected && !request.dryRun) {
      request.beforeWrite?.();
      await recordRejectedImport(db, request.kind, file, request.caller, error.total);
    }
  };
  let checked: Awaited<ReturnType<typeof checkImport>>;
  try {
    checked = await checkImport(
      request.kind,
      request.file,
      await loadReferences(db),
      request.ownUniversity,
      request.onChecking,
      request.signal,
      request.sentAsWorkbook ?? false,
    );
  } catch (error) {
    await rejected(error);
    throw error;
  }
  try {
    return await applyImport(bulk, request.kind, checked, file, request.caller, request.actor, {
      dryRun: request.dryRun,
      onProgress: (done) => request.onWriting?.(done, checked.rows),
      ...(request.beforeWrite ? { beforeCommit: request.beforeWrite } : {}),
      engine: request.engine,
      ...(request.signal && request.dryRun ? { signal: request.signal } : {}),
    });
  } catch (error) {
    // A problem found when the rows are applied names its place as the checks do (a workbook's sheet and cell).
    if (error instanceof HttpProblem)
      error.placed((given) =>
        given.line !== undefined && given.sheet === undefined
          ? { ...given, ...checked.placeOf(given.line, given.column) }
          : given,
      );
    await rejected(error);
    throw error;
  } finally {
    await checked.spool.dispose();
  }
}
