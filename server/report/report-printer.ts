import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { AppUserRow, Database } from '../db/schema.js';
import { Gate } from '../http/gate.js';
import { said, ServiceUnavailable, TooManyRequests } from '../lib/problems.js';
import { ChromiumMissing, type RenderPdfOptions, renderReportPdf } from './report-pdf.js';
import { dataVersionStamp } from './report.queries.js';

/** What prints a report: `renderReportPdf` (Chromium). */
type Render = (options: RenderPdfOptions) => Promise<{ pdf: Buffer }>;

/** What a print is of: the live report of a period, or a submission, in a language. */
export interface PrintRequest {
  period: string;
  lang: 'zh' | 'en';
  submission?: number | undefined;
}

/**
 * The report printed as PDF for the API (`format=pdf`): the Report view printed by Chromium from
 * the client the server serves, with its text layer mended, as `npm run cli -- report` prints it.
 * One print runs at a time and four wait (a print takes seconds and a Chromium), one per account:
 * an account that asks for another while its first is printed or waits is answered 429, so that
 * no one account can take the whole line. The last few prints are kept, by what they show: the
 * data version, the period or submission, the language, and the reader's role and university (a
 * submission's revisions differ by reader); a kept print is sent whatever else the account prints.
 */
export class ReportPrinter {
  readonly #gate = new Gate('report prints', 1, 4, 120_000, 10);
  readonly #kept = new Map<string, Buffer>();
  /** The accounts with a print running or waiting. */
  readonly #printing = new Set<number>();

  readonly #keep: number;
  readonly #render: Render;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clientDir: string,
    /** How many prints are kept; what prints (Chromium, unless a test gives another). */
    { keep = 8, render = renderReportPdf }: { keep?: number; render?: Render } = {},
  ) {
    this.#keep = keep;
    this.#render = render;
  }

  /** The prints waiting for their turn. */
  get waiting(): number {
    return this.#gate.waiting;
  }

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
    if (this.#printing.has(user.id)) throw new TooManyRequests(said('printing_already'), 10);
    this.#printing.add(user.id);
    let release: (() => void) | undefined;
    try {
      release = await this.#gate.enter(signal);
      // Printed by another request while this one waited?
      const now = await key();
      const printed = this.#kept.get(now);
      if (printed) return printed;
      const options: RenderPdfOptions = { db: this.db, user, ...request, clientDir: this.clientDir };
      const { pdf } = await this.#render(options);
      this.#kept.set(now, pdf);
      for (const old of this.#kept.keys()) if (this.#kept.size > this.#keep) this.#kept.delete(old);
      return pdf;
    } catch (error) {
      if (error instanceof ChromiumMissing) throw new ServiceUnavailable(said('pdf_unavailable', { reason: error.message }), 60);
      throw error;
    } finally {
      release?.();
      this.#printing.delete(user.id);
    }
  }
}
