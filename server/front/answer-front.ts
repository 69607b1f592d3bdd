import type { IncomingMessage, ServerResponse } from 'node:http';
import { sessionToken } from '../auth/authenticate.js';
import { type SessionMemo, sessionId } from '../auth/sessions.js';
import type { AvailabilityMonitor } from '../db/availability.js';
import type { ChangeFeed } from '../db/change-feed.js';
import { today } from '../lib/dates.js';
import type { Logger } from '../logger.js';
import { type AnswerCache, answerKey } from '../http/answer-cache.js';
import { codingFor } from '../http/json-encoding.js';
import { requestId } from '../http/request-id.js';
import { callerScope, matches } from '../http/route.js';

export interface AnswerFrontOptions {
  answers: AnswerCache;
  sessions: SessionMemo;
  changes: ChangeFeed;
  log: Logger;
  /** Where the API is (`/api/v1`): nothing else is answered here. */
  prefix: string;
  availability?: AvailabilityMonitor;
}

/**
 * Answers a repeated dashboard read before it reaches Express: a GET whose session the memo
 * vouches for, whose answer the route layer stored for the caller's scope, this URL, today and the
 * data version the change feed announces. It sends exactly the bytes and headers the route layer
 * sent for it (or its 304), with a request id of its own, and logs it as the request logger does.
 * Anything else (no stored answer, a write in flight, the feed unsettled, the database unavailable)
 * goes on to `next`, the whole stack, as if the front were not there.
 */
export function answerFront({ answers, sessions, changes, log, prefix, availability }: AnswerFrontOptions) {
  const logging = () => log.isLevelEnabled('info');
  const send = (req: IncomingMessage, res: ServerResponse): boolean => {
    const version = changes.version;
    if (version === undefined || (availability && !availability.available)) return false;
    const token = sessionToken(req);
    const id = token === undefined ? null : sessionId(token);
    const session = id === null ? undefined : sessions.recall(id);
    if (!session) return false;
    const key = answerKey(callerScope(session.caller), req.url!);
    const answer = answers.get(key, version);
    if (!answer || answer.day !== today()) return false;
    const logged = logging();
    const started = logged ? performance.now() : 0;
    const ownId = requestId(req);
    if (matches(req.headers['if-none-match'], answer.etag)) {
      res.writeHead(304, ['X-Request-Id', ownId, ...answer.notModifiedHeaders]);
      res.end();
    } else {
      const form = answers.form(key, answer, codingFor(req.headers['accept-encoding'], answer.body.length));
      res.writeHead(200, ['X-Request-Id', ownId, ...form.headers]);
      res.end(form.body);
    }
    if (logged) {
      log.info(
        {
          req: { id: ownId, method: req.method, url: req.url, address: req.socket.remoteAddress },
          res: { status: res.statusCode },
          responseTime: Math.round(performance.now() - started),
          answeredFrom: 'memory',
        },
        'request completed',
      );
    }
    return true;
  };
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    // A GET with a body goes through the whole stack, which reads (and may refuse) it.
    const hasBody = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
    if (req.method !== 'GET' || hasBody || req.url === undefined || !req.url.startsWith(`${prefix}/`)) {
      next();
      return;
    }
    // One turn of the event loop first: whatever the loop had already received with this request,
    // such as the announcing connection's end when the database went away, is then known.
    setImmediate(() => {
      if (!send(req, res)) next();
    });
  };
}
