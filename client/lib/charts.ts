import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartType,
  type ActiveElement,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only the parts the views draw with; the collaboration view adds the matrix on its own.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
  Filler,
);

const reducedMotion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
if (reducedMotion) Chart.defaults.animation = false;
// A short entrance: the figures are what matters, not the motion.
else Chart.defaults.animation = { duration: 400 };
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.color = '#1d2433';
Chart.defaults.maintainAspectRatio = false;

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

let firstChartMarked = false;
/** Marks, once per page load, when the first chart is first drawn on screen (read by the first-chart benchmark). */
const firstChart = {
  id: 'first-chart-mark',
  afterDraw() {
    if (firstChartMarked) return;
    firstChartMarked = true;
    performance.mark('first-chart');
  },
};
Chart.register(firstChart);

/**
 * A chart that is created once and then changed in place: `set` replaces its data and options
 * and redraws without a new canvas; `destroy` releases it when the view is left.
 */
export class ChartSlot<T extends ChartType> {
  #chart: Chart<T> | undefined;
  constructor(readonly canvas: HTMLCanvasElement) {}

  set(config: ChartConfiguration<T> & { type: T }): void {
    if (this.#chart && (this.#chart.config as { type?: string }).type === config.type) {
      this.#chart.data = config.data;
      if (config.options) this.#chart.options = config.options;
      this.#chart.update();
      return;
    }
    this.#chart?.destroy();
    this.#chart = new Chart(this.canvas, config);
  }

  destroy(): void {
    this.#chart?.destroy();
    this.#chart = undefined;
  }
}

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

/** A chart's click handler: what was hit (its index and dataset's), when something was. */
export const onHit =
  (open: (index: number, dataset: number) => void) =>
  (_event: unknown, elements: ActiveElement[]): void => {
    const hit = elements[0];
    if (hit) open(hit.index, hit.datasetIndex);
  };

export { Chart };
