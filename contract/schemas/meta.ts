import { z } from 'zod';
import { DIMENSION_IDS } from '../dimension-ids.js';
import { FACT_KINDS } from '../enums.js';
import { UNITS } from '../kpi.js';
import { MEASURE_GROUPS, MEASURE_IDS } from '../measure-ids.js';
import { UniversitySchema } from './universities.js';

export const BilingualSchema = z.object({ en: z.string(), zh: z.string() });
export type Bilingual = z.infer<typeof BilingualSchema>;

/** A code with its names: a region, a field. */
export const NamedCodeSchema = z.object({ code: z.string(), nameEn: z.string(), nameZh: z.string() });
export type NamedCode = z.infer<typeof NamedCodeSchema>;

export const STANDARD_CODES = ['cn-annual-report', 'autm', 'ec-kti', 'alliance'] as const;

/** The standard a measure maps to, and which of its indicators. */
export const StandardSchema = z.object({ code: z.enum(STANDARD_CODES), reference: BilingualSchema });
export type Standard = z.infer<typeof StandardSchema>;

const AggregateSchema = z.discriminatedUnion('fn', [
  z.object({ fn: z.literal('count') }),
  z.object({ fn: z.literal('sum'), column: z.string() }),
  z.object({ fn: z.literal('ratio'), numerator: z.enum(MEASURE_IDS), denominator: z.enum(MEASURE_IDS), decimals: z.number() }),
]);

/** How a stock holds a record: from one date until the first of others. */
const HeldSchema = z.object({ from: z.string(), until: z.array(z.string()).readonly(), latest: z.object({ table: z.enum(FACT_KINDS) }).optional() });

/** A measure of the registry, as /meta gives it. */
export const MeasureInfoSchema = z
  .object({
    id: z.enum(MEASURE_IDS),
    kind: z.enum(FACT_KINDS),
    group: z.enum(MEASURE_GROUPS),
    dateColumn: z.string(),
    aggregate: AggregateSchema,
    unit: z.enum(UNITS),
    name: BilingualSchema,
    definition: BilingualSchema,
    standard: StandardSchema,
    /** Counted to date on the records dated in the period: a past period's figure keeps growing. */
    cohort: z.literal(true).optional(),
    /** Moved by records dated after the period (payments): its status is provisional while a later period is open. */
    toDate: z.literal(true).optional(),
    /** Whether it takes a yearly target. */
    targeted: z.boolean(),
    /** Whether the commission report has it. */
    reported: z.boolean(),
    dimensions: z.array(z.enum(DIMENSION_IDS)).readonly(),
  })
  .and(
    z.discriminatedUnion('temporality', [
      z.object({ temporality: z.literal('flow') }),
      z.object({ temporality: z.literal('stock'), held: HeldSchema }),
    ]),
  );
export type MeasureInfo = z.infer<typeof MeasureInfoSchema>;

/** A dimension of the registry: its name, its domain and, when enumerated, its labelled values. */
export const DimensionInfoSchema = z.object({
  id: z.enum(DIMENSION_IDS),
  name: BilingualSchema,
  domain: z.enum(['university', 'region', 'field', 'enum', 'period']),
  values: z.array(z.object({ code: z.string(), en: z.string(), zh: z.string() })).optional(),
});
export type DimensionInfo = z.infer<typeof DimensionInfoSchema>;

/** GET /meta: everything a client needs to label and filter. */
export const MetaSchema = z.object({
  universities: z.array(UniversitySchema),
  regions: z.array(NamedCodeSchema),
  fields: z.array(NamedCodeSchema),
  dateRange: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  dataset: z.object({ synthetic: z.boolean() }),
  measures: z.array(MeasureInfoSchema),
  dimensions: z.array(DimensionInfoSchema),
  standards: z.record(z.enum(STANDARD_CODES), BilingualSchema),
});
export type Meta = z.infer<typeof MetaSchema>;
