import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  english,
  fromIssueMessage,
  PROBLEMS,
  type ProblemCode,
  type ProblemParams,
  renderProblem,
  type Said,
  said,
  zodSays,
} from '../../contract/problems.js';
import { z } from 'zod';
import { HttpProblem } from '../../server/lib/problems.js';
// Sets zod's fallback for schemas without words of their own.
import '../../server/http/text.js';
import { problemText } from '../../client/lib/problem-text.js';

/** Params for each code: the type makes a code without a sample fail to compile. */
const SAMPLES: { [C in ProblemCode]: ProblemParams<C> } = {
  required: {},
  not_text: {},
  not_one_line: {},
  control_characters: {},
  unrepresentable: {},
  bidi_controls: {},
  invisible_characters: {},
  key_unrepresentable: {},
  max_characters: { max: 3 },
  too_long: {},
  too_large: {},
  not_negative: {},
  above_zero: {},
  whole_number: {},
  whole_number_between: { min: 3, max: 3 },
  at_most: { limit: 'X1' },
  max_decimals: { decimals: 3 },
  money_format: {},
  credits_format: {},
  number_or_null: {},
  thousands_separators: { plain: 'X1', given: 'X1' },
  one_of: { values: ['A1', 'B2'] },
  code_format: { example: 'X1' },
  email: {},
  year: {},
  term_format: {},
  term_years: {},
  date_format: {},
  real_date: {},
  one_date: {},
  no_such_day: { value: 'X1' },
  date_reformatted: { value: 'X1' },
  not_a_date: { value: 'X1' },
  in_future: {},
  before_first_date: { first: 'X1' },
  after_to: { from: '2024-02-01', to: '2024-01-01' },
  kind_one_of: { values: ['A1', 'B2'] },
  record_id: { positive: true },
  sort_format: {},
  sort_one_of: { values: ['A1', 'B2'] },
  measure_of_kind: { kind: 'credit' },
  kind_lacks_dimension: { kind: 'credit', dimension: 'field' },
  no_measure: {},
  true_or_false: {},
  dimension_twice: {},
  partner_measure_one_of: { values: ['A1', 'B2'] },
  date_between: { first: '2000-01-01', last: '2100-12-31' },
  comma_list: {},
  list_too_long: { max: 3 },
  list_too_many: { max: 3 },
  measure_one_of: { values: ['A1', 'B2'] },
  dimension_one_of: { values: ['A1', 'B2'] },
  measure_lacks_dimension: { measure: 'A1', dimension: 'B2', dimensions: ['C3'] },
  differs_from_university: { home: true },
  exceeds_column: { column: 'X1', value: '12.50' },
  before_column: { column: 'X1', value: 'X1' },
  required_for_stage: { stage: 'X1' },
  empty_unless_stage: { stage: 'X1', now: 'X1' },
  required_with_graduates: {},
  required_with_stake: {},
  required_with_registration: {},
  rewards_exceed_value: { cash: 'X1', equity: 'X1', value: 'X1' },
  reward_needs_people: {},
  reward_needs_day: {},
  no_reward_no_people: {},
  no_reward_no_day: {},
  no_contract: { ref: 'X1', university: 'X1', stored: 'X1' },
  before_signed: { signed: 'X1' },
  amount_exceeds_contract: { ref: 'X1', total: 'X1', value: 'X1', room: 'X1', other: 'X1' },
  below_received: { received: 'X1' },
  after_first_payment: { received: 'X1' },
  received_read_only: { value: 'X1' },
  contract_has_payments: { ref: 'X1', university: 'X1', count: 3, rekey: true },
  contract_rule_refused: { rule: 'missing_contract', during: 'write' },
  record_exists: { kind: 'X1', ref: 'X1', university: 'X1' },
  capacity_snapshot_exists: { university: 'X1', day: 'X1' },
  snapshot_same_day_line: { university: 'X1', line: 3 },
  snapshot_same_day_stored: { ref: 'X1', university: 'X1' },
  contract_rule_broken: {},
  university_name_taken: { code: 'X1' },
  name_of: { code: 'X1' },
  taken: {},
  taken_in_university: {},
  unknown_code: { domain: 'region', code: 'X1', known: ['A1', 'B2'] },
  unknown_filter_code: { code: 'X1', known: ['A1', 'B2'] },
  query_unknown_codes: {},
  record_not_found: { kind: 'X1', id: 3 },
  change_unknown_fields: {},
  not_a_field: {},
  change_empty: {},
  unknown_codes: {},
  snapshot_taken: {},
  record_invalid: {},
  not_utf8: {},
  file_not_utf8: { utf16: true },
  file_utf8_damaged: {},
  file_not_as_marked: { encoding: 'X1' },
  bytes_not_encoding: { bytes: 'X1', offset: 3, encoding: 'X1' },
  gb18030_doubtful: { text: 'X1' },
  file_changed_while_read: {},
  header_mismatch: {},
  xlsx_truncated: {},
  xlsx_damaged: {},
  xlsx_zip64: {},
  xlsx_compression: { method: 99 },
  xlsx_zip_bomb: { part: 'xl/worksheets/sheet1.xml', ratio: 200, megabytes: 1024 },
  xlsx_is_xls: {},
  xlsx_encrypted: {},
  xlsx_too_many_cells: { cells: 5_000_000 },
  sent_as_xlsx_not_zip: {},
  xlsx_is_ods: {},
  xlsx_is_xlsb: {},
  xlsx_not_workbook: {},
  xlsx_part_too_large: {},
  xlsx_shared_strings: { megabytes: 32 },
  xlsx_no_sheet: {},
  xlsx_error_value: { value: '#N/A' },
  xlsx_formula_without_value: {},
  xlsx_date_not_expected: {},
  xlsx_not_a_day: { value: '-3', date1904: false },
  xlsx_merged: { range: 'B3:C4' },
  ends_inside_character: {},
  file_problems: { count: 3 },
  too_many_problems: { count: 3 },
  too_many_empty_rows: { count: 3 },
  empty_rows_by_line: { count: 3 },
  header_delimiter: { delimiter: 'X1' },
  unknown_column: { column: 'X1' },
  column_twice: { column: 'X1' },
  column_missing: { column: 'X1', zh: 'X1' },
  header_of_other_kind: { kind: 'X1', kindName: 'X1', other: 'X1', otherName: 'X1', otherNameZh: 'X1' },
  columns_of_kind: { kind: 'X1', columns: ['A1', 'B2'] },
  row_width: { cells: 3, header: 3 },
  duplicate_ref: { ref: 'X1', university: 'X1', line: 3 },
  ref_lost_zeros: { ref: '456', stored: '00456', university: 'X1' },
  repeated_refs: { count: 3 },
  file_value_refused: {},
  steward_foreign_row: { own: 'X1', university: 'X1' },
  steward_foreign_file: { own: 'X1', count: 3 },
  row_too_large: { kilobytes: 3, cells: 3 },
  row_too_many_cells: { cells: 3 },
  row_too_long: { kilobytes: 3, inQuotes: true },
  csv_quote_not_closed: {},
  csv_quote_inside: {},
  csv_after_closing_quote: {},
  csv_unreadable: { reason: 'X1' },
  csv_invalid: {},
  file_empty: {},
  file_empty_here: {},
  no_rows: {},
  no_rows_here: {},
  too_many_rows: { max: 3 },
  file_too_large: { megabytes: 3 },
  upload_encoded: { encoding: 'X1' },
  must_be_identity: {},
  upload_type: { type: 'X1' },
  must_be_csv_or_form: {},
  upload_idle: { seconds: 3 },
  upload_slow: { kilobytesPerSecond: 3 },
  upload_interrupted: {},
  form_unreadable: { reason: 'X1' },
  one_file: {},
  appears_twice: {},
  form_file_is_text: {},
  must_be_file: {},
  form_part_unread: { name: 'X1' },
  not_a_part: {},
  form_no_file: {},
  not_a_number: {},
  not_a_list: {},
  wrong_type: { expected: 'X1' },
  at_least: { limit: 'X1' },
  list_too_short: { min: 3 },
  multiple_of: { divisor: 'X1' },
  wrong_format: {},
  unknown_keys: { keys: ['A1', 'B2'] },
  invalid: {},
  request_invalid: { where: 'body' },
  no_query_parameters: { method: 'X1', path: 'X1' },
  no_body: { method: 'X1', path: 'X1' },
  not_expected: {},
  not_a_parameter: {},
  send_json: {},
  must_be_json_type: {},
  must_be_object: {},
  body_too_large: { limit: 'X1' },
  body_not_json: {},
  body_not_utf8: {},
  request_aborted: {},
  malformed_escape: {},
  escape_not_utf8: {},
  request_unreadable: {},
  no_such_route: { method: 'X1', path: 'X1' },
  method_not_allowed: { method: 'X1', path: 'X1', allow: ['GET', 'HEAD'] },
  headers_too_large: {},
  request_too_slow: {},
  body_cut_short: {},
  not_http: {},
  request_too_large: {},
  media_type_unsupported: {},
  not_found: {},
  sign_in_first: {},
  role_may_not: {},
  role_needed: { roles: ['A1', 'B2'], role: 'X1' },
  cannot_store: {},
  value_cannot_store: {},
  same_key: {},
  write_met_another: {},
  database_unavailable: {},
  write_not_applied: {},
  write_outcome_unknown: { during: 'statement', seconds: 3 },
  internal_error: { requestId: 'X1' },
  too_busy: { what: 'report prints', running: 3, waiting: 3 },
  period_before_members: { period: 'X1', first: 'X1' },
  must_end_after_first_member: { first: 'X1' },
  period_not_begun: { period: 'X1', today: 'X1' },
  other_site: {},
  csrf_needed: { header: 'X1' },
  role_may_not_write: { role: 'leadership' },
  steward_own_university: { university: 'X1' },
  steward_own_periods: { university: 'X1' },
  wrong_credentials: {},
  demo_password_retired: {},
  passwords_busy: {},
  sign_ins_at_once: {},
  sign_ins_failed: { by: 'address' },
  password_too_plain: { distinct: 5 },
  password_published: {},
  min_characters: { min: 3 },
  user_id: {},
  required_for_steward: {},
  empty_for_role: { role: 'admin' },
  account_exists: { email: 'X1' },
  no_user: { id: 3 },
  account_inconsistent: {},
  last_admin: {},
  code_letters: {},
  code_reserved: { code: 'ALLIANCE' },
  university_code: {},
  university_code_or_alliance: {},
  unknown_named: { domain: 'region', code: 'X1' },
  no_such_province: {},
  no_such_university: {},
  university_exists: { code: 'X1' },
  no_university: { code: 'X1' },
  university_in_use: { code: 'X1' },
  lead_stays: { code: 'X1' },
  choose_one_of: { field: 'region', values: ['A1', 'B2'] },
  change_no_field: {},
  targeted_measure_one_of: { values: ['A1', 'B2'] },
  year_from: { min: 3 },
  year_to: { max: 3 },
  no_target: {},
  at_most_at_once: { max: 3 },
  same_target: { first: 3 },
  query_unknown_universities: {},
  targets_unknown_universities: {},
  either: { a: 'A1', b: 'B2' },
  among: { values: ['A1', 'B2'] },
  too_many_periods: { count: 3, grain: 'month', max: 3 },
  narrow_range: { grain: 'quarter' },
  period: {},
  period_format: {},
  year_between: { min: 3, max: 3 },
  table_one_of: { values: ['A1', 'B2'] },
  name_table: { values: ['A1', 'B2'] },
  csv_only: {},
  submission_id: {},
  sha256: {},
  must_have_begun: { period: 'X1', from: 'X1' },
  no_such_period: { period: 'X1' },
  no_submission: { id: 3 },
  report_changed: { period: 'X1', now: 'X1', reviewed: 'X1' },
  no_national_block: {},
  pdf_unavailable: { reason: 'X1' },
  report_page_reads_not: { method: 'X1', path: 'X1' },
  demo_records_choice: {},
  leave_demo_needs_admin: {},
  mail_address: { address: 'X1' },
  mail_address_twice: { address: 'X1' },
  mail_off: {},
  no_mail_message: { id: 3 },
  mail_not_failed: { id: 3, state: 'X1' },
  client_left_import: {},
  printing_already: {},
  sending_files: { count: 3 },
  downloading_already: { count: 4 },
  no_disk_room: {},
  reporting_period_form: {},
  period_not_in_calendar: { university: 'X1', period: 'X1', frequency: 'X1' },
  period_before_membership: { university: 'X1', period: 'X1', since: 'X1' },
  period_not_ended: { period: 'X1', to: 'X1' },
  period_already_submitted: { university: 'X1', period: 'X1' },
  period_already_approved: { university: 'X1', period: 'X1' },
  period_unchanged: { university: 'X1', period: 'X1' },
  period_not_submitted: { university: 'X1', period: 'X1', status: 'X1' },
  period_not_approved: { university: 'X1', period: 'X1', status: 'X1' },
  period_changed_since_submitted: { university: 'X1', period: 'X1' },
  period_closed: { university: 'X1', period: 'X1', from: 'X1', to: 'X1' },
  period_closed_lines: { count: 3 },
  unlisted: { text: 'X1' },
};

