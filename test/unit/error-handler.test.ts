import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/http/error-handler.js';
import { captureLog } from '../helpers/log.js';

/**
 * The one error handler's log: a client that left midway is debug; a fault of the server's is an
 * error whether or not the client is still there; a socket error while the client is there is the
 * database's (warn, 503), as before.
 */
describe('what the error handler logs', () => {
  const { log, lines } = captureLog();
  let server: Server;
  let base: string;
  /** Resolves when the route named has handed its error on. */
  const handed = new Map<string, () => void>();

  beforeAll(async () => {
    const app = express();
    // A download that never ends, the way every CSV export streams: one pipeline into the response.
    app.get('/endless', async (_req, res) => {
      res.type('text/csv');
      const rows = Readable.from(
        (function* () {
          for (;;) yield 'a row long enough to fill the socket buffers quickly,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n'.repeat(100);
        })(),
      );
      await pipeline(rows, res);
    });
    // A fault of the server's found after the client has gone.
    app.get('/fault-after-leaving', async (req) => {
      await once(req.socket, 'close');
      throw new TypeError("Cannot read properties of undefined (reading 'rows')");
    });
    // A socket reset while the client is still there: the database's, not the client's.
    app.get('/database-reset', () => {
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    });
    app.get('/fault', () => {
      throw new Error('a fault of our own');
    });
    const handler = errorHandler(log);
    app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
      handler(error, req, res, next);
      handed.get(req.path)?.();
    });
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  beforeEach(() => {
    lines.length = 0;
  });

  const handedOn = (path: string) => new Promise<void>((resolve) => handed.set(path, resolve));

  /** Reads the first bytes of `path` (or none), then goes away. */
  function leave(path: string, afterFirstBytes: boolean): Promise<void> {
    return new Promise((resolve) => {
      const req = request(`${base}${path}`, (res) => {
        res.once('data', () => {
          res.pause();
          setTimeout(() => res.destroy(), 100);
        });
      });
      req.on('error', () => undefined);
      req.on('close', () => resolve());
      req.end();
      if (!afterFirstBytes) setTimeout(() => req.destroy(), 100);
    });
  }

  it('when the reader of a download leaves midway, then it is logged at debug, and no error', async () => {
    const done = handedOn('/endless');
    await leave('/endless', true);
    await done;
    expect(lines).toEqual([
      expect.objectContaining({
        level: 20,
        msg: 'the client left before its answer was complete',
        err: expect.objectContaining({ code: 'ERR_STREAM_PREMATURE_CLOSE' }),
      }),
    ]);
  });

  it('when the server fails after the client has left, then it is still an error', async () => {
    const done = handedOn('/fault-after-leaving');
    await leave('/fault-after-leaving', false);
    await done;
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'unhandled error' })]);
  });

  it('when the server fails with the client there, then it is an error and a 500; a socket reset is the database away (warn, 503)', async () => {
    const fault = await fetch(`${base}/fault`);
    expect(fault.status).toBe(500);
    const reset = await fetch(`${base}/database-reset`);
    expect(reset.status).toBe(503);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [50, 'unhandled error'],
      [40, 'database unavailable'],
    ]);
  });
});
