import express from 'express';
import { describe, expect, it } from 'vitest';
import { assertMayWriteUniversity } from '../../server/auth/guard.js';
import { type Caller, registerRoutes, untypedRoute, UndeclaredAccessError } from '../../server/http/route.js';

const noOne = { authenticate: async () => null, dataVersion: async () => 1 };
const spec = (access: unknown) =>
  untypedRoute({ method: 'get', path: '/x', summary: 'x', access: access as never, handle: () => ({}) });

describe('the route guard', () => {
  it.each([
    ['no declaration', undefined],
    ['an empty role list', []],
    ['an unknown role', ['admin', 'janitor']],
    ['a misspelt keyword', 'everyone'],
  ])('when a route has %s, then it cannot be registered', (_what, access) => {
    expect(() => registerRoutes(express.Router(), [spec(access)], noOne)).toThrow(UndeclaredAccessError);
  });

  it('when a route declares anyone, signed_in or roles, then it registers', () => {
    expect(() =>
      registerRoutes(express.Router(), [spec('anyone'), spec('signed_in'), spec(['commission'])], noOne),
    ).not.toThrow();
  });
});

describe('writes of a university’s records', () => {
  const caller = (role: Caller['role'], university: string | null = null): Caller => ({
    id: 1,
    email: 'x@y.z',
    name: 'x',
    role,
    university,
  });

  it('when an admin writes any university, then it is allowed', () => {
    expect(() => assertMayWriteUniversity(caller('admin'), 'USST', 'AHUT')).not.toThrow();
  });

  it('when a steward writes its own university, then it is allowed', () => {
    expect(() => assertMayWriteUniversity(caller('steward', 'USST'), 'USST', 'USST')).not.toThrow();
  });

  it('when a steward writes or moves a record to or from another university, then it is forbidden', () => {
    const steward = caller('steward', 'USST');
    expect(() => assertMayWriteUniversity(steward, 'ZJUT')).toThrow(/may change only its own university/);
    expect(() => assertMayWriteUniversity(steward, 'USST', 'ZJUT')).toThrow(/only its own/);
    expect(() => assertMayWriteUniversity(steward, 'ZJUT', 'USST')).toThrow(/only its own/);
  });

  it.each(['leadership', 'commission'] as const)('when %s writes a record, then it is forbidden', (role) => {
    expect(() => assertMayWriteUniversity(caller(role), 'USST')).toThrow(/may not change records/);
  });
});
