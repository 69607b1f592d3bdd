import { ApiError, api, call, endpoints, type Me, type Meta, onUnauthorized } from './api';
import type { TodoAnswer } from '../contract/schemas/cycle';
import { html, nothing, render } from 'lit-html';
import { carry } from './lib/carry';
import { watchScrollRegions } from './lib/scroll-cue';
import { type Lang, lang, type MessageKey, onLangChange, setLang, t, translateDom } from './i18n';
import {
  CYCLE_CHANGED,
  locationOf,
  parseLocation,
  type RenderView,
  VIEW_ACCESS,
  VIEW_NAMES,
  type ViewContext,
  type ViewHandle,
  type ViewName,
} from './view';
import { messageOf } from './lib/form-dialog';
import { renderSignIn } from './views/sign-in';

const view = document.querySelector<HTMLElement>('#view')!;
const nav = document.querySelector<HTMLElement>('.app-nav')!;
const userSlot = document.querySelector<HTMLElement>('.user-slot')!;
const banner = document.querySelector<HTMLElement>('.demo-banner')!;

/** Each view is its own module, loaded when first shown (the sign-in page needs none of them). */
const VIEWS: Record<ViewName, () => Promise<RenderView>> = {
  overview: () => import('./views/overview').then((m) => m.renderOverview),
  universities: () => import('./views/by-university').then((m) => m.renderByUniversity),
  regions: () => import('./views/regions').then((m) => m.renderRegions),
  trends: () => import('./views/trends').then((m) => m.renderTrends),
  collaboration: () => import('./views/collaboration').then((m) => m.renderCollaboration),
  report: () => import('./views/report').then((m) => m.renderReport),
  records: () => import('./views/records').then((m) => m.renderRecords),
  reporting: () => import('./views/reporting').then((m) => m.renderReporting),
  admin: () => import('./views/admin').then((m) => m.renderAdmin),
  members: () => import('./views/universities').then((m) => m.renderMembers),
};

let me: Me | null = null;
let meta: Meta | undefined;
/** What waits for the person in the reporting cycle (not asked for the commission, which has no part in it). */
let todo: TodoAnswer | undefined;
/** The view the header marks as current. */
let activeView: ViewName | undefined;

/** The view on screen: its name, what it holds, and the controller of its requests. */
let current: { name: ViewName; handle: ViewHandle | void; controller: AbortController } | undefined;
/** Bumped on every navigation, so that a slow view load never draws over a newer one. */
let generation = 0;

/**
 * The banner over synthetic data: its words, and for an administrator a link to where the real
 * members are entered (the member stand-ins are what it warns of).
 */
function renderBanner(shown: boolean): void {
  banner.hidden = !shown;
  render(
    html`${t('demo.banner')}${
      me?.role === 'admin'
        ? html` <a href="#/admin?tab=universities" data-action="edit-members">${t('demo.bannerLink')}</a>`
        : nothing
    }`,
    banner,
  );
}

/** Reads the registry again (after an administrator changed the members): what is drawn next uses it. */
async function refreshMeta(): Promise<Meta> {
  const fresh = await api.meta();
  meta = fresh;
  renderBanner(fresh.dataset.synthetic);
  return fresh;
}

const allowedViews = (): ViewName[] => (me ? VIEW_NAMES.filter((v) => VIEW_ACCESS[v].includes(me!.role)) : []);

/** A view's link from the header: with what the person chose on screen that the view shows (`lib/carry.ts`). */
const hrefOf = (name: ViewName, active: ViewName | undefined): string =>
  locationOf(name, carry(active, parseLocation(location.hash).params, name));

/** Asks again what waits for the person (after a step of the cycle, or on signing in), and shows it in the header. */
async function refreshTodo(): Promise<void> {
  if (!me || !VIEW_ACCESS.reporting.includes(me.role)) {
    todo = undefined;
    return;
  }
  try {
    todo = await call(endpoints.cycleTodo);
  } catch {
    // The count is a convenience: without it the header shows none, and the board says the same.
    todo = undefined;
  }
  renderHeader(activeView);
}

/** The header's to-do: a link to the Reporting view with what waits there, when something does. */
function todoBadge() {
  const count = todo?.toSubmit ?? todo?.toReview ?? 0;
  if (!todo || count === 0) return nothing;
  const review = todo.toReview !== null;
  return html`<a class="todo-badge" href=${locationOf('reporting', {})} data-todo=${review ? 'review' : 'submit'} data-count=${count}
    ><span class="sr-only">${t('nav.reporting')}: </span>${t(review ? 'cycle.todo.review' : 'cycle.todo.submit', { count })}</a>`;
}

/** The header: the views this person may see, who is signed in, and the language chosen. */
function renderHeader(active?: ViewName): void {
  activeView = active;
  render(
    allowedViews().map(
      (name) =>
        html`<a href=${hrefOf(name, active)} aria-current=${name === active ? 'page' : nothing} data-view=${name}>${t(`nav.${name}` as MessageKey)}</a>`,
    ),
    nav,
  );
  render(
    me
      ? html`${todoBadge()}<div class="user-box">
          <span class="user-name">${me.name}</span>
          <span class="user-role">${t(`role.${me.role}`)}${me.university ? ` · ${me.university}` : ''}</span>
          <button type="button" class="link-button" data-action="sign-out" @click=${() => void signOutAndShowForm()}>${t('signOut')}</button>
        </div>`
      : nothing,
    userSlot,
  );
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang()));
  }
}

/** Shows one thing in the view's place: a message, an error, or a view's own container. */
const show = (content: unknown) => render(content, view);
const loading = () => show(html`<p class="state">${t('state.loading')}</p>`);

function leaveView(): void {
  if (!current) return;
  current.controller.abort();
  current.handle?.destroy?.();
  current = undefined;
}

