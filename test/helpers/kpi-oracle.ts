import type { FactKind } from '../../server/db/schema.js';
import { REGION_OF, type RawFacts, type RawRow } from './facts.js';

/**
 * An independent computation of the alliance's measures over raw rows, written from the
 * definitions in DESIGN.md without the server's code. Sums are kept in integer hundredths
 * (fen for money, tenths for credits fit too), so the expected figures are exact.
 */

interface OracleMeasure {
  kind: FactKind;
  date: string;
  value: (row: RawRow, paid: ReadonlyMap<string, number>) => number;
  /** A stock: `incubation` (held from entry to graduation or closure) or `snapshot` (the last snapshot by the day). */
  stock?: 'incubation' | 'snapshot';
}

/** A contract's key, as a payment names it. */
const contractKey = (university: unknown, ref: unknown): string => `${String(university)}|${String(ref)}`;

const one = () => 1;

/** A project in incubation on a day: entered by then, and neither graduated nor closed by then. */
export const inIncubation = (row: RawRow, day: string): boolean =>
  String(row.entered_on) <= day &&
  (row.graduated_on == null || String(row.graduated_on) > day) &&
  (row.closed_on == null || String(row.closed_on) > day);
const column = (name: string) => (row: RawRow) => Number(row[name]);

/**
 * A university's capacity on a day, from DESIGN's definition: its last snapshot on or before that
 * day (none before its first). Found by scanning every snapshot of the university, not by order.
 */
export function lastSnapshot(snapshots: readonly RawRow[], university: string, day: string): RawRow | null {
  let best: RawRow | null = null;
  for (const s of snapshots) {
    if (s.university_code !== university || String(s.snapshot_on) > day) continue;
    if (best === null || String(s.snapshot_on) > String(best.snapshot_on)) best = s;
  }
  return best;
}

/** Whether a stock's record counts on a day: a project in incubation then, or its university's last snapshot by then. */
export function heldOn(facts: RawFacts, measure: OracleMeasure, row: RawRow, day: string): boolean {
  return measure.stock === 'incubation'
    ? inIncubation(row, day)
    : lastSnapshot(facts.capacity, String(row.university_code), day) === row;
}

export const ORACLE_MEASURES: Record<string, OracleMeasure> = {
  'tech_transfer.contracts': { kind: 'tech_transfer', date: 'signed_on', value: one },
  'tech_transfer.contract_value': { kind: 'tech_transfer', date: 'signed_on', value: column('contract_value_cny') },
  // Cash received in the period: each payment on its own date, with its contract's dimensions.
  'tech_transfer.received': { kind: 'payment', date: 'received_on', value: column('amount_cny') },
  // Cash received to date on the contracts signed in the period: the sum of all their payments.
  'tech_transfer.received_to_date': {
    kind: 'tech_transfer',
    date: 'signed_on',
    value: (row, paid) => (paid.get(contractKey(row.university_code, row.ref)) ?? 0) / 100,
  },
  // Rewards on the day they were granted.
  'tech_transfer.reward_cash': { kind: 'tech_transfer', date: 'rewarded_on', value: column('reward_cash_cny') },
  'tech_transfer.reward_equity': { kind: 'tech_transfer', date: 'rewarded_on', value: column('reward_equity_cny') },
  'tech_transfer.rewarded_people': { kind: 'tech_transfer', date: 'rewarded_on', value: column('rewarded_people') },
  'incubation.entered': { kind: 'incubation', date: 'entered_on', value: one },
  'incubation.graduated': { kind: 'incubation', date: 'graduated_on', value: one },
  'incubation.funding': { kind: 'incubation', date: 'entered_on', value: column('funding_cny') },
  'incubation.jobs': { kind: 'incubation', date: 'entered_on', value: column('jobs') },
  'incubation.portfolio': { kind: 'incubation', date: 'entered_on', value: one, stock: 'incubation' },
  // Companies on the day they were registered (projects with none have no such day).
  'incubation.companies': { kind: 'incubation', date: 'company_registered_on', value: one },
  'talent.trainees': { kind: 'talent', date: 'started_on', value: column('trainees') },
  'talent.graduates': { kind: 'talent', date: 'completed_on', value: column('graduates') },
  'credits.credits': { kind: 'credit', date: 'recognized_on', value: column('credits') },
  'credits.students': { kind: 'credit', date: 'recognized_on', value: column('students') },
  'capacity.transfer_offices': { kind: 'capacity', date: 'snapshot_on', value: column('transfer_offices'), stock: 'snapshot' },
  'capacity.staff': { kind: 'capacity', date: 'snapshot_on', value: column('staff'), stock: 'snapshot' },
  'capacity.tech_managers': { kind: 'capacity', date: 'snapshot_on', value: column('tech_managers'), stock: 'snapshot' },
  'capacity.co_built': { kind: 'capacity', date: 'snapshot_on', value: column('co_built'), stock: 'snapshot' },
};

