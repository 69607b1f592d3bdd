import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { captureLog } from '../helpers/log.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addStandardUsers, Client, IDENTITIES, TEST_PASSWORD } from '../helpers/users.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request whose answer is read as sent: no decoding of its Content-Encoding. */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body as sent, decoded by its Content-Encoding. */
function decoded(answer: Raw): string {
  const encoding = answer.headers['content-encoding'];
  const body =
    encoding === 'br' ? brotliDecompressSync(answer.body) : encoding === 'gzip' ? gunzipSync(answer.body) : answer.body;
  return body.toString('utf8');
}

describe(`the page and its files, compressed at build (${TEST_DB})`, () => {
  const dist = mkdtempSync(join(tmpdir(), 'ao-page-files-'));
  const script = `console.log(${JSON.stringify('联盟 '.repeat(2000))});\n`;
  const page = `<!doctype html><html><head><title>alliance</title></head><body>${'<p>page</p>'.repeat(200)}</body></html>`;
  const { log, lines } = captureLog();
  let database: TestDatabase;
  let server: TestServer;
  let admin: Client;

  beforeAll(async () => {
    // A build as vite.config.ts writes it: each text asset beside its brotli and gzip forms.
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), page);
    writeFileSync(join(dist, 'index.html.br'), brotliCompressSync(page));
    writeFileSync(join(dist, 'index.html.gz'), gzipSync(page));
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    writeFileSync(join(dist, 'assets', 'app-1a2b3c.js'), script);
    writeFileSync(join(dist, 'assets', 'app-1a2b3c.js.br'), brotliCompressSync(script));
    writeFileSync(join(dist, 'assets', 'app-1a2b3c.js.gz'), gzipSync(script));
    database = await createTestDatabase();
    await addStandardUsers(database.db);
    server = await startTestServer(database, {}, { distDir: dist, log });
    admin = await Client.signIn(server, IDENTITIES.admin.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it.each([
    ['br, gzip, deflate', 'br'],
    ['gzip', 'gzip'],
    ['identity', undefined],
  ])(
    'when a browser accepting %s asks for an asset, then it gets the build’s form of it, with its own type, for a year',
    async (accept, encoding) => {
      const answer = await raw(`${server.url}/assets/app-1a2b3c.js`, { 'accept-encoding': accept });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(encoding);
      expect(answer.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(decoded(answer)).toBe(script);
      if (encoding) expect(answer.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
    },
  );

  it('when robots.txt is asked, then it is the text file; a file that is not there is a 404 problem, never the page', async () => {
    const robots = await raw(`${server.url}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(robots.headers['content-type']).toMatch(/^text\/plain/);
    expect(robots.body.toString()).toBe('User-agent: *\nDisallow: /\n');
    for (const path of ['/favicon.ico', '/assets/app-0old0.js', '/sitemap.xml', '/deep/path/file.css']) {
      const missing = await raw(`${server.url}${path}`);
      expect(missing.status, path).toBe(404);
      expect(missing.headers['content-type'], path).toMatch(/^application\/problem\+json/);
    }
    // Anything else outside the API is a page of the client: its HTML, compressed for a browser that takes it,
    // and asked again each time (the assets it names change with each build).
    for (const [path, accept, encoding] of [
      ['/', 'gzip', 'gzip'],
      ['/overview', 'br', 'br'],
      ['/a/b', 'identity', undefined],
    ] as const) {
      const shell = await raw(`${server.url}${path}`, { 'accept-encoding': accept });
      expect(shell.status, path).toBe(200);
      expect(shell.headers['content-type'], path).toMatch(/^text\/html/);
      expect(shell.headers['content-encoding'], path).toBe(encoding);
      expect(shell.headers['cache-control'], path).toBe('no-cache');
      expect(decoded(shell), path).toBe(page);
    }
    expect((await raw(`${server.url}/overview`, {}, 'POST')).status).toBe(405);
  });

  it('when the page, its files and the API are asked, then the API is logged at info and the page and files at debug', async () => {
    lines.length = 0;
    await raw(`${server.url}/overview`);
    await raw(`${server.url}/assets/app-1a2b3c.js`);
    await raw(`${server.url}/api/v1/meta`, { cookie: admin.cookie! });
    await raw(`${server.url}/no-such-file.png`);
    const levelOf = (url: string) => lines.find((line) => line.msg === 'request completed' && line.req?.url === url)?.level;
    expect(levelOf('/overview')).toBe(20);
    expect(levelOf('/assets/app-1a2b3c.js')).toBe(20);
    expect(levelOf('/api/v1/meta')).toBe(30);
    expect(levelOf('/no-such-file.png')).toBe(40);
  });
});
