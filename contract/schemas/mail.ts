import { z } from 'zod';
import { zodSays } from '../problems.js';
import { listParameter, ONCE_VALID, wholeNumber } from '../text.js';
import { EmailSchema } from './auth.js';
import { MAIL_KINDS, MAIL_LANGS, MAIL_STATES, REPORT_SCHEDULES } from '../enums.js';

/**
 * An address mail can go to: the account e-mail rule, and then a dot-atom local part and a domain
 * of letters, digits and hyphens, the shape SMTP servers take (RFC 5321 §4.1.2, without quoting).
 */
const DOT_ATOM = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)*$/u;

/** True when mail can be addressed to it as it is. */
export function isMailAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at > 64 || address.length > 254) return false;
  return DOT_ATOM.test(address.slice(0, at)) && DOMAIN.test(address.slice(at + 1));
}

/** An address in a request: what it was sent as is named in the problem. */
export const MailAddressSchema = z
  .string({ error: zodSays('not_text') })
  .trim()
  .superRefine((address, ctx) => {
    if (!EmailSchema.safeParse(address).success || !isMailAddress(address))
      ctx.addIssue({ code: 'custom', message: zodSays('mail_address', { address: address.slice(0, 120) }) });
  })
  .transform((address) => address.toLowerCase());

/** At most this many addresses receive the commission report. */
export const MAX_REPORT_RECIPIENTS = 50;

/** What an administrator sets (stored in app_setting `mail`). */
export const MailSettingsSchema = z
  .object({
    /** Reminders to stewards before a due date and when late. */
    reminders: z.boolean({ error: zodSays('one_of', { values: ['true', 'false'] }) }),
    /** How many days before a period's due date its stewards are reminded. */
    reminderDaysBefore: z
      .number({ error: zodSays('whole_number_between', { min: 1, max: 60 }) })
      .int(zodSays('whole_number_between', { min: 1, max: 60 }))
      .min(1, zodSays('whole_number_between', { min: 1, max: 60 }))
      .max(60, zodSays('whole_number_between', { min: 1, max: 60 })),
    /** Who receives the commission report, on each submission and on the schedule. */
    reportRecipients: z
      .array(MailAddressSchema, { error: zodSays('required') })
      .max(MAX_REPORT_RECIPIENTS, zodSays('list_too_many', { max: MAX_REPORT_RECIPIENTS })),
    /** monthly: on `reportDay` of every month, the quarter that holds the month before; quarterly: on `reportDay` of the month after a quarter, that quarter. */
    reportSchedule: z.enum(REPORT_SCHEDULES, { error: zodSays('one_of', { values: REPORT_SCHEDULES }) }),
    reportDay: z
      .number({ error: zodSays('whole_number_between', { min: 1, max: 28 }) })
      .int(zodSays('whole_number_between', { min: 1, max: 28 }))
      .min(1, zodSays('whole_number_between', { min: 1, max: 28 }))
      .max(28, zodSays('whole_number_between', { min: 1, max: 28 })),
    /** The language of the scheduled report's attachments (a submission's are in its own). */
    reportLang: z.enum(['zh', 'en'], { error: zodSays('one_of', { values: ['zh', 'en'] }) }),
  })
  .strict()
  .superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.reportRecipients.forEach((address, i) => {
      if (seen.has(address))
        ctx.addIssue({ code: 'custom', path: ['reportRecipients', i], message: zodSays('mail_address_twice', { address }) });
      seen.add(address);
    });
  }, ONCE_VALID);
export type MailSettings = z.infer<typeof MailSettingsSchema>;

export const DEFAULT_MAIL_SETTINGS: MailSettings = {
  reminders: true,
  reminderDaysBefore: 5,
  reportRecipients: [],
  reportSchedule: 'off',
  reportDay: 5,
  reportLang: 'zh',
};

/** GET and PUT /mail/settings: the settings, and whether anything is sent at all (SMTP_URL set). */
export const MailSettingsAnswerSchema = z.object({
  /** False when SMTP_URL is not set: nothing is queued, nothing is sent. */
  enabled: z.boolean(),
  /** The sender (MAIL_FROM), null when mail is off. */
  from: z.string().nullable(),
  /** The SMTP server, without credentials (`smtp://mail.example.org:587`), null when mail is off. */
  server: z.string().nullable(),
  settings: MailSettingsSchema,
});
export type MailSettingsAnswer = z.infer<typeof MailSettingsAnswerSchema>;

/** What a message's attachments are made of when it is sent: the report of a submission or of a period, in a language. */
export const MailAttachmentSpecSchema = z.object({
  report: z.object({
    period: z.string(),
    lang: z.enum(['zh', 'en']),
    submission: z.number().int().positive().optional(),
  }),
});
export type MailAttachmentSpec = z.infer<typeof MailAttachmentSpecSchema>;

/** GET /mail/messages: the delivery log, newest first, paged; `state=failed,pending` for some states. */
export const MailLogQuerySchema = z
  .object({
    page: wholeNumber(1, 1_000_000).default(1),
    pageSize: wholeNumber(1, 1000).default(50),
    state: listParameter(
      z.enum(MAIL_STATES, { error: zodSays('among', { values: MAIL_STATES }) }),
      MAIL_STATES.length,
    ).optional(),
  })
  .strict();

export const MailMessageSchema = z.object({
  id: z.number(),
  messageId: z.string(),
  kind: z.enum(MAIL_KINDS),
  recipients: z.array(z.string()),
  lang: z.enum(MAIL_LANGS),
  subject: z.string(),
  state: z.enum(MAIL_STATES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  note: z.string().nullable(),
  attachments: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type MailMessage = z.infer<typeof MailMessageSchema>;

export const MailLogSchema = z.object({
  /** False when SMTP_URL is not set: nothing is queued or sent. */
  enabled: z.boolean(),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  /** Every message in the outbox by state, whatever the filter. */
  counts: z.object({ pending: z.number(), sending: z.number(), sent: z.number(), failed: z.number() }),
  messages: z.array(MailMessageSchema),
});
export type MailLog = z.infer<typeof MailLogSchema>;

/** POST /mail/messages/:id/retry */
export const MailMessageParamsSchema = z.object({
  id: z.string().regex(/^\d{1,15}$/, zodSays('whole_number')).transform(Number),
});

/** POST /mail/test: a message to one address, through the outbox like every other. */
export const MailTestBodySchema = z.object({ to: MailAddressSchema }).strict();
