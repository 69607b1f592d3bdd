import type { Kysely } from 'kysely';
import type { MailState } from '../../contract/enums.js';
import type { MailLog, MailMessage, MailSettings, MailSettingsAnswer } from '../../contract/schemas/mail.js';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import type { Database, MailOutboxRow } from '../db/schema.js';
import type { Caller } from '../http/route.js';
import { Conflict, NotFound, said } from '../lib/problems.js';
import { composeMail } from './mail-messages.js';
import { readMailSettings, writeMailSettings } from './mail-settings.js';
import type { Mailer } from './mailer.js';
import { enqueueMail, listMessages, readMessage, requeueFailed } from './outbox.queries.js';

const iso = (at: Date | null): string | null => (at === null ? null : new Date(at).toISOString());

/** A row of the outbox as the delivery log shows it. */
export function messageOf(row: MailOutboxRow): MailMessage {
  const report = row.attachments?.report;
  return {
    id: Number(row.id),
    messageId: row.message_id,
    kind: row.kind,
    recipients: row.recipients,
    lang: row.lang,
    subject: row.subject,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? iso(row.next_attempt_at) : null,
    lastError: row.last_error,
    note: row.note,
    attachments: report
      ? `report ${report.period}${report.submission ? ` (submission ${report.submission})` : ''}, ${report.lang}`
      : null,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: iso(row.sent_at),
  };
}

export async function mailSettings(db: Kysely<Database>, mailer: Mailer | null): Promise<MailSettingsAnswer> {
  return {
    enabled: mailer !== null,
    from: mailer?.from ?? null,
    server: mailer?.server ?? null,
    settings: await readMailSettings(db),
  };
}

/** An administrator saves the mail settings; audited with what they were. */
export async function setMailSettings(
  db: Kysely<Database>,
  actor: Actor,
  settings: MailSettings,
  mailer: Mailer | null,
): Promise<MailSettingsAnswer> {
  await db.transaction().execute(async (trx) => {
    const before = await readMailSettings(trx);
    await writeMailSettings(trx, settings);
    await writeAudit(trx, actor, { action: 'mail_settings_change', subject: 'mail:settings', before, after: settings });
  });
  return mailSettings(db, mailer);
}

/** The delivery log: a page of messages, newest first, and the count of every state. */
export async function mailLog(
  db: Kysely<Database>,
  mailer: Mailer | null,
  query: { page: number; pageSize: number; state?: MailState[] | undefined },
): Promise<MailLog> {
  const { rows, total, counts } = await listMessages(db, query.state, query.page, query.pageSize);
  return { enabled: mailer !== null, page: query.page, pageSize: query.pageSize, total, counts, messages: rows.map(messageOf) };
}

/** A failed message is due again now, its attempts counted afresh; audited. */
export async function retryMessage(db: Kysely<Database>, actor: Actor, id: number, mailer: Mailer | null): Promise<MailMessage> {
  if (!mailer) throw new Conflict(said('mail_off'));
  return db.transaction().execute(async (trx) => {
    const row = await requeueFailed(trx, id, mailer.clock());
    if (!row) {
      const found = await readMessage(trx, id);
      if (!found) throw new NotFound(said('no_mail_message', { id }));
      throw new Conflict(said('mail_not_failed', { id, state: found.state }));
    }
    await writeAudit(trx, actor, {
      action: 'mail_message',
      subject: `mail:${id}`,
      detail: { retry: true, lastError: row.last_error, recipients: row.recipients },
    });
    return messageOf(row);
  });
}

/** A test message to one address, through the outbox like every other; audited. */
export async function sendTestMessage(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  to: string,
  mailer: Mailer | null,
): Promise<MailMessage> {
  if (!mailer) throw new Conflict(said('mail_off'));
  return db.transaction().execute(async (trx) => {
    const mail = composeMail({ kind: 'test', by: caller.name || caller.email }, 'both', mailer.queue.publicUrl);
    const id = await enqueueMail(trx, { ...mail, dedupeKey: null, recipients: [to] }, mailer.queue.domain, mailer.clock());
    // A message without a dedupe key is always queued.
    const row = (await readMessage(trx, id!))!;
    await writeAudit(trx, actor, { action: 'mail_message', subject: `mail:${row.id}`, detail: { test: true, to } });
    return messageOf(row);
  });
}
