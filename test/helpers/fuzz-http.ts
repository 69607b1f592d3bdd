import { appendFileSync } from 'node:fs';
import { Agent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { isProblemCode } from '../../contract/problems.js';
import { type FuzzContext, type FuzzRequest, type FuzzRole, fuzzRequest, type Operation } from './fuzz-requests.js';

/** The cookie and CSRF token each fuzzing identity sends, and a session that has ended. */
export interface Sessions {
  identities: Record<Exclude<FuzzRole, 'anonymous'>, { cookie: string; csrf: string }>;
  ended: string;
}

/** A server under fuzz: where it listens, how its callers are signed in again, whether it still stands. */
export interface FuzzTarget {
  label: string;
  /** `http://127.0.0.1:port` */
  origin: string;
  context: FuzzContext;
  /** Before each batch: fresh sessions (a fuzzed sign-out ends one) and the identities as they were. */
  prepare(): Promise<Sessions>;
  /** After each batch: why the server is not well (it exited, /health does not answer), or undefined. */
  trouble(): Promise<string | undefined>;
}

export type Outcome =
  | { kind: 'answer'; status: number; headers: IncomingHttpHeaders; body: Buffer; ms: number }
  | { kind: 'no-answer'; error: string; ms: number }
  | { kind: 'cut' };

export interface Failure {
  index: number;
  target: string;
  request: FuzzRequest;
  reason: string;
  status?: number;
  body?: string;
}

const TIMEOUT_MS = 20_000;

/** Sends one request as its role, on a keep-alive connection (or its own, when it is to be cut off). */
export function send(origin: string, request: FuzzRequest, sessions: Sessions, agent: Agent): Promise<Outcome> {
  const url = new URL(origin);
  const headers: Record<string, string> = { ...request.headers };
  if (request.role !== 'anonymous') {
    const identity = sessions.identities[request.role];
    if (request.credentials === 'forged-cookie') headers.cookie = 'ao_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    else if (request.credentials === 'ended-session') headers.cookie = sessions.ended;
    else headers.cookie = identity.cookie;
    if (request.credentials === 'session') headers['x-csrf-token'] = identity.csrf;
    if (request.credentials === 'wrong-csrf') headers['x-csrf-token'] = `${identity.csrf.slice(1)}x`;
  }
  if (request.body) headers['content-length'] = String(request.body.length);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: request.method,
      path: request.path,
      headers,
      agent: request.cutAt === undefined ? agent : false,
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({
          kind: 'answer',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: performance.now() - started,
        }),
      );
      res.on('error', (error) =>
        done({ kind: 'no-answer', error: `the answer was cut: ${error.message}`, ms: performance.now() - started }),
      );
    });
    req.on('error', (error) =>
      done(
        request.cutAt !== undefined
          ? { kind: 'cut' }
          : { kind: 'no-answer', error: error.message, ms: performance.now() - started },
      ),
    );
    if (request.cutAt !== undefined && request.body) {
      // A client that goes away mid-body: the server must let go of the request, not of itself.
      req.write(request.body.subarray(0, request.cutAt));
      setTimeout(() => {
        req.destroy();
        done({ kind: 'cut' });
      }, 5);
      return;
    }
    req.end(request.body);
  });
}

/** Words in an error body that only the database or the runtime would write. */
const LEAKS: readonly RegExp[] = [
  /\(\s*[0-9][0-9A-Z]{4}\s*\)/, // a SQLSTATE in parentheses, "(22P02)"
  /\bSQLSTATE\b/i,
  /invalid input syntax/i,
  /violates (?:foreign key|not-null|check|unique|exclusion) constraint/i,
  /duplicate key value/i,
  /syntax error at or near/i,
  /invalid byte sequence/i,
  /out of range for type/i,
  /value too long for type/i,
  /current transaction is aborted/i,
  /relation "[^"]*" does not exist/i,
  /\bpglite\b|\bkysely\b|node_modules/i,
  /is not a function|Cannot read propert|undefined is not|Maximum call stack/i,
];
/** A stack trace in any body. */
const STACK = /\n\s+at [^\n]*(?::\d+:\d+|\(native\))|\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)[^)]*:\d+:\d+\)/;

