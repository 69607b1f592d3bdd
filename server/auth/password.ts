import { availableParallelism } from 'node:os';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { loadPasswordHashLog2n, PASSWORD_HASH_LOG2N } from '../config.js';
import { ServiceUnavailable, said } from '../lib/problems.js';

/**
 * Passwords are hashed with scrypt at OWASP's recommended cost (N=2^17, r=8, p=1: 128 MiB
 * and a few hundred milliseconds per hash), stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`
 * so that a later change of cost can still verify old hashes. The cost of new hashes is the
 * setting PASSWORD_HASH_LOG2N (default 17; the tests lower it, which is why a hash carries its own).
 */
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../contract/limits.js';

export interface PasswordWorkLimits {
  /** Hashes computed at once: each holds 128 MiB and a thread of libuv's pool (4 by default). */
  concurrency: number;
  /** Hashes waiting for their turn; one more is refused with a 503 and Retry-After. */
  queue: number;
}

/**
 * Two hashes at once on a small machine, four at most: more would only share the same cores
 * (and libuv's four threads) while holding 128 MiB each. Thirty-two waiting is about eight
 * seconds of work at two at a time, the longest a right password waits under attack.
 */
export const DEFAULT_PASSWORD_WORK: PasswordWorkLimits = {
  concurrency: Math.min(4, Math.max(2, availableParallelism())),
  queue: 32,
};

/** Thrown when the password work's queue is full: a 503 whose Retry-After says when a turn is likely. */
export class PasswordWorkBusy extends ServiceUnavailable {
  constructor(retryAfterSeconds: number) {
    super(said('passwords_busy'), retryAfterSeconds);
  }
}

/**
 * The one gate every scrypt computation of the process goes through (sign-ins, the unknown-email
 * decoy, new and changed passwords): at most `concurrency` at once and `queue` waiting, first come
 * first served, so that memory stays bounded and a flood of sign-ins costs a known wait, not minutes.
 */
export class PasswordWork {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  #done = 0;
  /** A running mean of one hash's duration, for Retry-After. */
  #meanMs = 500;
  #log2n: number | undefined;

  /** `log2n`: the cost of the hashes this gate makes; PASSWORD_HASH_LOG2N's when not given, read on first use. */
  constructor(
    readonly limits: PasswordWorkLimits = DEFAULT_PASSWORD_WORK,
    log2n?: number,
  ) {
    if (log2n !== undefined && !validCost(log2n, R, P)) throw new RangeError(`scrypt log2 N must be ${COST_RANGE}`);
    this.#log2n = log2n;
  }

  /** scrypt's log2 N for new hashes made through this gate. */
  get log2n(): number {
    this.#log2n ??= loadPasswordHashLog2n();
    return this.#log2n;
  }

  get active(): number {
    return this.#active;
  }
  get waiting(): number {
    return this.#waiting.length;
  }
  /** Pieces of work finished (or failed) through this gate since it was made: what a sign-in cost, countably. */
  get done(): number {
    return this.#done;
  }

  /** Runs `work` when a place is free; throws PasswordWorkBusy at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limits.concurrency) {
      // Retry-After: when a place in the queue is likely free again (one hash done), not when it is empty.
      if (this.#waiting.length >= this.limits.queue)
        throw new PasswordWorkBusy(Math.max(1, Math.ceil(this.#meanMs / this.limits.concurrency / 1000)));
      // The place is handed over by the one that frees it, so #active never drops below the limit in between.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active++;
    }
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.#done++;
      this.#meanMs = 0.8 * this.#meanMs + 0.2 * (performance.now() - started);
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}

/** The process's gate, for callers that are not handed one (the command line, demo accounts). */
export const processPasswordWork = new PasswordWork();

function derive(password: string, salt: Buffer, log2n: number, r: number, p: number, work: PasswordWork): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** log2n, r, p, maxmem: 256 * 2 ** log2n * r + 2 ** 20 };
  return work.run(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

const COST_RANGE = `a whole number from ${PASSWORD_HASH_LOG2N.min} to ${PASSWORD_HASH_LOG2N.max}`;

/** The costs a stored hash may carry: what verification is willing to spend on one. */
function validCost(log2n: number, r: number, p: number): boolean {
  return (
    [log2n, r, p].every(Number.isInteger) &&
    log2n >= PASSWORD_HASH_LOG2N.min &&
    log2n <= PASSWORD_HASH_LOG2N.max &&
    r >= 1 &&
    r <= 32 &&
    p >= 1 &&
    p <= 16
  );
}

/** A new hash of `password` at the gate's cost (PASSWORD_HASH_LOG2N for the process's gate). */
export async function hashPassword(password: string, work: PasswordWork = processPasswordWork): Promise<string> {
  const salt = randomBytes(16);
  const log2n = work.log2n;
  const key = await derive(password, salt, log2n, R, P, work);
  return ['scrypt', log2n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; a malformed hash simply does not match. */
export async function verifyPassword(
  password: string,
  stored: string,
  work: PasswordWork = processPasswordWork,
): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!validCost(log2n, r, p)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, salt, log2n, r, p, work);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password, computed once: verifying against it costs what a real check
 * costs, so an unknown email takes as long to refuse as a wrong password.
 */
export function dummyHash(): Promise<string> {
  // A failed first computation (a full queue) is not kept: the next caller tries again.
  dummy ??= hashPassword(randomBytes(24).toString('base64url')).catch((error: unknown) => {
    dummy = undefined;
    throw error;
  });
  return dummy;
}

/** A password to hand out once: 20 characters from an alphabet without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}
