import { mkdirSync, readFileSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { type CompiledQuery, Kysely, type LogEvent, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ClosingCursor } from './closing-cursor.js';
import { PGliteDialect } from './pglite-dialect.js';
import { AvailabilityMonitor } from './availability.js';
import { ChangeFeed, pgliteChangeSource, postgresChangeSource } from './change-feed.js';
import { type TrackedPool, trackedPool } from './request-connections.js';
import { attachChangeFeed, requestConnections } from './versioned.js';
import type { Database } from './schema.js';
import { maskCredentials } from '../lib/redact.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** The one database handle of a process: Kysely, which engine is behind it, and how to close it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  /**
   * For imports, exports and seeding: on PostgreSQL a pool of its own (two connections, long
   * timeouts), so that long bulk work can never take the connections dashboard reads need.
   * On PGlite the same single connection as `db`.
   */
  readonly bulk: Kysely<Database>;
  /**
   * PostgreSQL only: runs `COPY (query) TO STDOUT` on a bulk connection and yields what the
   * server writes, so that PostgreSQL itself renders a large CSV export. PGlite has no streamed COPY.
   */
  readonly copyOut?: CopyOut;
  /**
   * PostgreSQL with DATABASE_READ_URL: a read replica for dashboard reads (see `requestReader`).
   * Sessions, writes and a writer's own reads right after its write stay on `db`.
   */
  readonly replica?: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** PostgreSQL only: whether the server answers right now (watched once a second). */
  readonly availability?: AvailabilityMonitor;
  /**
   * The writes to `db` as they commit (sql/0012): the data version and account changes, kept in
   * memory. Not listening until started (the application starts it; short commands never do).
   */
  readonly changes: ChangeFeed;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The bytes of `COPY (<query>) TO STDOUT WITH (<options>)`, streamed; a consumer that stops early ends the COPY. */
export type CopyOut = (query: CompiledQuery, options: string) => AsyncIterable<Buffer>;

/** Start-up could not open the database: the message is one line that names the cause. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

const OID = { INT8: 20, INT4: 23, NUMERIC: 1700, DATE: 1082 } as const;

/**
 * `numeric` and `bigint` become JavaScript numbers: every count fits, and money is exact to
 * the fen while the total stays below 2^53 fen (about 90 trillion yuan). `date` stays the
 * ISO string PostgreSQL sends, so no time zone can shift a calendar day.
 */
const toNumber = (text: string): number => Number(text);
const keepText = (text: string): string => text;

const PGLITE_PARSERS = { [OID.INT8]: toNumber, [OID.NUMERIC]: toNumber, [OID.DATE]: keepText };

const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === OID.INT8 || oid === OID.NUMERIC) return toNumber;
    if (oid === OID.DATE) return keepText;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** PGlite only: start in memory, e.g. for tests that need no persistence. */
  inMemory?: boolean;
  /** PGlite only: use this open instance (tests hand in clones of one migrated database). */
  pglite?: PGlite;
  /** Maximum pool size for node-postgres. */
  poolSize?: number;
  /** PostgreSQL only: watch the server's availability (default on; off for short-lived commands). */
  watch?: boolean;
  /** PostgreSQL only: a read replica of `databaseUrl`. */
  readUrl?: string | undefined;
  /** Sees every query run through `db` (benchmarks replay them; debugging). */
  log?: (event: LogEvent) => void;
  /** PostgreSQL only: how long a COMMIT cut off by a lost connection waits to learn its outcome (default 10 s). */
  commitWaitMs?: number;
  /** PostgreSQL only: the availability probe's window (default 1.5 s; see AvailabilityMonitor). */
  probeWindowMs?: number;
}

/** Builds the process's Kysely: node-postgres when a URL is given, PGlite otherwise. */
export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? connectPostgres(
        options.databaseUrl,
        options.poolSize ?? 10,
        options.watch ?? true,
        options.log,
        options.readUrl,
        options.commitWaitMs,
        options.probeWindowMs,
      )
    : connectPglite(options);
}

/** Connections of the bulk pool: imports and exports queue for these two, never for the readers'. */
export const BULK_POOL_SIZE = 2;
const STATEMENT_TIMEOUT_MS = 30_000;
const BULK_STATEMENT_TIMEOUT_MS = 30 * 60_000;
/**
 * A COMMIT in doubt holds its answer at most this long while the server is asked what became of it:
 * long enough for a network that hiccups to come back, short enough for a person waiting on a save.
 */
const COMMIT_WAIT_MS = 10_000;