/** Why an answer is wrong, or undefined: no 5xx, errors as problem+json, nothing leaked, no door opened to the wrong role. */
export function verdict(request: FuzzRequest, outcome: Outcome, operation: Operation | undefined): string | undefined {
  if (outcome.kind === 'cut') return undefined;
  if (outcome.kind === 'no-answer') return `no answer: ${outcome.error}`;
  const { status, headers, body } = outcome;
  const text = body.toString('utf8');
  const sent = `${decodeSafely(request.path)}\n${request.body?.toString('utf8') ?? ''}`;
  if (STACK.test(text) && !STACK.test(sent)) return `a stack trace in the body`;
  if (status >= 500) {
    const documented503 =
      status === 503 && headers['retry-after'] !== undefined && operation?.spec.responses?.['503'] !== undefined;
    if (!documented503) return `${status}${headers['retry-after'] ? ' (with Retry-After, not documented for this route)' : ''}`;
  }
  // Node itself refuses a method it does not know (400) and a request head over 16 KB (431), before any application code runs.
  const bare = !headers['content-type'] && body.length === 0;
  if (bare && status === 400 && !KNOWN_TO_NODE.has(request.method)) return undefined;
  if (bare && status === 431 && request.path.length + JSON.stringify(request.headers).length > 16_000) return undefined;
  if (status >= 400) {
    const type = String(headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json'))
      return `${status} as ${type || 'no content type'}, not application/problem+json`;
    if (request.method === 'HEAD') return undefined;
    let problem: { title?: unknown; status?: unknown; code?: unknown; errors?: Array<{ code?: unknown }> };
    try {
      problem = JSON.parse(text);
    } catch {
      return `${status}: the problem is not JSON`;
    }
    if (typeof problem.title !== 'string' || problem.status !== status)
      return `${status}: the problem has no title or a wrong status`;
    // Every problem, and every detail of one, is said by a code of the catalogue, never by words alone.
    const uncoded = [problem, ...(problem.errors ?? [])].find((said) => !isProblemCode(said.code) || said.code === 'unlisted');
    if (uncoded) return `${status}: a problem without a catalogue code (${JSON.stringify(uncoded).slice(0, 200)})`;
    const leak = LEAKS.find((pattern) => pattern.test(text) && !pattern.test(sent));
    if (leak) return `${status}: the problem shows what the database or runtime said (${leak.source})`;
  }
  if (
    status < 400 &&
    request.method !== 'OPTIONS' &&
    operation &&
    request.operation === `${request.method === 'HEAD' ? 'GET' : request.method} ${operation.path}`
  ) {
    const access = operation.spec['x-access'] as 'anyone' | 'signed_in' | string[] | undefined;
    const signedIn =
      request.role !== 'anonymous' &&
      (request.credentials === 'session' || request.credentials === 'no-csrf' || request.credentials === 'wrong-csrf');
    const allowed =
      access === 'anyone' || (signedIn && (access === 'signed_in' || (Array.isArray(access) && access.includes(request.role))));
    if (!allowed) return `${status} for ${request.role} (${request.credentials}), whom the document does not allow`;
  }
  return undefined;
}

const KNOWN_TO_NODE = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'PROPFIND',
  'PURGE',
  'SEARCH',
  'TRACE',
]);

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The seed of a batch: every batch can be made again alone, so a case is named by the run's seed and its index. */
export const batchSeed = (seed: number, batch: number): number => (seed + Math.imul(batch, 0x9e3779b1)) | 0;

/** The requests of one batch, as every run with this seed makes them. */
export function batchRequests(arbitrary: fc.Arbitrary<FuzzRequest>, seed: number, batch: number, size: number): FuzzRequest[] {
  return fc.sample(arbitrary, { seed: batchSeed(seed, batch), numRuns: size });
}

