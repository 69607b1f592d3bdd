import { lang, pick } from './i18n';
import type { Meta } from '../contract/schemas/meta';
import type { Me } from '../contract/schemas/auth';
import type { Lang, ProblemCode, RenderContext } from '../contract/problems';
import { problemText } from './lib/problem-text';
import { KIND_COLUMNS } from '../contract/record-columns';
/** Typed wrappers over the API: each returns plain data or throws an ApiError with the problem's detail. */

import { type EndpointName, type Endpoint, endpoints, type PathParams } from '../contract/endpoints';
import type { Answer, Declared, Input } from '../contract/endpoint-schemas';
import type { ProblemDetail as SentDetail } from '../contract/problems';

// The API's shapes are the contract's (contract/schemas/, contract/kpi.ts): derived, never copied.
export type { MeasureInfo, Meta } from '../contract/schemas/meta';
export type { Me, LoginOptions } from '../contract/schemas/auth';
export type { Target } from '../contract/schemas/targets';
export type {
  AggregateAnswer,
  CollaborationAnswer,
  MeasureSummary,
  SummaryAnswer,
} from '../contract/kpi';
export { endpoints };

/**
 * One of a problem's `errors` as the interface shows it: as sent (contract/problems.ts), with its
 * message rendered in the interface's language and the server's own words kept as `original`.
 * A failure that is no problem of the API (a proxy's page) has no code.
 */
export type ProblemDetail = Omit<SentDetail, 'code' | 'params' | 'message'> &
  Partial<Pick<SentDetail, 'code' | 'params'>> & {
    /** In the interface's language, rendered from the code and params. */
    message: string;
    /** The server's own words (English). */
    original?: string;
  };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ProblemDetail[] = [],
    /** The problem's `type` URI, which names its kind (e.g. `…/demo-password-retired`). */
    readonly type?: string,
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

/** The CSRF token to send with a change (for requests not made through `request`, e.g. an upload). */
export function currentCsrfToken(): string | undefined {
  return csrfToken;
}

