import { describe, expect, it } from 'vitest';
import { statusOfAll, worseStatus } from '../../contract/figure-status.js';
import { FigureStatuses, readingOf, STOCKS, type Standing, standingNeeds } from '../../server/kpi/figure-status.js';
import { MEASURES } from '../../server/kpi/registry.js';

/**
 * The status of figures from a standing made by hand, on a fixed day (10 August 2024): USST reports
 * per quarter (2024-Q1 approved; 2024-Q2 approved once, reopened and changed: revised), NJTECH per
 * month from its joining on 15 February 2024 (February approved). USST's capacity snapshots: 30
 * November 2023 (2023-Q4, never approved), then 1 February 2024; a project in incubation since 1 May
 * 2024 (2024-Q2); NJTECH's snapshot of 20 February 2024 (not yet followed by another). USST's
 * trainees of a programme begun in 2023-Q3 (never approved) completed it on 15 March 2024.
 */
const span = (from: string, to: string) => ({ from, to });
const standing: Standing = {
  calendars: new Map([
    ['USST', { frequency: 'quarter', memberSince: '2019-10-25' }],
    ['NJTECH', { frequency: 'month', memberSince: '2024-02-15' }],
  ]),
  stored: new Map([
    ['USST|2024-Q1', { last: 'approve', revised: false }],
    ['USST|2024-Q2', { last: 'reopen', revised: true }],
    ['USST|2024-Q3', { last: 'submit', revised: false }],
    ['NJTECH|2024-02', { last: 'approve', revised: false }],
  ]),
  held: new Map([
    [
      'capacity',
      new Map([
        [
          'USST',
          [
            { span: { key: '2023-Q4', frequency: 'quarter', ...span('2023-10-01', '2023-12-31') }, until: '2024-02-01' },
            { span: { key: '2024-Q1', frequency: 'quarter', ...span('2024-01-01', '2024-03-31') }, until: null },
          ],
        ],
        ['NJTECH', [{ span: { key: '2024-02', frequency: 'month', ...span('2024-02-01', '2024-02-29') }, until: null }]],
      ]),
    ],
    [
      'incubation',
      new Map([['USST', [{ span: { key: '2024-Q2', frequency: 'quarter', ...span('2024-04-01', '2024-06-30') }, until: null }]]]),
    ],
  ]),
  dated: new Map([
    [
      'talent.completed_on',
      new Map([
        ['USST', [{ span: { key: '2023-Q3', frequency: 'quarter', ...span('2023-07-01', '2023-09-30') }, days: ['2024-03-15'] }]],
      ]),
    ],
  ]),
};
const statuses = () => new FigureStatuses(standing, '2024-08-10');

