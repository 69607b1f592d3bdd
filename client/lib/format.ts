import { lang } from '../i18n';
import { formatter, locale } from './dates';

/** The registry's units, one definition for server and client. */
import type { Unit } from '../../contract/kpi';

const WAN = 10_000;
const YI = 100_000_000;

/** A number with its thousands grouped and exactly `digits` decimals, in the interface's locale unless told. */
export const grouped = (value: number, digits: number, tag = locale()): string =>
  formatter(
    `number ${tag} ${digits}`,
    () => new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
  ).format(value);

/**
 * A figure as a person reads it: in Chinese, money in 万元 / 亿元 and large counts in 万;
 * in English, thousands separators and "yuan". `exact` keeps every fen (tables), otherwise
 * money is rounded to a readable size (cards, tooltips).
 */
export function formatValue(value: number | null | undefined, unit: Unit, { exact = false } = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const zh = lang() === 'zh';
  // A share: 0.4567 is 45.7% (45.67% exact).
  if (unit === 'ratio') return `${grouped(value * 100, exact ? 2 : 1)}%`;
  const fraction = unit === 'credits' && !Number.isInteger(value) ? 1 : 0;
  if (unit === 'cny') {
    if (exact) return zh ? `${grouped(value, 2)} 元` : `¥${grouped(value, 2)}`;
    if (zh) {
      if (Math.abs(value) >= YI) return `${grouped(value / YI, 2)} 亿元`;
      if (Math.abs(value) >= WAN) return `${grouped(value / WAN, 1)} 万元`;
      return `${grouped(value, 0)} 元`;
    }
    if (Math.abs(value) >= 1e9) return `¥${grouped(value / 1e9, 2)} bn`;
    if (Math.abs(value) >= 1e6) return `¥${grouped(value / 1e6, 1)} m`;
    return `¥${grouped(value, 0)}`;
  }
  if (!exact && zh && Math.abs(value) >= WAN) return `${grouped(value / WAN, Math.abs(value) >= 1e6 ? 0 : 1)} 万`;
  return grouped(value, fraction);
}

/** An axis tick: short, in the unit's scale. */
export function formatTick(value: number, unit: Unit): string {
  if (unit === 'ratio') return `${+(value * 100).toFixed(1)}%`;
  const zh = lang() === 'zh';
  const abs = Math.abs(value);
  if (zh) {
    if (abs >= YI) return `${+(value / YI).toFixed(1)}亿`;
    if (abs >= WAN) return `${+(value / WAN).toFixed(1)}万`;
    return String(+value.toFixed(1));
  }
  if (abs >= 1e9) return `${+(value / 1e9).toFixed(1)}bn`;
  if (abs >= 1e6) return `${+(value / 1e6).toFixed(1)}m`;
  if (abs >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return String(+value.toFixed(1));
}

/** The sign written before a change: +, − (a minus, not a hyphen), or ± for none. */
export const signOf = (n: number): string => (n > 0 ? '+' : n < 0 ? '−' : '±');

/** A relative change (0.12 → "+12.0%"); null when there is nothing to compare with. */
export function formatChange(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '—';
  return `${signOf(change)}${(Math.abs(change) * 100).toFixed(1)}%`;
}

/**
 * A change of a figure between two values: relative for amounts and counts (formatChange), in
 * percentage points for a share (a collection rate from 62.4% to 26.4% is −36.0 points, not −57.7%).
 */
export function formatChangeOf(unit: Unit, value: number | null, base: number | null, relative: number | null): string {
  if (unit !== 'ratio') return formatChange(relative);
  if (value === null || base === null) return '—';
  const points = Math.round((value - base) * 1000) / 10;
  return `${signOf(points)}${Math.abs(points).toFixed(1)}${lang() === 'zh' ? ' 个百分点' : ' pp'}`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(1)}%`;
}

/** The unit's name after a figure or in an axis title: [English, Chinese]. */
const UNIT_NAMES: Record<Unit, readonly [string, string]> = {
  cny: ['yuan', '元'],
  people: ['people', '人'],
  credits: ['credits', '学分'],
  ratio: ['%', '%'],
  count: ['count', '项'],
};
export const unitName = (unit: Unit): string => UNIT_NAMES[unit][lang() === 'zh' ? 1 : 0];

/**
 * How a table shows one column (or, in a table of measures by row, one row) of figures: money in
 * one unit for the whole column, named in its header (万元 in Chinese, thousands of yuan in
 * English), each cell the bare number in that unit, the exact yuan kept for the cell's title; other
 * units as their exact figures, with no unit to name. Cards keep their own adaptive units
 * (`formatValue`); the CSV downloads keep exact yuan.
 */
export interface TableUnit {
  /** The unit's name for the header ('万元', 'CNY thousand'); null when the column needs none. */
  name: string | null;
  /** Yuan per unit (10,000 or 1,000); 1 for what is not money. */
  scale: number;
  /** The cell's text: the number in the unit, without the unit. */
  cell(value: number | null | undefined): string;
  /** The exact figure with its unit (to the fen for money), for the cell's title; null when it adds nothing. */
  exact(value: number | null | undefined): string | null;
}

/** Decimal places of money in a table: 万元 to the hundred yuan (0.01 万), thousands to the hundred yuan (0.1 k). */
const MONEY_DIGITS = { zh: 2, en: 1 } as const;

/** The one place that chooses a table's unit for a measure's unit: every table reads it. */
export function tableUnit(unit: Unit): TableUnit {
  if (unit !== 'cny') {
    return {
      name: null,
      scale: 1,
      cell: (value) => formatValue(value, unit, { exact: true }),
      exact: () => null,
    };
  }
  const zh = lang() === 'zh';
  const scale = zh ? WAN : 1_000;
  const digits = zh ? MONEY_DIGITS.zh : MONEY_DIGITS.en;
  const known = (value: number | null | undefined): value is number =>
    value !== null && value !== undefined && Number.isFinite(value);
  return {
    name: zh ? '万元' : 'CNY thousand',
    scale,
    cell: (value) => (known(value) ? grouped(value / scale, digits) : '—'),
    exact: (value) => (known(value) ? formatValue(value, 'cny', { exact: true }) : null),
  };
}

/** A label with its table unit: "Contract value (CNY thousand)", "合同总金额（万元）", or the label alone. */
export const withTableUnit = (label: string, unit: Unit): string => {
  const name = tableUnit(unit).name;
  return name ? `${label}${unitSuffix(name)}` : label;
};

/** Items of a list in a sentence, in the interface's language: 甲；乙 or A; B. */
export const joinClauses = (items: readonly string[]): string => items.join(lang() === 'zh' ? '；' : '; ');
/** A label and what it labels: 名称：值 or Name: value. */
export const labelled = (label: string, value: string): string => `${label}${lang() === 'zh' ? '：' : ': '}${value}`;

/** A unit's name after a label: " (CNY thousand)", "（万元）". */
export const unitSuffix = (name: string): string => (lang() === 'zh' ? `（${name}）` : ` (${name})`);

/** A figure on a line of its own in its table unit, the unit named after it ("1,234.56 万元"), as a table shows it. */
export function formatInTableUnit(value: number | null | undefined, unit: Unit): string {
  const shown = tableUnit(unit);
  const text = shown.cell(value);
  return shown.name && text !== '—' ? `${text} ${shown.name}` : text;
}
