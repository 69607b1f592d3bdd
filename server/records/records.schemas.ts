import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { FACT_KINDS, type FactKind } from '../db/schema.js';
import { csvShape, toCsvRequest } from '../csv/csv-request.js';
import { checkRange, filterShape, toFilters, usedFilterDimensions } from '../kpi/kpi.schemas.js';
import { hasBidiControl, hasControl, hasInvisible, ONCE_VALID } from '../http/text.js';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { MEASURE_LIST, MEASURES } from '../kpi/registry.js';
import { KIND_COLUMNS, MAIN_DATE } from '../../contract/record-columns.js';

export { KindParamsSchema, RecordParamsSchema } from '../../contract/schemas/records.js';

/** A whole number in a query string, within bounds, with messages that say so. */
import { wholeNumber } from '../../contract/text.js';

export { wholeNumber };

/** The dimensions a kind's records can be filtered by: those of its measures. */
const kindDimensions = (kind: FactKind): Set<string> =>
  new Set(MEASURE_LIST.filter((m) => m.kind === kind).flatMap((m) => [...m.dimensions]));

const sortable = (kind: FactKind): string[] => ['id', ...KIND_COLUMNS[kind].map((c) => c.name), 'created_at', 'updated_at'];

/** The query of a records listing, for one kind (the filters it takes depend on the kind). */
export function recordsQuerySchema(kind: FactKind) {
  const columns = sortable(kind);
  return z
    .object({
      ...filterShape,
      ...csvShape,
      q: z
        .string()
        .trim()
        .max(100, zodSays('max_characters', { max: 100 }))
        .refine((s) => !hasControl(s), zodSays('control_characters'))
        .refine((s) => !hasBidiControl(s), zodSays('bidi_controls'))
        .refine((s) => !hasInvisible(s), zodSays('invisible_characters'))
        .optional(),
      sort: z
        .string()
        .regex(/^-?[a-z_]+$/, zodSays('sort_format'))
        .refine((s) => columns.includes(s.replace(/^-/, '')), zodSays('sort_one_of', { values: columns }))
        .optional(),
      measure: z
        .enum(MEASURE_IDS, { error: zodSays('measure_one_of', { values: MEASURE_IDS }) })
        .refine((id) => MEASURES[id].kind === kind, zodSays('measure_of_kind', { kind }))
        .optional(),
      page: wholeNumber(1, 1_000_000).optional(),
      pageSize: wholeNumber(1, 1000).optional(),
    })
    .strict()
    .superRefine((value, ctx) => {
      checkRange(value, ctx);
      const allowed = kindDimensions(kind);
      for (const [path, dimension] of usedFilterDimensions(value)) {
        if (!allowed.has(dimension))
          ctx.addIssue({ code: 'custom', path: [path], message: zodSays('kind_lacks_dimension', { kind, dimension }) });
      }
    }, ONCE_VALID)
    .transform((value) => {
      const sort = value.sort ?? `-${MAIN_DATE[kind]}`;
      return {
        filters: toFilters(value),
        q: value.q || undefined,
        measure: value.measure,
        sort: { column: sort.replace(/^-/, ''), descending: sort.startsWith('-') },
        page: value.page ?? 1,
        pageSize: value.pageSize ?? 50,
        output: toCsvRequest(value),
      };
    });
}

export const RECORDS_QUERY_SCHEMAS = Object.fromEntries(FACT_KINDS.map((kind) => [kind, recordsQuerySchema(kind)])) as Record<
  FactKind,
  ReturnType<typeof recordsQuerySchema>
>;
