import { type Kysely, sql } from 'kysely';
import { type Actor, escapeLike, writeAudit } from '../audit/audit.queries.js';
import { assertMayWriteUniversity, ownUniversityOnly } from '../auth/guard.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { Database, FactKind } from '../db/schema.js';
import { BadRequest, Conflict, detail, issueDetail, NotFound, type ProblemDetail, said } from '../lib/problems.js';
import type { Caller } from '../http/route.js';
import { factSource, filterSql, type KpiFilters, measureDateConditions } from '../kpi/compile.js';
import { MEASURES } from '../kpi/registry.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import type { References } from '../kpi/references.js';
import { contractChangeProblems, contractRuleProblem, paymentProblems, paymentsOf, uniqueKeyProblem } from './contract-rules.js';
import { INPUT_COLUMNS, KIND_COLUMNS, MAIN_DATE, SEARCH_COLUMNS } from '../../contract/record-columns.js';
import { RECORD_SCHEMAS, type RecordValues } from './record-schemas.js';
import { assertPeriodsOpen, recordDay } from '../cycle/closed-periods.js';

/** A record's university and day, for the closed periods' check. */
const dated = (kind: FactKind, record: Record<string, unknown>) => ({
  university: String(record.university_code),
  day: recordDay(kind, record),
});

/** A record as the API shows it: its columns, its id and when it was written. */
export type ApiRecord = RecordValues & { id: number; created_at: string; updated_at: string };

export function toApiRecord(kind: FactKind, row: Record<string, unknown>): ApiRecord {
  const record: Record<string, unknown> = { id: Number(row.id) };
  for (const column of KIND_COLUMNS[kind]) record[column.name] = row[column.name] ?? null;
  record.created_at = new Date(row.created_at as string).toISOString();
  record.updated_at = new Date(row.updated_at as string).toISOString();
  return record as ApiRecord;
}

/** The record's written columns only (not the derived): what the audit log keeps as before and after. */
function columnsOf(kind: FactKind, record: Record<string, unknown>): RecordValues {
  const values: RecordValues = {};
  for (const column of INPUT_COLUMNS[kind]) values[column.name] = (record[column.name] ?? null) as string | number | null;
  return values;
}

const subject = (kind: FactKind, record: RecordValues): string => `${kind}:${record.university_code}/${record.ref}`;

/** Problems with the codes of a record that passed its schema: each must exist. */
export function referenceProblems(kind: FactKind, record: RecordValues, references: References): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  for (const column of KIND_COLUMNS[kind]) {
    const value = record[column.name];
    if (!column.domain || value === null || value === undefined) continue;
    const known =
      column.domain === 'university'
        ? references.universities
        : column.domain === 'region'
          ? references.regions
          : references.fields;
    if (!known.includes(String(value)))
      problems.push(detail({ path: column.name }, said('unknown_code', { domain: column.domain, code: String(value), known })));
  }
  return problems;
}

/** Validates a whole record (schema, then codes); a 400 lists every field at fault. */
export function validateRecord(
  kind: FactKind,
  input: unknown,
  references: References,
  prefix = 'body',
  stored: Record<string, unknown> | null = null,
): RecordValues {
  const { body, problems: derived } = withoutDerived(kind, input, stored, prefix);
  const parsed = RECORD_SCHEMAS[kind].safeParse(body);
  if (!parsed.success || derived.length > 0) {
    throw new BadRequest(said('record_invalid'), [
      ...derived,
      ...(parsed.error?.issues ?? []).map((i) => issueDetail({ path: [prefix, ...i.path.map(String)].join('.') }, i.message)),
    ]);
  }
  const problems = referenceProblems(kind, parsed.data, references);
  if (problems.length > 0)
    throw new BadRequest(
      said('unknown_codes'),
      problems.map((p) => ({ ...p, path: `${prefix}.${p.path}` })),
    );
  return parsed.data;
}

/**
 * A body without the derived fields (a contract's received_cny): one may be sent as it is stored
 * (0 for a new record), as a client that sends back what it read does; any other value is a 400.
 */
