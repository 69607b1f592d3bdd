import { api, ApiError, type Meta } from './api';
import { element } from './dom';
import { lang, onLangChange, setLang, t, translateDom, type Lang } from './i18n';
import { renderUniversities } from './views/universities';

const view = document.querySelector<HTMLElement>('#view')!;
const nav = document.querySelector<HTMLElement>('.app-nav')!;
const banner = document.querySelector<HTMLElement>('.demo-banner')!;

let meta: Meta | undefined;

function renderNav(): void {
  nav.replaceChildren(element('a', { href: '#/universities', 'aria-current': 'page' }, t('nav.universities')));
}

function renderLangSwitch(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang()));
  }
}

function render(): void {
  translateDom();
  renderNav();
  renderLangSwitch();
  if (meta) {
    banner.hidden = !meta.dataset.synthetic;
    renderUniversities(view, meta);
  }
}

async function load(): Promise<void> {
  view.replaceChildren(element('p', { class: 'state' }, t('state.loading')));
  try {
    meta = await api.meta();
    render();
  } catch (error) {
    const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
    const retry = element('button', { type: 'button' }, t('state.retry'));
    retry.addEventListener('click', () => void load());
    view.replaceChildren(element('p', { class: 'state error', role: 'alert' }, t('state.error', { message })), retry);
  }
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
  button.addEventListener('click', () => setLang(button.dataset.lang as Lang));
}
onLangChange(render);
render();
void load();