/**
 * Ratios, from DESIGN's definitions: one figure's sum over a group divided by another's over the
 * same group, rounded half up to `decimals` places; no figure where the divisor is 0.
 */
export const ORACLE_RATIOS: Record<string, { numerator: string; denominator: string; decimals: number }> = {
  'tech_transfer.average_value': {
    numerator: 'tech_transfer.contract_value',
    denominator: 'tech_transfer.contracts',
    decimals: 2,
  },
  'tech_transfer.collection_rate': {
    numerator: 'tech_transfer.received_to_date',
    denominator: 'tech_transfer.contract_value',
    decimals: 4,
  },
};

/** a ÷ b (both whole hundredths, b > 0, a ≥ 0) to `decimals` places, rounded half up, with integer arithmetic. */
export function exactQuotient(a: number, b: number, decimals: number): number {
  const scale = 10n ** BigInt(decimals);
  const scaled = BigInt(a) * scale;
  let q = scaled / BigInt(b);
  if ((scaled % BigInt(b)) * 2n >= BigInt(b)) q += 1n;
  return Number(q) / Number(scale);
}

const PARTNER: Record<Exclude<FactKind, 'capacity'>, string> = {
  tech_transfer: 'co_university_code',
  payment: 'co_university_code',
  incubation: 'partner_university_code',
  talent: 'partner_university_code',
  credit: 'host_university_code',
};

function valueBand(value: number): string {
  if (value < 1_000_000) return 'under_1m';
  if (value < 10_000_000) return '1m_to_10m';
  if (value < 100_000_000) return '10m_to_100m';
  return '100m_and_over';
}

function attribute(row: RawRow, kind: FactKind, dimension: string): string | null {
  switch (dimension) {
    case 'university':
      return String(row.university_code);
    case 'region':
      return REGION_OF[String(row.university_code)] ?? null;
    case 'partner_university':
      // A capacity snapshot has no partner.
      return kind === 'capacity' ? null : ((row[PARTNER[kind]] as string | null) ?? null);
    case 'mode_group':
      return ['transfer', 'license', 'equity'].includes(String(row.mode)) ? 'transformation' : 'technical_services';
    case 'value_band':
      return valueBand(Number(row.contract_value_cny));
    case 'partner_region':
      return String(row.partner_region_code);
    case 'field':
      return String(row.field_code);
    default:
      return (row[dimension] as string | null) ?? null;
  }
}

function timeKey(dimension: string, date: string): string | number {
  if (dimension === 'year') return Number(date.slice(0, 4));
  if (dimension === 'quarter') return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
  return date.slice(0, 7);
}

const TIME = ['year', 'quarter', 'month'];

export interface OracleQuery {
  measures: string[];
  by: string[];
  filters: Record<string, string | string[] | undefined>;
}

/** Every date any record carries (for the data's range, as a stock needs it). */
export function dataRange(facts: RawFacts): { first: string; last: string } {
  const dates = [
    ...facts.tech_transfer.flatMap((r) => [r.signed_on, r.rewarded_on]),
    ...facts.payment.map((r) => r.received_on),
    ...facts.incubation.flatMap((r) => [r.entered_on, r.graduated_on, r.closed_on]),
    ...facts.talent.flatMap((r) => [r.started_on, r.completed_on]),
    ...facts.credit.map((r) => r.recognized_on),
    ...facts.incubation.map((r) => r.company_registered_on),
    ...facts.capacity.map((r) => r.snapshot_on),
  ].filter((d): d is string => typeof d === 'string');
  dates.sort();
  return { first: dates[0]!, last: dates[dates.length - 1]! };
}

/** Period ends (at the finest grain asked) from `from` to `to`, each capped at `to`. */
function periodEnds(grain: string, from: string, to: string): string[] {
  const ends: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const step = grain === 'year' ? 12 : grain === 'quarter' ? 3 : 1;
  month = grain === 'year' ? 1 : grain === 'quarter' ? Math.floor((month - 1) / 3) * 3 + 1 : month;
  while (`${year}-${String(month).padStart(2, '0')}-01` <= to) {
    const last = new Date(Date.UTC(year, month - 1 + step, 0)).toISOString().slice(0, 10);
    ends.push(last > to ? to : last);
    month += step;
    if (month > 12) {
      month -= 12;
      year++;
    }
  }
  return ends;
}

