import { html, render } from 'lit-html';
import { ApiError, api, type LoginOptions, type Me } from '../api';
import { t } from '../i18n';
import { messageOf } from '../lib/form-dialog';

/** Why a sign-in failed, in the person's words. */
function failureText(failure: unknown): string {
  if (!(failure instanceof ApiError)) return t('state.error', { message: messageOf(failure) });
  if (failure.status === 401) return t(failure.type?.endsWith('/demo-password-retired') ? 'signIn.demoRetired' : 'signIn.wrong');
  if (failure.status === 429) return t('signIn.tooMany');
  if (failure.status === 503) return t('signIn.busy');
  return t('state.error', { message: failure.message });
}

/** The sign-in form; in demo mode it lists the demo accounts, a click fills them in. */
export function renderSignIn(container: HTMLElement, options: LoginOptions, onSignedIn: (me: Me) => void): void {
  // A root of its own: the app replaces the container's children when it shows a view.
  const root = document.createElement('div');
  root.className = 'sign-in';
  container.replaceChildren(root);
  let error = '';
  let busy = false;

  const input = (id: string) => root.querySelector<HTMLInputElement>(`#${id}`)!;
  const submit = async (event: Event) => {
    event.preventDefault();
    error = '';
    busy = true;
    draw();
    try {
      onSignedIn(await api.login(input('sign-in-email').value, input('sign-in-password').value));
    } catch (failure) {
      error = failureText(failure);
    }
    busy = false;
    draw();
  };
  const fill = (email: string) => {
    input('sign-in-email').value = email;
    input('sign-in-password').value = options.password ?? '';
    input('sign-in-password').focus();
  };

  const draw = () =>
    render(
      html`<form class="sign-in-form" novalidate @submit=${submit}>
          <h1>${t('signIn.title')}</h1>
          <label for="sign-in-email">${t('signIn.email')}</label>
          <input type="email" name="email" id="sign-in-email" autocomplete="username" required />
          <label for="sign-in-password">${t('signIn.password')}</label>
          <input type="password" name="password" id="sign-in-password" autocomplete="current-password" required />
          <p class="form-error" role="alert">${error}</p>
          <button type="submit" class="primary" ?disabled=${busy}>${t('signIn.submit')}</button>
        </form>
        ${
          options.demo && options.accounts
            ? html`<section class="demo-panel" aria-labelledby="demo-title">
                <h2 id="demo-title">${t('signIn.demoTitle')}</h2>
                <p>${t('signIn.demoHint', { password: options.password ?? '' })}</p>
                <ul class="demo-accounts">
                  ${options.accounts.map(
                    (a) => html`<li>
                      <button type="button" data-email=${a.email} @click=${() => fill(a.email)}>
                        <span class="demo-email">${a.email}</span>
                        <span class="demo-role">${t(`role.${a.role}`)}${a.university ? ` ·\u00a0${a.university}` : ''}</span>
                      </button>
                    </li>`,
                  )}
                </ul>
              </section>`
            : ''
        }`,
      root,
    );
  draw();
  input('sign-in-email').focus();
}
