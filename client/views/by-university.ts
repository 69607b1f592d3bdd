import { type AggregateAnswer, api, csvUrl } from '../api';
import { recordsColumn } from '../../contract/aggregate-columns';
import { lang, pick, t } from '../i18n';
import { colour, onHit } from '../lib/palette';
import { additive, combine } from '../lib/combine';
import { drillDown } from '../lib/drill';
import { Figure, type FigureContent, figureCell, statusOfParts as statusOf, unitColumn } from '../lib/figure';
import type { FigureStatus } from '../../contract/figure-status';
import {
  aggregateQuery,
  clampRange,
  type Filters,
  measureOf,
  option,
  periodLabel,
  scopeFilters,
  selectControl,
  universityLabel,
} from '../lib/filters';
import { periodRange } from '../lib/dates';
import { formatTick, formatValue, joinClauses } from '../lib/format';
import { chartView } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';

/** Bars per university for one measure: a bar per period (grouped) or the periods stacked, and a table. */
export const renderByUniversity: RenderView = (container, first) => {
  let stacked = false;
  const figure = new Figure<'bar'>('by-university', { tall: true, showTable: true });
  return chartView(container, first, {
    view: 'universities',
    figures: [figure],
    filters: { grain: 'year', measure: 'tech_transfer.contract_value' },
    read: (ctx) => void (stacked = ctx.params.get('layout') === 'stacked'),
    bar: () => ({
      grain: true,
      measure: true,
      universities: true,
      regions: true,
      extra: selectControl(
        'universities-layout',
        'layout',
        t('filters.layout'),
        (['grouped', 'stacked'] as const).map((value) => option(value, t(`layout.${value}`), (value === 'stacked') === stacked)),
      ),
      extraParams: (data: FormData) => ({ layout: String(data.get('layout')) }),
    }),
    body: () => figure.template(),
    async load(ctx, filters) {
      const by = `university,${filters.grain}`;
      const query = aggregateQuery(filters, { measures: filters.measure, by, withRecords: 'true' });
      const answer = await api.aggregate(query, ctx.signal);
      figure.set(content(ctx, answer, filters, query, stacked));
      return answer.rows.length === 0 ? 'empty' : 'ready';
    },
  });
};

function content(
  ctx: ViewContext,
  answer: AggregateAnswer,
  filters: Filters,
  query: URLSearchParams,
  stacked: boolean,
): FigureContent<'bar'> {
  const { meta } = ctx;
  const measure = measureOf(meta, filters.measure);
  const universities = meta.universities
    .map((u) => u.code)
    .filter(
      (code) =>
        answer.rows.some((r) => r.university === code) ||
        filters.universities.includes(code) ||
        filters.universities.length === 0,
    );
  const periods = [...new Set(answer.rows.map((r) => String(r[filters.grain])))].sort();
  const cell = (u: string, p: string) => answer.rows.find((r) => r.university === u && String(r[filters.grain]) === p);
  // A ratio's cell may have no figure (null); the totals divide its sums (lib/combine.ts).
  const value = (u: string, p: string): number | null => {
    const figure = cell(u, p)?.[measure.id];
    return figure === null ? null : Number(figure ?? 0);
  };
  // A stock (projects in incubation) is not summed over time: its total is the last period's.
  const stock = measure.temporality === 'stock';
  const last = periods.at(-1) ?? '';
  const totals = universities.map((u) =>
    stock
      ? value(u, last)
      : combine(
          measure,
          periods.map((p) => cell(u, p)),
        ),
  );
  /** The alliance in one period: every university's cell of it combined. */
  const alliance = (p: string) =>
    combine(
      measure,
      universities.map((u) => cell(u, p)),
    );
  const top = universities[totals.indexOf(Math.max(...totals.map((v) => v ?? Number.NEGATIVE_INFINITY)))];
  const periodLabels = periods.map((p) => periodLabel(p, filters.grain, filters));
  const open = (u: string, j: number) =>
    drillDown(ctx, {
      measure,
      filters: { ...scopeFilters(filters), university: u },
      ...clampRange(periodRange(periods[j]!), filters),
      label: `${universityLabel(meta, u)} · ${periodLabels[j]}`,
      value: value(u, periods[j]!),
      records: recordsOf(u, periods[j]!),
    });
  const recordsOf = (u: string, p: string) => Number(cell(u, p)?.[recordsColumn(measure.id)] ?? 0);
  /** A university over the whole range (a stock: its last period), the figure in its total column. */
  const openTotal = (u: string, i: number) =>
    stock
      ? open(u, periods.length - 1)
      : drillDown(ctx, {
          measure,
          filters: { ...scopeFilters(filters), university: u },
          from: filters.from,
          to: filters.to,
          label: `${universityLabel(meta, u)} · ${filters.from} – ${filters.to}`,
          value: totals[i]!,
          records: periods.reduce((sum, p) => sum + recordsOf(u, p), 0),
        });
  const exact = (v: number | null, drill?: () => void, status?: FigureStatus) => figureCell(v, measure.unit, drill, status);
  // Ratios side by side only: stacked, they would read as a sum.
  const stack = stacked && additive(measure);
  return {
    title: t('byUniversity.chartTitle', { name: pick(measure.name), from: filters.from, to: filters.to }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [measure],
    summary:
      top === undefined
        ? t('state.empty')
        : t('byUniversity.alt', {
            name: pick(measure.name),
            list: joinClauses(universities.map((u, i) => `${universityLabel(meta, u)} ${formatValue(totals[i]!, measure.unit)}`)),
            top: universityLabel(meta, top),
          }),
    empty: answer.rows.length === 0,
    status: statusOf(answer.rows),
    table: {
      // On a phone the university and its total stay; the periods are the chart's.
      columns: [
        t('table.university'),
        ...periodLabels.map((label) => unitColumn(label, measure.unit, true)),
        unitColumn(stock ? t('table.atEnd') : t('table.total'), measure.unit),
      ],
      rows: universities.map((u, i) => [
        { text: universityLabel(meta, u), header: true, value: u },
        ...periods.map((p, j) => exact(value(u, p), () => open(u, j), cell(u, p)?.status)),
        exact(
          totals[i]!,
          periods.length > 0 ? () => openTotal(u, i) : undefined,
          statusOf(stock ? [cell(u, last)] : periods.map((p) => cell(u, p))),
        ),
      ]),
      footer: [
        { text: t('table.alliance'), header: true },
        ...periods.map((p) => exact(alliance(p), undefined, statusOf(universities.map((u) => cell(u, p))))),
        // The alliance over the whole range: every cell's sums (a stock: the last period's).
        exact(
          stock ? alliance(last) : combine(measure, answer.rows),
          undefined,
          statusOf(stock ? universities.map((u) => cell(u, last)) : answer.rows),
        ),
      ],
    },
    chart: {
      type: 'bar',
      data: {
        labels: universities.map((u) => universityLabel(meta, u)),
        datasets: periods.map((p, i) => ({
          label: periodLabels[i]!,
          data: universities.map((u) => value(u, p)),
          backgroundColor: colour(i),
          borderColor: '#ffffff',
          borderWidth: stack ? 1 : 0,
        })),
      },
      options: {
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatValue(item.parsed.y, measure.unit)}` } },
        },
        scales: {
          x: { stacked: stack },
          y: { stacked: stack, beginAtZero: true, ticks: { callback: (v) => formatTick(Number(v), measure.unit) } },
        },
        onClick: onHit((i, dataset) => open(universities[i]!, dataset)),
      },
    },
  };
}
