import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { MEASURE_GROUPS } from '../../contract/measure-ids';
import type { MeasureInfo, Meta } from '../api';
import type { NamedCode } from '../../contract/schemas/meta';
import { lang, pick, t } from '../i18n';
import type { ViewContext, ViewName } from '../view';
import { AGREEMENT_DAY, EARLIEST_DAY, formatter, periodRange, today, validDay } from './dates';

export type Grain = 'month' | 'quarter' | 'year';
const GRAINS: readonly Grain[] = ['month', 'quarter', 'year'];
/** What every chart view reads from its URL. */
export interface Filters {
  from: string;
  to: string;
  grain: Grain;
  universities: string[];
  regions: string[];
  measure: string;
}

/**
 * A view's own defaults. The period is not one of them: every view that reads the filters starts on
 * the same one (this year to date), and a period chosen in one goes with the person to the others.
 */
export interface FilterDefaults {
  grain?: Grain;
  measure?: string;
  /** Restricts the measure list (e.g. the collaboration view's measures). */
  measures?: readonly string[];
}

const list = (value: string | null, known: ReadonlySet<string>): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim().toUpperCase())
    .filter((v) => known.has(v));

type MetaLists = Pick<Meta, 'measures' | 'universities' | 'regions'>;

/** Reads the filters from the URL, keeping only what is valid, with the view's defaults for the rest. */
export function readFilters(params: URLSearchParams, meta: MetaLists, defaults: FilterDefaults = {}, end = today()): Filters {
  const grain = params.get('grain') as Grain | null;
  const allowed = new Set(defaults.measures ?? meta.measures.map((m) => m.id));
  const measure = params.get('measure');
  let from = validDay(params.get('from'), end) ?? `${end.slice(0, 4)}-01-01`;
  let to = validDay(params.get('to'), end) ?? end;
  if (from > to) [from, to] = [to, from];
  return {
    from,
    to,
    grain: grain && GRAINS.includes(grain) ? grain : (defaults.grain ?? 'quarter'),
    universities: list(params.get('university'), new Set(meta.universities.map((u) => u.code))),
    regions: list(params.get('region'), new Set(meta.regions.map((r) => r.code))),
    measure: measure && allowed.has(measure) ? measure : (defaults.measure ?? [...allowed][0]!),
  };
}

/** The filters as the API's query (period and scope only). */
export function apiScope(filters: Filters): URLSearchParams {
  return new URLSearchParams({ from: filters.from, to: filters.to, ...scopeFilters(filters) });
}

/** The API's query of the filters' period and scope with more parameters (`measures`, `by`, `withRecords`…). */
export function aggregateQuery(filters: Filters, params: Record<string, string>): URLSearchParams {
  const query = apiScope(filters);
  for (const [name, value] of Object.entries(params)) query.set(name, value);
  return query;
}

/** The filters as URL state (the defaults are written out too, so that a link says what it shows). */
export function filterParams(
  filters: Filters,
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    from: filters.from,
    to: filters.to,
    grain: filters.grain,
    university: filters.universities.join(',') || undefined,
    region: filters.regions.join(',') || undefined,
    measure: filters.measure,
    ...extra,
  };
}

/** The filters of the scope (universities, provinces) as the API and the Records view read them. */
export function scopeFilters(filters: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.universities.length > 0) out.university = filters.universities.join(',');
  if (filters.regions.length > 0) out.region = filters.regions.join(',');
  return out;
}

export const measureOf = (meta: Pick<Meta, 'measures'>, id: string): MeasureInfo => meta.measures.find((m) => m.id === id)!;

/** A university's, province's or field's name in the interface's language; its code when the registry has none. */
export const nameOf = (list: readonly NamedCode[], code: string): string => {
  const x = list.find((x) => x.code === code);
  return x ? (lang() === 'zh' ? x.nameZh : x.nameEn) : code;
};

export const universityName = (meta: Pick<Meta, 'universities'>, code: string): string => nameOf(meta.universities, code);

/** A university by code and name, as the lists to choose from show it: `USST · 上海理工大学`. */
export const universityTitle = (meta: Pick<Meta, 'universities'>, code: string): string =>
  `${code} · ${universityName(meta, code)}`;

/** A short name for charts: the code in English, the Chinese name in Chinese. */
export const universityLabel = (meta: Pick<Meta, 'universities'>, code: string): string =>
  lang() === 'zh' ? universityName(meta, code) : code;

export const regionName = (meta: Pick<Meta, 'regions'>, code: string): string => nameOf(meta.regions, code);

/**
 * A period key as shown: 2024年Q3 / Q3 2024, 2024年7月 / Jul 2024, 2024年 / 2024. With `within`, the
 * span the figures cover, a period it cuts is marked as part of one (the agreement's first quarter,
 * the current one), so that its lower figure is not read as a fall.
 */
export function periodLabel(key: string | number, grain: Grain, within?: { from: string; to: string }): string {
  const label = wholePeriodLabel(key, grain);
  return within && isPartialPeriod(key, within) ? t('period.partial', { label }) : label;
}

