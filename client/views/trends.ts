import { html, nothing } from 'lit-html';
import { measureStatus, recordsColumn } from '../../contract/aggregate-columns';
import { api, csvUrl, type MeasureInfo, type Target } from '../api';
import { lang, pick, t } from '../i18n';
import { colour, partialLine, partialNote } from '../lib/palette';
import { drillDown } from '../lib/drill';
import { Figure, type FigureContent, figureCell, type Multiple, statusOfParts, unitColumn } from '../lib/figure';
import type { FigureStatus } from '../../contract/figure-status';
import {
  aggregateQuery,
  checkGroup,
  clampRange,
  coveredShare,
  isPartialPeriod,
  option,
  type Filters,
  grainWord,
  measureOf,
  periodLabel,
  scopeFilters,
  selectControl,
  universityLabel,
} from '../lib/filters';
import { periodRange } from '../lib/dates';
import { formatTick, formatValue, joinClauses, labelled } from '../lib/format';
import { chartView } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';

const PER_YEAR = { year: 1, quarter: 4, month: 12 } as const;
/**
 * What the lines are: the alliance (or the scope chosen) with its target, the default, two lines
 * that read at a glance; a line per university; or several measures of one university.
 */
type Mode = 'alliance' | 'universities' | 'measures';
const MODES: readonly Mode[] = ['alliance', 'universities', 'measures'];
/**
 * A line per university: small multiples by default, each university on its own scale with its own
 * target, so that one large university does not flatten the others; or all on one chart and scale
 * (lines only) to compare sizes.
 */
type Layout = 'multiples' | 'together';

interface Series {
  label: string;
  measure: MeasureInfo;
  /** The university the line is for; null for the alliance as a whole (or the scope chosen). */
  university: string | null;
  values: number[];
  records: number[];
  /** Each period's status (undefined where the answer has no row). */
  statuses: Array<FigureStatus | undefined>;
  /** The yearly target, spread evenly over the periods of a year, a cut period its share of days (null where none is set). */
  target: Array<number | null>;
}

/** What the trends view reads from its URL beyond the filters. */
interface Choice {
  mode: Mode;
  layout: Layout;
  measures: string[];
  /** The university whose measures are shown; '' for the alliance. */
  subject: string;
}

/**
 * Lines by month, quarter or year: by default the alliance's (or the chosen scope's) total with its
 * target; a line per university, drawn as small multiples or on one scale; or several measures of
 * one university. Periods the dates cut are drawn dotted with hollow points.
 */
