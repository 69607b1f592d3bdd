import { html, nothing, svg } from 'lit-html';
import { recordsColumn } from '../../contract/aggregate-columns';
import { ref } from 'lit-html/directives/ref.js';
import { shiftYears } from '../../contract/days';
import { MEASURE_GROUPS as KINDS } from '../../contract/measure-ids';
import { type AggregateAnswer, api, csvUrl, type MeasureInfo, type MeasureSummary, type SummaryAnswer } from '../api';
import { lang, pick, t } from '../i18n';
import { colour, onHit, partialLine, partialNote, tint } from '../lib/palette';
import { drillDown } from '../lib/drill';
import { type Column, Figure, type FigureContent, figureCell, statusMark, statusOfParts, unitColumn } from '../lib/figure';
import type { FigureStatus } from '../../contract/figure-status';
import {
  aggregateQuery,
  apiScope,
  clampRange,
  type Filters,
  grainWord,
  measureOf,
  isPartialPeriod,
  periodLabel,
  scopeFilters,
} from '../lib/filters';
import { AGREEMENT_DAY, periodRange } from '../lib/dates';
import { formatChangeOf, formatPercent, formatTick, formatValue, tableUnit } from '../lib/format';
import { chartView } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';

const HEADLINE_DEFAULT = 'tech_transfer.contract_value';
/** The summary table's columns a phone hides: the name, value, change on a year before and progress stay. */
const SUMMARY_SECONDARY = new Set(['previous', 'change', 'yearAgo', 'target', 'records']);

/** A measure's card line: its figure, changes, target progress and sparkline of the last 24 months. */
interface Line {
  summary: MeasureSummary;
  series: number[];
}

/** The months from 23 months before `to` through `to`'s month: the sparklines' window. */
export function sparkWindow(to: string): { from: string; to: string } {
  const start = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 24, 1));
  return { from: start.toISOString().slice(0, 10), to };
}

/** Sets a bar's width (or a marker's place) through the CSSOM: the page's CSP refuses inline style attributes. */
const styleOf = (property: 'width' | 'left', percent: number) => (element?: Element) => {
  if (element) (element as HTMLElement).style[property] = `${percent}%`;
};

/**
 * A measure's last 24 months as a small line over its filled area, drawn by the template as SVG:
 * two dozen of them cost the page next to nothing, where as many charts cost a phone a second.
 * The lowest point is zero (or the lowest month below it); the highest month touches the top.
 */
export function sparkline(series: readonly number[] | undefined, color: string, label: string) {
  if (!series || series.length === 0) return svg``;
  const low = Math.min(0, ...series);
  const span = Math.max(...series) - low || 1;
  const x = (i: number) => (series.length === 1 ? 50 : (i / (series.length - 1)) * 100);
  const y = (v: number) => 29 - ((v - low) / span) * 28;
  const points = series.map((v, i) => `${x(i).toFixed(2)},${y(v).toFixed(2)}`).join(' ');
  return html`<svg class="sparkline" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label=${label}
    data-points=${series.join(',')}>${svg`<polygon points=${`0,${y(low)} ${points} 100,${y(low)}`} fill=${tint(color, 0.15)} />
    <polyline points=${points} fill="none" stroke=${color} stroke-width="1.5" vector-effect="non-scaling-stroke" />`}</svg>`;
}

/** The line under a measure's figure: its progress towards the year's target, or why there is none. */
function progressText(measure: MeasureInfo, m: MeasureSummary | undefined): string {
  if (!m) return '';
  if (m.target !== null && m.progress !== null) {
    const unit = measure.unit;
    return t('overview.progress', {
      percent: formatPercent(m.progress),
      done: formatValue(m.yearToDate, unit),
      target: formatValue(m.target, unit),
      year: m.targetYear,
    });
  }
  if (measure.temporality === 'stock') return t('overview.stock');
  return measure.targeted ? t('overview.noTarget', { year: m.targetYear }) : t('overview.untargeted');
}

const trend = (change: number | null) => (change === null ? 'flat' : change > 0 ? 'up' : change < 0 ? 'down' : 'flat');

