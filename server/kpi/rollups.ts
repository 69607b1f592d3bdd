import type { FactKind, PaymentTable } from '../db/schema.js';
import { type PaymentFactView, valueBandSqlText } from './registry.js';

/**
 * Rollups: the facts summed per month and per a set of dimension columns, kept exact by
 * statement-level triggers in the same transaction as every write and import (sql/0007).
 * A rollup has the fact table's own column names (dates truncated to the first of their month),
 * plus `records` (how many facts) and the sum of every summed column under its own name, so that
 * the query compiler reads it with the same SQL as the facts: `count(*)` becomes `sum(records)`.
 *
 * The levels of a kind are listed from the smallest table to the largest; the compiler takes the
 * first one that has every column a query groups or filters by. The last level of each kind has
 * them all, so any whole-month query can be answered from a rollup.
 */
export interface Rollup {
  readonly table: string;
  readonly kind: FactKind;
  /** Dimension columns kept as they are. */
  readonly columns: readonly string[];
  /** Date columns, truncated to the first day of the month. */
  readonly dates: readonly string[];
  /** Whether the level keeps the contract's value band (a property of each contract, not of a sum). */
  readonly valueBand: boolean;
  /** The columns summed. */
  readonly sums: readonly string[];
  /**
   * `month`: dates truncated to the first of their month, read for whole months. `day`: dates
   * kept as they are, read for the days of a partial month instead of the facts (sql/0011).
   */
  readonly grain: 'month' | 'day';
  /**
   * Whether only the facts that have its first date are rolled up: a date not every fact has (a
   * contract's rewards are dated when there are any).
   */
  readonly datedOnly: boolean;
}

const TT_SUMS = ['contract_value_cny', 'received_cny', 'patents'];
/** Rewards to individuals, rolled up on the day they were granted (contracts with none are left out). */
const REWARD_SUMS = ['reward_cash_cny', 'reward_equity_cny', 'rewarded_people'];
const INC_SUMS = ['funding_cny', 'jobs'];
const INC_DATES = ['entered_on', 'graduated_on', 'closed_on'];
const TAL_SUMS = ['trainees', 'graduates'];
const TAL_DATES = ['started_on', 'completed_on'];
const CR_SUMS = ['students', 'credits'];
const PAY_SUMS = ['amount_cny'];
/** A payment's own columns a rollup reads, and those it takes from its contract. */
const PAYMENT_OWN = ['university_code', 'received_on', 'amount_cny'];
export const PAYMENT_CONTRACT_COLUMNS = [
  'co_university_code',
  'mode',
  'partner_region_code',
  'field_code',
  'contract_value_cny',
] as const satisfies ReadonlyArray<Exclude<keyof PaymentFactView, keyof PaymentTable>>;

const level = (
  kind: FactKind,
  suffix: string,
  columns: string[],
  dates: string[],
  sums: string[],
  { valueBand = false, grain = 'month', datedOnly = false }: Partial<Pick<Rollup, 'valueBand' | 'grain' | 'datedOnly'>> = {},
): Rollup => ({ table: `rollup_${kind}_${suffix}`, kind, columns, dates, valueBand, sums, grain, datedOnly });

