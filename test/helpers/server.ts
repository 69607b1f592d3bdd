import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpServer } from '../../server/http/http-server.js';
import { type App, type AppDependencies, createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import type { DatabaseHandle } from '../../server/db/connect.js';
import { createLogger } from '../../server/logger.js';

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
    Pick<AppDependencies, 'demo' | 'loginLimits' | 'passwords' | 'importLimits' | 'exportLimits' | 'distDir' | 'log'>
  > = {},
): Promise<TestServer> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = createApp({ database, config, log: createLogger(config), ...options });
  // Listening before the first request, so that a test sees the same server every time.
  await database.changes.ready();
  const server: Server = await new Promise((resolve) => {
    const listening = createHttpServer(app.handler).listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    app,
    config,
    fetch: (path, init) => fetch(`${url}${path}`, init),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
