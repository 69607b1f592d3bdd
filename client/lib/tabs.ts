import { html, type TemplateResult } from 'lit-html';

/**
 * A row of tabs over one panel (`<id>-panel`): a click, or an arrow, Home or End key, calls `go`
 * with the tab to show; only the selected tab is in the tab order. The view renders the panel.
 */
export function tabList<T extends string>(o: {
  id: string;
  label: string;
  tabs: readonly T[];
  selected: T;
  name(tab: T): string;
  go(tab: T): void;
}): TemplateResult {
  const n = o.tabs.length;
  const onKey = (event: KeyboardEvent, index: number) => {
    const next = { ArrowRight: index + 1, ArrowLeft: index + n - 1, Home: 0, End: n - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = o.tabs[next % n]!;
    document.getElementById(`${o.id}-tab-${tab}`)?.focus();
    o.go(tab);
  };
  return html`<div class="records-tabs" role="tablist" aria-label=${o.label}>
    ${o.tabs.map(
      (tab, index) => html`<button type="button" role="tab" id="${o.id}-tab-${tab}" aria-controls="${o.id}-panel" data-tab=${tab}
        aria-selected=${tab === o.selected} .tabIndex=${tab === o.selected ? 0 : -1}
        @click=${() => o.go(tab)} @keydown=${(e: KeyboardEvent) => onKey(e, index)}>${o.name(tab)}</button>`,
    )}
  </div>`;
}
