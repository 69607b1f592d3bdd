/**
 * The few typed errors that end a request. Thrown anywhere below the routes, turned into
 * `application/problem+json` (RFC 9457) by the one error middleware.
 */

export interface ProblemDetail {
  /** A query or body parameter, e.g. `by` or `body.email`. */
  path?: string;
  /** A CSV line, numbered as a spreadsheet shows it (the header is line 1). */
  line?: number;
  column?: string;
  message: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: readonly ProblemDetail[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = new.target.name;
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
      ...(this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

export class BadRequest extends HttpProblem {
  constructor(detail: string, errors: readonly ProblemDetail[] = []) {
    super(400, 'Bad Request', detail, errors);
  }
}

export class Unauthorized extends HttpProblem {
  constructor(detail = 'Sign in first.') {
    super(401, 'Unauthorized', detail);
  }
}

export class Forbidden extends HttpProblem {
  constructor(detail = 'Your role may not do this.', errors: readonly ProblemDetail[] = []) {
    super(403, 'Forbidden', detail, errors);
  }
}

export class NotFound extends HttpProblem {
  constructor(detail = 'Not found.') {
    super(404, 'Not Found', detail);
  }
}

export class Conflict extends HttpProblem {
  constructor(detail: string, errors: readonly ProblemDetail[] = []) {
    super(409, 'Conflict', detail, errors);
  }
}

/** The client sends its request too slowly to be waited for; the connection is closed after this answer. */
export class RequestTimeout extends HttpProblem {
  constructor(detail: string) {
    super(408, 'Request Timeout', detail, [], { Connection: 'close' });
  }
}

export class PayloadTooLarge extends HttpProblem {
  constructor(detail: string) {
    super(413, 'Payload Too Large', detail);
  }
}

export class Unprocessable extends HttpProblem {
  constructor(detail: string, errors: readonly ProblemDetail[] = []) {
    super(422, 'Unprocessable Content', detail, errors);
  }
}

export class TooManyRequests extends HttpProblem {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'Too Many Requests', detail, [], { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export class ServiceUnavailable extends HttpProblem {
  constructor(detail = 'The database is not answering; try again shortly.', retryAfterSeconds = 5) {
    super(503, 'Service Unavailable', detail, [], { 'Retry-After': String(retryAfterSeconds) });
  }
}

export function isHttpProblem(error: unknown): error is HttpProblem {
  return error instanceof HttpProblem;
}

/** The database went away before this write committed: its transaction was rolled back, nothing of it applied. */
export class WriteNotApplied extends ServiceUnavailable {
  constructor() {
    super(
      'The database stopped answering before this change was committed: nothing of it was applied. Send it again when the service is back.',
    );
  }
}

/**
 * The database went away while this write was being committed (or ran outside a transaction), and
 * whether it was applied cannot be known yet. Every write can be sent again without being applied twice.
 */
export class WriteOutcomeUnknown extends ServiceUnavailable {
  constructor(why: string) {
    super(
      `${why}, so whether this change was applied is unknown. Sending it again is safe: a change is never applied twice (records and imports are keyed by university and ref, a report submission by its period and digest), and a retry says what it found.`,
    );
  }
}

/** A COMMIT whose outcome the database did not come back in time to tell. */
export class CommitOutcomeUnknown extends WriteOutcomeUnknown {
  constructor(waitedMs: number) {
    super(
      `The database stopped answering while this change was being committed and did not come back within ${Math.round(waitedMs / 1000)} s`,
    );
  }
}
