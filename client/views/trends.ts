import { api, csvUrl, type MeasureInfo, type Target } from '../api';
import { element } from '../dom';
import { lang, pick, t } from '../i18n';
import { ChartSlot, colour } from '../lib/charts';
import { drillDown } from '../lib/drill';
import { ViewStatus } from '../lib/view-status';
import { Figure } from '../lib/figure';
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
  universityLabel,
  grainWord,
  scopeFilters,
} from '../lib/filters';
import { formatTick, formatValue } from '../lib/format';
import type { RenderView, ViewContext } from '../view';

const PER_YEAR = { year: 1, quarter: 4, month: 12 } as const;

interface Series {
  label: string;
  measure: MeasureInfo;
  /** The university the line is for; null for the alliance as a whole. */
  university: string | null;
  values: number[];
  records: number[];
  /** The yearly target, spread evenly over the periods of a year (null where none is set). */
  target: Array<number | null>;
}

/**
 * Lines by month, quarter or year: one measure per university, or several measures of one
 * university (or of the alliance); each with its target as a dashed, labelled line.
 */
export const renderTrends: RenderView = (container, first) => {
  const { meta } = first;
  const barSlot = element('div');
  const figure = new Figure('trend', { tall: true });
  const chart = new ChartSlot<'line'>(figure.canvas);
  const status = new ViewStatus(container);
  const note = element('p', { class: 'muted target-note' });
  container.append(element('h1', {}, t('trends.title')), barSlot, status.errorBox, figure.element, note);

  const load = async (ctx: ViewContext) => {
    const filters = readFilters(ctx.params, meta, {
      grain: 'quarter',
      measure: 'tech_transfer.contract_value',
      from: AGREEMENT_DAY,
    });
    const mode = ctx.params.get('series') === 'measures' ? 'measures' : 'universities';
    const known = new Set<string>(meta.measures.map((m) => m.id));
    const chosen = (ctx.params.get('measures') ?? '').split(',').filter((m) => known.has(m));
    const measures = mode === 'measures' ? (chosen.length > 0 ? chosen : [filters.measure]) : [filters.measure];
    const subject = meta.universities.some((u) => u.code === ctx.params.get('subject')) ? ctx.params.get('subject')! : '';

    const seriesSelect = element('select', { name: 'series', id: 'trends-series' });
    for (const value of ['universities', 'measures'] as const) {
      const option = element('option', { value }, t(`trends.series.${value}`));
      option.selected = value === mode;
      seriesSelect.append(option);
    }
    const extra: HTMLElement[] = [
      element('div', { class: 'control' }, element('label', { for: seriesSelect.id }, t('trends.series')), seriesSelect),
    ];
    const subjectSelect = element('select', { name: 'subject', id: 'trends-subject' });
    const measureBoxes = element(
      'fieldset',
      { class: 'check-group', 'data-filter': 'measures' },
      element('legend', {}, t('trends.measures')),
    );
    if (mode === 'measures') {
      subjectSelect.append(element('option', { value: '' }, t('table.alliance')));
      for (const u of meta.universities) {
        const option = element('option', { value: u.code }, universityLabel(meta, u.code));
        option.selected = u.code === subject;
        subjectSelect.append(option);
      }
      extra.push(
        element('div', { class: 'control' }, element('label', { for: subjectSelect.id }, t('trends.subject')), subjectSelect),
      );
      for (const m of meta.measures) {
        const input = element('input', { type: 'checkbox', name: 'measures', value: m.id });
        input.checked = measures.includes(m.id);
        measureBoxes.append(element('label', { class: 'check' }, input, pick(m.name)));
      }
      extra.push(measureBoxes);
    }
    const extraParams = () => {
      const boxes = [...measureBoxes.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
      return {
        series: seriesSelect.value,
        subject: seriesSelect.value === 'measures' ? subjectSelect.value || undefined : undefined,
        measures: seriesSelect.value === 'measures' && boxes.length > 0 ? boxes.join(',') : undefined,
      };
    };
    barSlot.replaceChildren(
      filterBar(
        'trends',
        ctx,
        filters,
        {
          grain: true,
          measure: mode === 'universities',
          universities: mode === 'universities',
          regions: mode === 'universities',
          extra,
        },
        extraParams,
      ),
    );

    const query = apiScope(filters);
    if (mode === 'measures') {
      query.delete('region');
      if (subject) query.set('university', subject);
      else query.delete('university');
    }
    query.set('measures', measures.join(','));
    query.set('by', mode === 'universities' ? `university,${filters.grain}` : filters.grain);
    query.set('fill', 'true');
    query.set('withRecords', 'true');
    const targetQuery = new URLSearchParams({ measure: measures.join(',') });
    await status.run(ctx.signal, async () => {
      const [answer, { targets }] = await Promise.all([api.aggregate(query, ctx.signal), api.targets(targetQuery, ctx.signal)]);
      if (ctx.signal.aborted) return;
      const periods = [...new Set(answer.rows.map((r) => String(r[filters.grain])))].sort();
      const labels = periods.map((p) => periodLabel(p, filters.grain));
      const targetFor = (measure: MeasureInfo, university: string | null, period: string): number | null => {
        if (measure.temporality === 'stock') return null;
        const year = Number(period.slice(0, 4));
        const hit = targets.find((x: Target) => x.measure === measure.id && x.year === year && x.university === university);
        return hit ? hit.value / PER_YEAR[filters.grain] : null;
      };
      const series: Series[] = [];
      if (mode === 'universities') {
        const measure = measureOf(meta, filters.measure);
        const codes = meta.universities.map((u) => u.code).filter((c) => answer.rows.some((r) => r.university === c));
        for (const code of codes) {
          const rows = periods.map((p) => answer.rows.find((r) => r.university === code && String(r[filters.grain]) === p));
          series.push({
            label: universityLabel(meta, code),
            measure,
            university: code,
            values: rows.map((r) => Number(r?.[measure.id] ?? 0)),
            records: rows.map((r) => Number(r?.[`${measure.id}:records`] ?? 0)),
            target: periods.map((p) => targetFor(measure, code, p)),
          });
        }
      } else {
        for (const id of measures) {
          const measure = measureOf(meta, id);
          const rows = periods.map((p) => answer.rows.find((r) => String(r[filters.grain]) === p));
          series.push({
            label: pick(measure.name),
            measure,
            university: subject || null,
            values: rows.map((r) => Number(r?.[id] ?? 0)),
            records: rows.map((r) => Number(r?.[`${id}:records`] ?? 0)),
            target: periods.map((p) => targetFor(measure, subject || null, p)),
          });
        }
      }
      draw(ctx, figure, chart, series, periods, labels, filters, query, mode);
      // The dashed targets only where a measure shown takes one.
      const anyTargeted = measures.some((id) => meta.measures.find((m) => m.id === id)?.targeted);
      note.textContent = !anyTargeted
        ? t('overview.untargeted')
        : filters.grain === 'year'
          ? t('trends.targetNoteYear')
          : t('trends.targetNote', { n: PER_YEAR[filters.grain] });
      return answer.rows.length === 0 ? 'empty' : 'ready';
    });
  };
  void load(first);
  return { update: load, destroy: () => chart.destroy() };
};

function draw(
  ctx: ViewContext,
  figure: Figure,
  slot: ChartSlot<'line'>,
  series: Series[],
  periods: string[],
  labels: string[],
  filters: Filters,
  query: URLSearchParams,
  mode: 'universities' | 'measures',
): void {
  const open = (s: Series, i: number) =>
    drillDown(ctx, {
      measure: s.measure,
      filters: {
        ...(mode === 'universities' ? scopeFilters(filters) : {}),
        ...(s.university ? { university: s.university } : {}),
      },
      ...clampRange(periodRange(periods[i]!), filters),
      label: `${s.label} · ${labels[i]}`,
      value: s.values[i]!,
      records: s.records[i]!,
    });
  const units = [...new Set(series.map((s) => s.measure.unit))];
  const axisOf = (s: Series) => (units.length > 1 && s.measure.unit === 'cny' ? 'y2' : 'y');
  const first = series[0]?.measure;
  const names = series.map((s) => s.measure);
  figure.describe({
    title:
      mode === 'universities' && first
        ? t('trends.chartTitle', { name: pick(first.name), grain: grainWord(filters.grain) })
        : t('trends.chartTitleMeasures', { grain: grainWord(filters.grain) }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [...new Map(names.map((m) => [m.id, m])).values()],
    summary:
      series.length === 0
        ? t('state.empty')
        : series
            .map(
              (s) =>
                `${s.label}: ${labels[0]} ${formatValue(s.values[0] ?? 0, s.measure.unit)} → ${labels.at(-1)} ${formatValue(s.values.at(-1) ?? 0, s.measure.unit)}`,
            )
            .join('; '),
  });
  figure.empty(series.length === 0 || series.every((s) => s.values.every((v) => v === 0)));
  figure.table({
    columns: [t(`grain.${filters.grain}`), ...series.flatMap((s) => [s.label, t('trends.targetOf', { label: s.label })])],
    rows: periods.map((p, i) => [
      { text: labels[i]!, header: true, value: p },
      ...series.flatMap((s) => [
        { text: formatValue(s.values[i]!, s.measure.unit, { exact: true }), value: s.values[i]!, drill: () => open(s, i) },
        { text: formatValue(s.target[i], s.measure.unit), value: s.target[i] ?? null },
      ]),
    ]),
  });
  // Each dataset's series, and whether it is the target line: tooltips and clicks read these.
  const owners: Array<{ series: Series; target: boolean }> = [];
  const datasets = series.flatMap((s, i) => {
    const color = colour(i);
    owners.push({ series: s, target: false });
    const lines: Array<Record<string, unknown>> = [
      {
        label: s.label,
        data: s.values,
        borderColor: color,
        backgroundColor: color,
        pointRadius: 2,
        cubicInterpolationMode: 'monotone',
        yAxisID: axisOf(s),
      },
    ];
    if (s.target.some((v) => v !== null)) {
      owners.push({ series: s, target: true });
      lines.push({
        label: t('trends.targetOf', { label: s.label }),
        data: s.target,
        borderColor: color,
        backgroundColor: color,
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        yAxisID: axisOf(s),
      });
    }
    return lines;
  });
  const unitOfAxis = (axis: 'y' | 'y2') => series.find((s) => axisOf(s) === axis)?.measure.unit ?? 'count';
  slot.set({
    type: 'line',
    data: { labels, datasets: datasets as never },
    options: {
      responsive: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label}: ${formatValue(item.parsed.y, owners[item.datasetIndex]!.series.measure.unit)}`,
          },
        },
      },
      scales: {
        y: { beginAtZero: true, ticks: { callback: (v) => formatTick(Number(v), unitOfAxis('y')) } },
        ...(units.length > 1
          ? {
              y2: {
                position: 'right' as const,
                beginAtZero: true,
                grid: { drawOnChartArea: false },
                ticks: { callback: (v: string | number) => formatTick(Number(v), 'cny') },
              },
            }
          : {}),
      },
      onClick: (_event, elements) => {
        const hit = elements[0];
        const owner = hit && owners[hit.datasetIndex];
        if (hit && owner && !owner.target) open(owner.series, hit.index); // a target line has no records behind it
      },
    },
  });
}
