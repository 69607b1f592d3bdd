import { afterEach, describe, expect, it } from 'vitest';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { setLang } from '../../client/i18n/index.js';
import {
  apiScope,
  clampRange,
  coveredShare,
  filterParams,
  filterSummary,
  grainWord,
  isPartialPeriod,
  periodLabel,
  periodPresets,
  readFilters,
  scopeFilters,
  shiftYear,
} from '../../client/lib/filters.js';
import { AGREEMENT_DAY, periodRange } from '../../client/lib/dates.js';

/** The lists the filters are checked against: two universities in two provinces, every measure. */
const meta = {
  measures: MEASURE_IDS.map((id) => ({ id })),
  universities: [
    { code: 'USST', nameEn: 'University of Shanghai for Science and Technology', nameZh: '上海理工大学', region: 'SH' },
    { code: 'UJS', nameEn: 'Jiangsu University', nameZh: '江苏大学', region: 'JS' },
  ],
  regions: [
    { code: 'SH', nameEn: 'Shanghai', nameZh: '上海市' },
    { code: 'JS', nameEn: 'Jiangsu', nameZh: '江苏省' },
  ],
} as unknown as Parameters<typeof readFilters>[1];
const TODAY = '2025-06-15';
const read = (query: string, defaults = {}) => readFilters(new URLSearchParams(query), meta, defaults, TODAY);

afterEach(() => setLang('en'));

