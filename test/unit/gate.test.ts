import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailable } from '../../server/lib/problems.js';
import { Gate, PerAccount } from '../../server/http/gate.js';

describe('the gate of a budget (uploads, imports, downloads)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when the slots are taken, then callers wait in line up to the queue and the rest get a 503 with Retry-After', async () => {
    const gate = new Gate('imports', 2, 1, 60_000, 30);
    const first = await gate.enter();
    const second = await gate.enter();
    expect(gate.running).toBe(2);
    let thirdIn = false;
    const third = gate.enter().then((release) => {
      thirdIn = true;
      return release;
    });
    await Promise.resolve();
    expect(gate.waiting).toBe(1);
    const refused = await gate.enter().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceUnavailable);
    expect((refused as ServiceUnavailable).headers['Retry-After']).toBe('30');
    expect(thirdIn).toBe(false);
    first();
    first(); // a second release changes nothing
    const releaseThird = await third;
    expect(thirdIn).toBe(true);
    expect(gate.running).toBe(2);
    expect(gate.waiting).toBe(0);
    second();
    releaseThird();
    expect(gate.running).toBe(0);
  });

  it('when a caller has waited its longest, then it is told to come back and leaves the line', async () => {
    vi.useFakeTimers();
    const gate = new Gate('imports', 1, 2, 1000);
    const held = await gate.enter();
    const waiting = gate.enter().catch((error: unknown) => error);
    expect(gate.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1001);
    expect(await waiting).toBeInstanceOf(ServiceUnavailable);
    expect(gate.waiting).toBe(0);
    held();
    expect(gate.running).toBe(0);
  });

  it('when a waiting caller goes away, then it leaves the line and the next one is admitted in its place', async () => {
    const gate = new Gate('imports', 1, 2);
    const held = await gate.enter();
    const gone = new AbortController();
    const first = gate.enter(gone.signal).catch((error: unknown) => error);
    const second = gate.enter();
    expect(gate.waiting).toBe(2);
    gone.abort(new Error('went away'));
    expect(((await first) as Error).message).toBe('went away');
    expect(gate.waiting).toBe(1);
    held();
    const release = await second;
    expect(gate.running).toBe(1);
    release();
    expect(gate.running).toBe(0);
    await expect(gate.enter(gone.signal)).rejects.toThrow('went away');
  });
});

describe('the places of each account (uploads, downloads)', () => {
  it('when an account has its limit, then the next is refused with its count, others go on, and a place given back twice counts once', () => {
    const places = new PerAccount<number>(2);
    const refuse = (count: number) => new Error(`has ${count}`);
    const first = places.take(1, refuse);
    places.take(1, refuse);
    expect(() => places.take(1, refuse)).toThrow('has 2');
    const other = places.take(2, refuse);
    first();
    first();
    const again = places.take(1, refuse);
    expect(() => places.take(1, refuse)).toThrow('has 2');
    again();
    other();
    expect(() => places.take(2, refuse)).not.toThrow();
  });
});
