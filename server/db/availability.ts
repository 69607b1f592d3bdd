import pg from 'pg';

/**
 * Watches a PostgreSQL server from a connection of its own: a trivial query every second, given
 * 1.5 s to answer. While it fails, the server is "unavailable" and the API answers 503 at once
 * (and cuts short the requests that were waiting on it), instead of letting them hang; the first
 * answer that comes back makes it available again, with no restart.
 */
export class AvailabilityMonitor {
  #available = true;
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  readonly #listeners = new Set<(available: boolean) => void>();

  constructor(
    private readonly databaseUrl: string,
    private readonly intervalMs = 1000,
    private readonly timeoutMs = 1500,
  ) {}

  get available(): boolean {
    return this.#available;
  }

  onChange(listener: (available: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#timer = setInterval(() => void this.check(), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#drop();
  }

  /** One check now; resolves to whether the server answered in time. */
  async check(): Promise<boolean> {
    if (this.#busy) return this.#available;
    this.#busy = true;
    try {
      await this.#withTimeout(async () => {
        if (!this.#client) {
          const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: this.timeoutMs });
          client.on('error', () => void this.#drop());
          this.#client = client;
          await client.connect();
        }
        await this.#client.query('select 1');
      });
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
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), this.timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
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
