import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { route } from '../http/route.js';
import { getMeta } from './meta.service.js';

export function metaRoutes(db: Kysely<Database>) {
  return [
    route({
      method: 'get',
      path: '/meta',
      access: 'signed_in',
      summary: 'Universities, regions, fields and the date range of the data.',
      handle: () => getMeta(db),
    }),
  ];
}