export const ROLLUPS: Readonly<Record<FactKind, readonly Rollup[]>> = {
  tech_transfer: [
    level('tech_transfer', 'u', ['university_code'], ['signed_on'], TT_SUMS),
    level('tech_transfer', 'up', ['university_code', 'co_university_code'], ['signed_on'], TT_SUMS),
    level('tech_transfer', 'umr', ['university_code', 'mode', 'partner_region_code'], ['signed_on'], TT_SUMS),
    level(
      'tech_transfer',
      'all',
      ['university_code', 'co_university_code', 'mode', 'partner_region_code', 'field_code'],
      ['signed_on'],
      TT_SUMS,
      { valueBand: true },
    ),
    level('tech_transfer', 'ru', ['university_code'], ['rewarded_on'], REWARD_SUMS, { datedOnly: true }),
    level('tech_transfer', 'rumr', ['university_code', 'mode', 'partner_region_code'], ['rewarded_on'], REWARD_SUMS, {
      datedOnly: true,
    }),
    level(
      'tech_transfer',
      'rall',
      ['university_code', 'co_university_code', 'mode', 'partner_region_code', 'field_code'],
      ['rewarded_on'],
      REWARD_SUMS,
      { valueBand: true, datedOnly: true },
    ),
  ],
  // Payments are rolled up by the day received, with their contract's dimensions (see `paymentSource`).
  payment: [
    level('payment', 'u', ['university_code'], ['received_on'], PAY_SUMS),
    level('payment', 'up', ['university_code', 'co_university_code'], ['received_on'], PAY_SUMS),
    level('payment', 'umr', ['university_code', 'mode', 'partner_region_code'], ['received_on'], PAY_SUMS),
    level(
      'payment',
      'all',
      ['university_code', 'co_university_code', 'mode', 'partner_region_code', 'field_code'],
      ['received_on'],
      PAY_SUMS,
      { valueBand: true },
    ),
  ],
  incubation: [
    // Projects entering by university: the flows dated on entry read a few hundred rows, not every
    // combination of entry, graduation and closing months the stock needs.
    level('incubation', 'ue', ['university_code'], ['entered_on'], INC_SUMS),
    level('incubation', 'u', ['university_code', 'stage'], INC_DATES, INC_SUMS),
    level('incubation', 'all', ['university_code', 'stage', 'partner_university_code', 'field_code'], INC_DATES, INC_SUMS),
    // Companies created or held, by the day registered: projects with a company only.
    level('incubation', 'cu', ['university_code', 'company_stake'], ['company_registered_on'], [], { datedOnly: true }),
  ],
  talent: [
    level('talent', 'u', ['university_code'], TAL_DATES, TAL_SUMS),
    level('talent', 'all', ['university_code', 'partner_university_code', 'level'], TAL_DATES, TAL_SUMS),
  ],
  credit: [
    level('credit', 'u', ['university_code'], ['recognized_on'], CR_SUMS),
    level('credit', 'all', ['university_code', 'host_university_code'], ['recognized_on'], CR_SUMS),
  ],
  // A few snapshots per university and year: read from the view `capacity_fact` directly.
  capacity: [],
};

/**
 * Day-grain rollups of the university level, for the days of partial months (a period that starts
 * on the 30th, a year-ago period that ends on the 2nd): a few thousand rows each, where the facts of
 * a few busy days are thousands. Incubation has them for the flows dated on entry, on graduation and
 * on a company's registration, joint training for starts and completions; the incubation stock reads
 * partial months from the covering indexes.
 * A day rollup serves a measure only when it keeps the measure's own date (see `rollup.dates`).
 */
export const DAY_ROLLUPS: Readonly<Partial<Record<FactKind, readonly Rollup[]>>> = {
  tech_transfer: [
    level('tech_transfer', 'ud', ['university_code'], ['signed_on'], TT_SUMS, { grain: 'day' }),
    level('tech_transfer', 'rud', ['university_code'], ['rewarded_on'], REWARD_SUMS, { grain: 'day', datedOnly: true }),
  ],
  payment: [level('payment', 'ud', ['university_code'], ['received_on'], PAY_SUMS, { grain: 'day' })],
  incubation: [
    level('incubation', 'ud', ['university_code'], ['entered_on'], INC_SUMS, { grain: 'day' }),
    level('incubation', 'gud', ['university_code'], ['graduated_on'], [], { grain: 'day', datedOnly: true }),
    level('incubation', 'cud', ['university_code'], ['company_registered_on'], [], { grain: 'day', datedOnly: true }),
  ],
  talent: [
    level('talent', 'ud', ['university_code'], ['started_on'], TAL_SUMS, { grain: 'day' }),
    level('talent', 'cud', ['university_code'], ['completed_on'], ['graduates'], { grain: 'day', datedOnly: true }),
  ],
  credit: [level('credit', 'ud', ['university_code'], ['recognized_on'], CR_SUMS, { grain: 'day' })],
};

/** Every rollup a kind's triggers maintain: the month levels and the day levels. */
export const allRollups = (kind: FactKind): readonly Rollup[] => [...ROLLUPS[kind], ...(DAY_ROLLUPS[kind] ?? [])];

/** The keys of a rollup row, in order: dimension columns, month-truncated dates, the value band. */
export const rollupKeys = (rollup: Rollup): string[] => [
  ...rollup.columns,
  ...rollup.dates,
  ...(rollup.valueBand ? ['value_band'] : []),
];

/** The value band of a contract, as the registry's `value_band` dimension defines it. */
export const VALUE_BAND_SQL = valueBandSqlText('contract_value_cny');

const keyExpression = (key: string, rollup: Rollup): string => {
  if (key === 'value_band') return VALUE_BAND_SQL;
  if (rollup.dates.includes(key)) return rollup.grain === 'day' ? key : `date_trunc('month', ${key})::date`;
  return key;
};