describe('the chart views’ filters read from the URL', () => {
  it('when the URL names a valid period, scope and measure, then they are kept as given', () => {
    expect(read('from=2021-03-05&to=2024-12-31&grain=month&university=usst,UJS&region=SH&measure=credits.credits')).toEqual({
      from: '2021-03-05',
      to: '2024-12-31',
      grain: 'month',
      universities: ['USST', 'UJS'],
      regions: ['SH'],
      measure: 'credits.credits',
    });
  });

  it('when the URL is empty, then the period is this year to date, in every view, and the view’s defaults fill the rest', () => {
    expect(read('')).toMatchObject({ from: '2025-01-01', to: TODAY, grain: 'quarter', universities: [], regions: [] });
    expect(read('', { grain: 'year', measure: 'talent.trainees' })).toMatchObject({
      from: '2025-01-01',
      to: TODAY,
      grain: 'year',
      measure: 'talent.trainees',
    });
  });

  it.each([
    ['2024-02-30', 'a day February does not have'],
    ['2024-13-01', 'month 13'],
    ['1900-01-01', 'a day before the records’ era'],
    ['2025-06-16', 'a day after today'],
    ['20240101', 'no dashes'],
  ])('when "from" is %s (%s), then the default is used instead', (from) => {
    expect(read(`from=${from}`).from).toBe('2025-01-01');
  });

  it('when "from" is after "to", then the two are swapped', () => {
    expect(read('from=2024-12-31&to=2024-01-01')).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('when codes, a grain or a measure are unknown, then they are dropped for the defaults', () => {
    const filters = read('university=USST,XYZ&region=ZZ&grain=week&measure=no.such', { measure: 'credits.students' });
    expect(filters).toMatchObject({ universities: ['USST'], regions: [], grain: 'quarter', measure: 'credits.students' });
  });

  it('when a view restricts its measures, then a measure outside them falls back to the first allowed', () => {
    const measures = ['credits.credits', 'talent.trainees'];
    expect(read('measure=tech_transfer.received', { measures }).measure).toBe('credits.credits');
    expect(read('measure=talent.trainees', { measures }).measure).toBe('talent.trainees');
  });
});

describe('the filters written out again', () => {
  const filters = read('from=2023-01-01&to=2023-12-31&grain=year&university=USST,UJS&measure=credits.credits');

  it('when asked for the API, then the period and the scope are the query, and nothing else', () => {
    expect(Object.fromEntries(apiScope(filters))).toEqual({ from: '2023-01-01', to: '2023-12-31', university: 'USST,UJS' });
    expect(scopeFilters(filters)).toEqual({ university: 'USST,UJS' });
    expect(scopeFilters({ ...filters, universities: [], regions: ['JS'] })).toEqual({ region: 'JS' });
  });

  it('when written to the URL, then empty lists are left out and a view’s own state is added', () => {
    expect(filterParams({ ...filters, universities: [] }, { layout: 'stacked' })).toEqual({
      from: '2023-01-01',
      to: '2023-12-31',
      grain: 'year',
      university: undefined,
      region: undefined,
      measure: 'credits.credits',
      layout: 'stacked',
    });
  });

  it('when the URL state is read back, then the same filters come out', () => {
    const params = filterParams(filters);
    const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
    expect(readFilters(search, meta, {}, TODAY)).toEqual(filters);
  });
});

describe('periods of the charts', () => {
  it.each([
    ['2024', { from: '2024-01-01', to: '2024-12-31' }],
    ['2024-Q1', { from: '2024-01-01', to: '2024-03-31' }],
    ['2024-Q3', { from: '2024-07-01', to: '2024-09-30' }],
    ['2024-02', { from: '2024-02-01', to: '2024-02-29' }],
    ['2023-02', { from: '2023-02-01', to: '2023-02-28' }],
    ['2024-12', { from: '2024-12-01', to: '2024-12-31' }],
  ])('when the period key is %s, then it covers %o', (key, range) => {
    expect(periodRange(key)).toEqual(range);
  });

  it('when a period is labelled, then it reads as each language writes it', () => {
    expect([periodLabel('2024-Q3', 'quarter'), periodLabel('2024-07', 'month'), periodLabel(2024, 'year')]).toEqual([
      'Q3 2024',
      'Jul 2024',
      '2024',
    ]);
    expect(grainWord('quarter')).toBe('quarter');
    setLang('zh');
    expect([periodLabel('2024-Q3', 'quarter'), periodLabel('2024-07', 'month'), periodLabel(2024, 'year')]).toEqual([
      '2024年Q3',
      '2024年7月',
      '2024年',
    ]);
    expect(grainWord('quarter')).toBe('季度');
  });

  it('when the figures cover part of a period only, then its label says so', () => {
    setLang('en');
    const since = { from: '2019-10-25', to: '2026-12-06' };
    expect(periodLabel('2019-Q4', 'quarter', since)).toBe('Q4 2019 (part)');
    expect(periodLabel('2024-Q3', 'quarter', since)).toBe('Q3 2024');
    expect(periodLabel('2026-Q4', 'quarter', since)).toBe('Q4 2026 (part)');
    expect(periodLabel('2026-11', 'month', since)).toBe('Nov 2026');
    expect(periodLabel('2026-12', 'month', since)).toBe('Dec 2026 (part)');
    expect(periodLabel(2019, 'year', since)).toBe('2019 (part)');
    expect(periodLabel(2020, 'year', since)).toBe('2020');
    expect(periodLabel('2024-Q1', 'quarter', { from: '2024-01-01', to: '2024-03-31' })).toBe('Q1 2024');
    setLang('zh');
    expect(periodLabel('2019-Q4', 'quarter', since)).toBe('2019年Q4（不完整）');
  });

  it('when a bar’s period reaches beyond the filter’s, then its drill-down keeps to their overlap', () => {
    expect(clampRange(periodRange('2024-Q1'), { from: '2024-02-10', to: '2024-12-31' })).toEqual({
      from: '2024-02-10',
      to: '2024-03-31',
    });
    expect(clampRange({ from: '2024-01-01', to: '2024-12-31' }, { from: '2023-01-01', to: '2024-06-30' })).toEqual({
      from: '2024-01-01',
      to: '2024-06-30',
    });
  });

  it('when the presets are made as of a day, then each is the period its name says', () => {
    expect(periodPresets('2025-06-15')).toEqual([
      { id: 'ytd', from: '2025-01-01', to: '2025-06-15' },
      { id: 'lastYear', from: '2024-01-01', to: '2024-12-31' },
      { id: 'last12', from: '2024-06-16', to: '2025-06-15' },
      { id: 'agreement', from: AGREEMENT_DAY, to: '2025-06-15' },
    ]);
    expect(shiftYear('2025-01-01', -1, 1)).toBe('2024-01-02');
    expect(shiftYear('2024-12-31', 1, 1)).toBe('2026-01-01');
  });
});

describe('periods the dates cut, and the filters on one line', () => {
  it('when the span cuts a period, then it is partial and its covered share is its days inside over its days', () => {
    const since = { from: '2019-10-25', to: '2026-12-06' };
    expect(isPartialPeriod('2019-Q4', since)).toBe(true);
    expect(isPartialPeriod('2024-Q3', since)).toBe(false);
    expect(isPartialPeriod('2026-Q4', since)).toBe(true);
    // 25 Oct – 31 Dec 2019: 68 of the quarter's 92 days; 1 Oct – 6 Dec 2026: 67 of 92.
    expect(coveredShare('2019-Q4', since)).toBeCloseTo(68 / 92, 12);
    expect(coveredShare('2026-Q4', since)).toBeCloseTo(67 / 92, 12);
    expect(coveredShare('2024-Q3', since)).toBe(1);
    expect(coveredShare('2024-02', { from: '2024-02-01', to: '2024-02-29' })).toBe(1);
    expect(coveredShare('2030', since)).toBe(0);
  });

  it('when the filter bar is folded, then its summary names the period, grain, measure and scope in the language chosen', () => {
    const filters = readFilters(
      new URLSearchParams('from=2024-01-01&to=2024-06-30&grain=quarter&university=USST,UJS&region=SH'),
      meta,
      {},
      TODAY,
    );
    const named = {
      ...meta,
      measures: [{ id: filters.measure, name: { en: 'Contracts', zh: '合同数' } }],
    } as unknown as Parameters<typeof filterSummary>[0];
    const all = { grain: true, measure: true, universities: true, regions: true };
    setLang('en');
    expect(filterSummary(named, filters, all)).toBe('2024-01-01 – 2024-06-30 · Quarter · Contracts · USST, UJS · Shanghai');
    expect(filterSummary(named, { ...filters, universities: [], regions: [] }, all)).toBe(
      '2024-01-01 – 2024-06-30 · Quarter · Contracts · All universities',
    );
    setLang('zh');
    expect(filterSummary(named, filters, { universities: true })).toBe('2024-01-01 – 2024-06-30 · 上海理工大学、江苏大学');
  });
});
