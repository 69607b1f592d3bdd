import { z } from 'zod';
import { FACT_KINDS, PERIOD_STATUSES, REPORT_STATUS_TABLES, type ReportStatusTable, TRANSFER_MODES } from './enums.js';
import { FigureStatusSchema, UNITS } from './kpi.js';
import { MEASURE_IDS } from './measure-ids.js';
import { DIMENSION_IDS } from './dimension-ids.js';
import { BilingualSchema, STANDARD_CODES } from './schemas/meta.js';

/**
 * The commission report as data: self-contained (names, definitions and figures as they were
 * when it was made), language-neutral (every label in both languages), and serialised
 * canonically so that its SHA-256 identifies it. A submitted report is this document, frozen.
 * Format 2 adds the national block (`national`); a document of format 1, submitted before it, has none.
 *
 * Written once as zod schemas: the types below are inferred from them, the API document shows
 * them field by field, and a document can be checked against them at run time.
 */
export const REPORT_FORMAT = 'alliance-outcomes.report/2';
/** The format of the reports submitted before the national block: still served as they were frozen. */
export const REPORT_FORMAT_1 = 'alliance-outcomes.report/1';

/** The grains of a report's period: a year (2024), a half (2024-H1), a quarter (2024-Q3). */
export const PERIOD_GRAINS = ['year', 'half', 'quarter'] as const;
export type PeriodGrain = (typeof PERIOD_GRAINS)[number];

const MeasureIdSchema = z.enum(MEASURE_IDS);
/** A day, YYYY-MM-DD. */
const DaySchema = z.iso.date();
/** A count of records. */
const CountSchema = z.number().int().nonnegative();

/** One figure and the number of records behind it. */
export const FigureSchema = z.strictObject({
  /** A sum or a count; for a ratio, null where its denominator is 0. */
  value: z.number().nullable(),
  records: CountSchema,
});
export type Figure = z.infer<typeof FigureSchema>;

/** The figures of a row, by measure: only the measures its table has. */
export const FiguresSchema = z.partialRecord(MeasureIdSchema, FigureSchema);
export type Figures = z.infer<typeof FiguresSchema>;

export const PeriodInfoSchema = z.strictObject({
  key: z.string(),
  grain: z.enum(PERIOD_GRAINS),
  from: DaySchema,
  to: DaySchema,
  label: BilingualSchema,
});
export type PeriodInfo = z.infer<typeof PeriodInfoSchema>;

export const ReportMeasureSchema = z.strictObject({
  id: MeasureIdSchema,
  kind: z.enum(FACT_KINDS),
  unit: z.enum(UNITS),
  temporality: z.enum(['flow', 'stock']),
  dateColumn: z.string(),
  /** `count`: the figure is the number of records; `sum`: a sum over them; `ratio`: one sum over another. */
  aggregate: z.enum(['count', 'sum', 'ratio']),
  name: BilingualSchema,
  definition: BilingualSchema,
  standard: z.strictObject({ code: z.enum(STANDARD_CODES), name: BilingualSchema, reference: BilingualSchema }),
});
export type ReportMeasure = z.infer<typeof ReportMeasureSchema>;

/** What a row of a table by university says of itself; its cells are the table's own. */
const ScopeFields = {
  /** A member, its province's subtotal, or the alliance's total. */
  level: z.enum(['university', 'region', 'alliance']),
  /** The university's or province's code; null for the alliance. */
  code: z.string().nullable(),
  /** The province of a university row. */
  region: z.string().nullable(),
  /** The status of the row's figures (absent from documents made before figures had one). */
  status: FigureStatusSchema.optional(),
};
/** A row of a table by university: a member, its province's subtotal, or the alliance's total. */
export type ScopeRow<T> = z.infer<z.ZodObject<typeof ScopeFields>> & { cells: T };

