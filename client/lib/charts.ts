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

export { Chart };
