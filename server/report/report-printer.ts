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

/** A print running or waiting: what it is of, its readers, and what stops it when they have all gone. */
interface Printing {
  of: string;
  pdf: Promise<Buffer>;
  readers: number;
  stop: AbortController;
}

/**
 * The report printed as PDF for the API (`format=pdf`): the Report view printed by Chromium from
 * the client the server serves, with its text layer mended, as `npm run cli -- report` prints it.
 * One print runs at a time and four wait (a print takes seconds and a Chromium), one per account:
 * an account that asks for another while its first is printed or waits is answered 429, so that
 * no one account can take the whole line; asked for the same print again (a double click), it
 * shares the one under way, which goes on while any of its readers waits. The last few prints are kept, by what they show: the
 * data version, the period or submission, the language, and the reader's role and university (a
 * submission's revisions differ by reader); a kept print is sent whatever else the account prints.
 */
export class ReportPrinter {
  readonly #gate = new Gate('report prints', 1, 4, 120_000, 10);
  readonly #kept = new Map<string, Buffer>();
  /** Each account's print running or waiting: what it is of, and its readers (one unless asked again). */
  readonly #printing = new Map<number, Printing>();

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
    const of = [request.submission ?? request.period, request.lang].join('|');
    // The same print under way (a double click): its reader joins it at once, before anything else is read.
    const joinable = (print: Printing | undefined): print is Printing => print?.of === of && !print.stop.signal.aborted;
    const under = this.#printing.get(user.id);
    if (joinable(under)) return this.#join(under, signal);
    const kept = this.#kept.get(await this.#key(user, request));
    if (kept) return kept;
    const other = this.#printing.get(user.id);
    if (joinable(other)) return this.#join(other, signal);
    // Another print, or this one given up by all its readers and on its way out: come back shortly.
    if (other) throw new TooManyRequests(said('printing_already'), 10);
    const stop = new AbortController();
    const pdf = this.#printOne(user, request, stop.signal).finally(() => this.#printing.delete(user.id));
    // Each reader hears the outcome through its own wait (#join); this one only keeps it from going unheard.
    pdf.catch(() => undefined);
    const mine: Printing = { of, pdf, readers: 0, stop };
    this.#printing.set(user.id, mine);
    return this.#join(mine, signal);
  }

  /** One reader's wait for a print: leaving, it stops the print when no other reader waits for it. */
  async #join(print: Printing, signal?: AbortSignal): Promise<Buffer> {
    print.readers++;
    if (!signal) return print.pdf;
    let onAbort: (() => void) | undefined;
    const left = new Promise<never>((_, reject) => {
      onAbort = () => {
        if (--print.readers === 0) print.stop.abort(signal.reason);
        reject(signal.reason);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    left.catch(() => undefined);
    try {
      return await Promise.race([print.pdf, left]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }

  /** What a print shows, as the key it is kept by. */
  async #key(user: AppUserRow, request: PrintRequest): Promise<string> {
    return [
      (await dataVersionStamp(this.db)).version,
      request.submission ?? request.period,
      request.lang,
      user.role,
      user.university_code ?? '',
    ].join('|');
  }

  async #printOne(user: AppUserRow, request: PrintRequest, signal: AbortSignal): Promise<Buffer> {
    let release: (() => void) | undefined;
    try {
      release = await this.#gate.enter(signal);
      // Printed by another request while this one waited?
      const now = await this.#key(user, request);
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
    }
  }
}
