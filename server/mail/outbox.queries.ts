import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { MailState } from '../../contract/enums.js';
import type { MailAttachmentSpec } from '../../contract/schemas/mail.js';
import type { Database, MailOutboxRow } from '../db/schema.js';
import type { ComposedMail } from './mail-messages.js';

export interface NewMail extends ComposedMail {
  /** Once only: a second message with the same key is not queued. Null for a message that may repeat (a test). */
  dedupeKey: string | null;
  recipients: readonly string[];
  attachments?: MailAttachmentSpec | null;
  note?: string | null;
}

/** A Message-ID of the sender's domain: the same on every attempt, so that a repeat is identifiable. */
export const newMessageId = (domain: string): string => `<${randomUUID()}@${domain}>`;

/**
 * Queues a message in the caller's transaction (so it is sent if and only if what it tells of
 * commits). Its id when queued; null when a message with its dedupe key is there already.
 */
export async function enqueueMail(db: Kysely<Database>, mail: NewMail, domain: string, now: Date): Promise<number | null> {
  const inserted = await db
    .insertInto('mail_outbox')
    .values({
      message_id: newMessageId(domain),
      kind: mail.kind,
      dedupe_key: mail.dedupeKey,
      recipients: [...mail.recipients],
      lang: mail.lang,
      // The table's bounds, kept by cutting rather than by refusing what the message tells of.
      subject: mail.subject.slice(0, 500),
      body_text: mail.text,
      body_html: mail.html,
      attachments: mail.attachments ? JSON.stringify(mail.attachments) : null,
      note: mail.note ?? null,
      next_attempt_at: now,
      created_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted === undefined ? null : Number(inserted.id);
}

/**
 * Claims the next due message, if any: pending and due, or sending with a lease that ran out (its
 * claimant died without an outcome). One statement; `skip locked` lets several server processes
 * claim side by side without waiting for each other. The attempt is counted at the claim.
 */
export async function claimDue(db: Kysely<Database>, now: Date, leaseUntil: Date): Promise<MailOutboxRow | undefined> {
  const result = await sql<MailOutboxRow>`
    update mail_outbox set state = 'sending', attempts = attempts + 1, lease_until = ${leaseUntil}
    where id = (
      select id from mail_outbox
      where (state = 'pending' and next_attempt_at <= ${now}) or (state = 'sending' and lease_until <= ${now})
      order by next_attempt_at, id
      limit 1
      for update skip locked
    )
    returning *`.execute(db);
  return result.rows[0];
}

/** The attempt's claim: the row is still this attempt's while it is sending with the attempts counted at the claim. */
const ownClaim = (row: Pick<MailOutboxRow, 'id' | 'attempts'>) =>
  sql<boolean>`id = ${row.id} and state = 'sending' and attempts = ${row.attempts}`;

/** Sent: the SMTP server took it. False when the claim was lost meanwhile (the lease ran out and another took it). */
export async function markSent(
  db: Kysely<Database>,
  row: Pick<MailOutboxRow, 'id' | 'attempts'>,
  now: Date,
  note: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ state: 'sent', sent_at: now, lease_until: null, note: sql`coalesce(${note}, note)` })
    .where(ownClaim(row))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An attempt failed: due again at `retryAt`, or failed for good when `retryAt` is null. */
export async function markAttemptFailed(
  db: Kysely<Database>,
  row: Pick<MailOutboxRow, 'id' | 'attempts'>,
  error: string,
  retryAt: Date | null,
  note: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({
      state: retryAt ? 'pending' : 'failed',
      ...(retryAt ? { next_attempt_at: retryAt } : {}),
      lease_until: null,
      last_error: error.slice(0, 2000),
      note: sql`coalesce(${note}, note)`,
    })
    .where(ownClaim(row))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A failed message due again now, with its attempts counted from zero. Undefined when it is not failed. */
export async function requeueFailed(db: Kysely<Database>, id: number, now: Date): Promise<MailOutboxRow | undefined> {
  return db
    .updateTable('mail_outbox')
    .set({ state: 'pending', attempts: 0, next_attempt_at: now })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
}

export async function readMessage(db: Kysely<Database>, id: number): Promise<MailOutboxRow | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The delivery log, newest first: a page of messages in some states, their total, and every state's count. */
export async function listMessages(
  db: Kysely<Database>,
  states: readonly MailState[] | undefined,
  page: number,
  pageSize: number,
): Promise<{ rows: MailOutboxRow[]; total: number; counts: Record<MailState, number> }> {
  const filtered = db
    .selectFrom('mail_outbox')
    .$if(states !== undefined && states.length > 0, (q) => q.where('state', 'in', states!));
  const [rows, total, counts] = await Promise.all([
    filtered
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('mail_outbox')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute(),
  ]);
  const byState: Record<MailState, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const c of counts) byState[c.state] = Number(c.n);
  return { rows, total: Number(total.n), counts: byState };
}