export const renderOverview: RenderView = (container, first) => {
  const { meta } = first;
  let summary: SummaryAnswer | undefined;
  const lines = new Map<string, Line>();
  const table = new Figure('summary', { chart: false });
  const headline = new Figure<'line'>('headline', { tall: true });

  const lineTemplate = (measure: MeasureInfo) => {
    const m = lines.get(measure.id)?.summary;
    const unit = measure.unit;
    // A cohort figure keeps growing after its period: its change is shown, without the arrows of a trend.
    const cohort = measure.cohort === true;
    const cohortNote = cohort ? t('overview.cohort') : '';
    const panelNote =
      m && m.panel.universities.length > 0 && m.panel.change !== m.yearOnYear
        ? t('overview.panel', {
            universities: m.panel.universities.join(', '),
            change: formatChangeOf(unit, m.panel.value, m.panel.yearAgo, m.panel.change),
          })
        : '';
    const percent = m?.progress == null ? 0 : Math.min(100, Math.round(m.progress * 1000) / 10);
    const expected = m?.pace ? Math.round(m.pace.expected * 1000) / 10 : undefined;
    const info = `${pick(measure.definition)} ${t('figure.standard', { standard: pick(measure.standard.reference) })}`;
    return html`<div class="kpi-line" data-measure=${measure.id}>
      <div class="kpi-name">${pick(measure.name)}<details class="info"
          ><summary title=${info} aria-label=${t('figure.definitionOf', { name: pick(measure.name) })}>ⓘ</summary
          ><p class="info-text">${info}${cohortNote ? html`<br />${cohortNote}` : nothing}</p></details
        >${m ? html` ${statusMark(m.status)}` : nothing}</div>
      <span class="kpi-value" data-value=${m ? String(m.value) : nothing} title=${m ? formatValue(m.value, unit, { exact: true }) : nothing}
        >${m ? formatValue(m.value, unit) : ''}</span
      >
      <div class="kpi-changes">${
        m
          ? html`<span class="kpi-change" data-trend=${cohort ? 'cohort' : trend(m.yearOnYear)} data-value=${String(m.yearOnYear)}
              title=${cohortNote || nothing}>${t('overview.yoy', { change: formatChangeOf(unit, m.value, m.yearAgo, m.yearOnYear) })}</span>`
          : nothing
      }</div>
      <div class="kpi-target" data-status=${m?.pace?.status ?? nothing}>
        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${percent}
          aria-valuetext=${expected === undefined ? nothing : t('overview.progressValue', { percent: formatPercent(m!.progress), expected: formatPercent(m!.pace!.expected) })}
          aria-label=${m ? t('overview.progressLabel', { year: m.targetYear }) : nothing} ?hidden=${m?.target == null || m.progress === null}>
          <span class="progress-bar" ${ref(styleOf('width', percent))}></span>${
            expected === undefined
              ? nothing
              : html`<span class="progress-expected" data-expected=${String(m!.pace!.expected)} ${ref(styleOf('left', expected))}></span>`
          }
        </div>
        <span class="progress-text" data-value=${m?.progress == null ? nothing : String(m.progress)}>${
          m?.pace ? html`<strong class="pace">${t(`overview.pace.${m.pace.status}`)}</strong> · ` : nothing
        }${progressText(measure, m)}</span>
      </div>
      <details class="kpi-more ${m ? '' : 'pending'}">
        <summary>${t('overview.details')}</summary>
        ${
          m && summary
            ? html`<p class="kpi-change" data-trend=${cohort ? 'cohort' : trend(m.change)} data-value=${String(m.change)}>${t('overview.vsPrevious', { change: formatChangeOf(unit, m.value, m.previous, m.change), ...summary.previousPeriod })}</p>
              ${expected === undefined ? nothing : html`<p>${t('overview.expected', { percent: formatPercent(m.pace!.expected) })}</p>`}
              ${panelNote ? html`<p>${panelNote}</p>` : nothing} ${cohortNote ? html`<p>${cohortNote}</p>` : nothing}`
            : nothing
        }
      </details>
      <div class="spark-box">${sparkline(lines.get(measure.id)?.series, colour(KINDS.indexOf(measure.group)), t('overview.sparkline', { name: pick(measure.name) }))}</div>
    </div>`;
  };

  const summaryContent = (answer: SummaryAnswer, scope: URLSearchParams): FigureContent<'line'> => ({
    title: t('overview.summaryTitle'),
    csv: csvUrl('/summary', scope, lang()),
    measures: [],
    summary: t('overview.summaryAlt', { ...answer.period }),
    empty: false,
    status: statusOfParts(answer.measures),
    table: {
      // A measure a row: each row's money is in its table unit, named in its row header. On a phone the
      // measure, its value, its change on a year before and its progress stay; the rest is secondary.
      columns: (
        ['measure', 'value', 'previous', 'change', 'yearAgo', 'yearOnYear', 'target', 'progress', 'records'] as const
      ).map((key): Column => ({ label: t(`table.${key}`), secondary: SUMMARY_SECONDARY.has(key) })),
      rows: answer.measures.map((m) => {
        const exact = (value: number | null, status?: FigureStatus) => figureCell(value, m.unit, undefined, status);
        return [
          // The measure's name for people; its id stays in data-value.
          { text: pick(measureOf(meta, m.measure).name), header: true, value: m.measure, unit: tableUnit(m.unit).name },
          exact(m.value, m.status),
          exact(m.previous, m.previousStatus),
          { text: formatChangeOf(m.unit, m.value, m.previous, m.change), value: m.change },
          exact(m.yearAgo, m.yearAgoStatus),
          { text: formatChangeOf(m.unit, m.value, m.yearAgo, m.yearOnYear), value: m.yearOnYear },
          exact(m.target),
          { text: formatPercent(m.progress), value: m.progress, status: m.yearToDateStatus },
          { text: m.records.toLocaleString(), value: m.records },
        ];
      }),
    },
  });

  return chartView(container, first, {
    view: 'overview',
    figures: [headline, table],
    filters: { measure: HEADLINE_DEFAULT, grain: 'quarter' },
    bar: () => ({ grain: true, measure: true, universities: true, regions: true }),
    lead: (filters) =>
      html`<p class="muted period-line">${t('overview.period', { from: filters.from, to: filters.to })} · ${t('overview.basis', { from: shiftYears(filters.from, -1), to: shiftYears(filters.to, -1) })}</p>`,
    body: () => html`<div class="kpi-grid">
        ${KINDS.map(
          (kind) => html`<article class="kpi-card" data-group=${kind}>
            <h2>${t(`kind.${kind}`)}</h2>
            ${meta.measures.filter((m) => m.group === kind).map(lineTemplate)}
          </article>`,
        )}
      </div>
      ${headline.template()} ${table.template()}`,
    async load(ctx, filters) {
      const scope = apiScope(filters);
      const sparkQuery = aggregateQuery(filters, {
        from: sparkWindow(filters.to).from,
        measures: meta.measures.map((m) => m.id).join(','),
        by: 'month',
        fill: 'true',
      });
      const headlineQuery = aggregateQuery(filters, {
        from: AGREEMENT_DAY < filters.from ? AGREEMENT_DAY : filters.from,
        measures: filters.measure,
        by: filters.grain,
        fill: 'true',
        withRecords: 'true',
      });
      // One request per kind of answer, in parallel: never one per card.
      const [answer, sparkAnswer, trendAnswer] = await Promise.all([
        api.summary(scope, ctx.signal),
        api.aggregate(sparkQuery, ctx.signal),
        api.aggregate(headlineQuery, ctx.signal),
      ]);
      summary = answer;
      for (const m of answer.measures) {
        lines.set(m.measure, { summary: m, series: sparkAnswer.rows.map((r) => Number(r[m.measure] ?? 0)) });
      }
      table.set(summaryContent(answer, scope));
      headline.set(headlineContent(ctx, trendAnswer, filters, headlineQuery));
      return 'ready';
    },
  });
};