function withoutDerived(
  kind: FactKind,
  input: unknown,
  stored: Record<string, unknown> | null,
  prefix: string,
): { body: unknown; problems: ProblemDetail[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { body: input, problems: [] };
  const body = { ...(input as Record<string, unknown>) };
  const problems: ProblemDetail[] = [];
  for (const column of KIND_COLUMNS[kind]) {
    if (!column.derived || !(column.name in body)) continue;
    const sent = body[column.name];
    delete body[column.name];
    const now = Number(stored?.[column.name] ?? 0);
    // Empty is what a new record holds (0); any other value must be the stored one.
    const blank = sent === null || sent === undefined || String(sent).trim() === '';
    const same = blank ? now === 0 : Number(sent) === now;
    if (!same) problems.push(detail({ path: `${prefix}.${column.name}` }, said('received_read_only', { value: String(now) })));
  }
  return { body, problems };
}

/**
 * The filters a caller's records reads are held to: a steward's view is its own university,
 * whatever else the filter asks for. Null when nothing can match.
 */
export function scopedFilters(filters: KpiFilters, caller: Caller): KpiFilters | null {
  const own = ownUniversityOnly(caller);
  if (!own) return filters;
  if (filters.university && !filters.university.includes(own)) return null;
  return { ...filters, university: [own] };
}

export interface ListRequest extends RecordSearch {
  filters: KpiFilters;
  sort: { column: string; descending: boolean };
  page: number;
  pageSize: number;
}

/** A page of a kind's records; a steward sees only its own university's. */
export async function listRecords(
  db: Kysely<Database>,
  kind: FactKind,
  request: ListRequest,
  caller: Caller,
): Promise<{ total: number; sum?: number | null; rows: ApiRecord[] }> {
  const filters = scopedFilters(request.filters, caller);
  const measured = request.measure !== undefined;
  if (!filters) return { total: 0, ...(measured ? { sum: measureSum(request.measure!, 0, 0) } : {}), rows: [] };
  const conditions = recordConditions(kind, filters, request);
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const order = sql`order by ${sql.ref(`f.${request.sort.column}`)} ${sql.raw(request.sort.descending ? 'desc' : 'asc')} nulls last, f.id ${sql.raw(request.sort.descending ? 'desc' : 'asc')}`;
  const offset = (request.page - 1) * request.pageSize;
  const summed = summedColumn(request.measure);
  const [rows, count] = await Promise.all([
    sql<
      Record<string, unknown>
    >`select f.* from ${recordsFrom(kind, filters)} ${where} ${order} limit ${request.pageSize} offset ${offset}`.execute(db),
    sql<{ n: number; s: string | number | null }>`select count(*) as n${
      summed ? sql`, coalesce(sum(${sql.ref(`f.${summed}`)}), 0) as s` : sql``
    } from ${recordsFrom(kind, filters)} ${where}`.execute(db),
  ]);
  const total = Number(count.rows[0]?.n ?? 0);
  const sum = measured ? measureSum(request.measure!, total, count.rows[0]?.s ?? null) : undefined;
  return { total, ...(sum === undefined ? {} : { sum }), rows: rows.rows.map((row) => toApiRecord(kind, row)) };
}

/**
 * The measure's amount over the records listed, to tie them back to the figure they make: a sum's
 * column summed, a count's records counted; a ratio has none (null).
 */
function measureSum(measure: MeasureId, total: number, summed: string | number | null): number | null {
  const aggregate = MEASURES[measure].aggregate;
  if (aggregate.fn === 'count') return total;
  if (aggregate.fn === 'sum') return Number(summed ?? 0);
  return null;
}

/** The column a measure sums over its records, when it sums one. */
const summedColumn = (measure: MeasureId | undefined): string | undefined => {
  const aggregate = measure ? MEASURES[measure].aggregate : undefined;
  return aggregate?.fn === 'sum' ? aggregate.column : undefined;
};

/** What narrows a records query beyond the KPI filters: a text search, and the measure whose figure the records make. */
export interface RecordSearch {
  q?: string | undefined;
  /**
   * The records behind this measure's figure: the period applies to the measure's own date
   * (graduations by `graduated_on`), or, for a stock, to the records held at its end.
   */
  measure?: MeasureId | undefined;
}

/**
 * The WHERE conditions of a records query over `f` (joined to university `u`): the KPI filters
 * (the period on the kind's main date, or as the measure counts it), and a search.
 */
export function recordConditions(kind: FactKind, filters: KpiFilters, { q, measure }: RecordSearch = {}) {
  const conditions = filterSql(filters, kind);
  if (measure) {
    conditions.push(...measureDateConditions(measure, filters));
  } else {
    const date = sql.ref(`f.${MAIN_DATE[kind]}`);
    if (filters.from) conditions.push(sql`${date} >= ${filters.from}::date`);
    if (filters.to) conditions.push(sql`${date} <= ${filters.to}::date`);
  }
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    conditions.push(
      sql`(${sql.join(
        SEARCH_COLUMNS[kind].map((c) => sql`${sql.ref(`f.${c}`)} ilike ${pattern}`),
        sql` or `,
      )})`,
    );
  }
  return conditions;
}

/** The records of a kind (alias `f`), joined to their university (alias `u`) only when a province filter needs it. */
export const recordsFrom = (kind: FactKind, filters: KpiFilters) =>
  filters.region?.length
    ? sql`${sql.table(factSource(kind))} as f inner join university as u on u.code = f.university_code`
    : sql`${sql.table(factSource(kind))} as f`;

