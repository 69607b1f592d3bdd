import type { Kysely, RawBuilder } from 'kysely';

/** Rows of a raw query read through a cursor, a chunk (one fetch) at a time: memory stays flat whatever the size. */
export async function* streamChunks<R>(db: Kysely<any>, query: RawBuilder<R>, chunkSize = 5000): AsyncGenerator<R[]> {
  for await (const chunk of db.getExecutor().stream<R>(query.compile(db), chunkSize)) yield chunk.rows;
}
