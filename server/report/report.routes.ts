import { MEDIA_TYPES } from '../lib/media-types.js';
import { onClientGone } from '../http/client-gone.js';
import type { Kysely } from 'kysely';
import { actorOf } from '../audit/actor.js';
import { contentDisposition } from '../csv/cells.js';
import type { CsvDownloads } from '../csv/csv-download.js';
import type { Database } from '../db/schema.js';
import { requestReader } from '../db/versioned.js';
import { auditExport } from '../csv/export-audit.js';
import { endpoints, route } from '../http/route.js';
import { type ReportTable, reportCsv, reportCsvFileName } from './report-csv.js';
import { reportWorkbook } from './report-workbook.js';
import { assertReportPeriod } from './report.service.js';
import {
  ReportQuerySchema,
  SubmissionParamsSchema,
  SubmissionQuerySchema,
  SubmissionsListQuerySchema,
  SubmitBodySchema,
} from './report.schemas.js';
import type { ReportDocument } from './report.types.js';
import type { ReportPrinter } from './report-printer.js';
import {
  listSubmissions,
  liveReport,
  readSubmission,
  type SubmissionListener,
  submissionWithRevisions,
  submitReport,
} from './report-submissions.js';

/**
 * The commission report: live, as CSV per table, and submitted (frozen) with its revisions since.
 * A CSV table is computed in memory first; `downloads` spools and sends it as every export.
 */
