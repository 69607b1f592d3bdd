import type { PGlite, QueryOptions } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect for PGlite, the embedded WebAssembly build of PostgreSQL.
 *
 * PGlite is a single connection, so the driver hands it to one Kysely connection at a
 * time (a transaction holds it until commit or rollback); everything else is
 * PostgreSQL's own adapter, compiler and introspector, so queries are identical to
 * the node-postgres path.
 */
export class PGliteDialect implements Dialect {
  /** `options` (type parsers, serializers) apply to every query, so a clone behaves like its source. */
  constructor(
    private readonly pglite: PGlite,
    private readonly options: QueryOptions = {},
  ) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.options);
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #mutex = new ConnectionMutex();
  readonly #connection: PGliteConnection;

  constructor(
    private readonly pglite: PGlite,
    options: QueryOptions,
  ) {
    this.#connection = new PGliteConnection(pglite, options);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock(ACQUIRE_TIMEOUT_MS);
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
    this.#connection.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.#connection.inTransaction = false;
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.#connection.inTransaction = false;
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

const AFFECTING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PGliteConnection implements DatabaseConnection {
  /** Set by the driver between begin and commit/rollback, so a stream does not open its own. */
  inTransaction = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly options: QueryOptions,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters the text may hold several statements (a migration file);
    // `exec` runs them through the simple protocol, as node-postgres does.
    if (compiledQuery.parameters.length === 0) {
      const results = await this.pglite.exec(compiledQuery.sql, this.options);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as R[], numAffectedRows: affected(last) };
    }
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters], this.options);
    return { rows: result.rows, numAffectedRows: affected(result) };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('chunkSize must be a positive integer');
    // PGlite has no wire-level cursor; a SQL cursor inside a transaction streams the same way.
    const ownTransaction = !this.inTransaction;
    const cursor = `kysely_stream_${++streamCounter}`;
    if (ownTransaction) await this.pglite.exec('begin');
    let failed = false;
    try {
      await this.pglite.query(`declare ${cursor} no scroll cursor for ${compiledQuery.sql}`, [...compiledQuery.parameters]);
      for (;;) {
        const chunk = await this.pglite.query<R>(`fetch ${chunkSize} from ${cursor}`, [], this.options);
        if (chunk.rows.length === 0) break;
        yield { rows: chunk.rows };
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (ownTransaction) await this.pglite.exec(failed ? 'rollback' : 'commit');
      else if (!failed) await this.pglite.exec(`close ${cursor}`);
    }
  }
}

let streamCounter = 0;

function affected(result: { affectedRows?: number; command?: string } | undefined): bigint | undefined {
  if (!result?.command || !AFFECTING.has(result.command.toUpperCase())) return undefined;
  return BigInt(result.affectedRows ?? 0);
}

/** How long a query waits for PGlite's one connection before it gives up (a 503 to the client). */
const ACQUIRE_TIMEOUT_MS = 20_000;

/** The embedded database stayed busy too long; SQLSTATE 53300 (too many connections) says so to the error handler. */
export class DatabaseBusyError extends Error {
  readonly code = '53300';
  constructor() {
    super('the embedded database is busy; try again shortly');
  }
}

class ConnectionMutex {
  #locked = false;
  readonly #waiting: Array<() => void> = [];

  async lock(timeoutMs: number): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.#waiting.indexOf(waiter);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(new DatabaseBusyError());
      }, timeoutMs);
      this.#waiting.push(waiter);
    });
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#locked = false;
  }
}
