import { html, nothing, type TemplateResult } from 'lit-html';
import { t } from '../i18n';

export type ViewState = 'loading' | 'ready' | 'empty' | 'error';

/** Marks a view's root with its state, for people (styles) and for tests (`data-state`). */
export function setViewState(container: HTMLElement, state: ViewState): void {
  container.dataset.state = state;
  container.setAttribute('aria-busy', String(state === 'loading'));
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
