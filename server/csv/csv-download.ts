import { open } from 'node:fs/promises';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
// The request's `log` is pino-http's.
import type {} from 'pino-http';
import type { Database } from '../db/schema.js';
import { isClientDeparture } from '../http/error-handler.js';
import { type PaceFault, watchPace } from '../http/pace.js';
import type { Caller } from '../http/route.js';
import { ServiceUnavailable, said, TooManyRequests } from '../lib/problems.js';
import { Gate, PerAccount } from '../http/gate.js';
import { onClientGone, ownConnection } from '../http/client-gone.js';
import { closeSpoolStream, createSpoolStream, type SpoolFile, spoolFile } from '../lib/spool.js';
import { MEDIA_TYPES } from '../lib/media-types.js';
import { contentDisposition } from './cells.js';
import type { CsvOptions } from './csv-response.js';
import {
  type CsvProjection,
  type FileFormat,
  type WorkbookProjection,
  withExtension,
  writeProjection,
  writeWorkbook,
} from './csv-projection.js';
import { auditExport } from './export-audit.js';

/**
 * The process's budget for CSV downloads. Each admitted download has at most one spool file on
 * disk, from its first row written to its last byte sent, so `sending` bounds the files (and, with
 * each file at most one whole export, the disk); `writing` bounds those reading the database at
 * once, to the connections there are for it.
 */
export interface ExportLimits {
  /** Downloads admitted at once, from their first row spooled to their last byte sent. */
  sending: number;
  /** More that wait for a place, each at most `waitMs`; beyond that, 503 with Retry-After. */
  waiting: number;
  /**
   * Downloads of one account admitted or waiting at once; one more is 429 with Retry-After, so that
   * no account fills the line that everyone shares. A page's links are clicked one at a time.
   */
  perAccount: number;
  /** Downloads reading the database into their file at once: the bulk pool's connections (PGlite: its one). */
  writing: number;
  /** A reader that takes nothing for this long is cut off, and its file removed. */
  stallMs: number;
  /**
   * A reader that, after its first `graceMs`, has taken less than this on average is cut off too:
   * one that takes a block a minute would otherwise keep its place for hours. Far below any
   * browser's or spreadsheet's pace.
   */
  minBytesPerSecond: number;
  graceMs: number;
  /** How long a download waits for a place at most before it is told to come back. */
  waitMs: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  sending: 8,
  waiting: 16,
  perAccount: 4,
  writing: 2,
  stallMs: 60_000,
  minBytesPerSecond: 8 * 1024,
  graceMs: 30_000,
  waitMs: 30_000,
};

/** What a download is: its file name and media type, how its rows are written, and how it is audited. */
interface CsvDownload {
  fileName: CsvOptions['fileName'];
  contentType: string;
  /** Writes the whole file to `out` (`writeCsv`, `writeCopiedCsv` or `writeXlsx`, which end it); returns the rows written. */
  write(out: Writable): Promise<number>;
  /** Records the export, once its file is whole and before a byte of it is sent. */
  audit(rows: number): Promise<void>;
}

/**
 * The client went away before its download was sent: nothing more is done for it, and it is no
 * fault of the server's (its code is the socket's for a connection its peer gave up, so the error
 * handler logs it as a departure, at debug).
 */
class ClientGone extends Error {
  override readonly name = 'ClientGone';
  readonly code = 'ECONNABORTED';
  constructor() {
    super('the client went away before its download was sent');
  }
}

/** Disk full (or over quota) while a download is spooled: the server's room, not the request, is at fault. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Every CSV download of the API goes through here: spool, then send. The rows are written at the
 * database's own speed into a file on disk, so the connection (on PGlite the only one) is given
 * back as soon as the database has said everything, whatever the reader does after; only then are
 * the audit entry written and the status sent, so a failure of the database is a problem status
 * (503 and the like), never a 200 that is cut. The file then goes to the reader through one
 * stream pipeline, with its length in Content-Length; a reader that takes nothing for `stallMs`,
 * or averages under `minBytesPerSecond` after its first `graceMs`, is cut off. The file is removed however the download ends.
 */
export class CsvDownloads {
  readonly #admitted: Gate;
  readonly #writing: Gate;
  /** Downloads admitted or waiting, by account (or, signed out, by address). */
  readonly #mine: PerAccount<string>;
  /** The requests that hold their account's place (claim). */
  readonly #claimed = new WeakSet<Request>();

  constructor(
    /** Where the audit entries go. */
    private readonly db: Kysely<Database>,
    readonly limits: ExportLimits = DEFAULT_EXPORT_LIMITS,
  ) {
    this.#mine = new PerAccount(limits.perAccount);
    this.#admitted = new Gate('downloads', limits.sending, limits.waiting, limits.waitMs, 10);
    // Only admitted downloads wait here, so the line never needs to be longer than they are.
    this.#writing = new Gate('downloads being written', limits.writing, limits.sending, limits.waitMs, 10);
  }

