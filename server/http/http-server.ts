import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpProblem, type Said, said } from '../lib/problems.js';

/** What Node says of a request it could not read, and the status that says it. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string, Said]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', said('headers_too_large')],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', said('request_too_slow')],
  HPE_INVALID_EOF_STATE: [400, 'Bad Request', said('body_cut_short')],
};

/**
 * The HTTP server of the application. A request Node cannot read (a malformed head, headers too
 * large, a body cut short by a client that half-closes) is answered as problem+json, with its
 * code, like every other error, where Node alone would send a bare status line; a socket already
 * gone is let go.
 */
export function createHttpServer(handler: RequestListener): Server {
  const server = createServer(handler);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, title, problem] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', said('not_http')];
    // An answer to HEAD has no body: where the request may have been one (or its first bytes are
    // unknown), the status line alone, as Node would send it.
    // The method: from the request Node had read (a body cut short), else from the bytes it could not.
    const method =
      (socket as { parser?: { incoming?: { method?: string } | null } }).parser?.incoming?.method ??
      (error as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1');
    if (method === undefined || method.toUpperCase().startsWith('HEAD')) {
      socket.end(`HTTP/1.1 ${status} ${title}\r\nConnection: close\r\n\r\n`);
      return;
    }
    const body = JSON.stringify(new HttpProblem(status, title, problem).toJSON());
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
