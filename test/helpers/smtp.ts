import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** accept; refuse every recipient for good (550); refuse them for now (451); take the message and never answer. */
export type SmtpMode = 'accept' | 'refuse' | 'busy' | 'hang';

export interface ReceivedMail {
  /** The envelope: who the server was asked to deliver to. */
  envelope: string[];
  parsed: ParsedMail;
  raw: Buffer;
}

/** The refusal every recipient gets in `refuse` mode: what the delivery log must show. */
export const REFUSAL = '550 5.1.1 Mailbox unavailable (test server refuses)';
/** What the server answers in `busy` mode: a transient refusal, to be tried again later. */
export const BUSY = '451 4.3.0 Try again later (test server busy)';

/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps what it receives, parsed
 * with `mailparser`. Plain SMTP without STARTTLS or authentication, as a relay on the same host is.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  mode: SmtpMode = 'accept';
  readonly #server: SMTPServer;
  #hanging: Array<() => void> = [];
  port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 1000,
      onRcptTo: (_address, _session, callback) => {
        if (this.mode === 'refuse' || this.mode === 'busy') {
          const reply = this.mode === 'refuse' ? REFUSAL : BUSY;
          const error = Object.assign(new Error(reply.slice(4)), { responseCode: Number(reply.slice(0, 3)) });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.mode === 'hang') {
            // Never answers: the client must give up on its own.
            this.#hanging.push(() => callback(new Error('closed')));
            return;
          }
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              this.received.push({ envelope: session.envelope.rcptTo.map((r) => r.address), parsed, raw });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
  }

  /** Listens on loopback, on `port` or any free one. */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = ((this.#server.server as import('node:net').Server).address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits until `count` messages have arrived (or fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 30_000): Promise<ReceivedMail[]> {
    const end = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > end) throw new Error(`expected ${count} messages, received ${this.received.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.received;
  }

  async close(): Promise<void> {
    for (const release of this.#hanging) release();
    this.#hanging = [];
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** The text of a message's subject and recipients, for assertions. */
export const addressesOf = (mail: ReceivedMail): string[] => [...mail.envelope].sort();
