import type { Kysely } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import type { Database, ReportSubmissionRow } from '../db/schema.js';
import { Conflict, NotFound, said } from '../lib/problems.js';
import type { Caller } from '../http/route.js';
import { canonicalJson, sha256Hex } from '../lib/canonical-json.js';
import { parsePeriod, type ReportPeriod } from './report-period.js';
import { assertReportable, buildReport } from './report.service.js';
import { today } from '../lib/dates.js';
import { type ReportDocument, ReportDocumentSchema } from './report.types.js';
import { differences, revisionFor, revisionsSince, type Viewer } from './report-revisions.js';

/** A report with its canonical text and digest: what is shown, hashed and (on submission) stored. */
export interface SealedReport {
  document: ReportDocument;
  canonical: string;
  sha256: string;
}

export function seal(document: ReportDocument): SealedReport {
  const canonical = canonicalJson(document);
  return { document, canonical, sha256: sha256Hex(canonical) };
}

/**
 * The live report, built inside one read-only snapshot (repeatable read), so that its tables
 * come from one state of the data even while others write: its totals always add up.
 */
export function liveReport(db: Kysely<Database>, period: ReportPeriod): Promise<SealedReport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => seal(await buildReport(trx, period)));
}

import {
  type Submission,
  SubmissionSchema,
  type SubmissionWithRevisions,
  SubmissionWithRevisionsSchema,
} from '../../contract/schemas/report.js';

export { type Submission, SubmissionSchema, type SubmissionWithRevisions, SubmissionWithRevisionsSchema };

/** Whether a viewer reads accounts and the audit log's detail (admin and leadership do). */
const readsAccounts = (viewer: Viewer): boolean => viewer.role === 'admin' || viewer.role === 'leadership';

/** A submission as a viewer may see it: the submitter's e-mail and id only to those who read accounts. */
export function submissionFor(submission: Submission, viewer: Viewer): Submission {
  return readsAccounts(viewer) ? submission : { ...submission, submittedBy: { name: submission.submittedBy.name } };
}

const toSubmission = (row: Omit<ReportSubmissionRow, 'document'>): Submission => ({
  id: Number(row.id),
  period: row.period,
  from: row.period_from,
  to: row.period_to,
  lang: row.lang,
  sha256: row.sha256,
  dataVersion: Number(row.data_version),
  submittedAt: new Date(row.submitted_at).toISOString(),
  submittedBy: {
    id: row.submitted_by === null ? null : Number(row.submitted_by),
    email: row.submitted_by_email,
    name: row.submitted_by_name,
  },
  note: row.note,
});

const META_COLUMNS = [
  'id',
  'period',
  'period_from',
  'period_to',
  'lang',
  'sha256',
  'data_version',
  'submitted_by',
  'submitted_by_email',
  'submitted_by_name',
  'submitted_at',
  'note',
] as const;

export interface SubmitInput {
  period: ReportPeriod;
  lang: 'zh' | 'en';
  note?: string | undefined;
  /** The digest of the report the submitter reviewed: refused (409) when the data has moved on since. */
  expectedSha256?: string | undefined;
}

/** Told of a new submission inside its transaction: what it writes commits with it (the mail outbox queues the report so). */
export interface SubmissionListener {
  reportSubmitted(trx: Kysely<Database>, submission: Submission): Promise<void>;
}

export interface SubmitOutcome {
  submission: Submission;
  /** False when the same document had been submitted for the period already: that submission is the answer. */
  created: boolean;
}

/**
 * Freezes the report of a period: builds it in the same transaction that stores it (so what is
 * stored is what the data said at that instant), checks it is the one the submitter reviewed,
 * stores its canonical JSON and digest, and audits the submission. Idempotent: the same document
 * for the same period (a retry whose first answer was lost) gives the submission already made,
 * never a second one (sql/0014 holds it when two race).
 */
