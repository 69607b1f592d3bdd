import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import type { Said } from '../../contract/problems.js';
import type { ImportDelimiter, ImportEncoding } from '../../contract/schemas/records.js';
import { detail, type ProblemDetail, said, Unprocessable } from '../lib/problems.js';
import { MAX_ROW_BYTES, MAX_ROW_CELLS } from '../csv/record-bounds.js';

/** How a file is read: its encoding and what separates its cells. */
export interface Reading {
  encoding: ImportEncoding;
  delimiter: ImportDelimiter;
}

/** A file refused for its encoding: where each reading tried fails, by line (and column) and byte. */
export class EncodingRefused extends Unprocessable {
  constructor(problem: Said, errors: readonly ProblemDetail[]) {
    super(problem, errors);
  }
}

/** The WHATWG label each encoding is decoded with. */
const LABEL: Readonly<Record<ImportEncoding, string>> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  gb18030: 'gb18030',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};
/** How a message names it. */
export const ENCODING_NAME: Readonly<Record<ImportEncoding, string>> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8',
  gb18030: 'GB18030',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
};
/** The byte-order mark's length, left out of what is decoded. */
const BOM_LENGTH: Readonly<Record<ImportEncoding, number>> = {
  'utf-8': 0,
  'utf-8-bom': 3,
  gb18030: 0,
  'utf-16le': 2,
  'utf-16be': 2,
};

/**
 * A stretch this long with no place where a character may end is no CSV of ours (a row is at most
 * 64 KB): the file is refused there rather than held in memory.
 */
export const MAX_UNCUT_BYTES = 1024 * 1024;

/** How many characters beyond ASCII a file may read as UTF-8 before its first byte that is not, and still be taken for another encoding. */
const UTF8_CHARACTERS_BEFORE_DAMAGE = 3;

/**
 * Where bytes may be cut without splitting a character: after the last byte below 0x30 for GB18030
 * (no byte of a two- or four-byte sequence is below 0x30), before the last byte that does not continue
 * a sequence for UTF-8, after the last code unit that is not a high surrogate for UTF-16. Each piece
 * is then decoded on its own: no decoder state crosses a cut, whatever the chunks the file arrives in.
 */
function safeEnd(bytes: Buffer, encoding: ImportEncoding): number {
  if (encoding === 'gb18030') {
    for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i]! < 0x30) return i + 1;
    return 0;
  }
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') {
    for (let i = bytes.length - 1; i >= 0; i--) if ((bytes[i]! & 0xc0) !== 0x80) return bytes[i]! < 0x80 ? i + 1 : i;
    return 0;
  }
  // Pieces start at even offsets of the file (the mark is two bytes): code units are pairs from there.
  const high = encoding === 'utf-16le' ? 1 : 0;
  for (let i = bytes.length - (bytes.length % 2) - 2; i >= 0; i -= 2) {
    const top = bytes[i + high]!;
    if (top < 0xd8 || top > 0xdb) return i + 2;
  }
  return 0;
}

/** Cuts a stream of bytes into pieces that end between two characters (`safeEnd`). */
class Pieces {
  #carry: Buffer = Buffer.alloc(0);
  /** Where the next piece starts in the file. */
  offset: number;

  constructor(
    readonly encoding: ImportEncoding,
    start: number,
  ) {
    this.offset = start;
  }