export const AttainmentSchema = z.strictObject({
  target: z.number().nullable(),
  /** Null only where the summary has no figure (a ratio over nothing; ratios take no target). */
  yearToDate: z.number().nullable(),
  /** Year to date ÷ the year's target; null without a target (and always for the stock). */
  attainment: z.number().nullable(),
});
export type Attainment = z.infer<typeof AttainmentSchema>;

export const ComparisonSchema = z.strictObject({
  measure: MeasureIdSchema,
  /** Figures are null only for a ratio whose denominator is 0. */
  value: z.number().nullable(),
  records: CountSchema,
  previous: z.number().nullable(),
  /** value ÷ previous − 1; null when previous is zero. */
  change: z.number().nullable(),
  yearAgo: z.number().nullable(),
  yearOnYear: z.number().nullable(),
  /** Year on year over the universities with records in both periods (the national report's matched panel). */
  panel: z.strictObject({
    universities: z.array(z.string()),
    value: z.number().nullable(),
    yearAgo: z.number().nullable(),
    change: z.number().nullable(),
  }),
  target: z.number().nullable(),
  yearToDate: z.number().nullable(),
  attainment: z.number().nullable(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/** A row of a breakdown: one value of a dimension, a subtotal of a group of them, or the total. */
export const BreakdownRowSchema = z.strictObject({
  level: z.enum(['item', 'subtotal', 'total']),
  /** The dimension's value (`license`, `1m_to_10m`, `master`) or the subtotal's group; null for the total. */
  code: z.string().nullable(),
  figures: FiguresSchema,
});
export type BreakdownRow = z.infer<typeof BreakdownRowSchema>;

export const BreakdownSchema = z.strictObject({
  dimension: z.enum(DIMENSION_IDS),
  measures: z.array(MeasureIdSchema),
  rows: z.array(BreakdownRowSchema),
});
export type Breakdown = z.infer<typeof BreakdownSchema>;

export const PairMatrixSchema = z.strictObject({
  measure: MeasureIdSchema,
  /** cells[i][j]: students of university i recognised at host university j. */
  cells: z.array(z.array(FigureSchema)),
  rowTotals: z.array(FigureSchema),
  columnTotals: z.array(FigureSchema),
  total: FigureSchema,
});
export type PairMatrix = z.infer<typeof PairMatrixSchema>;

/** One line of the national block: a registry measure, for one mode or for all six. */
export const NationalLineSchema = z.strictObject({
  id: z.string(),
  measure: MeasureIdSchema,
  mode: z.enum(TRANSFER_MODES).nullable(),
  name: BilingualSchema,
});
export type NationalLine = z.infer<typeof NationalLineSchema>;

export const NationalBlockSchema = z.strictObject({
  lines: z.array(NationalLineSchema),
  /** The members in the report's order, then the alliance. */
  columns: z.array(z.strictObject({ level: z.enum(['university', 'alliance']), code: z.string().nullable() })),
  /** Per line (in `lines` order), one figure per column. */
  rows: z.array(z.strictObject({ line: z.string(), cells: z.array(FigureSchema) })),
  /** The members whose contract value over the six modes in the period reached the threshold (yuan). */
  above: z.strictObject({ threshold: z.number(), universities: z.array(z.string()) }),
});
export type NationalBlock = z.infer<typeof NationalBlockSchema>;

/** A university-period that a report draws on and that is not final. */
export const NotFinalPeriodSchema = z.strictObject({
  university: z.string(),
  /** The period's key: `2025-Q3`, `2025-07`, `2025`. */
  period: z.string(),
  from: DaySchema,
  to: DaySchema,
  /** Where it stands in the reporting cycle (docs/reporting-cycle.md). */
  state: z.enum(PERIOD_STATUSES),
  /** False while it has not ended. */
  ended: z.boolean(),
  /** P, or R when it was approved and its records changed since. */
  status: FigureStatusSchema,
});
export type NotFinalPeriod = z.infer<typeof NotFinalPeriodSchema>;

/** What the report's figures stood on when it was made: each table's status and the university-periods not final. */
export const ReportStatusSchema = z.strictObject({
  tables: z.strictObject(
    Object.fromEntries(REPORT_STATUS_TABLES.map((t) => [t, FigureStatusSchema])) as Record<
      ReportStatusTable,
      typeof FigureStatusSchema
    >,
  ),
  notFinal: z.array(NotFinalPeriodSchema),
});
export type ReportStatus = z.infer<typeof ReportStatusSchema>;

export const ReportDocumentSchema = z
  .strictObject({
    format: z.enum([REPORT_FORMAT, REPORT_FORMAT_1]),
    period: PeriodInfoSchema,
    previousPeriod: PeriodInfoSchema,
    yearAgoPeriod: PeriodInfoSchema,
    /** 1 January of the target year to the period's last day: what attainment compares with the year's target. */
    yearToDate: z.strictObject({ from: DaySchema, to: DaySchema }),
    targetYear: z.number().int(),
    /** `value`: the period is the whole year; `year_to_date`: a half or quarter, compared year to date. */
    attainmentBasis: z.enum(['value', 'year_to_date']),
    /** False while the period has not ended: its figures are to date. */
    complete: z.boolean(),
    data: z.strictObject({
      synthetic: z.boolean(),
      /** When the data last changed (ISO 8601), and its version, which every write bumps. */
      asOf: z.iso.datetime().nullable(),
      version: z.number().int().nonnegative(),
      firstDate: DaySchema.nullable(),
      lastDate: DaySchema.nullable(),
    }),
    universities: z.array(
      z.strictObject({ code: z.string(), name: BilingualSchema, region: z.string(), lead: z.boolean() }),
    ),
    regions: z.array(z.strictObject({ code: z.string(), name: BilingualSchema })),
    /** Names of the codes the breakdowns use: modes, value bands, levels, fields. */
    labels: z.record(z.string(), BilingualSchema),
    standards: z.partialRecord(z.enum(STANDARD_CODES), BilingualSchema),
    measures: z.array(ReportMeasureSchema),
    summary: z.strictObject({
      measures: z.array(MeasureIdSchema),
      rows: z.array(z.strictObject({ ...ScopeFields, cells: FiguresSchema })),
    }),
    comparisons: z.array(ComparisonSchema),
    attainmentByUniversity: z.strictObject({
      measures: z.array(MeasureIdSchema),
      rows: z.array(z.strictObject({ ...ScopeFields, cells: z.partialRecord(MeasureIdSchema, AttainmentSchema) })),
    }),
    techTransfer: z.strictObject({ byMode: BreakdownSchema, byValueBand: BreakdownSchema }),
    incubation: z.strictObject({ byField: BreakdownSchema }),
    talent: z.strictObject({ byLevel: BreakdownSchema }),
    credits: z.strictObject({ universities: z.array(z.string()), matrices: z.array(PairMatrixSchema) }),
    /** The national report's table for each member and the alliance; absent from documents of format 1. */
    national: NationalBlockSchema.optional(),
    /**
     * Each table's status (final, provisional, revised) and the university-periods it draws on that
     * are not final, as they stood when the document was made; absent from documents made before.
     */
    status: ReportStatusSchema.optional(),
  })
  .check((ctx) => {
    // Format 2 is the one with the national block; format 1 was made before it.
    const hasNational = ctx.value.national !== undefined;
    if (hasNational !== (ctx.value.format === REPORT_FORMAT))
      ctx.issues.push({
        code: 'custom',
        path: ['national'],
        message: hasNational ? 'a document of format 1 has no national block' : 'a document of format 2 has its national block',
        input: ctx.value.national,
      });
  })
  .meta({
    description:
      'The commission report as data (format alliance-outcomes.report/2; a submission made before the national block is /1 and has no `national`).',
  });
export type ReportDocument = z.infer<typeof ReportDocumentSchema>;
