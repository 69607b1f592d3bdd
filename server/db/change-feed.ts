import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import pg from 'pg';
import { readDataVersion } from './data-version.js';
import type { Database } from './schema.js';

/** The channel of sql/0012: `data <version>`, `auth`, and each feed's own `sync`/`beat` markers. */
export const CHANGE_CHANNEL = 'ao_change';

/** One subscription: one connection's LISTEN, and what is done over that connection. */
export interface ChangeSubscription {
  /** The committed data version, read after listening began. */
  readVersion(): Promise<number>;
  /** Sends a notification on the channel (delivered after every notification committed before it). */
  notify(payload: string): Promise<void>;
  /** Ends this subscription only; resolves when it has ended (never rejects). */
  stop(): Promise<void>;
}

/** Where the announcements come from: a LISTEN connection of its own (PostgreSQL) or PGlite's one session. */
export interface ChangeSource {
  /**
   * Subscribes; resolves once listening. `notice` gets each payload, and whether this connection's
   * own session sent it; `lost` is called (at most once) if the subscription ends by itself.
   */
  listen(notice: (payload: string, fromSelf: boolean) => void, lost: (error: unknown) => void): Promise<ChangeSubscription>;
  /**
   * Whether a connection can stop delivering without telling (a network between): the feed then
   * sends itself a heartbeat. PGlite is in the process and needs none.
   */
  readonly remote: boolean;
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
 * their announcement, a fraction of a millisecond after their commit on the same host. An
 * announcement is a hint, never a number to believe: on each, the feed reads the version over its
 * own connection (and is unsettled until it has), so a NOTIFY sent by anyone can make it ask again,
 * no more. Markers count only from the feed's own session and carry its id.
 *
 * When the subscription is lost, the feed is unsettled (every request asks the database, as without
 * a feed) until it listens again; then it re-reads the version and drops every remembered session.
 * Everything that arrives from a subscription that is no longer the current one is ignored.
 */
export class ChangeFeed {
  readonly #id = randomUUID();
  #version: number | undefined;
  /** Data announcements heard, and how many of them a completed read of the version covers. */
  #announced = 0;
  #readThrough = 0;
  #reading = false;
  #authEpoch = 0;
  #holds = 0;
  /** The marker the feed waits to hear back before it settles; 0 when none. */
  #awaitedSync = 0;
  #markers = 0;
  /** The current subscription, once LISTEN is acknowledged; undefined while not listening. */
  #subscription: ChangeSubscription | undefined;
  /** Bumped by every connection attempt and every loss: events of an older generation are ignored. */
  #generation = 0;
  #stopped = false;
  #starting: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  /** The heartbeat sent and not yet heard back; 0 when none is out. */
  #beatOut = 0;

  /**
   * `heartbeatMs`: how often the feed sends itself a marker while listening to a remote source. One
   * not heard back by the next beat means the connection is no longer delivering (a half-open
   * socket, a pooler that does not pass notifications): the feed drops it and listens again.
   */
  constructor(
    private readonly source: ChangeSource,
    /** Told when a settled feed loses its connection (the application logs it). */
    public onError: (error: unknown) => void = () => undefined,
    private readonly heartbeatMs = 10_000,
  ) {}

