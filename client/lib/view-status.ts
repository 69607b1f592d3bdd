import { html, nothing, render, type TemplateResult } from 'lit-html';
import { type MessageKey, t } from '../i18n';
import type { ViewContext, ViewHandle, ViewName } from '../view';
import type { Figure } from './figure';
import { type FilterBarOptions, type FilterDefaults, type Filters, filterBar, readFilters } from './filters';

export type ViewState = 'loading' | 'ready' | 'empty' | 'error';

/** Marks a view's root with its state, for people (styles) and for tests (`data-state`). */
export function setViewState(container: HTMLElement, state: ViewState): void {
  container.dataset.state = state;
  container.setAttribute('aria-busy', String(state === 'loading'));
}

/** What a view shows while it loads, where there is nothing yet (or nothing still true) to show. */
export const loadingNote = (): TemplateResult => html`<p class="state">${t('state.loading')}</p>`;

/** What the last change did, with what may follow it (a status), or why it failed (an alert). */
export interface Notice {
  text: string;
  error?: boolean;
  action?: TemplateResult;
}

export const noticeLine = (n: Notice | undefined): TemplateResult | typeof nothing =>
  n
    ? html`<p class=${n.error ? 'records-error' : 'records-note'} role=${n.error ? 'alert' : 'status'}>${n.text}${n.action ?? nothing}</p>`
    : nothing;

/** A view this person may not see: its title, and why, as the view's error. */
export function refuse(container: HTMLElement, title: string, message: string): void {
  setViewState(container, 'error');
  render(html`<h1>${title}</h1><p class="state error" role="alert">${message}</p>`, container);
}

/**
 * A view's state through each load: `loading`, then what the load found (`ready` or `empty`), or
 * the error, which `alert()` renders in the view's template. A load superseded by a newer one (its
 * signal aborted) leaves the state to the newer one. `changed` re-renders the view's template.
 */
export class ViewStatus {
  #message: string | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly changed: () => void = () => undefined,
  ) {}

  /** Runs one load; `work` returns the state it drew, or nothing when it was superseded. */
  async run(signal: AbortSignal, work: () => Promise<'ready' | 'empty' | undefined>): Promise<void> {
    setViewState(this.container, 'loading');
    if (this.#message !== undefined) {
      this.#message = undefined;
      this.changed();
    }
    try {
      const state = await work();
      if (state && !signal.aborted) setViewState(this.container, state);
    } catch (error) {
      if (signal.aborted) return;
      this.#message = t('state.error', { message: (error as Error).message });
      this.changed();
      setViewState(this.container, 'error');
    }
  }

  /** The last load's error, as the view's alert; nothing while there is none. */
  alert(): TemplateResult | typeof nothing {
    return this.#message === undefined ? nothing : html`<p class="state error" role="alert">${this.#message}</p>`;
  }
}

export interface ChartViewSpec {
  /** The view's name: its heading says it (`nav.<view>`), its filter bar navigates to it. */
  view: ViewName;
  /** The view's figures: their table toggles re-render the view; they are drawn after each load. */
  figures: readonly Figure[];
  /** The view's filters where its URL names none: on every navigation they are read from the URL. */
  filters: FilterDefaults;
  /** Reads the rest of the view's state from the URL: called after its filters, before the template renders it. */
  read?(ctx: ViewContext, filters: Filters): void;
  /** What the filter bar offers (its measures are the filters'), asked on each render: a view's own controls may change it. */
  bar(): FilterBarOptions;
  /** A line between the heading and the filter bar. */
  lead?(filters: Filters): TemplateResult;
  /** The view under its heading, filter bar and the last load's error. */
  body(filters: Filters): TemplateResult;
  /** Fetches with `ctx.signal` and sets the figures' content; says what it found, or nothing when superseded. */
  load(ctx: ViewContext, filters: Filters): Promise<'ready' | 'empty' | undefined>;
  /** Draws what is not a figure, after the figures. */
  draw?(): void;
  destroy?(): void;
}

/** Lets the browser paint and answer input before the work that follows. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A chart view's loop: on each URL change it reads its filters and state and renders its template
 * in place at once (the filter bar keeps its nodes and focus), loads, then renders again and draws
 * its charts.
 */
export function chartView(container: HTMLElement, first: ViewContext, spec: ChartViewSpec): ViewHandle {
  let ctx = first;
  let filters: Filters;
  const paint = () =>
    render(
      html`<h1>${t(`nav.${spec.view}` as MessageKey)}</h1>${spec.lead?.(filters) ?? nothing}
        ${filterBar(spec.view, ctx, filters, { measures: spec.filters.measures, ...spec.bar() })} ${status.alert()} ${spec.body(filters)}`,
      container,
    );
  const status = new ViewStatus(container, paint);
  // A figure given its content while the view loads is drawn with the rest once the load is done.
  let loading = 0;
  for (const figure of spec.figures) figure.changed = () => loading === 0 && paint();
  const update = async (next: ViewContext) => {
    ctx = next;
    filters = readFilters(ctx.params, ctx.meta, spec.filters);
    spec.read?.(ctx, filters);
    paint();
    const { signal } = ctx;
    await status.run(signal, async () => {
      loading++;
      let state: 'ready' | 'empty' | undefined;
      try {
        state = await spec.load(ctx, filters);
      } finally {
        loading--;
      }
      if (!state || signal.aborted) return undefined;
      paint();
      // Each chart in a task of its own: the page answers a tap between them (a phone takes a tenth of a second per chart).
      for (const figure of spec.figures) {
        await nextTask();
        if (signal.aborted) return undefined;
        figure.draw();
      }
      spec.draw?.();
      return state;
    });
  };
  void update(first);
  return {
    update,
    destroy() {
      for (const figure of spec.figures) figure.destroy();
      spec.destroy?.();
    },
  };
}
