import { ApiError, query, request } from '../api';
import { element, scrollBox } from '../dom';
import { t } from '../i18n';
import type { ViewContext } from '../view';
import type { TabHandle, TabState } from './admin';
import type { User } from './admin-users';
import { formatCount, locale, messageOf, positiveInt, renderPager } from './records-ui';

/**
 * The audit log, newest first: who did what to which subject, when and from where; each entry
 * opens to show the row before and after (changed values marked) and the detail. Its filters
 * and page are in the URL.
 */

/** The actions the log records (server/db/schema.ts, `AUDIT_ACTIONS`). */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'create',
  'update',
  'delete',
  'import',
  'export',
  'user_change',
  'target_change',
  'university_change',
  'report_submit',
] as const;
type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: string;
  user: string | null;
  address: string | null;
  action: AuditAction;
  subject: string;
  before: unknown;
  after: unknown;
  detail: unknown;
}

interface AuditPage {
  page: number;
  pageSize: number;
  total: number;
  entries: AuditEntry[];
}

const FILTERS = ['user', 'action', 'subject', 'from', 'to'] as const;
type AuditFilter = (typeof FILTERS)[number];
const PAGE_SIZES = [25, 50, 100, 200];
const DEFAULT_PAGE_SIZE = 50;

interface AuditState {
  filters: Partial<Record<AuditFilter, string>>;
  page: number;
  pageSize: number;
}

function readState(params: URLSearchParams): AuditState {
  const filters: AuditState['filters'] = {};
  for (const key of FILTERS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return {
    filters,
    page: positiveInt(params.get('page'), 1),
    pageSize: positiveInt(params.get('pageSize'), DEFAULT_PAGE_SIZE, 1000),
  };
}

function stateParams(state: AuditState): Record<string, string | undefined> {
  return {
    tab: 'audit',
    ...state.filters,
    page: state.page === 1 ? undefined : String(state.page),
    pageSize: state.pageSize === DEFAULT_PAGE_SIZE ? undefined : String(state.pageSize),
  };
}

const actionLabel = (action: string): string =>
  (AUDIT_ACTIONS as readonly string[]).includes(action) ? t(`admin.audit.action.${action as AuditAction}`) : action;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string =>
  value === undefined ? '' : value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

/** The before and after of an entry: a field-by-field table when both are rows, else the JSON of each. */
function entryDetail(entry: AuditEntry): HTMLElement {
  const parts: HTMLElement[] = [];
  const { before, after } = entry;
  if (isObject(before) || isObject(after)) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    parts.push(
      element(
        'div',
        {},
        element('h4', {}, t('admin.audit.changes')),
        scrollBox(
          t('admin.audit.changes'),
          {},
          element(
            'table',
            { class: 'data-table compact audit-diff' },
            element(
              'thead',
              {},
              element(
                'tr',
                {},
                element('th', { scope: 'col' }, t('admin.audit.field')),
                element('th', { scope: 'col' }, t('admin.audit.before')),
                element('th', { scope: 'col' }, t('admin.audit.after')),
              ),
            ),
            element(
              'tbody',
              {},
              ...keys.map((key) => {
                const changed = before !== null && after !== null && JSON.stringify(b[key]) !== JSON.stringify(a[key]);
                return element(
                  'tr',
                  { 'data-field': key, ...(changed ? { 'data-changed': '' } : {}) },
                  element('th', { scope: 'row' }, key),
                  element('td', { class: changed ? 'changed' : '' }, before === null ? '—' : show(b[key])),
                  element('td', { class: changed ? 'changed' : '' }, after === null ? '—' : show(a[key])),
                );
              }),
            ),
          ),
        ),
        ...(before !== null && after !== null ? [element('p', { class: 'muted' }, t('admin.audit.changedMarked'))] : []),
      ),
    );
  } else if (before !== null || after !== null) {
    parts.push(
      element(
        'div',
        {},
        element('h4', {}, t('admin.audit.before')),
        element('pre', {}, JSON.stringify(before, null, 2)),
        element('h4', {}, t('admin.audit.after')),
        element('pre', {}, JSON.stringify(after, null, 2)),
      ),
    );
  }
  if (entry.detail !== null && entry.detail !== undefined) {
    parts.push(
      element('div', {}, element('h4', {}, t('admin.audit.detail')), element('pre', {}, JSON.stringify(entry.detail, null, 2))),
    );
  }
  if (parts.length === 0) parts.push(element('p', { class: 'muted' }, t('admin.audit.noDetail')));
  return element('div', { class: 'audit-detail' }, ...parts);
}

