import '../records.css';
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { FILTER_DIMENSIONS, type FilterDimension } from '../../contract/dimension-ids';
import { FACT_KINDS, type FactKind } from '../../contract/enums';
import {
  type ColumnSpec,
  isNumericColumn,
  KIND_COLUMNS,
  KIND_NAMES,
  MAIN_DATE,
  SEARCH_COLUMNS,
} from '../../contract/record-columns';
import { csvUrl, type Me, type Meta, call, endpoints, hrefOf } from '../api';
import { xlsxOf } from '../lib/downloads';
import { debounce } from '../dom';
import { lang, pick, t } from '../i18n';
import { formatInTableUnit, formatValue, tableUnit, withTableUnit } from '../lib/format';
import { confirmDialog, messageOf, requestProblems } from '../lib/form-dialog';
import { DEFAULT_PAGE_SIZE, formatCount, pagedTable, pager } from '../lib/paged-table';
import { type Paging, readPaging, writePaging } from '../lib/paging';
import { tabList } from '../lib/tabs';
import { loadingNote, type Notice, noticeLine, refuse, setViewState } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';

import type { RecordsPage } from '../../contract/schemas/records';
import type { ClosedPeriod } from '../../contract/schemas/cycle';
import { PERIOD_STATUS_LABELS } from '../../contract/reporting-periods';
import { openRecordForm, type RecordRow } from './records-form';
import { openImportDialog } from './records-import';
import { type FilterKey, Labels } from './records-labels';

/**
 * The records view: browse one kind of record through the filters, search, sort and page held
 * in the URL (so a chart's drill-down, a bookmark and the back button all land on the same
 * selection), download exactly that selection as CSV, and — for an administrator, or a steward
 * for its own university — create, edit, delete and import records. It renders from the URL's
 * state in place: the controls keep their nodes, so the focus stays where it is.
 */

const isKind = (value: string | null): value is FactKind => (FACT_KINDS as readonly string[]).includes(value ?? '');

/** The column the search box names: the one besides the reference (capacity snapshots have only the reference). */
const searchColumn = (kind: FactKind): ColumnSpec => KIND_COLUMNS[kind].find((c) => c.name === SEARCH_COLUMNS[kind].at(-1))!;

/** The filters a kind's records take: the filter dimensions its measures have, as `/meta` says. */
function kindFilters(meta: Meta, kind: FactKind): FilterDimension[] {
  const dimensions = new Set(meta.measures.filter((m) => m.kind === kind).flatMap((m) => m.dimensions));
  return FILTER_DIMENSIONS.filter((d) => dimensions.has(d));
}

const CODE_FILTERS = new Set<FilterDimension>(['university', 'region', 'partner_university', 'partner_region', 'field']);

/** The view's state, read from the URL only. */
interface ListState extends Paging {
  kind: FactKind;
  filters: Map<FilterKey, string[]>;
  q: string;
  /**
   * The measure whose figure these records make (from a chart's drill-down): the period then
   * applies to that measure's own date (graduations by graduation day), and for a stock to the
   * projects held at its end, so the total equals the figure's record count.
   */
  measure: string | undefined;
}

function readState(params: URLSearchParams): ListState {
  const kind = isKind(params.get('kind')) ? (params.get('kind') as FactKind) : 'tech_transfer';
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
  const measure = params.get('measure') ?? '';
  return {
    kind,
    filters,
    q: params.get('q')?.trim() ?? '',
    measure: /^[a-z_]+\.[a-z_]+$/.test(measure) ? measure : undefined,
    ...readPaging(params, {
      defaultPageSize: DEFAULT_PAGE_SIZE,
      sortable: ['id', 'created_at', 'updated_at', ...KIND_COLUMNS[kind].map((c) => c.name)],
    }),
  };
}

/** The selection's parameters: the filters, search and measure (the API's and the URL's alike). */
function selection(state: ListState, params = new URLSearchParams()): URLSearchParams {
  for (const [key, values] of state.filters) params.set(key, values.join(','));
  if (state.q) params.set('q', state.q);
  if (state.measure) params.set('measure', state.measure);
  return params;
}

