import { html, nothing, render, type TemplateResult } from 'lit-html';
import { type MessageKey, t } from '../i18n';
import type { ViewContext, ViewHandle } from '../view';
import { type Notice, noticeLine, type ViewStatus } from './view-status';

/** The admin tabs that list what one request answers, and whose messages are `admin.<tab>.*`. */
type ListTabName = 'users' | 'universities';

export interface ListTabSpec<Row> {
  /** Names the section (`admin-<tab>`), its table (`<tab>-table`) and its messages (title, intro, add, col.*). */
  tab: ListTabName;
  /** The column keys, each headed by `admin.<tab>.col.<key>`. */
  columns: readonly string[];
  /** The add button's `data-action`, and what it opens. */
  addAction: string;
  add(): void;
  /** What the section shows above its bar. */
  head?(): unknown;
  fetch(signal: AbortSignal): Promise<readonly Row[]>;
  row(row: Row): TemplateResult;
  /** Reads what the tab keeps of a new URL state. */
  update?(ctx: ViewContext): void;
}

export interface ListTab {
  /** The URL's state as last given. */
  ctx(): ViewContext;
  /** The tab's section, where its dialogs open. */
  root(): HTMLElement;
  draw(): void;
  /** Fetches the rows again, through the view's status. */
  load(): Promise<void>;
  /** Says what the last change did, or why it failed. */
  say(text: string, error?: boolean): void;
  /** Draws the tab and loads its rows: the tab's handle. */
  start(): ViewHandle;
}

/**
 * A tab that lists rows: its title and add button, an intro, what the last change did, and the
 * table. The rows load when it starts; the app aborts a view's requests when its URL changes, so a
 * list still loading is asked for again on the next update.
 */
export function listTab<Row>(host: HTMLElement, first: ViewContext, status: ViewStatus, spec: ListTabSpec<Row>): ListTab {
  let ctx = first;
  let rows: readonly Row[] = [];
  let loaded = false;
  let note: Notice | undefined;
  const key = (suffix: string) => `admin.${spec.tab}.${suffix}` as MessageKey;

  const draw = () =>
    render(
      html`<section class="admin-${spec.tab}">
        ${spec.head?.()}
        <div class="admin-bar">
          <h2>${t(key('title'))}</h2>
          <button type="button" class="primary" data-action=${spec.addAction} @click=${() => spec.add()}>${t(key('add'))}</button>
        </div>
        <p class="muted">${t(key('intro'))}</p>
        <div class="records-results">
          <div class="records-status">${noticeLine(note)}</div>
          <div class="table-scroll" tabindex="0" role="region" aria-label=${t(key('title'))}>
            <table class="data-table ${spec.tab}-table">
              <thead><tr>${spec.columns.map((c) => html`<th scope="col">${t(key(`col.${c}`))}</th>`)}</tr></thead>
              <tbody>${loaded ? rows.map((r) => spec.row(r)) : nothing}</tbody>
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
      loaded = true;
      draw();
      return 'ready';
    });
  };

  return {
    ctx: () => ctx,
    root: () => host.querySelector<HTMLElement>(`.admin-${spec.tab}`) ?? host,
    draw,
    load,
    say(text, error = false) {
      note = { text, error };
      draw();
    },
    start() {
      draw();
      void load();
      return {
        update(next) {
          ctx = next;
          spec.update?.(next);
          if (!loaded) void load();
        },
      };
    },
  };
}