export const renderTrends: RenderView = (container, first) => {
  const { meta } = first;
  let choice: Choice;
  let note = '';
  const figure = new Figure<'line'>('trend', { tall: true });

  const extra = () => {
    const { mode, subject, measures, layout } = choice;
    return html`${selectControl(
      'trends-series',
      'series',
      t('trends.series'),
      MODES.map((v) => option(v, t(`trends.series.${v}`), v === mode)),
    )}
    ${
      mode === 'universities'
        ? selectControl(
            'trends-layout',
            'layout',
            t('trends.layout'),
            (['multiples', 'together'] as const).map((v) => option(v, t(`trends.layout.${v}`), v === layout)),
          )
        : nothing
    }
    ${
      mode === 'measures'
        ? html`${selectControl('trends-subject', 'subject', t('trends.subject'), [
            option('', t('table.alliance'), subject === ''),
            meta.universities.map((u) => option(u.code, universityLabel(meta, u.code), u.code === subject)),
          ])}
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
    const series = String(data.get('series') ?? 'alliance');
    const byMeasures = series === 'measures';
    const boxes = data.getAll('measures').map(String);
    return {
      series: series === 'alliance' ? undefined : series,
      layout: series === 'universities' && data.get('layout') === 'together' ? 'together' : undefined,
      subject: byMeasures ? String(data.get('subject') ?? '') || undefined : undefined,
      measures: byMeasures && boxes.length > 0 ? boxes.join(',') : undefined,
    };
  };
  return chartView(container, first, {
    view: 'trends',
    figures: [figure],
    filters: { grain: 'month', measure: 'tech_transfer.contract_value' },
    read(ctx, filters) {
      const asked = ctx.params.get('series') as Mode | null;
      const mode: Mode = asked && MODES.includes(asked) ? asked : 'alliance';
      const known = new Set<string>(meta.measures.map((m) => m.id));
      const chosen = (ctx.params.get('measures') ?? '').split(',').filter((m) => known.has(m));
      const wanted = ctx.params.get('subject') ?? '';
      choice = {
        mode,
        layout: ctx.params.get('layout') === 'together' ? 'together' : 'multiples',
        measures: mode === 'measures' && chosen.length > 0 ? chosen : [filters.measure],
        subject: meta.universities.some((u) => u.code === wanted) ? wanted : '',
      };
    },
    bar() {
      const scoped = choice.mode !== 'measures';
      return { grain: true, measure: scoped, universities: scoped, regions: scoped, extra: extra(), extraParams };
    },
    body: () => html`${figure.template()} <p class="muted target-note">${note}</p>`,
    async load(ctx, filters) {
      const { mode, measures, subject, layout } = choice;
      // Several measures are one university's (the subject) or the alliance's, whatever the scope's filters say.
      const scope = mode === 'measures' ? { ...filters, universities: subject ? [subject] : [], regions: [] } : filters;
      const by = mode === 'universities' ? `university,${filters.grain}` : filters.grain;
      const query = aggregateQuery(scope, { measures: measures.join(','), by, fill: 'true', withRecords: 'true' });
      const targetQuery = new URLSearchParams({ measure: measures.join(',') });
      const [answer, { targets }] = await Promise.all([api.aggregate(query, ctx.signal), api.targets(targetQuery, ctx.signal)]);
      const periods = [...new Set(answer.rows.map((r) => String(r[filters.grain])))].sort();
      // The universities the scope takes in: the alliance's target is theirs summed when the scope is narrowed.
      const inScope = meta.universities
        .filter((u) => filters.universities.length === 0 || filters.universities.includes(u.code))
        .filter((u) => filters.regions.length === 0 || filters.regions.includes(u.region))
        .map((u) => u.code);
      const narrowed = mode === 'alliance' && (filters.universities.length > 0 || filters.regions.length > 0);
      const yearTarget = (measure: MeasureInfo, university: string | null, year: number): number | null => {
        const of = (code: string | null) =>
          targets.find((x: Target) => x.measure === measure.id && x.year === year && x.university === code)?.value;
        if (university !== null || !narrowed) return of(university) ?? null;
        const parts = inScope.map(of).filter((v): v is number => v !== undefined);
        return parts.length === 0 ? null : parts.reduce((sum, v) => sum + v, 0);
      };
      const targetFor = (measure: MeasureInfo, university: string | null, period: string): number | null => {
        if (measure.temporality === 'stock') return null;
        const year = yearTarget(measure, university, Number(period.slice(0, 4)));
        // A period the dates cut is held to the share of its target that its days are.
        return year === null ? null : (year / PER_YEAR[filters.grain]) * coveredShare(period, filters);
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
          records: rows.map((r) => Number(r?.[recordsColumn(measure.id)] ?? 0)),
          // Each measure's own status: beside cash received to date, an approved year's contracts stay final.
          statuses: rows.map((r) => (r ? measureStatus(r, measure.id) : undefined)),
          target: periods.map((p) => targetFor(measure, university, p)),
        };
      };
      const measure = measureOf(meta, filters.measure);
      const series =
        mode === 'alliance'
          ? [seriesOf(narrowed ? t('trends.scope') : t('table.alliance'), measure, null)]
          : mode === 'universities'
            ? meta.universities
                .map((u) => u.code)
                .filter((c) => answer.rows.some((r) => r.university === c))
                .map((code) => seriesOf(universityLabel(meta, code), measure, code, code))
            : measures.map((id) => seriesOf(pick(measureOf(meta, id).name), measureOf(meta, id), subject || null));
      figure.set(content(ctx, series, periods, filters, query, mode, layout));
      // The dashed targets only where a measure shown takes one.
      const anyTargeted = measures.some((id) => measureOf(meta, id).targeted);
      note = !anyTargeted
        ? t('overview.untargeted')
        : mode === 'universities' && layout === 'together'
          ? t('trends.targetNoteTogether')
          : filters.grain === 'year'
            ? t('trends.targetNoteYear')
            : t('trends.targetNote', { n: PER_YEAR[filters.grain] });
      return answer.rows.length === 0 ? 'empty' : 'ready';
    },
  });
};

type LineDataset = Record<string, unknown> & { label: string; data: Array<number | null> };
/** A line drawn, with the series it belongs to and whether it is the series' target (which has no records behind it). */
interface Line {
  series: Series;
  target: boolean;
  dataset: LineDataset;
}

