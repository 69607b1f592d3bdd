import type { Kysely } from 'kysely';
import type { Submission } from '../../contract/schemas/report.js';
import type { MailLang } from '../../contract/enums.js';
import type { StepListener, TakenStep } from '../cycle/cycle.service.js';
import type { Database } from '../db/schema.js';
import type { SubmissionListener } from '../report/report-submissions.js';
import { allianceTime } from '../lib/dates.js';
import { composeMail, type MailFacts, type UniversityNames } from './mail-messages.js';
import { readMailSettings } from './mail-settings.js';
import { enqueueMail } from './outbox.queries.js';
import { accountsToMail, leftOutNote, type Recipients } from './recipients.js';
import { REPORT_ATTACHMENTS_SAID } from './report-attachments.js';

/** Most addresses on one message: more recipients get more messages. */
export const RECIPIENTS_PER_MESSAGE = 100;

/** The process's clock: the scheduler and the back-off read it, so tests can move time. */
export type Clock = () => Date;

export async function universityNames(db: Kysely<Database>, code: string): Promise<UniversityNames> {
  const row = await db
    .selectFrom('university')
    .select(['code', 'name_en', 'name_zh'])
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? { code: row.code, en: row.name_en, zh: row.name_zh } : { code, en: code, zh: code };
}

/**
 * Queues messages in the transactions of what they tell of: a period's submission (to the
 * reviewers: administrators and leadership), its return (to the university's stewards, with the
 * comment), a report's submission (to the report's list, with the report attached when sent).
 * One message per language of the recipients; each once only (its dedupe key).
 */
export class MailQueue implements StepListener, SubmissionListener {
  constructor(
    /** The sender's domain: the right-hand side of every Message-ID. */
    readonly domain: string,
    readonly clock: Clock,
    /** The dashboard's address (PUBLIC_URL): each message links to what it tells of. Null: no link. */
    readonly publicUrl: string | null = null,
  ) {}

  /** One message per language group; false when nobody is there to receive it. */
  async queueTo(
    db: Kysely<Database>,
    recipients: Recipients,
    facts: MailFacts,
    key: string,
    extra: { attachments?: import('../../contract/schemas/mail.js').MailAttachmentSpec } = {},
  ): Promise<number> {
    let queued = 0;
    for (const [lang, addresses] of recipients.groups) {
      const mail = composeMail(facts, lang, this.publicUrl);
      // At most RECIPIENTS_PER_MESSAGE addresses a message (the outbox's bound, and SMTP servers' limits).
      for (let at = 0; at < addresses.length; at += RECIPIENTS_PER_MESSAGE) {
        const made = await enqueueMail(
          db,
          {
            ...mail,
            dedupeKey: `${key}:${lang}${at === 0 ? '' : `:${at / RECIPIENTS_PER_MESSAGE}`}`,
            recipients: addresses.slice(at, at + RECIPIENTS_PER_MESSAGE),
            note: leftOutNote(recipients.leftOut),
            ...extra,
          },
          this.domain,
          this.clock(),
        );
        if (made !== null) queued++;
      }
    }
    return queued;
  }

  async stepTaken(trx: Kysely<Database>, step: TakenStep): Promise<void> {
    if (step.action !== 'submit' && step.action !== 'return') return;
    const period = { university: await universityNames(trx, step.university), period: step.span.key, ...step.span };
    if (step.action === 'submit') {
      const records = Object.values(step.summary ?? {}).reduce((sum, kind) => sum + kind.records, 0);
      await this.queueTo(
        trx,
        await accountsToMail(trx, ['admin', 'leadership']),
        { kind: 'submitted', period, by: step.by, at: allianceTime(step.at), records, note: step.comment },
        `submitted:${step.id}`,
      );
    } else {
      await this.queueTo(
        trx,
        await accountsToMail(trx, ['steward'], step.university),
        { kind: 'returned', period, by: step.by, at: allianceTime(step.at), comment: step.comment ?? '' },
        `returned:${step.id}`,
      );
    }
  }

  async reportSubmitted(trx: Kysely<Database>, submission: Submission): Promise<void> {
    const settings = await readMailSettings(trx);
    if (settings.reportRecipients.length === 0) return;
    const lang: MailLang = 'both';
    await this.queueTo(
      trx,
      { groups: new Map([[lang, settings.reportRecipients]]), leftOut: [] },
      {
        kind: 'report',
        period: submission.period,
        submission: {
          id: submission.id,
          sha256: submission.sha256,
          by: submission.submittedBy.name,
          at: allianceTime(new Date(submission.submittedAt)),
        },
        attachments: REPORT_ATTACHMENTS_SAID,
      },
      `report:submission:${submission.id}`,
      { attachments: { report: { period: submission.period, lang: submission.lang, submission: submission.id } } },
    );
  }
}
