import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { isMailAddress } from '../contract/schemas/mail.js';
import { maskCredentials } from './lib/redact.js';

/** See `AvailabilityMonitor`: production's window for the PostgreSQL server's availability probe. */
const DATABASE_PROBE_WINDOW_MS = { default: 1500, min: 500, max: 60_000 } as const;

/**
 * After SIGTERM or SIGINT, how long requests in flight may go on (an import its transaction): as long
 * as an orchestrator waits by default (30 s) before it kills.
 */
export const SHUTDOWN_GRACE_MS = { default: 30_000, min: 1000, max: 600_000 } as const;

/** How often the mail worker looks for due messages (docs/mail.md). */
export const MAIL_SEND_EVERY_MS = { default: 2000, min: 100, max: 60_000 } as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An unset variable and an empty one mean the same: use the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const postgresUrl = z.string().refine((value) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be a postgres:// or postgresql:// URL');

const smtpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return ['smtp:', 'smtps:'].includes(url.protocol) && url.hostname !== '' && url.pathname.replace(/^\/+/, '') === '';
  } catch {
    return false;
  }
}, 'must be an smtp:// or smtps:// URL: smtp://user:password@host:587 (STARTTLS when offered) or smtps://host:465');

/** The dashboard's address as its users reach it (links in e-mail): http(s), no credentials, query or fragment. */
const publicUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        ['http:', 'https:'].includes(url.protocol) &&
        url.username === '' &&
        url.password === '' &&
        url.search === '' &&
        url.hash === ''
      );
    } catch {
      return false;
    }
  }, "must be the dashboard's http:// or https:// address, as its users open it: https://outcomes.example.edu.cn/")
  .transform((value) => value.replace(/\/+$/, ''));

/** The sender: `alerts@example.org` or `Alliance Outcomes <alerts@example.org>`. */
const mailFrom = z.string().refine((value) => parseMailFrom(value) !== null, 'must be an address or "Name <address>"');

export function parseMailFrom(value: string): { name: string; address: string } | null {
  const named = /^\s*([^<>"\r\n]*?)\s*<([^<>\s]+)>\s*$/.exec(value);
  const address = (named ? named[2] : value.trim()) ?? '';
  if (!isMailAddress(address) || /[\r\n]/.test(value)) return null;
  return { name: named?.[1] ?? '', address };
}

/** A whole number of milliseconds within bounds. */
const milliseconds = (bounds: { min: number; max: number }) =>
  z.coerce
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(bounds.min, `must be at least ${bounds.min}`)
    .max(bounds.max, `must be at most ${bounds.max}`);

const port = z.coerce
  .number({ error: 'must be a whole number from 0 to 65535' })
  .int('must be a whole number from 0 to 65535')
  .min(0, 'must be a whole number from 0 to 65535')
  .max(65535, 'must be a whole number from 0 to 65535');

/**
 * scrypt's cost as log2 N. Production keeps OWASP's recommendation (N=2^17, r=8, p=1: 128 MiB and a
 * few hundred milliseconds per hash); tests lower it, since each stored hash carries its own cost and
 * verifies at that cost whatever the setting. The bounds are the ones a stored hash may carry.
 */
export const PASSWORD_HASH_LOG2N = { default: 17, min: 10, max: 20 } as const;

const passwordHashLog2n = z.coerce
  .number({ error: `must be a whole number from ${PASSWORD_HASH_LOG2N.min} to ${PASSWORD_HASH_LOG2N.max}` })
  .int(`must be a whole number from ${PASSWORD_HASH_LOG2N.min} to ${PASSWORD_HASH_LOG2N.max}`)
  .min(PASSWORD_HASH_LOG2N.min, `must be a whole number from ${PASSWORD_HASH_LOG2N.min} to ${PASSWORD_HASH_LOG2N.max}`)
  .max(PASSWORD_HASH_LOG2N.max, `must be a whole number from ${PASSWORD_HASH_LOG2N.min} to ${PASSWORD_HASH_LOG2N.max}`);

const EnvSchema = z.object({
  PORT: optional(port).default(3000),
  HOST: optional(z.string()).default('127.0.0.1'),
  DATABASE_URL: optional(postgresUrl),
  DATABASE_READ_URL: optional(postgresUrl),
  DATA_DIR: optional(z.string()).default('./data'),
  DEMO_DATA: optional(z.enum(['auto', 'on', 'off'], { error: 'must be one of auto, on, off' })).default('auto'),
  TRUST_PROXY: optional(z.string().transform(parseTrustProxy)).default(false),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })).default('info'),
  PASSWORD_HASH_LOG2N: optional(passwordHashLog2n).default(PASSWORD_HASH_LOG2N.default),
  DATABASE_PROBE_WINDOW_MS: optional(milliseconds(DATABASE_PROBE_WINDOW_MS)).default(DATABASE_PROBE_WINDOW_MS.default),
  SHUTDOWN_GRACE_MS: optional(milliseconds(SHUTDOWN_GRACE_MS)).default(SHUTDOWN_GRACE_MS.default),
  SMTP_URL: optional(smtpUrl),
  MAIL_FROM: optional(mailFrom),
  MAIL_SEND_EVERY_MS: optional(milliseconds(MAIL_SEND_EVERY_MS)).default(MAIL_SEND_EVERY_MS.default),
  PUBLIC_URL: optional(publicUrl),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  /** node-postgres against this server when set; embedded PGlite under `dataDir` otherwise. */
  readonly databaseUrl: string | undefined;
  /** A read replica of DATABASE_URL: dashboard reads go there, except a writer's own reads right after its write. */
  readonly databaseReadUrl: string | undefined;
  readonly dataDir: string;
  readonly demoData: 'auto' | 'on' | 'off';
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /**
   * Express's `trust proxy`: which X-Forwarded-For/-Proto entries are believed (for client addresses,
   * and so sign-in limits and the audit log, and for Secure cookies). False: none; a number: that
   * many proxies in front, counted from the right; a list: the proxies' own addresses.
   */
  readonly trustProxy: false | number | readonly string[];
  /** scrypt's cost (log2 N) for new password hashes; see PASSWORD_HASH_LOG2N. */
  readonly passwordHashLog2n: number;
  /**
   * PostgreSQL only: how long the server may leave the availability probe unanswered before the
   * dashboard stops answering from memory and says it is unavailable (503).
   */
  readonly databaseProbeWindowMs: number;
  /** After SIGTERM or SIGINT, how long requests in flight may go on before their connections are closed. */
  readonly shutdownGraceMs: number;
  /**
   * Outgoing mail (docs/mail.md): the SMTP server, the sender and how often the worker looks for due
   * messages; null when SMTP_URL is unset (nothing is sent).
   */
  readonly mail: { readonly smtpUrl: string; readonly from: string; readonly sendEveryMs: number } | null;
  /** The dashboard's address as its users open it, without a trailing slash: messages link to it. Null when unset. */
  readonly publicUrl: string | null;
}

