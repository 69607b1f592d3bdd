import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * Files an import keeps on disk while it runs (the upload as it arrived, the rows that passed
 * their checks), so that its memory does not grow with the file, and the file of a CSV download
 * between the database and its reader (csv/csv-download.ts). Each is removed when its import or
 * download ends, however it ends; files a killed process left behind are swept at the next start
 * (see `sweepSpool`).
 */
export const SPOOL_DIR = join(tmpdir(), 'alliance-outcomes-imports');
/** A file older than this belongs to no running import (the longest one takes minutes). */
const STALE_MS = 6 * 60 * 60 * 1000;

export interface SpoolFile {
  readonly path: string;
  /** Removes the file; safe to call more than once, never throws. */
  dispose(): Promise<void>;
}

let prepared = false;

/**
 * Makes the spool folder and sweeps it, once per process: the server calls it at start, and the
 * first spool file of any other process (the command line) does. Returns the names it removed.
 */
export function prepareSpool(): string[] {
  if (prepared) return [];
  mkdirSync(SPOOL_DIR, { recursive: true, mode: 0o700 });
  prepared = true;
  return sweepSpool(SPOOL_DIR);
}

/** The process id a spool file's name starts with (`${pid}-…`), or null for any other name. */
function ownerOf(name: string): number | null {
  const match = /^([1-9]\d{0,9})-/.exec(name);
  return match ? Number(match[1]) : null;
}

/** Whether a process with this id runs: only "no such process" says it does not (EPERM: it runs, as another user). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes from `dir` the files no running import can own: those named by a process that has
 * ended, those named by this process but older than its start (an earlier process that had the
 * same id, as a container's first process has at every start), and any file older than 6 h
 * whatever its name. A file of a running process younger than 6 h is never removed. Never throws.
 */
export function sweepSpool(dir: string, now = Date.now()): string[] {
  const started = now - process.uptime() * 1000;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const { mtimeMs } = statSync(path);
      const owner = ownerOf(name);
      const orphan =
        now - mtimeMs > STALE_MS || (owner !== null && (owner === process.pid ? mtimeMs < started : !processRuns(owner)));
      if (!orphan) continue;
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or not ours to remove: not ours to mind.
    }
  }
  return removed;
}

/** A new, unique path in the spool folder; nothing is created until the caller writes it. */
export function spoolFile(suffix: string): SpoolFile {
  prepareSpool();
  const path = join(SPOOL_DIR, `${process.pid}-${randomBytes(8).toString('hex')}.${suffix}`);
  return { path, dispose: () => rm(path, { force: true }).catch(() => undefined) };
}

/** A write stream to a new spool file: never one that exists, readable by this user alone. */
export function createSpoolStream(file: SpoolFile): WriteStream {
  return createWriteStream(file.path, { flags: 'wx', mode: 0o600 });
}

/**
 * Destroys a spool file's stream, if it is still open, and waits for it to close: a file still
 * opening when its stream is destroyed is created after all, and would come back after its removal.
 */
export async function closeSpoolStream(out: WriteStream): Promise<void> {
  if (out.closed) return;
  const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
  out.destroy();
  await closed;
}

/** Lines written to a spool file in blocks of about 256 KB, waiting for the disk when it lags. */
export class SpoolWriter {
  readonly #out: WriteStream;
  #parts: string[] = [];
  #size = 0;
  #failure: Error | undefined;

  constructor(readonly file: SpoolFile) {
    this.#out = createSpoolStream(file);
    // A full disk says so here, whenever it happens; the next write or close rethrows it.
    this.#out.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  async line(text: string): Promise<void> {
    this.#parts.push(text, '\n');
    this.#size += text.length + 1;
    if (this.#size >= 256 * 1024) await this.#flush();
  }

  async close(): Promise<void> {
    await this.#flush();
    this.#out.end();
    await finished(this.#out).catch((error: Error) => {
      this.#failure ??= error;
    });
    if (this.#failure) throw this.#failure;
  }

  /** Closes without caring for the outcome, and removes the file once it is closed. */
  async abandon(): Promise<void> {
    await closeSpoolStream(this.#out);
    await this.file.dispose();
  }

  async #flush(): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#size === 0) return;
    const block = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    if (!this.#out.write(block)) await waitForDrain(this.#out);
    if (this.#failure) throw this.#failure;
  }
}

function waitForDrain(out: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** The lines of a spool file, in order, read a block at a time. */
export async function* spoolLines(file: SpoolFile): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(file.path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.slice(start, end);
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest;
}

/** A file of the caller's (the command line's argument) read like a spool file; it is never removed. */
export function existingFile(path: string): SpoolFile {
  return { path, dispose: async () => undefined };
}

/** The SHA-256 of a file, read as it streams. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
