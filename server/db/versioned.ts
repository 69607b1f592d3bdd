import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { ChangeFeed } from './change-feed.js';
import { readDataVersion } from './data-version.js';
import { RequestConnections } from './request-connections.js';
import type { Database } from './schema.js';

/**
 * What is derived from the data alone (the member list, the data's date range) is read once per
 * data version rather than once per request. The version itself is read at most once per request
 * (the ETag needs it too), and is bumped by a trigger on every statement that writes the data
 * (sql/0008), so a write by any process, even from outside the application, is seen at once.
 * Where the database has a settled change feed (sql/0012), the version is the one it announced,
 * and no request needs to ask for it.
 */
interface RequestScope {
  /** The data version of each database the request reads, read at most once. */
  versions: Map<Kysely<Database>, Promise<number>>;
  /** Where the request's reads go: a replica, or unset for the primary. */
  reader?: Kysely<Database>;
  /** The PostgreSQL connections the request holds (request-connections.ts). */
  connections: RequestConnections;
}
const request = new AsyncLocalStorage<RequestScope>();

/** Runs a request's work with its own memo of the data version, and its own record of the connections it holds. */
export function withRequestScope<T>(work: () => T, connections = new RequestConnections()): T {
  return request.run({ versions: new Map(), connections }, work);
}

/** The connections of the request the caller runs for; undefined outside a request. */
export function requestConnections(): RequestConnections | undefined {
  return request.getStore()?.connections;
}

/** Sends this request's dashboard reads to `reader` (a read replica). */
export function readFromForRequest(reader: Kysely<Database>): void {
  const scope = request.getStore();
  if (scope) scope.reader = reader;
}

/** The database this request's dashboard reads go to: the replica when chosen for it, else `primary`. */
export function requestReader(primary: Kysely<Database>): Kysely<Database> {
  return request.getStore()?.reader ?? primary;
}

const feeds = new WeakMap<Kysely<Database>, ChangeFeed>();

/** The feed that announces the writes to `db`: its version is used while it is settled. */
export function attachChangeFeed(db: Kysely<Database>, feed: ChangeFeed): void {
  feeds.set(db, feed);
}

function readVersion(db: Kysely<Database>): Promise<number> {
  const announced = feeds.get(db)?.version;
  return announced === undefined ? readDataVersion(db) : Promise.resolve(announced);
}

/** The data version, taken once per request and database (or once per call outside a request). */
export function currentDataVersion(db: Kysely<Database>): Promise<number> {
  if (db.isTransaction) return readDataVersion(db);
  const scope = request.getStore();
  if (!scope) return readVersion(db);
  let version = scope.versions.get(db);
  if (!version) {
    version = readVersion(db).catch((error: unknown) => {
      scope.versions.delete(db);
      throw error;
    });
    scope.versions.set(db, version);
  }
  return version;
}

const caches = new WeakMap<Kysely<Database>, Map<string, { version: number; value: Promise<unknown> }>>();

/**
 * `load()` once per data version and name. Inside a transaction it always loads: what a
 * transaction sees may never be committed, so it must not be kept for others.
 */
export async function versioned<T>(db: Kysely<Database>, name: string, load: () => Promise<T>): Promise<T> {
  if (db.isTransaction) return load();
  const version = await currentDataVersion(db);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(name);
  if (hit && hit.version === version) return hit.value as Promise<T>;
  const value = load();
  cache.set(name, { version, value });
  value.catch(() => {
    if (cache.get(name)?.value === value) cache.delete(name);
  });
  return value;
}
