import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import { ownUniversityOnly } from '../auth/guard.js';
import type { DatabaseKind } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { BadRequest, said, TooManyRequests } from '../lib/problems.js';
import { endpoints, route } from '../http/route.js';
import { KindParamsSchema } from '../records/records.schemas.js';
import { contentDisposition } from '../csv/cells.js';
import { essence, MEDIA_TYPES } from '../lib/media-types.js';
import { onClientGone, onExchangeOver } from '../http/client-gone.js';
import { importFile } from './import-file.js';
import { importTemplate } from './import-template.js';
import { Gate, PerAccount } from '../http/gate.js';
import { DEFAULT_UPLOAD_PACE, receiveUpload, saysWorkbook, type UploadPace } from './read-upload.js';

export { ImportResultSchema } from '../../contract/schemas/records.js';

/**
 * The process's import budget. Uploads being received cost a few buffers each and their bytes go
 * to disk: eight at once, two of them per account (so that one account cannot hold every place),
 * each arriving at a pace the server can wait for. Checking and applying cost a block of the file
 * and a batch of rows each, and the bulk pool has two connections: two at once, four more waiting
 * their turn.
 */
export interface ImportLimits {
  uploads: number;
  running: number;
  waiting: number;
  /** Uploads one account may send at once; the next is answered 429 (default 2). */
  uploadsPerAccount?: number;
  pace?: UploadPace;
}
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { uploads: 8, running: 2, waiting: 4 };
const DEFAULT_UPLOADS_PER_ACCOUNT = 2;

/** `bulk` runs the import's long transaction, away from the connections that dashboard reads use. */
export function importsRoutes(
  db: Kysely<Database>,
  bulk: Kysely<Database>,
  engine: DatabaseKind,
  limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
) {
  const uploads = new Gate('uploads', limits.uploads, 0);
  const imports = new Gate('imports', limits.running, limits.waiting);
  /** Uploads being received, by account. */
  const sending = new PerAccount<number>(limits.uploadsPerAccount ?? DEFAULT_UPLOADS_PER_ACCOUNT);
  return [
    route(endpoints.importTemplate, {
      access: ['admin', 'steward'],
      summary:
        'The empty file of a kind to fill in and import: format=xlsx (the default) is a workbook whose first sheet has the input columns named in lang and then in the other language (rows 1–2), each column typed and validated from row 3 (codes from lists of the database, a steward’s own university only), with an Instructions sheet; format=csv is the header row in lang, UTF-8 with a byte-order mark.',
      params: KindParamsSchema,
      async handle({ res, params, query, caller }) {
        const file = await importTemplate(db, {
          kind: params.kind,
          format: query.format,
          lang: query.lang,
          ownUniversity: ownUniversityOnly(caller!),
        });
        res.set({
          'Content-Type': file.contentType,
          'Content-Disposition': contentDisposition(file.fileName, file.fileName.replace('模板', 'template')),
          'Cache-Control': 'private, no-store',
        });
        res.send(file.bytes);
      },
    }),
    route(endpoints.importRecords, {
      access: ['admin', 'steward'],
      summary:
        'Import a CSV or an Excel workbook (.xlsx, recognised by its bytes, and a file sent as .xlsx by type or name that is not one is refused; its first sheet whose first row is a header of the kind) of one kind (text/csv or the .xlsx media type as the body, or multipart/form-data with a part named file), all or nothing, upserting on (university_code, ref); dryRun=true reports the counts and writes nothing. 422 lists every bad row by line and column (a workbook: by sheet and cell too). 408 for an upload that stalls or arrives under 8 KB/s; 429 for an account sending more than two files at once; 503 with Retry-After when too many imports run at once.',
      params: KindParamsSchema,
      bodyTypes: [essence(MEDIA_TYPES.csv), MEDIA_TYPES.xlsx, 'multipart/form-data'],
      problems: [408, 409, 413, 422, 429],
      // Until it commits, an import changes nothing anyone can read: answers from memory stay good meanwhile.
      holdsChanges: 'late',
      async handle({ req, res, params, query, caller, holdChanges }) {
        // A client that has gone gives up its place in line, and a dry run nobody will read stops.
        const gone = new AbortController();
        onClientGone(req, res, () => gone.abort(new BadRequest(said('client_left_import'))));
        // The account's place comes back when its file has arrived, or at once when its client has gone.
        const arrived = sending.take(caller!.id, (count) => new TooManyRequests(said('sending_files', { count }), 10));
        onExchangeOver(req, res, arrived);
        let upload: Awaited<ReturnType<typeof receiveUpload>>;
        try {
          const receiving = await uploads.enter(gone.signal);
          req.log?.debug({ kind: params.kind }, 'import: receiving the file');
          try {
            upload = await receiveUpload(req, undefined, limits.pace ?? DEFAULT_UPLOAD_PACE);
          } finally {
            receiving();
          }
        } finally {
          arrived();
        }
        try {
          const running = await imports.enter(gone.signal);
          try {
            return await importFile(db, bulk, {
              kind: params.kind,
              file: upload.file,
              name: upload.fileName ?? query.fileName ?? null,
              sentAsWorkbook: upload.sentAsWorkbook || saysWorkbook(null, upload.fileName ?? query.fileName),
              sha256: upload.sha256,
              caller,
              actor: actorOf(req, caller),
              ownUniversity: ownUniversityOnly(caller!),
              dryRun: query.dryRun === 'true',
              beforeWrite: holdChanges,
              // Each batch staged in the import's transaction, before its commit.
              onWriting: (done, rows) => req.log?.debug({ kind: params.kind, done, rows }, 'import: rows written'),
              engine,
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
