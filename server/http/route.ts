import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { Role } from '../db/schema.js';
import { today } from '../lib/dates.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { readFromForRequest, withRequestScope } from '../db/versioned.js';
import type { AvailabilityMonitor } from '../db/availability.js';
import type { ChangeFeed } from '../db/change-feed.js';
import { RequestConnections } from '../db/request-connections.js';
import { sendProblem } from './error-handler.js';
import { type AnswerCache, answerHeaders, answerKey, sentHeaders } from './answer-cache.js';
import { type Coding, codingFor, encodeBody } from './json-encoding.js';
import {
  BadRequest,
  Forbidden,
  HttpProblem,
  detail,
  issueDetail,
  type ProblemDetail,
  said,
  ServiceUnavailable,
  Unauthorized,
  WriteNotApplied,
  WriteOutcomeUnknown,
} from '../lib/problems.js';
import { unrepresentableText } from './text.js';
import { type Endpoint, type EndpointName, endpoints, type Method } from '../../contract/endpoints.js';
import {
  type AnswerInput,
  type EndpointSchemas,
  endpointSchemas,
  type Input,
  type Parsed,
} from '../../contract/endpoint-schemas.js';

export { endpoints };

/** Who may call a route: everyone, anyone signed in, or the listed roles. */
export type Access = 'anyone' | 'signed_in' | readonly Role[];

import { ROLES } from '../../contract/enums.js';
import { onExchangeOver } from './client-gone.js';

export { ROLES };

/** The signed-in caller, as the routes see them. */
export interface Caller {
  id: number;
  email: string;
  name: string;
  role: Role;
  university: string | null;
}

export interface RouteContext<Q, B, P> {
  req: Request;
  res: Response;
  query: Q;
  body: B;
  params: P;
  /** Null only on routes open to anyone. */
  caller: Caller | null;
  /**
   * For a route that holds the change feed `late`: holds it from now until the request is done
   * (call it just before the write commits). Elsewhere it does nothing: the hold was taken already.
   */
  holdChanges: () => void;
}

export interface RouteSpec<Q = unknown, B = unknown, P = unknown> {
  /** The endpoint's name in the contract (contract/endpoints.ts): the operation's id in the API document. */
  name?: string;
  method: Method;
  /** Below `/api/v1`, in Express syntax: `/records/:kind/:id`. */
  path: string;
  access: Access;
  summary: string;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  params?: z.ZodType<P>;
  /** Content types of the body the route accepts besides JSON (for the API document). */
  bodyTypes?: readonly string[];
  /**
   * When a request that may write holds the change feed (nothing answered from memory while held):
   * `request`, from its access check to its end (the default); `late`, from when the handler calls
   * `holdChanges` (a long import, which until its commit changes nothing anyone can read).
   */
  holdsChanges?: 'request' | 'late';
  /**
   * Problems the route answers besides 400, 401, 403 and 503 (which every route may), for the API
   * document: 408, 413 and 422 for a file, 429 for a limit.
   */
  problems?: readonly (404 | 408 | 409 | 413 | 422 | 429)[];
  /** The body's JSON schema in the API document, where the zod schema cannot say it (checked in the handler). */
  bodyDocument?: Record<string, unknown>;
  /** The response's JSON schema for the API document. */
  response?: z.ZodType;
  /** Express middleware that runs before authentication (e.g. rate limits). */
  middleware?: readonly RequestHandler[];
  /**
   * The answer depends only on the query, the caller's role and university, and the data:
   * it gets an ETag from the data version, and If-None-Match is answered 304 without work.
   */
  cached?: boolean;
  /** The route reports the database's availability itself (health): it is neither refused nor cut short while the database is away. */
  reportsAvailability?: boolean;
  /**
   * The route answers `format=csv` and `format=xlsx` as a file download. Such a request takes its
   * account's download place once its shape is checked and before the handler reads anything (a
   * 429 when the account has as many under way as it may), and holds it until the handler is done,
   * however the client behaves: whatever the download costs is counted against its account. The
   * API document lists its 429.
   */
  downloads?: true;
  /** Returns the JSON to send, or sends the response itself and returns undefined. */
  handle(ctx: RouteContext<Q, B, P>): Promise<unknown> | unknown;
}