  /** The bytes that may be decoded now; null when a stretch of `MAX_UNCUT_BYTES` has no cut. */
  take(chunk: Buffer): Buffer | null {
    const all = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    const end = safeEnd(all, this.encoding);
    this.#carry = all.subarray(end);
    if (this.#carry.length > MAX_UNCUT_BYTES) return null;
    const piece = all.subarray(0, end);
    this.offset += end;
    return piece;
  }

  /** What is left at the end of the file. */
  rest(): Buffer {
    const rest = this.#carry;
    this.#carry = Buffer.alloc(0);
    this.offset += rest.length;
    return rest;
  }
}

/** Why a reading of a file fails, and where: `at` counts the characters decoded before it. */
type Failure = { why: 'bytes' | 'end'; at: number; offset: number } | { why: 'doubtful' | 'uncut'; at: number };

/**
 * Where in `piece` decoding fails: the characters before it, and where the sequence that fails starts
 * (the end of the last whole character); `atEnd` when the piece, the file's last, ends inside one.
 * Fed a byte at a time: only for a piece known bad.
 */
function pinpoint(piece: Buffer, encoding: ImportEncoding, final: boolean): { text: string; start: number; atEnd: boolean } {
  const decoder = new TextDecoder(LABEL[encoding], { fatal: true, ignoreBOM: true });
  let text = '';
  let start = 0;
  for (let i = 0; i < piece.length; i++) {
    try {
      const out = decoder.decode(piece.subarray(i, i + 1), { stream: true });
      if (out.length > 0) {
        text += out;
        start = i + 1;
      }
    } catch {
      return { text, start, atEnd: false };
    }
  }
  if (final) {
    try {
      text += decoder.decode();
    } catch {
      return { text, start, atEnd: true };
    }
  }
  // The piece ends inside a sequence only where the byte after it cannot continue one (see `safeEnd`).
  return { text, start, atEnd: false };
}

/**
 * The characters of the GBK codes whose second byte is an ASCII letter: what an accented Windows-1252
 * letter (or its punctuation, 0x80 to 0xFF) and the letter after it read as in GBK. None is one of
 * GB2312's common ideographs (their bytes are all 0xA1 or above).
 */
let accentAndLetter: ReadonlySet<string> | null = null;
function readsOfAccentAndLetter(): ReadonlySet<string> {
  if (accentAndLetter) return accentAndLetter;
  const bytes: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x41; trail <= 0x7a; trail++) if (trail <= 0x5a || trail >= 0x61) bytes.push(lead, trail);
  accentAndLetter = new Set(new TextDecoder('gb18030').decode(Uint8Array.from(bytes)));
  return accentAndLetter;
}

/** A private use character (GBK's user-defined codes, where two accented letters fall: "üß"), or an ideograph next to a Latin letter. */
const SUSPECT =
  /[\uE000-\uF8FF\u{F0000}-\u{10FFFF}]|(?<=[A-Za-z])[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3FFFF}]|[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3FFFF}](?=[A-Za-z])/gu;

/**
 * Where a GB18030 reading looks like a Windows-1252 (Latin-1) file read as GBK, or -1: a character of
 * the private use areas, or next to a Latin letter an ideograph that an accented letter and the ASCII
 * letter after it make ("Müller" reads "M黮ler", "appliquée" "appliqu閑", "École" "蒫ole"). Chinese
 * text, simplified or traditional ("臺積電TSMC"), has such a rare ideograph against a Latin letter
 * seldom; docs/csv.md says what this does not catch.
 */
export function doubtfulAt(text: string): number {
  SUSPECT.lastIndex = 0;
  for (let match = SUSPECT.exec(text); match; match = SUSPECT.exec(text)) {
    const char = match[0];
    const privateUse = /[\uE000-\uF8FF\u{F0000}-\u{10FFFF}]/u.test(char);
    if (privateUse || readsOfAccentAndLetter().has(char)) return match.index;
  }
  return -1;
}

/** What one reading of a whole file finds: how it fails, if it does, and its header line. */
interface Trial {
  failure: Failure | null;
  /** The first line with a cell, as decoded (at most 64 K characters). */
  header: string;
  /** Characters beyond ASCII decoded before the failure (counted up to a few). */
  nonAscii: number;
}

const HEADER_CHARS = 64 * 1024;
const BLANK_LINE = /^[\s,;]*$/;

/** Collects the first line with a cell in it, as a file's text passes. */
class HeaderLine {
  #text = '';
  line: string | null = null;

