import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemText } from '../../client/lib/problem-text.js';
import { isProblemCode } from '../../contract/problems.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A problem answer: problem+json, with a catalogue code the client says in Chinese too. */
function expectCoded(problem: { code?: unknown; params?: unknown; detail?: unknown }, code: string): void {
  expect(problem.code).toBe(code);
  expect(isProblemCode(problem.code)).toBe(true);
  const said = { code: String(problem.code), params: problem.params };
  expect(problemText(said, 'en')).toBe(problem.detail);
  expect(problemText(said, 'zh')).toMatch(/[\u4e00-\u9fff]/);
}

describe(`the HTTP foundation (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('when /health is asked, then it answers 200 with the kind of database', async () => {
    const response = await server.fetch('/api/v1/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: TEST_DB });
  });

  it('when an API path does not exist, then it is a 404 problem+json, not the client shell', async () => {
    const response = await server.fetch('/api/v1/no-such-thing?x=1');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await response.json();
    expect(problem).toMatchObject({ status: 404, title: 'Not Found', detail: 'There is no GET /api/v1/no-such-thing.' });
    expect(problem.type).toMatch(/^https:\/\//);
    expectCoded(problem, 'no_such_route');
  });

  it.each([
    ['DELETE', '/api/v1/health', 'GET, HEAD'],
    ['PUT', '/api/v1/users/7', 'PATCH'],
    ['GET', '/api/v1/auth/logout', 'POST'],
    ['POST', '/api/v1/records/tech_transfer/12', 'PATCH, DELETE'],
  ])('when %s %s is asked, then it is a 405 naming what it takes (%s) in Allow, a coded problem', async (method, path, allow) => {
    const response = await server.fetch(path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await response.json();
    expect(problem).toMatchObject({ status: 405, title: 'Method Not Allowed', params: { method, path } });
    expectCoded(problem, 'method_not_allowed');
  });

  it('when a path outside the API is asked, then a page is read only (405) and nothing else is there (404), each a coded problem', async () => {
    const post = await server.fetch('/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(post.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expectCoded(await post.json(), 'method_not_allowed');
    const api = await server.fetch('/api/v2/health');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expectCoded(await api.json(), 'no_such_route');
  });

  it('when a body is not JSON, then it is a 400 problem without a stack trace', async () => {
    const response = await server.fetch('/api/v1/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(JSON.parse(text)).toMatchObject({ status: 400, detail: 'The body must be a JSON object.' });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expectCoded(JSON.parse(text), 'body_not_json');
  });

  it('when a JSON body is over the limit, then it is a 413 problem', async () => {
    const response = await server.fetch('/api/v1/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ big: 'x'.repeat(1_100_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('when any response goes out, then it carries the security headers and a request id, and no x-powered-by', async () => {
    const response = await server.fetch('/api/v1/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const forged = await server.fetch('/api/v1/health', { headers: { 'x-request-id': '<script>' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe(`/health when the database is gone (${TEST_DB})`, () => {
  it('when the database has been closed, then /health answers 503', async () => {
    const database = await createTestDatabase();
    const server = await startTestServer(database);
    try {
      await database.close();
      const response = await server.fetch('/api/v1/health');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', database: TEST_DB });
    } finally {
      await server.close();
    }
  });
});

describe(`malformed requests (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it.each([
    ['a broken percent-escape in the path', '/api/v1/records/%E0%A4%A', {}, 400],
    [
      'an unknown content encoding',
      '/api/v1/auth/login',
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: 'xx' },
      400,
    ],
    [
      'a login sent as a form',
      '/api/v1/auth/login',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a@b.c&password=x' },
      415,
    ],
    [
      'a NUL byte in the email',
      '/api/v1/auth/login',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a\\u0000@b.c","password":"x"}' },
      400,
    ],
    ['a query on a route that takes none', '/api/v1/health?x=1', {}, 400],
  ])('when a request has %s, then it is a %i problem, not a 500', async (_what, path, init, status) => {
    const response = await server.fetch(path, init as RequestInit);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  /** Sends bytes on a socket of its own, half-closed after them, and returns what came back. */
  const raw = (bytes: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const url = new URL(server.url);
      const socket = connect(Number(url.port), url.hostname, () => socket.end(bytes));
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });

  it.each([
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, 'not_http'],
    [
      'a body that ends before its declared length',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
      400,
      'body_cut_short',
    ],
    [
      'headers too large',
      `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
  ])(
    'when a client sends %s, then it is answered with a coded problem, as every error is',
    async (_what, bytes, status, code) => {
      const answer = await raw(bytes);
      expect(answer.split('\r\n')[0]).toBe(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
      );
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      expect(problem).toMatchObject({ status });
      expectCoded(problem, code);
    },
  );

  it('when a HEAD request cannot be read, then the answer is its status line alone: a HEAD answer has no body', async () => {
    const answer = await raw(`HEAD /api/v1/health?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
  });
});
