import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { ownUniversityOnly } from '../auth/guard.js';
import type { Database } from '../db/schema.js';
import { route } from '../http/route.js';
import { singleLine } from '../http/text.js';
import { loadReferences } from '../kpi/references.js';
import { KindParamsSchema } from '../records/records.schemas.js';
import { applyImport, recordRejectedImport } from './apply-import.js';
import { ImportRejected, parseImport } from './parse-import.js';
import { readUpload } from './read-upload.js';

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

/** `bulk` runs the import's long transaction, away from the connections that dashboard reads use. */
export function importsRoutes(db: Kysely<Database>, bulk: Kysely<Database>) {
  return [
    route({
      method: 'post',
      path: '/imports/:kind',
      access: ['admin', 'steward'],
      summary:
        'Import a CSV of one kind (text/csv body, or multipart/form-data with a part named file), all or nothing, upserting on (university_code, ref); dryRun=true reports the counts and writes nothing. 422 lists every bad row by line and column.',
      params: KindParamsSchema,
      query: ImportQuerySchema,
      bodyTypes: ['text/csv', 'multipart/form-data'],
      response: ImportResultSchema,
      async handle({ req, params, query, caller }) {
        const upload = await readUpload(req);
        const file = { name: upload.fileName ?? query.fileName ?? null, bytes: upload.bytes };
        const dryRun = query.dryRun === 'true';
        let rows: Awaited<ReturnType<typeof parseImport>>['rows'];
        try {
          rows = (await parseImport(params.kind, upload.bytes, await loadReferences(db), ownUniversityOnly(caller!))).rows;
        } catch (error) {
          if (error instanceof ImportRejected && !dryRun) await recordRejectedImport(db, params.kind, file, caller, error.total);
          throw error;
        }
        return applyImport(bulk, params.kind, rows, file, caller, actorOf(req, caller), { dryRun });
      },
    }),
  ];
}
