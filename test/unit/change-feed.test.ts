import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChangeFeed, type ChangeSource, type ChangeSubscription } from '../../server/db/change-feed.js';

/**
 * A source that behaves like LISTEN connections to one database: notifications are delivered in
 * the order they were committed, to every live connection, when `deliver()` is called (the
 * network); a connection can be cut, and its late events can still fire.
 */
class FakeConnection {
  live = true;
  constructor(
    readonly source: FakeSource,
    readonly notice: (payload: string, fromSelf: boolean) => void,
    readonly lost: (error: unknown) => void,
  ) {}
}

class FakeSource implements ChangeSource {
  readonly remote = true;
  committed = 10;
  /** In commit order: a payload and the connection whose session sent it (none: another session). */
  queue: Array<{ payload: string; from?: FakeConnection }> = [];
  connections: FakeConnection[] = [];
  /** Every call of listen(), those refused included. */
  attempts = 0;
  failNextListen = false;
  /** While set, a version read waits for it. */
  readGate: Promise<void> | undefined;
  swallowNotify = false;

  get listens(): number {
    return this.connections.length;
  }
  get current(): FakeConnection | undefined {
    return this.connections.filter((c) => c.live).at(-1);
  }

  async listen(
    notice: (payload: string, fromSelf: boolean) => void,
    lost: (error: unknown) => void,
  ): Promise<ChangeSubscription> {
    this.attempts++;
    if (this.failNextListen) {
      this.failNextListen = false;
      throw new Error('connection refused');
    }
    const connection = new FakeConnection(this, notice, lost);
    this.connections.push(connection);
    return {
      readVersion: async () => {
        await this.readGate;
        if (!connection.live) throw new Error('connection reset');
        return this.committed;
      },
      notify: async (payload) => {
        if (!connection.live) throw new Error('not connected');
        if (!this.swallowNotify) this.queue.push({ payload, from: connection });
      },
      stop: async () => {
        connection.live = false;
      },
    };
  }
  /** Another process commits a write. */
  commit(): void {
    this.committed++;
    this.queue.push({ payload: `data ${this.committed}` });
  }
  deliver(): void {
    const due = this.queue;
    this.queue = [];
    for (const connection of this.connections.filter((c) => c.live))
      for (const { payload, from } of due) connection.notice(payload, from === connection);
  }
  /** The current connection drops; its own lost() fires. */
  cut(): FakeConnection {
    const connection = this.current!;
    connection.live = false;
    this.queue = [];
    connection.lost(new Error('connection reset'));
    return connection;
  }
}

/**
 * Time is the test's: the feed's retries (250 ms, then doubling) and heartbeats run on fake timers,
 * moved on by `wait`, so that every run sees the same order of events and none waits for real.
 */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
/** Moves the clock by `ms`, running the timers due and the promise reactions they start. */
const wait = async (ms: number): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms);
};
/** A turn: the promise reactions waiting now run (a version read, a listen) without the clock moving. */
const tick = () => wait(0);
/** Delivers until nothing is left: each announcement makes the feed read the version, which takes a turn. */
async function deliverAll(source: FakeSource): Promise<void> {
  for (let i = 0; i < 5; i++) {
    source.deliver();
    await tick();
  }
}

async function settledFeed(): Promise<{ source: FakeSource; feed: ChangeFeed }> {
  const source = new FakeSource();
  const feed = new ChangeFeed(source);
  feed.start();
  await tick();
  // Not settled until its own marker, sent after reading the version, has come back.
  expect(feed.settled).toBe(false);
  source.deliver();
  expect(feed.settled).toBe(true);
  return { source, feed };
}

