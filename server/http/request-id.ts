import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The request's id: the caller's `X-Request-Id` when it is a sane one, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}
