import { z } from 'zod';
import { FACT_KINDS, type FactKind } from '../db/schema.js';
import { type Said, zodSaid, zodSays } from '../../contract/problems.js';
import { detail, type ProblemDetail, said } from '../lib/problems.js';
import { hasBidiControl, hasInvisible, isControl, ONCE_VALID } from '../http/text.js';
import { FIRST_DATE, isValidIsoDate, today } from '../lib/dates.js';
import {
  type ColumnSpec,
  formatLimit,
  INPUT_COLUMNS,
  MAX_COUNT,
  MAX_CREDITS,
  MAX_MONEY_CNY,
} from '../../contract/record-columns.js';

/**
 * One schema per kind of record, built from its columns: the same rules check a record sent
 * as JSON and a row of an imported CSV (where every cell is text).
 */

/** Text as sent: a CSV cell, or a JSON string; numbers also come as numbers from JSON. */
const blank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function text(spec: ColumnSpec) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: zodSays('required') })
      .min(1, zodSays('required'))
      .max(spec.maxLength ?? 200, zodSays('max_characters', { max: spec.maxLength ?? 200 }))
      .refine((s) => !spec.oneLine || !/[\t\r\n]/.test(s), zodSays('not_one_line'))
      .refine((s) => ![...s].some(isControl), zodSays('control_characters'))
      .refine((s) => !hasBidiControl(s), zodSays('bidi_controls'))
      .refine((s) => !hasInvisible(s), zodSays('invisible_characters')),
  );
}

function codeSchema(spec: ColumnSpec) {
  const example = spec.example || (spec.domain === 'university' ? 'USST' : 'SH');
  return z
    .string({ error: zodSays('required') })
    .transform((s) => s.trim().toUpperCase())
    .pipe(
      z
        .string()
        .min(1, zodSays('required'))
        .regex(/^[A-Z][A-Z0-9_]{1,15}$/, zodSays('code_format', { example })),
    );
}

/**
 * Why a text is not a date, with the text (cut to 40 characters): a spreadsheet that reformatted
 * a date column (`2024/6/28`, `28/06/2024`) is named, so the steward knows what to change.
 */
export function notADate(input: unknown): Said {
  const text = String(input);
  const value = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return said('no_such_day', { value });
  if (/^\d{1,4}[/.]\d{1,2}[/.]\d{1,4}$/.test(text)) return said('date_reformatted', { value });
  return said('not_a_date', { value });
}

/**
 * A day written year first with its month and day unpadded, as a spreadsheet in a Chinese locale
 * saves a date column (`2026/9/3`), or with hyphens (`2026-9-3`): unambiguous, so read as the ISO
 * day. Day-first or month-first forms (`3/9/2026`, `9/3/2026`) stay refused: no one can tell which.
 */
const YEAR_FIRST = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/;

export function isoDayOf(text: string): string {
  const match = YEAR_FIRST.exec(text);
  if (!match) return text;
  return `${match[1]}-${match[3]!.padStart(2, '0')}-${match[4]!.padStart(2, '0')}`;
}

function date(optional: boolean) {
  const schema = z
    .string({
      error: (issue) => (issue.input === undefined || issue.input === null ? zodSays('required') : zodSays('date_format')),
    })
    .transform((s) => isoDayOf(s.trim()))
    .pipe(
      z
        .string()
        .min(1, { error: zodSays('required'), abort: true })
        .refine(isValidIsoDate, {
          error: (issue) => zodSaid(notADate(issue.input)),
          abort: true,
        })
        .refine((d) => d <= today(), zodSays('in_future'))
        .refine((d) => d >= FIRST_DATE, zodSays('before_first_date', { first: FIRST_DATE })),
    );
  return optional ? z.preprocess((v) => (blank(v) ? null : v), schema.nullable()) : schema;
}

/**
 * An amount as a spreadsheet in a Chinese locale saves a formatted column: thousands separators in
 * exact groups of three (`1,200,000.00`), perhaps after the yuan sign (`¥1,200,000.00`) or before
 * 元. Unambiguous, so read as the plain amount; `1,2,3`, `12,00,000` and `1.200.000,00` are not.
 */
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

export function plainAmount(text: string): string {
  const bare = text.replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '');
  if (GROUPED.test(bare)) return bare.replaceAll(',', '');
  return bare === text || /^-?\d+(\.\d+)?$/.test(bare) ? bare : text;
}

