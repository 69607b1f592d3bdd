import { describe, expect, it } from 'vitest';
import { type ActiveSession, SessionMemo } from '../../server/auth/sessions.js';
import type { ChangeFeed } from '../../server/db/change-feed.js';

const session: ActiveSession = {
  caller: { id: 7, email: 'a@b.c', name: 'a', role: 'leadership', university: null },
  csrfToken: 'x'.repeat(32),
  lang: null,
};

describe('the sessions remembered while the change feed vouches for them', () => {
  const setUp = () => {
    const feed = { settled: true, authEpoch: 1 };
    return { feed, memo: new SessionMemo(feed as unknown as ChangeFeed) };
  };

  it('when nothing changed, then a remembered session is recalled until it is due for its touch', () => {
    const { memo } = setUp();
    memo.remember('id', session, memo.epoch, 1_000);
    expect(memo.recall('id', 999)).toBe(session);
    expect(memo.recall('id', 1_001)).toBeUndefined();
    expect(memo.recall('id', 999)).toBeUndefined(); // gone once past its time
  });

  it('when the feed is unsettled, then nothing is recalled, and it is again once settled', () => {
    const { feed, memo } = setUp();
    memo.remember('id', session, memo.epoch, 1_000);
    feed.settled = false;
    expect(memo.recall('id', 0)).toBeUndefined();
    feed.settled = true;
    expect(memo.recall('id', 0)).toBe(session);
  });

  it('when an account or session change is announced, then every remembered session is void', () => {
    const { feed, memo } = setUp();
    memo.remember('id', session, memo.epoch, 1_000);
    feed.authEpoch++;
    expect(memo.recall('id', 0)).toBeUndefined();
  });

  it('when a change is announced while a session is being read, then that read is not remembered', () => {
    const { feed, memo } = setUp();
    const epoch = memo.epoch; // taken before the read
    feed.authEpoch++; // announced during it
    memo.remember('id', session, epoch, 1_000);
    expect(memo.recall('id', 0)).toBeUndefined();
  });
});
