import '../records.css';
import { ApiError, csvUrl, type Me, type Meta, query, request } from '../api';
import { element, scrollBox } from '../dom';
import { lang, pick, t } from '../i18n';
import type { RenderView, ViewContext } from '../view';
import {
  FILTER_DIMENSIONS,
  type FilterDimension,
  isKind,
  isNumeric,
  KIND_COLUMNS,
  KIND_NAMES,
  KINDS,
  type Kind,
  kindFilters,
  MAIN_DATE,
  SEARCH_COLUMN,
} from './records-columns';
import { openRecordForm, type RecordRow } from './records-form';
import { type FilterKey, Labels } from './records-labels';
import { openImportDialog } from './records-import';
import { confirmDialog, debounce, formatCount, messageOf, positiveInt, renderPager } from './records-ui';

/**
 * The records view: browse one kind of record through the filters, search, sort and page held
 * in the URL (so a chart's drill-down, a bookmark and the back button all land on the same
 * selection), download exactly that selection as CSV, and — for an administrator, or a steward
 * for its own university — create, edit, delete and import records.
 */

export const DEFAULT_PAGE_SIZE = 50;
const PAGE_SIZES = [25, 50, 100, 200];

interface RecordsPage {
  kind: Kind;
  page: number;
  pageSize: number;
  total: number;
  rows: RecordRow[];
}

type RangeKey = 'from' | 'to';
const CODE_FILTERS = new Set<FilterDimension>(['university', 'region', 'partner_university', 'partner_region', 'field']);

/** The view's state, read from the URL only. */
interface ListState {
  kind: Kind;
  filters: Map<FilterKey, string[]>;
  q: string;
  /**
   * The measure whose figure these records make (from a chart's drill-down): the period then
   * applies to that measure's own date (graduations by graduation day), and for a stock to the
   * projects held at its end, so the total equals the figure's record count.
   */
  measure: string | undefined;
  sort: string | undefined;
  page: number;
  pageSize: number;
}

/** A sort the records API takes (a column of the kind, `-` for descending); anything else is dropped. */
function sortOf(value: string | null, kind: Kind): string | undefined {
  if (!value) return undefined;
  const column = value.replace(/^-/, '');
  const known = ['id', 'created_at', 'updated_at', ...KIND_COLUMNS[kind].map((c) => c.name)];
  return known.includes(column) ? value : undefined;
}

function readState(params: URLSearchParams): ListState {
  const kind = params.get('kind');
  const filters = new Map<FilterKey, string[]>();
  for (const key of ['from', 'to'] as const) {
    const value = params.get(key)?.trim();
    if (value) filters.set(key, [value]);
  }
  for (const dimension of FILTER_DIMENSIONS) {
    const values = params
      .getAll(dimension)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean)
      // Codes are upper case (the API reads `usst` as USST); values of enumerations are lower case.
      .map((v) => (CODE_FILTERS.has(dimension) ? v.toUpperCase() : v));
    if (values.length > 0) filters.set(dimension, [...new Set(values)]);
  }
  return {
    kind: isKind(kind) ? kind : 'tech_transfer',
    filters,
    q: params.get('q')?.trim() ?? '',
    measure: /^[a-z_]+\.[a-z_]+$/.test(params.get('measure') ?? '') ? params.get('measure')! : undefined,
    sort: sortOf(params.get('sort'), isKind(kind) ? kind : 'tech_transfer'),
    page: positiveInt(params.get('page'), 1),
    pageSize: positiveInt(params.get('pageSize'), DEFAULT_PAGE_SIZE, 1000),
  };
}

/** The URL parameters of a state (defaults left out, so URLs stay short). */
function stateParams(state: ListState): URLSearchParams {
  const params = new URLSearchParams({ kind: state.kind });
  for (const [key, values] of state.filters) params.set(key, values.join(','));
  if (state.q) params.set('q', state.q);
  if (state.measure) params.set('measure', state.measure);
  if (state.sort) params.set('sort', state.sort);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(state.pageSize));
  return params;
}

