import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpServer } from '../../server/http/http-server.js';
import { type App, type AppDependencies, createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import type { DatabaseHandle } from '../../server/db/connect.js';
import { createLogger } from '../../server/logger.js';
import { heardWrites } from './database.js';

export interface TestServer {
  url: string;
  app: App;
  config: Config;
  /** fetch against the server, with a path below its origin. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The real application on an ephemeral port, over the given database. */
export async function startTestServer(
  database: DatabaseHandle,
  env: NodeJS.ProcessEnv = {},
  options: Partial<
    Pick<AppDependencies, 'demo' | 'loginLimits' | 'passwords' | 'importLimits' | 'exportLimits' | 'distDir' | 'log' | 'mail'>
  > = {},
): Promise<TestServer> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = createApp({ database, config, log: createLogger(config), ...options });
  // Listening before the first request, so that a test sees the same server every time.
  await database.changes.ready();
  const server: Server = await new Promise((resolve) => {
    const listening = createHttpServer(app.handler).listen(0, '127.0.0.1', () => resolve(listening));
  });
  // The client closes idle connections, never the server: see fetchOnce below.
  server.keepAliveTimeout = 0;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    app,
    config,
    fetch: async (path, init) => {
      await heardWrites(database);
      return fetchOnce(`${url}${path}`, init);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Why a test's request could fail with ECONNRESET though the server is well (access.test.ts did,
 * one run in two): fetch keeps connections alive and reuses an idle one; Node's server closes a
 * connection idle for its keepAliveTimeout (5 s), and fetch drops one a little sooner (the server's
 * `Keep-Alive: timeout=5` hint, less a margin), checked on a coarse timer. Server and client share
 * this process's event loop, which PGlite's queries hold for seconds at a time under load: when it
 * comes back, a test's next request can be written to a connection idle past 5 s whose close is
 * due in the same turn, and the server's timer, due first, resets it before it reads the request.
 *
 * Two answers: the test server keeps idle connections open (keepAliveTimeout 0: no timer, no hint),
 * so only the client closes one, and it never writes to a connection it has closed; and a request
 * that is safe to send twice (RFC 9110 §9.2.2) is sent once more if its connection is reset before
 * any answer, as browsers do on a reused connection. A request that may change something is never
 * retried: a reset of it fails the test.
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export async function fetchOnce(url: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const replayable = init.body === undefined || init.body === null || typeof init.body === 'string';
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    if (!IDEMPOTENT.has(method) || !replayable || !RESET.has(String(code)) || init.signal?.aborted) throw error;
    return fetch(url, init);
  }
}
