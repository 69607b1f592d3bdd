import { html } from 'lit-html';
import { recordsColumn } from '../../contract/aggregate-columns';
import { type AggregateAnswer, api, csvUrl, type MeasureInfo } from '../api';
import { lang, pick, t } from '../i18n';
import { colour, onHit } from '../lib/palette';
import { additive, combine } from '../lib/combine';
import { drillDown } from '../lib/drill';
import { Figure, type FigureContent, figureCell, statusOfParts, unitColumn } from '../lib/figure';
import { aggregateQuery, type Filters, measureOf, regionName, scopeFilters } from '../lib/filters';
import { formatTick, formatValue, joinClauses } from '../lib/format';
import { chartView } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';

type By = 'region' | 'partner_region';

/**
 * By province: the chosen measure per province of the universities, and, for technology
 * transfers, where the technology goes (the partner's region).
 */
export const renderRegions: RenderView = (container, first) => {
  const { meta } = first;
  const home = new Figure<'bar'>('by-region', { showTable: true });
  const partner = new Figure<'bar'>('by-partner-region', { showTable: true });
  return chartView(container, first, {
    view: 'regions',
    figures: [home, partner],
    filters: { measure: 'tech_transfer.contract_value' },
    bar: () => ({ measure: true, universities: true, regions: true }),
    body: () => html`<div class="figure-pair">${home.template()}${partner.template()}</div>`,
    async load(ctx, filters) {
      const measure = measureOf(meta, filters.measure);
      // Where technology goes is a property of contracts: for other measures, show contract value.
      const flow = measure.group === 'tech_transfer' ? measure : measureOf(meta, 'tech_transfer.contract_value');
      const homeQuery = aggregateQuery(filters, { measures: measure.id, by: 'region', withRecords: 'true' });
      const partnerQuery = aggregateQuery(filters, { measures: flow.id, by: 'partner_region', withRecords: 'true' });
      const [byHome, byPartner] = await Promise.all([
        api.aggregate(homeQuery, ctx.signal),
        api.aggregate(partnerQuery, ctx.signal),
      ]);
      home.set(content(ctx, byHome, measure, 'region', filters, homeQuery, 0));
      partner.set(content(ctx, byPartner, flow, 'partner_region', filters, partnerQuery, 2));
      return byHome.rows.length + byPartner.rows.length === 0 ? 'empty' : 'ready';
    },
  });
};

function content(
  ctx: ViewContext,
  answer: AggregateAnswer,
  measure: MeasureInfo,
  by: By,
  filters: Filters,
  query: URLSearchParams,
  colourIndex: number,
): FigureContent<'bar'> {
  const { meta } = ctx;
  const order = meta.regions.map((r) => r.code);
  const rows = [...answer.rows].sort((a, b) => order.indexOf(String(a[by])) - order.indexOf(String(b[by])));
  const labels = rows.map((r) => (r[by] === null ? t('regions.none') : regionName(meta, String(r[by]))));
  const values = rows.map((r) => (r[measure.id] === null ? null : Number(r[measure.id] ?? 0)));
  const records = rows.map((r) => Number(r[recordsColumn(measure.id)] ?? 0));
  // The total divides a ratio's sums; a ratio has no shares of a total.
  const total = combine(measure, rows);
  const shares = additive(measure) && total !== null && total > 0;
  const name = pick(measure.name);
  const open = (i: number) => {
    const key = rows[i]![by];
    drillDown(ctx, {
      measure,
      filters: { ...scopeFilters(filters), ...(key === null ? {} : { [by]: String(key) }) },
      from: filters.from,
      to: filters.to,
      label: labels[i]!,
      value: values[i]!,
      records: records[i]!,
    });
  };
  const allRecords = records.reduce((sum, n) => sum + n, 0);
  return {
    title: t(by === 'region' ? 'regions.homeTitle' : 'regions.partnerTitle', { name, from: filters.from, to: filters.to }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [measure],
    summary:
      rows.length === 0
        ? t('state.empty')
        : joinClauses(labels.map((label, i) => `${label} ${formatValue(values[i]!, measure.unit)}`)),
    empty: rows.length === 0,
    status: statusOfParts(rows),
    table: {
      columns: [
        t(by === 'region' ? 'table.region' : 'table.partnerRegion'),
        unitColumn(name, measure.unit),
        { label: t('table.share'), secondary: true },
        { label: t('table.records'), secondary: true },
      ],
      rows: rows.map((r, i) => [
        { text: labels[i]!, header: true, value: r[by] === null ? '' : String(r[by]) },
        figureCell(values[i]!, measure.unit, () => open(i), r.status),
        { text: shares ? `${(((values[i] ?? 0) / total!) * 100).toFixed(1)}%` : '—' },
        { text: String(records[i]), value: records[i]! },
      ]),
      footer: [
        { text: t('table.alliance'), header: true },
        figureCell(total, measure.unit, undefined, statusOfParts(rows)),
        { text: shares ? '100%' : '—' },
        { text: allRecords.toLocaleString(), value: allRecords },
      ],
    },
    chart: {
      type: 'bar',
      data: { labels, datasets: [{ label: name, data: values, backgroundColor: colour(colourIndex) }] },
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `${name}: ${formatValue(item.parsed.x, measure.unit)}` } },
        },
        scales: { x: { beginAtZero: true, ticks: { callback: (v) => formatTick(Number(v), measure.unit) } } },
        onClick: onHit(open),
      },
    },
  };
}
