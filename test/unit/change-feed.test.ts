import { describe, expect, it } from 'vitest';
import { ChangeFeed, type ChangeSource } from '../../server/db/change-feed.js';

/**
 * A source that behaves like a LISTEN connection: notifications are delivered in the order they
 * were sent, when `deliver()` is called (the network), and the connection can be cut.
 */
class FakeSource implements ChangeSource {
  committed = 10;
  queue: string[] = [];
  notice: ((payload: string) => void) | undefined;
  lost: ((error: unknown) => void) | undefined;
  listens = 0;
  failNextListen = false;

  async listen(notice: (payload: string) => void, lost: (error: unknown) => void): Promise<void> {
    if (this.failNextListen) {
      this.failNextListen = false;
      throw new Error('connection refused');
    }
    this.listens++;
    this.notice = notice;
    this.lost = lost;
  }
  async readVersion(): Promise<number> {
    return this.committed;
  }
  async notify(payload: string): Promise<void> {
    if (!this.notice) throw new Error('not connected');
    this.queue.push(payload);
  }
  async stop(): Promise<void> {
    this.notice = undefined;
  }
  /** Another process commits a write. */
  commit(): void {
    this.committed++;
    this.queue.push(`data ${this.committed}`);
  }
  deliver(): void {
    const due = this.queue;
    this.queue = [];
    for (const payload of due) this.notice?.(payload);
  }
  cut(): void {
    const lost = this.lost;
    this.notice = undefined;
    this.queue = [];
    lost?.(new Error('connection reset'));
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

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

  it('when another process commits, then the version moves as the announcement arrives, not before', async () => {
    const { source, feed } = await settledFeed();
    source.commit();
    expect(feed.version).toBe(10);
    source.deliver();
    expect(feed.version).toBe(11);
    // An announcement older than what is known never moves it back.
    source.queue.push('data 5');
    source.deliver();
    expect(feed.version).toBe(11);
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
    source.queue.push('auth');
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
    await new Promise((resolve) => setTimeout(resolve, 300)); // first retry (250 ms) fails
    expect(source.listens).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 600)); // the next (500 ms later) succeeds
    expect(source.listens).toBe(2);
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
    await new Promise((resolve) => setTimeout(resolve, 350));
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
      await new Promise((resolve) => setTimeout(resolve, 45));
      source.deliver();
    }
    expect(feed.settled).toBe(true);
    expect(source.listens).toBe(1);
    // A connection that stops delivering: the next beat finds the last one missing.
    source.notify = async () => undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(feed.settled).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(source.listens).toBe(2);
    await feed.stop();
  });
});
