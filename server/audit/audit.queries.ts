import type { Kysely } from 'kysely';
import type { AuditAction, AuditLogRow, Database } from '../db/schema.js';

/** Who did it and from where: the part of an audit entry that comes from the request. */
export interface Actor {
  id: number | null;
  email: string | null;
  address: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  subject: string;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
}

/** Appends one entry; call it inside the transaction of the change it records. */
export async function writeAudit(db: Kysely<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: actor.id,
      user_email: actor.email,
      address: actor.address,
      action: entry.action,
      subject: entry.subject,
      before: jsonValue(entry.before),
      after: jsonValue(entry.after),
      detail: jsonValue(entry.detail),
    })
    .execute();
}

/** node-postgres turns a JavaScript array into a PostgreSQL array, not JSON: wrap arrays in an object. */
function jsonValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? { items: value } : value;
}

export interface AuditFilter {
  userId?: number | undefined;
  userEmail?: string | undefined;
  actions?: readonly AuditAction[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  subject?: string | undefined;
}

export async function listAudit(
  db: Kysely<Database>,
  filter: AuditFilter,
  page: number,
  pageSize: number,
): Promise<{ rows: AuditLogRow[]; total: number }> {
  const base = db
    .selectFrom('audit_log')
    .$if(filter.userId !== undefined, (q) => q.where('user_id', '=', filter.userId!))
    .$if(filter.userEmail !== undefined, (q) => q.where('user_email', '=', filter.userEmail!))
    .$if((filter.actions?.length ?? 0) > 0, (q) => q.where('action', 'in', filter.actions!))
    .$if(filter.from !== undefined, (q) => q.where('at', '>=', new Date(`${filter.from}T00:00:00Z`)))
    .$if(filter.to !== undefined, (q) => q.where('at', '<', new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000)))
    .$if(filter.subject !== undefined, (q) => q.where('subject', 'like', `${escapeLike(filter.subject!)}%`));
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}

export function escapeLike(text: string): string {
  return text.replaceAll(/[\\%_]/g, (c) => `\\${c}`);
}