/** `select <keys>, count(*), sum(...) from <source> group by <keys>`, signed (+1 or -1). */
export function rollupSelect(rollup: Rollup, source: string, sign: 1 | -1): string {
  const keys = rollupKeys(rollup);
  const minus = sign < 0 ? '-' : '';
  const selects = [
    ...keys.map((k) => `${keyExpression(k, rollup)} as ${k}`),
    `${minus}count(*) as records`,
    ...rollup.sums.map((c) => `${minus}sum(${c}) as ${c}`),
  ];
  const groupBy = keys.map((_, i) => String(i + 1)).join(', ');
  const where = rollup.datedOnly ? ` where ${rollup.dates[0]} is not null` : '';
  return `select ${selects.join(', ')} from ${source}${where} group by ${groupBy} order by ${groupBy}`;
}

/**
 * The payments of `payments` (a table or transition table) with their contract's dimensions, as
 * one source aliased `f`: a payment is grouped by the mode, field, partner and value band of the
 * contract it was received on. `contracts` gives those dimensions (the contract table, or the
 * contracts' rows before an update).
 */
export function paymentSource(payments: string, contracts = 'tech_transfer', where = ''): string {
  const own = PAYMENT_OWN.map((c) => `p.${c}`);
  const theirs = PAYMENT_CONTRACT_COLUMNS.map((c) => `t.${c}`);
  return `(select ${[...own, ...theirs].join(', ')} from ${payments} as p inner join ${contracts} as t on t.university_code = p.university_code and t.ref = p.contract_ref${where}) as f`;
}

/** A trigger's statement that adds the rows of `source`, summed (sign +1 or -1), into a rollup. */
function addToRollup(rollup: Rollup, source: string, sign: 1 | -1): string {
  const keys = rollupKeys(rollup);
  const updates = ['records', ...rollup.sums].map((c) => `${c} = ${rollup.table}.${c} + excluded.${c}`).join(', ');
  return `    insert into ${rollup.table} as ${rollup.table} (${[...keys, 'records', ...rollup.sums].join(', ')})\n      ${rollupSelect(rollup, source, sign)}\n      on conflict (${keys.join(', ')}) do update set ${updates};`;
}

/** Where a kind's rollups read its rows: the rows themselves, or for payments the rows with their contracts. */
const rowsOf = (kind: FactKind, rows: string): string => (kind === 'payment' ? paymentSource(rows) : rows);

/**
 * A contract whose dimensions change moves its payments between rollup rows: their sums leave the
 * keys of the contract as it was and join those of the contract as it is. Only contracts whose
 * dimensions changed are read (a change of `received_cny`, made by the payments themselves, moves nothing).
 */
function paymentRekeySql(): string[] {
  const list = (alias: string, columns: readonly string[]) => columns.map((c) => `${alias}.${c}`).join(', ');
  const apply = (sign: 1 | -1, contract: 'o' | 'n') =>
    allRollups('payment')
      // A level keyed by the university alone keeps its sums whatever the contract's other dimensions.
      .filter(
        (rollup) => rollup.valueBand || rollup.columns.some((c) => (PAYMENT_CONTRACT_COLUMNS as readonly string[]).includes(c)),
      )
      .map((rollup) => {
        // Each payment of a changed contract, with the contract as it was (o) or as it is (n).
        const source = `(select ${list('p', PAYMENT_OWN)}, ${list(contract, PAYMENT_CONTRACT_COLUMNS)} from old_rows as o inner join new_rows as n on n.id = o.id inner join payment as p on p.university_code = ${contract}.university_code and p.contract_ref = ${contract}.ref where (${list('o', PAYMENT_CONTRACT_COLUMNS)}) is distinct from (${list('n', PAYMENT_CONTRACT_COLUMNS)})) as f`;
        return addToRollup(rollup, source, sign);
      });
  return [...apply(-1, 'o'), ...apply(1, 'n')];
}

/** The table, its unique key and its backfill from the facts. */
function tableSql(kind: FactKind, rollup: Rollup): string[] {
  const keys = rollupKeys(rollup);
  const columnType = (k: string) => (rollup.dates.includes(k) ? 'date' : 'text');
  const definitions = [
    ...keys.map(
      (k) => `  ${k} ${columnType(k)}${k === 'university_code' || k === 'stage' || rollup.dates[0] === k ? ' not null' : ''}`,
    ),
    '  records bigint not null',
    ...rollup.sums.map((c) => `  ${c} numeric not null`),
  ];
  return [
    `create table ${rollup.table} (\n${definitions.join(',\n')}\n);`,
    `create unique index ${rollup.table}_key on ${rollup.table} (${keys.join(', ')}) nulls not distinct;`,
    // A day level is read by a range of days over every university: by its date.
    ...(rollup.grain === 'day' ? [`create index ${rollup.table}_day on ${rollup.table} (${rollup.dates[0]});`] : []),
    `insert into ${rollup.table} (${[...keys, 'records', ...rollup.sums].join(', ')})\n  ${rollupSelect(rollup, rowsOf(kind, kind), 1)};`,
    '',
  ];
}

