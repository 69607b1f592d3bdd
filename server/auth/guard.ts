import { Forbidden, said } from '../lib/problems.js';
import type { Caller } from '../http/route.js';

/** Roles that may write records at all; a steward only its own university's. */
const WRITERS = new Set(['admin', 'steward']);

/**
 * Throws Forbidden unless the caller may write a record of every university given: an admin
 * any, a steward only its own. Pass both the old and the new university of an update, so
 * that moving a record out of (or into) another university is refused too.
 */
export function assertMayWriteUniversity(caller: Caller, ...universities: ReadonlyArray<string | null | undefined>): void {
  if (!WRITERS.has(caller.role)) throw new Forbidden(said('role_may_not_write', { role: caller.role }));
  if (caller.role === 'admin') return;
  for (const university of universities) {
    if (university !== null && university !== undefined && university !== caller.university) {
      throw new Forbidden(said('steward_own_university', { university: String(caller.university) }));
    }
  }
}

/** True when the caller reads raw records only of its own university (a steward). */
export function ownUniversityOnly(caller: Caller): string | null {
  return caller.role === 'steward' ? caller.university : null;
}
