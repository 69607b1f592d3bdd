import { createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { Actor } from '../audit/audit.queries.js';
import type { DatabaseHandle } from '../db/connect.js';
import { FACT_KINDS } from '../db/schema.js';
import { zodProblems } from '../http/route.js';

/**
 * What a command reads and writes: the process's own streams and environment under `npm run cli`
 * (`PROCESS_IO` in run.ts), others where the command line runs inside another program.
 */
export interface CliIo {
  readonly stdin: Readable & { readonly isTTY?: boolean };
  readonly stdout: Writable;
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /** The configuration (server/config.ts): DATABASE_URL, or DATA_DIR for the embedded database. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * One command of the command line (`commands/<name>.ts`): given the migrated database, the
 * words after its name and its streams, it calls the same use cases as the API's routes and
 * answers an exit code (0 done, 1 refused, 2 wrong usage: it throws `Refused` or `UsageError` for those).
 */
export type Command = (database: DatabaseHandle, args: string[], io: CliIo) => Promise<number>;

/** Wrong words on the command line: exit 2. */
export class UsageError extends Error {}
/** The command was understood but refused (bad value, conflict): exit 1. */
export class Refused extends Error {}

export const CLI_ACTOR: Actor = { id: null, email: 'cli', address: 'command line' };

export function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Refused(
    zodProblems(result.error)
      .map((p) => `${p.path} ${p.message}`)
      .join('; '),
  );
}

export const KIND = z.enum(FACT_KINDS, { error: `must be one of ${FACT_KINDS.join(', ')}` });

/** A file to write the export to, or a clear refusal when it cannot be created. */
export async function openForWriting(path: string): Promise<Writable> {
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot write ${path}: ${error.code ?? error.message}`)),
    );
  });
  return stream;
}
export function checkedUsage<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UsageError(
    `${what} is not valid: ${zodProblems(result.error)
      .map((p) => `${p.path} ${p.message}`)
      .join('; ')}`,
  );
}
