import type { Kysely } from 'kysely';
import { MAIL_SEND_EVERY_MS, parseMailFrom } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { ReportPrinter } from '../report/report-printer.js';
import { type Clock, MailQueue } from './mail-queue.js';
import { queueDue } from './mail-scheduler.js';
import { DELIVERY_POLICY, type DeliveryPolicy, type DeliveryRun, MailWorker } from './mail-worker.js';
import { ReportAttachments } from './report-attachments.js';

export interface MailerOptions {
  db: Kysely<Database>;
  smtpUrl: string;
  from: string;
  printer: ReportPrinter | null;
  log: Logger;
  clock?: Clock;
  /** The dashboard's address (PUBLIC_URL): messages link to it. */
  publicUrl?: string | null;
  policy?: Partial<DeliveryPolicy>;
  /** How often the worker looks for due messages, and how often the scheduler queues reminders. */
  sendEveryMs?: number;
  scheduleEveryMs?: number;
}

/** The SMTP server as the log and the settings show it: no user, no password. */
export function smtpServerName(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/**
 * Outgoing mail of the process: the queue that steps and submissions write to (in their
 * transactions), the scheduler that queues reminders and scheduled reports (at start and every
 * minute), and the worker that sends what is due (every 2 s, or MAIL_SEND_EVERY_MS). Nothing here
 * runs inside a request.
 */
export class Mailer {
  readonly queue: MailQueue;
  readonly worker: MailWorker;
  readonly from: string;
  readonly server: string;
  readonly clock: Clock;
  readonly #db: Kysely<Database>;
  readonly #log: Logger;
  readonly #sendEveryMs: number;
  readonly #scheduleEveryMs: number;
  #timers: NodeJS.Timeout[] = [];
  #scheduling: Promise<number> | null = null;

  constructor(options: MailerOptions) {
    const sender = parseMailFrom(options.from);
    if (!sender) throw new Error('MAIL_FROM is not an address');
    this.clock = options.clock ?? (() => new Date());
    this.from = options.from;
    this.server = smtpServerName(options.smtpUrl);
    this.#db = options.db;
    this.#log = options.log;
    this.#sendEveryMs = options.sendEveryMs ?? MAIL_SEND_EVERY_MS.default;
    this.#scheduleEveryMs = options.scheduleEveryMs ?? 60_000;
    this.queue = new MailQueue(sender.address.slice(sender.address.lastIndexOf('@') + 1), this.clock, options.publicUrl ?? null);
    this.worker = new MailWorker(
      options.db,
      { url: options.smtpUrl, from: options.from },
      new ReportAttachments(options.db, options.printer),
      options.log,
      this.clock,
      { ...DELIVERY_POLICY, ...options.policy },
    );
  }

  /** Queues the reminders and scheduled reports due now (each once). */
  schedule(): Promise<number> {
    this.#scheduling ??= queueDue(this.#db, this.queue, this.clock()).finally(() => {
      this.#scheduling = null;
    });
    return this.#scheduling;
  }

  /** Sends what is due now. */
  send(): Promise<DeliveryRun> {
    return this.worker.run();
  }

  /** Starts the scheduler and the worker; their failures (the database away) are logged and tried again on the next turn. */
  start(): void {
    const scheduleTurn = () =>
      void this.schedule().catch((error: unknown) => this.#log.warn({ err: error }, 'queueing reminders failed'));
    const sendTurn = () => void this.send().catch((error: unknown) => this.#log.warn({ err: error }, 'the mail worker failed'));
    scheduleTurn();
    sendTurn();
    this.#timers = [setInterval(scheduleTurn, this.#scheduleEveryMs), setInterval(sendTurn, this.#sendEveryMs)];
    for (const timer of this.#timers) timer.unref();
  }

  /** Stops the timers and waits for a send in progress (its timeouts bound the wait). */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    await Promise.allSettled([this.#scheduling, this.worker.run(0)]);
    this.worker.close();
  }
}
