import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Actor } from '../../audit/audit.queries.js';
import { ownUniversityOnly } from '../../auth/guard.js';
import { importFile } from '../../imports/import-file.js';
import { ENCODING_NAME } from '../../imports/file-encoding.js';
import type { ImportReading } from '../../imports/parse-import.js';
import { ImportForbidden, ImportRejected } from '../../imports/parse-import.js';
import { existingFile, sha256OfFile } from '../../lib/spool.js';
import { MAX_UPLOAD_BYTES, saysWorkbook } from '../../imports/read-upload.js';
import { Forbidden } from '../../lib/problems.js';
import type { Caller } from '../../http/route.js';
import { findUserByEmail } from '../../users/users.service.js';
import { CLI_ACTOR, type CliIo, checkedUsage, type Command, KIND, Refused, UsageError } from '../command.js';

/** A progress bar on a terminal; nothing when the output is not one. */
function progress(stderr: CliIo['stderr'], label: string, total: number): (done: number) => void {
  if (!stderr.isTTY || total === 0) return () => undefined;
  return (done) => {
    const share = Math.min(1, done / total);
    const width = 30;
    stderr.write(
      `\r${label} [${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${(share * 100).toFixed(0).padStart(3)}%`,
    );
    if (share >= 1) stderr.write('\n');
  };
}

/** How the file was read, as the output says it: `GB18030, tab-separated`, or `sheet 合同 of a workbook`. */
const readingSaid = (reading: ImportReading): string =>
  reading.format === 'xlsx' || !reading.encoding
    ? `sheet ${reading.sheet ?? '?'} of a workbook`
    : `${ENCODING_NAME[reading.encoding]}${reading.encoding === 'utf-8-bom' ? ' with a byte-order mark' : ''}, ${reading.delimiter === 'tab' ? 'tab' : 'comma'}-separated`;

export const importCommand: Command = async (database, args, io) => {
  const { values, positionals } = parseArgs({
    args,
    options: { 'dry-run': { type: 'boolean', default: false }, as: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 2) throw new UsageError('import needs a kind and a file: import <kind> <file.csv|file.xlsx>');
  const kind = checkedUsage(KIND, positionals[0], 'the kind');
  const path = positionals[1]!;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (size > MAX_UPLOAD_BYTES) throw new Refused(`${path} is larger than 50 MB; split it and import the parts one after another`);
  const { db } = database;
  let caller: Caller | null = null;
  let actor: Actor = CLI_ACTOR;
  if (values.as) {
    const user = await findUserByEmail(db, values.as);
    if (!user || user.disabled) throw new Refused(`there is no active user ${values.as}`);
    if (user.role !== 'admin' && user.role !== 'steward')
      throw new Refused(`${user.email} is ${user.role}: only an admin or a steward may import`);
    caller = { id: user.id, email: user.email, name: user.name, role: user.role, university: user.university_code };
    actor = { id: user.id, email: user.email, address: 'command line' };
  }
  const dryRun = values['dry-run'];
  let result: Awaited<ReturnType<typeof importFile>>;
  try {
    result = await importFile(db, database.bulk, {
      kind,
      file: existingFile(path),
      name: basename(path),
      sentAsWorkbook: saysWorkbook(null, path),
      sha256: await sha256OfFile(path),
      caller,
      actor,
      ownUniversity: caller ? ownUniversityOnly(caller) : null,
      dryRun,
      engine: database.kind,
      onChecking: progress(io.stderr, 'checking', size),
      onWriting: (done, rows) => progress(io.stderr, dryRun ? 'trying' : 'writing', rows)(done),
    });
  } catch (error) {
    if (error instanceof ImportRejected || error instanceof Forbidden) {
      io.stderr.write(`alliance-outcomes: ${path} is rejected: ${error.message}\n`);
      for (const problem of error.errors) {
        const place = problem.sheet
          ? `sheet ${problem.sheet}${problem.cell ? `, cell ${problem.cell}` : ''}, row ${problem.line ?? '?'}`
          : `line ${problem.line ?? '?'}`;
        io.stderr.write(`  ${place}${problem.column ? `, ${problem.column}` : ''}: ${problem.message}\n`);
      }
      if ((error instanceof ImportRejected || error instanceof ImportForbidden) && error.total > error.errors.length)
        io.stderr.write(`  … and ${error.total - error.errors.length} more\n`);
      return 1;
    }
    throw error;
  }
  io.stdout.write(
    `${result.dryRun ? 'dry run, nothing written: would insert' : 'imported: inserted'} ${result.inserted}, ${result.dryRun ? 'update' : 'updated'} ${result.updated}, unchanged ${result.unchanged} (${result.rows} rows of ${kind}, read as ${readingSaid(result)}${result.batchId ? `, batch ${result.batchId}` : ''})\n`,
  );
  return 0;
};
