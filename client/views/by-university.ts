import { api, csvUrl } from '../api';
import { element } from '../dom';
import { lang, pick, t } from '../i18n';
import { ChartSlot, colour } from '../lib/charts';
import { drillDown } from '../lib/drill';
import { ViewStatus } from '../lib/view-status';
import { Figure } from '../lib/figure';
import {
  apiScope,
  clampRange,
  filterBar,
  measureOf,
  periodLabel,
  periodRange,
  readFilters,
  universityLabel,
  scopeFilters,
} from '../lib/filters';
import { additive, combine } from '../lib/combine';
import { formatTick, formatValue } from '../lib/format';
import type { RenderView, ViewContext } from '../view';

/** Bars per university for one measure: a bar per period (grouped) or the periods stacked, and a table. */
export const renderByUniversity: RenderView = (container, first) => {
  const { meta } = first;
  const barSlot = element('div');
  const figure = new Figure('by-university', { tall: true, showTable: true });
  const chart = new ChartSlot<'bar'>(figure.canvas);
  const status = new ViewStatus(container);
  container.append(element('h1', {}, t('byUniversity.title')), barSlot, status.errorBox, figure.element);

  const load = async (ctx: ViewContext) => {
    const filters = readFilters(ctx.params, meta, { grain: 'year', measure: 'tech_transfer.contract_value', from: '2020-01-01' });
    const stacked = ctx.params.get('layout') === 'stacked';
    const layout = element('select', { name: 'layout', id: 'universities-layout' });
    for (const value of ['grouped', 'stacked']) {
      const option = element('option', { value }, t(`layout.${value}` as 'layout.grouped'));
      option.selected = (value === 'stacked') === stacked;
      layout.append(option);
    }
    barSlot.replaceChildren(
      filterBar(
        'universities',
        ctx,
        filters,
        {
          grain: true,
          measure: true,
          universities: true,
          regions: true,
          extra: [element('div', { class: 'control' }, element('label', { for: layout.id }, t('filters.layout')), layout)],
        },
        () => ({ layout: layout.value }),
      ),
    );
    const measure = measureOf(meta, filters.measure);
    const query = apiScope(filters);
    query.set('measures', measure.id);
    query.set('by', `university,${filters.grain}`);
    query.set('withRecords', 'true');
    await status.run(ctx.signal, async () => {
      const answer = await api.aggregate(query, ctx.signal);
      if (ctx.signal.aborted) return;
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
      const records = (u: string, p: string) => Number(cell(u, p)?.[`${measure.id}:records`] ?? 0);
      // A stock (projects in incubation) is not summed over time: its total is the last period's.
      const stock = measure.temporality === 'stock';
      const totals = universities.map((u) =>
        stock
          ? value(u, periods.at(-1) ?? '')
          : combine(
              measure,
              periods.map((p) => cell(u, p)),
            ),
      );
      const top = universities[totals.indexOf(Math.max(...totals.map((v) => v ?? Number.NEGATIVE_INFINITY)))];
      figure.describe({
        title: t('byUniversity.chartTitle', { name: pick(measure.name), from: filters.from, to: filters.to }),
        csv: csvUrl('/aggregate', query, lang()),
        measures: [measure],
        summary:
          top === undefined
            ? t('state.empty')
            : t('byUniversity.alt', {
                name: pick(measure.name),
                list: universities
                  .map((u, i) => `${universityLabel(meta, u)} ${formatValue(totals[i]!, measure.unit)}`)
                  .join('; '),
                top: universityLabel(meta, top),
              }),
      });
      figure.empty(answer.rows.length === 0);
      const periodLabels = periods.map((p) => periodLabel(p, filters.grain));
      const open = (u: string, p: string, label: string) =>
        drillDown(ctx, {
          measure,
          filters: { ...scopeFilters(filters), university: u },
          ...clampRange(periodRange(p), filters),
          label: `${universityLabel(meta, u)} · ${label}`,
          value: value(u, p),
          records: records(u, p),
        });
      figure.table({
        columns: [t('table.university'), ...periodLabels, stock ? t('table.atEnd') : t('table.total')],
        rows: universities.map((u, i) => [
          { text: universityLabel(meta, u), header: true, value: u },
          ...periods.map((p, j) => ({
            text: formatValue(value(u, p), measure.unit, { exact: true }),
            value: value(u, p),
            drill: () => open(u, p, periodLabels[j]!),
          })),
          { text: formatValue(totals[i]!, measure.unit, { exact: true }), value: totals[i]! },
        ]),
        footer: [
          { text: t('table.alliance'), header: true },
          ...periods.map((p) => {
            const sum = combine(
              measure,
              universities.map((u) => cell(u, p)),
            );
            return { text: formatValue(sum, measure.unit, { exact: true }), value: sum };
          }),
          (() => {
            // The alliance over the whole range: every cell's sums (a stock: the last period's).
            const sum = stock
              ? combine(
                  measure,
                  universities.map((u) => cell(u, periods.at(-1) ?? '')),
                )
              : combine(measure, answer.rows);
            return { text: formatValue(sum, measure.unit, { exact: true }), value: sum };
          })(),
        ],
      });
      // Ratios side by side only: stacked, they would read as a sum.
      const stack = stacked && additive(measure);
      chart.set({
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
          responsive: true,
          plugins: {
            legend: { position: 'bottom' },
            tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatValue(item.parsed.y, measure.unit)}` } },
          },
          scales: {
            x: { stacked: stack },
            y: { stacked: stack, beginAtZero: true, ticks: { callback: (v) => formatTick(Number(v), measure.unit) } },
          },
          onClick: (_event, elements) => {
            const hit = elements[0];
            if (hit) open(universities[hit.index]!, periods[hit.datasetIndex]!, periodLabels[hit.datasetIndex]!);
          },
        },
      });
      return answer.rows.length === 0 ? 'empty' : 'ready';
    });
  };
  void load(first);
  return { update: load, destroy: () => chart.destroy() };
};
