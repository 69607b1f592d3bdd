import type { Kysely } from 'kysely';
import type { MailSettings } from '../../contract/schemas/mail.js';
import { board, isLate } from '../cycle/cycle.service.js';
import type { Database } from '../db/schema.js';
import type { Caller } from '../http/route.js';
import { dayNumber, today } from '../lib/dates.js';
import { readMailSettings } from './mail-settings.js';
import { type MailQueue, universityNames } from './mail-queue.js';
import { accountsToMail } from './recipients.js';
import { REPORT_ATTACHMENTS_SAID } from './report-attachments.js';

/** Late reminders go for this many days after a due date, once a week (a period late for longer is the board's to show). */
export const LATE_REMINDER_DAYS = 60;

/** The scheduler reads the board as the system does: every university. */
const SYSTEM: Caller = { id: 0, email: 'system', name: 'system', role: 'admin', university: null };

/** Statuses that still owe a submission (a reopened period was delivered once: it is not chased). */
const OWING = new Set(['not_started', 'in_progress', 'returned']);

/**
 * Queues the reminders due on `now`'s day (in Shanghai), each once (dedupe keys): to a university's
 * stewards `reminderDaysBefore` days or fewer before a period's due date (once per due date), and
 * when it is late (the first day late, then every 7 days, for LATE_REMINDER_DAYS days).
 */
export async function queueReminders(db: Kysely<Database>, queue: MailQueue, now: Date, settings: MailSettings): Promise<number> {
  if (!settings.reminders) return 0;
  const day = today(now);
  const year = Number(day.slice(0, 4));
  let queued = 0;
  for (const y of [year - 1, year]) {
    const answer = await board(db, SYSTEM, { year: y });
    for (const university of answer.universities) {
      const due = university.periods.filter((p) => OWING.has(p.status));
      if (due.length === 0) continue;
      let recipients: Awaited<ReturnType<typeof accountsToMail>> | undefined;
      for (const p of due) {
        const left = dayNumber(p.dueOn) - dayNumber(day);
        const late = isLate(p.status, p.dueOn, day);
        const daysLate = -left;
        if (!(left >= 0 && left <= settings.reminderDaysBefore) && !(late && daysLate <= LATE_REMINDER_DAYS)) continue;
        recipients ??= await accountsToMail(db, ['steward'], university.university);
        if (recipients.groups.size === 0) break;
        const period = { university: await universityNames(db, university.university), period: p.period, from: p.from, to: p.to };
        queued += late
          ? await queue.queueTo(
              db,
              recipients,
              { kind: 'late', period, dueOn: p.dueOn, daysLate, status: p.status, comment: p.lastStep?.comment },
              `late:${university.university}:${p.period}:${p.dueOn}:w${Math.floor((daysLate - 1) / 7)}`,
            )
          : await queue.queueTo(
              db,
              recipients,
              { kind: 'due_soon', period, dueOn: p.dueOn, days: left, status: p.status, records: p.records },
              `due_soon:${university.university}:${p.period}:${p.dueOn}`,
            );
      }
    }
  }
  return queued;
}

/** The report period a schedule sends on `day`, and the slot that makes it once only; null when none is due. */
export function scheduledReport(settings: MailSettings, day: string): { period: string; slot: string } | null {
  if (settings.reportSchedule === 'off' || settings.reportRecipients.length === 0) return null;
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (Number(day.slice(8, 10)) < settings.reportDay) return null;
  // The month before this one, and its quarter.
  const prevYear = month === 1 ? year - 1 : year;
  const prevMonth = month === 1 ? 12 : month - 1;
  const quarter = `${prevYear}-Q${Math.ceil(prevMonth / 3)}`;
  if (settings.reportSchedule === 'monthly') return { period: quarter, slot: `monthly:${day.slice(0, 7)}` };
  // Quarterly: in the first month of a quarter, the quarter that just ended.
  if (month % 3 !== 1) return null;
  return { period: quarter, slot: `quarterly:${quarter}` };
}

/** Queues the scheduled commission report when one is due (once per slot), to the report's list. */
export async function queueScheduledReport(
  db: Kysely<Database>,
  queue: MailQueue,
  now: Date,
  settings: MailSettings,
): Promise<number> {
  const due = scheduledReport(settings, today(now));
  if (!due) return 0;
  return queue.queueTo(
    db,
    { groups: new Map([['both', settings.reportRecipients]]), leftOut: [] },
    { kind: 'report', period: due.period, submission: null, attachments: REPORT_ATTACHMENTS_SAID },
    `report:${due.slot}`,
    { attachments: { report: { period: due.period, lang: settings.reportLang } } },
  );
}

/** One tick of the scheduler: the reminders and the scheduled report due now. */
export async function queueDue(db: Kysely<Database>, queue: MailQueue, now: Date): Promise<number> {
  const settings = await readMailSettings(db);
  return (await queueReminders(db, queue, now, settings)) + (await queueScheduledReport(db, queue, now, settings));
}
