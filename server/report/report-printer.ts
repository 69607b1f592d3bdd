import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { AppUserRow, Database } from '../db/schema.js';
import { Gate } from '../http/gate.js';
import { said, ServiceUnavailable } from '../lib/problems.js';
import { ChromiumMissing, type RenderPdfOptions, renderReportPdf } from './report-pdf.js';
import { dataVersionStamp } from './report.queries.js';

/** What a print is of: the live report of a period, or a submission, in a language. */
export interface PrintRequest {
  period: string;
  lang: 'zh' | 'en';
  submission?: number | undefined;
}

/**
 * The report printed as PDF for the API (`format=pdf`): the Report view printed by Chromium from
 * the client the server serves, with its text layer mended, as `npm run cli -- report` prints it.
 * One print runs at a time and four wait (a print takes seconds and a Chromium); the last few are
 * kept, by what they show: the data version, the period or submission, the language, and the
 * reader's role and university (a submission's revisions differ by reader).
 */
export class ReportPrinter {
  readonly #gate = new Gate('report prints', 1, 4, 120_000, 10);
  readonly #kept = new Map<string, Buffer>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clientDir: string,
    private readonly keep = 8,
  ) {}

  async print(user: AppUserRow, request: PrintRequest, signal?: AbortSignal): Promise<Buffer> {
    if (!existsSync(join(this.clientDir, 'index.html')))
      throw new ServiceUnavailable(said('pdf_unavailable', { reason: 'the client is not built (npm run build)' }), 60);
    const key = async () =>
      [
        (await dataVersionStamp(this.db)).version,
        request.submission ?? request.period,
        request.lang,
        user.role,
        user.university_code ?? '',
      ].join('|');
    const kept = this.#kept.get(await key());
    if (kept) return kept;
    const release = await this.#gate.enter(signal);
    try {
      // Printed by another request while this one waited?
      const now = await key();
      const printed = this.#kept.get(now);
      if (printed) return printed;
      const options: RenderPdfOptions = { db: this.db, user, ...request, clientDir: this.clientDir };
      const { pdf } = await renderReportPdf(options);
      this.#kept.set(now, pdf);
      for (const old of this.#kept.keys()) if (this.#kept.size > this.keep) this.#kept.delete(old);
      return pdf;
    } catch (error) {
      if (error instanceof ChromiumMissing) throw new ServiceUnavailable(said('pdf_unavailable', { reason: error.message }), 60);
      throw error;
    } finally {
      release();
    }
  }
}