/**
 * The record to change, locked. One the caller may not read (another university's, to a steward)
 * is missing to it, with the same answer as an id that does not exist: otherwise a 403 would tell
 * a steward which ids other universities' records have.
 */
async function findRecord(db: Kysely<Database>, kind: FactKind, id: number, caller: Caller): Promise<Record<string, unknown>> {
  const own = ownUniversityOnly(caller);
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(kind)} where id = ${id}${
    own === null ? sql`` : sql` and university_code = ${own}`
  } for update`.execute(db);
  if (!rows[0]) throw new NotFound(said('record_not_found', { kind, id }));
  return rows[0];
}

/** A 400 naming each field of a record that breaks a rule of its contract. */
function assertNoProblems(problems: readonly ProblemDetail[]): void {
  if (problems.length > 0)
    throw new BadRequest(
      said('contract_rule_broken'),
      problems.map((p) => ({ ...p, path: `body.${p.path}` })),
    );
}

export async function createRecord(
  db: Kysely<Database>,
  kind: FactKind,
  input: unknown,
  references: References,
  caller: Caller,
  actor: Actor,
): Promise<ApiRecord> {
  const record = validateRecord(kind, input, references);
  assertMayWriteUniversity(caller, String(record.university_code));
  return db.transaction().execute(async (trx) => {
    await assertPeriodsOpen(trx, [dated(kind, record)]);
    if (kind === 'payment') assertNoProblems(await paymentProblems(trx, record, null));
    const row = await trx
      .insertInto(kind)
      .values({ ...record, created_by: caller.id, updated_by: caller.id } as never)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw uniqueKeyProblem(kind, record, error) ?? contractRuleProblem(error) ?? error;
      });
    await writeAudit(trx, actor, { action: 'create', subject: subject(kind, record), after: record });
    await bumpDataVersion(trx);
    return toApiRecord(kind, row as Record<string, unknown>);
  });
}

/** Changes some fields; the merged record is checked whole, and a steward may not move it to another university. */
export async function updateRecord(
  db: Kysely<Database>,
  kind: FactKind,
  id: number,
  patch: Record<string, unknown>,
  references: References,
  caller: Caller,
  actor: Actor,
): Promise<ApiRecord> {
  const unknown = Object.keys(patch).filter((key) => !KIND_COLUMNS[kind].some((c) => c.name === key));
  if (unknown.length > 0)
    throw new BadRequest(
      said('change_unknown_fields'),
      unknown.map((key) => detail({ path: `body.${key}` }, said('not_a_field'))),
    );
  if (Object.keys(patch).length === 0) throw new BadRequest(said('change_empty'));
  return db.transaction().execute(async (trx) => {
    const current = await findRecord(trx, kind, id, caller);
    assertMayWriteUniversity(caller, String(current.university_code));
    const before = columnsOf(kind, current);
    const record = validateRecord(kind, { ...before, ...patch }, references, 'body', current);
    assertMayWriteUniversity(caller, String(current.university_code), String(record.university_code));
    await assertPeriodsOpen(trx, [dated(kind, before), dated(kind, record)]);
    if (kind === 'payment') assertNoProblems(await paymentProblems(trx, record, before));
    if (kind === 'tech_transfer') {
      const { conflict, problems } = await contractChangeProblems(trx, before, record);
      if (conflict) throw new Conflict(conflict);
      assertNoProblems(problems);
    }
    const row = await trx
      .updateTable(kind)
      .set({ ...record, updated_by: caller.id, updated_at: new Date() } as never)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw uniqueKeyProblem(kind, record, error) ?? contractRuleProblem(error) ?? error;
      });
    await writeAudit(trx, actor, { action: 'update', subject: subject(kind, record), before, after: record });
    await bumpDataVersion(trx);
    return toApiRecord(kind, row as Record<string, unknown>);
  });
}

export async function deleteRecord(
  db: Kysely<Database>,
  kind: FactKind,
  id: number,
  caller: Caller,
  actor: Actor,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await findRecord(trx, kind, id, caller);
    assertMayWriteUniversity(caller, String(current.university_code));
    const before = columnsOf(kind, current);
    await assertPeriodsOpen(trx, [dated(kind, before)]);
    if (kind === 'tech_transfer') {
      const { payments } = await paymentsOf(trx, before);
      if (payments > 0)
        throw new Conflict(
          said('contract_has_payments', {
            ref: String(before.ref),
            university: String(before.university_code),
            count: payments,
            rekey: false,
          }),
        );
    }
    await trx
      .deleteFrom(kind)
      .where('id', '=', id)
      .execute()
      .catch((error: unknown) => {
        throw contractRuleProblem(error) ?? error;
      });
    await writeAudit(trx, actor, { action: 'delete', subject: subject(kind, before), before });
    await bumpDataVersion(trx);
  });
}
