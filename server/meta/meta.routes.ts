import { requestReader } from '../db/versioned.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import { getMeta } from './meta.service.js';

export function metaRoutes(db: Kysely<Database>) {
  return [
    route(endpoints.meta, {
      access: 'signed_in',
      cached: true,
      summary: 'Universities, regions, fields, the date range of the data, and the registry of measures and dimensions.',
      handle: () => getMeta(requestReader(db)),
    }),
  ];
}
