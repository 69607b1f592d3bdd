import { english, type Said, said } from '../../contract/problems.js';
import { Transform, type TransformCallback } from 'node:stream';

/** The 422 lists this many problems at most, with the total. */
export const MAX_REPORTED_ERRORS = 1000;

/** No row of any kind comes near this (a text cell holds 200 characters): a longer one is not a row. */
export const MAX_ROW_BYTES = 64 * 1024;
/** The widest kind has a score of columns: a row with more cells than this is not a row of ours. */
export const MAX_ROW_CELLS = 100;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Where the scan stands in a row: at a cell's start, in an unquoted cell, in a quoted one, or just after a quote in one. */
const At = { CellStart: 0, Unquoted: 1, Quoted: 2, AfterQuote: 3 } as const;
type At = (typeof At)[keyof typeof At];

/**
 * A row too long or too wide: the line (as a spreadsheet numbers it, the header being 1) where it
 * starts, and the cell (1 for the first) being read when it went out of bounds.
 */
export class RowOutOfBounds extends Error {
  constructor(
    readonly line: number,
    readonly problem: Said,
    readonly cell: number,
  ) {
    super(english(problem));
  }
}

/**
 * Bounds what the CSV parser may hold at once, before it holds it. The parser keeps a whole row
 * (its cells, its open cell) in memory until the row ends: a 40 MB row of commas is 40 million
 * cells, a quoted cell never closed is the rest of the file. This scan reads the bytes as they pass,
 * with the quoting rules of RFC 4180 as the parser applies them, and fails at the first row longer
 * than 64 KB or wider than 100 cells, naming the line it starts on and the cell it was in: memory stays a block of the file
 * whatever the file. It passes every byte on unchanged; the parser does the reading.
 *
 * Line ends are CRLF, LF or CR, as the parser is told to take them; the bytes are UTF-8 (imports
 * of other encodings pass through `ToUtf8` first). A `"` that does not open a cell
 * is passed over: the parser refuses it, with its own message.
 */
export class RecordBounds extends Transform {
  #at: At = At.CellStart;
  #line = 1;
  #bytes = 0;
  #cells = 1;
  #afterCr = false;
  #first = true;

  /** The byte that separates cells: a comma, or a tab (`0x09`) in a tab-separated file. */
  constructor(readonly delimiter: number = 0x2c) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let i = 0;
    if (this.#first) {
      this.#first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    for (; i < chunk.length; i++) {
      const byte = chunk[i]!;
      const afterCr = this.#afterCr;
      this.#afterCr = false;
      if (this.#at === At.Quoted) {
        if (byte === QUOTE) this.#at = At.AfterQuote;
      } else if (byte === QUOTE && this.#at === At.CellStart) {
        this.#at = At.Quoted;
      } else if (byte === QUOTE && this.#at === At.AfterQuote) {
        this.#at = At.Quoted; // a doubled quote inside a quoted cell
      } else if (byte === this.delimiter) {
        this.#at = At.CellStart;
        if (++this.#cells > MAX_ROW_CELLS) {
          done(new RowOutOfBounds(this.#line, said('row_too_many_cells', { cells: MAX_ROW_CELLS }), this.#cells));
          return;
        }
      } else if (byte === LF || byte === CR) {
        if (byte === LF && afterCr) continue; // the second half of a CRLF
        this.#afterCr = byte === CR;
        this.#line++;
        this.#bytes = 0;
        this.#cells = 1;
        this.#at = At.CellStart;
        continue;
      } else {
        this.#at = At.Unquoted;
      }
      if (++this.#bytes > MAX_ROW_BYTES) {
        const inQuotes = this.#at === At.Quoted;
        // A separator that crosses the bound ends the cell before it: that cell is the long one.
        const cell = byte === this.delimiter && this.#at === At.CellStart ? this.#cells - 1 : this.#cells;
        done(new RowOutOfBounds(this.#line, said('row_too_long', { kilobytes: MAX_ROW_BYTES / 1024, inQuotes }), cell));
        return;
      }
    }
    done(null, chunk);
  }
}
