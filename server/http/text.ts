import { detail, type ProblemDetail, said } from '../lib/problems.js';

export { hasControl, isControl, ONCE_VALID, singleLine } from '../../contract/text.js';

/**
 * Text no database can hold: a UTF-16 surrogate without its pair (JSON may escape one, `"\ud800"`,
 * which neither UTF-8 nor PostgreSQL's jsonb can represent) or NUL (PostgreSQL's text refuses it).
 * In a `u` regular expression a surrogate class matches only a lone one: a pair is one code point.
 */
const UNREPRESENTABLE = /[\ud800-\udfff\0]/u;

export const isRepresentable = (text: string): boolean => !UNREPRESENTABLE.test(text);

/**
 * The first string in a request's query, path parameters or JSON body (at any depth, keys too)
 * that no database can store, as a problem naming where it is (`body.partner_name`), or undefined.
 * Checked once at the edge for every route, before its schema, so that no such text reaches a
 * query (where the database would refuse it with a code of its own) whatever the schema says.
 */
export function unrepresentableText(value: unknown, path: string): ProblemDetail | undefined {
  if (typeof value === 'string') return isRepresentable(value) ? undefined : detail({ path }, said('unrepresentable'));
  if (typeof value !== 'object' || value === null) return undefined;
  // An explicit stack, not recursion: a deeply nested body must not exhaust the call stack.
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length > 0) {
    const [item, at] = stack.pop()!;
    if (typeof item === 'string') {
      if (!isRepresentable(item)) return detail({ path: at }, said('unrepresentable'));
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (!isRepresentable(key)) return detail({ path: at }, said('key_unrepresentable'));
        stack.push([child, `${at}.${key}`]);
      }
    }
  }
  return undefined;
}