async function connectPostgres(
  databaseUrl: string,
  poolSize: number,
  watch: boolean,
  log?: (event: LogEvent) => void,
  readUrl?: string,
  commitWaitMs = COMMIT_WAIT_MS,
  probeWindowMs?: number,
): Promise<DatabaseHandle> {
  const pool = createPool(databaseUrl, poolSize, 'reads');
  try {
    await probe(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (pgCode(error) !== '3D000') throw unavailable(databaseUrl, error);
    // The server is there but the database is not: create it, as `createdb` would.
    await createDatabaseOn(databaseUrl).catch((createError: unknown) => {
      throw unavailable(databaseUrl, createError);
    });
    return connectPostgres(databaseUrl, poolSize, watch, log, readUrl, commitWaitMs);
  }
  // Every checkout is registered with the request it serves, so that a request answered 503 can be
  // cut off from the database before the answer goes (request-connections.ts).
  const track = (from: pg.Pool, url: string): TrackedPool =>
    trackedPool(from, { connectionString: url, current: requestConnections, commitWaitMs });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: track(pool, databaseUrl), cursor: ClosingCursor }),
    ...(log ? { log } : {}),
  });
  const bulkPool = createPool(databaseUrl, BULK_POOL_SIZE, 'bulk');
  const trackedBulk = track(bulkPool, databaseUrl);
  const bulk = new Kysely<Database>({ dialect: new PostgresDialect({ pool: trackedBulk, cursor: ClosingCursor }) });
  const availability = new AvailabilityMonitor(databaseUrl, undefined, probeWindowMs);
  if (watch) availability.start();
  const replicaPool = readUrl ? createPool(readUrl, poolSize, 'reads') : undefined;
  const replica = replicaPool
    ? new Kysely<Database>({
        dialect: new PostgresDialect({ pool: track(replicaPool, readUrl!), cursor: ClosingCursor }),
        ...(log ? { log } : {}),
      })
    : undefined;
  const changes = new ChangeFeed(postgresChangeSource(databaseUrl));
  // A stall keeps the feed's socket open and silent: its version holds only while the server answers.
  changes.reachable = () => availability.answering;
  attachChangeFeed(db, changes);
  return {
    db,
    changes,
    bulk,
    ...(replica ? { replica } : {}),
    copyOut: (query, options) => copyOutOf(trackedBulk, query, options),
    kind: 'postgres',
    availability,
    ping: (timeoutMs = 2000) => pingWithTimeout(db, timeoutMs),
    close: async () => {
      await changes.stop();
      await availability.stop();
      // Kysely only ends a pool it has used; end them in any case.
      await db.destroy();
      await bulk.destroy();
      await replica?.destroy();
      if (!pool.ended) await pool.end();
      if (!bulkPool.ended) await bulkPool.end();
      if (replicaPool && !replicaPool.ended) await replicaPool.end();
    },
  };
}

/**
 * What a pool's connections are for. `reads`: requests, with the short timeout; their statements
 * read rollups of a few thousand rows, for which starting parallel workers costs more (several
 * milliseconds) than it saves, so only plans ten times dearer than PostgreSQL's default threshold
 * get workers. `bulk`: imports and exports, with the long timeout and PostgreSQL's defaults.
 */
const POOL_USE = {
  reads: { statementTimeoutMs: STATEMENT_TIMEOUT_MS, settings: ' -c parallel_setup_cost=10000' },
  bulk: { statementTimeoutMs: BULK_STATEMENT_TIMEOUT_MS, settings: '' },
} as const;

/**
 * A node-postgres pool. `connectionTimeoutMillis` bounds both a new connection and the wait for a
 * free one, so a request that cannot get a connection in time fails (503) instead of queueing forever.
 */
function createPool(databaseUrl: string, max: number, use: keyof typeof POOL_USE): pg.Pool {
  const { statementTimeoutMs, settings } = POOL_USE[use];
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    types: PG_TYPES,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: statementTimeoutMs,
    options: `-c TimeZone=UTC -c DateStyle=ISO,YMD${settings}`,
  });
  // A client that loses its server emits 'error': idle ones on the pool, checked-out ones on
  // themselves. Without a listener either would crash the process; the query that was running
  // fails on its own, and the pool drops the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * COPY takes no parameters, so the query's are written into it as literals, quoted by
 * node-postgres's `escapeLiteral`; `$n` inside the query's own string literals is left alone.
 */
export function inlineParameters(query: CompiledQuery): string {
  return query.sql
    .split(/('(?:[^']|'')*')/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replaceAll(/\$(\d+)/g, (_, n: string) => {
            const value = query.parameters[Number(n) - 1];
            if (value === undefined) throw new Error(`the query has no parameter $${n}`);
            if (typeof value === 'number' && Number.isFinite(value)) return String(value);
            if (typeof value !== 'string') throw new Error(`parameter $${n} is neither text nor a number`);
            return pg.escapeLiteral(value);
          }),
    )
    .join('');
}