/** What a route declares beside its endpoint: who may call it, what it does, how it is served. */
export interface RouteOptions<N extends EndpointName, Q, B, P>
  extends Omit<RouteSpec<Q, B, P>, 'name' | 'method' | 'path' | 'query' | 'body' | 'params' | 'response' | 'handle'> {
  /**
   * The request's schemas where the contract has none (they depend on the server's registry), or a
   * stricter one of the server's: either way it must take what the contract says the client sends.
   */
  query?: z.ZodType<Q, Input<N, 'query'>>;
  body?: z.ZodType<B, Input<N, 'body'>>;
  params?: z.ZodType<P, Input<N, 'params'>>;
  /**
   * Returns the endpoint's answer as its response schema describes it (checked by `tsc`), or sends
   * the response itself (CSV, 204, a file) and returns undefined.
   */
  handle(ctx: RouteContext<Q, B, P>): Handled<N> | Promise<Handled<N>>;
}

/** What a handler returns: the answer, or nothing when it has answered itself. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that answers itself returns nothing at all.
export type Handled<N extends EndpointName> = AnswerInput<N> | void;

/**
 * Declares the route of a contract endpoint (contract/endpoints.ts): its method and path, its
 * response schema and the request schemas the contract has come from there; the types of `query`,
 * `body` and `params` flow into `handle`, whose answer must be the response schema's.
 */
export function route<N extends EndpointName, Q = Parsed<N, 'query'>, B = Parsed<N, 'body'>, P = Parsed<N, 'params'>>(
  endpoint: Endpoint<N>,
  options: RouteOptions<N, Q, B, P>,
): RouteSpec<Q, B, P> {
  const schemas: EndpointSchemas = endpointSchemas[endpoint.name];
  const { query = schemas.query, body = schemas.body, params = schemas.params } = options;
  return {
    ...options,
    name: endpoint.name,
    method: endpoint.method,
    path: endpoint.path,
    ...(query ? { query: query as z.ZodType<Q> } : {}),
    ...(body ? { body: body as z.ZodType<B> } : {}),
    ...(params ? { params: params as z.ZodType<P> } : {}),
    ...(schemas.response ? { response: schemas.response } : {}),
  };
}

/** A route outside the contract, typed by its own schemas only: for tests of the route layer. */
export function untypedRoute<Q = undefined, B = undefined, P = undefined>(spec: RouteSpec<Q, B, P>): RouteSpec<Q, B, P> {
  return spec;
}

/** Finds the caller of a request (a session cookie), or null. */
export type Authenticate = (req: Request, res: Response) => Promise<Caller | null>;

/** Thrown when a route is registered without saying who may call it. */
export class UndeclaredAccessError extends Error {
  override readonly name = 'UndeclaredAccessError';
}

/** Checks a route's declaration before it can be registered. */
export function assertDeclared(spec: RouteSpec<any, any, any>): void {
  const { access } = spec;
  const valid =
    access === 'anyone' ||
    access === 'signed_in' ||
    (Array.isArray(access) && access.length > 0 && access.every((role) => ROLES.includes(role)));
  if (!valid) throw new UndeclaredAccessError(`${spec.method.toUpperCase()} ${spec.path} does not declare who may call it`);
}

export interface RouteServices {
  authenticate: Authenticate;
  /** The data version, bumped by every write: the basis of the ETags of cached routes. */
  dataVersion: () => Promise<number>;
  /** Where the JSON answers of cached routes are kept for their data version. */
  answers?: AnswerCache;
  /** A read replica: cached reads go there, except a caller's own reads right after its write. */
  replica?: { db: Kysely<Database>; writers: RecentWriters; answers?: AnswerCache };
  /** Told of every request that may write, so that its writes are heard before anything is answered from memory. */
  changes?: ChangeFeed;
  /** PostgreSQL: whether the server answers. While it does not, requests are refused, and those running are cut short. */
  availability?: AvailabilityMonitor;
  /** The accounts' download places (server/csv/csv-download.ts), taken for the requests of `downloads` routes. */
  downloads?: DownloadPlaces;
}

/** Takes a caller's download place for a request (or throws its 429); returns the function that gives it back. */
export interface DownloadPlaces {
  claim(req: Request, caller: Caller | null): () => void;
}

/** Whether a request asks a `downloads` route for a file. */
const asksFile = (req: Request): boolean => req.query.format === 'csv' || req.query.format === 'xlsx';

/**
 * Registers routes on a router. Each request is authenticated, checked against the route's
 * access, validated with its schemas and only then handed to the handler.
 */
