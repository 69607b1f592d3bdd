import { html, nothing } from 'lit-html';
import { api, csvUrl, type MeasureInfo, type Target } from '../api';
import { lang, pick, t } from '../i18n';
import { colour } from '../lib/charts';
import { drillDown } from '../lib/drill';
import { figureCell, Figure, type FigureContent } from '../lib/figure';
import {
  aggregateQuery,
  checkGroup,
  clampRange,
  control,
  option,
  type Filters,
  filterBar,
  grainWord,
  measureOf,
  periodLabel,
  periodRange,
  scopeFilters,
  universityLabel,
} from '../lib/filters';
import { formatTick, formatValue } from '../lib/format';
import { chartView } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';

const PER_YEAR = { year: 1, quarter: 4, month: 12 } as const;
type Mode = 'universities' | 'measures';

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

/** What the trends view reads from its URL beyond the filters: one measure per university, or several of one. */
interface Choice {
  mode: Mode;
  measures: string[];
  /** The university whose measures are shown; '' for the alliance. */
  subject: string;
}

/**
 * Lines by month, quarter or year: one measure per university, or several measures of one
 * university (or of the alliance); each with its target as a dashed, labelled line.
 */
export const renderTrends: RenderView = (container, first) => {
  const { meta } = first;
  let choice: Choice;
  let note = '';
  const figure = new Figure<'line'>('trend', { tall: true });

  const extra = () => {
    const { mode, subject, measures } = choice;
    return html`${control(
      'trends-series',
      t('trends.series'),
      html`<select name="series" id="trends-series">
        ${(['universities', 'measures'] as const).map((v) => option(v, t(`trends.series.${v}`), v === mode))}
      </select>`,
    )}
    ${
      mode === 'measures'
        ? html`${control(
            'trends-subject',
            t('trends.subject'),
            html`<select name="subject" id="trends-subject">
              ${option('', t('table.alliance'), subject === '')}
              ${meta.universities.map((u) => option(u.code, universityLabel(meta, u.code), u.code === subject))}
            </select>`,
          )}
          ${checkGroup(
            'measures',
            t('trends.measures'),
            meta.measures.map((m) => ({ code: m.id, label: pick(m.name) })),
            measures,
          )}`
        : nothing
    }`;
  };
  const extraParams = (data: FormData) => {
    const byMeasures = data.get('series') === 'measures';
    const boxes = data.getAll('measures').map(String);
    return {
      series: String(data.get('series')),
      subject: byMeasures ? String(data.get('subject') ?? '') || undefined : undefined,
      measures: byMeasures && boxes.length > 0 ? boxes.join(',') : undefined,
    };
  };
  return chartView(container, first, {
    figures: [figure],
    filters: { grain: 'month', measure: 'tech_transfer.contract_value' },
    read(ctx, filters) {
      const mode: Mode = ctx.params.get('series') === 'measures' ? 'measures' : 'universities';
      const known = new Set<string>(meta.measures.map((m) => m.id));
      const chosen = (ctx.params.get('measures') ?? '').split(',').filter((m) => known.has(m));
      const wanted = ctx.params.get('subject') ?? '';
      choice = {
        mode,
        measures: mode === 'measures' && chosen.length > 0 ? chosen : [filters.measure],
        subject: meta.universities.some((u) => u.code === wanted) ? wanted : '',
      };
    },
    template(ctx, alert, filters) {
      const byUniversity = choice.mode === 'universities';
      return html`<h1>${t('nav.trends')}</h1>
        ${filterBar('trends', ctx, filters, {
          grain: true,
          measure: byUniversity,
          universities: byUniversity,
          regions: byUniversity,
          extra: extra(),
          extraParams,
        })}
        ${alert} ${figure.template()}
        <p class="muted target-note">${note}</p>`;
    },
    async load(ctx, filters) {
      const { mode, measures, subject } = choice;
      // Several measures are one university's (the subject) or the alliance's, whatever the scope's filters say.
      const scope = mode === 'measures' ? { ...filters, universities: subject ? [subject] : [], regions: [] } : filters;
      const by = mode === 'universities' ? `university,${filters.grain}` : filters.grain;
      const query = aggregateQuery(scope, { measures: measures.join(','), by, fill: 'true', withRecords: 'true' });
      const targetQuery = new URLSearchParams({ measure: measures.join(',') });
      const [answer, { targets }] = await Promise.all([api.aggregate(query, ctx.signal), api.targets(targetQuery, ctx.signal)]);
      const periods = [...new Set(answer.rows.map((r) => String(r[filters.grain])))].sort();
      const targetFor = (measure: MeasureInfo, university: string | null, period: string): number | null => {
        if (measure.temporality === 'stock') return null;
        const year = Number(period.slice(0, 4));
        const hit = targets.find((x: Target) => x.measure === measure.id && x.year === year && x.university === university);
        return hit ? hit.value / PER_YEAR[filters.grain] : null;
      };
      const seriesOf = (label: string, measure: MeasureInfo, university: string | null, code?: string): Series => {
        const rows = periods.map((p) =>
          answer.rows.find((r) => String(r[filters.grain]) === p && (code === undefined || r.university === code)),
        );
        return {
          label,
          measure,
          university,
          values: rows.map((r) => Number(r?.[measure.id] ?? 0)),
          records: rows.map((r) => Number(r?.[`${measure.id}:records`] ?? 0)),
          target: periods.map((p) => targetFor(measure, university, p)),
        };
      };
      const series =
        mode === 'universities'
          ? meta.universities
              .map((u) => u.code)
              .filter((c) => answer.rows.some((r) => r.university === c))
              .map((code) => seriesOf(universityLabel(meta, code), measureOf(meta, filters.measure), code, code))
          : measures.map((id) => seriesOf(pick(measureOf(meta, id).name), measureOf(meta, id), subject || null));
      figure.set(content(ctx, series, periods, filters, query, mode));
      // The dashed targets only where a measure shown takes one.
      const anyTargeted = measures.some((id) => measureOf(meta, id).targeted);
      note = !anyTargeted
        ? t('overview.untargeted')
        : filters.grain === 'year'
          ? t('trends.targetNoteYear')
          : t('trends.targetNote', { n: PER_YEAR[filters.grain] });
      return answer.rows.length === 0 ? 'empty' : 'ready';
    },
  });
};

