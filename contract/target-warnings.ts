import type { MeasureId } from './measure-ids.js';

/**
 * Where the universities' targets add up to more than the alliance's own: a warning, never a
 * refusal. One definition for the server (GET and PUT /targets, on the stored rows) and the admin
 * grid (on the cells as typed). Targets are kept to the fen: they are summed and compared in whole
 * fen, exactly, never in floating point.
 */

/**
 * A target as the warning reads it: `university` null for the alliance's own; `value` a number, or
 * the decimal text a database gives for its numeric column (read exactly).
 */
export interface TargetValue {
  measure: MeasureId;
  year: number;
  university: string | null;
  value: number | string;
}

/** A measure and year whose universities' targets, summed (`sum`), exceed the alliance's (`alliance`). */
export interface TargetWarning {
  measure: MeasureId;
  year: number;
  sum: number;
  alliance: number;
}

/** A value of at most two decimals (at most 10¹⁵: the API's limit) in whole fen. */
const fen = (value: number | string): bigint => {
  const text = String(value);
  // Written with an exponent (far from a fen's digits): rounded to the fen.
  if (/e/i.test(text)) return BigInt(Math.round(Number(value) * 100));
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
};
const yuan = (fen: bigint): number => Number(`${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);

/**
 * The measures and years of `targets` that have an alliance-wide target below the sum of their
 * universities' targets, by year and measure. One without an alliance-wide target has no warning.
 */
export function targetWarnings(targets: Iterable<TargetValue>): TargetWarning[] {
  const groups = new Map<string, { measure: MeasureId; year: number; sum: bigint; alliance?: bigint }>();
  for (const t of targets) {
    const key = `${t.year}|${t.measure}`;
    const group = groups.get(key) ?? { measure: t.measure, year: t.year, sum: 0n };
    if (t.university === null) group.alliance = fen(t.value);
    else group.sum += fen(t.value);
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((g) => g.alliance !== undefined && g.sum > g.alliance)
    .sort((a, b) => a.year - b.year || (a.measure < b.measure ? -1 : a.measure > b.measure ? 1 : 0))
    .map((g) => ({ measure: g.measure, year: g.year, sum: yuan(g.sum), alliance: yuan(g.alliance!) }));
}