export function registerRoutes(router: Router, specs: readonly RouteSpec<any, any, any>[], services: RouteServices): void {
  for (const spec of specs) {
    assertDeclared(spec);
    router[spec.method](spec.path, ...(spec.middleware ?? []), (req: Request, res: Response) => {
      const connections = new RequestConnections();
      return withRequestScope(() => handleRequest(spec, services, req, res, connections), connections);
    });
  }
}

async function handleRequest(
  spec: RouteSpec<any, any, any>,
  services: RouteServices,
  req: Request,
  res: Response,
  connections: RequestConnections,
): Promise<void> {
  const availability = spec.reportsAvailability ? undefined : services.availability;
  if (availability) {
    if (!availability.available) throw new ServiceUnavailable();
    const off = availability.onChange((up) => {
      if (!up) cutShort(spec, res, connections);
    });
    onExchangeOver(req, res, off);
  }
  try {
    await handleCaller(spec, services, req, res);
  } catch (error) {
    // Answered already by cutShort: what failed is the work it cut off, and its failure is that answer.
    if (connections.closed && res.headersSent) return;
    throw error;
  }
}

/**
 * The database stopped answering while this request ran. Its connections are reset first, so that
 * the server rolls back whatever it had begun and nothing of it can commit later; only then is it
 * answered 503, and it may not reach the database again. A COMMIT already sent is the exception:
 * its own path (request-connections.ts) asks the server what became of it and answers accordingly.
 */
function cutShort(spec: RouteSpec<any, any, any>, res: Response, connections: RequestConnections): void {
  if (res.headersSent || connections.closed) return;
  const cut = connections.cut();
  if (cut.commitInDoubt) return;
  connections.close();
  const writes = spec.method !== 'get';
  sendProblem(res, !writes ? new ServiceUnavailable() : cut.statementInDoubt ? new WriteOutcomeUnknown() : new WriteNotApplied());
}

async function handleCaller(spec: RouteSpec<any, any, any>, services: RouteServices, req: Request, res: Response): Promise<void> {
  // Routes open to anyone need no caller, so they never wait on the session store (health must not).
  const caller = spec.access === 'anyone' ? null : await services.authenticate(req, res);
  authorize(spec.access, caller);
  // A request that may write: nothing is answered from memory until its writes have been heard.
  // Released when the handler is done, or when the client has gone and the response is closed.
  let release: (() => void) | undefined;
  const holdChanges = () => {
    if (release || spec.method === 'get' || !services.changes) return;
    release = services.changes.hold();
    onExchangeOver(req, res, release);
  };
  if (spec.holdsChanges !== 'late') holdChanges();
  try {
    await handleAuthorized(spec, services, req, res, caller, holdChanges);
  } finally {
    release?.();
  }
}

