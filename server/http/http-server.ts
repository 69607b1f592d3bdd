import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** What Node says of a request it could not read, and the status that says it. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request took too long to arrive.'],
  HPE_INVALID_EOF_STATE: [400, 'Bad Request', 'The request ended before its body was whole.'],
};

/**
 * The HTTP server of the application. A request Node cannot read (a malformed head, headers too
 * large, a body cut short by a client that half-closes) is answered as problem+json like every
 * other error, where Node alone would send a bare status line; a socket already gone is let go.
 */
export function createHttpServer(handler: RequestListener): Server {
  const server = createServer(handler);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, title, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [
      400,
      'Bad Request',
      'The request cannot be read as HTTP.',
    ];
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
    const body = JSON.stringify({ type: 'about:blank', title, status, detail });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