export function reportRoutes(
  db: Kysely<Database>,
  downloads: CsvDownloads,
  printer: ReportPrinter,
  listener?: SubmissionListener,
) {
  /** Sends the report printed as PDF (`format=pdf`), audited as an export is. */
  const sendPdf = async (
    req: Parameters<typeof auditExport>[1],
    res: import('express').Response,
    caller: NonNullable<Parameters<typeof auditExport>[2]>,
    print: { period: string; lang: 'zh' | 'en'; submission?: number },
  ) => {
    const user = await db.selectFrom('app_user').selectAll().where('id', '=', caller.id).executeTakeFirstOrThrow();
    const gone = new AbortController();
    onClientGone(req, res, () => gone.abort(new Error('the reader went away')));
    const pdf = await printer.print(user, print, gone.signal);
    await auditExport(db, req, caller, `report/pdf/${print.submission ?? print.period}`, 1);
    const name = `report-${print.period}${print.submission ? `-submission-${print.submission}` : ''}-${print.lang}.pdf`;
    res.set({
      'Content-Type': MEDIA_TYPES.pdf,
      'Content-Disposition': contentDisposition(name),
      'Cache-Control': 'private, no-store',
    });
    res.send(pdf);
  };
  const sendCsv = async (
    req: Parameters<typeof auditExport>[1],
    res: import('express').Response,
    caller: Parameters<typeof auditExport>[2],
    doc: ReportDocument,
    csv: { table: ReportTable; bom: boolean },
    lang: 'zh' | 'en',
    submission?: number,
  ) => {
    const table = reportCsv(doc, csv.table, lang);
    await downloads.export(req, res, caller, {
      fileName: reportCsvFileName(doc.period.key, csv.table, lang, submission),
      bom: csv.bom,
      header: table.header,
      rows: [table.rows],
      subject: `report/${csv.table}`,
    });
  };

  return [
    route(endpoints.report, {
      access: 'signed_in',
      cached: true,
      // 429: format=pdf while the account prints another (report-printer.ts); a CSV or workbook as every download (`downloads`).
      problems: [429],
      downloads: true,
      summary:
        'The commission report of a period (period=2024, 2024-H1 or 2024-Q3): every table, definitions, the data’s as-of time and the records behind each figure, with the SHA-256 of its canonical JSON; format=csv&table=… downloads one table, format=xlsx the whole report as one workbook (cover, definitions, a sheet per table).',
      query: ReportQuerySchema,
      async handle({ req, res, query, caller }) {
        // A cached read: from the replica when the request was given one, like the other dashboard reads.
        const reader = requestReader(db);
        if (query.pdf) {
          // The print reads the report itself (the page does): here the period is only checked as the
          // report would check it, so that a double click joins, a kept print is sent and a 429 comes at once.
          await assertReportPeriod(reader, query.period);
          return sendPdf(req, res, caller!, { period: query.period.key, lang: query.lang });
        }
        const live = await liveReport(reader, query.period);
        if (query.csv) return sendCsv(req, res, caller, live.document, query.csv, query.lang);
        if (query.xlsx) return downloads.exportWorkbook(req, res, caller, reportWorkbook(live.document, live.sha256, query.lang));
        return { lang: query.lang, sha256: live.sha256, report: live.document };
      },
    }),
    route(endpoints.submissions, {
      access: 'signed_in',
      summary:
        'The reports submitted to the commission, newest first; period=… for one period’s. The submitter’s e-mail and account id go to admin and leadership only; others get the name.',
      query: SubmissionsListQuerySchema,
      async handle({ query, caller }) {
        return { submissions: await listSubmissions(db, caller!, query.period) };
      },
    }),
    route(endpoints.submitReport, {
      access: ['admin', 'leadership'],
      summary:
        'Submits the report of a period: its figures are frozen as they are now (canonical JSON and its SHA-256, who, when); 201. The same document for the same period again answers 200 with the submission already made, so a retry never makes a second. expectedSha256 refuses (409) if the data changed after the submitter reviewed it.',
      body: SubmitBodySchema,
      async handle({ req, res, body, caller }) {
        const { submission, created } = await submitReport(db, caller!, actorOf(req, caller), body, listener);
        // The same document for the same period again is the submission already made (a retry is safe).
        res.status(created ? 201 : 200).location(`/api/v1/report/submissions/${submission.id}`);
        return { submission };
      },
    }),
    route(endpoints.submission, {
      access: 'signed_in',
      problems: [404, 429],
      downloads: true,
      summary:
        'A submitted report exactly as submitted, the report as it would be today (its digest), the revisions since submission with the figures each moves, and every figure that differs; format=csv&table=… downloads a table as submitted, format=xlsx the whole report as submitted, as one workbook. A revision is `audit` (with the audit entry: subject, record before and after, editor) for admin and leadership, and for a steward on its own university’s records; otherwise `figures` (when, what kind of change, which figures move and by how much), never records or editors.',
      params: SubmissionParamsSchema,
      query: SubmissionQuerySchema,
      async handle({ req, res, params, query, caller }) {
        if (query.csv) {
          const stored = await readSubmission(db, params.id);
          const doc = JSON.parse(stored.canonical) as ReportDocument;
          return sendCsv(req, res, caller, doc, query.csv, query.lang, params.id);
        }
        if (query.xlsx) {
          const stored = await readSubmission(db, params.id);
          const doc = JSON.parse(stored.canonical) as ReportDocument;
          return downloads.exportWorkbook(req, res, caller, reportWorkbook(doc, stored.submission.sha256, query.lang, params.id));
        }
        if (query.pdf) {
          const { submission } = await readSubmission(db, params.id);
          return sendPdf(req, res, caller!, { period: submission.period, lang: query.lang, submission: params.id });
        }
        return submissionWithRevisions(db, params.id, caller!);
      },
    }),
    route(endpoints.submissionDocument, {
      access: 'signed_in',
      summary:
        'The submitted report’s canonical JSON, byte for byte as stored and hashed: its SHA-256 is the submission’s (also in the Repr-Digest header).',
      params: SubmissionParamsSchema,
      async handle({ res, params }) {
        const stored = await readSubmission(db, params.id);
        const bytes = Buffer.from(stored.canonical, 'utf8');
        res.set({
          'Content-Type': 'application/json; charset=utf-8',
          'Repr-Digest': `sha-256=:${Buffer.from(stored.submission.sha256, 'hex').toString('base64')}:`,
          'X-Report-SHA256': stored.submission.sha256,
          'Content-Disposition': contentDisposition(
            `report-${stored.submission.period}-submission-${stored.submission.id}.json`,
          ).replace(/^attachment/, 'inline'),
          // Frozen for ever: any cache may keep it.
          'Cache-Control': 'private, max-age=31536000, immutable',
        });
        res.send(bytes);
      },
    }),
  ];
}
