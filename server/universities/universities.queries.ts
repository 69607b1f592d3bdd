import type { Insertable, Kysely } from 'kysely';
import { type Database, FACT_KINDS, type UniversityRow, type UniversityTable } from '../db/schema.js';
import { KIND_COLUMNS } from '../../contract/record-columns.js';

export { listUniversities } from '../kpi/references.queries.js';

export async function regionExists(db: Kysely<Database>, region: string): Promise<boolean> {
  return Boolean(await db.selectFrom('region').select('code').where('code', '=', region).executeTakeFirst());
}

export async function universityExists(db: Kysely<Database>, code: string): Promise<boolean> {
  return Boolean(await db.selectFrom('university').select('code').where('code', '=', code).executeTakeFirst());
}

/** The member, other than `except`, that already has this English or Chinese name (case aside), if any. */
export function memberNamed(
  db: Kysely<Database>,
  names: { nameEn?: string | undefined; nameZh?: string | undefined },
  except: string | null,
): Promise<Pick<UniversityRow, 'code' | 'name_en' | 'name_zh'> | undefined> {
  return db
    .selectFrom('university')
    .select(['code', 'name_en', 'name_zh'])
    .where((eb) =>
      eb.or([
        ...(names.nameEn !== undefined ? [eb(eb.fn('lower', ['name_en']), '=', names.nameEn.toLowerCase())] : []),
        ...(names.nameZh !== undefined ? [eb('name_zh', '=', names.nameZh)] : []),
      ]),
    )
    .$if(except !== null, (q) => q.where('code', '<>', except!))
    .executeTakeFirst();
}

/** The university of `code`, locked for the transaction's rest (FOR UPDATE). */
export function lockUniversity(trx: Kysely<Database>, code: string): Promise<UniversityRow | undefined> {
  return trx.selectFrom('university').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

export function insertUniversity(trx: Kysely<Database>, row: Insertable<UniversityTable>): Promise<UniversityRow> {
  return trx.insertInto('university').values(row).returningAll().executeTakeFirstOrThrow();
}

export interface UniversityChanges {
  name_en?: string;
  name_zh?: string;
  region_code?: string;
  member_since?: string;
  is_lead?: boolean;
}

export function updateUniversity(trx: Kysely<Database>, code: string, changes: UniversityChanges): Promise<UniversityRow> {
  return trx
    .updateTable('university')
    .set({ ...changes, updated_at: new Date() })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteUniversity(trx: Kysely<Database>, code: string): Promise<void> {
  await trx.deleteFrom('university').where('code', '=', code).execute();
}

/** The alliance has one lead university: naming a new one takes the role from any other. */
export async function moveLeadTo(db: Kysely<Database>, code: string): Promise<void> {
  await db
    .updateTable('university')
    .set({ is_lead: false, updated_at: new Date() })
    .where('is_lead', '=', true)
    .where('code', '<>', code)
    .execute();
}

/** Whether anything refers to the university: records (as owner or partner), accounts, targets. */
export async function isReferenced(db: Kysely<Database>, code: string): Promise<boolean> {
  // A payment's university is its contract's, which the contracts' check finds.
  for (const kind of FACT_KINDS.filter((k) => k !== 'payment')) {
    // Every column of the kind that names a university (the owner, a partner, a host), from its column list.
    const columns = KIND_COLUMNS[kind].filter((c) => c.domain === 'university').map((c) => c.name as 'university_code');
    const row = await db
      .selectFrom(kind)
      .select('id')
      .where((eb) => eb.or(columns.map((column) => eb(column, '=', code))))
      .limit(1)
      .executeTakeFirst();
    if (row) return true;
  }
  if (await db.selectFrom('app_user').select('id').where('university_code', '=', code).limit(1).executeTakeFirst()) return true;
  return Boolean(await db.selectFrom('target').select('id').where('university_code', '=', code).limit(1).executeTakeFirst());
}
