import { html, nothing, render } from 'lit-html';
import { type Role, ROLES } from '../../contract/enums';
import { call, endpoints } from '../api';
import { t } from '../i18n';
import { formatDay } from '../lib/dates';
import { universityLabel, universityTitle } from '../lib/filters';
import {
  changedFields,
  confirmDialog,
  type FormField,
  input,
  messageOf,
  openDialog,
  openFormDialog,
  select,
} from '../lib/form-dialog';
import type { User } from '../../contract/schemas/users';
import { MIN_PASSWORD_DISTINCT, MIN_PASSWORD_LENGTH } from '../../contract/limits';
import type { ViewContext } from '../view';
import { listTab } from '../lib/list-tab';
import type { MountTab } from './admin';
import { demoSection } from './admin-demo';

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

type PasswordMode = 'keep' | 'generate' | 'type';

/** Shows a generated password once, to be passed on. */
function showPassword(host: HTMLElement, title: string, email: string, password: string): void {
  const { body, close } = openDialog(host, { title, className: 'user-dialog' });
  let copied = '';
  const copy = async () => {
    body.querySelector<HTMLInputElement>('[data-generated-password]')?.select();
    try {
      await navigator.clipboard.writeText(password);
      copied = t('admin.users.copied');
    } catch {
      copied = t('admin.users.copyManually');
    }
    draw();
  };
  const draw = () =>
    render(
      html`<div class="one-time" role="status"><p>${t('admin.users.passwordOnce', { email })}</p></div>
        <div class="form-field">
          <label for="generated-password">${t('signIn.password')}</label>
          <input type="text" id="generated-password" readonly class="generated-password" .value=${password} data-generated-password />
        </div>
        <div class="dialog-actions start">
          <button type="button" class="secondary" @click=${copy}>${t('admin.users.copy')}</button>
          <span class="muted" role="status">${copied}</span>
        </div>
        <div class="dialog-actions"><button type="button" class="primary" @click=${close}>${t('records.import.done')}</button></div>`,
      body,
    );
  draw();
  const output = body.querySelector<HTMLInputElement>('[data-generated-password]')!;
  output.focus();
  output.select();
}

/**
 * The form to add an account or change one, in a dialog. With a generated password, a dialog
 * then shows it once, to be passed on. `saved` is called with the account the server answered.
 */
function openUserForm(host: HTMLElement, ctx: ViewContext, user: User | undefined, saved: (user: User) => void): void {
  const title = user ? t('admin.users.editTitle', { email: user.email }) : t('admin.users.addTitle');
  const modes: PasswordMode[] = user ? ['keep', 'generate', 'type'] : ['generate', 'type'];
  let mode = modes[0]!;
  // Only a steward belongs to a university.
  let steward = user?.role === 'steward';
  const universities = ctx.meta.universities.map((u) => ({ value: u.code, label: universityTitle(ctx.meta, u.code) }));
  const roles = ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));
  const fields = (<FormField[]>[
    { name: 'email', label: t('signIn.email'), required: true, control: (a) => input(a, '', { type: 'email' }) },
    {
      name: 'name',
      label: t('admin.users.col.name'),
      required: true,
      control: (a) => input(a, user?.name ?? '', { maxlength: '200' }),
    },
    {
      name: 'role',
      label: t('admin.users.col.role'),
      required: true,
      choices: roles,
      control: (a) => select(a, [...(user ? [] : [{ value: '', label: t('records.form.choose') }]), ...roles], user?.role ?? ''),
    },
    {
      name: 'university',
      label: t('admin.users.col.university'),
      hint: t('admin.users.universityHint'),
      choices: universities,
      control: (a) =>
        select(
          a,
          [{ value: '', label: t('records.form.none') }, ...universities],
          steward ? (user?.university ?? '') : '',
          !steward,
        ),
    },
    {
      name: 'password',
      label: t('signIn.password'),
      hint: t('admin.users.passwordHint', { min: MIN_PASSWORD_LENGTH, distinct: MIN_PASSWORD_DISTINCT }),
      className: 'type-text',
      control: (a) => html`<div class="radio-row" role="radiogroup" aria-label=${t('signIn.password')}>${modes.map(
        (m) => html`<label class="filter-check"><input type="radio" name="password-mode" value=${m} data-password-mode=${m}
              .checked=${mode === m} /><span>${t(`admin.users.password.${m}`)}</span></label>`,
      )}</div>
        <input type="password" id=${a.id} name=${a.name} autocomplete="new-password" minlength=${MIN_PASSWORD_LENGTH}
          ?disabled=${mode !== 'type'} ?hidden=${mode !== 'type'} aria-describedby=${a.describedBy} aria-invalid=${a.invalid} />`,
    },
  ]).filter((f) => !user || f.name !== 'email');
  let generated: { email: string; password: string } | undefined;
  const dialog = openFormDialog(host, {
    title,
    className: 'user-dialog',
    formClass: 'user-form',
    saveAction: 'save-user',
    fields,
    outro:
      () => html`${user?.email === ctx.me.email ? html`<p class="import-warning">${t('admin.users.selfWarning')}</p>` : nothing}
      ${user ? html`<p class="muted">${t('admin.users.sessionsNote')}</p>` : nothing}`,
    async submit(v) {
      // As typed: a password is not trimmed.
      const typed = dialog.body.querySelector<HTMLInputElement>('[name=password]')!.value;
      const password = mode === 'keep' ? null : mode === 'generate' ? generatePassword() : typed;
      const university = v.role === 'steward' ? v.university || null : null;
      // The select offers the roles only; the server checks every field again.
      const role = v.role as Role;
      let answer: User;
      if (user) {
        const changes = {
          ...changedFields(user, { name: v.name, role, university }),
          ...(password !== null ? { password } : {}),
        };
        if (Object.keys(changes).length === 0) return;
        answer = await call(endpoints.updateUser, { params: { id: user.id }, body: changes });
      } else {
        answer = await call(endpoints.createUser, {
          body: { email: v.email ?? '', name: v.name ?? '', role, university, password: password ?? '' },
        });
      }
      saved(answer);
      if (password !== null && mode === 'generate') generated = { email: answer.email, password };
    },
  });
  dialog.body.addEventListener('change', (e) => {
    const target = e.target as HTMLInputElement;
    if (target.name === 'role') steward = target.value === 'steward';
    else if (target.name === 'password-mode') mode = target.value as PasswordMode;
    else return;
    dialog.refresh();
  });
  dialog.dialog.addEventListener('close', () => generated && showPassword(host, title, generated.email, generated.password), {
    once: true,
  });
}

