import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeFeed } from '../../server/db/change-feed.js';
import { errorHandler } from '../../server/http/error-handler.js';
import { type Caller, registerRoutes, untypedRoute } from '../../server/http/route.js';
import { createLogger } from '../../server/logger.js';

/** Every request that may write holds the change feed from after its access check until it is done. */
describe('the route layer and the change feed', () => {
  let holds = 0;
  let released = 0;
  const changes = {
    hold: () => {
      holds++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        holds--;
        released++;
      };
    },
  } as unknown as ChangeFeed;
  const admin: Caller = { id: 1, email: 'a@b.c', name: 'a', role: 'admin', university: null };
  const seen: number[] = [];
  /** The handler's answer, noting how many holds there were while it ran. */
  const noting = () => {
    seen.push(holds);
    return { ok: true };
  };
  let finishSlow: () => void = () => undefined;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    const router = express.Router();
    registerRoutes(
      router,
      [
        untypedRoute({
          method: 'post',
          path: '/write',
          access: ['admin'],
          summary: 'w',
          handle: noting,
        }),
        untypedRoute({
          method: 'delete',
          path: '/fails',
          access: ['admin'],
          summary: 'f',
          handle: () => {
            seen.push(holds);
            throw new Error('boom');
          },
        }),
        untypedRoute({
          method: 'get',
          path: '/read',
          access: 'signed_in',
          summary: 'r',
          handle: noting,
        }),
        untypedRoute({
          method: 'post',
          path: '/late',
          access: ['admin'],
          summary: 'l',
          holdsChanges: 'late',
          handle: ({ holdChanges }) => {
            seen.push(holds);
            holdChanges();
            holdChanges(); // a second call takes no second hold
            seen.push(holds);
            return { ok: true };
          },
        }),
        untypedRoute({
          method: 'put',
          path: '/slow',
          access: ['admin'],
          summary: 's',
          handle: () => new Promise((resolve) => (finishSlow = () => resolve({ ok: true }))),
        }),
      ],
      {
        authenticate: async (req) => (req.headers.authorization === 'admin' ? admin : null),
        dataVersion: async () => 1,
        changes,
      },
    );
    app.use(router);
    app.use(errorHandler(createLogger({ logLevel: 'silent' })));
    server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const call = (method: string, path: string, who?: string) =>
    fetch(`${base}${path}`, { method, headers: who ? { authorization: who } : {} });

  it('when a write runs, then the feed is held while it runs and released after', async () => {
    seen.length = 0;
    const before = released;
    expect((await call('POST', '/write', 'admin')).status).toBe(200);
    expect(seen).toEqual([1]);
    expect(holds).toBe(0);
    expect(released).toBe(before + 1);
  });

  it('when a write holds late, then nothing is held until it asks, and its hold ends with it', async () => {
    seen.length = 0;
    const before = released;
    expect((await call('POST', '/late', 'admin')).status).toBe(200);
    expect(seen).toEqual([0, 1]);
    expect(holds).toBe(0);
    expect(released).toBe(before + 1);
  });

  it('when a write fails, then the hold is released all the same', async () => {
    seen.length = 0;
    expect((await call('DELETE', '/fails', 'admin')).status).toBe(500);
    expect(seen).toEqual([1]);
    expect(holds).toBe(0);
  });

  it('when a write is refused at the door, or a read runs, then nothing is held', async () => {
    seen.length = 0;
    const before = released;
    expect((await call('POST', '/write')).status).toBe(401);
    expect((await call('GET', '/read', 'admin')).status).toBe(200);
    expect(seen).toEqual([0]);
    expect(released).toBe(before);
  });

  it('when the client goes away during a slow write, then the hold ends with the response, not with the handler', async () => {
    const socket = httpRequest(`${base}/slow`, { method: 'PUT', headers: { authorization: 'admin' } });
    socket.on('error', () => undefined);
    socket.end();
    await expect.poll(() => holds).toBe(1);
    socket.destroy();
    await expect.poll(() => holds).toBe(0);
    finishSlow();
  });
});
