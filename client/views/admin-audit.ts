import { html, nothing } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { AUDIT_ACTIONS, type AuditAction } from '../../contract/enums';
import type { AuditEntry, AuditPage } from '../../contract/schemas/audit';
import type { User } from '../../contract/schemas/users';
import { call, endpoints } from '../api';
import { debounce } from '../dom';
import { t } from '../i18n';
import { formatMoment } from '../lib/dates';
import { type ListState, listTab } from '../lib/list-tab';
import { formatCount } from '../lib/paged-table';
import type { MountTab } from './admin';

/**
 * The audit log, newest first: who did what to which subject, when and from where; each entry
 * opens to show the row before and after (changed values marked) and the detail. Its filters
 * and page are in the URL; typing in a filter updates the URL (and the list) in place.
 */

type Filters = Partial<Record<'user' | 'action' | 'subject' | 'from' | 'to', string>>;
/** How long typing pauses before the URL follows it. */
const TYPING_PAUSE_MS = 400;

const trimmed = (draft: Filters): Filters =>
  Object.fromEntries(Object.entries(draft).flatMap(([k, v]) => (v?.trim() ? [[k, v.trim()]] : [])));

const sameFilters = (a: Filters, b: Filters) => JSON.stringify(trimmed(a)) === JSON.stringify(trimmed(b));

const actionLabel = (action: string): string =>
  (AUDIT_ACTIONS as readonly string[]).includes(action) ? t(`admin.audit.action.${action as AuditAction}`) : action;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string =>
  value === undefined ? '' : value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
const json = (value: unknown) => html`<pre>${JSON.stringify(value, null, 2)}</pre>`;

