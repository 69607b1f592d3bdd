import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { Said } from '../../contract/problems.js';
import { said } from '../lib/problems.js';

/**
 * What a zip may inflate to. A workbook's sheet XML compresses about ten to one; a zip bomb (a few
 * kilobytes that inflate to gigabytes) a thousand to one and more. The limits are counted on the
 * bytes as they come out of the inflater, never taken from the zip's own headers.
 */
export const ZIP_LIMITS = {
  /** All the entries read, inflated, together. */
  totalBytes: 1024 * 1024 * 1024,
  /** An entry may inflate to this much whatever its ratio... */
  freeBytes: 16 * 1024 * 1024,
  /** ...and past it, to at most this many times the compressed bytes read so far. */
  ratio: 200,
} as const;

/** One file of a zip, as its central directory lists it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** As declared: checked against what the entry really inflates to. */
  size: number;
  localOffset: number;
}

/** A zip refused: what it is, said for the person who chose it. */
export class ZipRefused extends Error {
  constructor(readonly problem: Said) {
    super(problem.code);
  }
}

const damaged = () => new ZipRefused(said('xlsx_damaged'));

/** The end-of-central-directory record is in the last 22 bytes plus a comment of at most 64 KB. */
const EOCD_SEARCH = 22 + 0xffff;

/** Where the end-of-central-directory record starts in `tail` (a zip's last bytes), or -1. */
function endOfDirectory(tail: Buffer): number {
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) return i;
  return -1;
}

/**
 * Where each of a central directory's `count` records starts in `directory` (which may be the whole
 * zip, read from `start`): each one's signature and fixed part are checked before it is given out.
 */
function* directoryRecords(directory: Buffer, start: number, count: number, fail: () => Error): Generator<number> {
  let at = start;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50) throw fail();
    yield at;
    at += 46 + directory.readUInt16LE(at + 28) + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  }
}

/** 1980-01-01 00:00, the first moment a zip header can name, as its DOS date and time fields. */
const ZIP_EPOCH = { date: (1 << 5) | 1, time: 0 } as const;

/**
 * The same zip with every entry's modification time set to `ZIP_EPOCH`, in its local header and
 * in the central directory: a zip written twice from the same content is then the same bytes,
 * whatever the clock said (the writer stamps each entry with the current time, to two seconds).
 * Only the headers change; the entries' data and checksums do not. For the zips this server
 * writes: every header is found and checked before any is changed, and a zip it cannot read
 * whole (cut, ZIP64) is an error, left as it was. Changes `zip` in place.
 */
export function withoutClock(zip: Buffer): Buffer {
  const unreadable = () => new Error('withoutClock: not a whole zip of at most 65,535 entries');
  const tailStart = Math.max(0, zip.length - EOCD_SEARCH);
  const end = endOfDirectory(zip.subarray(tailStart));
  if (end === -1) throw unreadable();
  const count = zip.readUInt16LE(tailStart + end + 10);
  const headers: number[] = [];
  for (const at of directoryRecords(zip, zip.readUInt32LE(tailStart + end + 16), count, unreadable)) {
    const local = zip.readUInt32LE(at + 42);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) throw unreadable();
    headers.push(at + 12, local + 10);
  }
  for (const header of headers) {
    zip.writeUInt16LE(ZIP_EPOCH.time, header);
    zip.writeUInt16LE(ZIP_EPOCH.date, header + 2);
  }
  return zip;
}

/**
 * A zip file on disk, read from its central directory: its entries can be opened in any order,
 * each one streamed and inflated with its bytes counted (`open`). Nothing is held but the list of
 * entries (at most `MAX_ENTRIES`).
 */
export class ZipFile {
  /** Inflated bytes given out so far, over every entry opened. */
  inflated = 0;