/** The headline measure since the agreement, by the chosen grain: a line, its table and drill-down. */
function headlineContent(
  ctx: ViewContext,
  trend: AggregateAnswer,
  filters: Filters,
  query: URLSearchParams,
): FigureContent<'line'> {
  const measure = measureOf(ctx.meta, filters.measure);
  const rows = trend.rows;
  const values = rows.map((r) => Number(r[measure.id] ?? 0));
  const records = rows.map((r) => Number(r[recordsColumn(measure.id)] ?? 0));
  const span = { from: query.get('from')!, to: filters.to };
  const labels = rows.map((r) => periodLabel(r[filters.grain]!, filters.grain, span));
  // The agreement's first period and the current one are cut: drawn dotted, with hollow points.
  const partial = rows.map((r) => isPartialPeriod(r[filters.grain]!, span));
  const peakValue = Math.max(...values);
  const peak = rows[values.indexOf(peakValue)];
  const name = pick(measure.name);
  const open = (i: number) =>
    drillDown(ctx, {
      measure,
      filters: scopeFilters(filters),
      ...clampRange(periodRange(rows[i]![filters.grain]!), { from: query.get('from')!, to: filters.to }),
      label: labels[i]!,
      value: values[i]!,
      records: records[i]!,
    });
  const color = colour(0);
  return {
    title: t('overview.headline', { name, grain: grainWord(filters.grain) }),
    csv: csvUrl('/aggregate', query, lang()),
    measures: [measure],
    summary: peak
      ? t('overview.headlineAlt', {
          name,
          from: labels[0]!,
          to: labels.at(-1)!,
          last: formatValue(values.at(-1) ?? 0, measure.unit),
          peak: periodLabel(peak[filters.grain]!, filters.grain),
          peakValue: formatValue(peakValue, measure.unit),
        })
      : t('state.empty'),
    empty: values.every((v) => v === 0),
    status: statusOfParts(rows),
    legendNote: partialNote(
      rows.filter((_, i) => partial[i]).map((r) => String(r[filters.grain])),
      t('overview.partialNote'),
    ),
    table: {
      columns: [t(`grain.${filters.grain}`), unitColumn(name, measure.unit), { label: t('table.records'), secondary: true }],
      rows: rows.map((r, i) => [
        { text: labels[i]!, header: true, value: String(r[filters.grain]) },
        figureCell(values[i]!, measure.unit, () => open(i), r.status),
        { text: String(records[i]), value: records[i]! },
      ]),
    },
    chart: {
      type: 'line',
      data: {
        labels,
        datasets: [
          {
            label: name,
            data: values,
            borderColor: color,
            backgroundColor: tint(color, 0.12),
            fill: true,
            ...partialLine(partial, color),
            tension: 0.25,
          },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `${name}: ${formatValue(item.parsed.y, measure.unit)}` } },
        },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatTick(Number(v), measure.unit) } } },
        onClick: onHit(open),
      },
    },
  };
}
