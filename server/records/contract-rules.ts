import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database, FactKind } from '../db/schema.js';
import type { Said } from '../../contract/problems.js';
import { byLine, Conflict, detail, type HttpProblem, movedTo, type ProblemDetail, said } from '../lib/problems.js';
import { streamChunks } from '../db/stream.js';
import { MAX_REPORTED_ERRORS } from '../csv/record-bounds.js';
import { crossRuleProblems, type RecordValues } from './record-schemas.js';

/**
 * The rules that tie a payment to its contract (sql/0016): the contract exists in the payment's
 * university, the payment is not dated before the contract was signed, and a contract's payments
 * sum to at most its value. The database enforces them; these checks name the field or the line
 * and column at fault first, with the figures, so that nothing reaches the database's refusal.
 */

const yuan = (n: number): string => n.toFixed(2);
/** `yuan` in SQL: two decimals, no grouping, as a CSV cell holds the amount. */
const money = (value: RawBuilder<unknown>) => sql`to_char(${value}, 'FM999999999999990.00')`;

interface Contract {
  signed_on: string;
  contract_value_cny: number;
  received_cny: number;
}

/** The contract of a payment, locked against other payments until the transaction ends. */
async function lockContract(db: Kysely<Database>, university: string, ref: string): Promise<Contract | null> {
  const { rows } = await sql<Contract>`
    select signed_on, contract_value_cny, received_cny from tech_transfer
    where university_code = ${university} and ref = ${ref} for update`.execute(db);
  const row = rows[0];
  return row
    ? { signed_on: row.signed_on, contract_value_cny: Number(row.contract_value_cny), received_cny: Number(row.received_cny) }
    : null;
}

/** A ref of digits only, without leading zeros: how a spreadsheet that read a ref as a number gives it back. */
const NUMBER_REF = /^[1-9][0-9]*$/;

/**
 * `stored.ref` is `ref` with leading zeros (00456 for 456): the one condition sql/0021's partial
 * indexes answer, for a record's own ref and for a payment's contract alike.
 */
const withLostZeros = (stored: string, ref: RawBuilder<unknown>) =>
  sql<boolean>`ltrim(${sql.ref(`${stored}.ref`)}, '0') = ${ref} and ${sql.ref(`${stored}.ref`)} like '0%'`;

/** The contract of the university whose ref is `ref` but for its leading zeros, if one is. */
async function contractLostZeros(db: Kysely<Database>, university: string, ref: string): Promise<string | null> {
  if (!NUMBER_REF.test(ref)) return null;
  const { rows } = await sql<{ ref: string | null }>`
    select min(z.ref) as ref from tech_transfer as z
    where z.university_code = ${university} and ${withLostZeros('z', sql`${ref}`)}`.execute(db);
  return rows[0]?.ref ?? null;
}

/** Problems with a payment written as JSON, against its (locked) contract; `before` is the payment as stored. */
export async function paymentProblems(
  db: Kysely<Database>,
  payment: RecordValues,
  before: RecordValues | null,
): Promise<ProblemDetail[]> {
  const university = String(payment.university_code);
  const ref = String(payment.contract_ref);
  // A payment that moves changes two contracts: both are locked, always in the same order, so two
  // moves the other way round wait for each other instead of deadlocking.
  const from = before ? { university: String(before.university_code), ref: String(before.contract_ref) } : null;
  const moves = from !== null && (from.university !== university || from.ref !== ref);
  if (moves && `${from.university}|${from.ref}` < `${university}|${ref}`) await lockContract(db, from.university, from.ref);
  const contract = await lockContract(db, university, ref);
  if (moves && `${from.university}|${from.ref}` > `${university}|${ref}`) await lockContract(db, from.university, from.ref);
  if (!contract) {
    const stored = await contractLostZeros(db, university, ref);
    return [detail({ path: 'contract_ref' }, said('no_contract', { ref, university, ...(stored ? { stored } : {}) }))];
  }
  const problems: ProblemDetail[] = [];
  if (String(payment.received_on) < contract.signed_on)
    problems.push(detail({ path: 'received_on' }, said('before_signed', { signed: contract.signed_on })));
  const same = before !== null && before.university_code === university && before.contract_ref === ref;
  const others = contract.received_cny - (same ? Number(before.amount_cny) : 0);
  const total = Math.round((others + Number(payment.amount_cny)) * 100) / 100;
  if (total > contract.contract_value_cny)
    problems.push(
      detail(
        { path: 'amount_cny' },
        said('amount_exceeds_contract', {
          ref,
          total: yuan(total),
          value: yuan(contract.contract_value_cny),
          room: yuan(Math.max(0, contract.contract_value_cny - others)),
        }),
      ),
    );
  return problems;
}

