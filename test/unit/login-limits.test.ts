import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../server/auth/login-limits.js';
import { said, TooManyRequests, Unauthorized } from '../../server/lib/problems.js';

const wrong = async (): Promise<never> => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  throw new Unauthorized(said('wrong_credentials'));
};
const right = async (): Promise<string> => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return 'signed in';
};
/** What each attempt ended as: its result, or the status of the problem it threw. */
const outcome = (attempt: Promise<unknown>) =>
  attempt.then(
    (value) => value,
    (error: unknown) => (error instanceof TooManyRequests ? 429 : error instanceof Unauthorized ? 401 : error),
  );

describe('LoginLimiter', () => {
  it('when 40 wrong passwords for one account arrive at once from one address, then exactly the limit is tried and the rest refused', async () => {
    const limiter = new LoginLimiter({ perAccount: 8, queuePerAddress: 50 });
    let tried = 0;
    const attempts = Array.from({ length: 40 }, () =>
      outcome(
        limiter.attempt('203.0.113.7', 'a@x.example', () => {
          tried++;
          return wrong();
        }),
      ),
    );
    const outcomes = await Promise.all(attempts);
    expect(tried).toBe(8);
    expect(outcomes.filter((o) => o === 401)).toHaveLength(8);
    expect(outcomes.filter((o) => o === 429)).toHaveLength(32);
  });

  it('when attempts are refused by a limit, then they are not failures: the address still signs in other accounts', async () => {
    const limiter = new LoginLimiter({ perAddress: 10, perAccount: 3 });
    await Promise.all(Array.from({ length: 40 }, () => outcome(limiter.attempt('203.0.113.7', 'a@x.example', wrong))));
    // Three failures from this address, not forty: a colleague behind the same address is not locked out.
    expect(await outcome(limiter.attempt('203.0.113.7', 'b@x.example', right))).toBe('signed in');
    expect(await outcome(limiter.attempt('203.0.113.7', 'a@x.example', right))).toBe(429);
  });

  it('when attempts are in flight, then they do not count until they have failed', async () => {
    const limiter = new LoginLimiter({ perAddress: 2, perAccount: 2 });
    // Two right passwords at once, then two more: none is a failure, so none is refused.
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => outcome(limiter.attempt('198.51.100.1', 'a@x.example', right))),
    );
    expect(outcomes).toEqual(['signed in', 'signed in', 'signed in', 'signed in']);
  });

  it('when too many wait at once from one address, then the excess is refused at once and not counted', async () => {
    const limiter = new LoginLimiter({ perAccount: 100, perAddress: 100, queuePerAddress: 3 });
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => outcome(limiter.attempt('198.51.100.2', 'a@x.example', wrong))),
    );
    expect(outcomes.filter((o) => o === 401)).toHaveLength(4); // one running and three waiting
    expect(outcomes.filter((o) => o === 429)).toHaveLength(2);
  });

  it('when the account-wide limit is reached, then an address that failed is refused and a fresh one gets one try', async () => {
    const limiter = new LoginLimiter({ perAccount: 5, perAccountAnywhere: 3 });
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
      expect(await outcome(limiter.attempt(address, 'a@x.example', wrong))).toBe(401);
    expect(await outcome(limiter.attempt('192.0.2.1', 'a@x.example', right))).toBe(429);
    expect(await outcome(limiter.attempt('192.0.2.9', 'a@x.example', wrong))).toBe(401);
    expect(await outcome(limiter.attempt('192.0.2.9', 'a@x.example', wrong))).toBe(429);
    // The owner, from an address that has not failed, signs in.
    expect(await outcome(limiter.attempt('198.51.100.20', 'a@x.example', right))).toBe('signed in');
  });

  it('when an attempt fails for another reason than the password, then it is not counted', async () => {
    const limiter = new LoginLimiter({ perAccount: 1 });
    const broken = () => Promise.reject(new Error('database away'));
    await expect(limiter.attempt('192.0.2.5', 'a@x.example', broken)).rejects.toThrow('database away');
    expect(await outcome(limiter.attempt('192.0.2.5', 'a@x.example', right))).toBe('signed in');
  });

  it('when the window has passed, then the failures are forgotten; Retry-After says when', async () => {
    const limiter = new LoginLimiter({ windowMs: 300, perAccount: 1 });
    expect(await outcome(limiter.attempt('192.0.2.6', 'a@x.example', wrong))).toBe(401);
    const refused = await limiter.attempt('192.0.2.6', 'a@x.example', right).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).headers['Retry-After']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 320));
    expect(await outcome(limiter.attempt('192.0.2.6', 'a@x.example', right))).toBe('signed in');
  });

  it('when more keys arrive than it keeps, then the oldest are forgotten and memory stays bounded', async () => {
    const limiter = new LoginLimiter({ perAccount: 1, perAddress: 1, maxKeys: 30 });
    expect(await outcome(limiter.attempt('192.0.2.7', 'a@x.example', wrong))).toBe(401);
    // Ten more addresses, three keys each: the first address's counters are pushed out.
    for (let i = 0; i < 10; i++) await outcome(limiter.attempt(`198.51.100.${100 + i}`, `u${i}@x.example`, wrong));
    expect(await outcome(limiter.attempt('192.0.2.7', 'a@x.example', right))).toBe('signed in');
  });
});
