import { html, nothing, render } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { ROLES } from '../../contract/enums';
import { ApiError, request } from '../api';
import { t } from '../i18n';
import { formatDay } from '../lib/dates';
import { universityName } from '../lib/filters';
import type { Meta } from '../api';
import type { User } from '../../contract/schemas/users';
import { MIN_PASSWORD_LENGTH } from '../../contract/limits';
import type { ViewContext } from '../view';
import type { MountTab } from './admin';
import { demoSection } from './admin-demo';
import { confirmDialog, messageOf, openDialog } from './records-ui';

export type { User } from '../../contract/schemas/users';
const COLUMNS = ['name', 'email', 'role', 'university', 'status', 'created', 'actions'] as const;

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

const universityTitle = (meta: Meta, code: string | null): string => (code ? `${code} · ${universityName(meta, code)}` : '—');

type FieldName = 'email' | 'name' | 'role' | 'university' | 'password';
type PasswordMode = 'keep' | 'generate' | 'type';
const REQUIRED: readonly FieldName[] = ['email', 'name', 'role'];

/**
 * The form to add an account or change one, in a dialog. With a generated password, the dialog
 * then shows it once, to be passed on. `saved` is called with the account the server answered.
 */
function openUserForm(host: HTMLElement, ctx: ViewContext, user: User | undefined, saved: (user: User) => void): void {
  const { body, close } = openDialog(host, {
    title: user ? t('admin.users.editTitle', { email: user.email }) : t('admin.users.addTitle'),
    className: 'user-dialog',
  });
  const v = { email: '', name: user?.name ?? '', role: user?.role ?? '', university: user?.university ?? '', password: '' };
  const modes: PasswordMode[] = user ? ['keep', 'generate', 'type'] : ['generate', 'type'];
  let mode = modes[0]!;
  let errors: Partial<Record<FieldName, string>> = {};
  let problems: string[] = [];
  let busy = false;
  let generated: { email: string; password: string } | undefined;
  let copied = '';
  const steward = () => v.role === 'steward';
  const set = (key: keyof typeof v) => (e: Event) => {
    v[key] = (e.target as HTMLInputElement | HTMLSelectElement).value;
    draw();
  };
  const hints: Partial<Record<FieldName, string>> = {
    university: t('admin.users.universityHint'),
    password: t('admin.users.passwordHint', { min: MIN_PASSWORD_LENGTH }),
  };

  /** A labelled field: its control gets the id, name, description and validity; the server's message shows beneath. */
  const field = (name: FieldName, control: (a: { id: string; describedBy: string; invalid: string }) => unknown) => {
    const id = `user-${name}`;
    const describedBy = [hints[name] ? `${id}-hint` : '', errors[name] ? `${id}-error` : ''].join(' ').trim();
    const required = REQUIRED.includes(name);
    return html`<div class="form-field" data-field=${name}>
      <label for=${id}>${name === 'password' ? t('admin.users.password') : t(`admin.users.col.${name}`)}${
        required ? html`<span class="required-mark" aria-hidden="true"> *</span>` : nothing
      }</label>
      ${control({ id, describedBy, invalid: errors[name] ? 'true' : '' })}
      ${hints[name] ? html`<p class="field-hint" id="${id}-hint">${hints[name]}</p>` : nothing}
      <p class="field-error" id="${id}-error" ?hidden=${!errors[name]}>${errors[name] ?? ''}</p>
    </div>`;
  };
  const input = (name: 'email' | 'name' | 'password', type: string) =>
    field(
      name,
      (a) => html`<input type=${type} id=${a.id} name=${name} aria-describedby=${a.describedBy || nothing}
        aria-invalid=${a.invalid || nothing} aria-required=${REQUIRED.includes(name) ? 'true' : nothing}
        autocomplete=${name === 'password' ? 'new-password' : 'off'} maxlength=${name === 'name' ? 200 : nothing}
        minlength=${name === 'password' ? MIN_PASSWORD_LENGTH : nothing} ?disabled=${name === 'password' && mode !== 'type'}
        .value=${live(v[name])} @input=${set(name)} />`,
    );
  const select = (name: 'role' | 'university', options: unknown, value: string, disabled = false) =>
    field(
      name,
      (
        a,
      ) => html`<select id=${a.id} name=${name} aria-describedby=${a.describedBy || nothing} aria-invalid=${a.invalid || nothing}
        aria-required=${REQUIRED.includes(name) ? 'true' : nothing} ?disabled=${disabled} .value=${live(value)} @change=${set(name)}>${options}</select>`,
    );

  const copy = async () => {
    body.querySelector<HTMLInputElement>('[data-generated-password]')?.select();
    try {
      await navigator.clipboard.writeText(generated!.password);
      copied = t('admin.users.copied');
    } catch {
      copied = t('admin.users.copyManually');
    }
    draw();
  };

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const password = mode === 'keep' ? null : mode === 'generate' ? generatePassword() : v.password;
    const university = steward() ? v.university || null : null;
    const payload = user
      ? {
          ...(v.name.trim() !== user.name ? { name: v.name } : {}),
          ...(v.role !== user.role ? { role: v.role } : {}),
          ...(university !== user.university ? { university } : {}),
          ...(password !== null ? { password } : {}),
        }
      : { email: v.email, name: v.name, role: v.role, university, password };
    if (Object.keys(payload).length === 0) return close();
    errors = {};
    problems = [];
    busy = true;
    draw();
    try {
      const answer = await request<User>(user ? 'PATCH' : 'POST', user ? `/users/${user.id}` : '/users', payload);
      saved(answer);
      if (password === null || mode !== 'generate') return close();
      generated = { email: answer.email, password };
    } catch (error) {
      // Each problem beside its field (`body.email`), the rest above the form.
      const rest: string[] = [];
      for (const p of error instanceof ApiError ? error.errors : []) {
        const name = p.path?.replace(/^body\./, '') as FieldName;
        if (name in v && (!user || name !== 'email')) errors[name] = errors[name] ? `${errors[name]}; ${p.message}` : p.message;
        else rest.push(p.path ? `${p.path}: ${p.message}` : p.message);
      }
      const placed = Object.keys(errors).length > 0;
      problems = [placed ? t('records.form.fixFields', { message: messageOf(error) }) : messageOf(error), ...rest];
    } finally {
      busy = false;
      draw();
    }
    const first = Object.keys(errors)[0];
    const focus = body.querySelector<HTMLInputElement>(
      generated ? '[data-generated-password]' : first ? `[name=${first}]` : '.form-problems',
    );
    focus?.focus();
    if (generated) focus?.select();
  }

  const passwordOnce = (g: { email: string; password: string }) => html`
    <div class="one-time" role="status"><p>${t('admin.users.passwordOnce', { email: g.email })}</p></div>
    <div class="form-field">
      <label for="generated-password">${t('admin.users.password')}</label>
      <input type="text" id="generated-password" readonly class="generated-password" .value=${g.password} data-generated-password />
    </div>
    <div class="dialog-actions start">
      <button type="button" class="secondary" @click=${copy}>${t('admin.users.copy')}</button>
      <span class="muted" role="status">${copied}</span>
    </div>
    <div class="dialog-actions"><button type="button" class="primary" @click=${close}>${t('admin.users.done')}</button></div>`;

  const form = () => html`<form class="user-form" novalidate @submit=${submit}>
    <div class="form-problems" role="alert" tabindex="-1" ?hidden=${!problems.length}>${problems.map((p) => html`<p>${p}</p>`)}</div>
    <div class="form-grid">
      ${user ? nothing : input('email', 'email')} ${input('name', 'text')}
      ${select(
        'role',
        html`${v.role === '' ? html`<option value="" selected>${t('records.form.choose')}</option>` : nothing}
        ${ROLES.map((r) => html`<option value=${r} ?selected=${r === v.role}>${t(`role.${r}`)}</option>`)}`,
        v.role,
      )}
      ${
        // Only a steward belongs to a university.
        select(
          'university',
          html`<option value="" ?selected=${!steward()}>${t('records.form.none')}</option>
          ${ctx.meta.universities.map(
            (u) =>
              html`<option value=${u.code} ?selected=${steward() && u.code === v.university}>${universityTitle(ctx.meta, u.code)}</option>`,
          )}`,
          steward() ? v.university : '',
          !steward(),
        )
      }
    </div>
    <fieldset class="filter-group">
      <legend>${t('admin.users.passwordChoice')}</legend>
      <div class="radio-row">
        ${modes.map(
          (m) => html`<label class="filter-check">
            <input type="radio" name="password-mode" value=${m} data-password-mode=${m} .checked=${live(mode === m)}
              @change=${() => {
                mode = m;
                draw();
              }} />
            <span>${t(`admin.users.password.${m}`)}</span>
          </label>`,
        )}
      </div>
      <div ?hidden=${mode !== 'type'}>${input('password', 'password')}</div>
    </fieldset>
    ${user?.email === ctx.me.email ? html`<p class="import-warning">${t('admin.users.selfWarning')}</p>` : nothing}
    ${user ? html`<p class="muted">${t('admin.users.sessionsNote')}</p>` : nothing}
    <div class="dialog-actions">
      <button type="button" class="secondary" @click=${close}>${t('records.dialog.cancel')}</button>
      <button type="submit" class="primary" data-action="save-user" ?disabled=${busy}>${t('records.form.save')}</button>
    </div>
  </form>`;

  const draw = () => render(generated ? passwordOnce(generated) : form(), body);
  draw();
  body.querySelector<HTMLElement>(user ? '[name=name]' : '[name=email]')?.focus();
}

