import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type PaceFault, watchPace } from '../../server/http/pace.js';

const PACE = { idleMs: 2000, graceMs: 3000, minBytesPerSecond: 1000 };

describe('the pace of a transfer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Moves `bytes` every `everyMs` for `forMs`; the fault seen, if any, and when. */
  function run(bytes: number, everyMs: number, forMs: number): { why: PaceFault | null; at: number } {
    const seen: { why: PaceFault | null; at: number } = { why: null, at: -1 };
    const watch = watchPace(PACE, (why) => {
      if (seen.why) throw new Error('a second fault');
      seen.why = why;
      seen.at = Date.now() - start;
    });
    const start = Date.now();
    for (let t = 0; t < forMs; t += everyMs) {
      if (bytes > 0) watch.moved(bytes);
      vi.advanceTimersByTime(everyMs);
    }
    watch.stop();
    return seen;
  }

  it('lets a transfer at or above the floor run', () => {
    expect(run(1000, 1000, 20_000).why).toBeNull();
  });

  it('calls a transfer that moves nothing stalled once the idle time has passed, and only once', () => {
    const { why, at } = run(0, 100, 10_000);
    expect(why).toBe('stalled');
    expect(at).toBeGreaterThan(PACE.idleMs);
    expect(at).toBeLessThanOrEqual(PACE.idleMs + 1000);
  });

  it('calls a transfer that never stalls but averages under the floor too slow, once its grace is over', () => {
    const { why, at } = run(400, 500, 10_000); // 800 bytes a second
    expect(why).toBe('too slow');
    expect(at).toBeGreaterThan(PACE.graceMs);
    expect(at).toBeLessThanOrEqual(PACE.graceMs + 1000);
  });

  it('says nothing once stopped', () => {
    const fault = vi.fn();
    watchPace(PACE, fault).stop();
    vi.advanceTimersByTime(60_000);
    expect(fault).not.toHaveBeenCalled();
  });
});
