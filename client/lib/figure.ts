import type { ChartConfiguration, ChartType } from 'chart.js';
import { html, nothing, type TemplateResult } from 'lit-html';
import { createRef, ref } from 'lit-html/directives/ref.js';
import type { MeasureInfo } from '../api';
import { FIGURE_STATUS_LABELS, type FigureStatus, statusOfAll } from '../../contract/figure-status';
import { xlsxOf } from './downloads';
import { pick, t } from '../i18n';
import type { ChartSlots } from './charts';
import { tableUnit, unitSuffix } from './format';

/** One cell of a figure's table: what is shown, and the raw value that tests and screen readers get. */
export interface Cell {
  text: string;
  value?: string | number | null;
  /** A header cell (the row's label). */
  header?: boolean;
  /** Opens the records behind the figure: the table is the keyboard's way to what a click on the chart does. */
  drill?: () => void;
  /** The exact figure (to the fen), shown on hover. */
  title?: string | null;
  /**
   * The table unit the cell's number is in ('万元'): a money cell's, or, on a row header, the unit
   * of the row's money cells (a table of measures by row).
   */
  unit?: string | null;
  /** The cell's status: marked, when the table's cells differ, where it is not final (the legend says so). */
  status?: FigureStatus | undefined;
}

/**
 * The mark of a figure's status: its symbol and, `withText`, its name; never colour alone. A screen
 * reader hears the name (and a table cell's mark says it in its own words after the number).
 */
export function statusMark(status: FigureStatus, withText = false): TemplateResult {
  const name = pick(FIGURE_STATUS_LABELS[status]);
  return html`<span class="status-mark" data-status=${status} title=${withText ? t('status.definition') : name}
    ><span aria-hidden="true">${FIGURE_STATUS_LABELS[status].symbol}</span>${withText ? ` ${name}` : html`<span class="sr-only">${name}</span>`}</span
  >`;
}

/** The status of figures together (the least settled); undefined when none is known. */
export const statusOfParts = (parts: ReadonlyArray<{ status: FigureStatus } | undefined>): FigureStatus | undefined => {
  const known = parts.filter((x) => x !== undefined);
  return known.length === 0 ? undefined : statusOfAll(known.map((x) => x.status));
};

/**
 * A cell's mark. Where every cell's status is the figure's (beside the title), none: the usual case
 * reads plainly. Where they differ, every cell that is not final carries its own, so that no
 * unmarked cell is taken for a settled one.
 */
const cellMark = (status: FigureStatus | undefined, mixed: boolean) =>
  status !== undefined && mixed && status !== 'F' ? html` ${statusMark(status)}` : nothing;

/** The table unit a column head or row head names after its label: （万元）. */
const unitNote = (unit: string | null | undefined) => (unit ? html`<span class="col-unit">${unitSuffix(unit)}</span>` : nothing);

/** Whether some cell of the table has a status other than the figure's. */
const mixedStatus = (table: TableData | undefined, figure: FigureStatus | undefined): boolean =>
  [...(table?.rows.flat() ?? []), ...(table?.footer ?? [])].some((x) => x.status !== undefined && x.status !== figure);

/** A column of a figure's table: its label, the unit its money is in, and whether a phone may hide it. */
export interface Column {
  label: string;
  /** The table unit of the column's money ('万元', 'CNY thousand'), named in the header. */
  unit?: string | null;
  /** Hidden below the phone breakpoint: the name and the main figure stay. */
  secondary?: boolean;
}

export interface TableData {
  columns: Array<string | Column>;
  rows: Cell[][];
  /** A last row of totals, in a <tfoot>. */
  footer?: Cell[];
}

/** One small chart of a set drawn side by side, each on its own scale. */
export interface Multiple<T extends ChartType> {
  id: string;
  title: string;
  chart: ChartConfiguration<T> & { type: T };
}

