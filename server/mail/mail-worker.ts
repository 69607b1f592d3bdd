import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import { MailAttachmentSpecSchema } from '../../contract/schemas/mail.js';
import type { Database, MailOutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Clock } from './mail-queue.js';
import { claimDue, markAttemptFailed, markSent } from './outbox.queries.js';
import type { MailFile, ReportAttachments } from './report-attachments.js';

/** How the worker retries, waits and gives up. */
export interface DeliveryPolicy {
  /** The first retry's delay; each next one doubles, up to `capMs`. */
  baseMs: number;
  capMs: number;
  /** After this many attempts a message is failed (an administrator may retry it). */
  maxAttempts: number;
  /** How long a claimed message is its claimant's: past it, a claim without an outcome is taken as died. */
  leaseMs: number;
  /** SMTP: connecting, the server's greeting, and silence on the socket (a hanging server). */
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

/**
 * Production's policy: retries after 10 s, 20 s, 40 s … capped at an hour, failed after 12 attempts
 * (about 3 h 20 min after the first); a lease of 5 minutes, longer than an attempt can take (its
 * timeouts, and a PDF printed for a report); a server that does not answer within 10 s, or falls
 * silent for 30 s, fails the attempt.
 */
export const DELIVERY_POLICY: DeliveryPolicy = {
  baseMs: 10_000,
  capMs: 3_600_000,
  maxAttempts: 12,
  leaseMs: 300_000,
  connectionTimeoutMs: 10_000,
  greetingTimeoutMs: 10_000,
  socketTimeoutMs: 30_000,
};

/** The delay before the attempt after `attempts` failed ones. */
export const retryDelayMs = (attempts: number, policy: Pick<DeliveryPolicy, 'baseMs' | 'capMs'>): number =>
  Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * The connection options of an smtp:// or smtps:// URL. Parsed here rather than by nodemailer's `url`
 * option, with which nodemailer 7 leaves the timeouts unset (a silent server then hangs the attempt).
 */
export function smtpConnection(url: string): {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
} {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
  };
}

/** What one run of the worker did. */
export interface DeliveryRun {
  sent: number;
  /** Failed attempts that will be retried. */
  retried: number;
  /** Messages given up on (failed for good). */
  failed: number;
}

/** The server's answer to a failed attempt, or the connection's error: what the delivery log shows. */
export function failureText(error: unknown): string {
  const e = error as { response?: unknown; responseCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.response === 'string' && e.response !== '') return e.response;
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  return `${code}${typeof e?.message === 'string' ? e.message : String(error)}`;
}

/**
 * A refusal for good: the server answered with a permanent (5yz) reply (RFC 5321 §4.2.1: the same
 * message would be refused again). Such a message fails at once, with the server's answer; an
 * administrator retries it after the cause is mended. Transient (4yz) replies and connection
 * failures are retried with back-off.
 */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code <= 599;
}

/**
 * Sends what the outbox holds: claims one due message at a time, renders its attachments, hands it
 * to the SMTP server and records the outcome. A failed attempt is retried with back-off (a
 * permanent refusal is not: it fails at once); a
 * message whose claimant died is claimed again when its lease runs out. Every send has timeouts:
 * a server that hangs fails the attempt, it never holds the worker (nor any request: the worker
 * runs beside them, never inside one).
 */
export class MailWorker {
  readonly #transport: Transporter;
  #running: Promise<DeliveryRun> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly smtp: { url: string; from: string },
    private readonly attachments: ReportAttachments,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly policy: DeliveryPolicy = DELIVERY_POLICY,
  ) {
    this.#transport = nodemailer.createTransport({
      ...smtpConnection(smtp.url),
      connectionTimeout: policy.connectionTimeoutMs,
      greetingTimeout: policy.greetingTimeoutMs,
      socketTimeout: policy.socketTimeoutMs,
      dnsTimeout: policy.connectionTimeoutMs,
    });
  }

  /** Sends every due message (at most `limit`); a run already going is joined, never doubled. */
  run(limit = 50): Promise<DeliveryRun> {
    this.#running ??= this.#run(limit).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #run(limit: number): Promise<DeliveryRun> {
    const outcome: DeliveryRun = { sent: 0, retried: 0, failed: 0 };
    for (let i = 0; i < limit; i++) {
      const now = this.clock();
      const row = await claimDue(this.db, now, new Date(now.getTime() + this.policy.leaseMs));
      if (!row) break;
      const result = await this.#deliver(row);
      outcome[result]++;
    }
    return outcome;
  }

  async #deliver(row: MailOutboxRow): Promise<keyof DeliveryRun> {
    const started = Date.now();
    let note: string | null = null;
    try {
      let files: MailFile[] = [];
      if (row.attachments) {
        const rendered = await this.attachments.render(MailAttachmentSpecSchema.parse(row.attachments));
        files = rendered.files;
        note = rendered.note;
      }
      const info = await this.#transport.sendMail({
        from: this.smtp.from,
        to: row.recipients,
        subject: row.subject,
        text: row.body_text,
        ...(row.body_html ? { html: row.body_html } : {}),
        messageId: row.message_id,
        date: new Date(row.created_at),
        headers: { 'X-Alliance-Outbox-Id': String(row.id), 'Auto-Submitted': 'auto-generated' },
        attachments: files.map((f) => ({ filename: f.filename, content: f.content, contentType: f.contentType })),
      });
      // Some recipients refused, others taken: sent, and the log says who was refused and why.
      const rejected: unknown[] = (info as { rejectedErrors?: unknown[] }).rejectedErrors ?? [];
      const refused = rejected.map((e) => `${(e as { recipient?: string }).recipient ?? ''} ${failureText(e)}`);
      if (refused.length > 0) note = [note, `refused by the server: ${refused.join('; ')}`].filter(Boolean).join('; ');
      const recorded = await markSent(this.db, row, this.clock(), note);
      if (!recorded)
        this.log.warn({ mail: row.id, messageId: row.message_id }, 'mail sent after its claim ran out: it may go twice');
      this.log.info({ mail: row.id, kind: row.kind, attempt: row.attempts, ms: Date.now() - started }, 'mail sent');
      return 'sent';
    } catch (error) {
      const text = failureText(error);
      const giveUp = row.attempts >= this.policy.maxAttempts || isPermanentRefusal(error);
      const retryAt = giveUp ? null : new Date(this.clock().getTime() + retryDelayMs(row.attempts, this.policy));
      await markAttemptFailed(this.db, row, text, retryAt, note);
      this.log.warn(
        { mail: row.id, kind: row.kind, attempt: row.attempts, error: text, retryAt, ms: Date.now() - started },
        giveUp ? 'mail failed for good' : 'mail attempt failed; it is retried',
      );
      return giveUp ? 'failed' : 'retried';
    }
  }

  close(): void {
    this.#transport.close();
  }
}
