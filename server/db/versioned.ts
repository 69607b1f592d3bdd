import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import { readDataVersion } from './data-version.js';
import type { Database } from './schema.js';

/**
 * What is derived from the data alone (the member list, the data's date range) is read once per
 * data version rather than once per request. The version itself is read at most once per request
 * (the ETag needs it too), and is bumped by a trigger on every statement that writes the data
 * (sql/0008), so a write by any process, even from outside the application, is seen at once.
 */
const request = new AsyncLocalStorage<{ version?: Promise<number> }>();

/** Runs a request's work with its own memo of the data version. */
export function withRequestScope<T>(work: () => T): T {
  return request.run({}, work);
}

/** The data version, read once per request (or once per call outside a request). */
export function currentDataVersion(db: Kysely<Database>): Promise<number> {
  if (db.isTransaction) return readDataVersion(db);
  const scope = request.getStore();
  if (!scope) return readDataVersion(db);
  scope.version ??= readDataVersion(db).catch((error: unknown) => {
    scope.version = undefined;
    throw error;
  });
  return scope.version;
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
