import type { Kysely } from 'kysely';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { Database } from '../db/schema.js';
import { loadReferences } from '../kpi/references.js';
import { BadRequest, detail, said } from '../lib/problems.js';
import { deleteTarget, findTargets, insertTarget, lockTarget, type TargetKey, updateTargetValue } from './targets.queries.js';

/** A target as the API gives it: null university for the alliance's own. */
export type { Target } from '../../contract/schemas/targets.js';
import type { Target } from '../../contract/schemas/targets.js';
import type { MeasureId } from '../../contract/measure-ids.js';
import { type TargetWarning, targetWarnings } from '../../contract/target-warnings.js';

export interface TargetQuery {
  year?: number | undefined;
  measure?: readonly string[] | undefined;
  /** University codes in any case, or `alliance`. */
  university?: readonly string[] | undefined;
}

/** A change: `value` null removes the target. */
export interface TargetChange extends TargetKey {
  value: number | null;
}

export interface TargetCounts {
  set: number;
  removed: number;
  unchanged: number;
}

/** What a PUT did, with the warnings of the measures and years it named. */
export interface TargetsSet extends TargetCounts {
  warnings: TargetWarning[];
}

/**
 * The measures and years (of those given; all when absent) whose universities' targets add up to
 * more than the alliance-wide target: a warning, never a refusal. Worked out from the stored rows
 * by the contract's `targetWarnings`, which the admin grid runs on its cells as typed.
 */
export async function storedTargetWarnings(
  db: Kysely<Database>,
  scope: { years?: readonly number[] | undefined; measures?: readonly string[] | undefined },
): Promise<TargetWarning[]> {
  const rows = await findTargets(db, { years: scope.years, measures: scope.measures });
  return targetWarnings(
    rows.map((r) => ({
      // Written only through setTargets, whose schema admits measure ids alone.
      measure: r.measure as MeasureId,
      year: r.year,
      university: r.university_code,
      // The database's numeric, exactly.
      value: r.value,
    })),
  );
}

/**
 * The targets a query asks for, with the warnings of its years and measures (of every university,
 * whichever the query names); a university code that is no member is refused (400), naming the known ones.
 */
export async function listTargets(
  db: Kysely<Database>,
  query: TargetQuery,
): Promise<{ targets: Target[]; warnings: TargetWarning[] }> {
  const universities = query.university?.filter((u) => u !== 'alliance').map((u) => u.toUpperCase());
  const known = (await loadReferences(db)).universities;
  const unknown = (universities ?? []).filter((u) => !known.includes(u));
  if (unknown.length > 0) {
    throw new BadRequest(
      said('query_unknown_universities'),
      unknown.map((u) =>
        detail({ path: 'query.university' }, said('unknown_filter_code', { code: u, known: [...known, 'alliance'] })),
      ),
    );
  }
  const rows = await findTargets(db, {
    year: query.year,
    measures: query.measure,
    universities,
    alliance: query.university?.includes('alliance'),
  });
  const targets = rows.map((r) => ({
    // Written only through setTargets, whose schema admits measure ids alone.
    measure: r.measure as MeasureId,
    year: r.year,
    university: r.university_code,
    value: Number(r.value),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
  const scope = { years: query.year === undefined ? undefined : [query.year], measures: query.measure };
  return { targets, warnings: await storedTargetWarnings(db, scope) };
}

/**
 * Sets targets, all or none: the universities must exist (400 names each one that does not);
 * then one transaction locks each target, sets, removes or leaves it, audits every change, and
 * bumps the data version when anything changed. The answer warns of each measure and year the
 * request named whose universities' targets now add up to more than the alliance's.
 */
export async function setTargets(
  db: Kysely<Database>,
  actor: Actor,
  userId: number,
  changes: readonly TargetChange[],
): Promise<TargetsSet> {
  const { universities } = await loadReferences(db);
  const unknown = changes
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.university !== null && !universities.includes(t.university));
  if (unknown.length > 0) {
    throw new BadRequest(
      said('targets_unknown_universities'),
      unknown.map(({ t, i }) =>
        detail(
          { path: `body.targets.${i}.university` },
          said('unknown_named', { domain: 'university', code: String(t.university) }),
        ),
      ),
    );
  }
  return db.transaction().execute(async (trx) => {
    const counts: TargetCounts = { set: 0, removed: 0, unchanged: 0 };
    for (const change of changes) {
      const existing = await lockTarget(trx, change);
      const before = existing ? { value: Number(existing.value) } : null;
      if (change.value === null) {
        if (!existing) {
          counts.unchanged++;
          continue;
        }
        await deleteTarget(trx, existing.id);
        counts.removed++;
      } else if (existing) {
        if (Number(existing.value) === change.value) {
          counts.unchanged++;
          continue;
        }
        await updateTargetValue(trx, existing.id, change.value, userId);
        counts.set++;
      } else {
        await insertTarget(trx, change, change.value, userId);
        counts.set++;
      }
      await writeAudit(trx, actor, {
        action: 'target_change',
        subject: `target:${change.measure}/${change.year}/${change.university ?? 'alliance'}`,
        before,
        after: change.value === null ? null : { value: change.value },
      });
    }
    if (counts.set + counts.removed > 0) await bumpDataVersion(trx);
    // Read within the transaction: the warnings are of the targets as this request leaves them.
    const named = new Set(changes.map((c) => `${c.measure}|${c.year}`));
    const found = await storedTargetWarnings(trx, {
      years: [...new Set(changes.map((c) => c.year))],
      measures: [...new Set(changes.map((c) => c.measure))],
    });
    return { ...counts, warnings: found.filter((w) => named.has(`${w.measure}|${w.year}`)) };
  });
}