/** A bad environment: the message names every variable at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once into a frozen config; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      // No URL's password is repeated back (a start-up line lands in logs).
      const value = env[name];
      const got = name.endsWith('_URL') && value !== undefined ? maskCredentials(value) : value;
      return `${name} ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_READ_URL && !e.DATABASE_URL)
    throw new ConfigError('invalid configuration: DATABASE_READ_URL names a replica of DATABASE_URL, which is not set');
  if (e.SMTP_URL && !e.MAIL_FROM)
    throw new ConfigError('invalid configuration: MAIL_FROM must be set when SMTP_URL is (the sender of every message)');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    dataDir: resolve(e.DATA_DIR),
    demoData: e.DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    passwordHashLog2n: e.PASSWORD_HASH_LOG2N,
    databaseProbeWindowMs: e.DATABASE_PROBE_WINDOW_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    mail:
      e.SMTP_URL && e.MAIL_FROM
        ? Object.freeze({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, sendEveryMs: e.MAIL_SEND_EVERY_MS })
        : null,
    publicUrl: e.PUBLIC_URL ?? null,
  });
}

/**
 * The password-hash cost alone, for the process's hashing gate, which is made before any config is
 * passed around (the command line and demo accounts hash too). Start-up has already refused a bad
 * value through loadConfig; here a bad value throws the same ConfigError.
 */
export function loadPasswordHashLog2n(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = optional(passwordHashLog2n).default(PASSWORD_HASH_LOG2N.default).safeParse(env.PASSWORD_HASH_LOG2N);
  if (!parsed.success)
    throw new ConfigError(
      `invalid configuration: PASSWORD_HASH_LOG2N ${parsed.error.issues[0]?.message} (got ${JSON.stringify(env.PASSWORD_HASH_LOG2N)})`,
    );
  return parsed.data;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR block (`10.0.0.0/8`, `fd00::/8`) or one of Express's names for a range. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY names the proxies in front, never "all": `true` would believe any X-Forwarded-For a
 * client writes, and with it the address that sign-in limits count and the audit log records.
 * Accepted: a hop count (1 for one proxy), or a comma-separated list of the proxies' addresses,
 * CIDR blocks and `loopback`, `linklocal`, `uniquelocal`; `false` is the default (no proxy).
 */
function parseTrustProxy(value: string, ctx: z.RefinementCtx): false | number | readonly string[] {
  if (value === 'false') return false;
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 32) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  if (!/^\d+$/.test(value) && entries.every(isProxyAddress)) return Object.freeze(entries);
  ctx.addIssue({
    code: 'custom',
    message:
      value === 'true'
        ? 'must name the proxies in front: a hop count (1 for one proxy) or their addresses; true would believe any client-written X-Forwarded-For'
        : 'must be a hop count from 1 to 32, or a comma-separated list of proxy addresses, CIDR blocks, loopback, linklocal or uniquelocal',
  });
  return z.NEVER;
}

/** Whether a start-up failure should print its stack: only when the log level asks for detail. */
export function stackTracesWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
}