/** The records API's query for a state: the filters, search and sort, and (for a page) paging. */
function apiParams(state: ListState, paged: boolean): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, values] of state.filters) params.set(key, values.join(','));
  if (state.q) params.set('q', state.q);
  if (state.measure) params.set('measure', state.measure);
  if (state.sort) params.set('sort', state.sort);
  if (paged) {
    params.set('page', String(state.page));
    params.set('pageSize', String(state.pageSize));
  }
  return params;
}

const canWrite = (me: Me): boolean => me.role === 'admin' || me.role === 'steward';
const mayEdit = (me: Me, row: RecordRow): boolean =>
  me.role === 'admin' || (me.role === 'steward' && row.university_code === me.university);

/** The options of a filter: codes and their labels. */
function filterOptions(labels: Labels, meta: Meta, dimension: FilterDimension): Array<{ code: string; label: string }> {
  switch (dimension) {
    case 'university':
    case 'partner_university':
      return meta.universities.map((u) => ({ code: u.code, label: `${u.code} · ${labels.university(u.code)}` }));
    case 'region':
    case 'partner_region':
      return meta.regions.map((r) => ({ code: r.code, label: labels.region(r.code) }));
    case 'field':
      return meta.fields.map((f) => ({ code: f.code, label: labels.field(f.code) }));
    default:
      return labels.options(dimension);
  }
}

class RecordsView {
  private ctx: ViewContext;
  private state: ListState;
  private labels: Labels;
  private builtKind: Kind | undefined;
  private lastPage: RecordsPage | undefined;
  private destroyed = false;
  /** Aborted when the view is left: uploads and dialogs live as long as the view, not one URL state. */
  private readonly lifetime = new AbortController();

  private readonly tabs = new Map<Kind, HTMLButtonElement>();
  private readonly panel: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly searchLabel: HTMLElement;
  private readonly filtersBox: HTMLDetailsElement;
  private readonly filtersBody: HTMLElement;
  private readonly chips: HTMLElement;
  private readonly totalLine: HTMLElement;
  private readonly download: HTMLAnchorElement;
  private readonly status: HTMLElement;
  /** What the last change did ("Saved …"), kept until the URL state changes. */
  private readonly notice: HTMLElement;
  private readonly results: HTMLElement;
  private readonly tableBox: HTMLElement;
  private readonly pagerBox: HTMLElement;
  private readonly announce: HTMLElement;
  private readonly searchTyping = debounce(() => this.applySearch({ replace: true }), 350);

