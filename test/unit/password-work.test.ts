import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashPassword, PasswordWork, PasswordWorkBusy, processPasswordWork, verifyPassword } from '../../server/auth/password.js';
import { ConfigError, loadConfig, loadPasswordHashLog2n, PASSWORD_HASH_LOG2N } from '../../server/config.js';

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

describe('the cost of a password hash', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  /** The cost a stored hash says it was made at: `scrypt$<log2 N>$<r>$<p>$…`. */
  const costOf = (stored: string) => stored.split('$').slice(1, 4).map(Number);

  it('when PASSWORD_HASH_LOG2N is unset, then new hashes are made at the production cost, N=2^17, r=8, p=1', async () => {
    expect(PASSWORD_HASH_LOG2N.default).toBe(17);
    expect(loadConfig({}).passwordHashLog2n).toBe(17);
    expect(loadPasswordHashLog2n({})).toBe(17);
    // A gate made while the variable is unset (empty counts as unset) reads it on first use.
    vi.stubEnv('PASSWORD_HASH_LOG2N', '');
    const production = new PasswordWork({ concurrency: 1, queue: 0 });
    expect(production.log2n).toBe(17);
    const stored = await hashPassword('a production password', production);
    expect(costOf(stored)).toEqual([17, 8, 1]);
    expect(await verifyPassword('a production password', stored, production)).toBe(true);
  });

  it('when the test suite runs, then the process hashes at its low cost', () => {
    // vitest.config.ts sets it for every project (and the helpers pass it to child servers).
    expect(processPasswordWork.log2n).toBe(Number(process.env.PASSWORD_HASH_LOG2N));
    expect(processPasswordWork.log2n).toBeLessThan(PASSWORD_HASH_LOG2N.default);
  });

  it('when a hash was made at one cost, then it verifies whatever the current cost, since it carries its own', async () => {
    const cheap = new PasswordWork({ concurrency: 1, queue: 4 }, PASSWORD_HASH_LOG2N.min);
    const dear = new PasswordWork({ concurrency: 1, queue: 4 }, 14);
    const fromCheap = await hashPassword('the same password', cheap);
    const fromDear = await hashPassword('the same password', dear);
    expect(costOf(fromCheap)).toEqual([PASSWORD_HASH_LOG2N.min, 8, 1]);
    expect(costOf(fromDear)).toEqual([14, 8, 1]);
    expect(await verifyPassword('the same password', fromCheap, dear)).toBe(true);
    expect(await verifyPassword('the same password', fromDear, cheap)).toBe(true);
    expect(await verifyPassword('another password', fromDear, cheap)).toBe(false);
    expect(await verifyPassword('another password', fromCheap, dear)).toBe(false);
  });

  it('when a stored hash claims a cost out of bounds, then it does not match, and no gate is made at such a cost', async () => {
    const work = new PasswordWork({ concurrency: 1, queue: 4 }, PASSWORD_HASH_LOG2N.min);
    const stored = await hashPassword('a password', work);
    const before = work.done;
    for (const log2n of [PASSWORD_HASH_LOG2N.min - 1, PASSWORD_HASH_LOG2N.max + 1, 30]) {
      const forged = ['scrypt', log2n, ...stored.split('$').slice(2)].join('$');
      expect(await verifyPassword('a password', forged, work)).toBe(false);
    }
    expect(work.done).toBe(before); // refused before any hashing
    expect(() => new PasswordWork(undefined, PASSWORD_HASH_LOG2N.max + 1)).toThrow(RangeError);
  });

  it('when PASSWORD_HASH_LOG2N is not a cost, then reading it is refused with a message naming it', () => {
    expect(loadPasswordHashLog2n({ PASSWORD_HASH_LOG2N: '12' })).toBe(12);
    expect(() => loadPasswordHashLog2n({ PASSWORD_HASH_LOG2N: '64' })).toThrow(ConfigError);
    expect(() => loadPasswordHashLog2n({ PASSWORD_HASH_LOG2N: 'low' })).toThrow(
      /^invalid configuration: PASSWORD_HASH_LOG2N .*"low"/,
    );
  });
});