  add(text: string): void {
    if (this.line !== null) return;
    this.#text += text;
    for (;;) {
      const end = this.#text.search(/[\r\n]/);
      if (end === -1) {
        if (this.#text.length > HEADER_CHARS) this.line = this.#text.slice(0, HEADER_CHARS);
        return;
      }
      const line = this.#text.slice(0, end);
      this.#text = this.#text.slice(end + 1);
      if (!BLANK_LINE.test(line)) {
        this.line = line;
        this.#text = '';
        return;
      }
    }
  }

  end(): string {
    return this.line ?? this.#text;
  }
}

const NON_ASCII = /[\u0080-\u{10FFFF}]/gu;
const countNonAscii = (text: string, upTo: number): number => {
  let found = 0;
  NON_ASCII.lastIndex = 0;
  while (found < upTo && NON_ASCII.exec(text)) found++;
  return found;
};

/** Reads the whole file in `encoding` (a block at a time), to its end or its first failure. */
async function trial(path: string, encoding: ImportEncoding, highWaterMark: number): Promise<Trial> {
  const pieces = new Pieces(encoding, BOM_LENGTH[encoding]);
  const decoder = new TextDecoder(LABEL[encoding], { fatal: true, ignoreBOM: true });
  const header = new HeaderLine();
  let chars = 0;
  let nonAscii = 0;
  const decode = (piece: Buffer, final: boolean): Failure | null => {
    const offset = pieces.offset - piece.length;
    let text: string;
    try {
      text = decoder.decode(piece);
    } catch {
      const place = pinpoint(piece, encoding, final);
      nonAscii += countNonAscii(place.text, UTF8_CHARACTERS_BEFORE_DAMAGE);
      header.add(place.text);
      return { why: place.atEnd ? 'end' : 'bytes', at: chars + place.text.length, offset: offset + place.start };
    }
    if (encoding === 'gb18030') {
      const doubtful = doubtfulAt(text);
      if (doubtful !== -1) return { why: 'doubtful', at: chars + doubtful };
    }
    if (nonAscii < UTF8_CHARACTERS_BEFORE_DAMAGE) nonAscii += countNonAscii(text, UTF8_CHARACTERS_BEFORE_DAMAGE);
    header.add(text);
    chars += text.length;
    return null;
  };
  const stream = createReadStream(path, { highWaterMark, start: BOM_LENGTH[encoding] });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const piece = pieces.take(chunk);
      if (!piece) return { failure: { why: 'uncut', at: chars }, header: header.end(), nonAscii };
      const failure = decode(piece, false);
      if (failure) return { failure, header: header.end(), nonAscii };
    }
    return { failure: decode(pieces.rest(), true), header: header.end(), nonAscii };
  } finally {
    stream.destroy();
  }
}

/** Tabs when the header line has tabs and no comma (Excel's "Unicode text", "Text (Tab delimited)"); else commas. */
const delimiterOf = (header: string): ImportDelimiter => (header.includes('\t') && !header.includes(',') ? 'tab' : 'comma');

/** Whether this Node reads GB18030 (the official builds, with full ICU, do). */
const READS_GB18030 = (() => {
  try {
    new TextDecoder('gb18030');
    return true;
  } catch {
    return false;
  }
})();

