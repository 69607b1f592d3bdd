/** Builds an element with attributes and children; text is always set as text, never parsed as HTML. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/**
 * A box that scrolls a wide table sideways: reachable from the keyboard (so the columns beyond
 * the edge can be scrolled to with the arrow keys) and named for a screen reader. Every table
 * that may be wider than its column sits in one.
 */
export function scrollBox(
  name: string | { labelledBy: string },
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLDivElement {
  const { class: extra, ...rest } = attributes;
  const naming: Record<string, string> =
    typeof name === 'string' ? { 'aria-label': name } : { 'aria-labelledby': name.labelledBy };
  return element(
    'div',
    { class: `table-scroll${extra ? ` ${extra}` : ''}`, tabindex: '0', role: 'region', ...naming, ...rest },
    ...children,
  );
}

/** Waits `ms` after the last call before running `run`. */
export function debounce(run: () => void, ms: number): { schedule(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    cancel: () => clearTimeout(timer),
  };
}
