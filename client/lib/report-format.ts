import { reportEn, reportZh } from '../i18n/report';
import type { ReportLang, ReportMeasure } from './report-types';

/**
 * Text and numbers in the report's own language, which may differ from the interface's: the
 * report is printed in the language it is asked for, whatever the reader's screen shows.
 */
export type ReportKey = keyof typeof reportEn;

export function reportText(lang: ReportLang, key: ReportKey, values: Record<string, string | number> = {}): string {
  const text = (lang === 'zh' ? reportZh : reportEn)[key];
  return text.replaceAll(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

const locale = (lang: ReportLang) => (lang === 'zh' ? 'zh-CN' : 'en-GB');

function grouped(value: number, digits: number, lang: ReportLang): string {
  return value.toLocaleString(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true });
}

/** A figure in a report table: money in 万元 with two decimals, counts whole, credits with their tenths. */
export function reportNumber(value: number | null | undefined, unit: ReportMeasure['unit'], lang: ReportLang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'ratio') return `${grouped(value * 100, 2, lang)}%`;
  if (unit === 'cny') return grouped(value / 10_000, 2, lang);
  if (unit === 'credits' && !Number.isInteger(value)) return grouped(value, 1, lang);
  return grouped(value, 0, lang);
}

export function reportPercent(ratio: number | null | undefined, lang: ReportLang): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${grouped(ratio * 100, 1, lang)}%`;
}

export function reportChange(ratio: number | null | undefined, lang: ReportLang): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const sign = ratio > 0 ? '+' : ratio < 0 ? '−' : '±';
  return `${sign}${grouped(Math.abs(ratio) * 100, 1, lang)}%`;
}

/** A signed difference (revisions), with its unit where it is not a plain count: +100.00 万元. */
export function reportDelta(value: number, unit: ReportMeasure['unit'], lang: ReportLang): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  const text = `${sign}${reportNumber(Math.abs(value), unit, lang)}`;
  return unit === 'count' ? text : `${text} ${unitText(unit, lang)}`;
}

/** The difference between two ratios, in percentage points: +0.5 pp (百分点). */
export function reportChangePoints(before: number | null, after: number | null, lang: ReportLang): string {
  if (before === null || after === null || !Number.isFinite(before) || !Number.isFinite(after)) return '—';
  const points = (after - before) * 100;
  const sign = points > 0 ? '+' : points < 0 ? '−' : '±';
  return `${sign}${grouped(Math.abs(points), 1, lang)} ${reportText(lang, 'report.unit.points')}`;
}

export function unitText(unit: ReportMeasure['unit'], lang: ReportLang): string {
  return reportText(lang, `report.unit.${unit}` as ReportKey);
}

/** A timestamp as a person in Shanghai reads it: 2024-12-31 17:05 (UTC+8). */
export function reportTime(iso: string | null, lang: ReportLang): string {
  if (!iso) return '—';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${lang === 'zh' ? '（北京时间）' : '(UTC+8)'}`;
}