/** Whether the span the figures cover cuts the period (the agreement's first quarter, the current one). */
export function isPartialPeriod(key: string | number, within: { from: string; to: string }): boolean {
  const range = periodRange(key);
  return range.from < within.from || range.to > within.to;
}

/** The share of a period's days that the span covers (1 for a whole period), for a target spread over it. */
export function coveredShare(key: string | number, within: { from: string; to: string }): number {
  const range = periodRange(key);
  const { from, to } = clampRange(range, within);
  const days = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000 + 1;
  return from > to ? 0 : days(from, to) / days(range.from, range.to);
}

function wholePeriodLabel(key: string | number, grain: Grain): string {
  const text = String(key);
  const zh = lang() === 'zh';
  if (grain === 'quarter') {
    const [y, q] = text.split('-Q');
    return zh ? `${y}年Q${q}` : `Q${q} ${y}`;
  }
  if (grain === 'month') {
    const [y, m] = text.split('-');
    const month = formatter('month', () => new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' })).format(
      new Date(Date.UTC(Number(y), Number(m) - 1, 1)),
    );
    return zh ? `${y}年${Number(m)}月` : `${month} ${y}`;
  }
  return zh ? `${text}年` : text;
}

/** The intersection of two date ranges (a bar's period within the filter's). */
export function clampRange(a: { from: string; to: string }, b: { from: string; to: string }): { from: string; to: string } {
  return { from: a.from > b.from ? a.from : b.from, to: a.to < b.to ? a.to : b.to };
}