function content(
  ctx: ViewContext,
  series: Series[],
  periods: string[],
  filters: Filters,
  query: URLSearchParams,
  mode: Mode,
  layout: Layout,
): FigureContent<'line'> {
  const labels = periods.map((p) => periodLabel(p, filters.grain, filters));
  const partial = periods.map((p) => isPartialPeriod(p, filters));
  const open = (s: Series, i: number) =>
    drillDown(ctx, {
      measure: s.measure,
      filters: {
        ...(mode === 'measures' ? {} : scopeFilters(filters)),
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
  const multiples = mode === 'universities' && layout === 'multiples';
  // Targets are drawn beside their line, except on one chart of every university (five more lines).
  const withTargets = !(mode === 'universities' && layout === 'together');
  /** A series' line (dotted where a period is cut), and its target dashed: each knows its series. */
  const linesOf = (s: Series, i: number, axis: 'y' | 'y2'): Line[] => {
    const color = colour(i);
    const line = { borderColor: color, backgroundColor: color, yAxisID: axis };
    const lines: Line[] = [
      {
        series: s,
        target: false,
        dataset: { ...line, ...partialLine(partial, color), label: s.label, data: s.values, cubicInterpolationMode: 'monotone' },
      },
    ];
    if (withTargets && s.target.some((v) => v !== null))
      lines.push({
        series: s,
        target: true,
        dataset: {
          ...line,
          label: t('trends.targetOf', { label: s.label }),
          data: s.target,
          borderDash: [6, 4],
          borderWidth: 1.5,
          pointRadius: 0,
        },
      });
    return lines;
  };
  const tick = (unit: MeasureInfo['unit']) => (v: string | number) => formatTick(Number(v), unit);
  const lineChart = (lines: Line[], scales: Record<string, unknown>, legend: boolean) => ({
    type: 'line' as const,
    data: { labels, datasets: lines.map((l) => l.dataset) as never },
    options: {
      interaction: { mode: 'nearest' as const, intersect: false },
      plugins: {
        legend: { display: legend, position: 'bottom' as const },
        tooltip: {
          callbacks: {
            label: (item: { dataset: { label?: string }; parsed: { y: number | null }; datasetIndex: number }) =>
              `${item.dataset.label}: ${formatValue(item.parsed.y, lines[item.datasetIndex]!.series.measure.unit)}`,
          },
        },
      },
      scales,
      onClick: (_event: unknown, elements: Array<{ datasetIndex: number; index: number }>) => {
        const hit = elements[0];
        const line = hit && lines[hit.datasetIndex];
        if (hit && line && !line.target) open(line.series, hit.index); // a target line has no records behind it
      },
    } as never,
  });
  const unitOfAxis = (axis: 'y' | 'y2') => series.find((s) => axisOf(s) === axis)?.measure.unit ?? 'count';
  const small: Array<Multiple<'line'>> | undefined = multiples
    ? series.map((s, i) => ({
        id: s.university ?? s.label,
        title: s.label,
        chart: lineChart(
          linesOf(s, i, 'y'),
          { y: { beginAtZero: true, ticks: { callback: tick(s.measure.unit), maxTicksLimit: 5 } } },
          false,
        ),
      }))
    : undefined;
  const cut = periods.filter((_, i) => partial[i]);
  return {
    title:
      mode !== 'measures' && first
        ? t(mode === 'alliance' ? 'trends.chartTitleAlliance' : 'trends.chartTitle', {
            name: pick(first.name),
            grain: grainWord(filters.grain),
          })
        : t('trends.chartTitleMeasures', { grain: grainWord(filters.grain) }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [...new Map(series.map((s) => [s.measure.id, s.measure])).values()],
    summary:
      series.length === 0
        ? t('state.empty')
        : joinClauses(
            series.map((s) =>
              labelled(
                s.label,
                `${labels[0]} ${formatValue(s.values[0] ?? 0, s.measure.unit)} → ${labels.at(-1)} ${formatValue(s.values.at(-1) ?? 0, s.measure.unit)}`,
              ),
            ),
          ),
    empty: series.length === 0 || series.every((s) => s.values.every((v) => v === 0)),
    status: statusOfParts(series.flatMap((s) => s.statuses.map((status) => (status ? { status } : undefined)))),
    legendNote: partialNote(
      cut,
      t('trends.partialNote', { periods: cut.map((p) => periodLabel(p, filters.grain)).join(lang() === 'zh' ? '、' : ', ') }),
    ),
    table: {
      // On a phone the period and the lines stay; the targets are secondary.
      columns: [
        t(`grain.${filters.grain}`),
        ...series.flatMap((s) => [
          unitColumn(s.label, s.measure.unit),
          unitColumn(t('trends.targetOf', { label: s.label }), s.measure.unit, true),
        ]),
      ],
      rows: periods.map((p, i) => [
        { text: labels[i]!, header: true, value: p },
        ...series.flatMap((s) => [
          figureCell(s.values[i]!, s.measure.unit, () => open(s, i), s.statuses[i]),
          figureCell(s.target[i] ?? null, s.measure.unit),
        ]),
      ]),
    },
    ...(small ? { multiples: small } : {}),
    chart: lineChart(
      series.flatMap((s, i) => linesOf(s, i, axisOf(s))),
      {
        y: { beginAtZero: true, ticks: { callback: tick(unitOfAxis('y')) } },
        ...(units.length > 1
          ? {
              y2: {
                position: 'right' as const,
                beginAtZero: true,
                grid: { drawOnChartArea: false },
                ticks: { callback: tick('cny') },
              },
            }
          : {}),
      },
      true,
    ),
  };
}