/** Problems with a change of a contract that has payments: it keeps its key, its value covers them, its date precedes them. */
export async function contractChangeProblems(
  db: Kysely<Database>,
  before: RecordValues,
  after: RecordValues,
): Promise<{ conflict: Said | null; problems: ProblemDetail[] }> {
  const { payments, received, first } = await paymentsOf(db, before);
  if (payments === 0) return { conflict: null, problems: [] };
  if (before.university_code !== after.university_code || before.ref !== after.ref)
    return {
      conflict: said('contract_has_payments', {
        ref: String(before.ref),
        university: String(before.university_code),
        count: payments,
        rekey: true,
      }),
      problems: [],
    };
  const problems: ProblemDetail[] = [];
  if (Number(after.contract_value_cny) < received)
    problems.push(detail({ path: 'contract_value_cny' }, said('below_received', { received: yuan(received) })));
  if (first !== null && String(after.signed_on) > first)
    problems.push(detail({ path: 'signed_on' }, said('after_first_payment', { received: first })));
  return { conflict: null, problems };
}

/** The payments that name a contract: how many (one with any cannot be deleted), their sum and the first day. */
export async function paymentsOf(
  db: Kysely<Database>,
  contract: RecordValues,
): Promise<{ payments: number; received: number; first: string | null }> {
  const { rows } = await sql<{ payments: number; received: string | null; first: string | null }>`
    select count(*) as payments, sum(amount_cny) as received, min(received_on) as first from payment
    where university_code = ${String(contract.university_code)} and contract_ref = ${String(contract.ref)}`.execute(db);
  return { payments: Number(rows[0]?.payments ?? 0), received: Number(rows[0]?.received ?? 0), first: rows[0]?.first ?? null };
}

export type ContractRule = 'missing_contract' | 'over_value' | 'before_signing';

/**
 * Which rule between contracts and payments the database refused: a backstop for a write that
 * raced another (the checks above run first). Null for any other error.
 */
export function brokenContractRule(error: unknown): ContractRule | null {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '23503' && constraint === 'payment_contract_fkey') return 'missing_contract';
  if (code === '23514' && constraint === 'tech_transfer_received_within_value') return 'over_value';
  if (code === '23514' && constraint === 'payment_not_before_signing') return 'before_signing';
  return null;
}

/** The refusal of one record's write, as its answer: 409, nothing written. Null for any other error. */
export function contractRuleProblem(error: unknown): HttpProblem | null {
  const rule = brokenContractRule(error);
  return rule === null ? null : new Conflict(said('contract_rule_refused', { rule, during: 'write' }));
}

/** A staged check's rows (the CTE `problems`), as its answer lists them. */
type ListedRow = { line: number; col: string; code: Said['code']; params: Said['params']; total: number };
const LISTED = sql`select line, col, code, params, count(*) over () as total from problems order by line, col limit ${MAX_REPORTED_ERRORS}`;

/** What a staged check finds: the first problems by line and column, and how many in all. */
export interface StagedProblems {
  problems: ProblemDetail[];
  total: number;
}

const listed = (rows: readonly ListedRow[]): StagedProblems => ({
  problems: rows.map((p) => detail({ line: Number(p.line), column: p.col }, { code: p.code, params: p.params } as Said)),
  total: Number(rows[0]?.total ?? 0),
});

