import { html, nothing, render, type TemplateResult } from 'lit-html';
import { t } from '../i18n';
import type { ViewContext, ViewHandle } from '../view';
import { type Notice, noticeLine, type ViewStatus } from './view-status';

/**
 * An admin tab that lists rows: its title and add button, an intro, what the last change did (`say`),
 * and the table. `tab` names its section (`admin-<tab>`), table (`<tab>-table`) and messages
 * (`admin.<tab>.title`, `.intro`, `.add`). `start` draws it and loads the rows; the
 * app aborts a view's requests when its URL changes, so a list still loading is asked for again.
 */
export function listTab<Row>(
  host: HTMLElement,
  first: ViewContext,
  status: ViewStatus,
  spec: {
    tab: 'users' | 'universities';
    /** The columns' headings. */
    columns(): readonly string[];
    add: { action: string; open(): void };
    head?(): unknown;
    fetch(signal: AbortSignal): Promise<readonly Row[]>;
    row(row: Row): TemplateResult;
    update?(ctx: ViewContext): void;
  },
) {
  let ctx = first;
  let rows: readonly Row[] | undefined;
  let note: Notice | undefined;
  const key = (suffix: 'title' | 'intro' | 'add') => t(`admin.${spec.tab}.${suffix}`);
  const draw = () =>
    render(
      html`<section class="admin-${spec.tab}">
        ${spec.head?.()}
        <div class="admin-bar">
          <h2>${key('title')}</h2>
          <button type="button" class="primary" data-action=${spec.add.action} @click=${() => spec.add.open()}>${key('add')}</button>
        </div>
        <p class="muted">${key('intro')}</p>
        <div class="records-results">
          <div class="records-status">${noticeLine(note)}</div>
          <div class="table-scroll" tabindex="0" role="region" aria-label=${key('title')}>
            <table class="data-table ${spec.tab}-table">
              <thead><tr>${spec.columns().map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
              <tbody>${rows?.map((r) => spec.row(r)) ?? nothing}</tbody>
            </table>
          </div>
        </div>
      </section>`,
      host,
    );
  const load = (): Promise<void> => {
    const { signal } = ctx;
    return status.run(signal, async () => {
      const answer = await spec.fetch(signal);
      if (signal.aborted) return undefined;
      rows = answer;
      draw();
      return 'ready';
    });
  };
  return {
    ctx: () => ctx,
    /** The tab's section, where its dialogs open. */
    root: () => host.querySelector<HTMLElement>(`.admin-${spec.tab}`) ?? host,
    draw,
    load,
    say(text: string, error = false) {
      note = { text, error };
      draw();
    },
    start(): ViewHandle {
      draw();
      void load();
      return {
        update(next) {
          ctx = next;
          spec.update?.(next);
          if (!rows) void load();
        },
      };
    },
  };
}
