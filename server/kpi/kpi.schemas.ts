import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { csvShape, toCsvRequest } from '../csv/csv-request.js';
import { ONCE_VALID } from '../http/text.js';
import { IsoDateSchema, listParameter, listParameter as list } from '../../contract/text.js';
import { FILTER_DIMENSIONS, type FilterDimension, type KpiFilters } from './compile.js';
import { MEASURE_IDS, type MeasureId } from '../../contract/measure-ids.js';
import { DIMENSION_IDS, DIMENSIONS, type DimensionId, MEASURES, PARTNER_MEASURES } from './registry.js';

export { IsoDateSchema, MAX_LIST_TEXT } from '../../contract/text.js';

export const MAX_GROUPING = 3;

const code = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, zodSays('code_format', { example: 'USST' }))
  .transform((c) => c.toUpperCase());

const measureId = z.enum(MEASURE_IDS, { error: zodSays('measure_one_of', { values: MEASURE_IDS }) });
const dimensionId = z.enum(DIMENSION_IDS, { error: zodSays('dimension_one_of', { values: DIMENSION_IDS }) });

const enumValue = (values: readonly string[]) =>
  z.enum(values as [string, ...string[]], { error: zodSays('one_of', { values }) });

/** A dimension's filter: a list of its values, or of codes checked against the database afterwards. */
const dimensionFilter = (dimension: FilterDimension) => {
  const { values } = DIMENSIONS[dimension];
  return list(values ? enumValue(values) : code).optional();
};

/** The filters every KPI read takes: a period and a list for each filter dimension of the registry. */
export const filterShape = {
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  ...(Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, dimensionFilter(d)])) as Record<
    FilterDimension,
    ReturnType<typeof dimensionFilter>
  >),
};

export type ParsedFilters = { [K in keyof typeof filterShape]?: z.infer<(typeof filterShape)[K]> };

export function checkRange(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.from && value.to && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: zodSays('after_to', { from: value.from, to: value.to }) });
  }
}

/** Every measure must have every dimension it is grouped or filtered by. */
function checkDimensions(measures: readonly MeasureId[], dimensions: Array<[string, DimensionId]>, ctx: z.RefinementCtx): void {
  for (const [path, dimension] of dimensions) {
    for (const id of measures) {
      const def = MEASURES[id];
      if (!def.dimensions.includes(dimension)) {
        ctx.addIssue({
          code: 'custom',
          path: [path],
          message: zodSays('measure_lacks_dimension', { measure: id, dimension, dimensions: def.dimensions }),
        });
      }
    }
  }
}

export function usedFilterDimensions(filters: ParsedFilters): Array<[string, DimensionId]> {
  return FILTER_DIMENSIONS.filter((d) => (filters[d]?.length ?? 0) > 0).map((d) => [d, d]);
}

export function toFilters(parsed: ParsedFilters): KpiFilters {
  const filters: KpiFilters = {};
  if (parsed.from) filters.from = parsed.from;
  if (parsed.to) filters.to = parsed.to;
  for (const dimension of FILTER_DIMENSIONS) {
    const values = parsed[dimension];
    if (values && values.length > 0) filters[dimension as FilterDimension] = [...new Set(values)];
  }
  return filters;
}

export const AggregateQuerySchema = z
  .object({
    measures: list(measureId, MEASURE_IDS.length).refine((m) => m.length > 0, zodSays('no_measure')),
    by: list(dimensionId, MAX_GROUPING).optional(),
    fill: z.enum(['true', 'false'], { error: zodSays('true_or_false') }).optional(),
    withRecords: z.enum(['true', 'false'], { error: zodSays('true_or_false') }).optional(),
    ...csvShape,
    ...filterShape,
  })
  .strict()
  .superRefine((value, ctx) => {
    checkRange(value, ctx);
    const by = value.by ?? [];
    if (new Set(by).size !== by.length) ctx.addIssue({ code: 'custom', path: ['by'], message: zodSays('dimension_twice') });
    checkDimensions(value.measures, [...by.map((d): [string, DimensionId] => ['by', d]), ...usedFilterDimensions(value)], ctx);
  }, ONCE_VALID)
  .transform((value) => ({
    measures: [...new Set(value.measures)],
    by: value.by ?? [],
    fill: value.fill === 'true',
    withRecords: value.withRecords === 'true',
    filters: toFilters(value),
    output: toCsvRequest(value),
  }));
export type AggregateRequest = z.infer<typeof AggregateQuerySchema>;

export const SummaryQuerySchema = z
  .object({ measures: list(measureId, MEASURE_IDS.length).optional(), ...csvShape, ...filterShape })
  .strict()
  .superRefine((value, ctx) => {
    checkRange(value, ctx);
    if (value.measures) checkDimensions(value.measures, usedFilterDimensions(value), ctx);
  }, ONCE_VALID)
  .transform((value) => {
    const filters = toFilters(value);
    const used = FILTER_DIMENSIONS.filter((d) => filters[d]);
    // By default, every measure the filters apply to.
    const measures = value.measures
      ? [...new Set(value.measures)]
      : MEASURE_IDS.filter((id) => used.every((d) => MEASURES[id].dimensions.includes(d)));
    return { measures, filters, output: toCsvRequest(value) };
  });
export type SummaryRequest = z.infer<typeof SummaryQuerySchema>;

export const CollaborationQuerySchema = z
  .object({
    measure: z.enum(PARTNER_MEASURES as [MeasureId, ...MeasureId[]], {
      error: zodSays('partner_measure_one_of', { values: PARTNER_MEASURES }),
    }),
    ...csvShape,
    ...filterShape,
  })
  .strict()
  .superRefine((value, ctx) => {
    checkRange(value, ctx);
    checkDimensions([value.measure], usedFilterDimensions(value), ctx);
  }, ONCE_VALID)
  .transform((value) => ({ measure: value.measure, filters: toFilters(value), output: toCsvRequest(value) }));
export type CollaborationRequest = z.infer<typeof CollaborationQuerySchema>;

export { listParameter };
