import type { Kysely } from 'kysely';
import type { PeriodSummary } from '../../contract/schemas/cycle.js';
import type { Database } from '../db/schema.js';
import { FACT_KINDS } from '../db/schema.js';
import { canonicalJson, sha256Hex } from '../lib/canonical-json.js';
import { amountColumns, periodRecords } from './cycle.queries.js';

/** What a submission freezes of a period: per kind the count and totals, and the SHA-256 of the records themselves. */
export interface FrozenPeriod {
  summary: PeriodSummary;
  sha256: string;
}

/** Cents are exact in integers: totals are summed as such, so that no float rounding creeps in. */
const sumExact = (values: readonly unknown[]): number => {
  let hundredths = 0;
  for (const value of values) hundredths += Math.round(Number(value ?? 0) * 100);
  return hundredths / 100;
};

/**
 * Reads a university's records dated in a span (each kind by its own date) and freezes them: the
 * canonical JSON (RFC 8785, as report submissions are hashed) of every kind's records in ref order
 * names them by its SHA-256, so any insert, change or delete inside the period changes the digest.
 */
export async function freezePeriod(
  db: Kysely<Database>,
  university: string,
  span: { from: string; to: string },
): Promise<FrozenPeriod> {
  const records = await periodRecords(db, university, span);
  const summary = {} as PeriodSummary;
  for (const kind of FACT_KINDS) {
    const rows = records[kind];
    summary[kind] = {
      records: rows.length,
      totals: Object.fromEntries(amountColumns(kind).map((c) => [c, sumExact(rows.map((r) => r[c]))])),
    };
  }
  const canonical = canonicalJson({ university, from: span.from, to: span.to, records });
  return { summary, sha256: sha256Hex(canonical) };
}