describe('the change feed', () => {
  it('when started, then it settles on the committed version only after its first marker returns', async () => {
    const { feed } = await settledFeed();
    expect(feed.version).toBe(10);
  });

  it('when another process commits, then the feed reads the version as the announcement arrives, and is unsettled until it has', async () => {
    const { source, feed } = await settledFeed();
    source.commit();
    expect(feed.version).toBe(10);
    source.deliver();
    expect(feed.settled).toBe(false); // the read is on its way
    await tick();
    expect(feed.version).toBe(11);
  });

  it('when anyone sends a forged announcement, then the feed only reads the version again: the number is never believed', async () => {
    const { source, feed } = await settledFeed();
    for (const forged of ['data 9000000000000', 'data 5', 'data x', 'data']) {
      source.queue.push({ payload: forged });
      await deliverAll(source);
      expect(feed.version).toBe(10);
      expect(feed.settled).toBe(true);
    }
    // And the next real write is seen as usual.
    source.commit();
    await deliverAll(source);
    expect(feed.version).toBe(11);
  });

  it('when announcements come faster than reads, then the last read covers the last announcement', async () => {
    const { source, feed } = await settledFeed();
    let open!: () => void;
    source.readGate = new Promise((resolve) => (open = resolve));
    source.commit();
    source.deliver(); // a read starts and waits
    source.commit();
    source.commit();
    source.deliver(); // announced while the read is out
    source.readGate = undefined;
    open();
    await tick();
    await tick();
    expect(feed.settled).toBe(true);
    expect(feed.version).toBe(13);
  });

  it('when this process writes, then the feed is unsettled from the start of the write until its marker returns', async () => {
    const { source, feed } = await settledFeed();
    const release = feed.hold();
    expect(feed.version).toBeUndefined();
    source.commit(); // the write's own announcement
    release();
    release(); // a second release changes nothing
    expect(feed.version).toBeUndefined();
    source.deliver(); // the announcement, then the marker
    expect(feed.settled).toBe(false); // the version's read is still out
    await tick();
    expect(feed.version).toBe(11);
  });

  it('when writes overlap, then only the marker after the last one settles it', async () => {
    const { source, feed } = await settledFeed();
    const first = feed.hold();
    const second = feed.hold();
    first();
    source.deliver();
    expect(feed.settled).toBe(false);
    second();
    source.deliver();
    expect(feed.settled).toBe(true);
  });

  it('when an account or session changes, then the auth epoch moves', async () => {
    const { source, feed } = await settledFeed();
    const before = feed.authEpoch;
    source.queue.push({ payload: 'auth' });
    source.deliver();
    expect(feed.authEpoch).toBe(before + 1);
  });

  it('when the connection is lost, then it is unsettled, retries, and on return re-reads the version and voids remembered sessions', async () => {
    const { source, feed } = await settledFeed();
    const epoch = feed.authEpoch;
    source.cut();
    expect(feed.settled).toBe(false);
    expect(feed.version).toBeUndefined();
    expect(feed.authEpoch).toBeGreaterThan(epoch);
    source.committed = 42; // written while nobody listened
    source.failNextListen = true;
    // The first retry comes 250 ms after the loss, and fails; the next 500 ms after that, and succeeds.
    await wait(249);
    expect(source.attempts).toBe(1);
    await wait(1);
    expect([source.attempts, source.listens]).toEqual([2, 1]);
    await wait(499);
    expect(source.attempts).toBe(2);
    await wait(1);
    expect([source.attempts, source.listens]).toEqual([3, 2]);
    expect(feed.settled).toBe(false); // until its own marker comes back
    source.deliver();
    expect(feed.version).toBe(42);
    await feed.stop();
  });

  it('when a write ends while the connection is down, then the feed settles after it reconnects', async () => {
    const { source, feed } = await settledFeed();
    const release = feed.hold();
    source.cut();
    release(); // no marker can be sent now
    expect(feed.settled).toBe(false);
    await wait(350);
    source.deliver();
    expect(feed.settled).toBe(true);
    await feed.stop();
  });
});

describe('the change feed heartbeat', () => {
  it('when its own marker does not come back by the next beat, then the connection is dropped and the feed listens again', async () => {
    const source = new FakeSource();
    const feed = new ChangeFeed(source, () => undefined, 40);
    feed.start();
    await tick();
    source.deliver();
    expect(feed.settled).toBe(true);
    // Beats that come back keep it settled.
    for (let i = 0; i < 3; i++) {
      await wait(45);
      source.deliver();
    }
    expect(feed.settled).toBe(true);
    expect(source.listens).toBe(1);
    // A connection that stops delivering: the next beat finds the last one missing.
    source.swallowNotify = true;
    await wait(100);
    expect(feed.settled).toBe(false);
    await wait(300);
    expect(source.listens).toBe(2);
    await feed.stop();
  });
});

describe('the change feed and what is not its own', () => {
  it("when another server's marker arrives, then it does not settle this feed", async () => {
    const { source, feed } = await settledFeed();
    const release = feed.hold();
    release();
    // Another server on the same channel sends markers with high numbers, one even copying this
    // feed's own (it can see them on the channel), and the write's own announcement has not arrived yet.
    const own = source.queue.pop()!;
    const [, id] = own.payload.split(' ');
    source.queue.push({ payload: 'sync 00000000-0000-0000-0000-000000000000 999999' }, { payload: `sync ${id} 999999` });
    source.deliver();
    expect(feed.settled).toBe(false);
    source.commit();
    source.queue.push(own);
    await deliverAll(source);
    expect(feed.settled).toBe(true);
    expect(feed.version).toBe(11);
  });

  it('when the connection is lost while the version is being read, then the feed still listens again', async () => {
    const source = new FakeSource();
    const feed = new ChangeFeed(source, () => undefined, 60_000);
    let open!: () => void;
    source.readGate = new Promise((resolve) => (open = resolve));
    feed.start();
    await tick();
    source.cut(); // during the read
    await wait(300); // the retry fires while the first attempt still waits
    open();
    source.readGate = undefined;
    await wait(800);
    expect(source.listens).toBeGreaterThanOrEqual(2);
    source.deliver();
    expect(feed.settled).toBe(true);
    expect(feed.version).toBe(10);
    await feed.stop();
  });

  it("when an old connection's events come late, then they touch neither the new connection nor the version", async () => {
    const { source, feed } = await settledFeed();
    const old = source.cut();
    await wait(300);
    source.deliver();
    expect(feed.settled).toBe(true);
    const epoch = feed.authEpoch;
    // The old connection reports its end again, and a stale announcement arrives on it.
    old.lost(new Error('late error'));
    old.notice('auth', false);
    old.notice('data 5', false);
    expect(feed.settled).toBe(true);
    expect(feed.authEpoch).toBe(epoch);
    expect(source.listens).toBe(2);
    await feed.stop();
  });
});
