/** Typed wrappers over the API: each returns plain data or throws an ApiError with the problem's detail. */

export interface University {
  code: string;
  nameEn: string;
  nameZh: string;
  region: string;
  memberSince: string;
  lead: boolean;
}

export interface NamedCode {
  code: string;
  nameEn: string;
  nameZh: string;
}

export interface Meta {
  universities: University[];
  regions: NamedCode[];
  fields: NamedCode[];
  dateRange: { from: string | null; to: string | null };
  dataset: { synthetic: boolean };
}

export type Role = 'admin' | 'leadership' | 'steward' | 'commission';

export interface Me {
  email: string;
  name: string;
  role: Role;
  university: string | null;
  lang: 'zh' | 'en' | null;
  csrfToken: string;
}

export interface LoginOptions {
  demo: boolean;
  password?: string;
  accounts?: Array<{ email: string; role: Role; university: string | null }>;
}

export interface ProblemDetail {
  path?: string;
  line?: number;
  column?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ProblemDetail[] = [],
  ) {
    super(message);
  }
}

/** The CSRF token of the current session, sent with every change. */
let csrfToken: string | undefined;
const unauthorizedListeners = new Set<() => void>();

/** Called when any request finds the session gone (401), so the app can show the sign-in page. */
export function onUnauthorized(listener: () => void): void {
  unauthorizedListeners.add(listener);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => undefined)) as { detail?: string; errors?: ProblemDetail[] } | undefined;
    if (response.status === 401 && path !== '/auth/login' && path !== '/auth/me')
      for (const listener of unauthorizedListeners) listener();
    throw new ApiError(response.status, problem?.detail ?? `${response.status} ${response.statusText}`, problem?.errors ?? []);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  loginOptions: () => request<LoginOptions>('GET', '/auth/login'),
  async login(email: string, password: string): Promise<Me> {
    const me = await request<Me>('POST', '/auth/login', { email, password });
    csrfToken = me.csrfToken;
    return me;
  },
  async me(): Promise<Me | null> {
    try {
      const me = await request<Me>('GET', '/auth/me');
      csrfToken = me.csrfToken;
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  async logout(): Promise<void> {
    await request<void>('POST', '/auth/logout');
    csrfToken = undefined;
  },
  setLang: (lang: 'zh' | 'en') => request<{ lang: string }>('PATCH', '/auth/me', { lang }),
  meta: (signal?: AbortSignal) => request<Meta>('GET', '/meta', undefined, signal),
};
