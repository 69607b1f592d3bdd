import type { MeasureInfo } from '../api';
import { element, scrollBox } from '../dom';
import { pick, t } from '../i18n';

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

/**
 * A chart with what every chart here has: a title, the measure's definition and standard
 * one click away, a text alternative, a table view of the same figures, and "Download CSV"
 * of exactly what is shown (the API's CSV of the same query).
 */
export class Figure {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly #title: HTMLElement;
  readonly #summary: HTMLElement;
  readonly #tableBox: HTMLElement;
  readonly #download: HTMLAnchorElement;
  readonly #toggle: HTMLButtonElement;
  readonly #definition: HTMLElement;
  readonly #state: HTMLElement;

  constructor(
    readonly id: string,
    { tall = false, showTable = false } = {},
  ) {
    this.canvas = element('canvas', { role: 'img' });
    this.#title = element('h2', { class: 'figure-title', id: `figure-${id}-title` });
    this.#summary = element('p', { class: 'sr-only chart-summary', id: `figure-${id}-summary` });
    this.canvas.setAttribute('aria-describedby', this.#summary.id);
    this.#tableBox = scrollBox({ labelledBy: this.#title.id }, { class: 'table-box' });
    this.#tableBox.hidden = !showTable;
    this.#toggle = element(
      'button',
      { type: 'button', class: 'tool', 'data-action': 'toggle-table', 'aria-pressed': String(showTable) },
      t('figure.table'),
    );
    this.#toggle.addEventListener('click', () => {
      this.#tableBox.hidden = !this.#tableBox.hidden;
      this.#toggle.setAttribute('aria-pressed', String(!this.#tableBox.hidden));
    });
    this.#download = element('a', { class: 'tool', 'data-action': 'download-csv', download: '' }, t('figure.download'));
    this.#definition = element('div', { class: 'definitions' });
    this.#state = element('p', { class: 'figure-state', role: 'status' });
    this.element = element(
      'figure',
      { class: 'figure', 'data-figure': id, 'aria-labelledby': this.#title.id },
      element(
        'div',
        { class: 'figure-head' },
        this.#title,
        element('div', { class: 'figure-tools' }, this.#toggle, this.#download),
      ),
      this.#state,
      element('div', { class: `chart-box${tall ? ' tall' : ''}` }, this.canvas),
      this.#summary,
      this.#tableBox,
      this.#definition,
    );
  }

  /** Title, CSV address, the measures it shows (for their definitions) and its text alternative. */
  describe(options: { title: string; csv: string; measures: readonly MeasureInfo[]; summary: string }): void {
    this.#title.textContent = options.title;
    this.#download.href = options.csv;
    this.canvas.setAttribute('aria-label', options.title);
    this.#summary.textContent = options.summary;
    this.#definition.replaceChildren(...options.measures.map(definitionOf));
  }

  /** No data for the chosen filters: say so instead of drawing an empty chart. */
  empty(isEmpty: boolean): void {
    this.#state.textContent = isEmpty ? t('state.empty') : '';
    this.element.dataset.empty = String(isEmpty);
  }

  table(data: TableData): void {
    const cell = (c: Cell, tag: 'td' | 'th') => {
      let content: Node | string = c.text;
      if (c.drill) {
        const button = element('button', { type: 'button', class: 'cell-link', title: t('figure.drill') }, c.text);
        button.addEventListener('click', c.drill);
        content = button;
      }
      const node = element(tag, tag === 'th' ? { scope: 'row' } : {}, content);
      if (c.value !== undefined && c.value !== null) node.dataset.value = String(c.value);
      return node;
    };
    const row = (cells: Cell[]) => element('tr', {}, ...cells.map((c) => cell(c, c.header ? 'th' : 'td')));
    this.#tableBox.replaceChildren(
      element(
        'table',
        { class: 'data-table numeric' },
        element('thead', {}, element('tr', {}, ...data.columns.map((c) => element('th', { scope: 'col' }, c)))),
        element('tbody', {}, ...data.rows.map(row)),
        ...(data.footer ? [element('tfoot', {}, row(data.footer))] : []),
      ),
    );
  }
}

/** A measure's definition and the standard it follows, from the registry. */
export function definitionOf(measure: MeasureInfo): HTMLElement {
  return element(
    'details',
    { class: 'definition', 'data-measure': measure.id },
    element('summary', {}, t('figure.definitionOf', { name: pick(measure.name) })),
    element('p', {}, pick(measure.definition)),
    element('p', { class: 'muted' }, t('figure.standard', { standard: pick(measure.standard.reference) })),
  );
}

/** A small (i) button whose tooltip is the measure's definition and standard. */
export function infoButton(measure: MeasureInfo): HTMLElement {
  const text = `${pick(measure.definition)} — ${pick(measure.standard.reference)}`;
  const tip = element(
    'span',
    { class: 'tip', role: 'tooltip', id: `tip-${measure.id.replace('.', '-')}-${Math.random().toString(36).slice(2, 7)}` },
    text,
  );
  const button = element(
    'button',
    { type: 'button', class: 'info', 'aria-label': t('figure.about', { name: pick(measure.name) }), 'aria-describedby': tip.id },
    'i',
  );
  return element('span', { class: 'info-wrap' }, button, tip);
}