/**
 * A decimal written with at most `decimals` places, as text or as a JSON number; `positive` refuses 0.
 * Money may be written as a spreadsheet formats it (`plainAmount`); credits may not.
 */
function decimal(decimals: number, max: number, what: 'money_format' | 'credits_format', positive = false) {
  const pattern = new RegExp(`^\\d{1,15}(\\.\\d{1,${decimals}})?$`);
  const factor = 10 ** decimals;
  return z.preprocess(
    (v) => {
      if (blank(v)) return undefined;
      if (typeof v !== 'string') return v;
      const text = what === 'money_format' ? plainAmount(v.trim()) : v.trim();
      if (pattern.test(text)) return Number(text);
      // Too many decimals is said as such (1.005 has three), not as unreadable; 1.000 is 1.
      if (/^\d{1,15}\.\d+$/.test(text)) return Number(text);
      // A negative amount is reported as negative, not as unreadable.
      return /^-\d{1,15}(\.\d+)?$/.test(text) ? Number(text) : text;
    },
    z
      .number({
        error: (issue) =>
          issue.input === undefined
            ? zodSays('required')
            : typeof issue.input === 'string' && /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(issue.input)
              ? zodSays('thousands_separators', { plain: issue.input.replaceAll(',', ''), given: issue.input })
              : zodSays(what),
      })
      .refine((n) => (positive ? n > 0 : n >= 0), positive ? zodSays('above_zero') : zodSays('not_negative'))
      .refine((n) => n <= max, zodSays('at_most', { limit: formatLimit(max) }))
      .refine((n) => Math.abs(n * factor - Math.round(n * factor)) < 1e-6, zodSays('max_decimals', { decimals }))
      .transform((n) => Math.round(n * factor) / factor),
  );
}

const count = z.preprocess(
  (v) => {
    if (blank(v)) return undefined;
    if (typeof v !== 'string') return v;
    const text = v.trim();
    return /^-?\d{1,10}$/.test(text) ? Number(text) : text;
  },
  z
    .number({ error: (issue) => (issue.input === undefined ? zodSays('required') : zodSays('whole_number')) })
    .int(zodSays('whole_number'))
    .min(0, zodSays('not_negative'))
    .max(MAX_COUNT, zodSays('at_most', { limit: formatLimit(MAX_COUNT) })),
);

const term = z
  .string({ error: zodSays('term_format') })
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{4}-[1-3]$/, zodSays('term_format'))
      .refine((s) => Number(s.slice(5, 9)) === Number(s.slice(0, 4)) + 1, zodSays('term_years')),
  );

function enumSchema(spec: ColumnSpec) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(spec.values as [string, ...string[]], { error: zodSays('one_of', { values: spec.values! }) }),
  );
}

function columnSchema(spec: ColumnSpec): z.ZodType {
  const schema = typedSchema(spec);
  // A column left out (or blank) takes its default.
  return spec.default === undefined ? schema : z.preprocess((v) => (blank(v) ? spec.default : v), schema);
}

function typedSchema(spec: ColumnSpec): z.ZodType {
  switch (spec.type) {
    case 'code':
      return codeSchema(spec);
    case 'optional_code':
      return z.preprocess((v) => (blank(v) ? null : v), codeSchema(spec).nullable());
    case 'text':
      return text(spec);
    case 'date':
      return date(false);
    case 'optional_date':
      return date(true);
    case 'money':
      return decimal(2, MAX_MONEY_CNY, 'money_format', spec.positive);
    case 'credits':
      return decimal(1, MAX_CREDITS, 'credits_format');
    case 'count':
      return count;
    case 'enum':
      return enumSchema(spec);
    case 'optional_enum':
      return z.preprocess((v) => (blank(v) ? null : v), enumSchema(spec).nullable());
    case 'term':
      return term;
  }
}

/** A problem of a record's field, named by the column (`path`). */
type Issue = ProblemDetail & { path: string };
const issue = (path: string, problem: Said): Issue => detail({ path }, problem) as Issue;

const fen = (yuan: unknown): number => (typeof yuan === 'number' ? Math.round(yuan * 100) : Number.NaN);

/**
 * A contract's rewards: at most its value together, and a reward, its people and its day go
 * together (sql/0017, tech_transfer_rewards_within_value and tech_transfer_rewards_complete).
 */