/** The trigger functions of a kind over the given levels (`or replace` when they exist already). */
function functionsSql(kind: FactKind, levels: readonly Rollup[], replace: boolean): string[] {
  const create = replace ? 'create or replace function' : 'create function';
  const apply = (source: string, sign: 1 | -1) => levels.map((rollup) => addToRollup(rollup, rowsOf(kind, source), sign));
  // A contract's payments follow its dimensions (see `paymentRekeySql`).
  const rekey = kind === 'tech_transfer' ? ["  if tg_op = 'UPDATE' then", ...paymentRekeySql(), '  end if;'] : [];
  return [
    `${create} ${kind}_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
${apply('old_rows', -1).join('\n')}
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
${apply('new_rows', 1).join('\n')}
  end if;
${rekey.join('\n')}
  return null;
end
$$;`,
    `${create} ${kind}_rollup_truncate() returns trigger language plpgsql as $$\nbegin\n${levels.map((r) => `  truncate ${r.table};`).join('\n')}\n  return null;\nend\n$$;`,
  ];
}

/** The name of a kind's triggers that keep its rollups, as sql/0007 created them. */
const TRIGGERS = ['truncate', 'insert', 'update', 'delete'] as const;

/**
 * Every rollup dropped and built again from the facts, with its trigger functions and triggers:
 * the block a migration holds when the rollup registry changes (`npm run sql:rollups -- sql/NNNN_name.sql`).
 * An applied migration is never edited (test/integration/rollups.test.ts pins them); a database
 * that applied the earlier rollups gets these in its next migration, like a fresh one.
 */
export function rollupRebuildSql(): string {
  const out: string[] = [];
  for (const kind of Object.keys(ROLLUPS) as FactKind[]) {
    const levels = allRollups(kind);
    // A kind without rollups (capacity snapshots) has no triggers to keep them either.
    if (levels.length === 0) continue;
    out.push(
      ...TRIGGERS.map((t) => `drop trigger if exists ${kind}_rollup_${t} on ${kind};`),
      `drop function if exists ${kind}_rollup();`,
      `drop function if exists ${kind}_rollup_truncate();`,
      ...levels.map((r) => `drop table if exists ${r.table};`),
      '',
    );
    for (const rollup of levels) out.push(...tableSql(kind, rollup));
    out.push(...functionsSql(kind, levels, false));
    out.push(
      `create trigger ${kind}_rollup_truncate after truncate on ${kind} for each statement execute function ${kind}_rollup_truncate();`,
      `create trigger ${kind}_rollup_insert after insert on ${kind} referencing new table as new_rows for each statement execute function ${kind}_rollup();`,
      `create trigger ${kind}_rollup_update after update on ${kind} referencing old table as old_rows new table as new_rows for each statement execute function ${kind}_rollup();`,
      `create trigger ${kind}_rollup_delete after delete on ${kind} referencing old table as old_rows for each statement execute function ${kind}_rollup();`,
      '',
    );
  }
  return out.join('\n');
}

/** The lines that mark a migration's generated rollup block. */
export const ROLLUP_BLOCK_BEGIN =
  '-- rollups: begin (generated from server/kpi/rollups.ts by `npm run sql:rollups`; do not edit)';
export const ROLLUP_BLOCK_END = '-- rollups: end';

/** A migration's text with its rollup block (between the markers) replaced by the registry's. */
export function withRollupBlock(migration: string): string {
  const begin = migration.indexOf(ROLLUP_BLOCK_BEGIN);
  const end = migration.indexOf(ROLLUP_BLOCK_END);
  if (begin < 0 || end < begin)
    throw new Error(`the migration has no block between "${ROLLUP_BLOCK_BEGIN}" and "${ROLLUP_BLOCK_END}"`);
  return `${migration.slice(0, begin + ROLLUP_BLOCK_BEGIN.length)}\n${rollupRebuildSql()}${migration.slice(end)}`;
}

/** The rollup block of a migration, or null when it has none. */
export function rollupBlockOf(migration: string): string | null {
  const begin = migration.indexOf(ROLLUP_BLOCK_BEGIN);
  const end = migration.indexOf(ROLLUP_BLOCK_END);
  return begin < 0 || end < begin ? null : migration.slice(begin + ROLLUP_BLOCK_BEGIN.length + 1, end);
}