const stateParams = (state: ListState) =>
  writePaging(selection(state, new URLSearchParams({ kind: state.kind })), state, DEFAULT_PAGE_SIZE);

function apiParams(state: ListState, paged: boolean): URLSearchParams {
  const params = selection(state);
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
const columnClass = (c: ColumnSpec) => `col-${c.type}${isNumericColumn(c) ? ' numeric' : ''}`;

class RecordsView {
  private state: ListState;
  private readonly labels: Labels;
  private answer: RecordsPage | undefined;
  /** The approved periods the page's records fall in: their records are closed to changes. */
  private closed: ClosedPeriod[] = [];
  private error: unknown;
  /** What the last change did ("Saved …"), kept until the URL state changes. */
  private notice: Notice | undefined;
  private announce = '';
  /** Aborted when the view is left: uploads and dialogs live as long as the view, not one URL state. */
  private readonly lifetime = new AbortController();
  private readonly searchTyping = debounce(() => this.applySearch(true), 350);

  constructor(
    private readonly container: HTMLElement,
    private ctx: ViewContext,
  ) {
    this.state = readState(ctx.params);
    this.labels = new Labels(ctx.meta);
  }

  async update(ctx: ViewContext): Promise<void> {
    const kind = this.state.kind;
    this.ctx = ctx;
    this.state = readState(ctx.params);
    this.notice = undefined;
    if (this.state.kind !== kind) this.answer = undefined;
    await this.load();
  }

  destroy(): void {
    this.searchTyping.cancel();
    this.lifetime.abort();
  }

  private navigate(changes: Partial<ListState>, options: { replace?: boolean } = {}): void {
    const page = changes.page ?? 1;
    this.ctx.navigate('records', stateParams({ ...this.state, ...changes, page }), options);
  }

  private setFilter(key: FilterKey, values: string[]): void {
    const filters = new Map(this.state.filters);
    if (values.length > 0) filters.set(key, values);
    else filters.delete(key);
    this.navigate({ filters });
  }

  private switchKind(kind: FactKind): void {
    if (kind === this.state.kind) return;
    // Keep the filters the new kind has too; a sort column may not exist there.
    const allowed = new Set<FilterKey>(['from', 'to', ...kindFilters(this.ctx.meta, kind)]);
    const filters = new Map([...this.state.filters].filter(([key]) => allowed.has(key)));
    this.navigate({ kind, filters, measure: undefined, sort: undefined });
  }

  private applySearch(replace: boolean): void {
    const q = this.container.querySelector<HTMLInputElement>('#records-search')?.value.trim() ?? '';
    if (!this.lifetime.signal.aborted && q !== this.state.q) this.navigate({ q }, { replace });
  }

  /** Fetches the page the URL names and draws it. */
  async load(): Promise<void> {
    const { signal } = this.ctx;
    const state = this.state;
    const gone = () => signal.aborted || this.lifetime.signal.aborted;
    this.error = undefined;
    setViewState(this.container, 'loading');
    this.draw();
    let answer: RecordsPage;
    try {
      answer = await call(endpoints.records, { params: { kind: state.kind }, search: apiParams(state, true), signal });
      this.closed = await this.closedPeriods(answer, signal);
    } catch (error) {
      if (gone()) return;
      this.answer = undefined;
      this.error = error;
      setViewState(this.container, 'error');
      this.draw();
      return;
    }
    if (gone()) return;
    const pages = Math.max(1, Math.ceil(answer.total / state.pageSize));
    if (answer.rows.length === 0 && answer.total > 0 && state.page > pages) {
      // The page is past the end (records were deleted, or the URL was edited): show the last one.
      this.navigate({ page: pages }, { replace: true });
      return;
    }
    this.answer = answer;
    setViewState(this.container, answer.total === 0 ? 'empty' : 'ready');
    this.draw();
  }

  /**
   * The approved periods over the days of the page's records (one small request): a record dated in
   * one is marked closed, and its edit and delete are offered no more. The server refuses them
   * anyway (409); without this list the page still works, only unmarked.
   */
  private async closedPeriods(answer: RecordsPage, signal: AbortSignal): Promise<ClosedPeriod[]> {
    const days = answer.rows
      .map((row) => this.dayOf(row))
      .filter((d): d is string => d !== null)
      .sort();
    if (days.length === 0) return [];
    try {
      const { periods } = await call(endpoints.closedPeriods, { query: { from: days[0]!, to: days.at(-1)! }, signal });
      return periods;
    } catch {
      return [];
    }
  }

  private dayOf(row: RecordRow): string | null {
    const day = row[MAIN_DATE[this.state.kind]];
    return typeof day === 'string' ? day : null;
  }

  /** The approved period a record is dated in, if any. */
  private closedFor(row: RecordRow): ClosedPeriod | undefined {
    const day = this.dayOf(row);
    return day === null
      ? undefined
      : this.closed.find((p) => p.university === row.university_code && p.from <= day && day <= p.to);
  }

  private say(text: string, action?: TemplateResult): void {
    this.announce = text;
    this.notice = { text, action };
    this.draw();
  }

  private openForm(record: RecordRow | undefined): void {
    const { meta, me } = this.ctx;
    openRecordForm(this.container, {
      kind: this.state.kind,
      meta,
      me,
      labels: this.labels,
      record,
      onSaved: (saved, created) => {
        const ref = String(saved.ref);
        // A new record may sort onto another page, or fall outside the filters: offer to show it.
        const show = html` <button type="button" class="link-button" data-action="show-saved"
          @click=${() => this.navigate({ filters: new Map(), q: ref, measure: undefined, sort: undefined })}>${t('records.saved.show', { ref })}</button>`;
        void this.load().then(() =>
          this.say(t(created ? 'records.saved.created' : 'records.saved.updated', { ref }), created ? show : undefined),
        );
      },
    });
  }

  private async deleteRecord(row: RecordRow): Promise<void> {
    const { kind } = this.state;
    const ref = String(row.ref);
    const confirmed = await confirmDialog(this.container, {
      title: t('records.delete.title'),
      message: t('records.delete.message', { kind: pick(KIND_NAMES[kind]), ref, university: String(row.university_code) }),
      confirm: t('records.delete'),
      danger: true,
    });
    if (!confirmed || this.lifetime.signal.aborted) return;
    try {
      await call(endpoints.deleteRecord, { params: { kind, id: row.id } });
    } catch (error) {
      this.notice = { text: t('records.delete.failed', { message: messageOf(error) }), error: true };
      this.draw();
      return;
    }
    await this.load();
    this.say(t('records.deleted', { ref }));
    // The row and its button are gone: the keyboard goes to the records' heading, not to the page.
    this.container.querySelector<HTMLElement>('.records-head h1')?.focus();
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

  private draw(): void {
    render(this.template(), this.container);
  }

  // --- templates ---------------------------------------------------------------------------

  private template() {
    const { me } = this.ctx;
    const { kind } = this.state;
    const scope =
      me.role === 'steward'
        ? t('records.scope.steward', { university: me.university ? this.labels.university(me.university) : '' })
        : t(me.role === 'leadership' ? 'records.scope.readOnly' : 'records.scope.admin');
    return html`<div class="records-head"><h1 tabindex="-1">${t('records.title')}</h1><p class="muted">${scope}</p></div>
      ${tabList({ id: 'records', label: t('records.kinds'), tabs: FACT_KINDS, selected: kind, name: (k) => pick(KIND_NAMES[k]), go: (k) => this.switchKind(k) })}
      <div id="records-panel" role="tabpanel" class="records-panel" aria-labelledby="records-tab-${kind}">
        <div class="records-toolbar">${this.searchForm()}<div class="records-actions">${
          canWrite(me)
            ? html`<button type="button" class="primary" data-action="new-record" @click=${() => this.openForm(undefined)}>${t('records.new')}</button>
                <button type="button" class="secondary" data-action="import" @click=${() => this.openImport()}>${t('records.import.open')}</button>
                ${this.templateLinks()}`
            : nothing
        }</div></div>
        <details class="records-filters"><summary>${t('filters.label')}</summary>
          <div class="filters-body">${this.filterControls()}</div>
        </details>
        <div class="records-chips">${this.chips()}</div>
        ${this.results()}
      </div>
      <p class="visually-hidden" role="status">${this.announce}</p>`;
  }

  /** The empty file of the kind to fill in and import, in the interface's language: a workbook, or the CSV header. */
  private templateLinks() {
    const { kind } = this.state;
    const csv = hrefOf(endpoints.importTemplate, { params: { kind }, query: { format: 'csv', lang: lang() } });
    return html`<span class="records-template" title=${t('records.template.hint')}>
      <a class="button-link" data-action="template-xlsx" download href=${xlsxOf(csv)}>${t('records.template.xlsx')}</a>
      <a class="button-link" data-action="template-csv" download href=${csv}>${t('records.template.csv')}</a>
    </span>`;
  }

  private searchForm() {
    const column = searchColumn(this.state.kind);
    const name = pick(column.label);
    // A kind searched by its reference alone (capacity snapshots) says just that.
    const label =
      column.name === 'ref'
        ? t('records.search.refOnly')
        : t('records.search.label', { column: lang() === 'en' ? name.toLowerCase() : name });
    // While the person types, the box keeps what they typed; otherwise it shows the URL's search.
    const box = this.container.querySelector<HTMLInputElement>('#records-search');
    const value = box && document.activeElement === box ? box.value : this.state.q;
    const submit = (event: Event) => {
      event.preventDefault();
      this.searchTyping.cancel();
      this.applySearch(false);
    };
    return html`<form class="records-search" role="search" @submit=${submit}>
      <label for="records-search">${label}</label>
      <div class="search-row">
        <input type="search" id="records-search" autocomplete="off" maxlength="100" .value=${value}
          @input=${() => this.searchTyping.schedule()} />
        <button type="submit" class="secondary">${t('records.search.submit')}</button>
      </div>
    </form>`;
  }

  private filterControls() {
    const { kind, filters } = this.state;
    const date = KIND_COLUMNS[kind].find((c) => c.name === MAIN_DATE[kind])!;
    const day = (key: 'from' | 'to') =>
      html`<label for="records-${key}">${t(`records.filter.${key}`)}</label>
        <input type="date" id="records-${key}" data-filter=${key} .value=${live(filters.get(key)?.[0] ?? '')}
          @change=${(e: Event) => {
            const { value } = e.target as HTMLInputElement;
            // A year still being typed (0002, 0020, 0202 on the way to 2024) is no date anyone means.
            if (!value.startsWith('0')) this.setFilter(key, value ? [value] : []);
          }} />`;
    const group = (dimension: FilterDimension) => {
      const chosen = filters.get(dimension) ?? [];
      const toggle = (code: string, on: boolean) =>
        this.setFilter(dimension, on ? [...chosen, code] : chosen.filter((c) => c !== code));
      return html`<fieldset class="filter-group" data-dimension=${dimension}>
        <legend>${this.labels.dimension(dimension)}</legend>
        ${this.labels.filterOptions(dimension).map(
          (o) => html`<label class="filter-check"><input type="checkbox" value=${o.code} data-filter=${dimension}
            .checked=${live(chosen.includes(o.code))}
            @change=${(e: Event) => toggle(o.code, (e.target as HTMLInputElement).checked)} /><span>${o.label}</span></label>`,
        )}
      </fieldset>`;
    };
    return html`<fieldset class="filter-group filter-period">
        <legend>${t('records.filters.period', { column: pick(date.label) })}</legend>${day('from')}${day('to')}
      </fieldset>
      ${kindFilters(this.ctx.meta, kind)
        // A steward's records are its own university's: there is nothing to choose.
        .filter((d) => !(d === 'university' && this.ctx.me.role === 'steward'))
        .map(group)}`;
  }

  private chips() {
    const { filters, measure, q } = this.state;
    const chip = (key: string, text: string, remove: () => void) =>
      html`<li><button type="button" class="chip" data-chip=${key} aria-label=${t('records.chip.remove', { filter: text })}
        @click=${remove}><span>${text}</span><span class="chip-x" aria-hidden="true">×</span></button></li>`;
    const list = [...filters].flatMap(([key, values]) => {
      const name = key === 'from' || key === 'to' ? t(`records.filter.${key}`) : this.labels.dimension(key);
      return values.map((value) =>
        chip(`${key}=${value}`, t('records.chip.text', { name, value: this.labels.filterValue(key, value) }), () =>
          this.setFilter(
            key,
            values.filter((v) => v !== value),
          ),
        ),
      );
    });
    if (measure) {
      const found = this.ctx.meta.measures.find((m) => m.id === measure);
      list.push(
        chip('measure', t('records.chip.measure', { name: found ? pick(found.name) : measure }), () =>
          this.navigate({ measure: undefined }),
        ),
      );
    }
    if (q)
      list.push(
        chip('q', t('records.chip.text', { name: t('records.search.submit'), value: q }), () => this.navigate({ q: '' })),
      );
    if (list.length === 0) return nothing;
    return html`<span class="chips-label" id="records-chips-label">${t('records.chip.label')}</span>
      <ul class="chips" aria-labelledby="records-chips-label">${list}</ul>
      ${
        list.length > 1
          ? html`<button type="button" class="link-button" data-action="clear-filters"
              @click=${() => this.navigate({ filters: new Map(), q: '', measure: undefined })}>${t('records.chip.clear')}</button>`
          : nothing
      }`;
  }

  private results() {
    const { answer, state } = this;
    const loading = this.container.dataset.state === 'loading';
    const total = answer
      ? t(answer.total === 1 ? 'records.total.one' : 'records.total', { count: formatCount(answer.total) })
      : '';
    const csv = csvUrl(`/records/${state.kind}`, apiParams(state, false), lang());
    return html`<section class="records-results" data-state=${this.container.dataset.state ?? 'loading'} aria-busy=${loading}>
      <div class="records-summary">
        <p class="records-total" aria-live="polite" data-total=${answer?.total ?? nothing}>${total}</p>
        ${this.figureTotal()}
        <span class="records-downloads">
          <a class="button-link" data-action="download-csv" download href=${csv}>${t('figure.download')}</a>
          <a class="button-link" data-action="download-xlsx" download href=${xlsxOf(csv)}>${t('figure.downloadXlsx')}</a>
        </span>
      </div>
      <div class="records-status records-notice">${noticeLine(this.notice)}</div>
      <div class="records-status">${this.status(loading)}</div>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${pick(KIND_NAMES[state.kind])} ?hidden=${!answer?.total}>
        ${answer?.total ? this.table(answer, total) : nothing}
      </div>
      <div class="records-pager">${
        answer?.total
          ? pager({
              ...state,
              id: 'records-page-size',
              total: answer.total,
              label: t('records.pager.label'),
              go: (p) => this.navigate(p),
            })
          : nothing
      }</div>
    </section>`;
  }

  /**
   * Records opened from a figure: their count and the measure's amount over them, in the unit the
   * figure's table shows it, so that they tie back to the figure clicked.
   */
  private figureTotal() {
    const { answer } = this;
    const measure = this.ctx.meta.measures.find((m) => m.id === this.state.measure);
    if (!answer || !measure || answer.sum === undefined) return nothing;
    const count = formatCount(answer.total);
    const amount = answer.sum === null ? null : formatInTableUnit(answer.sum, measure.unit);
    return html`<p class="records-figure-total" data-count=${answer.total} data-sum=${answer.sum ?? nothing}
      title=${answer.sum === null ? nothing : formatValue(answer.sum, measure.unit, { exact: true })}>
      <strong>${t('records.figureTotal', { name: pick(measure.name) })}</strong>
      ${amount === null ? t('cycle.records', { count }) : t('records.figureTotal.sum', { count, amount })}
    </p>`;
  }

  private status(loading: boolean) {
    if (this.error !== undefined) {
      const details = requestProblems(this.error);
      return html`<div class="records-error" role="alert">
        <p>${t('state.error', { message: messageOf(this.error) })}</p>
        ${details.length > 0 ? html`<ul>${details.map((d) => html`<li>${d}</li>`)}</ul>` : nothing}
        <button type="button" class="secondary" @click=${() => void this.load()}>${t('state.retry')}</button>
      </div>`;
    }
    if (!this.answer) return loading ? loadingNote() : nothing;
    if (this.answer.total > 0) return nothing;
    const filtered = this.state.filters.size > 0 || this.state.q;
    return html`<div class="records-empty">
      <p>${t('records.empty')}</p>
      <p class="muted">${filtered ? t('records.empty.filtered') : t('records.empty.none')}</p>
    </div>`;
  }

  private table(answer: RecordsPage, total: string) {
    const { kind } = this.state;
    const { me } = this.ctx;
    const cell = (column: ColumnSpec) => (row: RecordRow) => {
      const raw = row[column.name];
      const code = column.type === 'code' || column.type === 'optional_code' ? String(raw ?? '') : '';
      // The English names run to fifty characters: the alliance's own short codes, named on hover and to screen readers.
      if (code && column.domain === 'university' && lang() === 'en')
        return html`<abbr title=${this.labels.university(code)}>${code}</abbr>`;
      if (code) return html`<span title=${code}>${this.labels.cell(column, raw)}</span>`;
      // Money in the table unit its header names (万元, thousands of yuan); the exact yuan on hover.
      if (column.type === 'money' && raw !== null && raw !== undefined && raw !== '')
        return html`<span title=${money.exact(Number(raw)) ?? nothing}>${money.cell(Number(raw))}</span>`;
      return this.labels.cell(column, raw);
    };
    const money = tableUnit('cny');
    const closedReason = (period: ClosedPeriod) =>
      t('cycle.closed.reason', {
        period: period.period,
        university: this.labels.university(period.university),
        by: period.approvedBy ? t('cycle.closed.by', { who: period.approvedBy }) : '',
      });
    const refCell = (column: ColumnSpec) => (row: RecordRow) => {
      const period = this.closedFor(row);
      return period
        ? html`${cell(column)(row)}<span class="closed-mark" data-closed=${period.period} title=${closedReason(period)}
            ><span aria-hidden="true">${PERIOD_STATUS_LABELS.approved.symbol}</span> ${t('cycle.closed.mark')}</span>`
        : cell(column)(row);
    };
    // A record in an approved period keeps its buttons, disabled, with the reason beside them.
    const actions = (row: RecordRow) => {
      if (!mayEdit(me, row)) return nothing;
      const period = this.closedFor(row);
      const reasonId = period ? `closed-${row.id}` : undefined;
      const ref = String(row.ref);
      return html`<button type="button" class="link-button" data-action="edit" ?disabled=${period !== undefined}
          aria-describedby=${reasonId ?? nothing} aria-label=${t('records.edit.label', { ref })}
          @click=${() => this.openForm(row)}>${t('records.edit')}</button><button type="button" class="link-button danger-link"
          data-action="delete" ?disabled=${period !== undefined} aria-describedby=${reasonId ?? nothing}
          aria-label=${t('records.delete.label', { ref })} @click=${() => void this.deleteRecord(row)}>${t('records.delete')}</button>
        ${period ? html`<span class="closed-reason" id=${reasonId}>${closedReason(period)}</span>` : nothing}`;
    };
    return pagedTable<RecordRow>({
      columns: KIND_COLUMNS[kind].map((column) => ({
        key: column.name,
        label: column.type === 'money' ? withTableUnit(pick(column.label), 'cny') : pick(column.label),
        unit: column.type === 'money' ? money.name : null,
        className: columnClass(column),
        cell: column.name === 'ref' ? refCell(column) : cell(column),
        value: (row) => String(row[column.name] ?? ''),
        rowHeader: column.name === 'ref',
      })),
      rows: answer.rows,
      rowKey: (row) => String(row.id),
      caption: `${pick(KIND_NAMES[kind])} — ${total}`,
      className: 'records-table',
      kind,
      sort: this.state.sort ?? `-${MAIN_DATE[kind]}`,
      onSort: (sort) => this.navigate({ sort }),
      actions: canWrite(me) ? { label: t('records.actions'), cell: actions } : undefined,
    });
  }
}

export const renderRecords: RenderView = async (container, ctx) => {
  // The router never shows this view to the commission; if it is reached anyway, it shows no records.
  if (ctx.me.role === 'commission') return refuse(container, t('records.title'), t('records.forbidden'));
  const view = new RecordsView(container, ctx);
  await view.load();
  return { update: (next) => view.update(next), destroy: () => view.destroy() };
};
