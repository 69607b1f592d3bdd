import { describe, expect, it } from 'vitest';
import { PasswordWork, PasswordWorkBusy } from '../../server/auth/password.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PasswordWork', () => {
  it('when many hashes are asked at once, then at most `concurrency` run, first come first served, and the excess beyond the queue is refused', async () => {
    const work = new PasswordWork({ concurrency: 2, queue: 3 });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await pause(20);
      running--;
      order.push(i);
      return i;
    };
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => work.run(job(i)).catch((error: unknown) => error)));
    expect(most).toBe(2);
    expect(outcomes.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    for (const refused of outcomes.slice(5)) {
      expect(refused).toBeInstanceOf(PasswordWorkBusy);
      expect((refused as PasswordWorkBusy).status).toBe(503);
      expect(Number((refused as PasswordWorkBusy).headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    }
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect([work.active, work.waiting]).toEqual([0, 0]);
  });

  it('when a hash fails, then its place is freed for the next', async () => {
    const work = new PasswordWork({ concurrency: 1, queue: 1 });
    const failing = work.run(() => Promise.reject(new Error('out of memory')));
    const next = work.run(async () => 'next');
    await expect(failing).rejects.toThrow('out of memory');
    await expect(next).resolves.toBe('next');
    expect([work.active, work.waiting]).toEqual([0, 0]);
  });
});