/**
 * The problems of payments staged for an import (`rows`, with each row's line in `keys`), against
 * the stored contracts and payments: each a line and column. The file counts as a whole: a
 * contract's payments are those stored, less the ones the file replaces, plus the file's; the
 * line named for an overshoot is the first at which the file's payments on it, in order, pass its value.
 */
export async function stagedPaymentProblems(db: Kysely<Database>, rows: string, keys: string): Promise<StagedProblems> {
  const staged = sql`${sql.table(rows)} as i inner join ${sql.table(keys)} as k on k.university_code = i.university_code and k.ref = i.ref`;
  const { rows: found } = await sql<ListedRow>`
    with kept as (
      -- Each contract's stored payments that the file does not replace.
      select p.university_code, p.contract_ref, sum(p.amount_cny) as amount
      from payment as p
      where (p.university_code, p.contract_ref) in (select university_code, contract_ref from ${sql.table(rows)})
        and not exists (select 1 from ${sql.table(keys)} as f where f.university_code = p.university_code and f.ref = p.ref)
      group by 1, 2
    ),
    sums as (
      select k.line, i.university_code, i.contract_ref, i.amount_cny, t.contract_value_cny, coalesce(kept.amount, 0) as kept,
             coalesce(kept.amount, 0) + sum(i.amount_cny) over (partition by i.university_code, i.contract_ref order by k.line) as running
      from ${staged}
      inner join tech_transfer as t on t.university_code = i.university_code and t.ref = i.contract_ref
      left join kept on kept.university_code = i.university_code and kept.contract_ref = i.contract_ref
    ),
    problems as (
      select k.line, 'contract_ref' as col, 'no_contract' as code,
             jsonb_strip_nulls(jsonb_build_object('ref', i.contract_ref, 'university', i.university_code, 'stored', (
               -- A contract that differs only by its leading zeros (sql/0021's index): the file's refs were read as numbers.
               select min(z.ref) from tech_transfer as z
               where z.university_code = i.university_code and ${withLostZeros('z', sql`i.contract_ref`)}
                 and i.contract_ref ~ ${NUMBER_REF.source}
             ))) as params
      from ${staged}
      left join tech_transfer as t on t.university_code = i.university_code and t.ref = i.contract_ref
      where t.id is null
      union all
      select k.line, 'received_on', 'before_signed', jsonb_build_object('signed', to_char(t.signed_on, 'YYYY-MM-DD'))
      from ${staged}
      inner join tech_transfer as t on t.university_code = i.university_code and t.ref = i.contract_ref
      where i.received_on < t.signed_on
      union all
      select * from (
        -- The first line at which a contract's payments pass its value.
        select distinct on (university_code, contract_ref) line, 'amount_cny', 'amount_exceeds_contract',
               jsonb_build_object(
                 'ref', contract_ref,
                 'total', ${money(sql`running`)},
                 'value', ${money(sql`contract_value_cny`)},
                 'room', ${money(sql`greatest(contract_value_cny - (running - amount_cny), 0)`)},
                 'other', ${money(sql`kept`)}
               )
        from sums
        where running > contract_value_cny
        order by university_code, contract_ref, line
      ) as first_over
    )
    ${LISTED}`.execute(db);
  return listed(found);
}

/**
 * The problems of contracts staged for an import (`rows`, lines in `keys`), against their stored
 * payments: a contract's value must cover the cash received on it, and it must be signed no later
 * than its first payment. (The rules between a contract's own columns, its rewards among them, are
 * `stagedRowRules`.)
 */