/** The before and after of an entry: a field-by-field table when either is a row, else the JSON of each. */
function entryDetail({ before, after, detail }: AuditEntry) {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const both = before !== null && after !== null;
  const changed = (key: string) => both && JSON.stringify(b[key]) !== JSON.stringify(a[key]);
  const rows = isObject(before) || isObject(after);
  const hasDetail = detail !== null && detail !== undefined;
  return html`<div class="audit-detail">
    ${
      rows
        ? html`<div>
            <h4>${t('admin.audit.changes')}</h4>
            <div class="table-scroll" tabindex="0" role="region" aria-label=${t('admin.audit.changes')}>
              <table class="data-table compact audit-diff">
                <thead><tr>${(['field', 'before', 'after'] as const).map((k) => html`<th scope="col">${t(`admin.audit.${k}`)}</th>`)}</tr></thead>
                <tbody>
                  ${[...new Set([...Object.keys(b), ...Object.keys(a)])].map(
                    (key) => html`<tr data-field=${key} ?data-changed=${changed(key)}>
                      <th scope="row">${key}</th>
                      <td class=${changed(key) ? 'changed' : ''}>${before === null ? '—' : show(b[key])}</td>
                      <td class=${changed(key) ? 'changed' : ''}>${after === null ? '—' : show(a[key])}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${both ? html`<p class="muted">${t('admin.audit.changedMarked')}</p>` : nothing}
          </div>`
        : before !== null || after !== null
          ? html`<div><h4>${t('admin.audit.before')}</h4>${json(before)}<h4>${t('admin.audit.after')}</h4>${json(after)}</div>`
          : nothing
    }
    ${hasDetail ? html`<div><h4>${t('admin.audit.col.detail')}</h4>${json(detail)}</div>` : nothing}
    ${!rows && before === null && after === null && !hasDetail ? html`<p class="muted">${t('admin.audit.noDetail')}</p>` : nothing}
  </div>`;
}

export const mountAuditTab: MountTab = (host, first, status) => {
  /** The filters as typed, ahead of the URL while typing pauses; `sent` is what the URL was last given. */
  let draft: Filters = {};
  let sent: Filters = {};
  let users: User[] = [];
  const open = new Set<number>();

  /** Moves the URL; unless the filters are the ones typed, the fields show them. */
  const go = (next: ListState, replace = false, typed = false) => {
    typing.cancel();
    sent = next.filters;
    if (!typed) draft = { ...next.filters };
    list.go(next, replace);
  };
  const applyDraft = (replace: boolean) => {
    const state = list.state();
    if (!sameFilters(draft, state.filters))
      go({ ...state, filters: trimmed(draft) as Record<string, string>, page: 1 }, replace, true);
  };
  const typing = debounce(() => applyDraft(true), TYPING_PAUSE_MS);
  const type = (key: keyof Filters, value: string, wait: boolean) => {
    draft = { ...draft, [key]: value };
    typing.cancel();
    if (wait) typing.schedule();
    else applyDraft(false);
  };
  const toggle = (id: number) => {
    if (!open.delete(id)) open.add(id);
    list.draw();
  };

  const filterField = (key: keyof Filters, control: unknown) =>
    html`<div class="form-field"><label for="audit-${key}">${t(key === 'from' || key === 'to' ? `records.filter.${key}` : `admin.audit.filter.${key}`)}</label>${control}</div>`;
  const textInput = (key: 'user' | 'subject' | 'from' | 'to', kind: string, extra = '') =>
    filterField(
      key,
      html`<input type=${kind} id="audit-${key}" autocomplete="off" list=${key === 'user' ? 'audit-users' : nothing}
        placeholder=${extra || nothing} .value=${live(draft[key] ?? '')}
        @input=${(e: Event) => type(key, (e.target as HTMLInputElement).value, true)} />`,
    );

  const row = (entry: AuditEntry) => html`<tr data-id=${entry.id} data-action=${entry.action}>
      <td class="when" title=${entry.at}><time datetime=${entry.at}>${formatMoment(entry.at)}</time></td>
      <td>${entry.user ?? '—'}</td>
      <td><span class="action-badge">${actionLabel(entry.action)}</span></td>
      <td class="subject">${entry.subject}</td>
      <td>${entry.address ?? '—'}</td>
      <td class="actions">
        <button type="button" class="link-button" aria-expanded=${open.has(entry.id)} aria-controls="audit-detail-${entry.id}"
          data-action="expand" aria-label=${t('admin.audit.showLabel', { id: String(entry.id) })} @click=${() => toggle(entry.id)}
          >${t(open.has(entry.id) ? 'admin.audit.hide' : 'admin.audit.show')}</button>
      </td>
    </tr>
    <tr class="audit-detail-row" id="audit-detail-${entry.id}" ?hidden=${!open.has(entry.id)}>
      <td colspan="6">${open.has(entry.id) ? entryDetail(entry) : nothing}</td>
    </tr>`;

  const filters = () => html`<form class="audit-filters" role="search" aria-label=${t('admin.audit.filters')}
      @submit=${(e: Event) => {
        e.preventDefault();
        applyDraft(false);
      }}>
      ${textInput('user', 'email')}
      ${filterField(
        'action',
        html`<select id="audit-action" .value=${live(draft.action ?? '')}
          @change=${(e: Event) => type('action', (e.target as HTMLSelectElement).value, false)}>
          <option value="">${t('admin.audit.anyAction')}</option>
          ${AUDIT_ACTIONS.map((a) => html`<option value=${a} ?selected=${a === draft.action}>${actionLabel(a)}</option>`)}
        </select>`,
      )}
      ${textInput('subject', 'text', 'tech_transfer:USST/')} ${textInput('from', 'date')} ${textInput('to', 'date')}
      <div class="dialog-actions">
        <button type="submit" class="primary">${t('admin.audit.apply')}</button>
        <button type="button" class="secondary" @click=${() => go({ ...list.state(), filters: {}, page: 1 })}>${t('admin.audit.reset')}</button>
      </div>
      <datalist id="audit-users">${users.map((u) => html`<option value=${u.email}>${u.name}</option>`)}</datalist>
    </form>`;

  const list = listTab<AuditEntry, AuditPage>(host, first, status, {
    tab: 'audit',
    title: 'admin.tab.audit',
    intro: 'admin.audit.intro',
    head: filters,
    columns: [
      'admin.audit.col.time',
      'admin.audit.col.user',
      'admin.audit.filter.action',
      'admin.audit.col.subject',
      'admin.audit.col.address',
      'admin.audit.col.detail',
    ],
    fetch: (signal, { filters, page, pageSize }) => call(endpoints.audit, { query: { ...filters, page, pageSize }, signal }),
    rows: (page) => page.entries,
    row,
    paged: {
      filters: { user: undefined, action: undefined, subject: undefined, from: undefined, to: undefined },
      total: (page) => page.total,
      summary: (page) => t('admin.audit.total', { count: formatCount(page.total) }),
      empty: 'admin.audit.empty',
      pages: 'admin.audit.pages',
    },
    update() {
      const { filters } = list.state();
      // The URL caught up with typing: keep what was typed since. Otherwise (back, reset) the URL wins.
      if (!sameFilters(filters, sent)) draft = { ...filters };
      sent = filters;
    },
    destroy: () => typing.cancel(),
  });
  draft = { ...list.state().filters };
  sent = draft;

  // The accounts' emails, to pick from in the user filter.
  void call(endpoints.users, { signal: first.signal })
    .then((answer) => {
      users = answer.users;
      list.draw();
    })
    .catch(() => undefined);

  return list.start();
};
