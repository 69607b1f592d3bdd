import type { ActiveElement } from 'chart.js';
import { html, type TemplateResult } from 'lit-html';

/*
 * What views need to describe a chart, without Chart.js itself: the palette, the click handler, a cut
 * period's look. Chart.js is loaded (client/lib/charts.ts) only when a chart is about to be drawn on screen.
 */

/**
 * Okabe & Ito's palette, distinguishable with every common colour-vision deficiency;
 * the order puts the most distinct pairs first.
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;
export const colour = (index: number): string => PALETTE[index % PALETTE.length]!;

/** A colour with an alpha, for fills. */
export function tint(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** A chart's click handler: what was hit (its index and dataset's), when something was. */
export const onHit =
  (open: (index: number, dataset: number) => void) =>
  (_event: unknown, elements: ActiveElement[]): void => {
    const hit = elements[0];
    if (hit) open(hit.index, hit.datasetIndex);
  };

/**
 * A line's look where a period is only partly inside the dates chosen (the agreement's first
 * quarter, the current one): the segments that reach it dotted and its point hollow, so that its
 * lower figure does not read as a fall. The chart says so in its legend note (`partialNote`).
 */
export function partialLine(partial: readonly boolean[], color: string) {
  const cut = (i: number) => partial[i] === true;
  return {
    segment: {
      borderDash: (ctx: { p0DataIndex: number; p1DataIndex: number }) =>
        cut(ctx.p0DataIndex) || cut(ctx.p1DataIndex) ? [3, 4] : undefined,
    },
    pointBackgroundColor: partial.map((p) => (p ? '#ffffff' : color)),
    pointBorderColor: color,
    pointBorderWidth: partial.map((p) => (p ? 2 : 1)),
    pointRadius: partial.map((p) => (p ? 4 : 2)),
  };
}

/** That legend note, for the periods the dates cut: the dotted line's key, and what it means. */
export const partialNote = (periods: readonly string[], text: string): TemplateResult | undefined =>
  periods.length > 0
    ? html`<span class="partial-key" aria-hidden="true"></span><span data-partial=${periods.join(',')}>${text}</span>`
    : undefined;
