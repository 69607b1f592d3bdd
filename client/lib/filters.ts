import type { Meta, MeasureInfo } from '../api';
import { MEASURE_GROUPS } from '../../contract/measure-ids';
import { element } from '../dom';
import { lang, pick, t } from '../i18n';
import type { ViewContext, ViewName } from '../view';

export type Grain = 'month' | 'quarter' | 'year';
const GRAINS: readonly Grain[] = ['month', 'quarter', 'year'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day (not 2024-02-30) from the founding of the records' era to today; else null. */
function validDay(value: string | null, latest: string): string | null {
  if (!value || !DATE.test(value)) return null;
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) return null;
  return value >= '1949-10-01' && value <= latest ? value : null;
}

/** The day the alliance's framework agreement was signed; "since the agreement" starts here. */
export const AGREEMENT_DAY = '2019-10-25';

/** Today in Shanghai (the alliance's calendar), as the server counts it. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** What every chart view reads from its URL. */
export interface Filters {
  from: string;
  to: string;
  grain: Grain;
  universities: string[];
  regions: string[];
  measure: string;
}

export interface FilterDefaults {
  from?: string;
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

/** Reads the filters from the URL, keeping only what is valid, with the view's defaults for the rest. */
export function readFilters(params: URLSearchParams, meta: Meta, defaults: FilterDefaults = {}): Filters {
  const end = today();
  const from = params.get('from');
  const to = params.get('to');
  const grain = params.get('grain') as Grain | null;
  const allowed = new Set(defaults.measures ?? meta.measures.map((m) => m.id));
  const measure = params.get('measure');
  const firstDay = `${end.slice(0, 4)}-01-01`;
  let f = validDay(from, end) ?? defaults.from ?? firstDay;
  let l = validDay(to, end) ?? end;
  if (f > l) [f, l] = [l, f];
  return {
    from: f,
    to: l,
    grain: grain && GRAINS.includes(grain) ? grain : (defaults.grain ?? 'quarter'),
    universities: list(params.get('university'), new Set(meta.universities.map((u) => u.code))),
    regions: list(params.get('region'), new Set(meta.regions.map((r) => r.code))),
    measure: measure && allowed.has(measure) ? measure : (defaults.measure ?? [...allowed][0]!),
  };
}

/** The filters as the API's query (period and scope only). */
export function apiScope(filters: Filters): URLSearchParams {
  const search = new URLSearchParams({ from: filters.from, to: filters.to });
  if (filters.universities.length > 0) search.set('university', filters.universities.join(','));
  if (filters.regions.length > 0) search.set('region', filters.regions.join(','));
  return search;
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

export const measureOf = (meta: Meta, id: string): MeasureInfo => meta.measures.find((m) => m.id === id)!;

export const universityName = (meta: Meta, code: string): string => {
  const u = meta.universities.find((x) => x.code === code);
  return u ? (lang() === 'zh' ? u.nameZh : u.nameEn) : code;
};

/** A short name for charts: the code in English, the Chinese name shortened in Chinese. */
export const universityLabel = (meta: Meta, code: string): string => {
  const u = meta.universities.find((x) => x.code === code);
  if (!u) return code;
  return lang() === 'zh' ? u.nameZh : u.code;
};

export const regionName = (meta: Meta, code: string): string => {
  const r = meta.regions.find((x) => x.code === code);
  return r ? (lang() === 'zh' ? r.nameZh : r.nameEn) : code;
};

/** The days a period key covers: 2024, 2024-Q3, 2024-07. */
export function periodRange(key: string | number): { from: string; to: string } {
  const text = String(key);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const q = /^(\d{4})-Q([1-4])$/.exec(text);
  if (q) {
    const y = Number(q[1]);
    const first = (Number(q[2]) - 1) * 3 + 1;
    return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(first + 2)}-${pad(lastDay(y, first + 2))}` };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) {
    const y = Number(m[1]);
    const month = Number(m[2]);
    return { from: `${y}-${pad(month)}-01`, to: `${y}-${pad(month)}-${pad(lastDay(y, month))}` };
  }
  return { from: `${text}-01-01`, to: `${text}-12-31` };
}

/** A period key as shown: 2024年第3季度 / Q3 2024. */
export function periodLabel(key: string | number, grain: Grain): string {
  const text = String(key);
  const zh = lang() === 'zh';
  if (grain === 'quarter') {
    const [y, q] = text.split('-Q');
    return zh ? `${y}年Q${q}` : `Q${q} ${y}`;
  }
  if (grain === 'month') {
    const [y, m] = text.split('-');
    return zh
      ? `${y}年${Number(m)}月`
      : `${new Date(Date.UTC(Number(y), Number(m) - 1, 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' })} ${y}`;
  }
  return zh ? `${text}年` : text;
}

/** The intersection of two date ranges (a bar's period within the filter's). */
export function clampRange(a: { from: string; to: string }, b: { from: string; to: string }): { from: string; to: string } {
  return { from: a.from > b.from ? a.from : b.from, to: a.to < b.to ? a.to : b.to };
}

function checkGroup(
  name: string,
  legend: string,
  options: Array<{ code: string; label: string }>,
  chosen: string[],
): HTMLElement {
  return element(
    'fieldset',
    { class: 'check-group', 'data-filter': name },
    element('legend', {}, legend),
    ...options.map((o) => {
      const input = element('input', { type: 'checkbox', name, value: o.code });
      input.checked = chosen.includes(o.code);
      return element('label', { class: 'check' }, input, o.label);
    }),
  );
}

export interface FilterBarOptions {
  grain?: boolean;
  measure?: boolean;
  universities?: boolean;
  regions?: boolean;
  measures?: readonly string[];
  /** More controls of the view (e.g. stacked or grouped), placed after the filters. */
  extra?: HTMLElement[];
}

/**
 * The filter bar: period (with presets), granularity, universities, provinces and measure.
 * Every change is a navigation: it goes into the URL (a new history entry), so the back button
 * undoes it and the link can be sent.
 */
export function filterBar(
  view: ViewName,
  ctx: ViewContext,
  filters: Filters,
  options: FilterBarOptions,
  extraParams: () => Record<string, string | undefined> = () => ({}),
): HTMLElement {
  const { meta } = ctx;
  const end = today();
  const year = Number(end.slice(0, 4));
  const presets: Array<{ id: string; from: string; to: string }> = [
    { id: 'ytd', from: `${year}-01-01`, to: end },
    { id: 'lastYear', from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
    { id: 'last12', from: shiftYear(end, -1, 1), to: end },
    { id: 'agreement', from: AGREEMENT_DAY, to: end },
  ];
  const preset = element('select', { name: 'preset', id: `${view}-preset` });
  preset.append(element('option', { value: '' }, t('filters.custom')));
  for (const p of presets) {
    const option = element('option', { value: p.id }, t(`filters.preset.${p.id}` as 'filters.preset.ytd'));
    option.selected = p.from === filters.from && p.to === filters.to;
    preset.append(option);
  }
  const from = element('input', {
    type: 'date',
    name: 'from',
    id: `${view}-from`,
    value: filters.from,
    min: '1949-10-01',
    max: end,
  });
  const to = element('input', { type: 'date', name: 'to', id: `${view}-to`, value: filters.to, min: '1949-10-01', max: end });
  const controls: HTMLElement[] = [
    element('div', { class: 'control' }, element('label', { for: preset.id }, t('filters.period')), preset),
    element('div', { class: 'control' }, element('label', { for: from.id }, t('filters.from')), from),
    element('div', { class: 'control' }, element('label', { for: to.id }, t('filters.to')), to),
  ];
  if (options.grain) {
    const grain = element('select', { name: 'grain', id: `${view}-grain` });
    for (const g of GRAINS) {
      const option = element('option', { value: g }, t(`grain.${g}`));
      option.selected = g === filters.grain;
      grain.append(option);
    }
    controls.push(element('div', { class: 'control' }, element('label', { for: grain.id }, t('filters.grain')), grain));
  }
  if (options.measure) {
    const select = element('select', { name: 'measure', id: `${view}-measure` });
    const allowed = options.measures ?? meta.measures.map((m) => m.id);
    for (const kind of MEASURE_GROUPS) {
      const inKind = meta.measures.filter((m) => m.group === kind && allowed.includes(m.id));
      if (inKind.length === 0) continue;
      const group = element('optgroup', { label: t(`kind.${kind}`) });
      for (const m of inKind) {
        const option = element('option', { value: m.id }, pick(m.name));
        option.selected = m.id === filters.measure;
        group.append(option);
      }
      select.append(group);
    }
    controls.push(element('div', { class: 'control wide' }, element('label', { for: select.id }, t('filters.measure')), select));
  }
  if (options.universities) {
    controls.push(
      checkGroup(
        'university',
        t('filters.universities'),
        meta.universities.map((u) => ({ code: u.code, label: universityLabel(meta, u.code) })),
        filters.universities,
      ),
    );
  }
  if (options.regions) {
    controls.push(
      checkGroup(
        'region',
        t('filters.regions'),
        meta.regions
          .filter((r) => meta.universities.some((u) => u.region === r.code))
          .map((r) => ({ code: r.code, label: regionName(meta, r.code) })),
        filters.regions,
      ),
    );
  }
  const form = element(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filters.label') },
    ...controls,
    ...(options.extra ?? []),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    const data = new FormData(form);
    let nextFrom = String(data.get('from') || filters.from);
    let nextTo = String(data.get('to') || filters.to);
    if (target.name === 'preset') {
      const chosen = presets.find((p) => p.id === target.value);
      if (!chosen) return;
      nextFrom = chosen.from;
      nextTo = chosen.to;
    }
    const next: Filters = {
      from: nextFrom,
      to: nextTo,
      grain: (data.get('grain') as Grain | null) ?? filters.grain,
      universities: data.getAll('university').map(String),
      regions: data.getAll('region').map(String),
      measure: String(data.get('measure') ?? filters.measure),
    };
    if (!options.universities) next.universities = filters.universities;
    if (!options.regions) next.regions = filters.regions;
    ctx.navigate(view, filterParams(next, extraParams()));
  });
  return form;
}

/** The same day `years` years earlier or later, plus `days`. */
function shiftYear(day: string, years: number, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The filters of the scope (universities, provinces) as the Records view reads them. */
export function scopeFilters(filters: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.universities.length > 0) out.university = filters.universities.join(',');
  if (filters.regions.length > 0) out.region = filters.regions.join(',');
  return out;
}

/** A granularity inside a sentence: "quarter" in English, 季度 in Chinese. */
export const grainWord = (grain: Grain): string => (lang() === 'zh' ? t(`grain.${grain}`) : t(`grain.${grain}`).toLowerCase());
