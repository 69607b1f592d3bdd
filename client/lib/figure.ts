import type { ChartConfiguration, ChartType } from 'chart.js';
import { html, nothing, type TemplateResult } from 'lit-html';
import { createRef, ref } from 'lit-html/directives/ref.js';
import type { MeasureInfo } from '../api';
import { pick, t } from '../i18n';
import type { ChartSlot } from './charts';
import { formatValue } from './format';

/** One cell of a figure's table: what is shown, and the raw value that tests and screen readers get. */
export interface Cell {
  text: string;
  value?: string | number | null;
  /** A header cell (the row's label). */
  header?: boolean;
  /** Opens the records behind the figure: the table is the keyboard's way to what a click on the chart does. */
  drill?: () => void;
}

export interface TableData {
  columns: string[];
  rows: Cell[][];
  /** A last row of totals, in a <tfoot>. */
  footer?: Cell[];
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
  readonly #canvas = createRef<HTMLCanvasElement>();
  #slot: ChartSlot<T> | undefined;
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
    const cell = (x: Cell) => {
      const content = x.drill
        ? html`<button type="button" class="cell-link" title=${t('figure.drill')} @click=${x.drill}>${x.text}</button>`
        : x.text;
      const value = x.value === undefined || x.value === null ? nothing : String(x.value);
      return x.header ? html`<th scope="row" data-value=${value}>${content}</th>` : html`<td data-value=${value}>${content}</td>`;
    };
    const row = (cells: Cell[]) => html`<tr>${cells.map(cell)}</tr>`;
    const toggle = () => {
      this.#showTable = !this.#showTable;
      this.changed();
    };
    return html`<figure class="figure" data-figure=${this.id} aria-labelledby=${titleId} data-empty=${String(c?.empty ?? false)}>
      <div class="figure-head">
        <h2 class="figure-title" id=${titleId}>${c?.title}</h2>
        <div class="figure-tools">
          ${
            withChart
              ? html`<button type="button" class="tool" data-action="toggle-table" aria-pressed=${String(this.#showTable)} @click=${toggle}
                >${t('figure.table')}</button
              >`
              : nothing
          }
          <a class="tool" data-action="download-csv" download href=${c?.csv ?? nothing}>${t('figure.download')}</a>
        </div>
      </div>
      <p class="figure-state" role="status">${c?.empty ? t('state.empty') : ''}</p>
      ${
        withChart
          ? html`<div class="chart-box ${this.options.tall ? 'tall' : ''}">
                <canvas ${ref(this.#canvas)} role="img" aria-label=${c?.title ?? nothing} aria-describedby=${summaryId}></canvas>
              </div>
              <p class="sr-only chart-summary" id=${summaryId}>${c?.summary}</p>`
          : nothing
      }
      <div class="table-scroll table-box" tabindex="0" role="region" aria-labelledby=${titleId} ?hidden=${!this.#showTable}>
        ${
          c
            ? html`<table class="data-table numeric">
                <thead><tr>${c.table.columns.map((name) => html`<th scope="col">${name}</th>`)}</tr></thead>
                <tbody>${c.table.rows.map(row)}</tbody>
                ${c.table.footer ? html`<tfoot>${row(c.table.footer)}</tfoot>` : nothing}
              </table>`
            : nothing
        }
      </div>
      <div class="definitions">${c?.measures.map(definitionOf)}</div>
    </figure>`;
  }

  /**
   * Draws the content's chart into the canvas rendered by `template()`: call after rendering. A
   * chart below the first screen is drawn when it comes near the screen (or the page is printed):
   * Chart.js is not even loaded for a page whose charts nobody scrolls to.
   */
  draw(): void {
    const config = this.#content?.chart;
    const canvas = this.#canvas.value;
    if (!config || !canvas) return;
    if (this.#slot) {
      this.#slot.set(config);
      return;
    }
    this.#waiting?.abort();
    const waiting = new AbortController();
    this.#waiting = waiting;
    void nearScreen(canvas, waiting.signal)
      .then(() => import('./charts'))
      .then(({ ChartSlot }) => {
        if (waiting.signal.aborted) return;
        this.#waiting = undefined;
        this.#slot = new ChartSlot<T>(canvas);
        // The content may have changed while Chart.js was on its way: draw the latest.
        this.#slot.set(this.#content?.chart ?? config);
      })
      // Chart.js could not be fetched (the network went away): the figure keeps its table and CSV.
      .catch(() => undefined);
  }

  destroy(): void {
    this.#waiting?.abort();
    this.#slot?.destroy();
  }
}

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

/** A table cell of a figure to the fen, with its raw value (and the records behind it, when it has a drill-down). */
export const exactCell = (value: number | null, unit: MeasureInfo['unit'], drill?: () => void): Cell => ({
  text: formatValue(value, unit, { exact: true }),
  value,
  ...(drill ? { drill } : {}),
});

/** A measure's definition and the standard it follows, from the registry. */
export function definitionOf(measure: MeasureInfo): TemplateResult {
  return html`<details class="definition" data-measure=${measure.id}>
    <summary>${t('figure.definitionOf', { name: pick(measure.name) })}</summary>
    <p>${pick(measure.definition)}</p>
    <p class="muted">${t('figure.standard', { standard: pick(measure.standard.reference) })}</p>
  </details>`;
}
