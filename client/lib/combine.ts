import { denominatorColumn, numeratorColumn } from '../../contract/aggregate-columns.js';
import { ratioOf } from '../../contract/ratio.js';
import type { MeasureInfo } from '../../contract/schemas/meta.js';

type Measure = Pick<MeasureInfo, 'id' | 'aggregate'>;
type Row = Readonly<Record<string, string | number | null>>;

/**
 * A measure's figure over several rows of an aggregate answer (periods, universities): a sum, or
 * for a ratio its numerator's sum over its denominator's (`<id>:numerator`, `<id>:denominator`),
 * as the server divides them. A ratio is never summed; null where its denominator is 0.
 */
export function combine(measure: Measure, rows: ReadonlyArray<Row | undefined>): number | null {
  const present = rows.filter((r): r is Row => r !== undefined);
  const sum = (column: string) => present.reduce((s, r) => s + Number(r[column] ?? 0), 0);
  if (measure.aggregate.fn === 'ratio')
    return ratioOf(sum(numeratorColumn(measure.id)), sum(denominatorColumn(measure.id)), measure.aggregate.decimals);
  return Math.round(sum(measure.id) * 100) / 100;
}

/** Whether a measure's figures may be added up or shown as shares of a total (a ratio's may not). */
export const additive = (measure: Measure): boolean => measure.aggregate.fn !== 'ratio';