export async function submitReport(
  db: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  input: SubmitInput,
  listener?: SubmissionListener,
): Promise<SubmitOutcome> {
  let digest: string | undefined;
  const made = (executor: Kysely<Database>, sha256: string) =>
    executor
      .selectFrom('report_submission')
      .select(META_COLUMNS)
      .where('period', '=', input.period.key)
      .where('sha256', '=', sha256)
      .orderBy('id')
      .limit(1);
  // A period not begun is named where it was sent: the body.
  assertReportable(input.period, today(), 'body.period');
  try {
    return await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const sealed = seal(await buildReport(trx, input.period, today(), 'body.period'));
        if (input.expectedSha256 && input.expectedSha256 !== sealed.sha256) {
          throw new Conflict(
            said('report_changed', {
              period: input.period.key,
              now: sealed.sha256.slice(0, 12),
              reviewed: input.expectedSha256.slice(0, 12),
            }),
          );
        }
        digest = sealed.sha256;
        const earlier = await made(trx, sealed.sha256).executeTakeFirst();
        if (earlier) return { submission: toSubmission(earlier), created: false };
        const submission = await storeSubmission(trx, caller, actor, input, sealed);
        await listener?.reportSubmitted(trx, submission);
        return { submission, created: true };
      });
  } catch (error) {
    // A twin committed while this one ran: the index refused this one, and the twin is the answer.
    const code = (error as { code?: unknown } | null)?.code;
    if (digest === undefined || (code !== '23505' && code !== '40001')) throw error;
    const twin = await made(db, digest).executeTakeFirst();
    if (!twin) throw error;
    return { submission: toSubmission(twin), created: false };
  }
}

async function storeSubmission(
  trx: Kysely<Database>,
  caller: Caller,
  actor: Actor,
  input: SubmitInput,
  sealed: SealedReport,
): Promise<Submission> {
  // What is frozen is never changed: a document the contract does not describe is never stored.
  const checked = ReportDocumentSchema.safeParse(sealed.document);
  if (!checked.success) throw new Error(`The report document does not match its schema: ${checked.error.message}`);
  const row = await trx
    .insertInto('report_submission')
    .values({
      period: input.period.key,
      period_from: input.period.from,
      period_to: input.period.to,
      lang: input.lang,
      document: sealed.canonical,
      sha256: sealed.sha256,
      data_version: sealed.document.data.version,
      submitted_by: caller.id,
      submitted_by_email: caller.email,
      submitted_by_name: caller.name,
      note: input.note ?? null,
    })
    .returning(META_COLUMNS)
    .executeTakeFirstOrThrow();
  const submission = toSubmission(row);
  await writeAudit(trx, actor, {
    action: 'report_submit',
    subject: `report:${input.period.key}`,
    detail: { submission: submission.id, sha256: submission.sha256, lang: input.lang, dataVersion: submission.dataVersion },
  });
  return submission;
}

export async function listSubmissions(db: Kysely<Database>, viewer: Viewer, period?: string): Promise<Submission[]> {
  const rows = await db
    .selectFrom('report_submission')
    .select(META_COLUMNS)
    .$if(period !== undefined, (q) => q.where('period', '=', period!))
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => submissionFor(toSubmission(row), viewer));
}

export interface StoredSubmission {
  submission: Submission;
  /** The canonical JSON exactly as stored and hashed. */
  canonical: string;
}

export async function readSubmission(db: Kysely<Database>, id: number): Promise<StoredSubmission> {
  const row = await db.selectFrom('report_submission').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(said('no_submission', { id }));
  return { submission: toSubmission(row), canonical: row.document };
}

/** A submitted report as submitted, beside what has changed since, as the viewer may see it. */
export async function submissionWithRevisions(
  db: Kysely<Database>,
  id: number,
  viewer: Viewer,
): Promise<SubmissionWithRevisions> {
  const stored = await readSubmission(db, id);
  const report = JSON.parse(stored.canonical) as ReportDocument;
  const live = await liveReport(db, parsePeriod(stored.submission.period)!);
  const revisions = await revisionsSince(db, report, new Date(stored.submission.submittedAt));
  return {
    submission: submissionFor(stored.submission, viewer),
    report,
    live: { sha256: live.sha256, unchanged: live.sha256 === stored.submission.sha256, dataVersion: live.document.data.version },
    revisions: revisions.map((revision) => revisionFor(revision, viewer)),
    differences: differences(report, live.document),
  };
}
