import type { Kysely } from 'kysely';
import type { Database, TargetRow } from '../db/schema.js';

/** Which targets to read: every filter optional (`year` one year, `years` any of them); `alliance` asks for the alliance-wide ones (no university). */
export interface TargetFilter {
  year?: number | undefined;
  years?: readonly number[] | undefined;
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
    .$if(filter.years !== undefined, (q) => q.where('year', 'in', filter.years!.length > 0 ? filter.years! : [-1]))
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
