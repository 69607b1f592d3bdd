import pg from 'pg';
import { quoteIdentifier } from '../server/db/connect.js';

/** A database of its own on the given server for one benchmark run, made afresh and dropped after. */
export async function scratchDatabase(serverUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${quoteIdentifier(name)} with (force)`);
  await admin.query(`create database ${quoteIdentifier(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${quoteIdentifier(name)} with (force)`);
      await admin.end();
    },
  };
}
