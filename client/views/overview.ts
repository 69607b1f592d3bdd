import { api, csvUrl, type Meta, type MeasureSummary, type SummaryAnswer, type AggregateAnswer, type MeasureInfo } from '../api';
import { element } from '../dom';
import { lang, pick, t } from '../i18n';
import { ChartSlot, colour, tint } from '../lib/charts';
import { drillDown } from '../lib/drill';
import { ViewStatus } from '../lib/view-status';
import { Figure } from '../lib/figure';
import { formatChangeOf, formatPercent, formatTick, formatValue, type Unit } from '../lib/format';
import {
  AGREEMENT_DAY,
  apiScope,
  clampRange,
  filterBar,
  type Filters,
  measureOf,
  periodLabel,
  periodRange,
  readFilters,
  grainWord,
  scopeFilters,
} from '../lib/filters';
import type { RenderView, ViewContext } from '../view';

import { MEASURE_GROUPS as KINDS } from '../../contract/measure-ids';
const HEADLINE_DEFAULT = 'tech_transfer.contract_value';

/** A measure's line in its group's card; built once, its texts and sparkline updated in place. */
class MeasureLine {
  readonly element: HTMLElement;
  readonly #value = element('span', { class: 'kpi-value' });
  readonly #change = element('span', { class: 'kpi-change' });
  readonly #yoy = element('span', { class: 'kpi-change' });
  readonly #progress = element('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' });
  readonly #bar = element('span', { class: 'progress-bar' });
  readonly #progressText = element('span', { class: 'progress-text' });
  readonly #spark: ChartSlot<'line'>;

  constructor(readonly measure: MeasureInfo) {
    const canvas = element('canvas', { class: 'sparkline', role: 'img' });
    this.#spark = new ChartSlot(canvas);
    this.#progress.append(this.#bar);
    this.element = element(
      'div',
      { class: 'kpi-line', 'data-measure': measure.id },
      element('div', { class: 'kpi-name' }, pick(measure.name), infoTip(measure)),
      this.#value,
      element('div', { class: 'kpi-changes' }, this.#change, this.#yoy),
      element('div', { class: 'kpi-target' }, this.#progress, this.#progressText),
      element('div', { class: 'spark-box' }, canvas),
    );
  }

  update(summary: SummaryAnswer, m: MeasureSummary, series: Array<{ key: string; value: number }>): void {
    const unit = this.measure.unit;
    this.#value.textContent = formatValue(m.value, unit);
    this.#value.dataset.value = String(m.value);
    this.#value.title = formatValue(m.value, unit, { exact: true });
    const trend = (change: number | null) => (change === null ? 'flat' : change > 0 ? 'up' : change < 0 ? 'down' : 'flat');
    this.#change.textContent = t('overview.vsPrevious', {
      change: formatChangeOf(unit, m.value, m.previous, m.change),
      from: summary.previousPeriod.from,
      to: summary.previousPeriod.to,
    });
    // A cohort figure keeps growing after its period: its change is shown, without the arrows of a trend.
    const cohort = this.measure.cohort === true;
    const cohortNote = cohort ? ` ${t('overview.cohort')}` : '';
    this.#change.textContent += cohortNote;
    this.#change.dataset.trend = cohort ? 'cohort' : trend(m.change);
    this.#change.dataset.value = String(m.change);
    const panelNote =
      m.panel.universities.length > 0 && m.panel.change !== m.yearOnYear
        ? ` ${t('overview.panel', { universities: m.panel.universities.join(', '), change: formatChangeOf(unit, m.panel.value, m.panel.yearAgo, m.panel.change) })}`
        : '';
    this.#yoy.textContent = `${t('overview.vsYearAgo', { change: formatChangeOf(unit, m.value, m.yearAgo, m.yearOnYear), from: summary.yearAgoPeriod.from, to: summary.yearAgoPeriod.to })}${panelNote}`;
    this.#yoy.textContent += cohortNote;
    this.#yoy.dataset.trend = cohort ? 'cohort' : trend(m.yearOnYear);
    this.#yoy.dataset.value = String(m.yearOnYear);
    if (m.target === null || m.progress === null) {
      this.#progress.hidden = true;
      this.#progressText.textContent =
        this.measure.temporality === 'stock'
          ? t('overview.stock')
          : this.measure.targeted
            ? t('overview.noTarget', { year: m.targetYear })
            : t('overview.untargeted');
    } else {
      const percent = Math.round(m.progress * 1000) / 10;
      this.#progress.hidden = false;
      this.#progress.setAttribute('aria-valuenow', String(Math.min(100, percent)));
      this.#progress.setAttribute('aria-label', t('overview.progressLabel', { year: m.targetYear }));
      this.#bar.style.width = `${Math.min(100, percent)}%`;
      this.#progressText.textContent = t('overview.progress', {
        percent: formatPercent(m.progress),
        done: formatValue(m.yearToDate, unit),
        target: formatValue(m.target, unit),
        year: m.targetYear,
      });
      this.#progressText.dataset.value = String(m.progress);
    }
    const color = colour(KINDS.indexOf(this.measure.group));
    this.#spark.canvas.setAttribute('aria-label', t('overview.sparkline', { name: pick(this.measure.name) }));
    this.#spark.set({
      type: 'line',
      data: {
        labels: series.map((s) => s.key),
        datasets: [
          {
            data: series.map((s) => s.value),
            borderColor: color,
            backgroundColor: tint(color, 0.15),
            fill: true,
            pointRadius: 0,
            borderWidth: 1.5,
            tension: 0.3,
          },
        ],
      },
      options: {
        responsive: true,
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
        events: [],
      },
    });
  }

  destroy(): void {
    this.#spark.destroy();
  }
}

