import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../server/http/answer-cache.js';

describe('the cache of answers per data version', () => {
  const body = (text: string) => Buffer.from(text);

  it('when the version moves on, then answers of the older version are gone and are not stored again', () => {
    const cache = new AnswerCache();
    cache.set(7, 'W/"7-a"', body('a'));
    expect(cache.get(7, 'W/"7-a"')?.toString()).toBe('a');
    cache.set(8, 'W/"8-b"', body('b'));
    expect(cache.get(7, 'W/"7-a"')).toBeUndefined();
    expect(cache.size).toBe(1);
    // A slow request that began before the write must not put its old answer back.
    cache.set(7, 'W/"7-a"', body('a'));
    expect(cache.get(7, 'W/"7-a"')).toBeUndefined();
    expect(cache.get(8, 'W/"8-b"')?.toString()).toBe('b');
  });

  it('when more answers than it holds arrive, then the least recently used go first', () => {
    const cache = new AnswerCache();
    for (let i = 0; i < 2000; i++) cache.set(1, `k${i}`, body(String(i)));
    expect(cache.get(1, 'k0')?.toString()).toBe('0'); // k0 is now the most recently used
    cache.set(1, 'k2000', body('2000'));
    expect(cache.size).toBe(2000);
    expect(cache.get(1, 'k0')).toBeDefined();
    expect(cache.get(1, 'k1')).toBeUndefined();
  });

  it('when an answer is very large, then it is not kept', () => {
    const cache = new AnswerCache();
    cache.set(1, 'big', Buffer.alloc(5 * 1024 * 1024));
    expect(cache.get(1, 'big')).toBeUndefined();
  });
});
