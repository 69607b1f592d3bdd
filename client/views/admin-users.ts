import { type Me, type Meta, request, type Role } from '../api';
import { element, scrollBox } from '../dom';
import { lang, t } from '../i18n';
import type { ViewContext } from '../view';
import type { TabHandle, TabState } from './admin';
import { demoSection } from './admin-demo';
import {
  type Control,
  confirmDialog,
  type Field,
  field,
  formErrorBox,
  locale,
  messageOf,
  openDialog,
  setFieldError,
  showProblems,
} from './records-ui';

/** An account as `/users` sends it (server/users/users.schemas.ts, `UserSchema`). */
export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  university: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

const ROLES: readonly Role[] = ['admin', 'leadership', 'steward', 'commission'];
/** The server's rule (server/auth/password.ts). */
const MIN_PASSWORD_LENGTH = 12;

/** A password of 20 characters from an alphabet without look-alikes (0/O, 1/l/I), from the browser's CSPRNG. */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_';
  const bytes = new Uint8Array(length * 2);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (byte >= Math.floor(256 / alphabet.length) * alphabet.length) continue;
    out += alphabet[byte % alphabet.length];
    if (out.length === length) break;
  }
  return out.length === length ? out : generatePassword(length);
}

const universityName = (meta: Meta, code: string | null): string => {
  if (!code) return '—';
  const u = meta.universities.find((x) => x.code === code);
  return u ? `${code} · ${lang() === 'zh' ? u.nameZh : u.nameEn}` : code;
};

function roleSelect(value: Role | ''): HTMLSelectElement {
  const select = element('select');
  if (value === '') select.append(element('option', { value: '' }, t('records.form.choose')));
  for (const role of ROLES) {
    const option = element('option', { value: role }, t(`role.${role}`));
    if (role === value) option.selected = true;
    select.append(option);
  }
  return select;
}

function universitySelect(meta: Meta, value: string | null): HTMLSelectElement {
  const select = element('select');
  select.append(element('option', { value: '' }, t('records.form.none')));
  for (const u of meta.universities) {
    const option = element('option', { value: u.code }, universityName(meta, u.code));
    if (u.code === value) option.selected = true;
    select.append(option);
  }
  return select;
}

/** Only a steward belongs to a university: the field is enabled for that role alone. */
function linkRoleAndUniversity(role: HTMLSelectElement, university: HTMLSelectElement): void {
  const sync = () => {
    const steward = role.value === 'steward';
    university.disabled = !steward;
    if (!steward) university.value = '';
  };
  role.addEventListener('change', sync);
  sync();
}

/**
 * The password part of a form: generate one (shown once after saving) or type one. Returns the
 * field and a function that gives the password to send (or null when none is asked for).
 */
