import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

/** The folder of numbered plain-SQL migrations (`0001_dimensions.sql`, …). */
export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/** Reads `NNNN_name.sql` files; each file is one migration, applied whole in one transaction. */
export class SqlFolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string = SQL_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(`${this.folder}/${file}`, 'utf8');
      migrations[file.replace(/\.sql$/, '')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Applies every pending migration in order; a no-op when all have run. Returns the names applied. */
export async function migrateToLatest(db: Kysely<any>, folder?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new SqlFolderMigrationProvider(folder) });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`);
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
