import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { CommitOutcomeUnknown, WriteNotApplied } from '../lib/problems.js';

/**
 * The PostgreSQL connections a request holds, so that a request answered with a failure can never
 * have written anything: when the database stops answering, the route layer cuts these connections
 * (their sockets are reset, so the server rolls their open transactions back and no COMMIT still in
 * our send buffer is ever delivered) *before* it sends the 503, and from then on the request can
 * neither check out a connection nor send a statement, a COMMIT least of all.
 *
 * The one case a cut cannot settle is a COMMIT already sent: the server may have committed it. The
 * tracked client handles that itself (see `TrackedClient.#commit`): it notes the transaction's id
 * just before COMMIT, and when the COMMIT fails without the server's answer, it asks the server
 * (over new connections, for at most `commitWaitMs`) whether that transaction committed. The request
 * is then answered by what happened: success if it committed, `WriteNotApplied` if not, and
 * `CommitOutcomeUnknown` only if the server did not come back in time.
 *
 * PGlite runs in the process and has no network: nothing here is used there.
 */
export class RequestConnections {
  readonly #held = new Set<TrackedClient>();
  #closed = false;

  /** Whether the request has been answered early: no connection or statement is allowed any more. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Refuses every later checkout and statement of this request. */
  close(): void {
    this.#closed = true;
  }

  /** Resets every connection the request holds; says what was in flight on them. */
  cut(): CutReport {
    const report: CutReport = { commitInDoubt: false, statementInDoubt: false };
    for (const client of this.#held) {
      const one = client.cut();
      report.commitInDoubt ||= one.commitInDoubt;
      report.statementInDoubt ||= one.statementInDoubt;
    }
    return report;
  }

  /** @internal for the tracked pool */
  hold(client: TrackedClient): void {
    this.#held.add(client);
  }

  /** @internal for the tracked pool */
  drop(client: TrackedClient): void {
    this.#held.delete(client);
  }
}

/** What a request's connections were doing when they were cut. */
export interface CutReport {
  /** A transaction that wrote had sent its COMMIT: its own path learns the outcome and answers. */
  commitInDoubt: boolean;
  /** A statement that may write was running outside a transaction: whether it was applied is unknown. */
  statementInDoubt: boolean;
}

/** Thrown at a request's statement or checkout after it has been answered. */
export class RequestAnswered extends Error {
  override readonly name = 'RequestAnswered';
  constructor() {
    super('Connection terminated: the request was answered already, so nothing more of it may reach the database');
  }
}

export interface TrackingOptions {
  /** Where to ask about a COMMIT in doubt (the pool's own database). */
  connectionString: string;
  /** The connections of the request the calling code runs for, if it runs for one. */
  current: () => RequestConnections | undefined;
  /** How long a COMMIT in doubt waits for the server to say what became of it. */
  commitWaitMs: number;
}

/** A pool whose clients are tracked per request; what Kysely's `PostgresDialect` and the COPY export use. */
export interface TrackedPool extends PostgresPool {
  connect(): Promise<TrackedClient>;
}

/** Wraps a node-postgres pool: each checkout is registered with the request that made it. */
export function trackedPool(pool: pg.Pool, options: TrackingOptions): TrackedPool {
  return {
    async connect() {
      const owner = options.current();
      if (owner?.closed) throw new RequestAnswered();
      const client = await pool.connect();
      if (owner?.closed) {
        client.release();
        throw new RequestAnswered();
      }
      const tracked = new TrackedClient(client, owner, options);
      owner?.hold(tracked);
      return tracked;
    },
    end: () => pool.end(),
  };
}

/** The first word of a statement, lower case: `begin`, `commit`, `insert`… */
const commandOf = (text: string): string => /^\s*([a-z]+)/i.exec(text)?.[1]?.toLowerCase() ?? '';

/** Statements that cannot write on their own: one of these running outside a transaction leaves nothing in doubt. */
const READS = new Set(['select', 'begin', 'start', 'commit', 'rollback', 'set', 'show', 'listen', 'values', 'table', 'explain']);

const CURRENT_TRANSACTION = 'select pg_current_xact_id_if_assigned()::text as xid, pg_backend_pid() as pid';

/** One checkout of a pooled client, on behalf of a request (or of none: a command, a background job). */
export class TrackedClient implements PostgresPoolClient {
  #inTransaction = false;
  /** The command in flight, if any. */
  #running: string | undefined;
  #committing = false;
  #cut = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly owner: RequestConnections | undefined,
    private readonly options: TrackingOptions,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<S>(submittable: S): S;
  query(first: unknown, parameters?: ReadonlyArray<unknown>): unknown {
    // A cursor or a COPY stream: reads (the exports), which a cut ends like any other statement.
    if (typeof first !== 'string') {
      this.#assertUsable('select');
      return this.client.query(first as pg.Submittable);
    }
    return this.#statement(first, parameters ?? []);
  }