export interface RunOptions {
  seed: number;
  /** Case indices [from, to) are sent to this target. */
  from: number;
  to: number;
  batchSize: number;
  concurrency: number;
  /** Only these case indices (a replay), when set. */
  only?: ReadonlySet<number>;
  /** Told after each batch, e.g. to bring a fallen server back. */
  afterBatch?: (trouble: string | undefined) => Promise<void>;
}

export interface RunResult {
  sent: number;
  failures: Failure[];
  statuses: Map<number, number>;
  slowest: { ms: number; index: number };
  /** Milliseconds spent per operation, summed over its cases: where the run's time goes. */
  time: Map<string, number>;
}

/** Sends cases [from, to) in batches, a few at a time; after each batch the server must still stand. */
export async function runFuzz(target: FuzzTarget, options: RunOptions, processErrors: () => string[]): Promise<RunResult> {
  const arbitrary = fuzzRequest(target.context);
  const operations = new Map(target.context.operations.map((op) => [`${op.method} ${op.path}`, op]));
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const result: RunResult = { sent: 0, failures: [], statuses: new Map(), slowest: { ms: 0, index: -1 }, time: new Map() };
  try {
    for (let batch = Math.floor(options.from / options.batchSize); batch * options.batchSize < options.to; batch++) {
      const first = batch * options.batchSize;
      const indices = Array.from({ length: options.batchSize }, (_, j) => first + j).filter(
        (i) => i >= options.from && i < options.to && (!options.only || options.only.has(i)),
      );
      if (indices.length === 0) continue;
      const requests = batchRequests(arbitrary, options.seed, batch, options.batchSize);
      const sessions = await target.prepare();
      const errorsBefore = processErrors().length;
      let next = 0;
      const inFlight = new Set<number>();
      const worker = async () => {
        while (next < indices.length) {
          const index = indices[next++]!;
          const request = requests[index - first]!;
          inFlight.add(index);
          let outcome = await send(target.origin, request, sessions, agent);
          // A keep-alive connection the server closed as it was reused: ask again once, on a new one.
          if (outcome.kind === 'no-answer' && /socket hang up|ECONNRESET/.test(outcome.error) && !(await target.trouble()))
            outcome = await send(target.origin, request, sessions, new Agent());
          inFlight.delete(index);
          result.sent++;
          if (outcome.kind === 'answer') {
            result.statuses.set(outcome.status, (result.statuses.get(outcome.status) ?? 0) + 1);
            if (outcome.ms > result.slowest.ms) result.slowest = { ms: outcome.ms, index };
            result.time.set(request.operation, (result.time.get(request.operation) ?? 0) + outcome.ms);
          }
          const reason = verdict(request, outcome, operations.get(request.operation));
          if (reason) {
            result.failures.push({
              index,
              target: target.label,
              request,
              reason,
              ...(outcome.kind === 'answer' ? { status: outcome.status, body: outcome.body.toString('utf8').slice(0, 400) } : {}),
            });
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      const trouble = await target.trouble();
      const errors = processErrors().slice(errorsBefore);
      if (trouble || errors.length > 0) {
        result.failures.push({
          index: indices[0]!,
          target: target.label,
          request: requests[indices[0]! - first]!,
          reason: `after the batch of cases ${indices[0]}–${indices.at(-1)}: ${[trouble, ...errors].filter(Boolean).join('; ')}`,
        });
      }
      if (process.env.FUZZ_PROGRESS)
        appendFileSync(
          process.env.FUZZ_PROGRESS,
          `${target.label}: batch ${batch} done, ${result.sent} sent, ${result.failures.length} failures\n`,
        );
      await options.afterBatch?.(trouble);
    }
  } finally {
    agent.destroy();
  }
  return result;
}

/** Groups failures by what went wrong where, so that a report lists each fault once, with its first case. */
export function distinctFailures(failures: readonly Failure[]): Array<Failure & { count: number }> {
  const groups = new Map<string, Failure & { count: number }>();
  for (const failure of failures) {
    const key = `${failure.target}|${failure.request.operation}|${failure.reason.replace(/cases \d+–\d+/, '').replace(/\d{3,}/g, 'N')}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { ...failure, count: 1 });
  }
  return [...groups.values()];
}
