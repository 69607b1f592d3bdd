import { z } from 'zod';
import { zodSays } from '../../contract/problems.js';
import { ONCE_VALID, singleLine } from '../http/text.js';
import { PERIOD_PATTERN, parsePeriod, type ReportPeriod } from './report-period.js';
import { REPORT_TABLES } from './report-csv.js';

const Period = z
  .string({ error: zodSays('period') })
  .regex(PERIOD_PATTERN, zodSays('period_format'))
  .refine(
    (p) => {
      const year = Number(p.slice(0, 4));
      return year >= 2000 && year <= 2100;
    },
    zodSays('year_between', { min: 2000, max: 2100 }),
  )
  .transform((p): ReportPeriod => parsePeriod(p)!);

const Lang = z.enum(['zh', 'en'], { error: zodSays('either', { a: 'zh', b: 'en' }) });
const Table = z.enum(REPORT_TABLES, { error: zodSays('table_one_of', { values: REPORT_TABLES }) });

const FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;

/** What a report read may ask: JSON, one table as CSV, the whole report as a workbook, or printed as PDF. */
const outputShape = {
  lang: Lang.optional(),
  format: z.enum(FORMATS, { error: zodSays('one_of', { values: FORMATS }) }).optional(),
  table: Table.optional(),
  bom: z.enum(['true', 'false'], { error: zodSays('true_or_false') }).optional(),
};

function checkTable(value: { format?: string | undefined; table?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.format === 'csv' && !value.table)
    ctx.addIssue({ code: 'custom', path: ['table'], message: zodSays('name_table', { values: REPORT_TABLES }) });
  if (value.table && value.format !== 'csv') ctx.addIssue({ code: 'custom', path: ['table'], message: zodSays('csv_only') });
}

const toOutput = (value: {
  lang?: 'zh' | 'en' | undefined;
  format?: string | undefined;
  table?: (typeof REPORT_TABLES)[number] | undefined;
  bom?: string | undefined;
}) => ({
  lang: value.lang ?? ('en' as const),
  csv: value.format === 'csv' ? { table: value.table!, bom: value.bom !== 'false' } : null,
  xlsx: value.format === 'xlsx',
  pdf: value.format === 'pdf',
});

export const ReportQuerySchema = z
  .object({ period: Period, ...outputShape })
  .strict()
  .superRefine(checkTable, ONCE_VALID)
  .transform((value) => ({ period: value.period, ...toOutput(value) }));
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

export const SubmissionQuerySchema = z
  .object(outputShape)
  .strict()
  .superRefine(checkTable, ONCE_VALID)
  .transform((value) => toOutput(value));

export const SubmissionsListQuerySchema = z
  .object({ period: z.string().regex(PERIOD_PATTERN, zodSays('period')).optional() })
  .strict();

export const SubmissionParamsSchema = z
  .object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,15}$/, zodSays('submission_id'))
      .transform(Number),
  })
  .strict();

export const SubmitBodySchema = z
  .object({
    period: Period,
    lang: Lang,
    note: singleLine(2000).optional(),
    /** The digest of the report the submitter reviewed (`sha256` of GET /report). */
    expectedSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, zodSays('sha256'))
      .optional(),
  })
  .strict();
