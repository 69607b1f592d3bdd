import pg from 'pg';

/**
 * Watches a PostgreSQL server from a connection of its own: a trivial query every 250 ms. The server
 * is "answering" while the last probe it answered was sent less than `windowMs` (1.5 s) ago, and
 * "unavailable" from the moment that stops being true (or a probe fails outright, as when the
 * connection is refused). While unavailable the API answers 503 at once and cuts short the requests
 * waiting on the server, instead of letting them hang; the first answer back makes it available
 * again, with no restart.
 *
 * Why the window runs from a probe's *sending*: an answer to a probe sent at `s` proves the network
 * carried traffic after `s`, and no earlier. So when the network stalls at `t`, every answered probe
 * was sent before `t`, and `answering` is false by `t + windowMs` whatever the probes' phase: that is
 * the bound on answers sent from memory after a stall (`answer-front.ts`), read off the clock at
 * each request rather than from a timer. The switch to unavailable is a timer at the same instant,
 * but it first lets the event loop read what has arrived: a loop that was blocked (a long parse)
 * must not count a probe's answer waiting in its socket as a silence of the server.
 */
export class AvailabilityMonitor {
  #available = true;
  /** When the last probe that was answered was sent (performance.now()). */
  #aliveAt = performance.now();
  /** When the last answer arrived, as the event loop read it. */
  #answeredAt = performance.now();
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #busy = false;
  #watching = false;
  #stopped = false;
  readonly #listeners = new Set<(available: boolean) => void>();

  constructor(
    private readonly databaseUrl: string,
    readonly intervalMs = 250,
    readonly windowMs = 1500,
  ) {}

  get available(): boolean {
    return this.#available;
  }

  /**
   * Whether the server is known to have answered within the last `windowMs`: what the change feed
   * announced is then still the committed state, so far as a stalled network can hide it.
   */
  get answering(): boolean {
    // Not watching (short commands), nothing is known, and nothing is assumed, as before there was a monitor.
    return this.#available && (!this.#watching || performance.now() - this.#aliveAt <= this.windowMs);
  }

  onChange(listener: (available: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#watching = true;
    this.#aliveAt = this.#answeredAt = performance.now();
    this.#arm();
    this.#timer = setInterval(() => void this.check(), this.intervalMs);
    this.#timer.unref();
    void this.check();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#deadline);
    await this.#drop();
  }

  /** One probe now (none if one is out); resolves to whether the server is available. */
  async check(): Promise<boolean> {
    if (this.#busy) return this.#available;
    this.#busy = true;
    const sentAt = performance.now();
    try {
      // Bounded on its own: a client dropped while it connects is never told (node-postgres settles no
      // connect() once end() has been called), and a probe that never settles would stop every later one.
      await this.#withTimeout(async () => {
        if (!this.#client) {
          const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: this.windowMs });
          client.on('error', () => void this.#drop());
          this.#client = client;
          await client.connect();
        }
        await this.#client.query('select 1');
      });
      this.#aliveAt = Math.max(this.#aliveAt, sentAt);
      this.#answeredAt = performance.now();
      this.#arm();
      this.#set(true);
    } catch {
      await this.#drop();
      this.#set(false);
    } finally {
      this.#busy = false;
    }
    return this.#available;
  }

  async #withTimeout(work: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          // As in #arm: when this process itself was busy past the window (a long computation holds
          // the event loop), an answer already received is read in the poll phase before the
          // immediate refuses: a stall of our own is not the database's.
          timer = setTimeout(() => setImmediate(() => reject(new Error('no answer'))), this.windowMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Switches to unavailable when no probe has been answered for `windowMs`. */
  #arm(): void {
    clearTimeout(this.#deadline);
    if (this.#stopped) return;
    const due = this.#answeredAt + this.windowMs - performance.now();
    this.#deadline = setTimeout(
      // The poll phase runs between this timer and the immediate: an answer already received is read first.
      () =>
        setImmediate(() => {
          if (performance.now() - this.#answeredAt < this.windowMs) return this.#arm();
          void this.#drop();
          this.#set(false);
        }),
      Math.max(0, due),
    );
    this.#deadline.unref();
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    // A stalled connection never finishes a polite end: destroy its socket, and do not wait.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    client.end().catch(() => undefined);
  }

  #set(available: boolean): void {
    if (available === this.#available) return;
    this.#available = available;
    for (const listener of this.#listeners) listener(available);
  }
}