/** What a figure shows: set once per load, rendered by the view's template. */
export interface FigureContent<T extends ChartType> {
  title: string;
  /** The API's CSV of the same query. */
  csv: string;
  /** The measures shown, for their definitions. */
  measures: readonly MeasureInfo[];
  /** The chart's text alternative. */
  summary: string;
  /** No data for the chosen filters: say so instead of drawing an empty chart. */
  empty: boolean;
  table: TableData;
  /** The chart; a figure made with `chart: false` is its table alone. */
  chart?: ChartConfiguration<T> & { type: T };
  /** Small multiples instead of the one chart: one per series, each on its own scale. */
  multiples?: Array<Multiple<T>>;
  /** A line under the chart that says what its marks mean (e.g. a partial period). */
  legendNote?: TemplateResult | string;
  /** The status of the figure as a whole (its least settled part); with it, the legend of the marks. */
  status?: FigureStatus | undefined;
}

export interface FigureOptions {
  tall?: boolean;
  /** The table open from the start. */
  showTable?: boolean;
  /** Whether the figure has a chart (default) or is only its table, always shown. */
  chart?: boolean;
}

/**
 * A chart with what every chart here has: a title, the measure's definition and standard one
 * click away, a text alternative, a table view of the same figures, and "Download CSV" of exactly
 * what is shown. The view sets its content after each load, renders `template()` in its own
 * template, then calls `draw()` so the chart changes in place on the same canvas.
 */
export class Figure<T extends ChartType = ChartType> {
  #content: FigureContent<T> | undefined;
  #showTable: boolean;
  /**
   * Whether the table's rows are in the page: not in the view's first full render, but in the
   * figure's own task (`draw`), so that a phone's first paint is not one long task.
   */
  #rowsDrawn = false;
  readonly #canvas = createRef<HTMLCanvasElement>();
  /** The small multiples' canvases, by the multiple's id. */
  readonly #multipleCanvases = new Map<string, HTMLCanvasElement>();
  /** The one chart or the small multiples, once Chart.js is loaded. */
  #slots: ChartSlots<T> | undefined;
  /** A first draw waiting for the canvas to come near the screen. */
  #waiting: AbortController | undefined;

  /** Re-renders the view's template when the table is shown or hidden (set by `chartView`). */
  changed: () => void = () => undefined;

  constructor(
    readonly id: string,
    private readonly options: FigureOptions = {},
  ) {
    this.#showTable = options.showTable === true || options.chart === false;
  }

  set(content: FigureContent<T>): void {
    this.#content = content;
  }

