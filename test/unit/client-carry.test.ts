import { describe, expect, it } from 'vitest';
import { carry } from '../../client/lib/carry.js';
import { periodRange, reportPeriodOf } from '../../client/lib/dates.js';

const TODAY = '2025-06-15';
const params = (query: string) => new URLSearchParams(query);

describe('the report period that holds a chosen span', () => {
  it.each([
    ['2024-01-01', '2024-12-31', '2024'],
    ['2024-07-01', '2024-09-30', '2024-Q3'],
    ['2024-04-01', '2024-06-30', '2024-Q2'],
    ['2024-08-01', '2024-08-31', '2024-Q3'],
    ['2024-01-01', '2024-06-30', '2024-H1'],
    ['2024-08-15', '2024-11-02', '2024-H2'],
    ['2024-03-15', '2024-04-02', '2024-H1'],
    ['2024-06-30', '2024-07-01', '2024'],
    ['2025-01-01', TODAY, '2025-H1'],
    ['2019-10-25', '2019-12-31', '2019-Q4'],
  ])('when the days %s to %s are chosen, then the report of %s holds them', (from, to, period) => {
    expect(reportPeriodOf(from, to, TODAY)).toBe(period);
    // It holds them.
    const range = periodRange(period);
    expect(range.from <= from && to <= range.to).toBe(true);
  });

  it.each([
    ['2023-12-01', '2024-01-31', 'a span over two years'],
    ['2018-01-01', '2018-12-31', 'a year before the agreement'],
    ['2025-07-01', '2025-09-30', 'a quarter that has not begun'],
    ['2024-02-30', '2024-03-31', 'a day that does not exist'],
    ['2024-13-01', '2024-13-31', 'a month that does not exist'],
    ['2024-06-30', '2024-01-01', 'an end before the start'],
    ['', '2024-03-31', 'no start'],
  ])('when the days %s to %s are chosen (%s), then no report period is named', (from, to) => {
    expect(reportPeriodOf(from, to, TODAY)).toBeUndefined();
  });

  it('the halves cover their months', () => {
    expect(periodRange('2024-H1')).toEqual({ from: '2024-01-01', to: '2024-06-30' });
    expect(periodRange('2024-H2')).toEqual({ from: '2024-07-01', to: '2024-12-31' });
  });
});

describe('what a link of the header carries from the view on screen', () => {
  const chosen = 'from=2024-07-01&to=2024-09-30&university=USST,NJTECH&region=SH&measure=credits.students&grain=month';

  it('between chart views: the period, the scope and the measure, not the view’s own grain', () => {
    expect(carry('universities', params(chosen), 'collaboration', TODAY)).toEqual({
      from: '2024-07-01',
      to: '2024-09-30',
      university: 'USST,NJTECH',
      region: 'SH',
      measure: 'credits.students',
    });
  });

  it('to Records: the dates and the measure’s kind of record (its measure would mean the records of a figure); back, its dates', () => {
    expect(carry('overview', params(chosen), 'records', TODAY)).toEqual({ from: '2024-07-01', to: '2024-09-30', kind: 'credit' });
    for (const [measure, kind] of [
      ['tech_transfer.contract_value', 'tech_transfer'],
      ['incubation.funding', 'incubation'],
      ['talent.graduates', 'talent'],
      ['capacity.staff', 'capacity'],
    ])
      expect(carry('trends', params(`measure=${measure}`), 'records', TODAY)).toEqual({ kind });
    expect(carry('trends', params('from=2024-01-01&to=2024-03-31'), 'records', TODAY)).toEqual({
      from: '2024-01-01',
      to: '2024-03-31',
    });
    expect(
      carry('records', params('kind=talent&from=2023-01-01&to=2023-03-31&measure=talent.graduates'), 'trends', TODAY),
    ).toEqual({
      from: '2023-01-01',
      to: '2023-03-31',
    });
  });

  it('to the report: the report period that holds the days; back, that period’s days, cut at today', () => {
    expect(carry('regions', params(chosen), 'report', TODAY)).toEqual({ period: '2024-Q3' });
    expect(carry('records', params('from=2024-01-01&to=2024-12-31'), 'report', TODAY)).toEqual({ period: '2024' });
    expect(carry('report', params('period=2024-H2&lang=zh'), 'overview', TODAY)).toEqual({
      from: '2024-07-01',
      to: '2024-12-31',
    });
    expect(carry('report', params('period=2025&lang=en'), 'records', TODAY)).toEqual({ from: '2025-01-01', to: TODAY });
  });

  it('nothing the person did not choose, and nothing to or from a view that reads none of it', () => {
    expect(carry('trends', params(''), 'report', TODAY)).toEqual({ period: undefined });
    expect(carry('trends', params('from=2019-01-01&to=2024-12-31'), 'report', TODAY)).toEqual({ period: undefined });
    expect(carry('report', params('period=2024-Q5'), 'overview', TODAY)).toEqual({});
    expect(carry('report', params('lang=en'), 'overview', TODAY)).toEqual({});
    expect(carry('overview', params(chosen), 'members', TODAY)).toEqual({});
    expect(carry('admin', params('tab=users'), 'overview', TODAY)).toEqual({});
    expect(carry(undefined, params(chosen), 'overview', TODAY)).toEqual({});
  });
});
