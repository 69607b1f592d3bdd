import busboy from 'busboy';
import type { Request } from 'express';
import { BadRequest, PayloadTooLarge } from '../http/problems.js';
import { isControl } from '../http/text.js';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface Upload {
  fileName: string | null;
  bytes: Buffer;
}

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream'];

/**
 * Reads an uploaded CSV: the raw body (`text/csv`) or the `file` part of a multipart form, up
 * to 50 MB (413 beyond, read no further).
 */
export async function readUpload(req: Request, limit = MAX_UPLOAD_BYTES): Promise<Upload> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (type === 'multipart/form-data') return readMultipart(req, limit);
  if (!CSV_TYPES.includes(type)) {
    throw new BadRequest(`Send the file as text/csv or as multipart/form-data, not ${type || 'no content type'}.`, [
      { path: 'headers.content-type', message: `must be text/csv or multipart/form-data` },
    ]);
  }
  return { fileName: null, bytes: await readBody(req, limit) };
}

function tooLarge(limit: number): PayloadTooLarge {
  return new PayloadTooLarge(
    `The file is larger than ${Math.round(limit / 1024 / 1024)} MB; split it and import the parts one after another.`,
  );
}

function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function readMultipart(req: Request, limit: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: limit, files: 2, fields: 10, parts: 12 },
      });
    } catch (error) {
      reject(new BadRequest(`The multipart form cannot be read: ${(error as Error).message}`));
      return;
    }
    let upload: Upload | undefined;
    let failure: Error | undefined;
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      if (upload || failure) {
        failure ??= new BadRequest('Send one file at a time.', [{ path: 'body.file', message: 'appears more than once' }]);
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        failure = tooLarge(limit);
      });
      stream.on('end', () => {
        if (!failure) upload = { fileName: cleanFileName(info.filename), bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (error: Error) => reject(new BadRequest(`The multipart form cannot be read: ${error.message}`)));
    parser.on('close', () => {
      if (failure) reject(failure);
      else if (!upload)
        reject(new BadRequest('The form has no part named file.', [{ path: 'body.file', message: 'is required' }]));
      else resolve(upload);
    });
    // A client that goes away mid-upload: busboy is never told, so the request's end is watched here.
    const aborted = () => reject(new BadRequest('The upload was interrupted before it was complete.'));
    req.once('error', aborted);
    req.once('close', () => {
      if (!req.complete) aborted();
    });
    req.pipe(parser);
  });
}

/** The browser's file name, kept for the record: one line, no control characters, at most 200 characters. */
function cleanFileName(name: string | undefined): string | null {
  const clean = [...(name ?? '')]
    .filter((c) => !isControl(c) && c !== '\n' && c !== '\r' && c !== '\t')
    .join('')
    .trim()
    .slice(0, 200);
  return clean === '' ? null : clean;
}
