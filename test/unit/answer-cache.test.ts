import { describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type Answer, AnswerCache, answerHeaders } from '../../server/http/answer-cache.js';
import { COMPRESS_FROM_BYTES, codingFor } from '../../server/http/json-encoding.js';

const answer = (version: number, text: string | Buffer): Answer => {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    version,
    day: '2026-12-01',
    etag: `W/"${version}-x"`,
    body,
    ...answerHeaders({ 'content-type': 'application/json; charset=utf-8', etag: `W/"${version}-x"` }, body.length),
  };
};

describe('the cache of answers per data version', () => {
  it('when the version moves on, then answers of the older version are gone and are not stored again', () => {
    const cache = new AnswerCache();
    cache.set('a', answer(7, 'a'));
    expect(cache.get('a', 7)?.body.toString()).toBe('a');
    cache.set('b', answer(8, 'b'));
    expect(cache.get('a', 7)).toBeUndefined();
    expect(cache.get('a', 8)).toBeUndefined();
    expect(cache.size).toBe(1);
    // A slow request that began before the write must not put its old answer back.
    cache.set('a', answer(7, 'a'));
    expect(cache.get('a', 7)).toBeUndefined();
    expect(cache.get('b', 8)?.body.toString()).toBe('b');
    // Asked for another version than the one stored: nothing.
    expect(cache.get('b', 9)).toBeUndefined();
  });

  it('when more answers than it holds arrive, then the least recently used go first', () => {
    const cache = new AnswerCache();
    for (let i = 0; i < 2000; i++) cache.set(`k${i}`, answer(1, String(i)));
    expect(cache.get('k0', 1)?.body.toString()).toBe('0'); // k0 is now the most recently used
    cache.set('k2000', answer(1, '2000'));
    expect(cache.size).toBe(2000);
    expect(cache.get('k0', 1)).toBeDefined();
    expect(cache.get('k1', 1)).toBeUndefined();
  });

  it('when an answer is very large, then it is not kept', () => {
    const cache = new AnswerCache();
    cache.set('big', answer(1, Buffer.alloc(5 * 1024 * 1024)));
    expect(cache.get('big', 1)).toBeUndefined();
  });

  it("when an answer's headers are kept, then the request's own are not, and a 304 has no content type", () => {
    const kept = answerHeaders(
      {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': '12',
        'X-Request-Id': 'abc',
        'Set-Cookie': ['a=b'],
        ETag: 'W/"1-x"',
        'Cache-Control': 'private, no-cache',
      },
      12,
    );
    // In the order and the case they were set; the body's own length last.
    expect(kept.headers).toEqual([
      'Content-Type',
      'application/json; charset=utf-8',
      'ETag',
      'W/"1-x"',
      'Cache-Control',
      'private, no-cache',
      'Content-Length',
      12,
    ]);
    expect(kept.notModifiedHeaders).toEqual(['ETag', 'W/"1-x"', 'Cache-Control', 'private, no-cache']);
  });

  it('when a compressed form is asked for, then it is made once, decodes to the body, and says so in its headers', () => {
    const cache = new AnswerCache();
    const body = JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ university: 'USST', value: i })) });
    const stored = answer(3, body);
    cache.set('k', stored);
    const br = cache.form('k', stored, 'br');
    expect(brotliDecompressSync(br.body).toString()).toBe(body);
    expect(cache.form('k', stored, 'br').body).toBe(br.body); // the same buffer: made once
    const gzip = cache.form('k', stored, 'gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(body);
    const header = (list: Array<unknown>, name: string) => list[list.findIndex((v) => String(v).toLowerCase() === name) + 1];
    expect(header(br.headers, 'content-encoding')).toBe('br');
    expect(header(br.headers, 'content-length')).toBe(br.body.length);
    expect(br.headers.filter((v) => String(v).toLowerCase() === 'content-length')).toHaveLength(1);
    expect(header(gzip.headers, 'content-type')).toBe('application/json; charset=utf-8');
    expect(cache.form('k', stored, 'identity')).toEqual({ body: stored.body, headers: stored.headers });
  });
});

describe('the coding of a JSON answer', () => {
  const big = COMPRESS_FROM_BYTES;
  it.each([
    ['gzip, deflate, br, zstd', big, 'br'],
    ['gzip, deflate', big, 'gzip'],
    ['br;q=0.2, gzip;q=0.8', big, 'gzip'],
    ['*', big, 'br'],
    ['identity', big, 'identity'],
    ['deflate', big, 'identity'],
    ['br;q=0, gzip;q=0, identity;q=0', big, 'identity'],
    ['', big, 'identity'],
    [undefined, big, 'identity'],
    ['gzip, br', big - 1, 'identity'],
  ])('when Accept-Encoding is %j for %i bytes, then it goes as %s', (header, bytes, coding) => {
    expect(codingFor(header, bytes)).toBe(coding);
  });
});
