import { z } from 'zod';
import { type Said, zodSaid } from '../../contract/problems.js';
import { hasBidiControl } from '../../contract/text.js';
import { detail, type ProblemDetail, said } from '../lib/problems.js';

export {
  hasBidiControl,
  hasControl,
  hasInvisible,
  isBidiControl,
  isControl,
  isInvisible,
  ONCE_VALID,
  singleLine,
} from '../../contract/text.js';

/**
 * What zod says of a value whose schema has no words of its own (an unknown key, a boolean sent
 * as text): a catalogue problem too, so that no answer carries zod's English alone. A schema's
 * own `error` still comes first; this is zod's fallback, set once for the process here, where
 * every route's parsing passes.
 */
export function zodOwnProblem(issue: z.core.$ZodRawIssue): Said {
  const { code } = issue;
  const bound = (value: unknown) => String(value);
  if (code === 'invalid_type') {
    if (issue.input === undefined) return { code: 'required', params: {} };
    const expected = String(issue.expected);
    if (expected === 'string') return { code: 'not_text', params: {} };
    if (expected === 'number' || expected === 'bigint') return { code: 'not_a_number', params: {} };
    if (expected === 'int') return { code: 'whole_number', params: {} };
    if (expected === 'boolean') return { code: 'true_or_false', params: {} };
    if (expected === 'array') return { code: 'not_a_list', params: {} };
    if (expected === 'object' || expected === 'record') return { code: 'must_be_object', params: {} };
    return { code: 'wrong_type', params: { expected } };
  }
  if (code === 'too_big') {
    if (issue.origin === 'string') return { code: 'max_characters', params: { max: Number(issue.maximum) } };
    if (issue.origin === 'array' || issue.origin === 'set')
      return { code: 'list_too_many', params: { max: Number(issue.maximum) } };
    if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
      return { code: 'at_most', params: { limit: bound(issue.maximum) } };
    return { code: 'too_large', params: {} };
  }
  if (code === 'too_small') {
    const min = Number(issue.minimum);
    if (issue.origin === 'string')
      return min <= 1 ? { code: 'required', params: {} } : { code: 'min_characters', params: { min } };
    if (issue.origin === 'array' || issue.origin === 'set') return { code: 'list_too_short', params: { min } };
    if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
      return { code: 'at_least', params: { limit: bound(issue.minimum) } };
    return { code: 'invalid', params: {} };
  }
  if (code === 'invalid_format')
    return issue.format === 'email' ? { code: 'email', params: {} } : { code: 'wrong_format', params: {} };
  if (code === 'not_multiple_of') return { code: 'multiple_of', params: { divisor: bound(issue.divisor) } };
  if (code === 'unrecognized_keys') return { code: 'unknown_keys', params: { keys: issue.keys } };
  if (code === 'invalid_value' && issue.values.length > 0)
    return { code: 'one_of', params: { values: issue.values.map(String) } };
  return { code: 'invalid', params: {} };
}

z.config({ customError: (issue) => zodSaid(zodOwnProblem(issue)) });

/** A password is the one text that is never shown, so any character may be in it. */
const SECRET = /password$/i;

/**
 * Text no database can hold: a UTF-16 surrogate without its pair (JSON may escape one, `"\ud800"`,
 * which neither UTF-8 nor PostgreSQL's jsonb can represent) or NUL (PostgreSQL's text refuses it).
 * In a `u` regular expression a surrogate class matches only a lone one: a pair is one code point.
 */
const UNREPRESENTABLE = /[\ud800-\udfff\0]/u;

export const isRepresentable = (text: string): boolean => !UNREPRESENTABLE.test(text);

/**
 * The first string in a request's query, path parameters or JSON body (at any depth, keys too)
 * that no database can store, or (a password apart) that holds a bidirectional control, as a
 * problem naming where it is (`body.partner_name`), or undefined. Checked once at the edge for
 * every route, before its schema, so that no such text reaches a query (where the database would
 * refuse it with a code of its own) or is stored, whatever the schema says.
 */
export function unrepresentableText(value: unknown, path: string): ProblemDetail | undefined {
  if (typeof value === 'string') return textProblem(value, path);
  if (typeof value !== 'object' || value === null) return undefined;
  // An explicit stack, not recursion: a deeply nested body must not exhaust the call stack.
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length > 0) {
    const [item, at] = stack.pop()!;
    if (typeof item === 'string') {
      const problem = textProblem(item, at);
      if (problem) return problem;
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (!isRepresentable(key)) return detail({ path: at }, said('key_unrepresentable'));
        stack.push([child, `${at}.${key}`]);
      }
    }
  }
  return undefined;
}

function textProblem(text: string, path: string): ProblemDetail | undefined {
  if (!isRepresentable(text)) return detail({ path }, said('unrepresentable'));
  if (hasBidiControl(text) && !SECRET.test(path)) return detail({ path }, said('bidi_controls'));
  return undefined;
}
