import { describe, expect, it } from 'vitest';
import { type Answer, AnswerCache, answerHeaders } from '../../server/http/answer-cache.js';

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
});
