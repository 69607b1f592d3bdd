/**
 * The few typed errors that end a request. Thrown anywhere below the routes, turned into
 * `application/problem+json` (RFC 9457) by the one error middleware. Each carries a problem code
 * and its params from the one catalogue (contract/problems.ts), and its English message.
 */
import { english, fromIssueMessage, type Said, said } from '../../contract/problems.js';

export { said, type Said };

export type { ProblemDetail, ProblemPlace } from '../../contract/problems.js';
import type { ProblemDetail, ProblemPlace } from '../../contract/problems.js';

/** A problem at a place: its code, params and English message. */
export function detail(place: ProblemPlace, problem: Said): ProblemDetail {
  return { ...place, code: problem.code, params: problem.params, message: english(problem) };
}

/** A detail moved to another place (a record's field to a file's line and column). */
export const movedTo = (place: ProblemPlace, given: ProblemDetail): ProblemDetail => ({
  ...place,
  code: given.code,
  params: given.params,
  message: given.message,
});

/** Orders the problems of a file by line, as the 422 answer lists them. */
export const byLine = (x: ProblemDetail, y: ProblemDetail): number => (x.line ?? 0) - (y.line ?? 0);

/** A zod issue's message (a catalogue problem encoded by `zodSays`, or zod's own words) at a place. */
export const issueDetail = (place: ProblemPlace, message: string): ProblemDetail => detail(place, fromIssueMessage(message));

/** A problem's detail: always a catalogue entry at a place (`detail(...)`), never words alone. */
export type DetailGiven = ProblemDetail;

/** What a problem says: always a catalogue entry (`said(...)`), never words alone. */
export type ProblemText = Said;

export class HttpProblem extends Error {
  readonly problem: Said;
  readonly errors: readonly ProblemDetail[];

  constructor(
    readonly status: number,
    readonly title: string,
    text: ProblemText,
    errors: readonly DetailGiven[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(english(text));
    this.problem = text;
    this.errors = errors;
    this.name = new.target.name;
  }

  /** Completes each detail's place (a file's line given its sheet and cell, say); the same problem. */
  placed(complete: (given: ProblemDetail) => ProblemDetail): this {
    (this as { errors: readonly ProblemDetail[] }).errors = this.errors.map(complete);
    return this;
  }

  /** The `type` URI: a stable name per kind of problem. */
  get type(): string {
    return `https://alliance-outcomes.example/problems/${this.title.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.problem.code,
      params: this.problem.params,
      ...(this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

export class BadRequest extends HttpProblem {
  constructor(detail: ProblemText, errors: readonly DetailGiven[] = []) {
    super(400, 'Bad Request', detail, errors);
  }
}

export class Unauthorized extends HttpProblem {
  constructor(detail: ProblemText = said('sign_in_first')) {
    super(401, 'Unauthorized', detail);
  }
}

export class Forbidden extends HttpProblem {
  constructor(detail: ProblemText = said('role_may_not'), errors: readonly DetailGiven[] = []) {
    super(403, 'Forbidden', detail, errors);
  }
}

export class NotFound extends HttpProblem {
  constructor(detail: ProblemText = said('not_found')) {
    super(404, 'Not Found', detail);
  }
}

export class Conflict extends HttpProblem {
  constructor(detail: ProblemText, errors: readonly DetailGiven[] = []) {
    super(409, 'Conflict', detail, errors);
  }
}

/** The client sends its request too slowly to be waited for; the connection is closed after this answer. */
export class RequestTimeout extends HttpProblem {
  constructor(detail: ProblemText) {
    super(408, 'Request Timeout', detail, [], { Connection: 'close' });
  }
}

export class PayloadTooLarge extends HttpProblem {
  constructor(detail: ProblemText) {
    super(413, 'Payload Too Large', detail);
  }
}

export class Unprocessable extends HttpProblem {
  constructor(detail: ProblemText, errors: readonly DetailGiven[] = []) {
    super(422, 'Unprocessable Content', detail, errors);
  }
}

export class TooManyRequests extends HttpProblem {
  constructor(detail: ProblemText, retryAfterSeconds: number) {
    super(429, 'Too Many Requests', detail, [], { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export class ServiceUnavailable extends HttpProblem {
  constructor(detail: ProblemText = said('database_unavailable'), retryAfterSeconds = 5) {
    super(503, 'Service Unavailable', detail, [], { 'Retry-After': String(retryAfterSeconds) });
  }
}

export function isHttpProblem(error: unknown): error is HttpProblem {
  return error instanceof HttpProblem;
}

/** The database went away before this write committed: its transaction was rolled back, nothing of it applied. */
export class WriteNotApplied extends ServiceUnavailable {
  constructor() {
    super(said('write_not_applied'));
  }
}

/**
 * The database went away while this write was being committed (or ran outside a transaction), and
 * whether it was applied cannot be known yet. Every write can be sent again without being applied twice.
 */
export class WriteOutcomeUnknown extends ServiceUnavailable {
  constructor(problem: Said<'write_outcome_unknown'> = said('write_outcome_unknown', { during: 'statement' })) {
    super(problem);
  }
}

/** A COMMIT whose outcome the database did not come back in time to tell. */
export class CommitOutcomeUnknown extends WriteOutcomeUnknown {
  constructor(waitedMs: number) {
    super(said('write_outcome_unknown', { during: 'commit', seconds: Math.round(waitedMs / 1000) }));
  }
}