/** The first bytes of a file: its byte-order mark, if any. */
async function firstBytes(path: string, count = 3): Promise<Buffer> {
  const stream = createReadStream(path, { start: 0, end: count - 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Finds how a file on disk is to be read, or refuses it (`EncodingRefused`, naming the line, column
 * and byte where each reading tried fails). A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE);
 * without one, a file that is UTF-8 throughout is UTF-8, and one that is not is read as GB18030 if it
 * is GB18030 throughout, unless it read as UTF-8 for a few characters beyond ASCII first (a damaged
 * UTF-8 file, refused at its bad byte) or reads as GB18030 like a Windows-1252 file does (`doubtfulAt`).
 * Each reading streams the file a block at a time: memory stays a block and a line whatever the size.
 */
export async function detectReading(path: string, highWaterMark = 64 * 1024): Promise<Reading> {
  const head = await firstBytes(path);
  const marked: ImportEncoding | null =
    head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
      ? 'utf-8-bom'
      : head[0] === 0xff && head[1] === 0xfe
        ? 'utf-16le'
        : head[0] === 0xfe && head[1] === 0xff
          ? 'utf-16be'
          : null;
  const readAs = async (encoding: ImportEncoding, tried: Trial): Promise<Reading> => {
    // A UTF-16 file without a mark reads as UTF-8 with a NUL in every other byte.
    if (tried.header.includes('\0'))
      throw new EncodingRefused(said('file_not_utf8', { utf16: true }), [detail({ line: 1 }, said('not_utf8'))]);
    return { encoding, delimiter: delimiterOf(tried.header) };
  };
  if (marked) {
    const tried = await trial(path, marked, highWaterMark);
    if (tried.failure)
      throw new EncodingRefused(said('file_not_as_marked', { encoding: ENCODING_NAME[marked] }), [
        await failureDetail(path, marked, tried, highWaterMark),
      ]);
    return readAs(marked, tried);
  }
  // UTF-16 without its mark: a NUL in every other byte of its ASCII (a header's names), which no
  // CSV in UTF-8 or GB18030 has. Said as UTF-16 at once, whatever its other characters read as.
  const start = await firstBytes(path, 64);
  if (start.includes(0x00))
    throw new EncodingRefused(said('file_not_utf8', { utf16: true }), [detail({ line: 1 }, said('not_utf8'))]);
  const utf8 = await trial(path, 'utf-8', highWaterMark);
  if (!utf8.failure) return readAs('utf-8', utf8);
  // Where the file stops being UTF-8 is found only for a refusal: it reads the file again to there.
  const asUtf8 = () => failureDetail(path, 'utf-8', utf8, highWaterMark);
  if (utf8.nonAscii >= UTF8_CHARACTERS_BEFORE_DAMAGE) throw new EncodingRefused(said('file_utf8_damaged'), [await asUtf8()]);
  // A Node built without full ICU reads no GB18030: such a file is refused as before, with the hint.
  if (!READS_GB18030) throw new EncodingRefused(said('file_not_utf8', { utf16: false }), [await asUtf8()]);
  const gb = await trial(path, 'gb18030', highWaterMark);
  if (!gb.failure) return readAs('gb18030', gb);
  if (gb.failure.why === 'uncut')
    throw new EncodingRefused(said('row_too_large', { kilobytes: MAX_ROW_BYTES / 1024, cells: MAX_ROW_CELLS }), [
      await failureDetail(path, 'gb18030', gb, highWaterMark),
    ]);
  throw new EncodingRefused(said('file_not_utf8', { utf16: false }), [
    await asUtf8(),
    await failureDetail(path, 'gb18030', gb, highWaterMark),
  ]);
}

/** Bytes at `offset` of the file, as a message shows them: a UTF-16 code unit and the next, or two bytes. */
async function bytesAt(path: string, encoding: ImportEncoding, offset: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(encoding === 'utf-16le' || encoding === 'utf-16be' ? 4 : 2);
    const { bytesRead } = await file.read(bytes, 0, bytes.length, offset);
    return [...bytes.subarray(0, bytesRead)].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  } finally {
    await file.close();
  }
}

/** A failed reading's place in the file, said: its line and column, and the bytes or the text there. */
async function failureDetail(
  path: string,
  encoding: ImportEncoding,
  tried: Trial,
  highWaterMark: number,
): Promise<ProblemDetail> {
  const failure = tried.failure!;
  const { excerpt, ...place } = await placeOf(path, encoding, delimiterOf(tried.header), failure.at, highWaterMark);
  switch (failure.why) {
    case 'bytes':
      return detail(
        place,
        said('bytes_not_encoding', {
          bytes: await bytesAt(path, encoding, failure.offset),
          offset: failure.offset,
          encoding: ENCODING_NAME[encoding],
        }),
      );
    case 'end':
      return detail(place, said('ends_inside_character'));
    case 'doubtful':
      return detail(place, said('gb18030_doubtful', { text: excerpt }));
    case 'uncut':
      return detail(place, said('row_too_long', { kilobytes: MAX_UNCUT_BYTES / 1024, inQuotes: false }));
  }
}

/** A header cell as a message shows it: at most 60 characters. */
const shown = (cell: string): string => (cell.length > 60 ? `${cell.slice(0, 59)}…` : cell);

/** Characters of a cell a message shows either side of a place in it. */
const EXCERPT = 10;

/**
 * The line (as a spreadsheet numbers it: a record, whose quoted cells may hold line breaks) and the
 * column (the header's cell above it) of the `at`-th character of the decoded file, with the text of
 * its cell around it. Reads the file again from its start, with the quoting rules of RFC 4180; only
 * when a file is refused.
 */
export async function placeOf(
  path: string,
  encoding: ImportEncoding,
  delimiter: ImportDelimiter,
  at: number,
  highWaterMark = 64 * 1024,
): Promise<{ line: number; column?: string; excerpt: string }> {
  const separator = delimiter === 'tab' ? '\t' : ',';
  const decoder = new TextDecoder(LABEL[encoding], { ignoreBOM: true });
  let line = 1;
  let quoted = false;
  let afterCr = false;
  let cells: string[] = [''];
  /** Which cell of its row the scan is in. */
  let index = 0;
  /** The current cell's last characters (all of them in the header). */
  let cell = '';
  let header: string[] | null = null;
  let headerLine = 0;
  let seen = 0;
  let found: { line: number; column?: string; excerpt: string } | null = null;
  const stream = createReadStream(path, { highWaterMark, start: BOM_LENGTH[encoding] });
  try {
    read: for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = decoder.decode(chunk, { stream: true });
      for (let i = 0; i < text.length; i++, seen++) {
        const char = text[i]!;
        if (found) {
          // The rest of the cell after the place, up to a few characters.
          if (char === '"' || char === separator || char === '\n' || char === '\r' || found.excerpt.length >= 2 * EXCERPT + 1)
            break read;
          found.excerpt += char;
          continue;
        }
        if (seen === at) {
          const column = header && line > headerLine ? header[index] : undefined;
          found = { line, ...(column ? { column: shown(column) } : {}), excerpt: cell.slice(-EXCERPT) };
          found.excerpt += char;
          continue;
        }
        const wasCr = afterCr;
        afterCr = false;
        if (char === '"') {
          quoted = !quoted;
        } else if (!quoted && char === separator) {
          if (!header && cells.length < 100) cells.push('');
          index++;
          cell = '';
        } else if (!quoted && (char === '\n' || char === '\r')) {
          cell = '';
          if (char === '\n' && wasCr) continue;
          afterCr = char === '\r';
          if (!header && cells.some((c) => c.trim() !== '')) {
            header = cells.map((c) => c.trim());
            headerLine = line;
          }
          line++;
          cells = [''];
          index = 0;
        } else {
          cell = (cell.length >= 4 * EXCERPT ? cell.slice(-EXCERPT) : cell) + char;
          if (!header && cells.at(-1)!.length < 200) cells[cells.length - 1] += char;
        }
      }
    }
  } finally {
    stream.destroy();
  }
  if (found) return found;
  const column = header && line > headerLine ? header[index] : undefined;
  return { line, ...(column ? { column: shown(column) } : {}), excerpt: cell.slice(-EXCERPT) };
}

