import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { connectDatabase, quoteIdentifier } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { buildServerBundle, type ServerBundle } from './server-bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Prefix of this run's PostgreSQL databases; the migrated template is `<prefix>_template`. */
    pgPrefix: string;
    /** The server and the command line compiled for this run (test/helpers/server-bundle.ts). */
    serverBundle: ServerBundle;
  }
}

/**
 * For both database projects: the server and the command line compiled once, for the tests that
 * start them as processes. For the PostgreSQL project: one migrated template database per run, from which every
 * test file copies its own database; all of them are dropped at the end.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const bundle = await buildServerBundle();
  project.provide('serverBundle', bundle.scripts);
  if (project.config.env?.TEST_DB !== 'postgres') return bundle.remove;
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('the postgres project needs TEST_DATABASE_URL');
  const prefix = `ao_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${quoteIdentifier(`${prefix}_template`)}`);
  const templateUrl = databaseUrl(url, `${prefix}_template`);
  const template = await connectDatabase({ databaseUrl: templateUrl, poolSize: 1 });
  await migrateToLatest(template.db);
  await template.close();
  project.provide('pgPrefix', prefix);
  return async () => {
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [
      `${prefix}%`,
    ]);
    for (const { datname } of rows) await admin.query(`drop database if exists ${quoteIdentifier(datname)} with (force)`);
    await admin.end();
    await bundle.remove();
  };
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}
