import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import type { ImportEncoding } from '../../contract/schemas/records.js';

/** A CSV file's text in the bytes of `encoding`, as Excel and other tools save one (a mark where the encoding has one). */
export function encodeText(text: string, encoding: ImportEncoding): Buffer {
  const body = text.replace(/^\uFEFF/, '');
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(body, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\uFEFF${body}`, 'utf8');
    // Node encodes no GB18030: iconv-lite, for the tests' files only.
    case 'gb18030':
      return iconv.encode(body, 'gb18030');
    case 'utf-16le':
      return Buffer.from(`\uFEFF${body}`, 'utf16le');
    case 'utf-16be':
      return Buffer.from(`\uFEFF${body}`, 'utf16le').swap16();
  }
}

/** A CSV's cells again, separated by tabs, as Excel's "Unicode text" saves them (quoted where they hold a tab, a quote or a line break). */
export function withTabs(csv: string): string {
  const rows = parse(csv, { bom: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
  return stringify(rows, { delimiter: '\t', record_delimiter: 'windows', quoted_match: /[\r\n\t"]/ });
}

/** Whether `text` comes back unchanged through GB18030 as iconv-lite (GB18030-2005) writes it and Node (ICU) reads it. */
export function gb18030RoundTrips(text: string): boolean {
  return new TextDecoder('gb18030').decode(iconv.encode(text, 'gb18030')) === text;
}

/** Bytes cut into chunks of `size`. */
export function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}
