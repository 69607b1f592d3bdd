import { z } from 'zod';
import { AUDIT_ACTIONS, FACT_KINDS, type AuditAction } from '../enums.js';
import { MEASURE_IDS } from '../measure-ids.js';
import { ReportDocumentSchema } from '../report.js';

/**
 * The answers of the commission report's routes: the live report, the submissions, and what was
 * revised after a submission.
 */

/** The spans a report's figures cover: the period, the periods it is compared with, the year to date. */
export const SPANS = ['period', 'previousPeriod', 'yearAgoPeriod', 'yearToDate'] as const;
export type SpanName = (typeof SPANS)[number];

export const FigureDeltaSchema = z
  .object({
    span: z.enum(SPANS),
    measure: z.enum(MEASURE_IDS),
    university: z.string(),
    /** How much the figure moves: the record's part after the change minus its part before. */
    delta: z.number(),
    /** How the number of records behind the figure moves (−1, 0, +1). */
    records: z.number(),
  })
  .strict();
export type FigureDelta = z.infer<typeof FigureDeltaSchema>;

/** The audit log's actions that can move a report's figures. */
export const REVISION_ACTIONS = ['create', 'update', 'delete', 'import', 'target_change'] as const satisfies readonly AuditAction[];
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** The fields every role may see: figures, never records or people. */
const revisionFigures = {
  at: z.string(),
  action: z.enum(REVISION_ACTIONS),
  kind: z.enum(FACT_KINDS).nullable(),
  /** The universities whose records the change touched (a record may move between two); [] for an import or target. */
  universities: z.array(z.string()),
  /** False for an import, whose inserted rows the audit log does not list one by one. */
  itemized: z.boolean(),
  figures: z.array(FigureDeltaSchema),
  /** A target change: which target, its value before and after (null: none). */
  target: z
    .object({
      measure: z.enum(MEASURE_IDS),
      year: z.number(),
      university: z.string().nullable(),
      before: z.number().nullable(),
      after: z.number().nullable(),
    })
    .strict()
    .nullable(),
  /** An import: how many rows its file had, and how many of them it inserted and updated. */
  import: z.object({ rows: z.number(), inserted: z.number(), updated: z.number() }).strict().nullable(),
};

/** A revision as the commission, and a steward on other universities' records, see it. */
export const RevisionFiguresSchema = z.object({ visibility: z.literal('figures'), ...revisionFigures }).strict();

/** A revision with its audit entry: for admin and leadership, and for a steward on its own university's records. */
export const RevisionAuditSchema = z
  .object({
    visibility: z.literal('audit'),
    ...revisionFigures,
    auditId: z.number(),
    /** The e-mail of the account that made the change. */
    user: z.string().nullable(),
    subject: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    detail: z.unknown(),
  })
  .strict();

export const RevisionSchema = z.discriminatedUnion('visibility', [RevisionFiguresSchema, RevisionAuditSchema]);
export type Revision = z.infer<typeof RevisionSchema>;
export type RevisionAudit = z.infer<typeof RevisionAuditSchema>;
export type RevisionFigures = z.infer<typeof RevisionFiguresSchema>;

/** The tables of a report whose figures a difference names. */
export const DIFFERENCE_TABLES = [
  'summary',
  'comparisons',
  'attainment',
  'byMode',
  'byValueBand',
  'byField',
  'byLevel',
  'matrix',
  'national',
] as const;

export const FigureDifferenceSchema = z
  .object({
    table: z.enum(DIFFERENCE_TABLES),
    /**
     * The row: a university's or province's code (null for the alliance) in the tables by university;
     * the dimension's value (null for the total) in a breakdown; the home university in a matrix.
     */
    scope: z.string().nullable(),
    /**
     * A matrix's column: the host university (null for the row's total). In the national block:
     * the line's mode (null for the six modes together).
     */
    partner: z.string().nullable().optional(),
    measure: z.enum(MEASURE_IDS),
    field: z.string(),
    submitted: z.number().nullable(),
    now: z.number().nullable(),
  })
  .strict();
export type FigureDifference = z.infer<typeof FigureDifferenceSchema>;

/**
 * Who submitted a report: its reader sees the submitter's name (the report is signed with it); the
 * account's e-mail and id are account data, for admin and leadership only.
 */
const SubmitterSchema = z.union([
  z.object({ id: z.number().nullable(), email: z.string(), name: z.string() }).strict(),
  z.object({ name: z.string() }).strict(),
]);

export const SubmissionSchema = z
  .object({
    id: z.number(),
    period: z.string(),
    from: z.string(),
    to: z.string(),
    lang: z.enum(['zh', 'en']),
    sha256: z.string(),
    dataVersion: z.number(),
    submittedAt: z.string(),
    submittedBy: SubmitterSchema,
    note: z.string().nullable(),
  })
  .strict();
export type Submission = z.infer<typeof SubmissionSchema>;

/** GET /report: the live document, in the language asked for, and the SHA-256 of its canonical JSON. */
export const LiveReportSchema = z.object({ lang: z.enum(['zh', 'en']), sha256: z.string(), report: ReportDocumentSchema });
export type LiveReport = z.infer<typeof LiveReportSchema>;

export const SubmissionsAnswerSchema = z.object({ submissions: z.array(SubmissionSchema) });
export const SubmitAnswerSchema = z.object({ submission: SubmissionSchema });

export const SubmissionWithRevisionsSchema = z
  .object({
    submission: SubmissionSchema,
    /** The document as submitted: of format 1 if it was submitted before the national block. */
    report: ReportDocumentSchema,
    /** The report as it would be made today: its digest, and whether it is still the one submitted. */
    live: z.object({ sha256: z.string(), unchanged: z.boolean(), dataVersion: z.number() }).strict(),
    revisions: z.array(RevisionSchema),
    differences: z.array(FigureDifferenceSchema),
  })
  .strict();
export type SubmissionWithRevisions = z.infer<typeof SubmissionWithRevisionsSchema>;