/** The accounts: list, add, change role or name, set a password, disable and enable. */
export const mountUsersTab: MountTab = (host, first, status) => {
  let ctx = first;
  let users: User[] = [];
  let loaded = false;
  let note: { message: string; error: boolean } | undefined;
  const say = (message: string, error = false) => {
    note = { message, error };
    draw();
  };
  const root = () => host.querySelector<HTMLElement>('.admin-users') ?? host;
  // After leaving demo mode, the accounts are listed again (or, when this was a demo account, the sign-in page shows).
  const demo = demoSection({ say, done: () => void load(), redraw: () => draw(), host: root });

  async function setDisabled(user: User, disabled: boolean): Promise<void> {
    if (disabled) {
      const sure = await confirmDialog(root(), {
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
      return say(t('admin.users.failed', { message: messageOf(error) }), true);
    }
    await load();
    say(t(disabled ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { email: user.email }));
  }

  const edit = (user?: User) =>
    openUserForm(root(), ctx, user, (saved) => {
      void load().then(() => say(t(user ? 'admin.users.saved' : 'admin.users.created', { email: saved.email })));
    });

  const row = (user: User) => {
    const [state, action] = user.disabled ? (['disabled', 'enable'] as const) : (['active', 'disable'] as const);
    return html`<tr data-email=${user.email} class=${user.disabled ? 'user-disabled' : ''}>
      <th scope="row">${user.name}</th>
      <td>${user.email}</td>
      <td data-value=${user.role}>${t(`role.${user.role}`)}</td>
      <td data-value=${user.university ?? ''} title=${universityTitle(ctx.meta, user.university)}>${user.university ?? '—'}</td>
      <td data-value=${state}><span class="status-badge ${state}">${t(`admin.users.${state}`)}</span></td>
      <td title=${user.createdAt}>${formatDay(user.createdAt)}</td>
      <td class="actions">
        <button type="button" class="link-button" data-action="edit-user" aria-label=${t('admin.users.editLabel', { email: user.email })}
          @click=${() => edit(user)}>${t('admin.users.edit')}</button>
        <button type="button" class="link-button ${user.disabled ? '' : 'danger-link'}" data-action="${action}-user"
          aria-label=${t(`admin.users.${action}Label`, { email: user.email })} @click=${() => void setDisabled(user, !user.disabled)}>
          ${t(`admin.users.${action}`)}
        </button>
      </td>
    </tr>`;
  };

  const draw = () =>
    render(
      html`<section class="admin-users">
        ${demo.view()}
        <div class="admin-bar">
          <h2>${t('admin.users.title')}</h2>
          <button type="button" class="primary" data-action="add-user" @click=${() => edit()}>${t('admin.users.add')}</button>
        </div>
        <p class="muted">${t('admin.users.intro')}</p>
        <div class="records-results">
          <div class="records-status">
            ${note ? html`<p class=${note.error ? 'records-error' : 'records-note'} role=${note.error ? 'alert' : 'status'}>${note.message}</p>` : nothing}
          </div>
          <div class="table-scroll" tabindex="0" role="region" aria-label=${t('admin.users.title')}>
            <table class="data-table users-table">
              <thead><tr>${COLUMNS.map((key) => html`<th scope="col">${t(`admin.users.col.${key}`)}</th>`)}</tr></thead>
              <tbody>${users.map(row)}</tbody>
            </table>
          </div>
        </div>
      </section>`,
      host,
    );

  function load(): Promise<void> {
    const { signal } = ctx;
    void demo.load(signal);
    return status.run(signal, async () => {
      const answer = await request<{ users: User[] }>('GET', '/users', undefined, signal);
      if (signal.aborted) return undefined;
      users = answer.users;
      loaded = true;
      draw();
      return 'ready';
    });
  }

  draw();
  void load();
  return {
    update(next) {
      ctx = next;
      // The app aborts a view's requests when its URL changes: a list still loading is asked for again.
      if (!loaded) void load();
    },
  };
};