  constructor(
    private readonly container: HTMLElement,
    ctx: ViewContext,
  ) {
    this.ctx = ctx;
    this.state = readState(ctx.params);
    this.labels = new Labels(ctx.meta);

    const tablist = element('div', { class: 'records-tabs', role: 'tablist', 'aria-label': t('records.kinds') });
    for (const kind of KINDS) {
      const tab = element(
        'button',
        { type: 'button', role: 'tab', id: `records-tab-${kind}`, 'aria-controls': 'records-panel', 'data-kind': kind },
        pick(KIND_NAMES[kind]),
      );
      tab.addEventListener('click', () => this.switchKind(kind));
      tab.addEventListener('keydown', (event) => this.onTabKey(event, kind));
      this.tabs.set(kind, tab);
      tablist.append(tab);
    }

    this.search = element('input', { type: 'search', id: 'records-search', autocomplete: 'off', maxlength: '100' });
    this.search.addEventListener('input', () => this.searchTyping.schedule());
    this.searchLabel = element('label', { for: 'records-search' });
    const searchForm = element(
      'form',
      { class: 'records-search', role: 'search' },
      this.searchLabel,
      element(
        'div',
        { class: 'search-row' },
        this.search,
        element('button', { type: 'submit', class: 'secondary' }, t('records.search.submit')),
      ),
    );
    searchForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.searchTyping.cancel();
      this.applySearch({ replace: false });
    });

    this.filtersBody = element('div', { class: 'filters-body' });
    this.filtersBox = element(
      'details',
      { class: 'records-filters' },
      element('summary', {}, t('records.filters.title')),
      this.filtersBody,
    );

    const actions = element('div', { class: 'records-actions' });
    if (canWrite(ctx.me)) {
      const create = element('button', { type: 'button', class: 'primary', 'data-action': 'new-record' }, t('records.new'));
      create.addEventListener('click', () => this.openForm(undefined));
      const importButton = element(
        'button',
        { type: 'button', class: 'secondary', 'data-action': 'import' },
        t('records.import.open'),
      );
      importButton.addEventListener('click', () => this.openImport());
      actions.append(create, importButton);
    }

    this.chips = element('div', { class: 'records-chips' });
    this.totalLine = element('p', { class: 'records-total', 'aria-live': 'polite' });
    this.download = element('a', { class: 'button-link', 'data-action': 'download-csv', download: '' }, t('records.download'));
    this.status = element('div', { class: 'records-status' });
    this.notice = element('div', { class: 'records-status records-notice' });
    // Named after the kind of record it shows, once a kind is chosen (see below).
    this.tableBox = scrollBox('');
    this.pagerBox = element('div', { class: 'records-pager' });
    this.results = element(
      'section',
      { class: 'records-results', 'data-state': 'loading', 'aria-busy': 'true' },
      element('div', { class: 'records-summary' }, this.totalLine, this.download),
      this.notice,
      this.status,
      this.tableBox,
      this.pagerBox,
    );
    this.announce = element('p', { class: 'visually-hidden', role: 'status' });
    this.panel = element(
      'div',
      { id: 'records-panel', role: 'tabpanel', class: 'records-panel' },
      element('div', { class: 'records-toolbar' }, searchForm, actions),
      this.filtersBox,
      this.chips,
      this.results,
    );

    container.replaceChildren(
      element('div', { class: 'records-head' }, element('h1', { tabindex: '-1' }, t('records.title')), this.roleNote()),
      tablist,
      this.panel,
      this.announce,
    );
  }

  private roleNote(): HTMLElement {
    const { me } = this.ctx;
    const text =
      me.role === 'steward'
        ? t('records.scope.steward', { university: me.university ? this.labels.university(me.university) : '' })
        : me.role === 'leadership'
          ? t('records.scope.readOnly')
          : t('records.scope.admin');
    return element('p', { class: 'muted' }, text);
  }

  async update(ctx: ViewContext): Promise<void> {
    this.ctx = ctx;
    this.state = readState(ctx.params);
    this.notice.replaceChildren();
    if (this.state.kind !== this.builtKind) this.buildKind();
    this.syncControls();
    await this.load();
  }

  destroy(): void {
    this.destroyed = true;
    this.searchTyping.cancel();
    this.lifetime.abort();
  }

  private navigate(state: ListState, options: { replace?: boolean } = {}): void {
    this.ctx.navigate('records', stateParams(state), options);
  }

  private with(changes: Partial<ListState>): ListState {
    return { ...this.state, filters: new Map(this.state.filters), ...changes };
  }

  // --- kind tabs -------------------------------------------------------------------------

  private switchKind(kind: Kind): void {
    if (kind === this.state.kind) return;
    // Keep the filters the new kind has too; a sort column may not exist there.
    const allowed = new Set<FilterKey>(['from', 'to', ...kindFilters(this.ctx.meta, kind)]);
    const filters = new Map([...this.state.filters].filter(([key]) => allowed.has(key)));
    this.navigate({ ...this.state, kind, filters, measure: undefined, sort: undefined, page: 1 });
  }

  private onTabKey(event: KeyboardEvent, kind: Kind): void {
    const index = KINDS.indexOf(kind);
    const next =
      event.key === 'ArrowRight'
        ? KINDS[(index + 1) % KINDS.length]
        : event.key === 'ArrowLeft'
          ? KINDS[(index + KINDS.length - 1) % KINDS.length]
          : event.key === 'Home'
            ? KINDS[0]
            : event.key === 'End'
              ? KINDS[KINDS.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    this.tabs.get(next)?.focus();
    this.switchKind(next);
  }

  /** Builds what depends on the kind: the filter controls and the search label. */
  private buildKind(): void {
    const kind = this.state.kind;
    this.builtKind = kind;
    this.lastPage = undefined;
    this.tableBox.replaceChildren();
    this.tableBox.setAttribute('aria-label', pick(KIND_NAMES[kind]));
    const searchColumn = KIND_COLUMNS[kind].find((c) => c.name === SEARCH_COLUMN[kind])!;
    const column = pick(searchColumn.label);
    // A kind searched by its reference alone (capacity snapshots) says just that.
    this.searchLabel.textContent =
      searchColumn.name === 'ref'
        ? t('records.search.refOnly')
        : t('records.search.label', { column: lang() === 'en' ? column.toLowerCase() : column });

    const dateColumn = KIND_COLUMNS[kind].find((c) => c.name === MAIN_DATE[kind])!;
    const from = element('input', { type: 'date', id: 'records-from', 'data-filter': 'from' });
    const to = element('input', { type: 'date', id: 'records-to', 'data-filter': 'to' });
    for (const input of [from, to]) {
      input.addEventListener('change', () => {
        const key = input.dataset.filter as RangeKey;
        const filters = new Map(this.state.filters);
        if (input.value) filters.set(key, [input.value]);
        else filters.delete(key);
        this.navigate({ ...this.state, filters, page: 1 });
      });
    }
    const period = element(
      'fieldset',
      { class: 'filter-group filter-period' },
      element('legend', {}, t('records.filters.period', { column: pick(dateColumn.label) })),
      element('label', { for: 'records-from' }, t('records.filter.from')),
      from,
      element('label', { for: 'records-to' }, t('records.filter.to')),
      to,
    );

    const groups = kindFilters(this.ctx.meta, kind)
      // A steward's records are its own university's: there is nothing to choose.
      .filter((d) => !(d === 'university' && this.ctx.me.role === 'steward'))
      .map((dimension) => {
        const group = element(
          'fieldset',
          { class: 'filter-group', 'data-dimension': dimension },
          element('legend', {}, this.labels.dimension(dimension)),
        );
        for (const option of filterOptions(this.labels, this.ctx.meta, dimension)) {
          const box = element('input', { type: 'checkbox', value: option.code, 'data-filter': dimension });
          box.addEventListener('change', () => this.toggleFilter(dimension, option.code, box.checked));
          group.append(element('label', { class: 'filter-check' }, box, element('span', {}, option.label)));
        }
        return group;
      });
    this.filtersBody.replaceChildren(period, ...groups);
  }

  private toggleFilter(dimension: FilterDimension, code: string, on: boolean): void {
    const filters = new Map(this.state.filters);
    const values = new Set(filters.get(dimension) ?? []);
    if (on) values.add(code);
    else values.delete(code);
    if (values.size > 0) filters.set(dimension, [...values]);
    else filters.delete(dimension);
    this.navigate({ ...this.state, filters, page: 1 });
  }

  /** Makes the controls show the URL's state (the URL is the only source of truth). */
  private syncControls(): void {
    for (const [kind, tab] of this.tabs) {
      const selected = kind === this.state.kind;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    this.panel.setAttribute('aria-labelledby', `records-tab-${this.state.kind}`);
    if (document.activeElement !== this.search && this.search.value.trim() !== this.state.q) this.search.value = this.state.q;
    for (const input of this.filtersBody.querySelectorAll<HTMLInputElement>('input[data-filter]')) {
      const key = input.dataset.filter as FilterKey;
      const values = this.state.filters.get(key) ?? [];
      if (input.type === 'checkbox') input.checked = values.includes(input.value);
      else input.value = values[0] ?? '';
    }
    this.renderChips();
    this.download.href = csvUrl(`/records/${this.state.kind}`, apiParams(this.state, false), lang());
  }

  private applySearch(options: { replace: boolean }): void {
    if (this.destroyed) return;
    const q = this.search.value.trim();
    if (q === this.state.q) return;
    this.navigate(this.with({ q, page: 1 }), options);
  }

  private renderChips(): void {
    const chips: HTMLElement[] = [];
    const chip = (key: string, text: string, remove: () => void) => {
      const button = element(
        'button',
        { type: 'button', class: 'chip', 'data-chip': key, 'aria-label': t('records.chip.remove', { filter: text }) },
        element('span', {}, text),
        element('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'),
      );
      button.addEventListener('click', remove);
      chips.push(element('li', {}, button));
    };
    for (const [key, values] of this.state.filters) {
      const name = key === 'from' || key === 'to' ? t(`records.filter.${key}`) : this.labels.dimension(key);
      for (const value of values) {
        chip(`${key}=${value}`, t('records.chip.text', { name, value: this.labels.filterValue(key, value) }), () => {
          const filters = new Map(this.state.filters);
          const rest = values.filter((v) => v !== value);
          if (rest.length > 0) filters.set(key, rest);
          else filters.delete(key);
          this.navigate({ ...this.state, filters, page: 1 });
        });
      }
    }
    const measure = this.ctx.meta.measures.find((m) => m.id === this.state.measure);
    if (this.state.measure) {
      chip('measure', t('records.chip.measure', { name: measure ? pick(measure.name) : this.state.measure }), () =>
        this.navigate({ ...this.state, measure: undefined, page: 1 }),
      );
    }
    if (this.state.q) {
      chip('q', t('records.chip.text', { name: t('records.chip.search'), value: this.state.q }), () => {
        this.search.value = '';
        this.navigate(this.with({ q: '', page: 1 }));
      });
    }
    if (chips.length === 0) {
      this.chips.replaceChildren();
      return;
    }
    const clear = element(
      'button',
      { type: 'button', class: 'link-button', 'data-action': 'clear-filters' },
      t('records.chip.clear'),
    );
    clear.addEventListener('click', () => {
      this.search.value = '';
      this.navigate({ ...this.state, filters: new Map(), q: '', measure: undefined, page: 1 });
    });
    this.chips.replaceChildren(
      element('span', { class: 'chips-label', id: 'records-chips-label' }, t('records.chip.label')),
      element('ul', { class: 'chips', 'aria-labelledby': 'records-chips-label' }, ...chips),
      ...(chips.length > 1 ? [clear] : []),
    );
  }

  // --- loading and the table --------------------------------------------------------------

  private setState(state: 'loading' | 'ready' | 'empty' | 'error'): void {
    // On the view's root too: that is where the app (and its browser tests) read a view's state.
    this.container.dataset.state = state;
    this.results.dataset.state = state;
    this.results.setAttribute('aria-busy', String(state === 'loading'));
  }

  /** Fetches the page the URL names and draws it. */
  async load(): Promise<void> {
    const { signal } = this.ctx;
    const state = this.state;
    this.setState('loading');
    if (!this.lastPage) this.status.replaceChildren(element('p', { class: 'state' }, t('state.loading')));
    let answer: RecordsPage;
    try {
      answer = await request<RecordsPage>('GET', `/records/${state.kind}${query(apiParams(state, true))}`, undefined, signal);
    } catch (error) {
      if (signal.aborted || this.destroyed) return;
      this.showError(error);
      return;
    }
    if (signal.aborted || this.destroyed) return;
    const pages = Math.max(1, Math.ceil(answer.total / state.pageSize));
    if (answer.rows.length === 0 && answer.total > 0 && state.page > pages) {
      // The page is past the end (records were deleted, or the URL was edited): show the last one.
      this.navigate({ ...state, page: pages }, { replace: true });
      return;
    }
    this.lastPage = answer;
    this.status.replaceChildren();
    this.totalLine.dataset.total = String(answer.total);
    this.totalLine.textContent = t(answer.total === 1 ? 'records.total.one' : 'records.total', {
      count: formatCount(answer.total),
    });
    if (answer.total === 0) {
      this.setState('empty');
      this.tableBox.replaceChildren();
      this.tableBox.hidden = true;
      this.pagerBox.replaceChildren();
      this.status.replaceChildren(
        element(
          'div',
          { class: 'records-empty' },
          element('p', {}, t('records.empty')),
          element(
            'p',
            { class: 'muted' },
            state.filters.size > 0 || state.q ? t('records.empty.filtered') : t('records.empty.none'),
          ),
        ),
      );
      return;
    }
    this.tableBox.hidden = false;
    this.tableBox.replaceChildren(this.table(answer));
    this.pagerBox.replaceChildren(
      renderPager(
        { page: state.page, pageSize: state.pageSize, total: answer.total },
        (page) => this.navigate(this.with({ page })),
        t('records.pager.label'),
      ),
      this.pageSizeControl(),
    );
    this.setState('ready');
  }

  private showError(error: unknown): void {
    this.setState('error');
    this.lastPage = undefined;
    this.tableBox.replaceChildren();
    this.pagerBox.replaceChildren();
    this.totalLine.textContent = '';
    delete this.totalLine.dataset.total;
    const retry = element('button', { type: 'button', class: 'secondary' }, t('state.retry'));
    retry.addEventListener('click', () => void this.load());
    const details = error instanceof ApiError ? error.errors : [];
    this.status.replaceChildren(
      element(
        'div',
        { class: 'records-error', role: 'alert' },
        element('p', {}, t('state.error', { message: messageOf(error) })),
        ...(details.length > 0
          ? [
              element(
                'ul',
                {},
                ...details.map((d) => element('li', {}, d.path ? `${d.path.replace(/^query\./, '')}: ${d.message}` : d.message)),
              ),
            ]
          : []),
        retry,
      ),
    );
  }

  private table(answer: RecordsPage): HTMLTableElement {
    const kind = this.state.kind;
    const columns = KIND_COLUMNS[kind];
    const sort = this.state.sort ?? `-${MAIN_DATE[kind]}`;
    const sortColumn = sort.replace(/^-/, '');
    const descending = sort.startsWith('-');
    const writable = canWrite(this.ctx.me);

    const head = element('tr');
    for (const column of columns) {
      const sorted = column.name === sortColumn;
      const th = element('th', {
        scope: 'col',
        'data-column': column.name,
        class: `col-${column.type}${isNumeric(column) ? ' numeric' : ''}`,
      });
      if (sorted) th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      const button = element(
        'button',
        { type: 'button', class: 'sort-button', 'data-sort': column.name },
        pick(column.label),
        element('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (descending ? ' ▼' : ' ▲') : ' ↕'),
      );
      button.title = t('records.sort.hint');
      button.addEventListener('click', () => {
        const next = sorted && !descending ? `-${column.name}` : column.name;
        this.navigate(this.with({ sort: next, page: 1 }));
      });
      th.append(button);
      head.append(th);
    }
    if (writable) head.append(element('th', { scope: 'col', class: 'actions' }, t('records.actions')));

    const body = element('tbody');
    for (const row of answer.rows) {
      const tr = element('tr', { 'data-id': String(row.id) });
      for (const column of columns) {
        const raw = row[column.name];
        const attributes: Record<string, string> = {
          'data-column': column.name,
          'data-value': raw === null || raw === undefined ? '' : String(raw),
          class: `col-${column.type}${isNumeric(column) ? ' numeric' : ''}`,
        };
        const cell = column.name === 'ref' ? element('th', { ...attributes, scope: 'row' }) : element('td', attributes);
        const code = column.type === 'code' || column.type === 'optional_code' ? String(raw ?? '') : '';
        if (code && column.domain === 'university' && lang() === 'en') {
          // The English names run to fifty characters: the alliance's own short codes, named on hover and to screen readers.
          cell.append(element('abbr', { title: this.labels.university(code) }, code));
        } else {
          if (code) cell.title = code;
          cell.textContent = this.labels.cell(column, raw);
        }
        tr.append(cell);
      }
      if (writable) {
        const cell = element('td', { class: 'actions' });
        if (mayEdit(this.ctx.me, row)) {
          const edit = element(
            'button',
            {
              type: 'button',
              class: 'link-button',
              'data-action': 'edit',
              'aria-label': t('records.edit.label', { ref: String(row.ref) }),
            },
            t('records.edit'),
          );
          edit.addEventListener('click', () => this.openForm(row));
          const remove = element(
            'button',
            {
              type: 'button',
              class: 'link-button danger-link',
              'data-action': 'delete',
              'aria-label': t('records.delete.label', { ref: String(row.ref) }),
            },
            t('records.delete'),
          );
          remove.addEventListener('click', () => void this.deleteRecord(row));
          cell.append(edit, remove);
        }
        tr.append(cell);
      }
      body.append(tr);
    }
    return element(
      'table',
      { class: 'data-table records-table', 'data-kind': kind },
      element('caption', { class: 'visually-hidden' }, `${pick(KIND_NAMES[kind])} — ${this.totalLine.textContent ?? ''}`),
      element('thead', {}, head),
      body,
    );
  }

  private pageSizeControl(): HTMLElement {
    const select = element('select', { id: 'records-page-size' });
    const sizes = [...new Set([...PAGE_SIZES, this.state.pageSize])].sort((a, b) => a - b);
    for (const size of sizes) {
      const option = element('option', { value: String(size) }, formatCount(size));
      if (size === this.state.pageSize) option.selected = true;
      select.append(option);
    }
    select.addEventListener('change', () => this.navigate(this.with({ pageSize: Number(select.value), page: 1 })));
    return element(
      'div',
      { class: 'page-size' },
      element('label', { for: 'records-page-size' }, t('records.pager.size')),
      select,
    );
  }

  // --- changes ----------------------------------------------------------------------------

  private say(message: string, action?: { label: string; run(): void }): void {
    this.announce.textContent = message;
    const note = element('p', { class: 'records-note', role: 'status' }, message);
    if (action) {
      const button = element('button', { type: 'button', class: 'link-button', 'data-action': 'show-saved' }, action.label);
      button.addEventListener('click', action.run);
      note.append(' ', button);
    }
    this.notice.replaceChildren(note);
  }

  private openForm(row: RecordRow | undefined): void {
    openRecordForm(this.container, {
      kind: this.state.kind,
      meta: this.ctx.meta,
      me: this.ctx.me,
      labels: this.labels,
      record: row,
      onSaved: (saved, created) => {
        const ref = String(saved.ref);
        // A new record may sort onto another page, or fall outside the filters: offer to show it.
        const show = {
          label: t('records.saved.show', { ref }),
          run: () => this.navigate({ ...this.state, filters: new Map(), q: ref, sort: undefined, page: 1 }),
        };
        void this.load().then(() =>
          this.say(t(created ? 'records.saved.created' : 'records.saved.updated', { ref }), created ? show : undefined),
        );
      },
    });
  }

  private async deleteRecord(row: RecordRow): Promise<void> {
    const kind = this.state.kind;
    const ref = String(row.ref);
    const confirmed = await confirmDialog(this.container, {
      title: t('records.delete.title'),
      message: t('records.delete.message', { kind: pick(KIND_NAMES[kind]), ref, university: String(row.university_code) }),
      confirm: t('records.delete.confirm'),
      danger: true,
    });
    if (!confirmed || this.destroyed) return;
    try {
      await request<void>('DELETE', `/records/${kind}/${row.id}`);
    } catch (error) {
      this.notice.replaceChildren(
        element('p', { class: 'records-error', role: 'alert' }, t('records.delete.failed', { message: messageOf(error) })),
      );
      return;
    }
    await this.load();
    this.say(t('records.deleted', { ref }));
  }

  private openImport(): void {
    openImportDialog(this.container, {
      kind: this.state.kind,
      me: this.ctx.me,
      labels: this.labels,
      signal: this.lifetime.signal,
      onApplied: () => void this.load(),
    });
  }
}

export const renderRecords: RenderView = async (container, ctx) => {
  if (ctx.me.role === 'commission') {
    // The router never shows this view to the commission; if it is reached anyway, it shows no records.
    container.dataset.state = 'error';
    container.replaceChildren(
      element('h1', {}, t('records.title')),
      element('p', { class: 'state error', role: 'alert' }, t('records.forbidden')),
    );
    return;
  }
  const view = new RecordsView(container, ctx);
  await view.update(ctx);
  return { update: (next) => view.update(next), destroy: () => view.destroy() };
};
