import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import pg from 'pg';
import { readDataVersion } from './data-version.js';
import type { Database } from './schema.js';

/** The channel of sql/0012: `data <version>`, `auth`, and the feed's own `sync <n>` markers. */
export const CHANGE_CHANNEL = 'ao_change';

/** Where the announcements come from: a LISTEN connection of its own (PostgreSQL) or PGlite's listener. */
export interface ChangeSource {
  /** Subscribes; resolves once listening. `lost` is called once if the subscription ends. */
  listen(notice: (payload: string) => void, lost: (error: unknown) => void): Promise<void>;
  /** The committed data version, read after listening began. */
  readVersion(): Promise<number>;
  /** Sends a notification on the channel (delivered after every notification committed before it). */
  notify(payload: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What the database announces as writes commit (sql/0012): the data version and the changes to
 * accounts and sessions. While it is *settled* (listening, and no write of this process in flight
 * or unconfirmed) its version is the committed one, and the sessions read since its last `auth`
 * announcement are still what the database holds, so a request can be answered without asking.
 *
 * This process's own writes hold it unsettled from the start of the request until the feed has
 * received a marker it sent after the request ended: PostgreSQL delivers notifications in commit
 * order, so by then the write's own announcements have arrived. A caller's next request after a
 * write therefore always sees it. Another process's writes are seen as soon as PostgreSQL delivers
 * their announcement, a fraction of a millisecond after their commit on the same host.
 *
 * When the subscription is lost, the feed is unsettled (every request asks the database, as without
 * a feed) until it listens again; then it re-reads the version and drops every remembered session.
 */
export class ChangeFeed {
  #version: number | undefined;
  /** The highest version announced since the subscription began (before the version was read, too). */
  #heard = 0;
  #authEpoch = 0;
  #holds = 0;
  /** The marker the feed waits to hear back before it settles; 0 when none. */
  #awaitedSync = 0;
  #syncs = 0;
  /** LISTEN acknowledged on a live connection. */
  #subscribed = false;
  #stopped = false;
  #starting: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  /** The heartbeat sent and not yet heard back; 0 when none is out. */
  #beatOut = 0;

  /**
   * `heartbeatMs`: how often the feed sends itself a marker while listening. One not heard back by
   * the next beat means the connection is no longer delivering (a half-open socket, a pooler that
   * does not pass notifications): the feed drops it and listens again.
   */
  constructor(
    private readonly source: ChangeSource,
    /** Told when a settled feed loses its connection (the application logs it). */
    public onError: (error: unknown) => void = () => undefined,
    private readonly heartbeatMs = 10_000,
  ) {}

  /** Starts listening in the background (idempotent); until then and after a loss, the feed is unsettled. */
  start(): void {
    if (this.#stopped || this.#starting || this.#subscribed) return;
    this.#starting = this.#connect().finally(() => {
      this.#starting = undefined;
    });
  }

  /** Resolves once the feed has settled (for start-up, tests and benchmarks). */
  async ready(timeoutMs = 10_000): Promise<void> {
    this.start();
    const deadline = Date.now() + timeoutMs;
    while (!this.settled) {
      if (Date.now() > deadline) throw new Error('the change feed did not settle');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Whether the version and remembered sessions can be trusted without asking the database. */
  get settled(): boolean {
    return this.#subscribed && this.#version !== undefined && this.#holds === 0 && this.#awaitedSync === 0;
  }

  /** The committed data version while settled, else undefined (ask the database). */
  get version(): number | undefined {
    return this.settled ? this.#version : undefined;
  }

  /** Changes whenever an account or session may have changed unseen: remembered sessions of an older epoch are void. */
  get authEpoch(): number {
    return this.#authEpoch;
  }

  /**
   * Marks a write of this process in flight: the feed is unsettled until the returned release
   * has been called and the feed has heard back a marker sent after it.
   */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      this.#sync();
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#subscribed = false;
    clearTimeout(this.#retry);
    clearInterval(this.#heartbeat);
    await this.#starting?.catch(() => undefined);
    await this.source.stop().catch(() => undefined);
  }

  /**
   * Sends a marker and waits for it. Unsubscribed, nothing is sent: the next subscription reads the
   * version and sends a marker of its own after every write released before it.
   */
  #sync(): void {
    const marker = ++this.#syncs;
    this.#awaitedSync = marker;
    if (this.#subscribed) this.source.notify(`sync ${marker}`).catch((error: unknown) => this.#lose(error));
  }

  #notice(payload: string): void {
    const [what, value] = payload.split(' ');
    if (what === 'data') {
      const version = Number(value);
      if (!Number.isSafeInteger(version)) return;
      this.#heard = Math.max(this.#heard, version);
      if (this.#version !== undefined) this.#version = Math.max(this.#version, version);
    } else if (what === 'auth') {
      this.#authEpoch++;
    } else if (what === 'sync') {
      if (Number(value) >= this.#awaitedSync) this.#awaitedSync = 0;
    } else if (what === 'beat') {
      if (Number(value) === this.#beatOut) this.#beatOut = 0;
    }
  }

  async #connect(): Promise<void> {
    try {
      await this.source.listen(
        (payload) => this.#notice(payload),
        (error) => this.#lose(error),
      );
      this.#subscribed = true;
      const version = await this.source.readVersion();
      if (this.#stopped || !this.#subscribed) return;
      this.#version = Math.max(version, this.#heard);
      // Sessions remembered before listening began may have changed unannounced.
      this.#authEpoch++;
      this.#retryMs = 0;
      this.#beatOut = 0;
      clearInterval(this.#heartbeat);
      this.#heartbeat = setInterval(() => this.#beat(), this.heartbeatMs);
      this.#heartbeat.unref();
      // Settles once everything committed before now has been heard: a write that committed
      // between LISTEN and the version's read is announced before this marker.
      this.#sync();
    } catch (error) {
      this.#lose(error);
    }
  }

  #beat(): void {
    if (!this.#subscribed) return;
    if (this.#beatOut !== 0) {
      this.#lose(new Error(`the change feed heard nothing back for ${this.heartbeatMs} ms`));
      return;
    }
    this.#beatOut = ++this.#syncs;
    this.source.notify(`beat ${this.#beatOut}`).catch((error: unknown) => this.#lose(error));
  }

  #lose(error: unknown): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const wasSettled = this.#subscribed && this.#version !== undefined;
    this.#subscribed = false;
    this.#version = undefined;
    this.#heard = 0;
    this.#authEpoch++;
    if (this.#stopped) return;
    if (wasSettled) this.onError(error);
    void this.source.stop().catch(() => undefined);
    if (this.#retry) return;
    this.#retryMs = Math.min(5000, this.#retryMs === 0 ? 250 : this.#retryMs * 2);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.start();
    }, this.#retryMs);
    this.#retry.unref();
  }
}

/** A PostgreSQL LISTEN connection of its own, outside the pools (a pooled connection would be shared). */
export function postgresChangeSource(databaseUrl: string): ChangeSource {
  let client: pg.Client | undefined;
  return {
    async listen(notice, lost) {
      const connection = new pg.Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: 5000 });
      client = connection;
      let ended = false;
      const end = (error: unknown) => {
        if (ended) return;
        ended = true;
        lost(error);
      };
      connection.on('error', end);
      connection.on('end', () => end(new Error('the change feed connection ended')));
      connection.on('notification', (message) => {
        if (message.channel === CHANGE_CHANNEL && message.payload !== undefined) notice(message.payload);
      });
      await connection.connect();
      // The socket's end, not the client's: node-postgres reports the loss only when the socket
      // has closed, a turn of the event loop later, and a request read in between must know it.
      connection.connection.stream.once('end', () => end(new Error('the database closed the change feed connection')));
      await connection.query(`listen ${CHANGE_CHANNEL}`);
    },
    async readVersion() {
      if (!client) throw new Error('not listening');
      const result = await client.query<{ value: unknown }>(`select value from app_setting where key = 'data_version'`);
      return Number(result.rows[0]?.value ?? 0);
    },
    async notify(payload) {
      if (!client) throw new Error('not listening');
      await client.query('select pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
    },
    async stop() {
      const connection = client;
      client = undefined;
      connection?.removeAllListeners('end');
      connection?.removeAllListeners('notification');
      connection?.on('error', () => undefined);
      await connection?.end();
    },
  };
}

/**
 * PGlite's own listener. PGlite is one session, so its notifications (its own) are delivered as the
 * statement that committed them returns. Markers go through Kysely, never around a transaction
 * that holds the single connection.
 */
export function pgliteChangeSource(pglite: PGlite, db: Kysely<Database>): ChangeSource {
  let unlisten: (() => Promise<void>) | undefined;
  return {
    async listen(notice) {
      unlisten = await pglite.listen(CHANGE_CHANNEL, notice);
    },
    readVersion: () => readDataVersion(db),
    async notify(payload) {
      await sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`.execute(db);
    },
    async stop() {
      const stop = unlisten;
      unlisten = undefined;
      if (stop && !pglite.closed) await stop();
    },
  };
}