export function renderAuditTab(panel: HTMLElement, first: ViewContext, setState: (state: TabState) => void): TabHandle {
  let ctx = first;
  let state = readState(ctx.params);

  const root = element('section', { class: 'admin-audit' });
  const controls = {
    user: element('input', { type: 'email', id: 'audit-user', list: 'audit-users', autocomplete: 'off' }),
    action: element('select', { id: 'audit-action' }),
    subject: element('input', { type: 'text', id: 'audit-subject', autocomplete: 'off', placeholder: 'tech_transfer:USST/' }),
    from: element('input', { type: 'date', id: 'audit-from' }),
    to: element('input', { type: 'date', id: 'audit-to' }),
  };
  controls.action.append(
    element('option', { value: '' }, t('admin.audit.anyAction')),
    ...AUDIT_ACTIONS.map((a) => element('option', { value: a }, actionLabel(a))),
  );
  const users = element('datalist', { id: 'audit-users' });
  const apply = element('button', { type: 'submit', class: 'primary' }, t('admin.audit.apply'));
  const reset = element('button', { type: 'button', class: 'secondary' }, t('admin.audit.reset'));
  const filterField = (key: AuditFilter, control: HTMLElement) =>
    element('div', { class: 'form-field' }, element('label', { for: `audit-${key}` }, t(`admin.audit.filter.${key}`)), control);
  const form = element(
    'form',
    { class: 'audit-filters', role: 'search', 'aria-label': t('admin.audit.filters') },
    filterField('user', controls.user),
    filterField('action', controls.action),
    filterField('subject', controls.subject),
    filterField('from', controls.from),
    filterField('to', controls.to),
    element('div', { class: 'dialog-actions' }, apply, reset),
    users,
  );
  const totalLine = element('p', { class: 'records-total', 'aria-live': 'polite' });
  const status = element('div', { class: 'records-status' });
  const tableBox = scrollBox(t('admin.audit.title'));
  const pagerBox = element('div', { class: 'records-pager' });
  const results = element(
    'div',
    { class: 'records-results', 'data-state': 'loading', 'aria-busy': 'true' },
    element('div', { class: 'records-summary' }, totalLine),
    status,
    tableBox,
    pagerBox,
  );
  root.append(
    element('div', { class: 'admin-bar' }, element('h2', {}, t('admin.audit.title'))),
    element('p', { class: 'muted' }, t('admin.audit.intro')),
    form,
    results,
  );
  panel.append(root);
  const mark = (state: TabState) => {
    results.dataset.state = state;
    setState(state);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const filters: AuditState['filters'] = {};
    for (const key of FILTERS) {
      const value = controls[key].value.trim();
      if (value) filters[key] = value;
    }
    ctx.navigate('admin', stateParams({ ...state, filters, page: 1 }));
  });
  reset.addEventListener('click', () => ctx.navigate('admin', stateParams({ ...state, filters: {}, page: 1 })));

  // The accounts' emails, to pick from in the user filter.
  void request<{ users: User[] }>('GET', '/users', undefined, ctx.signal)
    .then(({ users: list }) => users.replaceChildren(...list.map((u) => element('option', { value: u.email }, u.name))))
    .catch(() => undefined);

  function sync(): void {
    for (const key of FILTERS) controls[key].value = state.filters[key] ?? '';
  }

  function table(answer: AuditPage): HTMLTableElement {
    const body = element('tbody');
    for (const entry of answer.entries) {
      const detailId = `audit-detail-${entry.id}`;
      const toggle = element(
        'button',
        {
          type: 'button',
          class: 'link-button',
          'aria-expanded': 'false',
          'aria-controls': detailId,
          'data-action': 'expand',
          'aria-label': t('admin.audit.showLabel', { id: String(entry.id) }),
        },
        t('admin.audit.show'),
      );
      const detailRow = element('tr', { class: 'audit-detail-row', id: detailId, hidden: '' }, element('td', { colspan: '6' }));
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        toggle.textContent = t(open ? 'admin.audit.hide' : 'admin.audit.show');
        if (open && !detailRow.firstElementChild!.hasChildNodes()) detailRow.firstElementChild!.append(entryDetail(entry));
        detailRow.hidden = !open;
      });
      const at = new Date(entry.at);
      body.append(
        element(
          'tr',
          { 'data-id': String(entry.id), 'data-action': entry.action },
          element(
            'td',
            { class: 'when', title: entry.at },
            element(
              'time',
              { datetime: entry.at },
              at.toLocaleString(locale(), {
                dateStyle: 'medium',
                timeStyle: 'medium',
                // The alliance's clock, as the report's times are.
                timeZone: 'Asia/Shanghai',
              }),
            ),
          ),
          element('td', {}, entry.user ?? '—'),
          element('td', {}, element('span', { class: 'action-badge' }, actionLabel(entry.action))),
          element('td', { class: 'subject' }, entry.subject),
          element('td', {}, entry.address ?? '—'),
          element('td', { class: 'actions' }, toggle),
        ),
        detailRow,
      );
    }
    return element(
      'table',
      { class: 'data-table audit-table' },
      element('caption', { class: 'visually-hidden' }, t('admin.audit.title')),
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          ...(['time', 'user', 'action', 'subject', 'address', 'detail'] as const).map((key) =>
            element('th', { scope: 'col' }, t(`admin.audit.col.${key}`)),
          ),
        ),
      ),
      body,
    );
  }

  function pageSizeControl(): HTMLElement {
    const select = element('select', { id: 'audit-page-size' });
    for (const size of [...new Set([...PAGE_SIZES, state.pageSize])].sort((a, b) => a - b)) {
      const option = element('option', { value: String(size) }, formatCount(size));
      option.selected = size === state.pageSize;
      select.append(option);
    }
    select.addEventListener('change', () =>
      ctx.navigate('admin', stateParams({ ...state, pageSize: Number(select.value), page: 1 })),
    );
    return element('div', { class: 'page-size' }, element('label', { for: 'audit-page-size' }, t('records.pager.size')), select);
  }

  async function load(): Promise<void> {
    const { signal } = ctx;
    const shown = state;
    mark('loading');
    results.setAttribute('aria-busy', 'true');
    let answer: AuditPage;
    try {
      answer = await request<AuditPage>(
        'GET',
        `/audit${query({ ...shown.filters, page: shown.page, pageSize: shown.pageSize })}`,
        undefined,
        signal,
      );
    } catch (error) {
      if (signal.aborted) return;
      mark('error');
      results.setAttribute('aria-busy', 'false');
      tableBox.replaceChildren();
      pagerBox.replaceChildren();
      totalLine.textContent = '';
      const details = error instanceof ApiError ? error.errors : [];
      status.replaceChildren(
        element(
          'div',
          { class: 'records-error', role: 'alert' },
          element('p', {}, t('state.error', { message: messageOf(error) })),
          ...details.map((d) => element('p', {}, d.path ? `${d.path.replace(/^query\./, '')}: ${d.message}` : d.message)),
        ),
      );
      return;
    }
    if (signal.aborted) return;
    const pages = Math.max(1, Math.ceil(answer.total / shown.pageSize));
    if (answer.entries.length === 0 && answer.total > 0 && shown.page > pages) {
      ctx.navigate('admin', stateParams({ ...shown, page: pages }), { replace: true });
      return;
    }
    status.replaceChildren();
    totalLine.dataset.total = String(answer.total);
    totalLine.textContent = t('admin.audit.total', { count: formatCount(answer.total) });
    results.setAttribute('aria-busy', 'false');
    if (answer.total === 0) {
      mark('empty');
      tableBox.replaceChildren();
      pagerBox.replaceChildren();
      status.replaceChildren(element('div', { class: 'records-empty' }, element('p', {}, t('admin.audit.empty'))));
      return;
    }
    tableBox.replaceChildren(table(answer));
    pagerBox.replaceChildren(
      renderPager(
        { page: shown.page, pageSize: shown.pageSize, total: answer.total },
        (page) => ctx.navigate('admin', stateParams({ ...shown, page })),
        t('admin.audit.pages'),
      ),
      pageSizeControl(),
    );
    mark('ready');
  }

  sync();
  void load();
  return {
    async update(next) {
      ctx = next;
      state = readState(ctx.params);
      sync();
      await load();
    },
  };
}