const codes = Object.keys(PROBLEMS) as ProblemCode[];
const sample = (code: ProblemCode) => ({ code, params: SAMPLES[code] }) as Said;

describe('the problem catalogue', () => {
  it('when each code is rendered, then it says something in English and, apart from text passed on as is, in Chinese', () => {
    for (const code of codes) {
      const en = renderProblem(sample(code), 'en');
      const zh = renderProblem(sample(code), 'zh');
      expect(en, code).toMatch(/\w/);
      expect(zh, code).not.toBe('');
      if (code !== 'unlisted') expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      if (code !== 'unlisted') expect(en, code).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('when a problem names a column, then Chinese names it by the label it is given', () => {
    const problem = said('exceeds_column', { column: 'contract_value_cny', value: '100' });
    expect(english(problem)).toBe('must not exceed contract_value_cny (100)');
    expect(renderProblem(problem, 'zh', { column: (name) => (name === 'contract_value_cny' ? '合同金额' : name) })).toBe(
      '不能超过合同金额（100）',
    );
  });

  it('when a problem lists the values a field takes, then each is named by the label it is given, in Chinese with 、', () => {
    const problem = said('one_of', { values: ['transfer', 'license'] });
    expect(english(problem)).toBe('must be one of transfer, license');
    const labels: Record<string, string> = { transfer: '转让', license: '许可' };
    const ctx = { column: (name: string) => name, value: (code: string) => labels[code] ?? code };
    expect(renderProblem(problem, 'zh', ctx)).toBe('必须是以下之一：转让、许可');
    expect(renderProblem(problem, 'zh')).toBe('必须是以下之一：transfer、license');
  });

  it('when a zod message encodes a problem, then the edge reads its code back; zod’s own words pass as unlisted', () => {
    expect(fromIssueMessage(zodSays('max_characters', { max: 40 }))).toEqual({ code: 'max_characters', params: { max: 40 } });
    expect(fromIssueMessage('Invalid input')).toEqual({ code: 'unlisted', params: { text: 'Invalid input' } });
  });

  it('when a schema has no words of its own, then what zod says is a catalogue problem too', () => {
    const schema = z
      .object({ flag: z.boolean(), name: z.string().max(3), count: z.number().min(2), kind: z.enum(['a', 'b']) })
      .strict();
    const result = schema.safeParse({ flag: 'yes', name: 'long', count: 1, kind: 'c', extra: 1 });
    const said = result.error!.issues.map((issue) => fromIssueMessage(issue.message));
    expect(said).toEqual([
      { code: 'true_or_false', params: {} },
      { code: 'max_characters', params: { max: 3 } },
      { code: 'at_least', params: { limit: '2' } },
      { code: 'one_of', params: { values: ['a', 'b'] } },
      { code: 'unknown_keys', params: { keys: ['extra'] } },
    ]);
    // A schema's own words come first.
    expect(fromIssueMessage(z.string({ error: zodSays('not_text') }).safeParse(1).error!.issues[0]!.message)).toEqual({
      code: 'not_text',
      params: {},
    });
  });

  it('when the server answers a problem, then it sends the code, the params and the English message, and the client says it in Chinese', () => {
    const problem = new HttpProblem(
      409,
      'Conflict',
      said('contract_has_payments', { ref: 'C-1', university: 'UJS', count: 4, rekey: false }),
    );
    const json = JSON.parse(JSON.stringify(problem.toJSON())) as { detail: string; code: string; params: unknown };
    expect(json.detail).toBe('Contract C-1 of UJS has 4 payments: delete them first.');
    expect(json.code).toBe('contract_has_payments');
    expect(problemText(json, 'zh')).toBe('合同 C-1（UJS）有 4 笔到账记录：请先删除。');
    expect(problemText(json, 'en')).toBe(json.detail);
  });
});

/**
 * Where the server still writes a problem's words itself: nowhere. Every problem and detail is
 * built by `said(...)`, `detail(...)` or `zodSays(...)` (the problem classes take no text), so a
 * module that words a message again fails here.
 */
const STILL_WORDED = new Set<string>([]);

const SERVER = new URL('../../server/', import.meta.url).pathname;
/** The request schemas the client shares live in the contract: their messages count as the server's. */
const CONTRACT_SCHEMAS = new URL('../../contract/schemas/', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

const PROBLEM_CLASS = String.raw`(?:BadRequest|Unauthorized|Forbidden|NotFound|Conflict|RequestTimeout|PayloadTooLarge|Unprocessable|TooManyRequests|ServiceUnavailable|HttpProblem|ImportRejected)`;
const WORDED = [
  // A problem built from words: `new Conflict('…')`, `new HttpProblem(415, '…', '…')`, on one line or the next.
  new RegExp(String.raw`new ${PROBLEM_CLASS}\(\s*(?:\d+,\s*'[^']*',\s*)?['\`"]`),
  // A problem detail with words: `{ path, message: '…' }`.
  /\bmessage: ['`"]/,
  // A zod schema's message in words: `.min(1, 'is required')`, `{ error: '…' }`.
  /\berror: ['`"]/,
  /\.(?:min|max|regex|refine|int|length)\([^;]*?,\s*['`"](?:must|is|has|name)/,
];

describe('every message the server sends comes from the catalogue', () => {
  it('when the server modules are read, then only those listed still word a problem themselves', () => {
    const worded = new Set<string>();
    const sources = [
      ...files(SERVER).map((file) => ({ file, name: relative(SERVER, file) })),
      ...files(CONTRACT_SCHEMAS).map((file) => ({ file, name: `contract/schemas/${relative(CONTRACT_SCHEMAS, file)}` })),
    ];
    for (const { file, name } of sources) {
      // The settings' and the command line's own messages, printed to a console: never an answer.
      if (name === 'config.ts' || name.startsWith('cli/')) continue;
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(?:\*|\/\/|\/\*)/.test(line))
        .join('\n');
      if (WORDED.some((pattern) => pattern.test(text))) worded.add(name);
    }
    expect([...worded].sort()).toEqual([...STILL_WORDED].sort());
  });
});
