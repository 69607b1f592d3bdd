import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import type { Database } from '../db/schema.js';
import { endpoints, route } from '../http/route.js';
import { mailLog, mailSettings, retryMessage, sendTestMessage, setMailSettings } from './mail.service.js';
import type { Mailer } from './mailer.js';

/** Outgoing mail: its settings, the delivery log, a retry, a test message. Administrators only. */
export function mailRoutes(db: Kysely<Database>, mailer: Mailer | null) {
  return [
    route(endpoints.mailSettings, {
      access: ['admin'],
      summary:
        'The mail settings (reminders, days before a due date, the commission report’s recipients and schedule), and whether mail is sent at all: enabled is false when SMTP_URL is not set, and then nothing is queued or sent.',
      handle: () => mailSettings(db, mailer),
    }),
    route(endpoints.setMailSettings, {
      access: ['admin'],
      summary:
        'Saves the mail settings (audited). Each of the report’s recipients must be an address mail can go to; a bad one is a 400 that names it.',
      handle: ({ req, body, caller }) => setMailSettings(db, actorOf(req, caller), body, mailer),
    }),
    route(endpoints.mailMessages, {
      access: ['admin'],
      summary:
        'The delivery log, newest first, paged; state=pending,failed for some states. Each message: kind, recipients, subject, state (pending, sending, sent, failed), attempts, when it is tried next, the SMTP server’s last answer, and when it was sent.',
      handle: ({ query }) => mailLog(db, mailer, query),
    }),
    route(endpoints.retryMailMessage, {
      access: ['admin'],
      summary:
        'Sends a failed message again: it is due now, with its attempts counted afresh (audited). 409 when it is not failed.',
      problems: [404, 409],
      handle: ({ req, params, caller }) => retryMessage(db, actorOf(req, caller), params.id, mailer),
    }),
    route(endpoints.testMail, {
      access: ['admin'],
      summary: 'Queues a test message to one address (audited); 201. 409 when mail is off (SMTP_URL not set).',
      problems: [409],
      async handle({ req, res, body, caller }) {
        const message = await sendTestMessage(db, caller!, actorOf(req, caller), body.to, mailer);
        res.status(201);
        return message;
      },
    }),
  ];
}
