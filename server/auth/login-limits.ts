import { ipKeyGenerator } from 'express-rate-limit';
import { said, TooManyRequests, Unauthorized } from '../lib/problems.js';

export interface LoginLimits {
  windowMs: number;
  /** Failed sign-ins from one address within the window, whatever the account. */
  perAddress: number;
  /** Failed sign-ins on one account from one address within the window. */
  perAccount: number;
  /**
   * Failed sign-ins on one account from anywhere. Beyond it, an address that has failed on the
   * account even once is refused, while an address that has not may still try: the owner, elsewhere,
   * signs in with the right password; someone guessing from many addresses gets one guess per address.
   */
  perAccountAnywhere: number;
  /** Sign-ins from one address waiting their turn (an address's sign-ins are checked one at a time). */
  queuePerAddress: number;
  /** Counters kept at most; the least recently used go first, so memory is bounded whatever comes. */
  maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowMs: 15 * 60 * 1000,
  perAddress: 30,
  perAccount: 8,
  perAccountAnywhere: 100,
  queuePerAddress: 30,
  maxKeys: 100_000,
};

interface Count {
  failures: number;
  resetAt: number;
}

/** Failures per key in a fixed window from the first one, in a map that forgets its least recently used keys. */
class FailureCounts {
  readonly #counts = new Map<string, Count>();
  constructor(
    readonly windowMs: number,
    readonly maxKeys: number,
  ) {}

  get(key: string, now: number): Count | undefined {
    const count = this.#counts.get(key);
    if (!count) return undefined;
    this.#counts.delete(key);
    if (count.resetAt <= now) return undefined;
    this.#counts.set(key, count); // now the most recently used
    return count;
  }

  add(key: string, now: number): void {
    const count = this.get(key, now) ?? { failures: 0, resetAt: now + this.windowMs };
    count.failures++;
    this.#counts.set(key, count);
    while (this.#counts.size > this.maxKeys) this.#counts.delete(this.#counts.keys().next().value!);
  }

  clear(key: string): void {
    this.#counts.delete(key);
  }
}

const accountKey = (email: string): string => email.trim().toLowerCase().slice(0, 254);

/**
 * Sign-in limits that count completed failures only. Each attempt is checked before it runs
 * against the failures recorded so far, and a failure is recorded when the attempt has failed;
 * attempts refused by a limit, or cut short by anything but a wrong password, count for nothing.
 * One address's attempts run one at a time, so that a burst cannot slip more guesses past a
 * check than the limit allows; `queuePerAddress` bounds the wait.
 */
export class LoginLimiter {
  readonly #counts: FailureCounts;
  /** Per address, the tail of its chain of attempts and how many are on it. */
  readonly #lanes = new Map<string, { tail: Promise<void>; length: number }>();
  readonly limits: LoginLimits;

  /** Limits not given are the defaults. */
  constructor(limits: Partial<LoginLimits> = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    this.#counts = new FailureCounts(this.limits.windowMs, this.limits.maxKeys);
  }

  /**
   * Runs `attempt` for `email` from `address` if no limit refuses it (TooManyRequests otherwise).
   * An Unauthorized from the attempt is a failure and is counted; a success forgets the account's
   * failures from that address.
   */
  async attempt<T>(address: string | undefined, email: string, attempt: () => Promise<T>): Promise<T> {
    // IPv6 addresses count per /56, as one customer usually holds a whole prefix.
    const ip = `ip:${ipKeyGenerator(address ?? 'unknown')}`;
    const account = `account:${accountKey(email)}`;
    const accountHere = `${account}|${ip}`;
    const lane = this.#lanes.get(ip) ?? { tail: Promise.resolve(), length: 0 };
    if (lane.length > this.limits.queuePerAddress) throw new TooManyRequests(said('sign_ins_at_once'), 1);
    lane.length++;
    this.#lanes.set(ip, lane);
    const previous = lane.tail;
    let done!: () => void;
    lane.tail = new Promise((resolve) => {
      done = resolve;
    });
    try {
      await previous;
      this.#check(ip, account, accountHere);
      try {
        const result = await attempt();
        this.#counts.clear(accountHere);
        return result;
      } catch (error) {
        if (error instanceof Unauthorized) {
          const now = Date.now();
          for (const key of [ip, account, accountHere]) this.#counts.add(key, now);
        }
        throw error;
      }
    } finally {
      done();
      if (--lane.length === 0) this.#lanes.delete(ip);
    }
  }

  #check(ip: string, account: string, accountHere: string): void {
    const now = Date.now();
    const refuse = (count: Count, by: 'address' | 'account') =>
      new TooManyRequests(said('sign_ins_failed', { by }), (count.resetAt - now) / 1000);
    const fromAddress = this.#counts.get(ip, now);
    if (fromAddress && fromAddress.failures >= this.limits.perAddress) throw refuse(fromAddress, 'address');
    const here = this.#counts.get(accountHere, now);
    if (here && here.failures >= this.limits.perAccount) throw refuse(here, 'account');
    const anywhere = this.#counts.get(account, now);
    if (here && anywhere && anywhere.failures >= this.limits.perAccountAnywhere) throw refuse(anywhere, 'account');
  }
}
