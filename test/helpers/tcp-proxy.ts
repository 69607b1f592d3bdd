import { createServer, type Server, type Socket, connect } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes a stall holds, in order, as a network that delays them: delivered on `resume`, dropped on `restore`. */
  held: Array<{ to: 'upstream' | 'client'; chunk: Buffer }>;
  /** A side that closed during the stall: the other side learns of it only when the network comes back. */
  closedDuringStall: boolean;
}

/**
 * A TCP proxy in front of the database, for fault tests: it passes traffic, cuts every
 * connection (and refuses new ones), or stalls (holds connections open and forwards nothing).
 * A stall ends in one of two ways: `restore` drops the stalled connections (the network failed
 * for good), `resume` delivers what it held and carries on (the network only hung). A stall can
 * also be set to begin at the first statement the application sends that matches a pattern.
 * The machine's PostgreSQL server itself is never touched.
 */
export class TcpProxy {
  #mode: 'pass' | 'cut' | 'stall' = 'pass';
  readonly #pairs = new Set<Pair>();
  readonly #held = new Set<Socket>();
  #trigger: { pattern: RegExp | string; forward: boolean; fired: () => void } | undefined;
  #server: Server | undefined;
  port = 0;
  /** When the last stall began (performance.now()). */
  stalledAt = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.#server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
  }

  #accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.#mode === 'cut') {
      client.destroy();
      return;
    }
    if (this.#mode === 'stall') {
      this.#held.add(client);
      client.on('close', () => this.#held.delete(client));
      return;
    }
    this.#pipe(client);
  }

  #pipe(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream, held: [], closedDuringStall: false };
    this.#pairs.add(pair);
    client.on('data', (chunk: Buffer) => this.#forward(pair, 'upstream', chunk));
    upstream.on('data', (chunk: Buffer) => this.#forward(pair, 'client', chunk));
    const end = () => {
      if (this.#mode === 'stall' && this.#pairs.has(pair)) {
        pair.closedDuringStall = true;
        return;
      }
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  }

  #forward(pair: Pair, to: 'upstream' | 'client', chunk: Buffer): void {
    const trigger = this.#trigger;
    const text = trigger && to === 'upstream' && this.#mode === 'pass' ? chunk.toString('latin1') : undefined;
    if (
      trigger &&
      text !== undefined &&
      (typeof trigger.pattern === 'string' ? text.includes(trigger.pattern) : trigger.pattern.test(text))
    ) {
      this.#trigger = undefined;
      if (trigger.forward) pair.upstream.write(chunk);
      this.stall();
      if (!trigger.forward) pair.held.push({ to, chunk });
      trigger.fired();
      return;
    }
    if (this.#mode === 'stall') {
      pair.held.push({ to, chunk });
      return;
    }
    (to === 'upstream' ? pair.upstream : pair.client).write(chunk);
  }

  /**
   * Stalls the network at the first message the application sends that matches `pattern` (a
   * pattern, or bytes to find; SQL text travels as it is written): before that message, or just
   * after it (`forward`). Resolves when it has.
   */
  stallAt(pattern: RegExp | string, { forward = false } = {}): Promise<void> {
    return new Promise((fired) => {
      this.#trigger = { pattern, forward, fired };
    });
  }

  /** Drops every connection and refuses new ones, as a server that went down. */
  cut(): void {
    this.#mode = 'cut';
    this.#trigger = undefined;
    for (const { client, upstream } of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.#pairs.clear();
    for (const socket of this.#held) socket.destroy();
  }

  /** Keeps connections open but forwards nothing, as a network that hangs. */
  stall(): void {
    this.#mode = 'stall';
    this.stalledAt = performance.now();
  }

  /** Back to normal: new connections pass; stalled ones are dropped, as after a network failure. */
  restore(): void {
    if (this.#mode === 'stall') {
      for (const { client, upstream } of this.#pairs) {
        client.destroy();
        upstream.destroy();
      }
      this.#pairs.clear();
      for (const socket of this.#held) socket.destroy();
    }
    this.#mode = 'pass';
  }

  /**
   * Back to normal, as a network that only hung: everything held is delivered, in order (a COMMIT
   * among it reaches the server), then a connection whose one side closed meanwhile is closed.
   */
  resume(): void {
    if (this.#mode !== 'stall') return;
    this.#mode = 'pass';
    for (const pair of [...this.#pairs]) {
      for (const { to, chunk } of pair.held) {
        const socket = to === 'upstream' ? pair.upstream : pair.client;
        if (!socket.destroyed) socket.write(chunk);
      }
      pair.held = [];
      if (pair.closedDuringStall || pair.client.destroyed || pair.upstream.destroyed) {
        this.#pairs.delete(pair);
        pair.client.end();
        pair.upstream.end();
      }
    }
    for (const socket of [...this.#held]) {
      this.#held.delete(socket);
      if (!socket.destroyed) this.#pipe(socket);
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
