import type { Kysely } from 'kysely';
import type { Database, TargetRow } from '../db/schema.js';

/** Which targets to read: every filter optional; `alliance` asks for the alliance-wide ones (no university). */
export interface TargetFilter {
  year?: number | undefined;
  measures?: readonly string[] | undefined;
  universities?: readonly string[] | undefined;
  alliance?: boolean | undefined;
}

/** One target's key: a measure, a year, and a university or the alliance (null). */
export interface TargetKey {
  measure: string;
  year: number;
  university: string | null;
}

/** The targets the filter keeps, by year, measure and university (the alliance's first). */
export function findTargets(db: Kysely<Database>, filter: TargetFilter): Promise<TargetRow[]> {
  // Named universities or the alliance: a filter on the university at all (none of either keeps nothing).
  const byUniversity = filter.universities !== undefined || filter.alliance !== undefined;
  const universities = filter.universities ?? [];
  return db
    .selectFrom('target')
    .selectAll()
    .$if(filter.year !== undefined, (q) => q.where('year', '=', filter.year!))
    .$if((filter.measures?.length ?? 0) > 0, (q) => q.where('measure', 'in', filter.measures!))
    .$if(byUniversity, (q) =>
      q.where((eb) =>
        eb.or([
          ...(universities.length > 0 ? [eb('university_code', 'in', universities)] : []),
          ...(filter.alliance ? [eb('university_code', 'is', null)] : []),
        ]),
      ),
    )
    .orderBy('year')
    .orderBy('measure')
    .orderBy('university_code', (ob) => ob.nullsFirst())
    .execute();
}

/** The target of `key`, locked for the transaction's rest (FOR UPDATE); undefined when there is none. */
export function lockTarget(trx: Kysely<Database>, key: TargetKey): Promise<TargetRow | undefined> {
  return trx
    .selectFrom('target')
    .selectAll()
    .where('measure', '=', key.measure)
    .where('year', '=', key.year)
    .where((eb) => (key.university === null ? eb('university_code', 'is', null) : eb('university_code', '=', key.university)))
    .forUpdate()
    .executeTakeFirst();
}

export async function insertTarget(trx: Kysely<Database>, key: TargetKey, value: number, userId: number): Promise<void> {
  await trx
    .insertInto('target')
    .values({ measure: key.measure, year: key.year, university_code: key.university, value, updated_by: userId })
    .execute();
}

export async function updateTargetValue(trx: Kysely<Database>, id: number, value: number, userId: number): Promise<void> {
  await trx.updateTable('target').set({ value, updated_at: new Date(), updated_by: userId }).where('id', '=', id).execute();
}

export async function deleteTarget(trx: Kysely<Database>, id: number): Promise<void> {
  await trx.deleteFrom('target').where('id', '=', id).execute();
}

/** A measure and year whose universities' targets, summed, exceed the alliance-wide target (numeric, as text). */
export interface TargetsAboveAlliance {
  measure: string;
  year: number;
  sum: string;
  alliance: string;
}

/**
 * The measures and years (of `years` and `measures`, each all when absent) that have an
 * alliance-wide target below the sum of the universities' targets: summed and compared by the
 * database, exactly, in numeric. By year and measure.
 */
export async function findTargetsAboveAlliance(
  db: Kysely<Database>,
  filter: { years?: readonly number[] | undefined; measures?: readonly string[] | undefined },
): Promise<TargetsAboveAlliance[]> {
  const rows = await db
    .selectFrom('target as a')
    .innerJoin('target as u', (join) =>
      join.onRef('u.measure', '=', 'a.measure').onRef('u.year', '=', 'a.year').on('u.university_code', 'is not', null),
    )
    .select((eb) => [
      'a.measure',
      'a.year',
      eb.fn.sum<string>('u.value').as('sum'),
      eb.cast<string>('a.value', 'text').as('alliance'),
    ])
    .where('a.university_code', 'is', null)
    .$if(filter.years !== undefined, (q) => q.where('a.year', 'in', filter.years!.length > 0 ? filter.years! : [-1]))
    .$if(filter.measures !== undefined, (q) => q.where('a.measure', 'in', filter.measures!.length > 0 ? filter.measures! : ['']))
    .groupBy(['a.measure', 'a.year', 'a.value'])
    .having((eb) => eb(eb.fn.sum('u.value'), '>', eb.ref('a.value')))
    .orderBy('a.year')
    .orderBy('a.measure')
    .execute();
  return rows.map((r) => ({ measure: r.measure, year: r.year, sum: String(r.sum), alliance: r.alliance }));
}
