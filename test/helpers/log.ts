import { Writable } from 'node:stream';
import pino from 'pino';

/** One line of the server's JSON log, as the tests read it. */
export interface LogLine {
  level: number;
  time: number;
  msg: string;
  err?: { code?: string; message?: string };
  req?: { url?: string };
}

/** A logger at debug whose lines are kept in `lines`, parsed, for a test to read (and empty between tests). */
export function captureLog(): { log: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as LogLine);
        done();
      },
    }),
  );
  return { log, lines };
}
