import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, endpoints } from '../../client/api';

/**
 * The client's calls are typed by the contract: `tsc -p client/tsconfig.json` reads this file, so
 * each `@ts-expect-error` fails the type check the day the mistake it marks would compile.
 */
function typedCalls(signal: AbortSignal) {
  return [
    // @ts-expect-error: /audit takes no `pgae`.
    call(endpoints.audit, { query: { pgae: '2' }, signal }),
    // @ts-expect-error: a page is a number (or its digits), never a flag.
    call(endpoints.audit, { query: { page: true } }),
    call(endpoints.audit, { query: { page: 2 } }),
    // @ts-expect-error: a record's kind is one of the kinds, not any text.
    call(endpoints.deleteRecord, { params: { kind: 'contracts', id: 7 } }),
    // @ts-expect-error: the path of a submission names it.
    call(endpoints.submission, {}),
    call(endpoints.submission, { params: { id: 7 } }),
    // @ts-expect-error: a new account needs a password.
    call(endpoints.createUser, { body: { email: 'a@b.c', name: 'A', role: 'admin' } }),
    // @ts-expect-error: the path names the account.
    call(endpoints.updateUser, { body: { disabled: true } }),
    call(endpoints.updateUser, { params: { id: '7' }, body: { disabled: true } }),
  ];
}

async function typedAnswers(): Promise<void> {
  const { users } = await call(endpoints.users);
  // @ts-expect-error: an account's id is a number.
  const id: string = users[0]!.id;
  const meta = await call(endpoints.meta);
  // @ts-expect-error: a measure's unit is one of the registry's units.
  const unit: 'kg' = meta.measures[0]!.unit;
  void [id, unit];
}

describe('the client calls the contract', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('when an endpoint is called, then its path, query and body are sent as the contract says', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ id: 7 }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    await call(endpoints.updateUser, { params: { id: '7' }, body: { disabled: true } });
    await call(endpoints.audit, { query: { page: '2', action: ['login', 'logout'], user: undefined } });
    expect(
      fetch.mock.calls.map(([url, init]: unknown[]) => [url, (init as RequestInit).method, (init as RequestInit).body]),
    ).toEqual([
      ['/api/v1/users/7', 'PATCH', '{"disabled":true}'],
      ['/api/v1/audit?page=2&action=login%2Clogout', 'GET', null],
    ]);
    expect(typedCalls).toBeTypeOf('function');
    expect(typedAnswers).toBeTypeOf('function');
  });
});
