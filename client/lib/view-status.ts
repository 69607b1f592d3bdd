import { element } from '../dom';
import { t } from '../i18n';

export type ViewState = 'loading' | 'ready' | 'empty' | 'error';

/** Marks a view's root with its state, for people (styles) and for tests (`data-state`). */
export function setViewState(container: HTMLElement, state: ViewState): void {
  container.dataset.state = state;
  container.setAttribute('aria-busy', String(state === 'loading'));
}

/**
 * A chart view's state through each load: `loading`, then what the load found (`ready` or
 * `empty`), or the error in the view's alert box. A load superseded by a newer one (its signal
 * aborted) leaves the state to the newer one.
 */
export class ViewStatus {
  readonly errorBox = element('p', { class: 'state error', role: 'alert', hidden: '' });

  constructor(private readonly container: HTMLElement) {}

  /** Runs one load; `work` returns the state it drew, or nothing when it was superseded. */
  async run(signal: AbortSignal, work: () => Promise<'ready' | 'empty' | undefined>): Promise<void> {
    setViewState(this.container, 'loading');
    this.errorBox.hidden = true;
    try {
      const state = await work();
      if (state && !signal.aborted) setViewState(this.container, state);
    } catch (error) {
      if (signal.aborted) return;
      this.errorBox.hidden = false;
      this.errorBox.textContent = t('state.error', { message: (error as Error).message });
      setViewState(this.container, 'error');
    }
  }
}