export async function stagedContractProblems(db: Kysely<Database>, rows: string, keys: string): Promise<StagedProblems> {
  const { rows: found } = await sql<ListedRow>`
    with paid as (
      select p.university_code, p.contract_ref, sum(p.amount_cny) as received, min(p.received_on) as first
      from payment as p
      where (p.university_code, p.contract_ref) in (select university_code, ref from ${sql.table(rows)})
      group by 1, 2
    ),
    problems as (
      select k.line, 'contract_value_cny' as col, 'below_received' as code,
             jsonb_build_object('received', ${money(sql`paid.received`)}) as params
      from ${sql.table(rows)} as i
      inner join ${sql.table(keys)} as k on k.university_code = i.university_code and k.ref = i.ref
      inner join paid on paid.university_code = i.university_code and paid.contract_ref = i.ref
      where i.contract_value_cny < paid.received
      union all
      select k.line, 'signed_on', 'after_first_payment', jsonb_build_object('received', to_char(paid.first, 'YYYY-MM-DD'))
      from ${sql.table(rows)} as i
      inner join ${sql.table(keys)} as k on k.university_code = i.university_code and k.ref = i.ref
      inner join paid on paid.university_code = i.university_code and paid.contract_ref = i.ref
      where i.signed_on > paid.first
    )
    ${LISTED}`.execute(db);
  return listed(found);
}

/**
 * The problems of capacity snapshots staged for an import: one snapshot per university and day
 * (sql/0018, capacity_one_per_day), within the file and against the stored snapshots it does not
 * replace. The file is staged whole before it is checked (see `applyImport`).
 */
export async function stagedCapacityProblems(db: Kysely<Database>, rows: string, keys: string): Promise<StagedProblems> {
  const { rows: found } = await sql<ListedRow>`
    with staged as (
      select k.line, i.university_code, i.ref, i.snapshot_on,
             min(k.line) over (partition by i.university_code, i.snapshot_on) as first
      from ${sql.table(rows)} as i
      inner join ${sql.table(keys)} as k on k.university_code = i.university_code and k.ref = i.ref
    ),
    problems as (
      select line, 'snapshot_on' as col, 'snapshot_same_day_line' as code,
             jsonb_build_object('university', university_code, 'line', first) as params
      from staged
      where line > first
      union all
      select s.line, 'snapshot_on', 'snapshot_same_day_stored', jsonb_build_object('ref', c.ref, 'university', c.university_code)
      from staged as s
      inner join capacity as c on c.university_code = s.university_code and c.snapshot_on = s.snapshot_on
      where not exists (select 1 from ${sql.table(keys)} as f where f.university_code = c.university_code and f.ref = c.ref)
    )
    ${LISTED}`.execute(db);
  return listed(found);
}

/** The checks of staged rows against other records, per kind: a file of such a kind is checked whole before it is applied. */
export const STAGED_CHECKS: Readonly<
  Partial<Record<FactKind, (db: Kysely<Database>, rows: string, keys: string) => Promise<StagedProblems>>>
> = {
  payment: stagedPaymentProblems,
  tech_transfer: stagedContractProblems,
  capacity: stagedCapacityProblems,
};

/**
 * The rules between a record's columns (`crossRuleProblems`), on the rows staged for an import as
 * they would be stored: with the stored values of the columns the file leaves out (see
 * `keepAbsentColumns`). Read back in line order through a cursor, a chunk at a time (memory stays
 * flat whatever the file). A file that names every column had them checked row by row already.
 */
export async function stagedRowRules(
  db: Kysely<Database>,
  kind: FactKind,
  rows: string,
  keys: string,
  absent: readonly string[],
): Promise<StagedProblems> {
  const problems: ProblemDetail[] = [];
  let total = 0;
  const query = sql<RecordValues & { _line: number }>`
    select k.line as _line, i.* from ${sql.table(rows)} as i
    inner join ${sql.table(keys)} as k on k.university_code = i.university_code and k.ref = i.ref
    order by k.line`;
  for await (const chunk of streamChunks(db, query, 2000)) {
    for (const row of chunk) {
      const { _line: line, ...record } = row;
      // The rules the row took at parse time (they read only columns the file names) passed then.
      for (const issue of crossRuleProblems(kind, record as RecordValues, { reading: absent })) {
        total++;
        if (problems.length < MAX_REPORTED_ERRORS) problems.push(movedTo({ line: Number(line), column: issue.path }, issue));
      }
    }
  }
  return { problems, total };
}

/**
 * Every check of staged rows a file of the kind takes: the rules between each row's columns when the
 * file leaves some out (with the stored values there), then those against other records.
 */
