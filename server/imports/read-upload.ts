import { createHash } from 'node:crypto';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { type Pace, watchPace } from '../http/pace.js';
import { BadRequest, detail, HttpProblem, PayloadTooLarge, RequestTimeout, said } from '../lib/problems.js';
import { isBidiControl, isControl, isInvisible } from '../http/text.js';
import { closeSpoolStream, createSpoolStream, type SpoolFile, spoolFile } from '../lib/spool.js';
import { essence, MEDIA_TYPES } from '../lib/media-types.js';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** An uploaded file, kept on disk while its import runs: never whole in memory. */
export interface Upload {
  fileName: string | null;
  /** Sent as a workbook: the `.xlsx` media type, or a file name ending in .xlsx (the bytes must then be one). */
  sentAsWorkbook: boolean;
  file: SpoolFile;
  size: number;
  sha256: string;
}

/**
 * How slowly an upload may arrive. An upload holds one of the process's few upload places while it
 * arrives: one that trickles in (a byte every few seconds) would hold it until Node's five-minute
 * request limit. So an upload that sends nothing for `idleMs`, or that after its first `graceMs`
 * has averaged less than `minBytesPerSecond`, is answered 408 and its connection closed. The
 * default floor, 8 KB/s, is far below what a 50 MB file needs to arrive within Node's limit at all.
 */
export type UploadPace = Pace;
export const DEFAULT_UPLOAD_PACE: UploadPace = { graceMs: 10_000, idleMs: 20_000, minBytesPerSecond: 8 * 1024 };

/** Whether a file sent with this media type and name says it is a workbook. */
export const saysWorkbook = (type: string | null | undefined, name: string | null | undefined): boolean =>
  essence(type ?? '').toLowerCase() === MEDIA_TYPES.xlsx || /\.xlsx$/i.test(name ?? '');

/**
 * Bodies taken as a file: a CSV, or a workbook. The import recognises a workbook by its bytes, so a
 * CSV sent as text/plain is read; a file sent as a workbook that is not one is refused as such.
 */
const FILE_TYPES = [
  essence(MEDIA_TYPES.csv),
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
  'application/octet-stream',
  MEDIA_TYPES.xlsx,
];

/**
 * Receives an uploaded file (a CSV or a workbook), the raw body (`text/csv`, or the `.xlsx` type) or the `file` part of a multipart form, up
 * to 50 MB (413 beyond, read no further), into a file on disk, hashing it on the way. A body cut
 * off anywhere (in the headers, in a part, before the final boundary) is a 400, and its file is
 * removed: no error of any stream involved is left without a listener.
 */
export async function receiveUpload(req: Request, limit = MAX_UPLOAD_BYTES, pace = DEFAULT_UPLOAD_PACE): Promise<Upload> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  // A compressed body would be read as its compressed bytes: refused, not misread.
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    throw new HttpProblem(415, 'Unsupported Media Type', said('upload_encoded', { encoding }), [
      detail({ path: 'headers.content-encoding' }, said('must_be_identity')),
    ]);
  }
  if (type === 'multipart/form-data') return receiveMultipart(req, limit, pace);
  if (!FILE_TYPES.includes(type)) {
    throw new BadRequest(said('upload_type', { type }), [detail({ path: 'headers.content-type' }, said('must_be_csv_or_form'))]);
  }
  return receiveBody(req, limit, pace);
}

/**
 * Watches the pace at which the request's body arrives (see `UploadPace`) and calls `slow` once
 * with a 408 when it falls behind. Returns the function that stops watching.
 */
function watchUploadPace(req: Request, pace: UploadPace, slow: (error: RequestTimeout) => void): () => void {
  const watch = watchPace(pace, (why) => {
    req.off('data', onData);
    slow(
      new RequestTimeout(
        why === 'stalled'
          ? said('upload_idle', { seconds: Math.round(pace.idleMs / 1000) })
          : said('upload_slow', { kilobytesPerSecond: Math.round(pace.minBytesPerSecond / 1024) }),
      ),
    );
  });
  const onData = (chunk: Buffer) => watch.moved(chunk.length);
  req.on('data', onData);
  return () => {
    watch.stop();
    req.off('data', onData);
  };
}

function tooLarge(limit: number): PayloadTooLarge {
  return new PayloadTooLarge(said('file_too_large', { megabytes: Math.round(limit / 1024 / 1024) }));
}

const interrupted = () => new BadRequest(said('upload_interrupted'));

/** Counts and hashes what passes, and fails with a 413 at the first byte past the limit. */
class Meter extends Transform {
  size = 0;
  readonly #hash = createHash('sha256');
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      done(tooLarge(this.limit));
      return;
    }
    this.#hash.update(chunk);
    done(null, chunk);
  }
  digest(): string {
    return this.#hash.digest('hex');
  }
}

/** Writes a stream to a new spool file; on any failure the file is removed and the error rethrown. */
async function spool(source: Readable, limit: number, fileName: string | null, sentAsWorkbook: boolean): Promise<Upload> {
  const file = spoolFile('upload');
  const meter = new Meter(limit);
  const out = createSpoolStream(file);
  try {
    await pipeline(source, meter, out);
  } catch (error) {
    await closeSpoolStream(out);
    await file.dispose();
    throw error;
  }
  return { fileName, sentAsWorkbook, file, size: meter.size, sha256: meter.digest() };
}