  release(destroy?: boolean): void {
    this.owner?.drop(this);
    this.client.release(this.#cut || destroy === true ? true : undefined);
  }

  /** Resets the socket: whatever runs on it fails at once, and the server ends the session. */
  cut(): CutReport {
    if (this.#cut) return { commitInDoubt: false, statementInDoubt: false };
    this.#cut = true;
    const report = {
      commitInDoubt: this.#committing,
      statementInDoubt: this.#running !== undefined && !this.#inTransaction && !READS.has(this.#running),
    };
    resetSocket(this.client);
    return report;
  }

  #assertUsable(command: string): void {
    if (this.#cut) throw new RequestAnswered();
    if (this.owner?.closed && command !== 'rollback') throw new RequestAnswered();
  }

  async #statement(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> {
    const command = commandOf(text);
    // The server rolls back a cut session's transaction by itself; there is nothing to send.
    if (command === 'rollback' && this.#cut) {
      this.#inTransaction = false;
      return { command: 'ROLLBACK', rowCount: 0, rows: [] };
    }
    this.#assertUsable(command);
    if (command === 'commit' && this.#inTransaction) return this.#commit(text, parameters);
    this.#running = command;
    try {
      const result = await this.#send(text, parameters);
      if (command === 'begin' || command === 'start') this.#inTransaction = true;
      if (command === 'rollback' || command === 'commit' || command === 'end' || command === 'abort') this.#inTransaction = false;
      return result;
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * COMMIT, with its outcome made certain. The transaction's id is read first; a transaction that
   * wrote nothing has none, and its COMMIT's fate does not matter. When the COMMIT fails without an
   * answer from the server (the connection was lost or cut), the server is asked what became of it.
   */
  async #commit(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> {
    this.#running = 'select';
    const { rows } = await this.#send(CURRENT_TRANSACTION, []).finally(() => {
      this.#running = undefined;
    });
    const { xid, pid } = rows[0] as { xid: string | null; pid: number };
    this.#assertUsable('commit');
    this.#running = 'commit';
    this.#committing = xid !== null;
    try {
      return await this.#send(text, parameters);
    } catch (error) {
      // The server's own answer (a deferred constraint, a serialization failure): it did not commit.
      if (xid === null || error instanceof pg.DatabaseError) throw error;
      const outcome = await commitOutcome(this.options.connectionString, xid, pid, this.options.commitWaitMs);
      if (outcome === 'committed') return { command: 'COMMIT', rowCount: 0, rows: [] };
      throw outcome === 'aborted' ? new WriteNotApplied() : new CommitOutcomeUnknown(this.options.commitWaitMs);
    } finally {
      this.#running = undefined;
      this.#committing = false;
      this.#inTransaction = false;
    }
  }

  #send(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<unknown>> {
    return this.client.query(text, parameters as unknown[]) as unknown as Promise<PostgresQueryResult<unknown>>;
  }
}

/**
 * A reset (RST) rather than a polite close: the kernel then drops whatever it still holds to send,
 * so a statement written just before the cut is never delivered when the network comes back.
 */
function resetSocket(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { resetAndDestroy?(): void; destroy(): void } } }).connection
    ?.stream;
  if (!stream) return;
  try {
    if (stream.resetAndDestroy) stream.resetAndDestroy();
    else stream.destroy();
  } catch {
    stream.destroy(); // a TLS socket has no reset of its own
  }
}

export type CommitOutcome = 'committed' | 'aborted' | 'unknown';

/**
 * Asks the server, over a new connection each time, what became of transaction `xid`, until it
 * answers or `waitMs` has passed. First it ends the backend `pid` if that backend still holds the
 * transaction (it is ours, and we have given up on it): a COMMIT it has not received can then
 * never arrive, and the transaction aborts at once instead of when the server notices the lost
 * client. `pg_xact_status` then says `committed` or `aborted` (`in progress` only while the
 * backend is ending; NULL if the id is too old to know, which seconds never make it).
 */
export async function commitOutcome(connectionString: string, xid: string, pid: number, waitMs: number): Promise<CommitOutcome> {
  const deadline = performance.now() + waitMs;
  const xid32 = (BigInt(xid) & 0xffff_ffffn).toString();
  while (performance.now() < deadline) {
    const left = Math.max(100, Math.min(1000, deadline - performance.now()));
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: left, query_timeout: left });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select pg_terminate_backend(pid) from pg_stat_activity where pid = $1 and backend_xid = $2::xid', [
        pid,
        xid32,
      ]);
      const { rows } = await client.query<{ status: string | null }>('select pg_xact_status($1::xid8) as status', [xid]);
      const status = rows[0]?.status ?? null;
      if (status === 'committed' || status === 'aborted') return status;
      if (status === null) return 'unknown';
    } catch {
      // Not answering yet: try again while there is time.
    } finally {
      resetSocket(client);
      client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(0, deadline - performance.now()))));
  }
  return 'unknown';
}
