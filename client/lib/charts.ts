import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartType,
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

/** A chart to draw: its name across renders, its canvas and its configuration. */
export interface ChartOn<T extends ChartType> {
  id: string;
  canvas: HTMLCanvasElement;
  config: ChartConfiguration<T> & { type: T };
}

/**
 * Charts by name, each created once and then changed in place: `draw` replaces a given chart's data
 * and options and redraws it on the same canvas (anew where its canvas or type changed), and
 * releases the charts not given; `destroy` releases them all when the view is left.
 */
export class ChartSlots<T extends ChartType> {
  readonly #charts = new Map<string, Chart<T>>();

  get size(): number {
    return this.#charts.size;
  }

  draw(charts: Iterable<ChartOn<T>>): void {
    const drawn = new Set<string>();
    for (const { id, canvas, config } of charts) {
      drawn.add(id);
      const chart = this.#charts.get(id);
      if (chart?.canvas === canvas && (chart.config as { type?: string }).type === config.type) {
        chart.data = config.data;
        if (config.options) chart.options = config.options;
        chart.update();
        continue;
      }
      chart?.destroy();
      this.#charts.set(id, new Chart(canvas, config));
    }
    for (const [id, chart] of this.#charts) {
      if (drawn.has(id)) continue;
      chart.destroy();
      this.#charts.delete(id);
    }
  }

  destroy(): void {
    this.draw([]);
  }
}

export { Chart };