function rewardProblems(r: Record<string, any>): Issue[] {
  const cash = fen(r.reward_cash_cny);
  const equity = fen(r.reward_equity_cny);
  const value = fen(r.contract_value_cny);
  const people = typeof r.rewarded_people === 'number' ? r.rewarded_people : Number.NaN;
  if ([cash, equity, people].some(Number.isNaN)) return [];
  const rewarded = cash + equity > 0;
  const issues: Issue[] = [];
  if (!Number.isNaN(value) && cash + equity > value)
    issues.push(
      issue(
        equity > 0 ? 'reward_equity_cny' : 'reward_cash_cny',
        said('rewards_exceed_value', {
          cash: (cash / 100).toFixed(2),
          equity: (equity / 100).toFixed(2),
          value: (value / 100).toFixed(2),
        }),
      ),
    );
  if (rewarded && people === 0) issues.push(issue('rewarded_people', said('reward_needs_people')));
  if (!rewarded && people > 0) issues.push(issue('rewarded_people', said('no_reward_no_people')));
  if (rewarded && !r.rewarded_on) issues.push(issue('rewarded_on', said('reward_needs_day')));
  if (!rewarded && r.rewarded_on) issues.push(issue('rewarded_on', said('no_reward_no_day')));
  if (r.rewarded_on && r.signed_on && r.rewarded_on < r.signed_on)
    issues.push(issue('rewarded_on', said('before_column', { column: 'signed_on', value: String(r.signed_on) })));
  return issues;
}

/** A rule that ties columns together (also enforced by the database), with the columns it reads. */
interface CrossRule {
  reads: readonly string[];
  check: (r: Record<string, any>) => Issue[];
}
const rule = (reads: readonly string[], check: CrossRule['check']): CrossRule => ({ reads, check });
const when = (broken: boolean, path: string, problem: Said): Issue[] => (broken ? [issue(path, problem)] : []);

const REWARD_READS = [
  'reward_cash_cny',
  'reward_equity_cny',
  'rewarded_people',
  'rewarded_on',
  'contract_value_cny',
  'signed_on',
];

/** The rules of each kind, each with the columns it reads. */
const CROSS_RULES: Readonly<Record<FactKind, readonly CrossRule[]>> = {
  tech_transfer: [
    rule(['co_university_code', 'university_code'], (r) =>
      when(
        Boolean(r.co_university_code) && r.co_university_code === r.university_code,
        'co_university_code',
        said('differs_from_university', { home: false }),
      ),
    ),
    rule(REWARD_READS, rewardProblems),
  ],
  // A payment's rules that involve its contract (it exists, is not signed later, is not overpaid)
  // are checked against the stored contract: see `paymentProblems`.
  payment: [],
  incubation: [
    rule(['stage', 'graduated_on', 'entered_on'], (r) => [
      ...when(r.stage === 'graduated' && !r.graduated_on, 'graduated_on', said('required_for_stage', { stage: 'graduated' })),
      ...when(
        r.stage !== 'graduated' && Boolean(r.graduated_on),
        'graduated_on',
        said('empty_unless_stage', { stage: 'graduated', now: String(r.stage) }),
      ),
      ...when(
        Boolean(r.graduated_on && r.entered_on) && r.graduated_on < r.entered_on,
        'graduated_on',
        said('before_column', { column: 'entered_on', value: String(r.entered_on) }),
      ),
    ]),
    rule(['stage', 'closed_on', 'entered_on'], (r) => [
      ...when(r.stage === 'closed' && !r.closed_on, 'closed_on', said('required_for_stage', { stage: 'closed' })),
      ...when(
        r.stage !== 'closed' && Boolean(r.closed_on),
        'closed_on',
        said('empty_unless_stage', { stage: 'closed', now: String(r.stage) }),
      ),
      ...when(
        Boolean(r.closed_on && r.entered_on) && r.closed_on < r.entered_on,
        'closed_on',
        said('before_column', { column: 'entered_on', value: String(r.entered_on) }),
      ),
    ]),
    rule(['partner_university_code', 'university_code'], (r) =>
      when(
        Boolean(r.partner_university_code) && r.partner_university_code === r.university_code,
        'partner_university_code',
        said('differs_from_university', { home: false }),
      ),
    ),
    // sql/0018, incubation_company_complete: a company has its day and the university's stake.
    rule(['company_registered_on', 'company_stake'], (r) => [
      ...when(Boolean(r.company_stake) && !r.company_registered_on, 'company_registered_on', said('required_with_stake')),
      ...when(Boolean(r.company_registered_on) && !r.company_stake, 'company_stake', said('required_with_registration')),
    ]),
  ],
  talent: [
    rule(['trainees', 'graduates'], (r) =>
      when(
        r.trainees >= 0 && r.graduates > r.trainees,
        'graduates',
        said('exceeds_column', { column: 'trainees', value: r.trainees }),
      ),
    ),
    rule(['graduates', 'completed_on', 'started_on'], (r) => [
      ...when(r.graduates > 0 && !r.completed_on, 'completed_on', said('required_with_graduates')),
      ...when(
        Boolean(r.completed_on && r.started_on) && r.completed_on < r.started_on,
        'completed_on',
        said('before_column', { column: 'started_on', value: String(r.started_on) }),
      ),
    ]),
    rule(['partner_university_code', 'university_code'], (r) =>
      when(
        Boolean(r.partner_university_code) && r.partner_university_code === r.university_code,
        'partner_university_code',
        said('differs_from_university', { home: false }),
      ),
    ),
  ],
  credit: [
    rule(['host_university_code', 'university_code'], (r) =>
      when(r.host_university_code === r.university_code, 'host_university_code', said('differs_from_university', { home: true })),
    ),
  ],
  // One snapshot per university and day (sql/0018, capacity_one_per_day) is checked against the stored ones.
  capacity: [],
};

