import { describe, expect, it } from 'vitest';
import { MAX_PROBLEM_BYTES, problemBody } from '../../server/http/error-handler.js';

describe('a problem’s body', () => {
  it('when it fits, then it is the problem’s JSON as it is', () => {
    const json = { status: 422, code: 'x', errors: [{ line: 2, message: 'y'.repeat(1000) }], errorCount: 1 };
    expect(problemBody(json)).toBe(JSON.stringify(json));
  });

  it('when what a file echoes would make it huge, then long strings are cut and the list shortened until it fits; the count stays', () => {
    const errors = Array.from({ length: 1000 }, (_, i) => ({ line: i + 2, sheet: 'S'.repeat(3_000), message: `bad ${i}` }));
    const body = problemBody({ status: 422, title: 'Unprocessable', errors, errorCount: 5000 });
    expect(body.length).toBeLessThanOrEqual(MAX_PROBLEM_BYTES);
    const parsed = JSON.parse(body) as { errors: Array<{ line: number; sheet: string; message: string }>; errorCount: number };
    expect(parsed.errorCount).toBe(5000);
    expect(parsed.errors.length).toBeGreaterThan(0);
    expect(parsed.errors[0]).toEqual({ line: 2, sheet: `${'S'.repeat(499)}…`, message: 'bad 0' });
    // The first errors are kept, in order.
    expect(parsed.errors.map((e) => e.line)).toEqual(parsed.errors.map((_, i) => i + 2));
  });

  it('when a problem cannot be written as JSON at all, then its cut form is', () => {
    // JSON cannot hold a BigInt: the errors that carry one are left out, down to none.
    const body = problemBody({ status: 422, title: 'Unprocessable', code: 'x', errors: [{ line: 2 }, { n: 1n }] });
    expect(JSON.parse(body)).toEqual({ status: 422, title: 'Unprocessable', code: 'x', errors: [{ line: 2 }] });
    expect(JSON.parse(problemBody({ status: 500, title: 'Internal', detail: 'd', extra: 2n }))).toEqual({
      status: 500,
      title: 'Internal',
      detail: 'd',
    });
  });
});