/** The accounts: list, add, change role or name, set a password, disable and enable. */
export const mountUsersTab: MountTab = (host, first, status) => {
  const list: ReturnType<typeof listTab<User, { users: User[] }>> = listTab<User, { users: User[] }>(host, first, status, {
    tab: 'users',
    title: 'admin.users.title',
    intro: 'admin.users.intro',
    columns: [
      'admin.users.col.name',
      'signIn.email',
      'admin.users.col.role',
      'admin.users.col.university',
      'cycle.detail.status',
      'admin.users.col.created',
      'records.actions',
    ],
    add: { action: 'add-user', label: 'admin.users.add', open: () => edit() },
    above: () => demo.view(),
    fetch: (signal) => {
      void demo.load(signal);
      return call(endpoints.users, { signal });
    },
    rows: (answer) => answer.users,
    row: (user) => row(user),
  });
  // After leaving demo mode, the accounts are listed again (or, when this was a demo account, the sign-in page shows).
  const demo = demoSection({ say: list.say, done: () => void list.load(), redraw: list.draw, host: list.root });

  async function setDisabled(user: User, disabled: boolean): Promise<void> {
    if (disabled) {
      const sure = await confirmDialog(list.root(), {
        title: t('admin.users.disableTitle'),
        message: t('admin.users.disableMessage', { name: user.name, email: user.email }),
        confirm: t('admin.users.disable'),
        danger: true,
      });
      if (!sure) return;
    }
    try {
      await call(endpoints.updateUser, { params: { id: user.id }, body: { disabled } });
    } catch (error) {
      return list.say(t('admin.users.failed', { message: messageOf(error) }), true);
    }
    await list.load();
    list.say(t(disabled ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { email: user.email }));
  }

  const edit = (user?: User) =>
    openUserForm(list.root(), list.ctx(), user, (saved) => {
      void list.load().then(() => list.say(t(user ? 'admin.users.saved' : 'admin.users.created', { email: saved.email })));
    });

  const row = (user: User) => {
    const { meta } = list.ctx();
    const [state, action] = user.disabled ? (['disabled', 'enable'] as const) : (['active', 'disable'] as const);
    return html`<tr data-email=${user.email} class=${user.disabled ? 'user-disabled' : ''}>
      <th scope="row">${user.name}</th>
      <td>${user.email}</td>
      <td data-value=${user.role}>${t(`role.${user.role}`)}</td>
      <td data-value=${user.university ?? ''} title=${user.university ? universityTitle(meta, user.university) : '—'}>${
        user.university ? universityLabel(meta, user.university) : '—'
      }</td>
      <td data-value=${state}><span class="status-badge ${state}">${t(`admin.users.${state}`)}</span></td>
      <td title=${user.createdAt}>${formatDay(user.createdAt)}</td>
      <td class="actions">
        <button type="button" class="link-button" data-action="edit-user" aria-label=${t('admin.users.editTitle', { email: user.email })}
          @click=${() => edit(user)}>${t('admin.edit')}</button>
        <button type="button" class="link-button ${user.disabled ? '' : 'danger-link'}" data-action="${action}-user"
          aria-label=${t(`admin.users.${action}Label`, { email: user.email })} @click=${() => void setDisabled(user, !user.disabled)}>
          ${t(`admin.users.${action}`)}
        </button>
      </td>
    </tr>`;
  };

  return list.start();
};