async function handleAuthorized(
  spec: RouteSpec<any, any, any>,
  services: RouteServices,
  req: Request,
  res: Response,
  caller: Caller | null,
  holdChanges: () => void,
): Promise<void> {
  // HEAD is a GET without the body (Express routes it to the GET handler): the same tags and answers.
  const reading = (req.method === 'GET' || req.method === 'HEAD') && spec.cached === true;
  const fromReplica = services.replica !== undefined && reading && !services.replica.writers.wroteRecently(caller);
  if (fromReplica) readFromForRequest(services.replica!.db);
  // Answers read on the replica are kept apart: its versions are its own, and the answer front serves the primary's only.
  const answers = fromReplica ? services.replica!.answers : services.answers;
  if (!spec.query && Object.keys(req.query).length > 0) {
    throw new BadRequest(
      said('no_query_parameters', { method: spec.method.toUpperCase(), path: spec.path }),
      Object.keys(req.query).map((key) => detail({ path: `query.${key}` }, said('not_a_parameter'))),
    );
  }
  // A body the route does not read would be dropped unseen (a DELETE's `{ "id": … }`): refused instead.
  if (!spec.body && !spec.bodyTypes && carriesBody(req)) {
    throw new BadRequest(said('no_body', { method: spec.method.toUpperCase(), path: spec.path }), [
      detail({ path: 'body' }, said('not_expected')),
    ]);
  }
  if (spec.body && !req.is('application/json') && !spec.bodyTypes?.some((type) => req.is(type))) {
    throw new HttpProblem(415, 'Unsupported Media Type', said('send_json'), [
      detail({ path: 'headers.content-type' }, said('must_be_json_type')),
    ]);
  }
  const query = parse(spec.query, req.query, 'query');
  const params = parse(spec.params, req.params, 'params');
  const body = parse(spec.body, req.body, 'body');
  let stored: { key: string; version: number; etag: string; day: string } | undefined;
  if (reading) {
    const version = await services.dataVersion();
    const day = today();
    const etag = entityTag(version, req.originalUrl, caller, day);
    // The 304 names what its 200 varies by, as the 200 does.
    res.set('ETag', etag).vary('Accept-Encoding');
    if (matches(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    const key = answerKey(callerScope(caller), req.originalUrl);
    const hit = answers?.get(key, version);
    if (hit && hit.etag === etag) {
      const coding = codingFor(req.headers['accept-encoding'], hit.body.length);
      sendJson(res, answers!.form(key, hit, coding).body, coding);
      return;
    }
    stored = { key, version, etag, day };
  }
  const giveBack = spec.downloads && asksFile(req) ? services.downloads?.claim(req, caller) : undefined;
  let result: unknown;
  try {
    result = await spec.handle({ req, res, query, params, body, caller, holdChanges });
  } finally {
    giveBack?.();
  }
  if (spec.method !== 'get' && caller && res.statusCode < 400) services.replica?.writers.wrote(caller);
  if (result === undefined || res.headersSent) return;
  const json = Buffer.from(JSON.stringify(result));
  const coding = codingFor(req.headers['accept-encoding'], json.length);
  if (stored && answers && res.statusCode === 200) {
    res.type('application/json').vary('Accept-Encoding');
    const answer = { ...stored, body: json, ...answerHeaders(sentHeaders(res), json.length) };
    answers.set(stored.key, answer);
    sendJson(res, answers.form(stored.key, answer, coding).body, coding);
    return;
  }
  sendJson(res, coding === 'identity' ? json : encodeBody(json, coding), coding);
}

/** Whether a request says it sends content: a length above 0, or a chunked body. */
function carriesBody(req: Request): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** Sends a JSON body already in `coding`, saying how it is encoded and that the encoding varies. */
function sendJson(res: Response, body: Buffer, coding: Coding): void {
  res.type('application/json').vary('Accept-Encoding');
  if (coding !== 'identity') res.set('Content-Encoding', coding);
  res.send(body);
}

/**
 * Who changed data in the last seconds: their reads go to the primary, so that a steward who saves
 * a record sees it at once, whatever the replica's lag. Others read the replica, which is seconds
 * behind at most while it is healthy.
 */
export class RecentWriters {
  #until = new Map<number, number>();
  constructor(readonly windowMs = 10_000) {}

  wrote(caller: Caller): void {
    if (this.#until.size > 10_000) this.#until.clear();
    this.#until.set(caller.id, Date.now() + this.windowMs);
  }

  wroteRecently(caller: Caller | null): boolean {
    if (!caller) return false;
    const until = this.#until.get(caller.id);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.#until.delete(caller.id);
    return false;
  }
}

/** What an answer may depend on about its caller: the role and the university. */
export function callerScope(caller: Caller | null): string {
  return caller ? `${caller.role}:${caller.university ?? ''}` : 'anonymous';
}

/** Weak, since the same data may be written as JSON or CSV with different bytes. */
function entityTag(version: number, url: string, caller: Caller | null, day: string): string {
  // Today is part of the answer where a period defaults to "this year to date".
  const digest = createHash('sha256')
    .update(`${url}\n${callerScope(caller)}\n${day}`)
    .digest('base64url')
    .slice(0, 22);
  return `W/"${version}-${digest}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison). */
export function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

function authorize(access: Access, caller: Caller | null): void {
  if (access === 'anyone') return;
  if (!caller) throw new Unauthorized();
  if (access === 'signed_in') return;
  if (!access.includes(caller.role)) throw new Forbidden(said('role_needed', { roles: access, role: caller.role }));
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'query' | 'params' | 'body'): T {
  if (!schema) return undefined as T;
  const unstorable = unrepresentableText(value, where);
  const invalid = said('request_invalid', { where: where === 'params' ? 'path' : where });
  if (unstorable) throw new BadRequest(invalid, [unstorable]);
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new BadRequest(invalid, zodProblems(result.error, where));
}

/** Zod issues as problem details, with the parameter's path (`query.by`) and the problem each issue says. */
export function zodProblems(error: z.ZodError, prefix?: string): ProblemDetail[] {
  return error.issues.map((issue) =>
    issueDetail({ path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)' }, issue.message),
  );
}
