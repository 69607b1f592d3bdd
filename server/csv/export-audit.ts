import type { Request } from 'express';
import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import { writeAudit } from '../audit/audit.queries.js';
import type { Database } from '../db/schema.js';
import type { Caller } from '../http/route.js';

/** Every export is in the audit log: who, which query, how many rows. */
export async function auditExport(
  db: Kysely<Database>,
  req: Request,
  caller: Caller | null,
  what: string,
  rows: number,
): Promise<void> {
  await writeAudit(db, actorOf(req, caller), {
    action: 'export',
    subject: `export:${what}`,
    detail: { query: req.originalUrl, rows },
  });
}
