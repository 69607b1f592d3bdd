import { z } from 'zod';
import { FACT_KINDS } from '../enums.js';
import { zodSays } from '../problems.js';
import { singleLine } from '../text.js';

export const KindParamsSchema = z.object({
  kind: z.enum(FACT_KINDS, { error: zodSays('kind_one_of', { values: FACT_KINDS }) }),
});

export const RecordParamsSchema = KindParamsSchema.extend({
  id: z
    .string({ error: zodSays('record_id', { positive: false }) })
    .regex(/^[1-9]\d{0,14}$/, zodSays('record_id', { positive: true }))
    .transform(Number),
});

/** A record as the API gives it: its columns (contract/record-columns.ts) by name, with id and times. */
export const RecordSchema = z
  .object({ id: z.number(), created_at: z.string(), updated_at: z.string() })
  .catchall(z.union([z.string(), z.number(), z.null()]));
export type RecordRow = z.infer<typeof RecordSchema>;

export const RecordsPageSchema = z.object({
  kind: z.enum(FACT_KINDS),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  /**
   * With `measure`: that measure's amount over every record of the selection (a sum's column
   * summed, a count's records counted; null for a ratio), the figure the records make.
   */
  sum: z.number().nullable().optional(),
  rows: z.array(RecordSchema),
});
export type RecordsPage = z.infer<typeof RecordsPageSchema>;

/** POST /imports/:kind: a dry run writes nothing; the file's name, when the body is bare CSV. */
export const ImportQuerySchema = z
  .object({
    dryRun: z.enum(['true', 'false'], { error: zodSays('true_or_false') }).optional(),
    fileName: singleLine(200).optional(),
  })
  .strict();

/** The empty file of a kind, for a steward to fill in: a workbook (the default) or a CSV header, in a language. */
export const TEMPLATE_FORMATS = ['xlsx', 'csv'] as const;
export const TemplateQuerySchema = z
  .object({
    format: z.enum(TEMPLATE_FORMATS, { error: zodSays('either', { a: 'xlsx', b: 'csv' }) }).default('xlsx'),
    lang: z.enum(['en', 'zh'], { error: zodSays('either', { a: 'en', b: 'zh' }) }).default('en'),
  })
  .strict();

/**
 * The encodings an imported file is read in, detected from its bytes (docs/csv.md): UTF-8 without or
 * with a byte-order mark, GB18030 (of which GBK, Excel's "CSV" in a Chinese locale, is a part), and
 * UTF-16 with a byte-order mark (Excel's "Unicode text").
 */
export const IMPORT_ENCODINGS = ['utf-8', 'utf-8-bom', 'gb18030', 'utf-16le', 'utf-16be'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];
/** What separates an imported file's cells: commas, or tabs (found from its header line). */
export const IMPORT_DELIMITERS = ['comma', 'tab'] as const;
export type ImportDelimiter = (typeof IMPORT_DELIMITERS)[number];

/** What an imported file is, found from its bytes: a CSV, or an Excel workbook (`.xlsx`). */
export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A text cell of an imported file as it was read: its line (as a spreadsheet numbers it), column and text (at most 60 characters). */
export const TextSampleSchema = z.object({ line: z.number(), column: z.string(), text: z.string() });
export type TextSample = z.infer<typeof TextSampleSchema>;

export const ImportResultSchema = z.object({
  kind: z.enum(FACT_KINDS),
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  dryRun: z.boolean(),
  batchId: z.number().nullable(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  /** Read-only columns of the file that were not read (a contract's received_cny). */
  ignored: z.array(z.string()),
  /** What the file is, found from its bytes: a CSV or a workbook. */
  format: z.enum(IMPORT_FORMATS),
  /** The encoding a CSV was read in, as detected (null for a workbook). */
  encoding: z.enum(IMPORT_ENCODINGS).nullable(),
  /** What separates a CSV's cells, as found from its header (null for a workbook). */
  delimiter: z.enum(IMPORT_DELIMITERS).nullable(),
  /** The workbook's sheet that was read: the first whose first row is a header of the kind (null for a CSV). */
  sheet: z.string().nullable(),
  /** The file's first text cell with characters beyond ASCII, as read (null if none): a file read in the wrong encoding shows there. */
  sample: TextSampleSchema.nullable(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;
