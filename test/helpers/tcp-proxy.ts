import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of the database, for fault tests: it passes traffic, cuts every
 * connection (and refuses new ones), or stalls (holds connections open and forwards nothing).
 * The machine's PostgreSQL server itself is never touched.
 */
export class TcpProxy {
  #mode: 'pass' | 'cut' | 'stall' = 'pass';
  readonly #pairs = new Set<{ client: Socket; upstream: Socket }>();
  readonly #held = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

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
    upstream.on('error', () => client.destroy());
    const pair = { client, upstream };
    this.#pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  }

  /** Drops every connection and refuses new ones, as a server that went down. */
  cut(): void {
    this.#mode = 'cut';
    for (const { client, upstream } of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    for (const socket of this.#held) socket.destroy();
  }

  /** Keeps connections open but forwards nothing, as a network that hangs. */
  stall(): void {
    this.#mode = 'stall';
    for (const { client, upstream } of this.#pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Back to normal: new connections pass; stalled ones are dropped, as after a network failure. */
  restore(): void {
    if (this.#mode === 'stall') {
      for (const { client, upstream } of this.#pairs) {
        client.destroy();
        upstream.destroy();
      }
      for (const socket of this.#held) socket.destroy();
    }
    this.#mode = 'pass';
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
