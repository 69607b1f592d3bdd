/**
 * Every route of the API, named once: its method and path. The schemas of each are in
 * `endpoint-schemas.ts`, under the same name. This module holds no zod, so that the client can
 * import it at run time and the schemas' types only (`import type`), at no cost to its bundle.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An endpoint: its name (the key of its schemas), its method and its path below `/api/v1`, in Express syntax. */
export interface Endpoint<N extends string = string> {
  readonly name: N;
  readonly method: Method;
  readonly path: string;
}

const TABLE = {
  health: ['get', '/health'],
  loginOptions: ['get', '/auth/login'],
  login: ['post', '/auth/login'],
  logout: ['post', '/auth/logout'],
  me: ['get', '/auth/me'],
  setMe: ['patch', '/auth/me'],
  meta: ['get', '/meta'],
  aggregate: ['get', '/aggregate'],
  summary: ['get', '/summary'],
  collaboration: ['get', '/collaboration'],
  records: ['get', '/records/:kind'],
  createRecord: ['post', '/records/:kind'],
  updateRecord: ['patch', '/records/:kind/:id'],
  deleteRecord: ['delete', '/records/:kind/:id'],
  importRecords: ['post', '/imports/:kind'],
  importTemplate: ['get', '/imports/:kind/template'],
  targets: ['get', '/targets'],
  setTargets: ['put', '/targets'],
  universities: ['get', '/universities'],
  addUniversity: ['post', '/universities'],
  changeUniversity: ['patch', '/universities/:code'],
  removeUniversity: ['delete', '/universities/:code'],
  users: ['get', '/users'],
  createUser: ['post', '/users'],
  updateUser: ['patch', '/users/:id'],
  audit: ['get', '/audit'],
  demo: ['get', '/demo'],
  leaveDemo: ['post', '/demo/leave'],
  report: ['get', '/report'],
  submissions: ['get', '/report/submissions'],
  submitReport: ['post', '/report/submissions'],
  submission: ['get', '/report/submissions/:id'],
  submissionDocument: ['get', '/report/submissions/:id/document'],
  cycleBoard: ['get', '/cycle/board'],
  reportingPeriod: ['get', '/cycle/periods/:university/:period'],
  submitPeriod: ['post', '/cycle/periods/:university/:period/submit'],
  approvePeriod: ['post', '/cycle/periods/:university/:period/approve'],
  returnPeriod: ['post', '/cycle/periods/:university/:period/return'],
  reopenPeriod: ['post', '/cycle/periods/:university/:period/reopen'],
  setPeriodDue: ['put', '/cycle/periods/:university/:period/due'],
  setCalendar: ['put', '/cycle/calendar/:university'],
  cycleTodo: ['get', '/cycle/todo'],
  closedPeriods: ['get', '/cycle/closed'],
  mailSettings: ['get', '/mail/settings'],
  setMailSettings: ['put', '/mail/settings'],
  mailMessages: ['get', '/mail/messages'],
  retryMailMessage: ['post', '/mail/messages/:id/retry'],
  testMail: ['post', '/mail/test'],
  openApi: ['get', '/openapi.json'],
} as const satisfies Record<string, readonly [Method, string]>;

export type EndpointName = keyof typeof TABLE;

type Table = typeof TABLE;

/** The endpoints by name: `endpoints.meta` is `{ name: 'meta', method: 'get', path: '/meta' }`. */
export const endpoints = Object.fromEntries(
  Object.entries(TABLE).map(([name, [method, path]]) => [name, { name, method, path }]),
) as { readonly [N in EndpointName]: { readonly name: N; readonly method: Table[N][0]; readonly path: Table[N][1] } };

/** The names of a path's parameters: `'/records/:kind/:id'` gives `'kind' | 'id'`. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The parameters an endpoint's path holds, as the address takes them (text or a number). */
export type PathParams<N extends EndpointName> = { readonly [K in ParamNames<Table[N][1]>]: string | number };