function passwordChoice(
  name: string,
  optional: boolean,
): { node: HTMLElement; field: Field; value(): string | null; generated(): boolean } {
  const group = `${name}-mode`;
  const modes = optional ? (['keep', 'generate', 'type'] as const) : (['generate', 'type'] as const);
  const radios = modes.map((mode, i) => {
    const radio = element('input', { type: 'radio', name: group, value: mode, 'data-password-mode': mode });
    if (i === 0) radio.checked = true;
    return radio;
  });
  const input = element('input', { type: 'password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD_LENGTH) });
  const f = field(name, t('admin.users.password'), input, { hint: t('admin.users.passwordHint', { min: MIN_PASSWORD_LENGTH }) });
  const mode = () => radios.find((r) => r.checked)?.value ?? modes[0];
  const sync = () => {
    input.disabled = mode() !== 'type';
    f.wrapper.hidden = mode() !== 'type';
  };
  for (const r of radios) r.addEventListener('change', sync);
  sync();
  const fieldset = element(
    'fieldset',
    { class: 'filter-group' },
    element('legend', {}, t('admin.users.passwordChoice')),
    element(
      'div',
      { class: 'radio-row' },
      ...radios.map((radio, i) =>
        element('label', { class: 'filter-check' }, radio, element('span', {}, t(`admin.users.password.${modes[i]!}`))),
      ),
    ),
    f.wrapper,
  );
  let last: string | null = null;
  return {
    node: fieldset,
    field: f,
    value() {
      const m = mode();
      last = m === 'keep' ? null : m === 'generate' ? generatePassword() : input.value;
      return last;
    },
    generated: () => mode() === 'generate',
  };
}

/** After an account is saved with a generated password: show it once, to be passed on. */
function showPasswordOnce(body: HTMLElement, email: string, password: string, close: () => void): void {
  const id = `generated-${Date.now()}`;
  const output = element('input', {
    type: 'text',
    id,
    readonly: '',
    class: 'generated-password',
    value: password,
    'data-generated-password': '',
  });
  const copy = element('button', { type: 'button', class: 'secondary' }, t('admin.users.copy'));
  const copied = element('span', { class: 'muted', role: 'status' });
  copy.addEventListener('click', async () => {
    output.select();
    try {
      await navigator.clipboard.writeText(password);
      copied.textContent = t('admin.users.copied');
    } catch {
      copied.textContent = t('admin.users.copyManually');
    }
  });
  const done = element('button', { type: 'button', class: 'primary' }, t('admin.users.done'));
  done.addEventListener('click', close);
  body.replaceChildren(
    element('div', { class: 'one-time', role: 'status' }, element('p', {}, t('admin.users.passwordOnce', { email }))),
    element('div', { class: 'form-field' }, element('label', { for: id }, t('admin.users.password')), output),
    element('div', { class: 'dialog-actions start' }, copy, copied),
    element('div', { class: 'dialog-actions' }, done),
  );
  output.focus();
  output.select();
}

/** The accounts: list, add, change role or name, set a password, disable and enable. */
export function renderUsersTab(panel: HTMLElement, first: ViewContext, setState: (state: TabState) => void): TabHandle {
  let ctx = first;
  const root = element('section', { class: 'admin-users' });
  const status = element('div', { class: 'records-status' });
  const list = scrollBox(t('admin.users.title'));
  const results = element('div', { class: 'records-results', 'data-state': 'loading', 'aria-busy': 'true' }, status, list);
  const add = element('button', { type: 'button', class: 'primary', 'data-action': 'add-user' }, t('admin.users.add'));
  add.addEventListener('click', () => openUserForm(undefined));
  const demoHost = element('div');
  root.append(
    demoHost,
    element('div', { class: 'admin-bar' }, element('h2', {}, t('admin.users.title')), add),
    element('p', { class: 'muted' }, t('admin.users.intro')),
    results,
  );
  panel.append(root);
  const mark = (state: TabState) => {
    results.dataset.state = state;
    setState(state);
  };

  const say = (message: string, error = false) =>
    status.replaceChildren(
      element('p', { class: error ? 'records-error' : 'records-note', role: error ? 'alert' : 'status' }, message),
    );

  // After leaving demo mode, the accounts are listed again (or, when this was a demo account, the sign-in page shows).
  const demo = demoSection(
    demoHost,
    (message, error) => say(message, error),
    () => void load(),
  );

  async function load(): Promise<void> {
    const { signal } = ctx;
    void demo.load(signal);
    mark('loading');
    results.setAttribute('aria-busy', 'true');
    try {
      const { users } = await request<{ users: User[] }>('GET', '/users', undefined, signal);
      if (signal.aborted) return;
      list.replaceChildren(table(users));
      mark('ready');
    } catch (error) {
      if (signal.aborted) return;
      mark('error');
      say(t('state.error', { message: messageOf(error) }), true);
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }

  function table(users: User[]): HTMLTableElement {
    const when = (iso: string) => new Date(iso).toLocaleDateString(locale(), { dateStyle: 'medium', timeZone: 'Asia/Shanghai' });
    return element(
      'table',
      { class: 'data-table users-table' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          ...(['name', 'email', 'role', 'university', 'status', 'created', 'actions'] as const).map((key) =>
            element('th', { scope: 'col' }, t(`admin.users.col.${key}`)),
          ),
        ),
      ),
      element(
        'tbody',
        {},
        ...users.map((user) => {
          const edit = element(
            'button',
            {
              type: 'button',
              class: 'link-button',
              'data-action': 'edit-user',
              'aria-label': t('admin.users.editLabel', { email: user.email }),
            },
            t('admin.users.edit'),
          );
          edit.addEventListener('click', () => openUserForm(user));
          const toggle = element(
            'button',
            {
              type: 'button',
              class: user.disabled ? 'link-button' : 'link-button danger-link',
              'data-action': user.disabled ? 'enable-user' : 'disable-user',
              'aria-label': t(user.disabled ? 'admin.users.enableLabel' : 'admin.users.disableLabel', { email: user.email }),
            },
            t(user.disabled ? 'admin.users.enable' : 'admin.users.disable'),
          );
          toggle.addEventListener('click', () => void setDisabled(user, !user.disabled));
          return element(
            'tr',
            { 'data-email': user.email, class: user.disabled ? 'user-disabled' : '' },
            element('th', { scope: 'row' }, user.name),
            element('td', {}, user.email),
            element('td', { 'data-value': user.role }, t(`role.${user.role}`)),
            element(
              'td',
              { 'data-value': user.university ?? '', title: universityName(ctx.meta, user.university) },
              user.university ?? '—',
            ),
            element(
              'td',
              { 'data-value': user.disabled ? 'disabled' : 'active' },
              element(
                'span',
                { class: `status-badge ${user.disabled ? 'disabled' : 'active'}` },
                t(user.disabled ? 'admin.users.disabled' : 'admin.users.active'),
              ),
            ),
            element('td', { title: user.createdAt }, when(user.createdAt)),
            element('td', { class: 'actions' }, edit, ' ', toggle),
          );
        }),
      ),
    );
  }

  async function setDisabled(user: User, disabled: boolean): Promise<void> {
    if (disabled) {
      const sure = await confirmDialog(root, {
        title: t('admin.users.disableTitle'),
        message: t('admin.users.disableMessage', { name: user.name, email: user.email }),
        confirm: t('admin.users.disable'),
        danger: true,
      });
      if (!sure) return;
    }
    try {
      await request<User>('PATCH', `/users/${user.id}`, { disabled });
    } catch (error) {
      say(t('admin.users.failed', { message: messageOf(error) }), true);
      return;
    }
    await load();
    say(t(disabled ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { email: user.email }));
  }

  function openUserForm(user: User | undefined): void {
    const me: Me = ctx.me;
    const { body, close } = openDialog(root, {
      title: user ? t('admin.users.editTitle', { email: user.email }) : t('admin.users.addTitle'),
      className: 'user-dialog',
    });
    const fields = new Map<string, Field>();
    const add = (name: string, label: string, control: Control, hint?: string, required = false) => {
      const f = field(name, label, control, { ...(hint ? { hint } : {}), required });
      fields.set(name, f);
      return f;
    };
    const email = element('input', { type: 'email', autocomplete: 'off', value: user?.email ?? '' });
    const name = element('input', { type: 'text', autocomplete: 'off', maxlength: '200', value: user?.name ?? '' });
    const role = roleSelect(user?.role ?? '');
    const university = universitySelect(ctx.meta, user?.university ?? null);
    linkRoleAndUniversity(role, university);
    const password = passwordChoice('password', user !== undefined);
    fields.set('password', password.field);
    const grid = element(
      'div',
      { class: 'form-grid' },
      ...(user ? [] : [add('email', t('admin.users.col.email'), email, undefined, true).wrapper]),
      add('name', t('admin.users.col.name'), name, undefined, true).wrapper,
      add('role', t('admin.users.col.role'), role, undefined, true).wrapper,
      add('university', t('admin.users.col.university'), university, t('admin.users.universityHint')).wrapper,
    );
    const problems = formErrorBox();
    const save = element('button', { type: 'submit', class: 'primary', 'data-action': 'save-user' }, t('records.form.save'));
    const cancel = element('button', { type: 'button', class: 'secondary' }, t('records.dialog.cancel'));
    cancel.addEventListener('click', close);
    const self = user?.email === me.email;
    const form = element(
      'form',
      { class: 'user-form', novalidate: '' },
      problems,
      grid,
      password.node,
      ...(self ? [element('p', { class: 'import-warning' }, t('admin.users.selfWarning'))] : []),
      ...(user ? [element('p', { class: 'muted' }, t('admin.users.sessionsNote'))] : []),
      element('div', { class: 'dialog-actions' }, cancel, save),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosenPassword = password.value();
      const chosenUniversity = role.value === 'steward' ? university.value || null : null;
      let payload: Record<string, unknown>;
      if (user) {
        payload = {};
        if (name.value.trim() !== user.name) payload.name = name.value;
        if (role.value !== user.role) payload.role = role.value;
        if (chosenUniversity !== user.university) payload.university = chosenUniversity;
        if (chosenPassword !== null) payload.password = chosenPassword;
        if (Object.keys(payload).length === 0) {
          close();
          return;
        }
      } else {
        payload = {
          email: email.value,
          name: name.value,
          role: role.value,
          university: chosenUniversity,
          password: chosenPassword,
        };
      }
      for (const f of fields.values()) setFieldError(f, null);
      save.disabled = true;
      try {
        const saved = user
          ? await request<User>('PATCH', `/users/${user.id}`, payload)
          : await request<User>('POST', '/users', payload);
        void load().then(() => say(t(user ? 'admin.users.saved' : 'admin.users.created', { email: saved.email })));
        if (chosenPassword !== null && password.generated()) showPasswordOnce(body, saved.email, chosenPassword, close);
        else close();
      } catch (error) {
        showProblems(error, fields, problems);
      } finally {
        save.disabled = false;
      }
    });
    body.append(form);
    (user ? name : email).focus();
  }

  void load();
  return {
    update(next) {
      ctx = next;
      // The app aborts a view's requests when its URL changes: a list still loading is asked for again.
      if (results.dataset.state === 'loading') void load();
    },
  };
}
