import { MEDIA_TYPES } from '../lib/media-types.js';
import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { MailAttachmentSpec } from '../../contract/schemas/mail.js';
import { writeCsv } from '../csv/csv-response.js';
import type { AppUserRow, Database } from '../db/schema.js';
import { HttpProblem } from '../lib/problems.js';
import { parsePeriod } from '../report/report-period.js';
import { REPORT_TABLES, reportCsv, reportCsvFileName } from '../report/report-csv.js';
import type { ReportPrinter } from '../report/report-printer.js';
import { liveReport, readSubmission } from '../report/report-submissions.js';
import type { ReportDocument } from '../report/report.types.js';

/** What a report message says it carries (its body is written when it is queued, its files when it is sent). */
export const REPORT_ATTACHMENTS_SAID = 'the report as PDF (when it can be printed here), and each of its tables as CSV';

export interface MailFile {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** Who a mailed report is read as: the commission (what a figure's revisions show depends on the reader). */
const COMMISSION_READER: AppUserRow = {
  id: 0,
  email: 'commission@mail.invalid',
  name: 'Commission',
  password_hash: '',
  role: 'commission',
  university_code: null,
  disabled: false,
  demo: false,
  lang: null,
  created_at: new Date(0),
  updated_at: new Date(0),
};

async function csvBytes(header: readonly string[], rows: Parameters<typeof writeCsv>[2]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeCsv(sink, { bom: true, header }, rows);
  return Buffer.concat(chunks);
}

/**
 * The files of a report message, made when it is sent (never stored): for a submission, from the
 * document as frozen, so a retry sends the same tables; for a scheduled report, the live report of
 * the period at that moment. Each table's CSV is byte for byte what the API's `format=csv` gives
 * (with its byte-order mark). The PDF comes from the report printer; when it cannot print here
 * (no Chromium, no built client), the message goes with the CSV files alone and its note says why.
 */
export class ReportAttachments {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly printer: ReportPrinter | null,
  ) {}

  async render(spec: MailAttachmentSpec): Promise<{ files: MailFile[]; note: string | null }> {
    const { period, lang, submission } = spec.report;
    let document: ReportDocument;
    if (submission !== undefined) {
      document = JSON.parse((await readSubmission(this.db, submission)).canonical) as ReportDocument;
    } else {
      const parsed = parsePeriod(period);
      if (!parsed) throw new Error(`not a report period: ${period}`);
      document = (await liveReport(this.db, parsed)).document;
    }
    const files: MailFile[] = [];
    let note: string | null = null;
    if (this.printer) {
      try {
        const pdf = await this.printer.print(COMMISSION_READER, { period, lang, submission });
        files.push({
          filename: `report-${period}${submission ? `-submission-${submission}` : ''}-${lang}.pdf`,
          content: pdf,
          contentType: MEDIA_TYPES.pdf,
        });
      } catch (error) {
        note = `PDF unavailable, CSV only: ${error instanceof HttpProblem ? error.message : (error as Error).message}`;
      }
    } else note = 'PDF unavailable, CSV only: no report printer';
    for (const table of REPORT_TABLES) {
      let csv: ReturnType<typeof reportCsv>;
      try {
        csv = reportCsv(document, table, lang);
      } catch (error) {
        // A table the document does not hold (an older submission without the national block).
        if (error instanceof HttpProblem) continue;
        throw error;
      }
      files.push({
        filename: reportCsvFileName(document.period.key, table, lang, submission).name,
        content: await csvBytes(csv.header, [csv.rows]),
        contentType: MEDIA_TYPES.csv,
      });
    }
    return { files, note: note?.slice(0, 2000) ?? null };
  }
}
