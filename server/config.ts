import { resolve } from 'node:path';
import { z } from 'zod';

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

const port = z.coerce
  .number({ error: 'must be a whole number from 0 to 65535' })
  .int('must be a whole number from 0 to 65535')
  .min(0, 'must be a whole number from 0 to 65535')
  .max(65535, 'must be a whole number from 0 to 65535');

const EnvSchema = z.object({
  PORT: optional(port).default(3000),
  HOST: optional(z.string()).default('127.0.0.1'),
  DATABASE_URL: optional(postgresUrl),
  DATABASE_READ_URL: optional(postgresUrl),
  DATA_DIR: optional(z.string()).default('./data'),
  DEMO_DATA: optional(z.enum(['auto', 'on', 'off'], { error: 'must be one of auto, on, off' })).default('auto'),
  TRUST_PROXY: optional(
    z.string().regex(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, 'must be true, false, a hop count or a list of proxy addresses'),
  ).default('false'),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })).default('info'),
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
  /** Express's `trust proxy`: whether X-Forwarded-For/-Proto are believed (for addresses and Secure cookies). */
  readonly trustProxy: boolean | number | string;
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
      const got = env[name];
      return `${name} ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_READ_URL && !e.DATABASE_URL)
    throw new ConfigError('invalid configuration: DATABASE_READ_URL names a replica of DATABASE_URL, which is not set');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    dataDir: resolve(e.DATA_DIR),
    demoData: e.DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Whether a start-up failure should print its stack: only when the log level asks for detail. */
export function stackTracesWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
}
