import { z } from 'zod';
import { FACT_KINDS, type FactKind } from '../db/schema.js';
import { checkRange, filterShape, toFilters, usedFilterDimensions } from '../kpi/kpi.schemas.js';
import { MEASURE_LIST } from '../kpi/registry.js';
import { KIND_COLUMNS, MAIN_DATE } from './record-columns.js';

export const KindParamsSchema = z.object({
  kind: z.enum(FACT_KINDS, { error: `must be a kind of record: one of ${FACT_KINDS.join(', ')}` }),
});

export const RecordParamsSchema = KindParamsSchema.extend({
  id: z.coerce
    .number({ error: 'must be a record id' })
    .int('must be a record id')
    .positive('must be a record id')
    .max(Number.MAX_SAFE_INTEGER),
});

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
      q: z.string().trim().max(100, 'must be at most 100 characters').optional(),
      sort: z
        .string()
        .regex(/^-?[a-z_]+$/, 'must be a column name, with - before it for descending')
        .refine((s) => columns.includes(s.replace(/^-/, '')), `must be one of ${columns.join(', ')} (with - for descending)`)
        .optional(),
      page: z.coerce
        .number({ error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(1_000_000)
        .default(1),
      pageSize: z.coerce
        .number({ error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(1000, 'must be at most 1000')
        .default(50),
    })
    .strict()
    .superRefine((value, ctx) => {
      checkRange(value, ctx);
      const allowed = kindDimensions(kind);
      for (const [path, dimension] of usedFilterDimensions(value)) {
        if (!allowed.has(dimension))
          ctx.addIssue({ code: 'custom', path: [path], message: `${kind} records have no dimension ${dimension}` });
      }
    })
    .transform((value) => {
      const sort = value.sort ?? `-${MAIN_DATE[kind]}`;
      return {
        filters: toFilters(value),
        q: value.q || undefined,
        sort: { column: sort.replace(/^-/, ''), descending: sort.startsWith('-') },
        page: value.page,
        pageSize: value.pageSize,
      };
    });
}

export const RECORDS_QUERY_SCHEMAS = Object.fromEntries(FACT_KINDS.map((kind) => [kind, recordsQuerySchema(kind)])) as Record<
  FactKind,
  ReturnType<typeof recordsQuerySchema>
>;
