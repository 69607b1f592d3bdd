/**
 * The reporting calendar's arithmetic, written once for the server and the client: a university
 * reports per month (`2025-07`), quarter (`2025-Q3`, the default) or year (`2025`); each period is
 * due a number of days after its end (20 by default) unless an admin sets its own due date.
 */
import type { PeriodStatus, ReportingFrequency, ReportingStep } from './enums.js';

export const DEFAULT_FREQUENCY: ReportingFrequency = 'quarter';
export const DEFAULT_DUE_DAYS = 20;

export interface ReportingPeriodSpan {
  key: string;
  frequency: ReportingFrequency;
  from: string;
  to: string;
}

export const REPORTING_PERIOD_PATTERN = /^(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?$/;

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function span(frequency: ReportingFrequency, year: number, first: number, last: number, key: string): ReportingPeriodSpan {
  return { key, frequency, from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay(year, last))}` };
}

/** The period of `frequency` numbered `index` (1-based: month, quarter; 1 for a year) of `year`. */
export function reportingPeriod(frequency: ReportingFrequency, year: number, index: number): ReportingPeriodSpan {
  if (frequency === 'year') return span('year', year, 1, 12, String(year));
  if (frequency === 'quarter') return span('quarter', year, (index - 1) * 3 + 1, index * 3, `${year}-Q${index}`);
  return span('month', year, index, index, `${year}-${pad(index)}`);
}

/** Parses `2025`, `2025-Q3` or `2025-07`; null when the text is none of them. */
export function parseReportingPeriod(key: string): ReportingPeriodSpan | null {
  const match = REPORTING_PERIOD_PATTERN.exec(key);
  if (!match) return null;
  const year = Number(match[1]);
  const part = match[2];
  if (part === undefined) return reportingPeriod('year', year, 1);
  if (part.startsWith('Q')) return reportingPeriod('quarter', year, Number(part.slice(1)));
  return reportingPeriod('month', year, Number(part));
}

/** The period of `frequency` that holds the day `date` (ISO). */
export function periodHolding(frequency: ReportingFrequency, date: string): ReportingPeriodSpan {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const index = frequency === 'year' ? 1 : frequency === 'quarter' ? Math.ceil(month / 3) : month;
  return reportingPeriod(frequency, year, index);
}

/** The periods of `frequency` in `year`, in order. */
export function periodsOfYear(frequency: ReportingFrequency, year: number): ReportingPeriodSpan[] {
  const count = frequency === 'year' ? 1 : frequency === 'quarter' ? 4 : 12;
  return Array.from({ length: count }, (_, i) => reportingPeriod(frequency, year, i + 1));
}

/** The ISO day `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A period's default due date: `dueDays` days after its last day. */
export const defaultDueOn = (period: ReportingPeriodSpan, dueDays: number): string => addDays(period.to, dueDays);

/**
 * How a period's status is said, in both languages, with a symbol that carries it without colour
 * (the board, its legend, its CSV's formatted form and the problems' wording all read these).
 */
export const PERIOD_STATUS_LABELS: Record<PeriodStatus, { en: string; zh: string; symbol: string }> = {
  not_started: { en: 'Not started', zh: '未开始', symbol: '○' },
  in_progress: { en: 'In progress', zh: '填报中', symbol: '◔' },
  submitted: { en: 'Submitted', zh: '已报送', symbol: '▲' },
  returned: { en: 'Returned', zh: '已退回', symbol: '↩' },
  approved: { en: 'Approved', zh: '已审核通过', symbol: '✓' },
  reopened: { en: 'Reopened', zh: '已重新开放', symbol: '↺' },
};

/** A step of the reporting cycle as the board's history and its CSV say it (the step taken, in the past). */
export const STEP_LABELS: Record<ReportingStep, { en: string; zh: string }> = {
  submit: { en: 'Submitted', zh: '报送' },
  approve: { en: 'Approved', zh: '审核通过' },
  return: { en: 'Returned', zh: '退回' },
  reopen: { en: 'Reopened', zh: '重新开放' },
};

/** The mark of a late period (past its due date, not delivered), beside its status. */
export const LATE_LABEL = { en: 'Late', zh: '逾期', symbol: '!' } as const;

/** How often a university reports, in both languages. */
export const FREQUENCY_LABELS: Record<ReportingFrequency, { en: string; zh: string }> = {
  month: { en: 'Monthly', zh: '按月' },
  quarter: { en: 'Quarterly', zh: '按季度' },
  year: { en: 'Yearly', zh: '按年' },
};
