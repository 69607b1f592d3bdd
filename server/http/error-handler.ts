import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
// The request's `log` and `id` are pino-http's; whoever type-checks this file (the client too, through the route types) sees them.
import type {} from 'pino-http';
import {
  BadRequest,
  Conflict,
  detail,
  HttpProblem,
  NotFound,
  PayloadTooLarge,
  ServiceUnavailable,
  said,
} from '../lib/problems.js';

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** Unknown API paths are a 404 problem, not the client's HTML. */
export const apiNotFound: RequestHandler = (req) => {
  throw new NotFound(said('no_such_route', { method: req.method, path: `${req.baseUrl}${req.path}` }));
};

/** Connection-level failures: the database is away, not the request at fault. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '53300',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated|connection timeout|not queryable/i.test(message)
  );
}

/** What a stream or a socket raises when the other end has gone: a closed tab, a cancelled download or upload. */
const DEPARTURE_CODES = new Set([
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
]);

/**
 * The client went away before its answer was whole, and the error is what that raises: its
 * connection is closed, and the error is a stream's or a socket's ("Premature close", "aborted",
 * ECONNRESET, EPIPE). Nothing of the server's is at fault, so it is logged at debug, not as an
 * error; any other failure, the client gone or not, is still one.
 */
export function isClientDeparture(error: unknown, req: Pick<IncomingMessage, 'socket'>, res: ServerResponse): boolean {
  const gone = req.socket?.destroyed === true || (res.destroyed && !res.writableFinished);
  if (!gone || typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && DEPARTURE_CODES.has(code)) || message === 'aborted';
}

/** Maps what body parsers throw onto our problems. */
function fromBodyParser(error: unknown): HttpProblem | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const { type, limit } = error as { type?: unknown; limit?: unknown };
  if (type === 'entity.too.large') return new PayloadTooLarge(said('body_too_large', { limit: String(limit) }));
  if (type === 'entity.parse.failed') return new BadRequest(said('body_not_json'));
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new BadRequest(said('body_not_utf8'));
  if (type === 'request.aborted') return new BadRequest(said('request_aborted'));
  return undefined;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/** Express and its parsers mark their own client errors (a bad escape in the path, an unreadable encoding) with a 4xx status. */
function fromExposedError(error: unknown): HttpProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, expose } = error as { status?: unknown; statusCode?: unknown; expose?: unknown };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  if (code === undefined || code < 400 || code > 499 || expose === false) return undefined;
  // Said by status from the catalogue: Express's own words would reach the client in English only.
  const text =
    error instanceof URIError
      ? said('malformed_escape')
      : code === 404
        ? said('not_found')
        : code === 413
          ? said('request_too_large')
          : code === 415
            ? said('media_type_unsupported')
            : said('request_unreadable');
  // Express decodes path parameters itself; which one it could not decode, it does not say.
  const where = error instanceof URIError ? [detail({ path: 'path' }, said('escape_not_utf8'))] : [];
  return new HttpProblem(code, TITLES[code] ?? 'Bad Request', text, where);
}

/**
 * A value the database refused that validation let through (classes 22, data, and 23, integrity):
 * the caller's input, never a 500. The answer names the column where the database says which
 * (a NOT NULL or a check on one column) and never shows the database's code or message, which
 * describe the database rather than the request; the log keeps them.
 */
function fromDatabaseRefusal(error: unknown): HttpProblem | undefined {
  const { code, column } = (error ?? {}) as { code?: unknown; column?: unknown };
  // Two writes that met (a deadlock, a serialization failure): this one was rolled back whole.
  if (code === '40P01' || code === '40001') return new ServiceUnavailable(said('write_met_another'), 1);
  if (typeof code !== 'string' || !/^2[23][0-9A-Z]{3}$/.test(code)) return undefined;
  if (code === '23505') return new Conflict(said('same_key'));
  const field = typeof column === 'string' && column !== '' ? [detail({ path: column }, said('cannot_store'))] : [];
  return new BadRequest(said('value_cannot_store'), field);
}

/** The one place a failed request ends: problem+json, never a stack trace. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (isClientDeparture(error, req, res)) {
      (req.log ?? log).debug({ err: error }, 'the client left before its answer was complete');
      res.destroy();
      return;
    }
    const refusal = error instanceof HttpProblem ? undefined : fromDatabaseRefusal(error);
    if (refusal) (req.log ?? log).warn({ err: error }, 'the database refused a value');
    let problem = error instanceof HttpProblem ? error : (fromBodyParser(error) ?? refusal ?? fromExposedError(error));
    if (!problem && isDatabaseUnavailable(error)) {
      problem = new ServiceUnavailable();
      (req.log ?? log).warn({ err: error }, 'database unavailable');
    }
    if (!problem) {
      (req.log ?? log).error({ err: error }, 'unhandled error');
      problem = new HttpProblem(500, 'Internal Server Error', said('internal_error', { requestId: String(req.id ?? '') }));
    }
    if (res.headersSent) {
      // A streamed response failed midway: all we can do is cut it, so the client sees it is incomplete.
      res.destroy();
      return;
    }
    sendProblem(res, problem);
  };
}

/** The most a problem's body may weigh: a problem echoing a file's text never makes a large answer. */
export const MAX_PROBLEM_BYTES = 256 * 1024;
/** A string of a problem longer than this is cut (with …) when the body would pass its bound. */
const MAX_PROBLEM_STRING = 500;

const cutStrings = (value: unknown): unknown => {
  if (typeof value === 'string')
    return value.length > MAX_PROBLEM_STRING ? `${[...value.slice(0, MAX_PROBLEM_STRING)].slice(0, -1).join('')}…` : value;
  if (Array.isArray(value)) return value.map(cutStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutStrings(v)]));
  return value;
};

/**
 * A problem's JSON within MAX_PROBLEM_BYTES, whatever it carries: as it is when it fits; else every
 * long string cut, then the list of errors halved until it fits (`errorCount`, where the problem has
 * one, still counts them all).
 */
export function problemBody(json: Record<string, unknown>): string {
  const written = (value: unknown): string | null => {
    try {
      return JSON.stringify(value);
    } catch {
      return null;
    }
  };
  const whole = written(json);
  if (whole !== null && whole.length <= MAX_PROBLEM_BYTES) return whole;
  const cut = cutStrings(json) as Record<string, unknown>;
  let errors = Array.isArray(cut.errors) ? cut.errors : undefined;
  for (;;) {
    const body = written(errors === undefined ? cut : { ...cut, errors });
    if (body !== null && body.length <= MAX_PROBLEM_BYTES) return body;
    if (!errors || errors.length === 0) break;
    errors = errors.slice(0, Math.floor(errors.length / 2));
  }
  // Nothing of it could be written: its status, title and code alone.
  const { status, title, code, detail } = cut;
  return JSON.stringify({ status, title, code, detail });
}

/** Writes a problem as the whole response. */
export function sendProblem(res: Response, problem: HttpProblem): void {
  // A cached route tags its answer before the work: a problem is not that answer, and a client that
  // kept the tag would be told 304 for what it never received.
  res.removeHeader('ETag');
  res.status(problem.status).set(problem.headers).type(PROBLEM_TYPE).send(problemBody(problem.toJSON()));
}