function infoTip(measure: MeasureInfo): HTMLElement {
  const text = `${pick(measure.definition)} ${t('figure.standard', { standard: pick(measure.standard.reference) })}`;
  return element('abbr', { class: 'info', title: text, tabindex: '0', 'aria-label': text }, 'ⓘ');
}

/** The months from 23 months before `to` through `to`'s month: the sparklines' window. */
function sparkWindow(to: string): { from: string; to: string } {
  const year = Number(to.slice(0, 4));
  const month = Number(to.slice(5, 7));
  const start = new Date(Date.UTC(year, month - 1 - 23, 1));
  return { from: start.toISOString().slice(0, 10), to };
}

export const renderOverview: RenderView = (container, first) => {
  const { meta } = first;
  const heading = element('h1', {}, t('overview.title'));
  const subtitle = element('p', { class: 'muted period-line' });
  const barSlot = element('div');
  const cardsBox = element('div', { class: 'kpi-grid' });
  const lines = new Map<string, MeasureLine>();
  for (const kind of KINDS) {
    const measures = meta.measures.filter((m) => m.group === kind);
    const card = element('article', { class: 'kpi-card', 'data-group': kind }, element('h2', {}, t(`kind.${kind}`)));
    for (const m of measures) {
      const line = new MeasureLine(m);
      lines.set(m.id, line);
      card.append(line.element);
    }
    cardsBox.append(card);
  }
  const summaryFigure = new Figure('summary');
  const headline = new Figure('headline', { tall: true });
  const headlineChart = new ChartSlot<'line'>(headline.canvas);
  const status = new ViewStatus(container);
  container.append(heading, subtitle, barSlot, status.errorBox, cardsBox, headline.element, summaryFigure.element);

  const load = async (ctx: ViewContext) => {
    const filters = readFilters(ctx.params, meta, { measure: HEADLINE_DEFAULT, grain: 'quarter' });
    barSlot.replaceChildren(
      filterBar('overview', ctx, filters, { grain: true, measure: true, universities: true, regions: true }),
    );
    const scope = apiScope(filters);
    const spark = sparkWindow(filters.to);
    const sparkQuery = new URLSearchParams(scope);
    sparkQuery.set('from', spark.from);
    sparkQuery.set('measures', meta.measures.map((m) => m.id).join(','));
    sparkQuery.set('by', 'month');
    sparkQuery.set('fill', 'true');
    const headlineQuery = new URLSearchParams(scope);
    headlineQuery.set('from', AGREEMENT_DAY < filters.from ? AGREEMENT_DAY : filters.from);
    headlineQuery.set('measures', filters.measure);
    headlineQuery.set('by', filters.grain);
    headlineQuery.set('fill', 'true');
    headlineQuery.set('withRecords', 'true');
    await status.run(ctx.signal, async () => {
      // One request per kind of answer, in parallel: never one per card.
      const [summary, sparks, trend] = await Promise.all([
        api.summary(scope, ctx.signal),
        api.aggregate(sparkQuery, ctx.signal),
        api.aggregate(headlineQuery, ctx.signal),
      ]);
      if (ctx.signal.aborted) return;
      subtitle.textContent = t('overview.period', { from: summary.period.from, to: summary.period.to });
      for (const m of summary.measures) {
        lines.get(m.measure)?.update(
          summary,
          m,
          sparks.rows.map((r) => ({ key: String(r.month), value: Number(r[m.measure] ?? 0) })),
        );
      }
      drawSummaryTable(summaryFigure, summary, scope, meta);
      drawHeadline(ctx, headline, headlineChart, trend, filters, headlineQuery);
      return 'ready';
    });
  };

  void load(first);
  return {
    update: load,
    destroy() {
      for (const line of lines.values()) line.destroy();
      headlineChart.destroy();
    },
  };
};

