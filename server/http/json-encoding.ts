import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import Negotiator from 'negotiator';

/**
 * How a JSON answer travels: brotli or gzip when the client accepts it and the answer is worth it,
 * as it is. The scripts are compressed at build time; the JSON is compressed once per answer and
 * encoding, and the answers kept in memory keep their compressed forms beside the plain one.
 */
export type Coding = 'br' | 'gzip' | 'identity';

/** Below this many bytes an answer goes as it is: the headers would weigh more than the saving. */
export const COMPRESS_FROM_BYTES = 1024;

const OFFERED: Coding[] = ['br', 'gzip', 'identity'];

/** The coding for a request's Accept-Encoding, the server's order breaking ties (brotli first). */
export function codingFor(acceptEncoding: string | string[] | undefined, bytes: number): Coding {
  if (bytes < COMPRESS_FROM_BYTES || acceptEncoding === undefined) return 'identity';
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(', ') : acceptEncoding;
  // negotiator ≥ 1 takes the server's preference for ties; its type declarations predate the option.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as unknown as {
    encoding(available: Coding[], options: { preferred: Coding[] }): string | undefined;
  };
  const chosen = negotiator.encoding(OFFERED, { preferred: OFFERED });
  // `identity;q=0` with nothing else acceptable: the answer still goes, as it is (RFC 9110 §12.5.3).
  return (chosen as Coding | undefined) ?? 'identity';
}

/**
 * `body` in `coding`. Brotli at quality 5: within a few per cent of its best size for JSON, and
 * tens of times faster than its default of 11, which is meant for files compressed once at build.
 */
export function encodeBody(body: Buffer, coding: Exclude<Coding, 'identity'>): Buffer {
  if (coding === 'gzip') return gzipSync(body, { level: 6 });
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}