  private constructor(
    readonly path: string,
    readonly fileSize: number,
    readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  static readonly MAX_ENTRIES = 10_000;

  /** Reads the central directory; a file cut short or not a zip is refused (`ZipRefused`). */
  static async read(path: string): Promise<ZipFile> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const tailLength = Math.min(size, EOCD_SEARCH);
      const tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, size - tailLength);
      const end = endOfDirectory(tail);
      if (end === -1) throw new ZipRefused(said('xlsx_truncated'));
      const count = tail.readUInt16LE(end + 10);
      const directorySize = tail.readUInt32LE(end + 12);
      const directoryOffset = tail.readUInt32LE(end + 16);
      if (count === 0xffff || directoryOffset === 0xffffffff) throw new ZipRefused(said('xlsx_zip64'));
      if (count > ZipFile.MAX_ENTRIES) throw damaged();
      if (directoryOffset + directorySize > size) throw new ZipRefused(said('xlsx_truncated'));
      const directory = Buffer.alloc(directorySize);
      await handle.read(directory, 0, directorySize, directoryOffset);
      const entries = new Map<string, ZipEntry>();
      for (const at of directoryRecords(directory, 0, count, damaged)) {
        const method = directory.readUInt16LE(at + 10);
        const compressedSize = directory.readUInt32LE(at + 20);
        const declared = directory.readUInt32LE(at + 24);
        const nameLength = directory.readUInt16LE(at + 28);
        const localOffset = directory.readUInt32LE(at + 42);
        if (at + 46 + nameLength > directory.length) throw damaged();
        const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
        if (compressedSize === 0xffffffff || declared === 0xffffffff || localOffset === 0xffffffff)
          throw new ZipRefused(said('xlsx_zip64'));
        if (localOffset + 30 + compressedSize > size) throw new ZipRefused(said('xlsx_truncated'));
        entries.set(name, { name, method, compressedSize, size: declared, localOffset });
      }
      return new ZipFile(path, size, entries);
    } finally {
      await handle.close();
    }
  }

  /** Where an entry's compressed bytes start (after its local header, whose lengths may differ from the directory's). */
  async dataStart(entry: ZipEntry): Promise<number> {
    const handle = await open(this.path, 'r');
    try {
      const header = Buffer.alloc(30);
      const { bytesRead } = await handle.read(header, 0, 30, entry.localOffset);
      if (bytesRead < 30 || header.readUInt32LE(0) !== 0x04034b50) throw damaged();
      const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (start + entry.compressedSize > this.fileSize) throw new ZipRefused(said('xlsx_truncated'));
      return start;
    } finally {
      await handle.close();
    }
  }

  /**
   * An entry's bytes, inflated, in a stream that fails (`ZipRefused`) as soon as the bytes that
   * came out pass a limit (`ZIP_LIMITS`, the total counted over every entry this zip opened), or
   * when they do not come to the size the directory declared. `onCompressed` is told how many of
   * the file's bytes were read so far (for progress).
   */
  async open(entry: ZipEntry, onCompressed: (position: number) => void = () => undefined): Promise<NodeJS.ReadableStream> {
    if (entry.method !== 0 && entry.method !== 8) throw new ZipRefused(said('xlsx_compression', { method: entry.method }));
    const start = await this.dataStart(entry);
    const raw = createReadStream(this.path, {
      start,
      end: start + entry.compressedSize - 1,
      highWaterMark: 64 * 1024,
    });
    const counter = new InflateCounter(this, entry);
    raw.on('data', (chunk: Buffer | string) => {
      counter.compressed += chunk.length;
      onCompressed(start + counter.compressed);
    });
    const fail = (error: Error) => counter.destroy(error instanceof ZipRefused ? error : damaged());
    if (entry.compressedSize === 0) {
      raw.destroy();
      queueMicrotask(() => counter.end());
      return counter;
    }
    if (entry.method === 0) {
      raw.on('error', fail);
      raw.pipe(counter);
      counter.on('close', () => raw.destroy());
      return counter;
    }
    // A small output buffer: the inflater stops when the reader does, so a bomb never runs ahead.
    const inflate = createInflateRaw({ chunkSize: 16 * 1024 });
    raw.on('error', fail);
    inflate.on('error', fail);
    raw.pipe(inflate).pipe(counter);
    counter.on('close', () => {
      raw.destroy();
      inflate.destroy();
    });
    return counter;
  }

  /** An entry read whole, as text: for the workbook's small parts, refused past `max` inflated bytes. */
  async text(entry: ZipEntry, max: number, tooLarge: () => ZipRefused): Promise<string> {
    const stream = await this.open(entry);
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > max) {
        (stream as unknown as { destroy(): void }).destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

/**
 * Counts what an entry inflates to, and fails past the limits or short of, or past, the declared
 * size. The ratio is of the bytes inflated so far to the compressed bytes read so far (the file is
 * read at most a block ahead of the inflater): a bomb is refused within its first megabytes.
 */
class InflateCounter extends Transform {
  #bytes = 0;
  /** Compressed bytes read from the file so far. */
  compressed = 0;

  constructor(
    readonly zip: ZipFile,
    readonly entry: ZipEntry,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#bytes += chunk.length;
    this.zip.inflated += chunk.length;
    if (
      this.zip.inflated > ZIP_LIMITS.totalBytes ||
      (this.#bytes > ZIP_LIMITS.freeBytes && this.#bytes > ZIP_LIMITS.ratio * Math.max(1, this.compressed))
    ) {
      done(
        new ZipRefused(
          said('xlsx_zip_bomb', {
            part: this.entry.name,
            ratio: ZIP_LIMITS.ratio,
            megabytes: Math.round(ZIP_LIMITS.totalBytes / 1024 / 1024),
          }),
        ),
      );
      return;
    }
    if (this.#bytes > this.entry.size) {
      done(damaged());
      return;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.#bytes === this.entry.size ? null : damaged());
  }
}

/**
 * The name of the stream an Office file encrypted with a password keeps its workbook in
 * ([MS-OFFCRYPTO] 2.3.4.4), as a compound file's directory spells it (UTF-16LE). An encrypted .xlsx
 * is a compound file (OLE2), as an old .xls is: this name tells them apart.
 */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/** A compound file's directory entries are 128 bytes each, in sectors of 512 or 4,096 bytes after a header of one sector. */
const DIRECTORY_ENTRY = 128;

/**
 * Whether a compound file (OLE2) is a workbook encrypted with a password: whether a directory
 * entry (which starts on a 128-byte boundary, its name first) names the EncryptedPackage stream,
 * read through once a block at a time (the directory may lie anywhere in the file), keeping only
 * what could start the name. The same text inside a cell of an old .xls is not on such a boundary
 * but by chance, and is followed there by the rest of a string, not by the entry's zero padding.
 */
export async function isEncryptedPackage(path: string): Promise<boolean> {
  let tail = Buffer.alloc(0);
  let tailAt = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    const block = Buffer.concat([tail, chunk as Buffer]);
    for (let at = block.indexOf(ENCRYPTED_PACKAGE); at !== -1; at = block.indexOf(ENCRYPTED_PACKAGE, at + 1)) {
      const end = at + ENCRYPTED_PACKAGE.length;
      // The name is NUL-terminated: its entry's next two bytes are zero (read in the next block if need be).
      const terminated = end + 2 > block.length || (block[end] === 0 && block[end + 1] === 0);
      if ((tailAt + at) % DIRECTORY_ENTRY === 0 && terminated) return true;
    }
    const keep = Math.min(block.length, ENCRYPTED_PACKAGE.length + 1);
    tailAt += block.length - keep;
    tail = block.subarray(block.length - keep);
  }
  return false;
}

/** What the first bytes of a file say it is. */
export type FileSignature = 'zip' | 'ole2' | 'empty' | 'other';

export async function signatureOf(path: string): Promise<FileSignature> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (
      bytesRead >= 4 &&
      head[0] === 0x50 &&
      head[1] === 0x4b &&
      (head[2] === 0x03 || head[2] === 0x05) &&
      (head[3] === 0x04 || head[3] === 0x06)
    )
      return 'zip';
    if (bytesRead === 0) return 'empty';
    if (bytesRead >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'ole2';
    return 'other';
  } finally {
    await handle.close();
  }
}