  /** Starts listening in the background (idempotent); until then and after a loss, the feed is unsettled. */
  start(): void {
    if (this.#stopped || this.#starting || this.#subscription) return;
    this.#starting = this.#connect().finally(() => {
      this.#starting = undefined;
      // Lost while connecting: the retry may have found the attempt still running.
      if (!this.#subscription && !this.#stopped) this.#scheduleRetry();
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

  /**
   * Whether the network to the database is known to carry traffic now (PostgreSQL: the availability
   * monitor's `answering`). A stalled network holds the feed's socket open and silent, so a loss is
   * not seen there: without this the feed would stay settled on a version the database may have
   * moved past, for as long as the stall lasts.
   */
  reachable: () => boolean = () => true;

  /** Whether the feed is subscribed to the database's announcements and the database is reachable. */
  get listening(): boolean {
    return this.reachable() && this.#subscription !== undefined;
  }

  /**
   * Whether the feed has heard and read every announcement up to its last marker: settled, but for
   * the writes of this process still in flight (each holds it, and is heard once it is released).
   */
  get caughtUp(): boolean {
    return this.listening && this.#version !== undefined && this.#readThrough === this.#announced && this.#awaitedSync === 0;
  }

  /** Whether the version and remembered sessions can be trusted without asking the database. */
  get settled(): boolean {
    return this.caughtUp && this.#holds === 0;
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
    this.#generation++;
    clearTimeout(this.#retry);
    clearInterval(this.#heartbeat);
    const subscription = this.#subscription;
    this.#subscription = undefined;
    await subscription?.stop();
    await this.#starting?.catch(() => undefined);
  }

  /**
   * Sends a marker and waits for it. Unsubscribed, nothing is sent: the next subscription reads the
   * version and sends a marker of its own after every write released before it.
   */
  #sync(): void {
    const marker = ++this.#markers;
    this.#awaitedSync = marker;
    this.#send(`sync ${this.#id} ${marker}`);
  }

  #send(payload: string): void {
    const subscription = this.#subscription;
    if (!subscription) return;
    const generation = this.#generation;
    subscription.notify(payload).catch((error: unknown) => this.#lose(error, generation));
  }

  #notice(payload: string, fromSelf: boolean, generation: number): void {
    if (generation !== this.#generation) return;
    const [what, first, second] = payload.split(' ');
    if (what === 'data') {
      this.#announced++;
      if (this.#version !== undefined) this.#refresh();
    } else if (what === 'auth') {
      this.#authEpoch++;
    } else if (fromSelf && first === this.#id) {
      const marker = Number(second);
      if (what === 'sync' && marker >= this.#awaitedSync) this.#awaitedSync = 0;
      if (what === 'beat' && marker === this.#beatOut) this.#beatOut = 0;
    }
  }

  /**
   * Reads the version for the announcements heard so far. Reads run one at a time, in order, on
   * the feed's own connection, so the last one to finish saw the latest commit.
   */
  #refresh(): void {
    const subscription = this.#subscription;
    if (this.#reading || !subscription) return;
    this.#reading = true;
    const generation = this.#generation;
    const covers = this.#announced;
    subscription
      .readVersion()
      .then((version) => {
        if (generation !== this.#generation) return;
        this.#reading = false;
        this.#version = version;
        this.#readThrough = covers;
        if (this.#announced > this.#readThrough) this.#refresh();
      })
      .catch((error: unknown) => {
        if (generation === this.#generation) this.#reading = false;
        this.#lose(error, generation);
      });
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    let subscription: ChangeSubscription | undefined;
    try {
      subscription = await this.source.listen(
        (payload, fromSelf) => this.#notice(payload, fromSelf, generation),
        (error) => this.#lose(error, generation),
      );
      if (generation !== this.#generation) {
        await subscription.stop();
        return;
      }
      this.#subscription = subscription;
      const covers = this.#announced;
      const version = await subscription.readVersion();
      if (generation !== this.#generation) return;
      this.#version = version;
      this.#readThrough = covers;
      if (this.#announced > this.#readThrough) this.#refresh();
      // Sessions remembered before listening began may have changed unannounced.
      this.#authEpoch++;
      this.#retryMs = 0;
      this.#beatOut = 0;
      if (this.source.remote) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = setInterval(() => this.#beat(), this.heartbeatMs);
        this.#heartbeat.unref();
      }
      // Settles once everything committed before now has been heard: a write that committed
      // between LISTEN and the version's read is announced before this marker.
      this.#sync();
    } catch (error) {
      if (subscription && !this.#subscription) await subscription.stop();
      this.#lose(error, generation);
    }
  }

  #beat(): void {
    if (!this.#subscription) return;
    if (this.#beatOut !== 0) {
      this.#lose(new Error(`the change feed heard nothing back for ${this.heartbeatMs} ms`), this.#generation);
      return;
    }
    this.#beatOut = ++this.#markers;
    this.#send(`beat ${this.#id} ${this.#beatOut}`);
  }

  /** The subscription of `generation` ended or failed: forget it and listen again (if it is the current one). */
  #lose(error: unknown, generation: number): void {
    if (generation !== this.#generation || this.#stopped) return;
    this.#generation++;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const wasSettled = this.#subscription !== undefined && this.#version !== undefined;
    const subscription = this.#subscription;
    this.#subscription = undefined;
    this.#version = undefined;
    this.#announced = 0;
    this.#readThrough = 0;
    this.#reading = false;
    this.#authEpoch++;
    if (wasSettled) this.onError(error);
    void subscription?.stop();
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#retry || this.#stopped) return;
    this.#retryMs = Math.min(5000, this.#retryMs === 0 ? 250 : this.#retryMs * 2);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.start();
    }, this.#retryMs);
    this.#retry.unref();
  }
}

/** How long the feed's own statements (LISTEN, the version, a marker) may take before the connection counts as lost. */
const FEED_STATEMENT_TIMEOUT_MS = 5000;

/** A PostgreSQL LISTEN connection of its own, outside the pools (a pooled connection would be shared). */
export function postgresChangeSource(databaseUrl: string): ChangeSource {
  return {
    remote: true,
    async listen(notice, lost) {
      const connection = new pg.Client({
        connectionString: databaseUrl,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        connectionTimeoutMillis: FEED_STATEMENT_TIMEOUT_MS,
        query_timeout: FEED_STATEMENT_TIMEOUT_MS,
      });
      let ended = false;
      const end = (error: unknown) => {
        if (ended) return;
        ended = true;
        lost(error);
      };
      connection.on('error', end);
      connection.on('end', () => end(new Error('the change feed connection ended')));
      connection.on('notification', (message) => {
        if (ended || message.channel !== CHANGE_CHANNEL || message.payload === undefined) return;
        // The backend that sent it: this connection's own for the feed's markers.
        notice(message.payload, message.processId === (connection as unknown as { processID: number }).processID);
      });
      const subscription: ChangeSubscription = {
        async readVersion() {
          const result = await connection.query<{ value: unknown }>(`select value from app_setting where key = 'data_version'`);
          return Number(result.rows[0]?.value ?? 0);
        },
        async notify(payload) {
          await connection.query('select pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
        },
        async stop() {
          ended = true;
          await connection.end().catch(() => undefined);
        },
      };
      try {
        await connection.connect();
        // The socket's end, not the client's: node-postgres reports the loss only when the socket
        // has closed, a turn of the event loop later, and a request read in between must know it.
        connection.connection.stream.once('end', () => end(new Error('the database closed the change feed connection')));
        await connection.query(`listen ${CHANGE_CHANNEL}`);
      } catch (error) {
        await subscription.stop();
        throw error;
      }
      return subscription;
    },
  };
}

/**
 * PGlite's one session. Its notifications (its own) are delivered as the statement that committed
 * them returns. LISTEN and the markers go through Kysely, so they never run inside a transaction
 * that holds the single connection; the callback is registered with PGlite without SQL.
 */
export function pgliteChangeSource(pglite: PGlite, db: Kysely<Database>): ChangeSource {
  return {
    remote: false,
    async listen(notice) {
      let active = true;
      // One session: every notification is its own.
      const off = pglite.onNotification((channel, payload) => {
        if (active && channel === CHANGE_CHANNEL) notice(payload, true);
      });
      try {
        await sql`listen ${sql.raw(CHANGE_CHANNEL)}`.execute(db);
      } catch (error) {
        off();
        throw error;
      }
      return {
        readVersion: () => readDataVersion(db),
        async notify(payload) {
          await sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`.execute(db);
        },
        async stop() {
          active = false;
          off();
        },
      };
    },
  };
}
