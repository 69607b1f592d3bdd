import { ApiError, api, type LoginOptions, type Me } from '../api';
import { element } from '../dom';
import { t } from '../i18n';

/** The sign-in form; in demo mode it lists the demo accounts, a click fills them in. */
export function renderSignIn(container: HTMLElement, options: LoginOptions, onSignedIn: (me: Me) => void): void {
  const email = element('input', { type: 'email', name: 'email', id: 'sign-in-email', autocomplete: 'username', required: '' });
  const password = element('input', {
    type: 'password',
    name: 'password',
    id: 'sign-in-password',
    autocomplete: 'current-password',
    required: '',
  });
  const error = element('p', { class: 'form-error', role: 'alert' });
  const submit = element('button', { type: 'submit', class: 'primary' }, t('signIn.submit'));
  const form = element(
    'form',
    { class: 'sign-in-form', novalidate: '' },
    element('h1', {}, t('signIn.title')),
    element('label', { for: 'sign-in-email' }, t('signIn.email')),
    email,
    element('label', { for: 'sign-in-password' }, t('signIn.password')),
    password,
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      onSignedIn(await api.login(email.value, password.value));
    } catch (failure) {
      error.textContent =
        failure instanceof ApiError && failure.status === 401
          ? failure.type?.endsWith('/demo-password-retired')
            ? t('signIn.demoRetired')
            : t('signIn.wrong')
          : failure instanceof ApiError && failure.status === 429
            ? t('signIn.tooMany')
            : failure instanceof ApiError && failure.status === 503
              ? t('signIn.busy')
              : t('state.error', { message: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      submit.disabled = false;
    }
  });

  const parts: Node[] = [form];
  if (options.demo && options.accounts) {
    const list = element('ul', { class: 'demo-accounts' });
    for (const account of options.accounts) {
      const button = element(
        'button',
        { type: 'button', 'data-email': account.email },
        element('span', { class: 'demo-email' }, account.email),
        element(
          'span',
          { class: 'demo-role' },
          `${t(`role.${account.role}`)}${account.university ? ` · ${account.university}` : ''}`,
        ),
      );
      button.addEventListener('click', () => {
        email.value = account.email;
        password.value = options.password ?? '';
        password.focus();
      });
      list.append(element('li', {}, button));
    }
    parts.push(
      element(
        'section',
        { class: 'demo-panel', 'aria-labelledby': 'demo-title' },
        element('h2', { id: 'demo-title' }, t('signIn.demoTitle')),
        element('p', {}, t('signIn.demoHint', { password: options.password ?? '' })),
        list,
      ),
    );
  }
  container.replaceChildren(element('div', { class: 'sign-in' }, ...parts));
  email.focus();
}
