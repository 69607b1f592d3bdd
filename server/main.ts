import type { RequestListener, Server } from 'node:http';
import { createHttpServer } from './http/http-server.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, stackTracesWanted, type Config } from './config.js';
import { connectDatabase, DatabaseUnavailableError, type DatabaseHandle } from './db/connect.js';
import { maskCredentials } from './lib/redact.js';
import { MigrationError, migrateToLatest } from './db/migrate.js';
import { deleteExpiredSessions } from './auth/sessions.js';
import { DEMO_PASSWORD, type DemoAccount, ensureDemoAccounts } from './auth/demo-accounts.js';
import { prepareDemoData } from './demo/demo-mode.js';
import { prepareSpool } from './lib/spool.js';
import { createLogger, type Logger } from './logger.js';
import type { Mailer } from './mail/mailer.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const database = await connectDatabase({
    databaseUrl: config.databaseUrl,
    readUrl: config.databaseReadUrl,
    dataDir: config.dataDir,
    probeWindowMs: config.databaseProbeWindowMs,
  });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) log.info({ applied }, 'applied migrations');
    sweepSpoolAtStart(log);
    const demoMode = await prepareDemoData(database, config, log);
    const demo = demoMode ? { accounts: await ensureDemoAccounts(database.db), password: DEMO_PASSWORD } : null;
    const { handler, mail } = createApp({ database, config, log, demo });
    const server = await listen(handler, config);
    log.info(
      {
        database: database.kind,
        where: config.databaseUrl ? maskCredentials(config.databaseUrl) : config.dataDir,
        demo: demoMode,
      },
      `alliance-outcomes is serving http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
    );
    if (demo) printDemoAccounts(demo.accounts, config);
    // Ended sessions are refused on sight; this only keeps the table small.
    const sweep = setInterval(() => void deleteExpiredSessions(database.db).catch(() => undefined), 60 * 60 * 1000);
    sweep.unref();
    await deleteExpiredSessions(database.db);
    if (mail) {
      mail.start();
      log.info({ server: mail.server, from: mail.from }, 'mail: reminders and reports are sent through the outbox');
    } else log.info('mail: SMTP_URL is not set, no mail is sent');
    handleShutdown(server, database, log, mail, config.shutdownGraceMs);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** Import files that ended processes left behind go now; a folder that cannot be made fails imports, not the start. */
function sweepSpoolAtStart(log: Logger): void {
  try {
    const swept = prepareSpool();
    if (swept.length > 0) log.info({ files: swept.length }, 'removed import files that ended processes left behind');
  } catch (error) {
    log.warn({ err: error }, 'the folder for import files cannot be made: imports will fail until it can');
  }
}

function listen(handler: RequestListener, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createHttpServer(handler).listen(config.port, config.host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new StartupError(
          error.code === 'EADDRINUSE'
            ? `port ${config.port} on ${config.host} is already in use (set PORT to another)`
            : `cannot listen on ${config.host}:${config.port}: ${error.message}`,
        ),
      );
    });
  });
}

/** SIGTERM or SIGINT: stop accepting, let requests in flight finish (up to `graceMs`), close the database, exit 0. */
function handleShutdown(server: Server, database: DatabaseHandle, log: Logger, mail: Mailer | null, graceMs: number): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    // Keep-alive sockets that finish a request after this point are closed as soon as they go idle.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      // A send in progress finishes (its timeouts bound it) and its outcome is recorded before the database closes.
      Promise.resolve(mail?.stop())
        .then(() => database.close())
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          log.error({ err: error }, 'closing the database failed');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Demo mode only: the accounts a newcomer can sign in with, on the terminal that started the server. */
function printDemoAccounts(accounts: readonly DemoAccount[], config: Config): void {
  const lines = [
    '',
    `Demo mode (synthetic data). Open http://localhost:${config.port} and sign in with any of these, password "${DEMO_PASSWORD}":`,
    ...accounts.map((a) => `  ${a.email.padEnd(34)} ${a.role}${a.university ? ` (${a.university})` : ''}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

class StartupError extends Error {}

const EXPECTED = [ConfigError, DatabaseUnavailableError, MigrationError, StartupError];

main().catch((error: unknown) => {
  const expected = EXPECTED.some((kind) => error instanceof kind);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`alliance-outcomes: ${expected ? '' : 'start-up failed: '}${message}\n`);
  if (stackTracesWanted() && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