function navigate(
  name: ViewName,
  params: URLSearchParams | Record<string, string | undefined>,
  options: { replace?: boolean } = {},
): void {
  const target = locationOf(name, params);
  if (target === location.hash) return;
  if (options.replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  void showView();
}

/**
 * Where the keyboard goes once a view is drawn: to a new view's heading when a navigation brought
 * it (a link, Back, a drill-down), so that its name is read and Tab goes on from there; within the
 * same view it stays where it was, unless what held it is gone.
 */
function placeFocus(container: ParentNode, newView: boolean): void {
  if (!newView && document.activeElement !== document.body && document.activeElement !== null) return;
  const heading = container.querySelector<HTMLElement>('h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: !newView });
}

/** Draws the view the URL names; the same view with other state is updated in place when it can be. */
async function showView({ fresh = false, navigated = true } = {}): Promise<void> {
  if (!me || !meta) return;
  const parsed = parseLocation(location.hash);
  const allowed = allowedViews();
  const name = (allowed as string[]).includes(parsed.view) ? (parsed.view as ViewName) : allowed[0]!;
  if (name !== parsed.view) {
    history.replaceState(null, '', locationOf(name, parsed.params));
  }
  const mine = ++generation;
  renderBanner(meta.dataset.synthetic);
  renderHeader(name);
  const controller = new AbortController();
  const ctx: ViewContext = { me, meta, params: parsed.params, navigate, signal: controller.signal, refreshMeta };
  if (!fresh && current?.name === name && current.handle?.update) {
    current.controller.abort();
    current.controller = controller;
    try {
      await current.handle.update(ctx);
      if (navigated && mine === generation) placeFocus(view, false);
    } catch (error) {
      if (!controller.signal.aborted) showError(error, () => void showView({ fresh: true }));
    }
    return;
  }
  leaveView();
  loading();
  try {
    const draw = await VIEWS[name]();
    if (mine !== generation) return;
    const container = document.createElement('div');
    container.className = `view-${name}`;
    show(container);
    current = { name, handle: undefined, controller };
    current.handle = await draw(container, ctx);
    if (navigated && mine === generation) placeFocus(container, true);
  } catch (error) {
    if (mine !== generation || controller.signal.aborted) return;
    if (error instanceof ApiError && error.status === 401) return;
    showError(error, () => void showView({ fresh: true }));
  }
}

function showError(error: unknown, retry: () => void): void {
  show(
    html`<p class="state error" role="alert">${t('state.error', { message: messageOf(error) })}</p>
      <button type="button" @click=${retry}>${t('state.retry')}</button>`,
  );
}

async function showSignIn(): Promise<void> {
  leaveView();
  me = null;
  todo = undefined;
  meta = undefined;
  renderBanner(false);
  translateDom();
  renderHeader();
  try {
    const options = await api.loginOptions();
    renderBanner(options.demo);
    // The sign-in form draws into a container of its own, as every view does.
    const container = document.createElement('div');
    show(container);
    renderSignIn(container, options, (signedIn) => {
      me = signedIn;
      if (signedIn.lang) setLang(signedIn.lang);
      void showApp();
    });
  } catch (error) {
    showError(error, () => void showSignIn());
  }
}

async function showApp(): Promise<void> {
  // Fetch the view's code while the registry loads, rather than after it.
  const wanted = parseLocation(location.hash).view;
  const first = (allowedViews() as string[]).includes(wanted) ? (wanted as ViewName) : allowedViews()[0];
  if (first) void VIEWS[first]().catch(() => undefined);
  translateDom();
  renderHeader();
  // The registry usually comes at once: only a slow one is worth a word, which the banner above the
  // view (shown once the registry says the data are synthetic) would otherwise push down as it appears.
  show(nothing);
  const slow = setTimeout(loading, 1000);
  void refreshTodo();
  try {
    meta = await api.meta();
    clearTimeout(slow);
    await showView({ fresh: true, navigated: false });
  } catch (error) {
    clearTimeout(slow);
    if (error instanceof ApiError && error.status === 401) return;
    showError(error, () => void showApp());
  }
}

async function signOutAndShowForm(): Promise<void> {
  await api.logout().catch(() => undefined);
  await showSignIn();
}

async function boot(): Promise<void> {
  translateDom();
  renderHeader();
  // Most visits are signed in: fetch the code of the view the address names while asking who it is.
  const named = parseLocation(location.hash).view;
  void VIEWS[Object.hasOwn(VIEWS, named) ? (named as ViewName) : 'overview']().catch(() => undefined);
  try {
    me = await api.me();
  } catch (error) {
    showError(error, () => void boot());
    return;
  }
  if (!me) return showSignIn();
  if (me.lang) setLang(me.lang);
  await showApp();
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
  button.addEventListener('click', () => {
    const next = button.dataset.lang as Lang;
    setLang(next);
    if (me) void api.setLang(next).catch(() => undefined);
  });
}
onLangChange(() => {
  translateDom();
  if (me) void showView({ fresh: true, navigated: false });
  else void showSignIn();
});
watchScrollRegions(view);
addEventListener('popstate', () => void showView());
// A step of the cycle, or the Reporting view's own reading of it, says what waits for the person.
addEventListener(CYCLE_CHANGED, (event) => {
  // The Reporting view sends what it has just read; a step sends nothing, and the header asks.
  const fresh = (event as CustomEvent<TodoAnswer | undefined>).detail;
  if (fresh) {
    todo = fresh;
    renderHeader(activeView);
  } else void refreshTodo();
});
addEventListener('hashchange', () => void showView());
// The skip link takes the keyboard past the header to the view (its #view would be read as a route).
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  placeFocus(view, true);
});
onUnauthorized(() => void showSignIn());
void boot();
