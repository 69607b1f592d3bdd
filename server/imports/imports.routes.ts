import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { ownUniversityOnly } from '../auth/guard.js';
import type { DatabaseKind } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { BadRequest } from '../http/problems.js';
import { route } from '../http/route.js';
import { singleLine } from '../http/text.js';
import { KindParamsSchema } from '../records/records.schemas.js';
import { mergeRowsFor } from './apply-import.js';
import { importFile } from './import-file.js';
import { ImportGate } from './import-gate.js';
import { receiveUpload } from './read-upload.js';

const ImportQuerySchema = z
  .object({
    dryRun: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    fileName: singleLine(200).optional(),
  })
  .strict();

export const ImportResultSchema = z.object({
  kind: z.string(),
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  dryRun: z.boolean(),
  batchId: z.number().nullable(),
  fileName: z.string().nullable(),
  sha256: z.string(),
});

/**
 * The process's import budget. Uploads being received cost a few buffers each and their bytes go
 * to disk: eight at once. Checking and applying cost a block of the file and a batch of rows each,
 * and the bulk pool has two connections: two at once, four more waiting their turn.
 */
export interface ImportLimits {
  uploads: number;
  running: number;
  waiting: number;
}
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { uploads: 8, running: 2, waiting: 4 };

/** `bulk` runs the import's long transaction, away from the connections that dashboard reads use. */
export function importsRoutes(
  db: Kysely<Database>,
  bulk: Kysely<Database>,
  engine: DatabaseKind,
  limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
) {
  const uploads = new ImportGate('uploads', limits.uploads, 0);
  const imports = new ImportGate('imports', limits.running, limits.waiting);
  return [
    route({
      method: 'post',
      path: '/imports/:kind',
      access: ['admin', 'steward'],
      summary:
        'Import a CSV of one kind (text/csv body, or multipart/form-data with a part named file), all or nothing, upserting on (university_code, ref); dryRun=true reports the counts and writes nothing. 422 lists every bad row by line and column. 503 with Retry-After when too many imports run at once.',
      params: KindParamsSchema,
      query: ImportQuerySchema,
      bodyTypes: ['text/csv', 'multipart/form-data'],
      problems: [413, 422],
      response: ImportResultSchema,
      // Until it commits, an import changes nothing anyone can read: answers from memory stay good meanwhile.
      holdsChanges: 'late',
      async handle({ req, res, params, query, caller, holdChanges }) {
        // A client that has gone gives up its place in line, and a dry run nobody will read stops.
        const gone = new AbortController();
        res.once('close', () => {
          if (!res.writableFinished) gone.abort(new BadRequest('The client went away before the import was done.'));
        });
        const receiving = await uploads.enter(gone.signal);
        let upload: Awaited<ReturnType<typeof receiveUpload>>;
        try {
          upload = await receiveUpload(req);
        } finally {
          receiving();
        }
        try {
          const running = await imports.enter(gone.signal);
          try {
            return await importFile(db, bulk, {
              kind: params.kind,
              file: upload.file,
              name: upload.fileName ?? query.fileName ?? null,
              sha256: upload.sha256,
              caller,
              actor: actorOf(req, caller),
              ownUniversity: ownUniversityOnly(caller!),
              dryRun: query.dryRun === 'true',
              beforeWrite: holdChanges,
              mergeRows: mergeRowsFor(engine),
              signal: gone.signal,
            });
          } finally {
            running();
          }
        } finally {
          await upload.file.dispose();
        }
      },
    }),
  ];
}
