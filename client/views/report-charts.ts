import { html, type TemplateResult } from 'lit-html';
import { type ChartOn, ChartSlots } from '../lib/charts';
import { formatter } from '../lib/dates';
import { colour } from '../lib/palette';
import { type ReportLang, reportLocale, reportNumber } from '../lib/report-format';
import type { ReportMeasure } from '../../contract/report';

/**
 * The charts of the printed report: fixed size (a printed page does not resize), no animation (the
 * page is printed the moment it is ready), drawn at twice the pixel density so the PDF is sharp.
 * Each one's text alternative lists the values it shows.
 */
export interface BarSpec {
  /** Names the chart across renders, so that a redraw updates it in place. */
  id: string;
  title: string;
  /** The id of the table whose figures the chart draws (`data-table`), and how the caption names it. */
  table: string;
  source: string;
  labels: string[];
  values: number[];
  unit: ReportMeasure['unit'];
  lang: ReportLang;
  /** Values as percentages of 1 (attainment). */
  percent?: boolean;
  horizontal?: boolean;
  /** A reference line (100% of a target). */
  reference?: number;
  height?: number;
}

const WIDTH = 300;

/** The report's charts: `figure` puts one in a template, `draw` paints those of the last render. */
export class ReportCharts {
  readonly #slots = new ChartSlots<'bar'>();
  #specs: BarSpec[] = [];

  /** Called while a render builds its template; `draw` forgets the charts of earlier renders. */
  figure(spec: BarSpec): TemplateResult {
    this.#specs.push(spec);
    const height = spec.height ?? 220;
    const alt = `${spec.title}${spec.lang === 'zh' ? '：' : ': '}${spec.labels.map((l, i) => `${l} ${show(spec, spec.values[i] ?? 0)}`).join(spec.lang === 'zh' ? '；' : '; ')}`;
    return html`<figure class="report-chart" data-chart-of=${spec.table}>
      <canvas data-chart=${spec.id} width=${WIDTH} height=${height} role="img" aria-label=${alt}></canvas>
      <figcaption>${spec.title}<span class="chart-source">${spec.source}</span></figcaption>
      <p class="sr-only">${alt}</p>
    </figure>`;
  }

  draw(root: HTMLElement): void {
    this.#slots.draw(
      this.#specs.flatMap((spec) => {
        const canvas = root.querySelector<HTMLCanvasElement>(`canvas[data-chart="${spec.id}"]`);
        return canvas ? [{ id: spec.id, canvas, config: config(spec) }] : [];
      }),
    );
    this.#specs = [];
  }

  destroy(): void {
    this.#slots.destroy();
  }
}

/** An axis tick: grouped, up to two decimals (a scale in 万元 may step by halves); one formatter per language. */
const tick = (lang: ReportLang) => {
  const tag = reportLocale(lang);
  return formatter(`report tick ${tag}`, () => new Intl.NumberFormat(tag, { maximumFractionDigits: 2 }));
};

const show = (spec: BarSpec, v: number) => (spec.percent ? `${(v * 100).toFixed(1)}%` : reportNumber(v, spec.unit, spec.lang));

function config(spec: BarSpec): ChartOn<'bar'>['config'] {
  const scale = (v: number) => (spec.percent ? v * 100 : spec.unit === 'cny' ? v / 10_000 : v);
  const valueAxis = {
    beginAtZero: true,
    grid: { color: '#e3e6eb' },
    ticks: {
      font: { size: 9 },
      callback: (v: string | number) => (spec.percent ? `${v}%` : tick(spec.lang).format(Number(v))),
    },
  };
  const categoryAxis = { grid: { display: false }, ticks: { font: { size: 9 }, autoSkip: false } };
  return {
    type: 'bar',
    data: {
      // Long English names on a bar's side go on two lines, so the fixed-width chart never cuts them.
      labels: spec.horizontal ? spec.labels.map(wrapLabel) : spec.labels,
      datasets: [
        {
          data: spec.values.map(scale),
          backgroundColor: spec.values.map((v) => (spec.reference !== undefined && v >= spec.reference ? colour(2) : colour(0))),
          borderWidth: 0,
        },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 2,
      indexAxis: spec.horizontal ? 'y' : 'x',
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      events: [],
    },
  };
}

/** A label of more than 20 characters split at the space nearest its middle (a Chart.js multi-line label). */
function wrapLabel(label: string): string | string[] {
  if (label.length <= 20 || !label.includes(' ')) return label;
  const middle = label.length / 2;
  let best = -1;
  for (let i = label.indexOf(' '); i >= 0; i = label.indexOf(' ', i + 1))
    if (best < 0 || Math.abs(i - middle) < Math.abs(best - middle)) best = i;
  return [label.slice(0, best), label.slice(best + 1)];
}
