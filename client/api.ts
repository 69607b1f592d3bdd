import { lang } from './i18n';
import type { Role } from '../contract/enums';
import type { AggregateAnswer, CollaborationAnswer, SummaryAnswer } from '../contract/kpi';
import type { MeasureId } from '../contract/measure-ids';
import type { Lang, ProblemCode, RenderContext } from '../contract/problems';
import { problemText } from './lib/problem-text';
// Repoint to contract/record-columns.ts once the record columns live there.
import { KIND_COLUMNS } from './views/records-columns';
/** Typed wrappers over the API: each returns plain data or throws an ApiError with the problem's detail. */

import type { University } from '../contract/universities';

export type { University };

export interface NamedCode {
  code: string;
  nameEn: string;
  nameZh: string;
}

export interface Bilingual {
  en: string;
  zh: string;
}

export type { MeasureId } from '../contract/measure-ids';
export type DimensionId = string;

/** A measure as `/meta` gives it: the server's registry entry, one definition for both. */
export type MeasureInfo = import('../server/meta/meta.service').Meta['measures'][number];

export interface DimensionInfo {
  id: DimensionId;
  name: Bilingual;
  domain: 'university' | 'region' | 'period' | 'enum' | 'field';
  values?: Array<{ code: string } & Bilingual>;
}

export interface Meta {
  universities: University[];
  regions: NamedCode[];
  fields: NamedCode[];
  dateRange: { from: string | null; to: string | null };
  dataset: { synthetic: boolean };
  measures: MeasureInfo[];
  dimensions: DimensionInfo[];
  standards: Record<string, Bilingual>;
}

// The KPI answers, as the server's routes declare them (contract/kpi.ts): derived, not copied.
export type {
  AggregateAnswer,
  CollaborationAnswer,
  MeasureSummary,
  SummaryAnswer,
} from '../contract/kpi';
export type AggregateRow = AggregateAnswer['rows'][number];
export type Period = SummaryAnswer['period'];

export interface Target {
  measure: MeasureId;
  year: number;
  university: string | null;
  value: number;
  updatedAt: string;
}

export type { Role } from '../contract/enums';

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
  /** The problem's stable name in the catalogue (contract/problems.ts), and its params. */
  code?: ProblemCode;
  params?: unknown;
  /** In the interface's language, rendered from the code and params. */
  message: string;
  /** The server's own words (English). */
  original?: string;
}

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

/** Raises the API's problem as an ApiError (and tells the app when the session is gone). */
export async function problemOf(response: Response, path: string): Promise<ApiError> {
  const problem = (await response.json().catch(() => undefined)) as
    | { type?: string; detail?: string; code?: ProblemCode; params?: unknown; errors?: ProblemDetail[] }
    | undefined;
  if (response.status === 401 && path !== '/auth/login' && path !== '/auth/me')
    for (const listener of unauthorizedListeners) listener();
  const language = lang();
  const names = columnNames(language);
  const errors = (problem?.errors ?? []).map((e) => ({ ...e, original: e.message, message: problemText(e, language, names) }));
  const detail = problem?.detail ? problemText(problem, language, names) : `${response.status} ${response.statusText}`;
  return new ApiError(response.status, detail, errors, problem?.type);
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
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
  aggregate: (params: URLSearchParams, signal?: AbortSignal) =>
    request<AggregateAnswer>('GET', `/aggregate${query(params)}`, undefined, signal),
  summary: (params: URLSearchParams, signal?: AbortSignal) =>
    request<SummaryAnswer>('GET', `/summary${query(params)}`, undefined, signal),
  collaboration: (params: URLSearchParams, signal?: AbortSignal) =>
    request<CollaborationAnswer>('GET', `/collaboration${query(params)}`, undefined, signal),
  targets: (params: URLSearchParams, signal?: AbortSignal) =>
    request<{ targets: Target[] }>('GET', `/targets${query(params)}`, undefined, signal),
};

/** The address of the API's CSV of a read: the same query with `format=csv` and the page's language. */
export function csvUrl(path: string, params: URLSearchParams, lang: 'zh' | 'en'): string {
  const search = new URLSearchParams(params);
  search.set('format', 'csv');
  search.set('lang', lang);
  return `/api/v1${path}${query(search)}`;
}