function drawSummaryTable(figure: Figure, summary: SummaryAnswer, scope: URLSearchParams, meta: Meta): void {
  figure.describe({
    title: t('overview.summaryTitle'),
    csv: csvUrl('/summary', scope, lang()),
    measures: [],
    summary: t('overview.summaryAlt', { from: summary.period.from, to: summary.period.to }),
  });
  figure.element.querySelector('.chart-box')?.remove();
  figure.element.querySelector('[data-action="toggle-table"]')?.remove();
  figure.element.querySelector<HTMLElement>('.table-box')!.hidden = false;
  figure.table({
    columns: [
      t('table.measure'),
      t('table.value'),
      t('table.previous'),
      t('table.change'),
      t('table.yearAgo'),
      t('table.yearOnYear'),
      t('table.target'),
      t('table.progress'),
      t('table.records'),
    ],
    rows: summary.measures.map((m) => {
      const unit = m.unit;
      return [
        // The measure's name for people; its id stays in data-value.
        { text: pick(measureOf(meta, m.measure).name), header: true, value: m.measure },
        { text: formatValue(m.value, unit, { exact: true }), value: m.value },
        { text: formatValue(m.previous, unit, { exact: true }), value: m.previous },
        { text: formatChangeOf(unit as Unit, m.value, m.previous, m.change), value: m.change },
        { text: formatValue(m.yearAgo, unit, { exact: true }), value: m.yearAgo },
        { text: formatChangeOf(unit as Unit, m.value, m.yearAgo, m.yearOnYear), value: m.yearOnYear },
        { text: formatValue(m.target, unit, { exact: true }), value: m.target },
        { text: formatPercent(m.progress), value: m.progress },
        { text: m.records.toLocaleString(), value: m.records },
      ];
    }),
  });
}

function drawHeadline(
  ctx: ViewContext,
  figure: Figure,
  slot: ChartSlot<'line'>,
  trend: AggregateAnswer,
  filters: Filters,
  query: URLSearchParams,
): void {
  const measure = measureOf(ctx.meta, filters.measure);
  const rows = trend.rows;
  const values = rows.map((r) => Number(r[measure.id] ?? 0));
  const labels = rows.map((r) => periodLabel(r[filters.grain]!, filters.grain));
  const peak = rows.length > 0 ? rows[values.indexOf(Math.max(...values))] : undefined;
  figure.describe({
    title: t('overview.headline', {
      name: pick(measure.name),
      grain: grainWord(filters.grain),
    }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [measure],
    summary: peak
      ? t('overview.headlineAlt', {
          name: pick(measure.name),
          from: labels[0]!,
          to: labels.at(-1)!,
          last: formatValue(values.at(-1) ?? 0, measure.unit),
          peak: periodLabel(peak[filters.grain]!, filters.grain),
          peakValue: formatValue(Math.max(...values), measure.unit),
        })
      : t('state.empty'),
  });
  const open = (i: number) => {
    const row = rows[i]!;
    drillDown(ctx, {
      measure,
      filters: scopeFilters(filters),
      ...clampRange(periodRange(row[filters.grain]!), { from: query.get('from')!, to: filters.to }),
      label: labels[i]!,
      value: values[i]!,
      records: Number(row[`${measure.id}:records`] ?? 0),
    });
  };
  figure.empty(values.every((v) => v === 0));
  figure.table({
    columns: [t(`grain.${filters.grain}`), pick(measure.name), t('table.records')],
    rows: rows.map((r, i) => [
      { text: labels[i]!, header: true, value: String(r[filters.grain]) },
      { text: formatValue(values[i]!, measure.unit, { exact: true }), value: values[i]!, drill: () => open(i) },
      { text: String(r[`${measure.id}:records`] ?? 0), value: Number(r[`${measure.id}:records`] ?? 0) },
    ]),
  });
  const color = colour(0);
  slot.set({
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: pick(measure.name),
          data: values,
          borderColor: color,
          backgroundColor: tint(color, 0.12),
          fill: true,
          pointRadius: 2,
          tension: 0.25,
        },
      ],
    },
    options: {
      responsive: true,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${pick(measure.name)}: ${formatValue(item.parsed.y, measure.unit)}` } },
      },
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatTick(Number(v), measure.unit) } } },
      onClick: (_event, elements) => {
        const hit = elements[0];
        if (hit) open(hit.index);
      },
    },
  });
}