export async function stagedProblems(
  db: Kysely<Database>,
  kind: FactKind,
  rows: string,
  keys: string,
  absent: readonly string[],
): Promise<StagedProblems> {
  const own = absent.length > 0 ? await stagedRowRules(db, kind, rows, keys, absent) : { problems: [], total: 0 };
  const others = (await STAGED_CHECKS[kind]?.(db, rows, keys)) ?? { problems: [], total: 0 };
  const problems = [...own.problems, ...others.problems].sort(byLine).slice(0, MAX_REPORTED_ERRORS);
  return { problems, total: own.total + others.total };
}

/**
 * New all-digit refs that a stored ref of the same university equals but for its leading zeros
 * (`00456` stored, `456` in the file): the mark of a file whose refs a spreadsheet read as numbers.
 * Imported, such a line would add a second record beside the stored one and the figures would
 * count it twice, so it is refused and named. A stored look-alike that the file itself names is
 * not a lost zero (the file means both). Probes the partial indexes of sql/0021 only; `batch`
 * holds the keys of one staged batch, `keys` every key of the file staged so far.
 */
export async function lostZeroRefs(
  db: Kysely<Database>,
  kind: FactKind,
  batch: { universities: readonly unknown[]; refs: readonly unknown[]; lines: readonly number[] },
  keys: string,
): Promise<StagedProblems> {
  const digits = batch.refs.map((ref) => typeof ref === 'string' && NUMBER_REF.test(ref));
  if (!digits.includes(true)) return { problems: [], total: 0 };
  const pick = <T>(values: readonly T[]) => values.filter((_, index) => digits[index]);
  const { rows } = await sql<ListedRow>`
    with k (university_code, ref, line) as (
      select * from unnest(${pick(batch.universities)}::text[], ${pick(batch.refs)}::text[], ${pick(batch.lines)}::integer[])
    ),
    problems as (
      select k.line, 'ref' as col, 'ref_lost_zeros' as code,
             jsonb_build_object('ref', k.ref, 'stored', t.ref, 'university', k.university_code) as params
      from k
      inner join ${sql.table(kind)} as t
        on t.university_code = k.university_code and ${withLostZeros('t', sql`k.ref`)}
      where not exists (select 1 from ${sql.table(kind)} as s where s.university_code = k.university_code and s.ref = k.ref)
        and not exists (select 1 from ${sql.table(keys)} as f where f.university_code = t.university_code and f.ref = t.ref)
    )
    ${LISTED}`.execute(db);
  return listed(rows);
}

/** Whether a file of the kind is staged row by row for checks (see `stagedProblems`). */
export const hasStagedChecks = (kind: FactKind, absent: readonly string[]): boolean =>
  absent.length > 0 || STAGED_CHECKS[kind] !== undefined;

/**
 * Kinds whose files are staged whole before they are checked and merged: a payment's rule spans
 * the lines on one contract, a snapshot's the lines of one university and day. Each with the
 * constraints its merge defers to the commit (the staged check has seen the file whole): a
 * contract's payments may pass its value between two parts of a merge, and snapshots moved between
 * days may take each other's day within one statement.
 */
export const WHOLE_FILE_KINDS: Readonly<Partial<Record<FactKind, { deferred: string }>>> = {
  payment: { deferred: 'tech_transfer_received_within_value' },
  capacity: { deferred: 'capacity_one_per_day' },
};

/**
 * A refusal of a record's write by a unique key, as its answer (409 naming the field); null for any
 * other error. A snapshot takes one day of its university; any record, its ref.
 */
export function uniqueKeyProblem(kind: FactKind, record: Readonly<Record<string, unknown>>, error: unknown): HttpProblem | null {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code !== '23505') return null;
  if (constraint === 'capacity_one_per_day')
    return new Conflict(
      said('capacity_snapshot_exists', { university: String(record.university_code), day: String(record.snapshot_on) }),
      [detail({ path: 'body.snapshot_on' }, said('snapshot_taken'))],
    );
  return new Conflict(said('record_exists', { kind, ref: String(record.ref), university: String(record.university_code) }), [
    detail({ path: 'body.ref' }, said('taken_in_university')),
  ]);
}
