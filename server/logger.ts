import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** One JSON logger per process. Secrets never reach it: cookies and passwords are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'alliance-outcomes' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', 'password'],
      censor: '[redacted]',
    },
  });
}
