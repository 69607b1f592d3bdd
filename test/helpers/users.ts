import type { Kysely } from 'kysely';
import { hashPassword } from '../../server/auth/password.js';
import type { AppUserRow, Database, Role } from '../../server/db/schema.js';
import type { TestServer } from './server.js';

export const TEST_PASSWORD = 'correct horse battery staple';

let testHash: Promise<string> | undefined;
/** scrypt at full cost takes about half a second: hash the test password once per worker. */
const passwordHash = (): Promise<string> => (testHash ??= hashPassword(TEST_PASSWORD));

export interface UserSpec {
  email: string;
  role: Role;
  university?: string | null;
  name?: string;
  disabled?: boolean;
}

export async function addUser(db: Kysely<Database>, spec: UserSpec): Promise<AppUserRow> {
  return db
    .insertInto('app_user')
    .values({
      email: spec.email,
      name: spec.name ?? spec.email.split('@')[0]!,
      role: spec.role,
      university_code: spec.university ?? null,
      disabled: spec.disabled ?? false,
      password_hash: await passwordHash(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The identities the access tests speak of. */
export const IDENTITIES = {
  admin: { email: 'admin@test.example', role: 'admin' },
  leadership: { email: 'lead@test.example', role: 'leadership' },
  commission: { email: 'commission@test.example', role: 'commission' },
  stewardUSST: { email: 'steward.usst@test.example', role: 'steward', university: 'USST' },
  stewardNJTECH: { email: 'steward.njtech@test.example', role: 'steward', university: 'NJTECH' },
} as const satisfies Record<string, UserSpec>;
export type Identity = keyof typeof IDENTITIES;

export async function addStandardUsers(db: Kysely<Database>): Promise<Record<Identity, AppUserRow>> {
  const users = {} as Record<Identity, AppUserRow>;
  for (const [key, spec] of Object.entries(IDENTITIES) as Array<[Identity, UserSpec]>) users[key] = await addUser(db, spec);
  return users;
}

/** A signed-in (or anonymous) browser-like client: keeps the session cookie and sends the CSRF header on writes. */
export class Client {
  private constructor(
    private readonly server: TestServer,
    public cookie: string | undefined,
    public csrfToken: string | undefined,
  ) {}

  static anonymous(server: TestServer): Client {
    return new Client(server, undefined, undefined);
  }

  static async signIn(server: TestServer, email: string, password = TEST_PASSWORD): Promise<Client> {
    const response = await server.fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
    const me = (await response.json()) as { csrfToken: string };
    const cookie = sessionCookie(response);
    if (!cookie) throw new Error('no session cookie');
    return new Client(server, cookie, me.csrfToken);
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const isText = typeof body === 'string';
    return this.server.fetch(path.startsWith('/api/') ? path : `/api/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': isText ? 'text/csv' : 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: isText ? body : JSON.stringify(body) } : {}),
    });
  }

  get(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response> {
    return this.request('POST', path, body, headers);
  }
  patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response> {
    return this.request('PATCH', path, body, headers);
  }
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response> {
    return this.request('PUT', path, body, headers);
  }
  delete(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('DELETE', path, undefined, headers);
  }
}

/** `name=value` of the session cookie a response sets. */
export function sessionCookie(response: Response): string | undefined {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('ao_session='));
  return setCookie?.split(';')[0];
}

/** The status of an answer, once its body is read (so that its connection is free again): for `expect.poll`. */
export async function answerStatus(answer: Promise<Response>): Promise<number> {
  const response = await answer;
  await response.arrayBuffer();
  return response.status;
}
