import { existsSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import expressStaticGzip from 'express-static-gzip';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import { BULK_POOL_SIZE, type DatabaseHandle } from './db/connect.js';
import { currentDataVersion, requestReader } from './db/versioned.js';
import { AnswerCache } from './http/answer-cache.js';
import { answerFront } from './front/answer-front.js';
import { parseQueryString } from './http/query-string.js';
import { requestId } from './http/request-id.js';
import { auditRoutes } from './audit-log/audit.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { createAuthenticator } from './auth/authenticate.js';
import { SessionMemo } from './auth/sessions.js';
import type { DemoAccount } from './auth/demo-accounts.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './auth/login-limits.js';
import { type PasswordWork, processPasswordWork } from './auth/password.js';
import { demoRoutes } from './demo/demo.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { apiNotFound, errorHandler, isClientDeparture } from './http/error-handler.js';
import { apiMethodNotAllowed, PAGE_PATH, pageNotFound } from './http/not-allowed.js';
import { ServiceUnavailable } from './lib/problems.js';
import { openApiDocument } from './http/openapi.js';
import { type Authenticate, endpoints, RecentWriters, type RouteSpec, registerRoutes, route } from './http/route.js';
import type { Logger } from './logger.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits, importsRoutes } from './imports/imports.routes.js';
import { CsvDownloads, DEFAULT_EXPORT_LIMITS, type ExportLimits } from './csv/csv-download.js';
import { kpiRoutes } from './kpi/kpi.routes.js';
import { metaRoutes } from './meta/meta.routes.js';
import { recordsRoutes } from './records/records.routes.js';
import { reportRoutes } from './report/report.routes.js';
import { ReportPrinter } from './report/report-printer.js';
import { cycleRoutes } from './cycle/cycle.routes.js';
import { Mailer, type MailerOptions } from './mail/mailer.js';
import { mailRoutes } from './mail/mail.routes.js';
import { targetsRoutes } from './targets/targets.routes.js';
import { universitiesRoutes } from './universities/universities.routes.js';
import { usersRoutes } from './users/users.routes.js';

export const API_PREFIX = '/api/v1';
const API_VERSION = '1.0.0';
export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

export interface AppDependencies {
  database: DatabaseHandle;
  config: Config;
  log: Logger;
  /** Where the built client is; the default is `dist/` at the project root. */
  distDir?: string;
  /** Demo mode: the demo accounts the sign-in page shows, and their password. */
  demo?: { accounts: readonly DemoAccount[]; password: string } | null;
  /** Sign-in limits; those not given are the defaults. */
  loginLimits?: Partial<LoginLimits>;
  /** The gate every password hash goes through; the process's own unless a test hands in a smaller one. */
  passwords?: PasswordWork;
  /** How many imports the process admits at once (tests make it small). */
  importLimits?: ImportLimits;
  /** How many CSV downloads the process admits at once, and how long a stalled reader is kept (tests make it short). */
  exportLimits?: Partial<ExportLimits>;
  /** Keep the JSON answers of cached routes per data version (default on; benchmarks of the queries turn it off). */
  cacheAnswers?: boolean;
  /** Outgoing mail's clock and pace (tests move time); used only when SMTP_URL is set. */
  mail?: Partial<Pick<MailerOptions, 'clock' | 'policy' | 'sendEveryMs' | 'scheduleEveryMs'>>;
}

export interface App {
  /** What a node:http server runs: stored answers from memory (answer-front.ts), everything else by Express. */
  handler: RequestListener;
  express: Express;
  /** Every API route, with who may call it: the source of the API document and the access tests. */
  routes: readonly RouteSpec<any, any, any>[];
  /** Outgoing mail, null when SMTP_URL is not set; its worker is started by whoever listens (`start()`). */
  mail: Mailer | null;
}

/** Builds the HTTP application from its dependencies; listening is the caller's business. */
export function createApp({
  database,
  config,
  log,
  distDir = DIST_DIR,
  cacheAnswers = true,
  demo = null,
  loginLimits = DEFAULT_LOGIN_LIMITS,
  passwords = processPasswordWork,
  importLimits = DEFAULT_IMPORT_LIMITS,
  exportLimits = {},
  mail: mailOptions = {},
}: AppDependencies): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', parseQueryString);

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const id = requestId(req);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          address: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      // A client that left midway is no server fault: its request is logged by its status, as "request aborted".
      // A 503 is an answer by design (too busy: come back after Retry-After; the database away: said at
      // warn where it was seen), so a warning; any other 5xx is an error.
      // The page and its assets, answered well, are not worth a line each at info: debug.
      customLogLevel: (req, res, error) =>
        (error && !isClientDeparture(error, req, res)) || (res.statusCode >= 500 && res.statusCode !== 503)
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : ((req as express.Request).originalUrl ?? req.url)?.startsWith(`${API_PREFIX}/`)
              ? 'info'
              : 'debug',
      autoLogging: { ignore: (req) => req.url === `${API_PREFIX}/health` },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          // Served over plain HTTP on a LAN as often as behind TLS: never rewrite to https.
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
      // Sent below on secure requests only.
      strictTransportSecurity: false,
    }),
  );
  // HSTS binds a browser to https for a year: said over plain HTTP (a LAN install) it is a promise the
  // server cannot keep, and RFC 6797 has browsers ignore it there. Behind a TLS proxy, req.secure
  // believes X-Forwarded-Proto only from the proxies TRUST_PROXY names.
  const hsts = helmet.strictTransportSecurity();
  app.use((req, res, next) => (req.secure ? hsts(req, res, next) : next()));

  const { db } = database;
  // Listening from here on: the version and the sessions are then known without asking.
  database.changes.onError = (error) =>
    log.warn({ err: error }, 'the change feed lost its connection; every request asks the database until it listens again');
  database.changes.start();
  const sessions = new SessionMemo(database.changes);
  const authenticate: Authenticate = createAuthenticator(db, sessions);
  const answers = cacheAnswers ? new AnswerCache() : undefined;
  // One budget for every CSV download of the process; as many write at once as there are bulk connections.
  const downloads = new CsvDownloads(db, {
    ...DEFAULT_EXPORT_LIMITS,
    writing: database.kind === 'pglite' ? 1 : BULK_POOL_SIZE,
    ...exportLimits,
  });
  const printer = new ReportPrinter(db, distDir);
  const mail = config.mail
    ? new Mailer({
        db,
        smtpUrl: config.mail.smtpUrl,
        from: config.mail.from,
        sendEveryMs: config.mail.sendEveryMs,
        publicUrl: config.publicUrl,
        printer,
        log,
        ...mailOptions,
      })
    : null;
  const routes: RouteSpec<any, any, any>[] = [
    ...healthRoutes(database),
    ...authRoutes(db, { limits: loginLimits, passwords, demo }),
    ...metaRoutes(db),
    ...kpiRoutes(db, downloads),
    ...recordsRoutes(db, database.bulk, downloads, database.copyOut),
    ...importsRoutes(db, database.bulk, database.kind, importLimits),
    ...targetsRoutes(db),
    ...universitiesRoutes(db),
    ...cycleRoutes(db, downloads, mail?.queue),
    ...usersRoutes(db, passwords),
    ...auditRoutes(db),
    ...demoRoutes(db, database.bulk),
    ...reportRoutes(db, downloads, printer, mail?.queue),
    ...mailRoutes(db, mail),
  ];
  routes.push(
    route(endpoints.openApi, {
      access: 'anyone',
      summary: 'This document: the OpenAPI 3.1 description of every route, generated from the route table.',
      handle: () => document,
    }),
  );
  const document = openApiDocument(routes, API_VERSION);

  const api = express.Router();
  const availability = database.availability;
  if (availability) {
    // While PostgreSQL does not answer, every API call is a prompt 503 (health says so itself). The
    // calls already running are cut short by the route layer, which first cuts their connections,
    // so that a write answered 503 is never applied.
    api.use((req, _res, next) => {
      if (req.path === '/health' || availability.available) return next();
      throw new ServiceUnavailable();
    });
  }
  api.use(express.json({ limit: '1mb' }));
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'private, no-cache');
    next();
  });
  registerRoutes(api, routes, {
    authenticate,
    // The version of the data the request reads: the replica's, when it reads the replica.
    dataVersion: () => currentDataVersion(requestReader(db)),
    ...(answers ? { answers } : {}),
    ...(database.replica
      ? {
          replica: {
            db: database.replica,
            writers: new RecentWriters(),
            ...(cacheAnswers ? { answers: new AnswerCache() } : {}),
          },
        }
      : {}),
    changes: database.changes,
    ...(availability ? { availability } : {}),
    downloads,
  });
  api.use(apiMethodNotAllowed(routes));
  api.use(apiNotFound);
  app.use(API_PREFIX, api);

  const shell = existsSync(distDir);
  if (shell) {
    // The build writes each file also compressed (.br, .gz: vite.config.ts); a browser gets the smallest it accepts.
    const files = expressStaticGzip(distDir, {
      index: false,
      enableBrotli: true,
      orderPreference: ['br', 'gz'],
      serveStatic: { maxAge: '1h', setHeaders: cacheHeaders },
    });
    app.use(files);
    // The client routes in the browser: every page (a path without a file's extension) gets index.html;
    // a file that is not there (/favicon.ico, /assets/old.js) is a 404, never the page's HTML.
    app.get(PAGE_PATH, (req, res, next) => {
      req.url = '/index.html';
      files(req, res, next);
    });
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('The client is not built yet: run `npm run build`, then reload.');
    });
  }
  app.use(pageNotFound(shell));
  app.use(errorHandler(log));
  const front = answers
    ? answerFront({
        answers,
        sessions,
        changes: database.changes,
        log,
        prefix: API_PREFIX,
        ...(availability ? { availability } : {}),
      })
    : undefined;
  const handler = front ? (req: IncomingMessage, res: ServerResponse) => front(req, res, () => app(req, res)) : app;
  return { handler, express: app, routes, mail };
}

/**
 * Vite fingerprints everything under assets/, so those files never change; the page that names
 * them is asked again each time (a new build names new ones).
 */
function cacheHeaders(res: ServerResponse, path: string): void {
  if (/[\\/]assets[\\/]/.test(path)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  else if (/[\\/]index\.html(?:\.br|\.gz)?$/.test(path)) res.setHeader('Cache-Control', 'no-cache');
}