function content(
  ctx: ViewContext,
  series: Series[],
  periods: string[],
  filters: Filters,
  query: URLSearchParams,
  mode: Mode,
): FigureContent<'line'> {
  const labels = periods.map((p) => periodLabel(p, filters.grain, filters));
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
  // Each dataset's series, and whether it is the target line: tooltips and clicks read these.
  const owners: Array<{ series: Series; target: boolean }> = [];
  const datasets = series.flatMap((s, i) => {
    const color = colour(i);
    const line = { borderColor: color, backgroundColor: color, yAxisID: axisOf(s) };
    owners.push({ series: s, target: false });
    const lines = [{ ...line, label: s.label, data: s.values, pointRadius: 2, cubicInterpolationMode: 'monotone' as const }];
    if (s.target.some((v) => v !== null)) {
      owners.push({ series: s, target: true });
      const label = t('trends.targetOf', { label: s.label });
      lines.push({ ...line, label, data: s.target as number[], borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 } as never);
    }
    return lines;
  });
  const unitOfAxis = (axis: 'y' | 'y2') => series.find((s) => axisOf(s) === axis)?.measure.unit ?? 'count';
  return {
    title:
      mode === 'universities' && first
        ? t('trends.chartTitle', { name: pick(first.name), grain: grainWord(filters.grain) })
        : t('trends.chartTitleMeasures', { grain: grainWord(filters.grain) }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [...new Map(series.map((s) => [s.measure.id, s.measure])).values()],
    summary:
      series.length === 0
        ? t('state.empty')
        : series
            .map(
              (s) =>
                `${s.label}: ${labels[0]} ${formatValue(s.values[0] ?? 0, s.measure.unit)} → ${labels.at(-1)} ${formatValue(s.values.at(-1) ?? 0, s.measure.unit)}`,
            )
            .join('; '),
    empty: series.length === 0 || series.every((s) => s.values.every((v) => v === 0)),
    table: {
      columns: [t(`grain.${filters.grain}`), ...series.flatMap((s) => [s.label, t('trends.targetOf', { label: s.label })])],
      rows: periods.map((p, i) => [
        { text: labels[i]!, header: true, value: p },
        ...series.flatMap((s) => [
          figureCell(s.values[i]!, s.measure.unit, () => open(s, i)),
          { text: formatValue(s.target[i], s.measure.unit), value: s.target[i] ?? null },
        ]),
      ]),
    },
    chart: {
      type: 'line',
      data: { labels, datasets },
      options: {
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
    },
  };
}