  template(): TemplateResult {
    const c = this.#content;
    const titleId = `figure-${this.id}-title`;
    const summaryId = `figure-${this.id}-summary`;
    const withChart = this.options.chart !== false;
    const columns = (c?.table.columns ?? []).map((x): Column => (typeof x === 'string' ? { label: x } : x));
    const mixed = mixedStatus(c?.table, c?.status);
    const cell = (x: Cell, i: number) => {
      const content = x.drill
        ? html`<button type="button" class="cell-link" title=${x.title ? `${x.title} · ${t('figure.drill')}` : t('figure.drill')} @click=${x.drill}>${x.text}</button>${cellMark(x.status, mixed)}`
        : html`${x.text}${cellMark(x.status, mixed)}`;
      const value = x.value === undefined || x.value === null ? nothing : String(x.value);
      const secondary = columns[i]?.secondary ? 'col-secondary' : '';
      const title = x.title ?? nothing;
      const unit = x.unit ?? nothing;
      return x.header
        ? html`<th scope="row" class=${secondary} data-value=${value} data-unit=${unit} data-status=${x.status ?? nothing}>${content}${unitNote(x.unit)}</th>`
        : html`<td class=${secondary} data-value=${value} data-unit=${unit} data-status=${x.status ?? nothing} title=${title}>${content}</td>`;
    };
    const head = (x: Column) =>
      html`<th scope="col" class=${x.secondary ? 'col-secondary' : ''} data-unit=${x.unit ?? nothing}>${x.label}${unitNote(x.unit)}</th>`;
    const row = (cells: Cell[]) => html`<tr>${cells.map(cell)}</tr>`;
    const multiples = c?.multiples;
    const multipleCanvas = (id: string) => (element?: Element) => {
      if (element) this.#multipleCanvases.set(id, element as HTMLCanvasElement);
      else this.#multipleCanvases.delete(id);
    };
    const toggle = () => {
      this.#showTable = !this.#showTable;
      this.changed();
    };
    // How many lines or bar series are drawn (every small multiple's together): a hook for the tests.
    const drawn = multiples ? multiples.reduce((n, m) => n + m.chart.data.datasets.length, 0) : c?.chart?.data.datasets.length;
    return html`<figure class="figure" data-figure=${this.id} aria-labelledby=${titleId} data-empty=${String(c?.empty ?? false)}
      data-datasets=${drawn ?? nothing} data-multiples=${multiples ? String(multiples.length) : nothing} data-status=${c?.status ?? nothing}>
      <div class="figure-head">
        <h2 class="figure-title" id=${titleId}>${c?.title}</h2>
        ${c?.status ? statusMark(c.status, true) : nothing}
        <div class="figure-tools">
          ${
            withChart
              ? html`<button type="button" class="tool" data-action="toggle-table" aria-pressed=${String(this.#showTable)} @click=${toggle}
                >${t('figure.table')}</button
              >`
              : nothing
          }
          <a class="tool" data-action="download-csv" download href=${c?.csv ?? nothing}>${t('figure.download')}</a>
          <a class="tool" data-action="download-xlsx" download href=${c ? xlsxOf(c.csv, { forReading: true }) : nothing}>${t('figure.downloadXlsx')}</a>
        </div>
      </div>
      <p class="figure-state" role="status">${c?.empty ? t('state.empty') : ''}</p>
      ${
        withChart
          ? html`<div class="chart-box ${this.options.tall ? 'tall' : ''}" ?hidden=${multiples !== undefined}>
                <canvas ${ref(this.#canvas)} role="img" aria-label=${c?.title ?? nothing} aria-describedby=${summaryId}></canvas>
              </div>
              ${
                multiples
                  ? html`<div class="multiples">${multiples.map(
                      (m) => html`<div class="multiple" data-multiple=${m.id}>
                        <h3 class="multiple-title">${m.title}</h3>
                        <div class="chart-box small">
                          <canvas ${ref(multipleCanvas(m.id))} role="img" aria-label=${m.title} aria-describedby=${summaryId}></canvas>
                        </div>
                      </div>`,
                    )}</div>`
                  : nothing
              }
              ${c?.legendNote ? html`<p class="legend-note">${c.legendNote}</p>` : nothing}
              ${c?.status ? html`<p class="legend-note status-legend">${t('status.legend')}</p>` : nothing}
              <p class="sr-only chart-summary" id=${summaryId}>${c?.summary}</p>`
          : nothing
      }
      <div class="table-scroll table-box" tabindex="0" role="region" aria-labelledby=${titleId} ?hidden=${!this.#showTable}>
        ${
          c
            ? html`<table class="data-table numeric">
                <thead><tr>${columns.map(head)}</tr></thead>
                <tbody>${this.#rowsDrawn ? c.table.rows.map(row) : nothing}</tbody>
                ${c.table.footer ? html`<tfoot>${row(c.table.footer)}</tfoot>` : nothing}
              </table>`
            : nothing
        }
      </div>
      ${!withChart && c?.status ? html`<p class="legend-note status-legend">${t('status.legend')}</p>` : nothing}
      <div class="definitions">${c?.measures.map(definitionOf)}${c?.status ? statusDefinition() : nothing}</div>
    </figure>`;
  }

  /**
   * Draws the content's chart into the canvas rendered by `template()`: call after rendering. A
   * chart below the first screen is drawn when it comes near the screen (or the page is printed):
   * Chart.js is not even loaded for a page whose charts nobody scrolls to.
   */
  draw(): void {
    if (!this.#rowsDrawn && this.#content) {
      this.#rowsDrawn = true;
      this.changed();
    }
    // A chart already drawn changes in place at once; a first one waits to be near the screen.
    if (charts && this.#slots && this.#slots.size > 0) {
      this.#drawWith(charts.ChartSlots);
      return;
    }
    const near = this.#canvas.value ?? this.#multipleCanvases.values().next().value;
    if (!near || (!this.#content?.chart && !this.#content?.multiples?.length)) return;
    this.#waiting?.abort();
    const waiting = new AbortController();
    this.#waiting = waiting;
    void nearScreen(near, waiting.signal)
      .then(loadCharts)
      .then(({ ChartSlots }) => {
        if (waiting.signal.aborted) return;
        this.#waiting = undefined;
        // The content may have changed while Chart.js was on its way: this draws the latest.
        this.#drawWith(ChartSlots);
      })
      // Chart.js could not be fetched (the network went away): the figure keeps its table and CSV.
      .catch(() => undefined);
  }

  #drawWith(Slots: typeof ChartSlots): void {
    const content = this.#content;
    const canvas = this.#canvas.value;
    this.#slots ??= new Slots<T>();
    // Small multiples and the one chart take turns: what is not shown is released.
    this.#slots.draw(
      content?.multiples
        ? content.multiples.flatMap((m) => {
            const on = this.#multipleCanvases.get(m.id);
            return on ? [{ id: `multiple:${m.id}`, canvas: on, config: m.chart }] : [];
          })
        : content?.chart && canvas
          ? [{ id: 'chart', canvas, config: content.chart }]
          : [],
    );
  }

  destroy(): void {
    this.#waiting?.abort();
    this.#slots?.destroy();
  }
}

/** Chart.js and the chart slots, once a chart has come near the screen. */
let charts: typeof import('./charts') | undefined;
const loadCharts = async () => (charts ??= await import('./charts'));

/** Resolves when `element` is within a screen's height of the viewport, or the page is about to print. */
function nearScreen(element: Element, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (typeof IntersectionObserver === 'undefined') return resolve();
    const done = () => {
      observer.disconnect();
      removeEventListener('beforeprint', done);
      resolve();
    };
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && done(), {
      rootMargin: '100% 0px',
    });
    observer.observe(element);
    addEventListener('beforeprint', done, { once: true });
    signal.addEventListener('abort', () => {
      observer.disconnect();
      removeEventListener('beforeprint', done);
    });
  });
}

/**
 * A table cell of a figure: the number in its table unit (money in 万元 / thousands of yuan, the
 * one unit of its column, `tableUnit`), the exact figure on hover, its raw value in `data-value`,
 * and the records behind it, when it has a drill-down.
 */
export const figureCell = (
  value: number | null,
  unit: MeasureInfo['unit'],
  drill?: () => void,
  status?: FigureStatus | undefined,
): Cell => {
  const shown = tableUnit(unit);
  return {
    text: shown.cell(value),
    value,
    title: shown.exact(value),
    unit: shown.name,
    ...(drill ? { drill } : {}),
    ...(status ? { status } : {}),
  };
};

/** A column of a measure's figures: its header names the table unit of its money. */
export const unitColumn = (label: string, unit: MeasureInfo['unit'], secondary = false): Column => ({
  label,
  unit: tableUnit(unit).name,
  secondary,
});

/** What final, provisional and revised mean. */
export function statusDefinition(): TemplateResult {
  return html`<details class="definition" data-definition="status">
    <summary>${t('figure.definitionOf', { name: t('status.column') })}</summary>
    <p>${t('status.definition')}</p>
  </details>`;
}

/** A measure's definition and the standard it follows, from the registry. */
export function definitionOf(measure: MeasureInfo): TemplateResult {
  return html`<details class="definition" data-measure=${measure.id}>
    <summary>${t('figure.definitionOf', { name: pick(measure.name) })}</summary>
    <p>${pick(measure.definition)}</p>
    <p class="muted">${t('figure.standard', { standard: pick(measure.standard.reference) })}</p>
  </details>`;
}