/** A query string from parameters, leaving out empty ones. */
export function query(params: Record<string, string | number | boolean | undefined | null> | URLSearchParams): string {
  const search =
    params instanceof URLSearchParams
      ? params
      : new URLSearchParams(
          Object.entries(params)
            .filter(([, v]) => v !== undefined && v !== null && v !== '')
            .map(([k, v]) => [k, String(v)]),
        );
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** How a problem names a record's column: by its label in the interface's language. */
function columnNames(lang: Lang): RenderContext {
  const labels = new Map(Object.values(KIND_COLUMNS).flatMap((columns) => columns.map((c) => [c.name, c.label] as const)));
  return { column: (name) => labels.get(name)?.[lang] ?? name };
}

/** The registry last read: what names the values of a field in a problem (`body.mode`: transfer → 转让). */
let registry: Meta | undefined;
function valueLabel(path: string | undefined, code: string): string {
  const field = path?.split('.').at(-1);
  const value = registry?.dimensions.find((d) => d.id === field)?.values?.find((v) => v.code === code);
  return value ? pick(value) : code;
}

/** Raises the API's problem as an ApiError (and tells the app when the session is gone). */
export async function problemOf(response: Response, path: string): Promise<ApiError> {
  const problem = (await response.json().catch(() => undefined)) as
    | { type?: string; detail?: string; code?: ProblemCode; params?: unknown; errors?: ProblemDetail[] }
    | undefined;
  if (response.status === 401 && path !== '/auth/login' && path !== '/auth/me')
    for (const listener of unauthorizedListeners) listener();
  const language = lang();
  const names = columnNames(language);
  const errors = (problem?.errors ?? []).map((e) => ({
    ...e,
    original: e.message,
    message: problemText(e, language, { ...names, value: (code) => valueLabel(e.path, code) }),
  }));
  const detail = problem?.detail ? problemText(problem, language, names) : `${response.status} ${response.statusText}`;
  return new ApiError(response.status, detail, errors, problem?.type);
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
  if (!response.ok) throw await problemOf(response, path);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * What a call sends: the path's parameters, the query and the body as the contract's schemas take
 * them (an endpoint whose query the server alone checks takes a prepared `search` instead).
 */
export type CallInput<N extends EndpointName> = { signal?: AbortSignal | undefined } & ([keyof PathParams<N>] extends [never]
  ? { params?: never }
  : { params: Declared<N, 'params'> extends true ? AddressParams<Input<N, 'params'>> : PathParams<N> }) &
  (Declared<N, 'query'> extends true
    ? { query?: AddressParams<Input<N, 'query'>>; search?: never }
    : { query?: never; search?: URLSearchParams }) &
  (Declared<N, 'body'> extends true ? { body: Input<N, 'body'> } : { body?: unknown });

/** A parameter of the address that the contract reads as text (an id, a page) may be given as a number. */
type AddressParams<T> = { [K in keyof T]: string extends T[K] ? T[K] | number : T[K] };

type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

/** The request of an endpoint: its path with the parameters filled in, and its query string. */
function address<N extends EndpointName>(endpoint: Endpoint<N>, input: CallInput<N>): string {
  const params = (input.params ?? {}) as Record<string, string | number>;
  const path = endpoint.path.replaceAll(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
  if (input.search) return `${path}${query(input.search)}`;
  const entries = Object.entries((input.query ?? {}) as Record<string, QueryValue>).map(
    ([key, value]) => [key, Array.isArray(value) ? value.join(',') : (value as Exclude<QueryValue, readonly unknown[]>)] as const,
  );
  return `${path}${query(Object.fromEntries(entries))}`;
}

/** The address of an endpoint that answers a file, for a link that downloads it (`<a download href>`). */
export function hrefOf<N extends EndpointName>(
  endpoint: Endpoint<N>,
  ...[input]: Record<never, never> extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>]
): string {
  return `/api/v1${address(endpoint, (input ?? {}) as CallInput<N>)}`;
}

/**
 * Calls an endpoint of the contract (contract/endpoints.ts): what it takes and what it resolves
 * to are its schemas' types (`import type` only: no schema reaches the bundle).
 */
export function call<N extends EndpointName>(
  endpoint: Endpoint<N>,
  ...[input]: Record<never, never> extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>]
): Promise<Answer<N>> {
  const given = (input ?? {}) as CallInput<N>;
  return request<Answer<N>>(endpoint.method.toUpperCase(), address(endpoint, given), given.body, given.signal);
}

/** A session signed in to or found: its CSRF token is kept for the changes to come. */
function remember(me: Me): Me {
  csrfToken = me.csrfToken;
  return me;
}

export const api = {
  loginOptions: () => call(endpoints.loginOptions),
  login: (email: string, password: string): Promise<Me> => call(endpoints.login, { body: { email, password } }).then(remember),
  async me(): Promise<Me | null> {
    try {
      return remember(await call(endpoints.me));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  async logout(): Promise<void> {
    await call(endpoints.logout);
    csrfToken = undefined;
  },
  setLang: (lang: 'zh' | 'en') => call(endpoints.setMe, { body: { lang } }),
  meta: (signal?: AbortSignal) =>
    call(endpoints.meta, { signal }).then((meta) => {
      registry = meta;
      return meta;
    }),
  aggregate: (search: URLSearchParams, signal?: AbortSignal) => call(endpoints.aggregate, { search, signal }),
  summary: (search: URLSearchParams, signal?: AbortSignal) => call(endpoints.summary, { search, signal }),
  collaboration: (search: URLSearchParams, signal?: AbortSignal) => call(endpoints.collaboration, { search, signal }),
  targets: (search: URLSearchParams, signal?: AbortSignal) =>
    call(endpoints.targets, { query: Object.fromEntries(search) as Input<'targets', 'query'>, signal }),
};

/** The address of the API's CSV of a read: the same query with `format=csv` and the page's language. */
export function csvUrl(path: string, params: URLSearchParams, lang: 'zh' | 'en'): string {
  const search = new URLSearchParams(params);
  search.set('format', 'csv');
  search.set('lang', lang);
  return `/api/v1${path}${query(search)}`;
}