/**
 * Passes a file on as UTF-8, read in the encoding found (`detectReading`): a UTF-8 file's bytes as
 * they are (a mark too: the parser takes it), any other decoded and encoded again. Decodes a piece
 * at a time (`Pieces`), fatally: a file changed since it was checked is refused, not misread.
 * Counts the bytes read, for progress.
 */
export class ToUtf8 extends Transform {
  bytes = 0;
  readonly #pieces: Pieces;
  readonly #decoder: TextDecoder;
  #skip: number;

  constructor(
    readonly encoding: ImportEncoding,
    readonly refused: () => Error,
  ) {
    super();
    const passed = encoding === 'utf-8' || encoding === 'utf-8-bom';
    this.#skip = passed ? 0 : BOM_LENGTH[encoding];
    this.#pieces = new Pieces(encoding, 0);
    this.#decoder = new TextDecoder(LABEL[encoding], { fatal: true, ignoreBOM: true });
  }

  #pass(piece: Buffer): boolean {
    let bytes = piece;
    if (this.#skip > 0) {
      const skipped = Math.min(this.#skip, bytes.length);
      bytes = bytes.subarray(skipped);
      this.#skip -= skipped;
    }
    let text: string;
    try {
      text = this.#decoder.decode(bytes);
    } catch {
      return false;
    }
    if (this.encoding === 'utf-8' || this.encoding === 'utf-8-bom') this.push(piece);
    else if (text.length > 0) this.push(Buffer.from(text, 'utf8'));
    return true;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    const piece = this.#pieces.take(chunk);
    if (!piece || !this.#pass(piece)) done(this.refused());
    else done();
  }

  override _flush(done: TransformCallback): void {
    done(this.#pass(this.#pieces.rest()) ? null : this.refused());
  }
}
