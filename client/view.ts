import { type Me, type Meta, query } from './api';

/** The names of the views, as they appear in the URL (`#/overview?…`). */
export const VIEW_NAMES = [
  'overview',
  'universities',
  'regions',
  'trends',
  'collaboration',
  'report',
  'records',
  'reporting',
  'admin',
  'members',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** What a view is given: who is signed in, the registry, its state from the URL, and how to move. */
export interface ViewContext {
  readonly me: Me;
  readonly meta: Meta;
  /** The view's state, read from the URL (filters, measure, page…): the URL is the only source of truth. */
  readonly params: URLSearchParams;
  /**
   * Moves to a view with new URL state. `replace` changes the current history entry (e.g. typing
   * in a search box) instead of adding one; the back button returns to the previous state.
   */
  navigate(view: ViewName, params: URLSearchParams | Record<string, string | undefined>, options?: { replace?: boolean }): void;
  /** Aborted when the view is left or re-rendered: pass it to every request. */
  readonly signal: AbortSignal;
  /**
   * Reads the registry again after a change to it (a member added, renamed or removed): the
   * header, the banner and every view drawn from then on see the new one, which it resolves to.
   */
  refreshMeta(): Promise<Meta>;
}

/**
 * A view draws itself into `container`. It may return a function that releases what it holds
 * (charts, listeners); it is called when the view is left or drawn again with other state.
 * When only the URL state changes and the view is the same, `update` (if returned) is called
 * instead, so that charts can change in place.
 */
export interface ViewHandle {
  update?(ctx: ViewContext): void | Promise<void>;
  destroy?(): void;
}
export type RenderView = (container: HTMLElement, ctx: ViewContext) => Promise<ViewHandle | void> | ViewHandle | void;

/** Which roles see which view (the API enforces the same; this only hides what would be refused). */
export const VIEW_ACCESS: Record<ViewName, readonly Me['role'][]> = {
  overview: ['admin', 'leadership', 'steward', 'commission'],
  universities: ['admin', 'leadership', 'steward', 'commission'],
  regions: ['admin', 'leadership', 'steward', 'commission'],
  trends: ['admin', 'leadership', 'steward', 'commission'],
  collaboration: ['admin', 'leadership', 'steward', 'commission'],
  report: ['admin', 'leadership', 'steward', 'commission'],
  records: ['admin', 'leadership', 'steward'],
  reporting: ['admin', 'leadership', 'steward'],
  admin: ['admin'],
  members: ['admin', 'leadership', 'steward', 'commission'],
};

/** Parses `#/view?a=b` into the view's name and its parameters. */
export function parseLocation(hash: string): { view: string; params: URLSearchParams } {
  const match = /^#\/([a-z-]*)(?:\?(.*))?$/.exec(hash);
  return { view: match?.[1] ?? '', params: new URLSearchParams(match?.[2] ?? '') };
}

export const locationOf = (view: ViewName, params: URLSearchParams | Record<string, string | undefined>): string =>
  `#/${view}${query(params)}`;

/**
 * Announced on the window when what waits for the person in the reporting cycle may have changed (the
 * header's to-do listens): with the fresh to-do as `detail` when the sender has just read it.
 */
export const CYCLE_CHANGED = 'cycle-changed';