/** A kind's cells, each checked on its own (no rule between columns). */
function cellSchema(kind: FactKind) {
  const shape: Record<string, z.ZodType> = {};
  for (const spec of INPUT_COLUMNS[kind]) shape[spec.name] = columnSchema(spec);
  return z.object(shape).strict();
}

function buildSchema(kind: FactKind) {
  return cellSchema(kind).superRefine((record, ctx) => {
    for (const issue of crossRuleProblems(kind, record))
      ctx.addIssue({ code: 'custom', path: [issue.path], message: zodSaid(issue) });
  }, ONCE_VALID);
}

/**
 * Each kind's cells without the rules between its columns, and those rules apart: an imported row
 * is checked cell by cell, then by the rules that read only columns the file names; a rule that
 * reads a column the file leaves out is judged once the row is staged with the stored value there
 * (`stagedRowRules`).
 */
export const CELL_SCHEMAS: Readonly<Record<FactKind, z.ZodType<RecordValues>>> = Object.fromEntries(
  FACT_KINDS.map((kind) => [kind, cellSchema(kind)]),
) as unknown as Record<FactKind, z.ZodType<RecordValues>>;
/**
 * The problems a record's rules find: every rule, or only those that read none of the columns
 * `notReading` names (a file's row, whose left-out columns are not known yet), or only those that
 * read one of the columns `reading` names (the same row staged, with the stored values there).
 */
export function crossRuleProblems(
  kind: FactKind,
  record: Record<string, any>,
  which: { notReading?: readonly string[]; reading?: readonly string[] } = {},
): Issue[] {
  const reads = (r: CrossRule, columns: readonly string[]) => r.reads.some((column) => columns.includes(column));
  return CROSS_RULES[kind]
    .filter((r) => (!which.notReading || !reads(r, which.notReading)) && (!which.reading || reads(r, which.reading)))
    .flatMap((r) => r.check(record));
}

export type RecordValues = Record<string, string | number | null>;

export const RECORD_SCHEMAS: Readonly<Record<FactKind, z.ZodType<RecordValues>>> = {
  tech_transfer: buildSchema('tech_transfer') as z.ZodType<RecordValues>,
  payment: buildSchema('payment') as z.ZodType<RecordValues>,
  incubation: buildSchema('incubation') as z.ZodType<RecordValues>,
  talent: buildSchema('talent') as z.ZodType<RecordValues>,
  credit: buildSchema('credit') as z.ZodType<RecordValues>,
  capacity: buildSchema('capacity') as z.ZodType<RecordValues>,
};

/** A record body as sent: any JSON object, checked whole once merged (see the records service). */
export const RecordBodySchema = z.record(z.string(), z.unknown(), { error: zodSays('must_be_object') });