export type OracleRow = Record<string, string | number | null>;

export function oracleAggregate(facts: RawFacts, query: OracleQuery): OracleRow[] {
  const { from, to } = query.filters as { from?: string; to?: string };
  const range = dataRange(facts);
  const sums = new Map<string, Record<string, number>>();
  const keysOf = new Map<string, OracleRow>();
  const add = (keys: OracleRow, measure: string, hundredths: number) => {
    const id = JSON.stringify(query.by.map((d) => keys[d]));
    keysOf.set(id, keys);
    const entry = sums.get(id) ?? {};
    entry[measure] = (entry[measure] ?? 0) + hundredths;
    sums.set(id, entry);
  };
  const passes = (row: RawRow, kind: FactKind) =>
    Object.entries(query.filters).every(([dimension, values]) => {
      if (dimension === 'from' || dimension === 'to' || values === undefined) return true;
      const list = Array.isArray(values) ? values : [values];
      return list.includes(attribute(row, kind, dimension) as string);
    });

  // Payments in fen per contract, and each payment with its contract's columns (its own win).
  const contracts = new Map(facts.tech_transfer.map((c) => [contractKey(c.university_code, c.ref), c]));
  const paid = new Map<string, number>();
  for (const p of facts.payment) {
    const key = contractKey(p.university_code, p.contract_ref);
    paid.set(key, (paid.get(key) ?? 0) + Math.round(Number(p.amount_cny) * 100));
  }
  const rowsOf = (kind: FactKind): RawRow[] =>
    kind === 'payment'
      ? facts.payment.map((p) => ({ ...contracts.get(contractKey(p.university_code, p.contract_ref))!, ...p }))
      : facts[kind];

  // A ratio is computed from its two figures' sums.
  const computed = [
    ...new Set(
      query.measures.flatMap((id) => (ORACLE_RATIOS[id] ? [ORACLE_RATIOS[id].numerator, ORACLE_RATIOS[id].denominator] : [id])),
    ),
  ];
  for (const id of computed) {
    const measure = ORACLE_MEASURES[id]!;
    for (const row of rowsOf(measure.kind)) {
      if (!passes(row, measure.kind)) continue;
      const hundredths = Math.round(measure.value(row, paid) * 100);
      if (measure.stock) {
        const held = (end: string) => heldOn(facts, measure, row, end);
        const grain = [...TIME].reverse().find((g) => query.by.includes(g));
        const ends = grain ? periodEnds(grain, from ?? range.first, to ?? range.last) : [to ?? range.last];
        for (const end of ends) {
          if (!held(end)) continue;
          const keys: OracleRow = {};
          for (const d of query.by) keys[d] = TIME.includes(d) ? timeKey(d, end) : attribute(row, measure.kind, d);
          add(keys, id, hundredths);
        }
        continue;
      }
      const date = row[measure.date] as string | null;
      if (date === null || (from && date < from) || (to && date > to)) continue;
      const keys: OracleRow = {};
      for (const d of query.by) keys[d] = TIME.includes(d) ? timeKey(d, date) : attribute(row, measure.kind, d);
      add(keys, id, hundredths);
    }
  }
  const rows: OracleRow[] = [];
  if (query.by.length === 0 && sums.size === 0) sums.set('[]', {});
  for (const [id, entry] of sums) {
    const row: OracleRow = { ...(keysOf.get(id) ?? {}) };
    for (const measure of query.measures) {
      const ratio = ORACLE_RATIOS[measure];
      if (!ratio) {
        row[measure] = (entry[measure] ?? 0) / 100;
        continue;
      }
      const numerator = entry[ratio.numerator] ?? 0;
      const denominator = entry[ratio.denominator] ?? 0;
      row[measure] = denominator === 0 ? null : exactQuotient(numerator, denominator, ratio.decimals);
      row[`${measure}:numerator`] = numerator / 100;
      row[`${measure}:denominator`] = denominator / 100;
    }
    rows.push(row);
  }
  const compare = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : 1;
  };
  rows.sort((x, y) => {
    for (const d of query.by) {
      const c = compare(x[d], y[d]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return rows;
}
