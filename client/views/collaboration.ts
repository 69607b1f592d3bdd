import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { recordsColumn } from '../../contract/aggregate-columns';
import { html } from 'lit-html';
import { api, type CollaborationAnswer, csvUrl } from '../api';
import { lang, pick, t } from '../i18n';
import { Chart } from '../lib/charts';
import { onHit } from '../lib/palette';
import { drillDown } from '../lib/drill';
import { Figure, type FigureContent, figureCell, unitColumn } from '../lib/figure';
import { aggregateQuery, type Filters, measureOf, universityLabel } from '../lib/filters';
import { formatValue } from '../lib/format';
import { chartView } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';

Chart.register(MatrixController, MatrixElement);

/** The measures that have a partner university: credits, joint training, joint contracts and projects. */
export const COLLABORATION_MEASURES = [
  'credits.credits',
  'credits.students',
  'talent.trainees',
  'talent.graduates',
  'tech_transfer.contracts',
  'tech_transfer.contract_value',
  'incubation.entered',
] as const;

/** Cividis-like sequential blues: readable with every colour-vision deficiency, light = little. */
function shade(ratio: number): string {
  const stops = [
    [239, 243, 255],
    [189, 215, 231],
    [107, 174, 214],
    [33, 113, 181],
    [8, 48, 107],
  ];
  const x = Math.max(0, Math.min(1, ratio)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  return `rgb(${a.map((c, k) => Math.round(c + (b[k]! - c) * f)).join(', ')})`;
}

/** University × partner: who works with whom, for credits, joint training and joint contracts. */
export const renderCollaboration: RenderView = (container, first) => {
  const { meta } = first;
  const figure = new Figure<'matrix'>('collaboration', { tall: true, showTable: true });
  return chartView(container, first, {
    view: 'collaboration',
    figures: [figure],
    filters: { measure: 'credits.credits', measures: COLLABORATION_MEASURES },
    bar: () => ({ measure: true, universities: true, regions: true }),
    body: (
      filters,
    ) => html`<p class="muted">${t(`collaboration.explain.${measureOf(meta, filters.measure).group}` as 'collaboration.explain.credit')}</p>
      ${figure.template()}`,
    async load(ctx, filters) {
      const query = aggregateQuery(filters, { measure: filters.measure });
      // The record count behind each cell comes from the same grouping as an aggregate.
      const by = 'university,partner_university';
      const countQuery = aggregateQuery(filters, { measures: filters.measure, by, withRecords: 'true' });
      const [answer, counts] = await Promise.all([api.collaboration(query, ctx.signal), api.aggregate(countQuery, ctx.signal)]);
      const records = (u: string, p: string) =>
        Number(counts.rows.find((r) => r.university === u && r.partner_university === p)?.[recordsColumn(filters.measure)] ?? 0);
      figure.set(content(ctx, answer, filters, query, records));
      return answer.totals.every((v) => v === 0) ? 'empty' : 'ready';
    },
  });
};

function content(
  ctx: ViewContext,
  answer: CollaborationAnswer,
  { from, to }: Filters,
  query: URLSearchParams,
  records: (university: string, partner: string) => number,
): FigureContent<'matrix'> {
  const { meta } = ctx;
  const measure = measureOf(meta, answer.measure);
  const rows = answer.universities.map((u) => universityLabel(meta, u));
  const columns = answer.partners.map((p) => universityLabel(meta, p));
  const max = Math.max(1, ...answer.matrix.flat());
  const cells = answer.universities.flatMap((u, i) =>
    answer.partners.map((p, j) => ({ x: columns[j]!, y: rows[i]!, v: answer.matrix[i]![j]!, u, p })),
  );
  const open = (c: (typeof cells)[number]) =>
    drillDown(ctx, {
      measure,
      filters: { university: c.u, partner_university: c.p },
      from,
      to,
      label: `${c.y} · ${c.x}`,
      value: c.v,
      records: records(c.u, c.p),
    });
  const strongest = cells.filter((c) => c.u !== c.p).sort((a, b) => b.v - a.v)[0];
  const exact = (v: number, drill?: () => void) => figureCell(v, measure.unit, drill);
  return {
    title: t('collaboration.chartTitle', { name: pick(measure.name), from, to }),
    csv: csvUrl('/collaboration', query, lang()),
    measures: [measure],
    summary: strongest
      ? t('collaboration.alt', {
          name: pick(measure.name),
          from: universityLabel(meta, strongest.u),
          to: universityLabel(meta, strongest.p),
          value: formatValue(strongest.v, measure.unit),
        })
      : t('state.empty'),
    empty: answer.totals.every((v) => v === 0),
    status: answer.status,
    table: {
      // On a phone the university and its total stay; the pairs are the heatmap's.
      columns: [
        t('collaboration.rowsAre'),
        ...columns.map((label) => unitColumn(label, measure.unit, true)),
        unitColumn(t('collaboration.withoutPartner'), measure.unit, true),
        unitColumn(t('table.total'), measure.unit),
      ],
      rows: answer.universities.map((u, i) => [
        { text: rows[i]!, header: true, value: u },
        ...answer.matrix[i]!.map((v, j) => exact(v, () => open(cells[i * answer.partners.length + j]!))),
        exact(answer.withoutPartner[i]!),
        { ...exact(answer.totals[i]!), status: answer.statuses[i] },
      ]),
    },
    chart: {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: pick(measure.name),
            data: cells,
            backgroundColor: (c) => {
              const v = (c.raw as { v: number } | undefined)?.v ?? 0;
              return shade(v / max);
            },
            borderColor: '#ffffff',
            borderWidth: 1,
            width: (c) => (c.chart.chartArea ? c.chart.chartArea.width / columns.length - 2 : 10),
            height: (c) => (c.chart.chartArea ? c.chart.chartArea.height / rows.length - 2 : 10),
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: () => '',
              label: (item) => {
                const c = item.raw as (typeof cells)[number];
                return `${c.y} ← ${c.x}: ${formatValue(c.v, measure.unit)}`;
              },
            },
          },
        },
        scales: {
          x: {
            type: 'category',
            labels: columns,
            offset: true,
            grid: { display: false },
            title: { display: true, text: t('collaboration.partnerAxis') },
          },
          y: {
            type: 'category',
            // The first university on top, as in the table.
            labels: rows,
            offset: true,
            reverse: false,
            grid: { display: false },
            title: { display: true, text: t('table.university') },
          },
        },
        onClick: onHit((i) => open(cells[i]!)),
      },
      plugins: [
        {
          // The figure in each cell, dark on light and light on dark.
          id: 'cell-labels',
          afterDatasetsDraw(chart) {
            const { ctx: g } = chart;
            const points = chart.getDatasetMeta(0).data as unknown as Array<{
              x: number;
              y: number;
              width: number;
              height: number;
            }>;
            g.save();
            g.font = '12px system-ui, sans-serif';
            g.textAlign = 'center';
            g.textBaseline = 'middle';
            points.forEach((point, i) => {
              const c = cells[i]!;
              g.fillStyle = c.v / max > 0.55 ? '#ffffff' : '#1d2433';
              g.fillText(formatValue(c.v, measure.unit), point.x + point.width / 2, point.y + point.height / 2);
            });
            g.restore();
          },
        },
      ],
    },
  };
}
