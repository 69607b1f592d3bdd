import type { Request } from 'express';
import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import type { Database } from '../db/schema.js';
import type { Caller } from '../http/route.js';

/** Every export is in the audit log: who, what (`export:<subject>`), which query, how many rows. */
export async function auditExportBy(
  db: Kysely<Database>,
  actor: Actor,
  subject: string,
  query: string,
  rows: number,
): Promise<void> {
  await writeAudit(db, actor, { action: 'export', subject: `export:${subject}`, detail: { query, rows } });
}

/** An export of the API: the caller and address of the request, and its URL as the query. */
export function auditExport(db: Kysely<Database>, req: Request, caller: Caller | null, subject: string, rows: number) {
  return auditExportBy(db, actorOf(req, caller), subject, req.originalUrl, rows);
}
