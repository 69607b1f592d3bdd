import { html, nothing, render, type TemplateResult } from 'lit-html';
import { type MessageKey, t } from '../i18n';
import type { ViewContext, ViewHandle } from '../view';
import { requestProblems } from './form-dialog';
import { DEFAULT_PAGE_SIZE, pager } from './paged-table';
import { type Paging, readPaging, writePaging } from './paging';
import { type Notice, noticeLine, type ViewStatus } from './view-status';

/** A list's filters and page, as its URL has them (`#/admin?tab=audit&action=update&page=2`). */
export type ListState = Paging & { filters: Record<string, string> };

export interface ListSpec<Row, Answer> {
  /** Names the section (`admin-<tab>`) and the table (`<tab>-table`). */
  tab: 'users' | 'universities' | 'audit' | 'mail';
  title: MessageKey;
  intro?: MessageKey;
  /** The table's caption and the name of its scrolling region (default: the title). */
  caption?: MessageKey;
  add?: { action: string; label: MessageKey; open(): void };
  /** What stands above the tab's title (the demo section), and between its intro and the list (forms, filters). */
  above?(): unknown;
  head?(): unknown;
  columns: readonly MessageKey[];
  fetch(signal: AbortSignal, state: ListState): Promise<Answer>;
  rows(answer: Answer): readonly Row[];
  row(row: Row): TemplateResult;
  /**
   * A list paged by the server, its filters and page in the URL: the filters' URL keys (with the
   * values each may take, where the server would refuse another), its total and what it says of
   * it, the words for no rows, and the pager's name.
   */
  paged?: {
    filters: Record<string, readonly string[] | undefined>;
    total(answer: Answer): number;
    summary(answer: Answer): string;
    empty: MessageKey;
    pages: MessageKey;
  };
  /** Called when the URL changed, after the state is read and before the list is loaded again. */
  update?(ctx: ViewContext): void;
  destroy?(): void;
}

/**
 * An admin tab that lists rows: its title (and add button), an intro, what the last change did (`say`),
 * and the table, paged as its URL says when the server pages it. `start` draws it and loads the
 * rows; the app aborts a view's requests when its URL changes, so a list still loading is asked for again.
 */
export function listTab<Row, Answer>(host: HTMLElement, first: ViewContext, status: ViewStatus, spec: ListSpec<Row, Answer>) {
  const readState = (params: URLSearchParams): ListState => ({
    filters: Object.fromEntries(
      Object.entries(spec.paged?.filters ?? {}).flatMap(([key, allowed]) => {
        const value = params.get(key)?.trim();
        return value && (!allowed || allowed.includes(value)) ? [[key, value]] : [];
      }),
    ),
    ...readPaging(params, { defaultPageSize: DEFAULT_PAGE_SIZE, sortable: [] }),
  });
  let ctx = first;
  let state = readState(ctx.params);
  let answer: Answer | undefined;
  let note: Notice | undefined;
  /** The fields a failed load's problems name, under the view's error line. */
  let problems: string[] = [];

  const go = (next: ListState, replace = false) =>
    ctx.navigate('admin', writePaging(new URLSearchParams({ tab: spec.tab, ...next.filters }), next, DEFAULT_PAGE_SIZE), {
      replace,
    });

  const results = (shown: Answer) => {
    const rows = spec.rows(shown);
    const total = spec.paged?.total(shown) ?? rows.length;
    const caption = t(spec.caption ?? spec.title);
    return html`${spec.paged ? html`<p class="records-total" aria-live="polite" data-total=${total}>${spec.paged.summary(shown)}</p>` : nothing}
      ${spec.paged && total === 0 ? html`<div class="records-empty"><p>${t(spec.paged.empty)}</p></div>` : nothing}
      <div class="table-scroll" tabindex="0" role="region" aria-label=${caption} ?hidden=${total === 0 && spec.paged !== undefined}>
        <table class="data-table ${spec.tab}-table">
          <caption class="visually-hidden">${caption}</caption>
          <thead><tr>${spec.columns.map((c) => html`<th scope="col">${t(c)}</th>`)}</tr></thead>
          <tbody>${rows.map((r) => spec.row(r))}</tbody>
        </table>
      </div>
      ${
        spec.paged && total > 0
          ? html`<div class="records-pager">${pager({
              ...state,
              id: `${spec.tab}-page-size`,
              total,
              label: t(spec.paged.pages),
              go: (p) => go({ ...state, ...p }),
            })}</div>`
          : nothing
      }`;
  };

  const draw = () =>
    render(
      html`<section class="admin-${spec.tab}">
        ${spec.above?.()}
        <div class="admin-bar">
          <h2>${t(spec.title)}</h2>
          ${spec.add ? html`<button type="button" class="primary" data-action=${spec.add.action} @click=${() => spec.add?.open()}>${t(spec.add.label)}</button>` : nothing}
        </div>
        ${spec.intro ? html`<p class="muted">${t(spec.intro)}</p>` : nothing}
        ${spec.head?.()}
        <div class="records-results">
          <div class="records-status">
            ${noticeLine(note)}
            ${problems.length ? html`<div class="records-error">${problems.map((p) => html`<p>${p}</p>`)}</div>` : nothing}
          </div>
          ${answer === undefined ? nothing : results(answer)}
        </div>
      </section>`,
      host,
    );

  const load = (): Promise<void> => {
    const { signal } = ctx;
    const shown = state;
    return status.run(signal, async () => {
      problems = [];
      try {
        const next = await spec.fetch(signal, shown);
        if (signal.aborted) return undefined;
        const total = spec.paged?.total(next) ?? 0;
        const pages = Math.max(1, Math.ceil(total / shown.pageSize));
        if (spec.rows(next).length === 0 && total > 0 && shown.page > pages) {
          // The page is past the end (entries went, or the URL was edited): show the last one.
          go({ ...shown, page: pages }, true);
          return undefined;
        }
        answer = next;
        // A selection that matches nothing is the view's `empty`; a list with nothing in it yet is ready.
        return spec.rows(next).length === 0 && Object.keys(shown.filters).length > 0 ? 'empty' : 'ready';
      } catch (error) {
        answer = undefined;
        if (!signal.aborted) problems = requestProblems(error);
        throw error;
      } finally {
        if (!signal.aborted) draw();
      }
    });
  };

  return {
    ctx: () => ctx,
    state: () => state,
    go,
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
          state = readState(ctx.params);
          spec.update?.(next);
          // A plain list is loaded again only when it never was; a paged one whenever its URL moves.
          if (!answer || spec.paged) {
            draw();
            void load();
          }
        },
        destroy: spec.destroy,
      };
    },
  };
}