  /**
   * Sends the projection as the answer to `req`, as CSV or as a workbook (`format`), audited as the
   * caller's export of its subject.
   */
  export(
    req: Request,
    res: Response,
    caller: Caller | null,
    projection: CsvProjection,
    format: FileFormat = 'csv',
  ): Promise<void> {
    return this.#send(req, res, caller, {
      fileName: withExtension(projection.fileName, format),
      contentType: MEDIA_TYPES[format],
      write: (out) => writeProjection(out, projection, format),
      audit: (rows) => auditExport(this.db, req, caller, projection.subject, rows),
    });
  }

  /** Sends a workbook of several sheets (the commission report), spooled, audited and paced as every download. */
  exportWorkbook(req: Request, res: Response, caller: Caller | null, workbook: WorkbookProjection): Promise<void> {
    return this.#send(req, res, caller, {
      fileName: withExtension(workbook.fileName, 'xlsx'),
      contentType: MEDIA_TYPES.xlsx,
      write: (out) => writeWorkbook(out, workbook),
      audit: (rows) => auditExport(this.db, req, caller, workbook.subject, rows),
    });
  }

  /**
   * Takes the caller's place for the download `req` asks for, or refuses it (429
   * `downloading_already`) when the account has as many under way as it may; returns the function
   * that gives it back. The routes that download (`downloads: true`, server/http/route.ts) claim
   * before their handler reads anything and give it back when the handler is done, so a refused
   * download costs nothing and an abandoned one is counted until its work stops; `export` claims
   * for itself when its request holds no place.
   */
  claim(req: Request, caller: Caller | null): () => void {
    // Every download route is for the signed in; a caller-less one would be counted by its address.
    const account = caller ? `account ${caller.id}` : `address ${req.ip ?? req.socket.remoteAddress ?? ''}`;
    const giveBack = this.#mine.take(account, (count) => new TooManyRequests(said('downloading_already', { count }), 10));
    this.#claimed.add(req);
    return () => {
      this.#claimed.delete(req);
      giveBack();
    };
  }

  async #send(req: Request, res: Response, caller: Caller | null, download: CsvDownload): Promise<void> {
    const giveBack = this.#claimed.has(req) ? undefined : this.claim(req, caller);
    try {
      await this.#sendOne(req, res, download);
    } finally {
      giveBack?.();
    }
  }

  async #sendOne(req: Request, res: Response, download: CsvDownload): Promise<void> {
    const gone = new AbortController();
    const stopListening = onClientGone(req, res, () => gone.abort(new ClientGone()));
    const file = spoolFile('export');
    let leave: (() => void) | undefined;
    try {
      leave = await this.#admitted.enter(gone.signal);
      const rows = await this.#spool(file, download, gone.signal);
      await download.audit(rows);
      // Queued behind another answer on its connection, it waits for its turn (or for its client to go).
      await ownConnection(res, gone.signal);
      await this.#sendFile(req, res, file, download);
    } catch (error) {
      const left = gone.signal.aborted || (res.destroyed && !res.writableFinished);
      // Whatever failed after the client left failed for nobody: the error handler ends it as a departure.
      throw left && !isClientDeparture(error, req, res) ? new ClientGone() : error;
    } finally {
      stopListening();
      leave?.();
      await file.dispose();
    }
  }

  /** Writes the download into its file, with a place among those reading the database; returns the rows. */
  async #spool(file: SpoolFile, download: CsvDownload, gone: AbortSignal): Promise<number> {
    const release = await this.#writing.enter(gone);
    const out = createSpoolStream(file);
    // Failures arrive through the writer's pipeline; one after it has settled has nobody to tell.
    out.on('error', () => undefined);
    // A client that leaves stops the writing too: the pipeline ends, and the source's clean-up gives its connection back.
    const stop = () => out.destroy(gone.reason as Error);
    gone.addEventListener('abort', stop, { once: true });
    try {
      return await download.write(out);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (typeof code === 'string' && NO_ROOM.has(code)) {
        throw new ServiceUnavailable(said('no_disk_room'), 60);
      }
      throw error;
    } finally {
      gone.removeEventListener('abort', stop);
      release();
      await closeSpoolStream(out);
    }
  }

  /**
   * Sends the spooled file: status and headers only now, then the bytes, cutting a reader that
   * stalls. Its name is removed once it is open: the bytes stay readable through the handle, and
   * nothing is left on disk once the handle closes, however the sending ends.
   */
  async #sendFile(req: Request, res: Response, file: SpoolFile, download: CsvDownload): Promise<void> {
    const handle = await open(file.path, 'r');
    await file.dispose();
    let size: number;
    try {
      size = (await handle.stat()).size;
    } catch (error) {
      await handle.close();
      throw error;
    }
    // Closes the handle when it ends or is destroyed.
    const source = handle.createReadStream({ highWaterMark: 64 * 1024 });
    let stalled: PaceFault | null = null;
    const { stallMs, minBytesPerSecond, graceMs } = this.limits;
    const pace = watchPace({ idleMs: stallMs, graceMs, minBytesPerSecond }, (why) => {
      stalled = why;
      // A reset, not a close: the kernel drops at once what it still holds for this reader (megabytes,
      // behind a window the reader does not open) instead of keeping it through minutes of probes.
      res.socket?.resetAndDestroy();
      res.destroy();
    });
    // A chunk is let through only once the reader has taken what went before (back-pressure): each is progress.
    const progress = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        pace.moved(chunk.length);
        done(null, chunk);
      },
    });
    try {
      res.status(200).set({
        'Content-Type': download.contentType,
        'Content-Disposition': contentDisposition(download.fileName.name, download.fileName.ascii),
        'Content-Length': String(size),
      });
      await pipeline(source, progress, res);
    } catch (error) {
      if (!stalled) throw error;
      req.log?.warn(
        { bytes: size, taken: pace.bytes, stallMs, minBytesPerSecond },
        stalled === 'stalled'
          ? 'the reader of a download took nothing for too long: its connection was cut'
          : 'the reader of a download took it too slowly: its connection was cut',
      );
    } finally {
      pace.stop();
      // Ended or destroyed by the pipeline; destroyed here when something failed before it ran.
      source.destroy();
    }
  }
}