describe('the status of a figure', () => {
  it('when every period it draws on is approved, then it is final; one revised makes it revised, one not approved provisional', () => {
    expect(statuses().of(['USST'], span('2024-01-01', '2024-03-31'), 'flow')).toBe('F');
    expect(statuses().of(['USST'], span('2024-02-01', '2024-05-15'), 'flow')).toBe('R');
    expect(statuses().of(['USST'], span('2023-12-31', '2024-01-31'), 'flow')).toBe('P');
    expect(statuses().of(['USST', 'NJTECH'], span('2024-01-01', '2024-03-31'), 'flow')).toBe('P');
    expect(statuses().of(['USST', 'NJTECH'], span('2024-02-15', '2024-02-29'), 'flow')).toBe('F');
  });

  it('when a period has not ended, or the range reaches past today, then the figure is provisional', () => {
    // 2024-Q3 holds today: submitted, not approved, not ended.
    expect(statuses().of(['USST'], span('2024-07-01', '2024-07-31'), 'flow')).toBe('P');
    expect(statuses().of(['USST'], span('2025-01-01', '2025-03-31'), 'flow')).toBe('P');
    expect(
      statuses()
        .periods('USST', span('2024-01-01', '9999-12-31'), 'flow')
        .drawn.map((d) => d.period),
    ).toEqual(['2024-Q1', '2024-Q2', '2024-Q3']);
  });

  it('when periods end before the university joined, then they are not drawn on', () => {
    expect(statuses().of(['NJTECH'], span('2024-01-01', '2024-02-29'), 'flow')).toBe('F');
    expect(statuses().of(['NJTECH'], span('2023-01-01', '2023-12-31'), 'flow')).toBe('F');
    expect(
      statuses()
        .periods('NJTECH', span('2024-01-01', '2024-03-31'), 'flow')
        .drawn.map((d) => d.period),
    ).toEqual(['2024-02', '2024-03']);
  });

  it('when a stock is read, then the period of its as-of day counts, and each period holding a record it holds then', () => {
    expect(statuses().of(['USST'], span('2023-01-01', '2024-03-31'), 'stock:capacity')).toBe('F');
    expect(statuses().of(['USST'], span('2024-01-01', '2024-06-30'), 'stock:capacity')).toBe('R');
    expect(statuses().of(['USST'], span('2024-01-01', '2024-12-31'), 'stock:capacity')).toBe('P');
    // On 31 January 2024 the snapshot of 2023-Q4 (never approved) is carried forward: the approved
    // 2024-Q1 does not make it final. From 1 February the snapshot of 2024-Q1 replaces it.
    expect(
      statuses()
        .periods('USST', span('2024-01-01', '2024-01-31'), 'stock:capacity')
        .drawn.map((d) => `${d.period} ${d.status}`),
    ).toEqual(['2023-Q4 P', '2024-Q1 F']);
    expect(statuses().of(['USST'], span('2024-01-01', '2024-01-31'), 'stock:capacity')).toBe('P');
    expect(statuses().of(['USST'], span('2024-01-01', '2024-02-01'), 'stock:capacity')).toBe('F');
    // NJTECH's February snapshot: final at February's end, provisional carried into March (not approved).
    expect(statuses().of(['NJTECH'], span('2024-02-01', '2024-02-29'), 'stock:capacity')).toBe('F');
    expect(statuses().of(['NJTECH'], span('2024-03-01', '2024-03-31'), 'stock:capacity')).toBe('P');
    // Carried forward, a snapshot rests on every period after its own too: one taken in them would replace it.
    expect(
      statuses()
        .periods('NJTECH', span('2024-04-01', '2024-04-30'), 'stock:capacity')
        .drawn.map((d) => d.period),
    ).toEqual(['2024-02', '2024-03', '2024-04']);
    expect(
      statuses()
        .periods('NJTECH', span('2024-04-01', '2024-04-30'), 'stock:incubation')
        .drawn.map((d) => d.period),
    ).toEqual(['2024-04']);
    // In July, the snapshot of 2024-Q1 is carried through the revised 2024-Q2, and the project in
    // incubation since that quarter is still held: revised, not only provisional.
    expect(statuses().of(['USST'], span('2024-07-01', '2024-07-31'), 'stock:capacity')).toBe('R');
    expect(statuses().of(['USST'], span('2024-07-01', '2024-07-31'), 'stock:incubation')).toBe('R');
    expect(statuses().of(['USST'], span('2024-07-01', '2024-07-31'), 'stock:capacity,incubation')).toBe('R');
  });

  it('when a flow counts records on another day than their own (graduates), then it draws on the periods of the records it counts', () => {
    expect(statuses().of(['USST'], span('2024-01-01', '2024-03-31'), 'flow')).toBe('F');
    expect(statuses().of(['USST'], span('2024-01-01', '2024-03-31'), 'dated:talent.completed_on')).toBe('P');
    expect(
      statuses()
        .periods('USST', span('2024-01-01', '2024-03-31'), 'dated:talent.completed_on')
        .drawn.map((d) => `${d.period} ${d.status}`),
    ).toEqual(['2023-Q3 P', '2024-Q1 F']);
    // Before and after the day the graduates are counted on, the programme's period is not drawn on.
    expect(statuses().of(['USST'], span('2024-01-01', '2024-03-14'), 'dated:talent.completed_on')).toBe('F');
    expect(statuses().of(['USST'], span('2024-03-16', '2024-03-31'), 'dated:talent.completed_on')).toBe('F');
    expect(statuses().of(['USST'], span('2024-03-15', '2024-03-15'), 'dated:talent.completed_on')).toBe('P');
  });

  it('when a standing is read for some measures, then it holds what their statuses need, and asking beyond it fails loudly', () => {
    expect(standingNeeds(['tech_transfer.contracts', 'tech_transfer.received_to_date'])).toEqual({ stocks: [], flows: [] });
    expect(standingNeeds(['capacity.staff', 'capacity.co_built', 'talent.graduates', 'talent.trainees'])).toEqual({
      stocks: ['capacity'],
      flows: ['talent.completed_on'],
    });
    const flowsOnly = new FigureStatuses({ ...standing, held: new Map(), dated: new Map() }, '2024-08-10');
    expect(flowsOnly.of(['USST'], span('2024-01-01', '2024-03-31'), 'flow')).toBe('F');
    expect(() => flowsOnly.of(['USST'], span('2024-01-01', '2024-03-31'), 'stock:capacity')).toThrow(/without capacity/);
    expect(() => flowsOnly.of(['USST'], span('2024-01-01', '2024-03-31'), 'dated:talent.completed_on')).toThrow(
      /without talent.completed_on/,
    );
  });

  it("when measures are read, then a stock's reading names the kinds of its records", () => {
    expect(readingOf([MEASURES['capacity.staff'], MEASURES['capacity.tech_managers']])).toBe('stock:capacity');
    expect(readingOf([MEASURES['incubation.portfolio'], MEASURES['capacity.staff']])).toBe('stock:capacity,incubation');
    expect(readingOf([MEASURES['incubation.portfolio'], MEASURES['tech_transfer.contracts']])).toBe('flow');
    expect(readingOf([MEASURES['talent.graduates']])).toBe('dated:talent.completed_on');
    expect(readingOf([MEASURES['talent.graduates'], MEASURES['tech_transfer.reward_cash'], MEASURES['talent.trainees']])).toBe(
      'dated:talent.completed_on,tech_transfer.rewarded_on',
    );
    expect(readingOf([MEASURES['talent.trainees']])).toBe('flow');
  });

  it('when stocks of one kind are declared, then they hold their records alike (the status reads one holding per kind)', () => {
    for (const m of Object.values(MEASURES)) if (m.temporality === 'stock') expect(m.held, m.id).toEqual(STOCKS.get(m.kind));
  });

  it('when a figure is moved by later records (cash received to date), then it draws on every period up to today', () => {
    // 2024-Q1 is approved, but the payments of its contracts may arrive in any later quarter.
    expect(statuses().of(['USST'], span('2024-01-01', '2024-03-31'), 'flow')).toBe('F');
    expect(statuses().of(['USST'], span('2024-01-01', '2024-03-31'), 'to-date')).toBe('R');
    expect(
      statuses()
        .periods('USST', span('2024-01-01', '2024-03-31'), 'to-date')
        .drawn.map((d) => d.period),
    ).toEqual(['2024-Q1', '2024-Q2', '2024-Q3']);
    // NJTECH: February approved, March on not: to date, February's figure is provisional.
    expect(statuses().of(['NJTECH'], span('2024-02-01', '2024-02-29'), 'to-date')).toBe('P');
  });

  it('when statuses combine, then R outranks P, which outranks F; nothing combined is final', () => {
    expect(worseStatus('F', 'P')).toBe('P');
    expect(worseStatus('R', 'P')).toBe('R');
    expect(statusOfAll(['F', 'R', 'P'])).toBe('R');
    expect(statusOfAll([])).toBe('F');
  });
});
