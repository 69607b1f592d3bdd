import { html, nothing, render } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { AUDIT_ACTIONS, type AuditAction } from '../../contract/enums';
import { ApiError, call, endpoints } from '../api';
import { debounce } from '../dom';
import { t } from '../i18n';
import { formatMoment } from '../lib/dates';
import { DEFAULT_PAGE_SIZE, formatCount, pager } from '../lib/paged-table';
import { type Paging, readPaging, writePaging } from '../lib/paging';
import type { MountTab } from './admin';
import type { User } from './admin-users';
import type { AuditEntry, AuditPage } from '../../contract/schemas/audit';

/**
 * The audit log, newest first: who did what to which subject, when and from where; each entry
 * opens to show the row before and after (changed values marked) and the detail. Its filters
 * and page are in the URL; typing in a filter updates the URL (and the list) in place.
 */

const FILTERS = ['user', 'action', 'subject', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
/** How long typing pauses before the URL follows it. */
const TYPING_PAUSE_MS = 400;
const COLUMNS = ['time', 'user', 'action', 'subject', 'address', 'detail'] as const;

const trimmed = (draft: Filters): Filters =>
  Object.fromEntries(Object.entries(draft).flatMap(([k, v]) => (v?.trim() ? [[k, v.trim()]] : [])));

type AuditState = Paging & { filters: Filters };

const readState = (params: URLSearchParams): AuditState => ({
  filters: trimmed(Object.fromEntries(FILTERS.map((key) => [key, params.get(key) ?? undefined]))),
  ...readPaging(params, { defaultPageSize: DEFAULT_PAGE_SIZE, sortable: [] }),
});

const stateParams = (state: AuditState): URLSearchParams =>
  writePaging(new URLSearchParams({ tab: 'audit', ...(state.filters as Record<string, string>) }), state, DEFAULT_PAGE_SIZE);

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
  let ctx = first;
  let state = readState(ctx.params);
  /** The filters as typed, ahead of the URL while typing pauses; `sent` is what the URL was last given. */
  let draft: Filters = { ...state.filters };
  let sent: Filters = draft;
  let answer: AuditPage | undefined;
  let problems: string[] = [];
  let users: User[] = [];
  const open = new Set<number>();

  /** Moves the URL; unless the filters are the ones typed, the fields show them. */
  const go = (next: AuditState, replace = false, typed = false) => {
    typing.cancel();
    sent = next.filters;
    if (!typed) draft = { ...next.filters };
    ctx.navigate('admin', stateParams(next), { replace });
  };
  const applyDraft = (replace: boolean) => {
    if (!sameFilters(draft, state.filters)) go({ ...state, filters: trimmed(draft), page: 1 }, replace, true);
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
    draw();
  };

  const filterField = (key: keyof Filters, control: unknown) =>
    html`<div class="form-field"><label for="audit-${key}">${t(`admin.audit.filter.${key}`)}</label>${control}</div>`;
  const textInput = (key: 'user' | 'subject' | 'from' | 'to', kind: string, extra = '') =>
    html`<input type=${kind} id="audit-${key}" autocomplete="off" list=${key === 'user' ? 'audit-users' : nothing}
      placeholder=${extra || nothing} .value=${live(draft[key] ?? '')}
      @input=${(e: Event) => type(key, (e.target as HTMLInputElement).value, true)} />`;

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

  const results = (page: AuditPage) =>
    html`<div class="table-scroll" tabindex="0" role="region" aria-label=${t('admin.tab.audit')}>
        <table class="data-table audit-table">
          <caption class="visually-hidden">${t('admin.tab.audit')}</caption>
          <thead><tr>${COLUMNS.map((key) => html`<th scope="col">${t(`admin.audit.col.${key}`)}</th>`)}</tr></thead>
          <tbody>${page.entries.map(row)}</tbody>
        </table>
      </div>
      <div class="records-pager">
        ${pager({ ...state, id: 'audit-page-size', total: page.total, label: t('admin.audit.pages'), go: (p) => go({ ...state, ...p }) })}
      </div>`;

  const draw = () =>
    render(
      html`<section class="admin-audit">
        <div class="admin-bar"><h2>${t('admin.tab.audit')}</h2></div>
        <p class="muted">${t('admin.audit.intro')}</p>
        <form class="audit-filters" role="search" aria-label=${t('admin.audit.filters')}
          @submit=${(e: Event) => {
            e.preventDefault();
            applyDraft(false);
          }}>
          ${filterField('user', textInput('user', 'email'))}
          ${filterField(
            'action',
            html`<select id="audit-action" .value=${live(draft.action ?? '')}
              @change=${(e: Event) => type('action', (e.target as HTMLSelectElement).value, false)}>
              <option value="">${t('admin.audit.anyAction')}</option>
              ${AUDIT_ACTIONS.map((a) => html`<option value=${a} ?selected=${a === draft.action}>${actionLabel(a)}</option>`)}
            </select>`,
          )}
          ${filterField('subject', textInput('subject', 'text', 'tech_transfer:USST/'))}
          ${filterField('from', textInput('from', 'date'))} ${filterField('to', textInput('to', 'date'))}
          <div class="dialog-actions">
            <button type="submit" class="primary">${t('admin.audit.apply')}</button>
            <button type="button" class="secondary" @click=${() => go({ ...state, filters: {}, page: 1 })}>${t('admin.audit.reset')}</button>
          </div>
          <datalist id="audit-users">${users.map((u) => html`<option value=${u.email}>${u.name}</option>`)}</datalist>
        </form>
        <div class="records-results">
          <div class="records-summary">
            <p class="records-total" aria-live="polite" data-total=${answer?.total ?? nothing}>${
              answer ? t('admin.audit.total', { count: formatCount(answer.total) }) : ''
            }</p>
          </div>
          <div class="records-status">
            ${problems.length ? html`<div class="records-error">${problems.map((p) => html`<p>${p}</p>`)}</div>` : nothing}
            ${answer?.total === 0 ? html`<div class="records-empty"><p>${t('admin.audit.empty')}</p></div>` : nothing}
          </div>
          ${answer && answer.total > 0 ? results(answer) : nothing}
        </div>
      </section>`,
      host,
    );

  const load = (): Promise<void> => {
    const { signal } = ctx;
    const shown = state;
    return status.run(signal, async () => {
      problems = [];
      try {
        const page = await call(endpoints.audit, {
          query: { ...shown.filters, page: shown.page, pageSize: shown.pageSize },
          signal,
        });
        if (signal.aborted) return undefined;
        const pages = Math.max(1, Math.ceil(page.total / shown.pageSize));
        if (page.entries.length === 0 && page.total > 0 && shown.page > pages) {
          go({ ...shown, page: pages }, true);
          return undefined;
        }
        answer = page;
        return page.total === 0 ? 'empty' : 'ready';
      } catch (error) {
        // The fields at fault, under the view's error line.
        answer = undefined;
        if (!signal.aborted && error instanceof ApiError)
          problems = error.errors.map((d) => (d.path ? `${d.path.replace(/^query\./, '')}: ${d.message}` : d.message));
        throw error;
      } finally {
        if (!signal.aborted) draw();
      }
    });
  };

  // The accounts' emails, to pick from in the user filter.
  void call(endpoints.users, { signal: ctx.signal })
    .then((list) => {
      users = list.users;
      draw();
    })
    .catch(() => undefined);

  draw();
  void load();
  return {
    update(next) {
      ctx = next;
      state = readState(ctx.params);
      // The URL caught up with typing: keep what was typed since. Otherwise (back, reset) the URL wins.
      if (!sameFilters(state.filters, sent)) draft = { ...state.filters };
      sent = state.filters;
      draw();
      void load();
    },
    destroy: () => typing.cancel(),
  };
};
