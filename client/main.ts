import { ApiError, api, type Me, type Meta, onUnauthorized } from './api';
import { element } from './dom';
import { type Lang, lang, onLangChange, setLang, t, translateDom } from './i18n';
import { renderSignIn } from './views/sign-in';
import { renderUniversities } from './views/universities';

const view = document.querySelector<HTMLElement>('#view')!;
const nav = document.querySelector<HTMLElement>('.app-nav')!;
const tools = document.querySelector<HTMLElement>('.header-tools')!;
const banner = document.querySelector<HTMLElement>('.demo-banner')!;

let me: Me | null = null;
let meta: Meta | undefined;
let userBox: HTMLElement | undefined;

function renderHeader(): void {
  nav.replaceChildren(...(me ? [element('a', { href: '#/universities', 'aria-current': 'page' }, t('nav.universities'))] : []));
  userBox?.remove();
  userBox = undefined;
  if (me) {
    const signOut = element('button', { type: 'button', class: 'link-button', 'data-action': 'sign-out' }, t('signOut'));
    signOut.addEventListener('click', () => void signOutAndShowForm());
    userBox = element(
      'div',
      { class: 'user-box' },
      element('span', { class: 'user-name' }, me.name),
      element('span', { class: 'user-role' }, `${t(`role.${me.role}`)}${me.university ? ` · ${me.university}` : ''}`),
      signOut,
    );
    tools.prepend(userBox);
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang()));
  }
}

function render(): void {
  translateDom();
  renderHeader();
  if (me && meta) {
    banner.hidden = !meta.dataset.synthetic;
    renderUniversities(view, meta);
  }
}

function showError(error: unknown, retry: () => void): void {
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  const button = element('button', { type: 'button' }, t('state.retry'));
  button.addEventListener('click', retry);
  view.replaceChildren(element('p', { class: 'state error', role: 'alert' }, t('state.error', { message })), button);
}

async function showSignIn(): Promise<void> {
  me = null;
  meta = undefined;
  banner.hidden = true;
  render();
  try {
    const options = await api.loginOptions();
    banner.hidden = !options.demo;
    renderSignIn(view, options, (signedIn) => {
      me = signedIn;
      if (signedIn.lang) setLang(signedIn.lang);
      void showApp();
    });
  } catch (error) {
    showError(error, () => void showSignIn());
  }
}

async function showApp(): Promise<void> {
  render();
  view.replaceChildren(element('p', { class: 'state' }, t('state.loading')));
  try {
    meta = await api.meta();
    render();
  } catch (error) {
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
  if (me) render();
  else void showSignIn();
});
onUnauthorized(() => void showSignIn());
void boot();
