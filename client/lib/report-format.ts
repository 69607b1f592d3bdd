import { reportEn, reportZh } from '../i18n/report';
import { letterDate, reportMoment } from './dates';
import { grouped as groupedIn, signOf } from './format';
import type { ReportMeasure } from '../../contract/report';
import type { LiveReport } from '../../contract/schemas/report';

/**
 * Text and numbers in the report's own language, which may differ from the interface's: the
 * report is printed in the language it is asked for, whatever the reader's screen shows.
 */
export type ReportKey = keyof typeof reportEn;
/** The languages a report is written in, as the API accepts them. */
export type ReportLang = LiveReport['lang'];
type Unit = ReportMeasure['unit'];

export function reportText(lang: ReportLang, key: ReportKey, values: Record<string, string | number> = {}): string {
  return (lang === 'zh' ? reportZh : reportEn)[key].replaceAll(/\{(\w+)\}/g, (_, name: string) =>
    String(values[name] ?? `{${name}}`),
  );
}

/** The locale a report's numbers and dates are written in. */
export const reportLocale = (lang: ReportLang): string => (lang === 'zh' ? 'zh-CN' : 'en-GB');
const grouped = (value: number, digits: number, lang: ReportLang): string => groupedIn(value, digits, reportLocale(lang));
const finite = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** A figure in a report table: money in 万元 with two decimals, counts whole, credits with their tenths. */
export function reportNumber(value: number | null | undefined, unit: Unit, lang: ReportLang): string {
  if (!finite(value)) return '—';
  if (unit === 'ratio') return `${grouped(value * 100, 2, lang)}%`;
  if (unit === 'cny') return grouped(value / 10_000, 2, lang);
  return grouped(value, unit === 'credits' && !Number.isInteger(value) ? 1 : 0, lang);
}

export function reportPercent(ratio: number | null | undefined, lang: ReportLang): string {
  return finite(ratio) ? `${grouped(ratio * 100, 1, lang)}%` : '—';
}

/** A relative change, signed: +12.5%, −3.0%, ±0.0%. */
export function reportChange(ratio: number | null | undefined, lang: ReportLang): string {
  return finite(ratio) ? `${signOf(ratio)}${grouped(Math.abs(ratio) * 100, 1, lang)}%` : '—';
}

/** A signed difference (revisions), with its unit where it is not a plain count: +100.00 万元. */
export function reportDelta(value: number, unit: Unit, lang: ReportLang): string {
  const text = `${signOf(value)}${reportNumber(Math.abs(value), unit, lang)}`;
  return unit === 'count' ? text : `${text} ${unitText(unit, lang)}`;
}

/** The difference between two ratios, in percentage points: +0.5 pp (个百分点). */
export function reportChangePoints(before: number | null, after: number | null, lang: ReportLang): string {
  if (!finite(before) || !finite(after)) return '—';
  const points = (after - before) * 100;
  return `${signOf(points)}${grouped(Math.abs(points), 1, lang)} ${reportText(lang, 'report.unit.points')}`;
}

export const unitText = (unit: Unit, lang: ReportLang): string => reportText(lang, `report.unit.${unit}`);

/** A day (YYYY-MM-DD) or a moment as a letter's date, on Shanghai's calendar: 2025年3月1日, 1 March 2025. */
export function reportDate(iso: string, lang: ReportLang): string {
  return letterDate(iso, reportLocale(lang));
}

/** A timestamp as a person in Shanghai reads it: 2024-12-31 17:05 (UTC+8). */
export function reportTime(iso: string | null, lang: ReportLang): string {
  return iso ? `${reportMoment(iso)} ${lang === 'zh' ? '（北京时间）' : '(UTC+8)'}` : '—';
}