/**
 * Watches the request for a body that will never be read to its end: a client that goes away
 * before sending it all (Node reports an 'error', ECONNRESET "aborted", and a 'close'), or one
 * that half-closes its socket after sending it, which makes Node drop the request's unread bytes
 * (`complete`, yet never ended). Called before anything is read: a request already dropped (while
 * the route checked the caller) is cut at once.
 */
function onCutOff(req: Request, cut: () => void): () => void {
  const onClose = () => {
    if (!req.readableEnded) cut();
  };
  if (req.destroyed && !req.readableEnded) {
    queueMicrotask(cut);
    return () => undefined;
  }
  req.on('error', cut);
  req.once('close', onClose);
  return () => {
    req.off('error', cut);
    req.off('close', onClose);
  };
}

async function receiveBody(req: Request, limit: number, pace: UploadPace): Promise<Upload> {
  // The request is not handed to `pipeline`, which would destroy its socket on a 413: the client
  // is still owed the answer, so the rest of its body is read and dropped instead.
  const body = new PassThrough();
  const stopWatching = onCutOff(req, () => body.destroy(interrupted()));
  req.pipe(body);
  const stopPace = watchUploadPace(req, pace, (error) => body.destroy(error));
  try {
    return await spool(body, limit, null, saysWorkbook(req.headers['content-type'], null));
  } catch (error) {
    req.unpipe(body);
    req.resume();
    throw error;
  } finally {
    stopWatching();
    stopPace();
  }
}

function receiveMultipart(req: Request, limit: number, pace: UploadPace): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        // One byte past our own limit, so that the meter (not a silent truncation) says 413.
        limits: { fileSize: limit + 1, files: 2, fields: 10, parts: 12, headerPairs: 50 },
      });
    } catch (error) {
      reject(new BadRequest(said('form_unreadable', { reason: (error as Error).message })));
      return;
    }
    let settled = false;
    /** The `file` part being written to disk, and the promise of its upload. */
    let part: Readable | undefined;
    let upload: Promise<Upload> | undefined;
    const stopWatching = onCutOff(req, () => fail(interrupted()));
    let stopPace: () => void = () => undefined;

    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      stopWatching();
      stopPace();
      req.unpipe(parser);
      req.resume();
      // Ends the part's own pipeline, which then removes its file. With an error: a part that has
      // pushed its end but not yet emitted it would otherwise count as finished, and its pipeline wait forever.
      part?.destroy(new Error('the upload was abandoned'));
      void upload?.then((done) => done.file.dispose()).catch(() => undefined);
      reject(error);
    }

    /** A part the import does not read (`dryRun` as a field): refused, never passed over, as a query parameter would be. */
    const unread = (name: string) =>
      fail(new BadRequest(said('form_part_unread', { name }), [detail({ path: `body.${name}` }, said('not_a_part'))]));
    parser.on('file', (name, stream, info) => {
      // Every part's stream reports a cut-off body as an 'error': each one gets a listener.
      if (name !== 'file' || settled) {
        stream.on('error', () => undefined);
        stream.resume();
        if (name !== 'file') unread(name);
        return;
      }
      if (part) {
        stream.on('error', () => undefined);
        stream.resume();
        fail(new BadRequest(said('one_file'), [detail({ path: 'body.file' }, said('appears_twice'))]));
        return;
      }
      part = stream;
      const fileName = cleanFileName(info.filename);
      upload = spool(stream, limit, fileName, saysWorkbook(info.mimeType, fileName));
      upload.catch((error: unknown) => {
        // busboy's own message for a form cut short ("Unexpected end of form") means the client stopped.
        fail(error instanceof PayloadTooLarge ? error : interrupted());
      });
    });
    // A part named file sent as text (curl -F 'file=<a.csv', a form without a file input): said so.
    let fileAsText = false;
    parser.on('field', (name) => {
      if (name === 'file') fileAsText = true;
      else unread(name);
    });
    parser.on('error', (error: Error) =>
      fail(
        /unexpected end of form/i.test(error.message)
          ? interrupted()
          : new BadRequest(said('form_unreadable', { reason: error.message })),
      ),
    );
    parser.on('close', () => {
      if (settled) return;
      if (!upload) {
        fail(
          fileAsText
            ? new BadRequest(said('form_file_is_text'), [detail({ path: 'body.file' }, said('must_be_file'))])
            : new BadRequest(said('form_no_file'), [detail({ path: 'body.file' }, said('required'))]),
        );
        return;
      }
      upload.then(
        (done) => {
          if (settled) {
            void done.file.dispose();
            return;
          }
          settled = true;
          stopWatching();
          stopPace();
          resolve(done);
        },
        () => undefined, // already failed through the catch above
      );
    });
    req.pipe(parser);
    stopPace = watchUploadPace(req, pace, fail);
  });
}

/** The browser's file name, kept for the record: one line, no control, bidirectional or invisible characters, at most 200 characters. */
function cleanFileName(name: string | undefined): string | null {
  const clean = [...(name ?? '')]
    .filter((c) => !isControl(c) && !isBidiControl(c) && !isInvisible(c) && c !== '\n' && c !== '\r' && c !== '\t')
    .join('')
    .trim()
    .slice(0, 200);
  return clean === '' ? null : clean;
}
