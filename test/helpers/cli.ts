import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../server/cli/command.js';
import { runCli } from '../../server/cli/run.js';
import type { DatabaseHandle } from '../../server/db/connect.js';

/** What a command line run left: its exit code and everything it wrote. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs a command line in this process (`runCli`, what `npm run cli` runs), with `stdin` as its
 * standard input and `env` as its whole environment, on `database` when given (else on the
 * database `env` names, opened, migrated and closed as by the command itself).
 */
export async function cliInProcess(
  args: string[],
  { env = {}, stdin = '', database }: { env?: NodeJS.ProcessEnv; stdin?: string; database?: DatabaseHandle },
): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const io: CliIo = {
    stdin: Readable.from(stdin ? [Buffer.from(stdin)] : []),
    stdout: stdout.stream,
    stderr: stderr.stream,
    env,
  };
  const code = await runCli(args, io, database);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
