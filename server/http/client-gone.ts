import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What waits for each connection to close: one listener per connection, however many requests it carries. */
const closing = new WeakMap<Socket, Set<() => void>>();

/** Calls `listener` when the connection closes (at once if it has); returns the function that stops listening. */
function onConnectionClose(socket: Socket, listener: () => void): () => void {
  if (socket.destroyed) {
    queueMicrotask(listener);
    return () => undefined;
  }
  let listeners = closing.get(socket);
  if (!listeners) {
    const all = new Set<() => void>();
    listeners = all;
    closing.set(socket, all);
    socket.once('close', () => {
      for (const each of [...all]) each();
      all.clear();
    });
  }
  const mine = listeners;
  mine.add(listener);
  return () => mine.delete(listener);
}

/** Calls `done` once when the exchange ends: its answer closed, or its connection; returns the function that stops listening. */
function onEnd(req: IncomingMessage, res: ServerResponse, done: () => void): () => void {
  let over = false;
  const end = () => {
    if (over) return;
    over = true;
    off();
    done();
  };
  const stopConnection = onConnectionClose(req.socket, end);
  const off = () => {
    stopConnection();
    res.off('close', end);
  };
  res.once('close', end);
  return off;
}

/**
 * Calls `listener` once when the client of `req` goes before its answer is whole. It listens to the
 * connection as well as to the response: an answer queued behind another on the same connection
 * (HTTP pipelining) has no socket of its own yet, and is never told when the connection closes.
 * (Not the request's own `close`: a request emits it as soon as its body has been read.) Returns
 * the function that stops listening.
 */
export const onClientGone = (req: IncomingMessage, res: ServerResponse, listener: () => void): (() => void) =>
  onEnd(req, res, () => {
    if (!res.writableFinished) listener();
  });

/** Calls `done` once when the exchange is over, however it ends: answered, or its client gone (see onClientGone). */
export function onExchangeOver(req: IncomingMessage, res: ServerResponse, done: () => void): void {
  onEnd(req, res, done);
}

/**
 * Resolves once `res` has a connection to be written to: at once, unless it is queued behind
 * another answer on the same connection (HTTP pipelining), when it waits for its turn; rejects with
 * the signal's reason when the client goes first. Nothing is written into an answer that may never
 * be sent (it would be held in memory, and a stream piped into it would never end).
 */
export async function ownConnection(res: ServerResponse, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (res.socket) return;
  await new Promise<void>((resolve, reject) => {
    const onSocket = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      res.off('socket', onSocket);
      reject(signal.reason);
    };
    res.once('socket', onSocket);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
