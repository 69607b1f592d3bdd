import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { BadRequest, said } from '../lib/problems.js';
import { endpoints, route, zodProblems } from '../http/route.js';
import { assertKnownCodes, loadReferences } from '../kpi/references.js';
import { recordBodyJsonSchema } from './record-columns.js';
import { RecordBodySchema } from './record-schemas.js';
import { KindParamsSchema, RECORDS_QUERY_SCHEMAS, RecordParamsSchema } from './records.schemas.js';
import type { CsvDownloads } from '../csv/csv-download.js';
import type { CopyOut } from '../db/connect.js';
import { loadLabels } from '../kpi/labels.js';
import { recordsProjection } from './records.csv.js';
import { createRecord, deleteRecord, listRecords, scopedFilters, updateRecord } from './records.service.js';

/**
 * `bulk` reads the CSV exports, away from the connections that dashboard reads use; `downloads`
 * spools each to disk before it is sent, so no reader holds a connection.
 */
export function recordsRoutes(db: Kysely<Database>, bulk: Kysely<Database>, downloads: CsvDownloads, copyOut?: CopyOut) {
  return [
    route(endpoints.records, {
      access: ['admin', 'leadership', 'steward'],
      cached: true,
      downloads: true,
      summary:
        'A page of records of one kind (tech_transfer, incubation, talent, credit), filtered and sorted; a steward sees its own university’s only. format=csv or format=xlsx downloads the whole selection.',
      params: KindParamsSchema,
      // The filters depend on the kind, so the query is checked in the handler against that kind's schema.
      query: z.record(z.string(), z.unknown()),
      async handle({ req, res, params, caller }) {
        const parsed = RECORDS_QUERY_SCHEMAS[params.kind].safeParse(req.query);
        if (!parsed.success)
          throw new BadRequest(said('request_invalid', { where: 'query' }), zodProblems(parsed.error, 'query'));
        assertKnownCodes(parsed.data.filters, await loadReferences(db));
        const { output } = parsed.data;
        if (output.file) {
          // The whole selection, read through a cursor (or COPY) into a file, then sent: no page, no row limit.
          const filters = scopedFilters(parsed.data.filters, caller!);
          const labels = await loadLabels(db, output.lang);
          const projection = recordsProjection(bulk, copyOut, params.kind, filters, parsed.data, labels);
          await downloads.export(req, res, caller, projection, output.file);
          return;
        }
        const { total, sum, rows } = await listRecords(db, params.kind, parsed.data, caller!);
        return {
          kind: params.kind,
          page: parsed.data.page,
          pageSize: parsed.data.pageSize,
          total,
          ...(sum === undefined ? {} : { sum }),
          rows,
        };
      },
    }),
    route(endpoints.createRecord, {
      access: ['admin', 'steward'],
      summary: 'Create one record, checked as an import row is; a steward only for its own university.',
      params: KindParamsSchema,
      body: RecordBodySchema,
      bodyDocument: recordBodyJsonSchema(false),
      async handle({ req, res, params, body, caller }) {
        const record = await createRecord(db, params.kind, body, await loadReferences(db), caller!, actorOf(req, caller));
        res.status(201);
        return record;
      },
    }),
    route(endpoints.updateRecord, {
      access: ['admin', 'steward'],
      summary:
        'Change fields of one record; the result is checked whole. A steward may not change or move another university’s record.',
      params: RecordParamsSchema,
      body: RecordBodySchema,
      bodyDocument: recordBodyJsonSchema(true),
      handle: async ({ req, params, body, caller }) =>
        updateRecord(db, params.kind, params.id, body, await loadReferences(db), caller!, actorOf(req, caller)),
    }),
    route(endpoints.deleteRecord, {
      access: ['admin', 'steward'],
      summary: 'Delete one record; the audit log keeps it as it was.',
      params: RecordParamsSchema,
      async handle({ req, res, params, caller }) {
        await deleteRecord(db, params.kind, params.id, caller!, actorOf(req, caller));
        res.status(204).end();
      },
    }),
  ];
}
