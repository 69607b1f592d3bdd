import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBulkCredits } from '../helpers/facts.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES } from '../helpers/users.js';

/**
 * A reader that goes away in the middle of a download: the download stops, and the next request is
 * answered at once. Before, the export waited for a 'drain' that never came, and held its connection
 * (on the embedded database, its one connection) for ever; now it is written to a file before a byte
 * is sent, so no reader holds a connection at all (export-readers.test.ts).
 */
// About 10 MB: more than the socket buffers between server and reader hold (about 4 MB on loopback), so
// that the download, sent from its file at disk speed, is still being sent when its reader leaves.
const ROWS = 100_000;

describe(`downloads cut off by the reader (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    await insertBulkCredits(database.db, 'DL', ROWS);
    server = await startTestServer(database);
    admin = await Client.signIn(server, IDENTITIES.admin.email);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  /** Starts a download, reads its first bytes, then goes away without reading the rest. */
  function abandon(path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}/api/v1${path}`, { headers: { cookie: admin.cookie! } }, (res) => {
        res.once('data', () => {
          // Stop reading, so that the server's writes back up; then leave.
          res.pause();
          setTimeout(() => {
            res.destroy();
            resolve(res.statusCode ?? 0);
          }, 200);
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  for (const path of ['/records/credit?format=csv', '/records/credit?format=csv&formatted=true&lang=zh']) {
    it(`when the reader of ${path} goes away midway, then the next requests are answered at once`, async () => {
      expect(await abandon(path)).toBe(200);
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const response = await admin.get('/records/credit?pageSize=5');
        expect(response.status).toBe(200);
        expect((await response.json()).total).toBe(ROWS);
        // The export's connection is back: nothing waited for the 20 s an abandoned one would hold.
        expect(performance.now() - start).toBeLessThan(5000);
      }
      // A whole download still arrives whole.
      const whole = await admin.get(path);
      expect(whole.status).toBe(200);
      const text = await whole.text();
      expect(text.trimEnd().split('\r\n')).toHaveLength(ROWS + 1);
    });
  }
});
