/**
 * The cue of a table wider than its place: every `.table-scroll` region says by `data-overflow`
 * which of its sides has more to scroll to (`start`, `end`, `both`, or `none`), and the style
 * shades that side. One watcher for the whole page: regions are found as views render them.
 */
export function watchScrollRegions(root: HTMLElement): void {
  const mark = (box: HTMLElement) => {
    const more = box.scrollWidth - box.clientWidth;
    const before = box.scrollLeft > 1;
    const after = more - box.scrollLeft > 1;
    box.dataset.overflow = before && after ? 'both' : before ? 'start' : after ? 'end' : 'none';
  };
  const watched = new WeakSet<HTMLElement>();
  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) mark(entry.target as HTMLElement);
  });
  const watch = () => {
    for (const box of root.querySelectorAll<HTMLElement>('.table-scroll')) {
      if (watched.has(box)) continue;
      watched.add(box);
      box.addEventListener('scroll', () => mark(box), { passive: true });
      resized.observe(box);
      // The table inside may grow without the region changing size (a new page of rows).
      if (box.firstElementChild) resized.observe(box.firstElementChild);
      // Measured by the resize observer, after the page's own layout: reading the widths here, as
      // the view renders, would force a layout of the whole page in the middle of its first paint.
      // Until then (and while it is hidden, which the observer does not report) it has no more to show.
      box.dataset.overflow ??= 'none';
    }
  };
  new MutationObserver(watch).observe(root, { childList: true, subtree: true });
  watch();
}
