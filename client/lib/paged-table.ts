import { html, nothing, type TemplateResult } from 'lit-html';
import { t } from '../i18n';
import { formatter, locale } from './dates';

/**
 * A table of one page of rows whose page, size and sort live in the URL: the view reads them
 * with `readPaging`, writes them back with `writePaging` (lib/paging.ts), and renders
 * `pagedTable` and `pager` in place. Nothing here holds state: a click calls
 * back with the new state, the view navigates, and the URL's next state renders.
 */

/** A whole count as a person reads it: 1,234. */
export const formatCount = (value: number): string => {
  const tag = locale();
  return formatter(`count ${tag}`, () => new Intl.NumberFormat(tag)).format(value);
};

export interface TableColumn<Row> {
  key: string;
  label: string;
  /** Classes of the header and the cells (`numeric` aligns right). */
  className?: string;
  /** The cell as shown: text or a template. */
  cell(row: Row): unknown;
  /** The raw value, in `data-value` (what tests and scripts compare with the API). */
  value?(row: Row): string;
  /** The cell names its row (a record's reference): a row header for screen readers. */
  rowHeader?: boolean;
  /** The table unit the column's money is shown in ('万元'), named in its header (lib/format.ts `tableUnit`). */
  unit?: string | null;
}

export interface PagedTableOptions<Row> {
  columns: readonly TableColumn<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string;
  caption: string;
  className?: string;
  /** The kind of row, in `data-kind`. */
  kind?: string;
  /** The sort in force, the default one included, so its header shows it. */
  sort: string;
  onSort(sort: string): void;
  /** A first column of actions (edit, delete), when the person may take any: in sight however wide the table. */
  actions?: { label: string; cell(row: Row): unknown };
}

/** One page of rows; a click on a header sorts by its column, again reverses it. */
export function pagedTable<Row>(o: PagedTableOptions<Row>): TemplateResult {
  const sortKey = o.sort.replace(/^-/, '');
  const descending = o.sort.startsWith('-');
  const header = (c: TableColumn<Row>) => {
    const sorted = c.key === sortKey;
    const label = html`<button type="button" class="sort-button" data-sort=${c.key} title=${t('records.sort.hint')}
      @click=${() => o.onSort(sorted && !descending ? `-${c.key}` : c.key)}>${c.label}<span class="sort-mark"
        aria-hidden="true">${sorted ? (descending ? ' ▼' : ' ▲') : ' ↕'}</span></button>`;
    return html`<th scope="col" data-column=${c.key} class=${c.className ?? nothing} data-unit=${c.unit ?? nothing}
      aria-sort=${sorted ? (descending ? 'descending' : 'ascending') : nothing}>${label}</th>`;
  };
  const cell = (c: TableColumn<Row>, row: Row) =>
    c.rowHeader
      ? html`<th scope="row" data-column=${c.key} data-value=${c.value?.(row) ?? nothing} class=${c.className ?? nothing}>${c.cell(row)}</th>`
      : html`<td data-column=${c.key} data-value=${c.value?.(row) ?? nothing} class=${c.className ?? nothing}
          data-unit=${c.unit ?? nothing}>${c.cell(row)}</td>`;
  return html`<table class="data-table ${o.className ?? ''}" data-kind=${o.kind ?? nothing}>
    <caption class="visually-hidden">${o.caption}</caption>
    <thead><tr>${o.actions ? html`<th scope="col" class="actions">${o.actions.label}</th>` : nothing}${o.columns.map(header)}</tr></thead>
    <tbody>${o.rows.map(
      (row) =>
        html`<tr data-id=${o.rowKey(row)}>${o.actions ? html`<td class="actions">${o.actions.cell(row)}</td>` : nothing}${o.columns.map(
          (c) => cell(c, row),
        )}</tr>`,
    )}</tbody>
  </table>`;
}

/** The rows-per-page choices of a paged list, and the size it shows unless its URL says otherwise. */
const PAGE_SIZES = [25, 50, 100, 200];
export const DEFAULT_PAGE_SIZE = 50;

/**
 * First, previous, "page X of Y", next, last, and the rows-per-page choice (a size the URL names
 * that is not offered is offered too); `go` is called with the page and size to show.
 */
export function pager(o: {
  /** The id of the rows-per-page select. */
  id: string;
  page: number;
  pageSize: number;
  total: number;
  label: string;
  go(paging: { page: number; pageSize: number }): void;
}): TemplateResult {
  const pages = Math.max(1, Math.ceil(o.total / o.pageSize));
  const page = Math.min(o.page, pages);
  const button = (key: 'first' | 'previous' | 'next' | 'last', target: number, disabled: boolean) =>
    html`<button type="button" class="secondary" data-page=${key} ?disabled=${disabled}
      @click=${() => o.go({ page: target, pageSize: o.pageSize })}>${t(`records.pager.${key}`)}</button>`;
  const sizes = [...new Set([...PAGE_SIZES, o.pageSize])].sort((a, b) => a - b);
  const resize = (e: Event) => o.go({ page: 1, pageSize: Number((e.target as HTMLSelectElement).value) });
  return html`<nav class="pager" aria-label=${o.label}>
      ${button('first', 1, page <= 1)}${button('previous', page - 1, page <= 1)}
      <span class="pager-position" data-page-number=${page} data-page-count=${pages}>${t('records.pager.position', {
        page: formatCount(page),
        pages: formatCount(pages),
      })}</span>
      ${button('next', page + 1, page >= pages)}${button('last', pages, page >= pages)}
    </nav>
    <div class="page-size">
      <label for=${o.id}>${t('records.pager.size')}</label>
      <select id=${o.id} @change=${resize}>
        ${sizes.map((size) => html`<option value=${size} .selected=${size === o.pageSize}>${formatCount(size)}</option>`)}
      </select>
    </div>`;
}
