import { element } from '../dom';
import { ChartSlot, colour } from '../lib/charts';
import { reportNumber } from '../lib/report-format';
import type { ReportLang, ReportMeasure } from '../lib/report-types';

/**
 * A chart of the printed report: fixed size (a printed page does not resize), no animation (the
 * page is printed the moment it is ready), drawn at twice the pixel density so the PDF is sharp.
 * Its text alternative lists the values it shows.
 */
export interface BarSpec {
  title: string;
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

export function barChart(spec: BarSpec): { element: HTMLElement; slot: ChartSlot<'bar'> } {
  const width = 300;
  const height = spec.height ?? 220;
  const canvas = element('canvas', { width: String(width), height: String(height), role: 'img' });
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const show = (v: number) => (spec.percent ? `${(v * 100).toFixed(1)}%` : reportNumber(v, spec.unit, spec.lang));
  const alt = `${spec.title}: ${spec.labels.map((l, i) => `${l} ${show(spec.values[i] ?? 0)}`).join(spec.lang === 'zh' ? '；' : '; ')}`;
  canvas.setAttribute('aria-label', alt);
  const slot = new ChartSlot<'bar'>(canvas);
  const scale = (v: number) => (spec.percent ? v * 100 : spec.unit === 'cny' ? v / 10_000 : v);
  const valueAxis = {
    beginAtZero: true,
    grid: { color: '#e3e6eb' },
    ticks: { font: { size: 9 }, callback: (v: string | number) => (spec.percent ? `${v}%` : Number(v).toLocaleString()) },
  };
  const categoryAxis = { grid: { display: false }, ticks: { font: { size: 9 }, autoSkip: false } };
  slot.set({
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
  });
  const figure = element(
    'figure',
    { class: 'report-chart' },
    canvas,
    element('figcaption', {}, spec.title),
    element('p', { class: 'sr-only' }, alt),
  );
  return { element: figure, slot };
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
