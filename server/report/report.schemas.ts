import { z } from 'zod';
import { ONCE_VALID, singleLine } from '../http/text.js';
import { PERIOD_PATTERN, parsePeriod, type ReportPeriod } from './report-period.js';
import { REPORT_TABLES } from './report-csv.js';

const Period = z
  .string({ error: 'must be a period: 2024, 2024-H1 or 2024-Q3' })
  .regex(PERIOD_PATTERN, 'must be a period: a year (2024), a half (2024-H1, 2024-H2) or a quarter (2024-Q1 … 2024-Q4)')
  .refine((p) => {
    const year = Number(p.slice(0, 4));
    return year >= 2000 && year <= 2100;
  }, 'must be a year from 2000 to 2100')
  .transform((p): ReportPeriod => parsePeriod(p)!);

const Lang = z.enum(['zh', 'en'], { error: 'must be zh or en' });
const Table = z.enum(REPORT_TABLES, { error: `must be a table of the report: one of ${REPORT_TABLES.join(', ')}` });

/** What a report read may ask: JSON, or one table as CSV. */
const outputShape = {
  lang: Lang.optional(),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
  table: Table.optional(),
  bom: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
};

function checkTable(value: { format?: string | undefined; table?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.format === 'csv' && !value.table)
    ctx.addIssue({ code: 'custom', path: ['table'], message: `name the table to download: one of ${REPORT_TABLES.join(', ')}` });
  if (value.table && value.format !== 'csv')
    ctx.addIssue({ code: 'custom', path: ['table'], message: 'applies to format=csv only' });
}

const toOutput = (value: {
  lang?: 'zh' | 'en' | undefined;
  format?: string | undefined;
  table?: (typeof REPORT_TABLES)[number] | undefined;
  bom?: string | undefined;
}) => ({
  lang: value.lang ?? ('en' as const),
  csv: value.format === 'csv' ? { table: value.table!, bom: value.bom !== 'false' } : null,
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
  .object({ period: z.string().regex(PERIOD_PATTERN, 'must be a period: 2024, 2024-H1 or 2024-Q3').optional() })
  .strict();

export const SubmissionParamsSchema = z
  .object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,15}$/, 'must be a submission id')
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
      .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex')
      .optional(),
  })
  .strict();
