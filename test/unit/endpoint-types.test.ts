import { describe, expect, it } from 'vitest';
import { endpoints } from '../../contract/endpoints.js';
import { endpointSchemas } from '../../contract/endpoint-schemas.js';
import { route } from '../../server/http/route.js';

/**
 * The route table is typed by the contract: a handler whose answer is not its endpoint's response
 * schema does not compile. `tsc -p tsconfig.json` reads this file, so each `@ts-expect-error`
 * below fails the type check the day the mistake it marks would compile.
 */
const wrongAnswers = () => [
  route(endpoints.health, {
    access: 'anyone',
    summary: 'health',
    // @ts-expect-error: `status` is 'ok' or 'unavailable', never any string.
    handle: () => ({ status: 'fine', database: 'pglite' }),
  }),
  route(endpoints.me, {
    access: 'signed_in',
    summary: 'me',
    // @ts-expect-error: the answer misses the CSRF token.
    handle: () => ({ email: 'a@b.c', name: 'A', role: 'admin', university: null, lang: null }),
  }),
  route(endpoints.users, {
    access: ['admin'],
    summary: 'users',
    // @ts-expect-error: `users` is a list of accounts, not of e-mails.
    handle: async () => ({ users: ['a@b.c'] }),
  }),
  route(endpoints.updateUser, {
    access: ['admin'],
    summary: 'user',
    // The contract's params are typed into the handler: `id` is a number once parsed.
    handle: ({ params }) => {
      // @ts-expect-error: a number is no string.
      const id: string = params.id;
      return {
        id: Number(id),
        email: '',
        name: '',
        role: 'admin' as const,
        university: null,
        disabled: false,
        createdAt: '',
        updatedAt: '',
      };
    },
  }),
  // A handler that answers itself (CSV, 204) returns nothing: allowed.
  route(endpoints.logout, { access: 'signed_in', summary: 'out', handle: () => undefined }),
];

describe('the endpoints of the contract', () => {
  it('when the route table is typed, then a wrong answer is a compile error (see the @ts-expect-error above)', () => {
    expect(wrongAnswers()).toHaveLength(5);
  });

  it('when the endpoints and their schemas are listed, then both name the same endpoints', () => {
    expect(Object.keys(endpointSchemas).sort()).toEqual(Object.keys(endpoints).sort());
  });

  it('when a route is declared for an endpoint, then its method, path and response come from the contract', () => {
    const spec = route(endpoints.meta, { access: 'signed_in', summary: 'meta', handle: () => undefined });
    expect([spec.name, spec.method, spec.path, spec.response]).toEqual(['meta', 'get', '/meta', endpointSchemas.meta.response]);
  });
});
