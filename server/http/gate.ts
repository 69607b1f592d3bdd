import type { BusyWork } from '../../contract/problems.js';
import { ServiceUnavailable, said } from '../lib/problems.js';

/**
 * A budget of the process for one kind of heavy work (uploads being received, imports running,
 * downloads being prepared and sent): so many run at once, so many more wait their turn, and the
 * rest are told at once to come back (503 with Retry-After). With each one's memory (or disk)
 * bounded by design, the whole process's is bounded by the slots.
 */
export class Gate {
  #running = 0;
  readonly #waiting: Array<{ admit: () => void; timer: NodeJS.Timeout }> = [];

  constructor(
    /** What the gate admits, for the message (named in both languages there). */
    readonly what: BusyWork,
    readonly slots: number,
    readonly queue: number,
    /** How long a waiting request waits at most before it is told to come back. */
    readonly waitMs = 120_000,
    readonly retryAfterSeconds = 30,
  ) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Resolves when the caller may go on, with the function that gives its place back (call it once).
   * A caller that goes away while it waits (`signal`) leaves the line, and is rejected with the signal's reason.
   */
  async enter(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#running < this.slots) {
      this.#running++;
      return this.#release();
    }
    if (this.#waiting.length >= this.queue) throw this.#busy();
    await new Promise<void>((resolve, reject) => {
      const leave = (reason: unknown) => {
        clearTimeout(entry.timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.#waiting.indexOf(entry);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(reason);
      };
      const onAbort = () => leave(signal?.reason);
      const entry = {
        admit: () => {
          clearTimeout(entry.timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        timer: setTimeout(() => leave(this.#busy()), this.waitMs),
      };
      this.#waiting.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.#release();
  }

  #release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The place passes straight to the next in line, so `running` never dips below what runs.
      if (next) next.admit();
      else this.#running--;
    };
  }

  #busy(): ServiceUnavailable {
    return new ServiceUnavailable(
      said('too_busy', { what: this.what, running: this.#running, waiting: this.#waiting.length }),
      this.retryAfterSeconds,
    );
  }
}

/**
 * How much of one kind of work each account has under way, at most `limit` at once: `take` counts
 * one more for the account, or throws what `refuse` makes of its count when it has its limit. The
 * function it returns gives the place back (once, however often it is called).
 */
export class PerAccount<K = string | number> {
  readonly #counts = new Map<K, number>();

  constructor(readonly limit: number) {}

  take(account: K, refuse: (count: number) => Error): () => void {
    const count = this.#counts.get(account) ?? 0;
    if (count >= this.limit) throw refuse(count);
    this.#counts.set(account, count + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.#counts.get(account) ?? 1) - 1;
      if (left > 0) this.#counts.set(account, left);
      else this.#counts.delete(account);
    };
  }
}
