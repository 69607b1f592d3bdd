/**
 * How slowly bytes may move over a connection (an upload arriving, a download being taken) before
 * the transfer is cut: one that trickles holds a place the process has few of.
 */
export interface Pace {
  /** Nothing moved for this long: the transfer has stalled. */
  idleMs: number;
  /** After this long, the bytes moved must average at least `minBytesPerSecond`. */
  graceMs: number;
  minBytesPerSecond: number;
}

export type PaceFault = 'stalled' | 'too slow';

export interface PaceWatch {
  /** Counts bytes that moved. */
  moved(bytes: number): void;
  /** The bytes counted so far. */
  readonly bytes: number;
  /** Stops watching; `fault` is not called after it. */
  stop(): void;
}

/**
 * Watches a transfer's pace on a clock, and calls `fault` once (then stops) when it stalls or
 * falls below the floor. On a clock, not per chunk: the chunks of a slow peer come as seldom as
 * TCP opens its window, and a stalled one brings none at all.
 */
export function watchPace(pace: Pace, fault: (why: PaceFault) => void): PaceWatch {
  const start = Date.now();
  let last = start;
  let bytes = 0;
  const timer = setInterval(
    () => {
      const now = Date.now();
      const why: PaceFault | null =
        now - last > pace.idleMs
          ? 'stalled'
          : now - start > pace.graceMs && bytes < (pace.minBytesPerSecond * (now - start)) / 1000
            ? 'too slow'
            : null;
      if (!why) return;
      clearInterval(timer);
      fault(why);
    },
    Math.min(1000, pace.graceMs, pace.idleMs / 2),
  );
  timer.unref();
  return {
    moved(count: number) {
      bytes += count;
      last = Date.now();
    },
    get bytes() {
      return bytes;
    },
    stop: () => clearInterval(timer),
  };
}
