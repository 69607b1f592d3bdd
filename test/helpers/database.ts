import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { inject } from 'vitest';
import type { ChangeFeed } from '../../server/db/change-feed.js';
import { connectDatabase, quoteIdentifier, type DatabaseHandle, type DatabaseKind } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { databaseUrl } from './global-setup.js';

/** Which database this test project runs against. */
export const TEST_DB: DatabaseKind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

let emptyDump: Promise<File | Blob> | undefined;
let migratedDump: Promise<File | Blob> | undefined;
let counter = 0;

/**
 * One empty and one migrated PGlite per worker, written once to a data directory's dump; each test
 * file gets a database loaded from it (what `PGlite.clone()` does, without dumping the same source
 * again for every file).
 */
function pgliteSource(migrated: boolean): Promise<File | Blob> {
  if (!migrated) return (emptyDump ??= PGlite.create().then((source) => source.dumpDataDir('none')));
  return (migratedDump ??= (async () => {
    const source = await PGlite.create();
    // Migrate the source itself; the handle is dropped unclosed, since closing would close the source.
    const handle = await connectDatabase({ pglite: source });
    await migrateToLatest(handle.db);
    return source.dumpDataDir('none');
  })());
}

export interface TestDatabase extends DatabaseHandle {
  /** A connection URL, for the PostgreSQL project only (e.g. to start the server as a process). */
  readonly url: string | undefined;
}

/**
 * A database of the project's kind that no other test file sees: migrated unless
 * `migrated: false`. Close it in `afterAll`.
 */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  if (TEST_DB === 'pglite') {
    const handle = await connectDatabase({ pglite: await PGlite.create({ loadDataDir: await pgliteSource(migrated) }) });
    return { ...handle, url: undefined };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const prefix = inject('pgPrefix');
  const name = `${prefix}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const create = migrated
      ? `create database ${quoteIdentifier(name)} template ${quoteIdentifier(`${prefix}_template`)}`
      : `create database ${quoteIdentifier(name)}`;
    // Two workers copying the template at the same instant: one waits for the other.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(create);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrl(base, name);
  // A probe may wait seconds on a loaded two-core machine (vitest.config.ts widens the window): only
  // the outage tests, which connect on their own, keep production's.
  const probeWindowMs = Number(process.env.DATABASE_PROBE_WINDOW_MS) || undefined;
  const handle = await connectDatabase({ databaseUrl: url, poolSize: 5, ...(probeWindowMs ? { probeWindowMs } : {}) });
  const watch = new WriteWatch(handle.changes);
  return { ...handle, db: handle.db.withPlugin(watch), bulk: handle.bulk.withPlugin(watch), url };
}

/** Statements that may write: the rest only read. */
const WRITES = new Set<RootOperationNode['kind']>([
  'InsertQueryNode',
  'UpdateQueryNode',
  'DeleteQueryNode',
  'MergeQueryNode',
  'RawNode',
]);
/** Writes counted per change feed (that is, per database handle, however often the handle is spread). */
const watches = new WeakMap<ChangeFeed, WriteWatch>();

/**
 * Why a test's request could see the database as it was before the test's own write (auth.test
 * did, once in a CI run): on PostgreSQL the server answers from memory (remembered sessions,
 * stored answers) while its change feed is settled, and hears a write made outside a request
 * (a test's `database.db.updateTable(…)`, like another process's) when PostgreSQL delivers the
 * write's notification to the feed's own connection: usually before the next request is read, but
 * on a loaded machine a request can come first. The test server therefore waits, before each
 * request, until the feed has heard every write made through a test database since the last wait.
 * The server's own writes are counted too (the same handle); waiting after them costs a few
 * milliseconds and changes nothing. PGlite delivers its notifications as the statement returns.
 */
class WriteWatch implements KyselyPlugin {
  #writes = 0;
  #heard = 0;
  /** The wait for the marker sent after the last counted write: a second request waits on it too. */
  #pending: Promise<void> = Promise.resolve();

  constructor(private readonly feed: ChangeFeed) {
    watches.set(feed, this);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (WRITES.has(args.node.kind)) this.#writes++;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  /**
   * Resolves once the feed has heard every write counted so far: the marker it sends itself (a
   * newer one than any it awaits already) is delivered after every notification committed before
   * it. Requests made meanwhile wait for the same marker. Only the marker is waited for, not the
   * server's own writes in flight (each holds the feed unsettled until it is done, and is heard
   * then). A feed that is not listening (lost, or the database unreachable, as the outage tests
   * make it) keeps nothing in memory and has nothing to hear: the wait ends there. A marker not
   * heard in ten seconds fails the request, rather than letting it read what the test did not write.
   */
  heard(): Promise<void> {
    if (this.#heard !== this.#writes) {
      this.#heard = this.#writes;
      this.feed.hold()();
      this.#pending = this.#settle();
    }
    return this.#pending;
  }

  async #settle(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (this.feed.listening && !this.feed.caughtUp) {
      if (Date.now() > deadline) throw new Error('the change feed did not hear the test database’s writes within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

/** Before a request: resolves once the server can have heard every write made through `database` (see WriteWatch). */
export function heardWrites(database: DatabaseHandle): Promise<void> {
  return watches.get(database.changes)?.heard() ?? Promise.resolve();
}

const preparedPglite = new Map<string, Promise<{ dump: File | Blob; value: unknown }>>();

/**
 * A migrated database that `prepare` has filled, e.g. with the demo data: on PGlite, `prepare`
 * runs once per worker and key, and each call gets a clone of its result (cloning is faster than
 * writing the data again); on PostgreSQL it runs for each database. The answer carries what
 * `prepare` returned. Close the database in `afterAll`.
 */
export async function createPreparedDatabase<T>(
  key: string,
  prepare: (database: DatabaseHandle) => Promise<T>,
): Promise<{ database: TestDatabase; value: T }> {
  if (TEST_DB !== 'pglite') {
    const database = await createTestDatabase();
    try {
      return { database, value: await prepare(database) };
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  let prepared = preparedPglite.get(key);
  if (!prepared) {
    prepared = (async () => {
      const source = await PGlite.create({ loadDataDir: await pgliteSource(true) });
      const handle = await connectDatabase({ pglite: source });
      try {
        const value = await prepare(handle);
        return { dump: await source.dumpDataDir('none'), value };
      } finally {
        await handle.close();
      }
    })();
    preparedPglite.set(key, prepared);
    prepared.catch(() => preparedPglite.delete(key));
  }
  const { dump, value } = await prepared;
  const handle = await connectDatabase({ pglite: await PGlite.create({ loadDataDir: dump }) });
  return { database: { ...handle, url: undefined }, value: value as T };
}

/**
 * PGlite only: a data directory, as a server process opens it (`DATA_DIR`), holding a copy of the
 * worker's migrated database once `prepare` has written to it: the process starts with nothing to
 * migrate.
 */
export async function writePgliteDataDir(dataDir: string, prepare: (database: DatabaseHandle) => Promise<void>): Promise<void> {
  const clone = await PGlite.create({ loadDataDir: await pgliteSource(true) });
  const handle = await connectDatabase({ pglite: clone });
  try {
    await prepare(handle);
    const files = await clone.dumpDataDir('none');
    await mkdir(dataDir, { recursive: true });
    const written = await PGlite.create(join(dataDir, 'pglite'), { loadDataDir: files });
    await written.close();
  } finally {
    await handle.close();
  }
}