/** Joins small chunks into ones of at least `size` bytes (the last may be smaller). */
class Coalesce extends Transform {
  #parts: Buffer[] = [];
  #bytes = 0;
  constructor(private readonly size = 64 * 1024) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: string, done: TransformCallback): void {
    this.#parts.push(chunk);
    this.#bytes += chunk.length;
    if (this.#bytes >= this.size) this.#flushParts();
    done();
  }
  override _flush(done: TransformCallback): void {
    this.#flushParts();
    done();
  }
  #flushParts(): void {
    if (this.#bytes === 0) return;
    this.push(Buffer.concat(this.#parts, this.#bytes));
    this.#parts = [];
    this.#bytes = 0;
  }
}

async function* copyOutOf(pool: TrackedPool, query: CompiledQuery, options: string): AsyncGenerator<Buffer> {
  const text = `copy (${inlineParameters(query)}) to stdout with (${options})`;
  const client = await pool.connect();
  const stream = client.query(copyTo(text));
  let broken = false;
  try {
    // The server sends a message per row; gather them into chunks of about 64 KB, so that the
    // consumer's work (and its await) is per chunk, not per row. Through `pipeline`, not `pipe`: a
    // COPY that fails (its backend ended, its connection lost) must fail this loop, where `pipe`
    // would leave the loop waiting for ever and the error, with no listener, ending the process.
    for await (const chunk of pipeline(stream, new Coalesce(), () => undefined)) yield chunk as Buffer;
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A consumer that stopped early leaves the COPY running on the connection: drop that connection.
    const finished = stream.readableEnded && !broken;
    if (!finished) {
      // Dropping the connection fails the COPY once more ("Connection terminated"), after the loop
      // above has stopped listening: without a listener that error would end the process.
      stream.on('error', () => undefined);
      stream.destroy();
    }
    client.release(finished ? undefined : true);
  }
}

async function probe(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select 1');
  } finally {
    client.release();
  }
}

async function createDatabaseOn(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`create database ${quoteIdentifier(name)}`);
  } catch (error) {
    if (pgCode(error) !== '42P04') throw error; // created meanwhile by someone else: fine
  } finally {
    await client.end();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function connectPglite(options: ConnectOptions): Promise<DatabaseHandle> {
  let pglite: PGlite;
  let release = (): void => undefined;
  if (options.pglite) {
    pglite = options.pglite;
  } else if (options.inMemory) {
    pglite = await PGlite.create();
  } else {
    const dataDir = options.dataDir ?? './data';
    release = lockDataDir(dataDir);
    try {
      pglite = await PGlite.create(join(dataDir, 'pglite'));
    } catch (error) {
      release();
      throw new DatabaseUnavailableError(`cannot open the embedded database in ${dataDir}: ${describe(error)}`);
    }
  }
  await pglite.exec(`set time zone 'UTC'`);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, { parsers: PGLITE_PARSERS }) });
  const changes = new ChangeFeed(pgliteChangeSource(pglite, db));
  attachChangeFeed(db, changes);
  return {
    db,
    bulk: db,
    changes,
    kind: 'pglite',
    ping: (timeoutMs = 2000) => pingPglite(pglite, timeoutMs),
    close: async () => {
      await changes.stop();
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}

/**
 * One process at a time may open an embedded data directory: two would corrupt it.
 * A lock left by a killed process is taken over once that process is gone.
 */
function lockDataDir(dataDir: string): () => void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    writeFileSync(join(dataDir, '.write-test'), '');
    rmSync(join(dataDir, '.write-test'));
  } catch (error) {
    throw new DatabaseUnavailableError(`DATA_DIR ${dataDir} cannot be written: ${describe(error)}`);
  }
  const lockFile = join(dataDir, 'pglite.lock');
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new DatabaseUnavailableError(`DATA_DIR ${dataDir} is in use by another process (pid ${holder})`);
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function pingWithTimeout(db: Kysely<Database>, timeoutMs: number): Promise<void> {
  await withTimeout(sql`select 1`.execute(db), timeoutMs);
}

/**
 * The embedded database answers when its engine runs a statement. The ping goes to PGlite itself,
 * not through the one connection that Kysely hands to a transaction at a time: a long import
 * holds that connection, but runs statement by statement, and the ping takes its turn between
 * two of them. Inside that transaction, a refusal of its state (class 25) is an answer too.
 */
async function pingPglite(pglite: PGlite, timeoutMs: number): Promise<void> {
  const answered = pglite.query('select 1').catch((error: unknown) => {
    if (!pgCode(error)?.startsWith('25')) throw error;
  });
  await withTimeout(answered, timeoutMs);
}

async function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function unavailable(databaseUrl: string, error: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError(`cannot reach the database at ${maskCredentials(databaseUrl)}: ${describe(error)}`);
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) {
    const code = pgCode(error);
    return error.message || code || error.name;
  }
  return String(error);
}