/** The same day `years` years earlier or later, plus `days`. */
export function shiftYear(day: string, years: number, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The period presets of the filter bar, as of `end` (today). */
export function periodPresets(end: string): Array<{ id: 'ytd' | 'lastYear' | 'last12' | 'agreement'; from: string; to: string }> {
  const year = Number(end.slice(0, 4));
  return [
    { id: 'ytd', from: `${year}-01-01`, to: end },
    { id: 'lastYear', from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
    { id: 'last12', from: shiftYear(end, -1, 1), to: end },
    { id: 'agreement', from: AGREEMENT_DAY, to: end },
  ];
}

/** A granularity inside a sentence: "quarter" in English, 季度 in Chinese. */
export const grainWord = (grain: Grain): string => (lang() === 'zh' ? t(`grain.${grain}`) : t(`grain.${grain}`).toLowerCase());

export interface FilterBarOptions {
  grain?: boolean;
  measure?: boolean;
  universities?: boolean;
  regions?: boolean;
  measures?: readonly string[];
  /** More controls of the view (e.g. stacked or grouped), placed after the filters, inside the form. */
  extra?: TemplateResult | typeof nothing;
  /** The URL state of those controls, read from the form's data on each change. */
  extraParams?: (data: FormData) => Record<string, string | undefined>;
}

/** A labelled control of the filter bar. */
export const control = (id: string, label: string, input: TemplateResult, wide = false): TemplateResult =>
  html`<div class="control ${wide ? 'wide' : ''}"><label for=${id}>${label}</label>${input}</div>`;

/** A labelled select of the filter bar, named `name` (its options from `option`). */
export const selectControl = (id: string, name: string, label: string, options: unknown, wide = false): TemplateResult =>
  control(id, label, html`<select name=${name} id=${id}>${options}</select>`, wide);

/** An option of a select, selected as the URL says (`live`: also after the person chose another). */
export const option = (value: string, label: string, selected: boolean): TemplateResult =>
  html`<option value=${value} .selected=${live(selected)}>${label}</option>`;

/** A group of checkboxes, one per option, checked as `chosen` says. */
export const checkGroup = (
  name: string,
  legend: string,
  options: ReadonlyArray<{ code: string; label: string }>,
  chosen: readonly string[],
): TemplateResult =>
  html`<fieldset class="check-group" data-filter=${name}>
    <legend>${legend}</legend>
    ${options.map(
      (o) =>
        html`<label class="check"><input type="checkbox" name=${name} value=${o.code} .checked=${live(chosen.includes(o.code))} />${o.label}</label>`,
    )}
  </fieldset>`;

/**
 * The filter bar: period (with presets), granularity, universities, provinces and measure. Every
 * change is a navigation: it goes into the URL (a new history entry), so the back button undoes it
 * and the link can be sent. The view renders it in place on each URL change: its inputs keep their
 * nodes, so keyboard focus stays where it was (`live` writes a value only where the URL's differs).
 */
export function filterBar(view: ViewName, ctx: ViewContext, filters: Filters, options: FilterBarOptions): TemplateResult {
  const { meta } = ctx;
  const end = today();
  const presets = periodPresets(end);
  const id = (name: string) => `${view}-${name}`;
  const allowed = options.measures ?? meta.measures.map((m) => m.id);
  const onChange = (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    // A date being typed passes through days out of range (the year 0002 on the way to 2021): wait for a valid one.
    if (target instanceof HTMLInputElement && target.type === 'date' && !target.validity.valid) return;
    const data = new FormData(form);
    let { from, to } = filters;
    if (target.name === 'preset') {
      const chosen = presets.find((p) => p.id === target.value);
      if (!chosen) return;
      ({ from, to } = chosen);
    } else {
      from = String(data.get('from') || from);
      to = String(data.get('to') || to);
    }
    const next: Filters = {
      from,
      to,
      grain: (data.get('grain') as Grain | null) ?? filters.grain,
      universities: options.universities ? data.getAll('university').map(String) : filters.universities,
      regions: options.regions ? data.getAll('region').map(String) : filters.regions,
      measure: String(data.get('measure') ?? filters.measure),
    };
    ctx.navigate(view, filterParams(next, options.extraParams?.(data)));
  };
  // A render that lands while a day is half typed (its year at 0002) must not put the old day back.
  const shown = (name: 'from' | 'to'): string => {
    const input = document.getElementById(id(name));
    const typing = input instanceof HTMLInputElement && input === document.activeElement && !input.validity.valid;
    return typing ? input.value : filters[name];
  };
  const dateInput = (name: 'from' | 'to') =>
    html`<input type="date" name=${name} id=${id(name)} min=${EARLIEST_DAY} max=${end} .value=${live(shown(name))} />`;
  // On a phone the form folds behind a one-line summary of what it filters by; on a desk it is always open.
  const formId = id('filters');
  const toggle = (event: Event) => {
    filtersOpen = !filtersOpen;
    const button = event.currentTarget as HTMLButtonElement;
    button.setAttribute('aria-expanded', String(filtersOpen));
    button.closest('.filters-panel')?.setAttribute('data-open', String(filtersOpen));
  };
  return html`<div class="filters-panel" data-open=${String(filtersOpen)}>
    <button type="button" class="filters-toggle" aria-expanded=${String(filtersOpen)} aria-controls=${formId} @click=${toggle}>
      <span class="filters-toggle-label">${t('filters.label')}</span>
      <span class="filters-summary" data-summary>${filterSummary(meta, filters, options)}</span>
    </button>
    <form class="filters" id=${formId} role="search" aria-label=${t('filters.label')} @submit=${(e: Event) => e.preventDefault()} @change=${onChange}>
    ${selectControl(id('preset'), 'preset', t('filters.period'), [
      option('', t('filters.custom'), false),
      presets.map((p) => option(p.id, t(`filters.preset.${p.id}`), p.from === filters.from && p.to === filters.to)),
    ])}
    ${control(id('from'), t('filters.from'), dateInput('from'))}
    ${control(id('to'), t('filters.to'), dateInput('to'))}
    ${
      options.grain
        ? selectControl(
            id('grain'),
            'grain',
            t('filters.grain'),
            GRAINS.map((g) => option(g, t(`grain.${g}`), g === filters.grain)),
          )
        : nothing
    }
    ${
      options.measure
        ? selectControl(
            id('measure'),
            'measure',
            t('filters.measure'),
            MEASURE_GROUPS.map((kind) => {
              const inKind = meta.measures.filter((m) => m.group === kind && allowed.includes(m.id));
              return inKind.length === 0
                ? nothing
                : html`<optgroup label=${t(`kind.${kind}`)}>${inKind.map((m) => option(m.id, pick(m.name), m.id === filters.measure))}</optgroup>`;
            }),
            true,
          )
        : nothing
    }
    ${
      options.universities
        ? checkGroup(
            'university',
            t('filters.universities'),
            meta.universities.map((u) => ({ code: u.code, label: universityLabel(meta, u.code) })),
            filters.universities,
          )
        : nothing
    }
    ${
      options.regions
        ? checkGroup(
            'region',
            t('filters.regions'),
            meta.regions
              .filter((r) => meta.universities.some((u) => u.region === r.code))
              .map((r) => ({ code: r.code, label: regionName(meta, r.code) })),
            filters.regions,
          )
        : nothing
    }
    ${options.extra ?? nothing}
  </form></div>`;
}

/** Whether a phone shows the filter form: folded until the person opens it, and kept so from view to view. */
let filtersOpen = false;

/** What the filters choose, on one line: the period, the grain, the measure and the scope. */
export function filterSummary(
  meta: Pick<Meta, 'measures' | 'universities' | 'regions'>,
  filters: Filters,
  options: FilterBarOptions,
): string {
  const parts = [`${filters.from} – ${filters.to}`];
  if (options.grain) parts.push(t(`grain.${filters.grain}`));
  if (options.measure) {
    const measure = meta.measures.find((m) => m.id === filters.measure);
    if (measure) parts.push(pick(measure.name));
  }
  if (options.universities)
    parts.push(
      filters.universities.length > 0
        ? filters.universities.map((code) => universityLabel(meta, code)).join(lang() === 'zh' ? '、' : ', ')
        : t('filters.allUniversities'),
    );
  if (options.regions && filters.regions.length > 0)
    parts.push(filters.regions.map((code) => regionName(meta, code)).join(lang() === 'zh' ? '、' : ', '));
  return parts.join(' · ');
}
