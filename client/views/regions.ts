import { api, csvUrl, type AggregateAnswer, type MeasureInfo } from '../api';
import { element } from '../dom';
import { lang, pick, t } from '../i18n';
import { ChartSlot, colour } from '../lib/charts';
import { drillDown } from '../lib/drill';
import { ViewStatus } from '../lib/view-status';
import { Figure } from '../lib/figure';
import { apiScope, filterBar, type Filters, measureOf, readFilters, regionName, scopeFilters } from '../lib/filters';
import { additive, combine } from '../lib/combine';
import { formatTick, formatValue } from '../lib/format';
import type { RenderView, ViewContext } from '../view';

/**
 * By province: the chosen measure per province of the universities, and, for technology
 * transfers, where the technology goes (the partner's region).
 */
export const renderRegions: RenderView = (container, first) => {
  const { meta } = first;
  const barSlot = element('div');
  const home = new Figure('by-region', { showTable: true });
  const partner = new Figure('by-partner-region', { showTable: true });
  const homeChart = new ChartSlot<'bar'>(home.canvas);
  const partnerChart = new ChartSlot<'bar'>(partner.canvas);
  const status = new ViewStatus(container);
  container.append(
    element('h1', {}, t('regions.title')),
    barSlot,
    status.errorBox,
    element('div', { class: 'figure-pair' }, home.element, partner.element),
  );

  const load = async (ctx: ViewContext) => {
    const filters = readFilters(ctx.params, meta, { measure: 'tech_transfer.contract_value' });
    barSlot.replaceChildren(filterBar('regions', ctx, filters, { measure: true, universities: true, regions: true }));
    const measure = measureOf(meta, filters.measure);
    // Where technology goes is a property of contracts: for other measures, show contract value.
    const flowMeasure = measure.group === 'tech_transfer' ? measure : measureOf(meta, 'tech_transfer.contract_value');
    const homeQuery = apiScope(filters);
    homeQuery.set('measures', measure.id);
    homeQuery.set('by', 'region');
    homeQuery.set('withRecords', 'true');
    const partnerQuery = apiScope(filters);
    partnerQuery.set('measures', flowMeasure.id);
    partnerQuery.set('by', 'partner_region');
    partnerQuery.set('withRecords', 'true');
    await status.run(ctx.signal, async () => {
      const [byHome, byPartner] = await Promise.all([
        api.aggregate(homeQuery, ctx.signal),
        api.aggregate(partnerQuery, ctx.signal),
      ]);
      if (ctx.signal.aborted) return;
      draw(ctx, home, homeChart, byHome, measure, 'region', filters, homeQuery, 'regions.homeTitle', 0);
      draw(
        ctx,
        partner,
        partnerChart,
        byPartner,
        flowMeasure,
        'partner_region',
        filters,
        partnerQuery,
        'regions.partnerTitle',
        2,
      );
      return byHome.rows.length + byPartner.rows.length === 0 ? 'empty' : 'ready';
    });
  };
  void load(first);
  return {
    update: load,
    destroy() {
      homeChart.destroy();
      partnerChart.destroy();
    },
  };
};

function draw(
  ctx: ViewContext,
  figure: Figure,
  slot: ChartSlot<'bar'>,
  answer: AggregateAnswer,
  measure: MeasureInfo,
  by: 'region' | 'partner_region',
  filters: Filters,
  query: URLSearchParams,
  titleKey: 'regions.homeTitle' | 'regions.partnerTitle',
  colourIndex: number,
): void {
  const { meta } = ctx;
  const order = meta.regions.map((r) => r.code);
  const rows = [...answer.rows].sort((a, b) => order.indexOf(String(a[by])) - order.indexOf(String(b[by])));
  const labels = rows.map((r) => (r[by] === null ? t('regions.none') : regionName(meta, String(r[by]))));
  const values = rows.map((r) => (r[measure.id] === null ? null : Number(r[measure.id] ?? 0)));
  // The total divides a ratio's sums; a ratio has no shares of a total.
  const total = combine(measure, rows);
  const shares = additive(measure) && total !== null && total > 0;
  const open = (i: number) => {
    const row = rows[i]!;
    const key = row[by];
    drillDown(ctx, {
      measure,
      filters: { ...scopeFilters(filters), ...(key === null ? {} : { [by]: String(key) }) },
      from: filters.from,
      to: filters.to,
      label: labels[i]!,
      value: values[i]!,
      records: Number(row[`${measure.id}:records`] ?? 0),
    });
  };
  figure.describe({
    title: t(titleKey, { name: pick(measure.name), from: filters.from, to: filters.to }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [measure],
    summary:
      rows.length === 0
        ? t('state.empty')
        : labels.map((label, i) => `${label} ${formatValue(values[i]!, measure.unit)}`).join('; '),
  });
  figure.empty(rows.length === 0);
  figure.table({
    columns: [
      t(by === 'region' ? 'table.region' : 'table.partnerRegion'),
      pick(measure.name),
      t('table.share'),
      t('table.records'),
    ],
    rows: rows.map((r, i) => [
      { text: labels[i]!, header: true, value: r[by] === null ? '' : String(r[by]) },
      { text: formatValue(values[i]!, measure.unit, { exact: true }), value: values[i]!, drill: () => open(i) },
      { text: shares ? `${(((values[i] ?? 0) / total!) * 100).toFixed(1)}%` : '—' },
      { text: String(r[`${measure.id}:records`] ?? 0), value: Number(r[`${measure.id}:records`] ?? 0) },
    ]),
    footer: [
      { text: t('table.alliance'), header: true },
      { text: formatValue(total, measure.unit, { exact: true }), value: total },
      { text: shares ? '100%' : '—' },
      (() => {
        const records = rows.reduce((sum, r) => sum + Number(r[`${measure.id}:records`] ?? 0), 0);
        return { text: records.toLocaleString(), value: records };
      })(),
    ],
  });
  slot.set({
    type: 'bar',
    data: { labels, datasets: [{ label: pick(measure.name), data: values, backgroundColor: colour(colourIndex) }] },
    options: {
      responsive: true,
      indexAxis: 'y',
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${pick(measure.name)}: ${formatValue(item.parsed.x, measure.unit)}` } },
      },
      scales: { x: { beginAtZero: true, ticks: { callback: (v) => formatTick(Number(v), measure.unit) } } },
      onClick: (_event, elements) => {
        const hit = elements[0];
        if (hit) open(hit.index);
      },
    },
  });
}
