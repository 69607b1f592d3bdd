import { describe, expect, it } from 'vitest';
import { statusOfAll, worseStatus } from '../../contract/figure-status.js';
import { FigureStatuses, type Standing } from '../../server/kpi/figure-status.js';

/**
 * The status of figures from a standing made by hand, on a fixed day (10 August 2024): USST reports
 * per quarter (2024-Q1 approved; 2024-Q2 approved once, reopened and changed: revised), NJTECH per
 * month from its joining on 15 February 2024 (February approved).
 */
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
};
const statuses = () => new FigureStatuses(standing, '2024-08-10');
const span = (from: string, to: string) => ({ from, to });

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

  it('when a stock is read, then only the period of its as-of day counts', () => {
    expect(statuses().of(['USST'], span('2023-01-01', '2024-03-31'), 'stock')).toBe('F');
    expect(statuses().of(['USST'], span('2024-01-01', '2024-06-30'), 'stock')).toBe('R');
    expect(statuses().of(['USST'], span('2024-01-01', '2024-12-31'), 'stock')).toBe('P');
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
