import { sql, type Kysely } from 'kysely';
import type { Database, FieldRow, RegionRow, UniversityRow } from '../db/schema.js';

export function listRegions(db: Kysely<Database>): Promise<RegionRow[]> {
  return db.selectFrom('region').selectAll().orderBy('position').orderBy('code').execute();
}

/** The lead university first, then by province (in the alliance's order) and code. */
export function listUniversities(db: Kysely<Database>): Promise<UniversityRow[]> {
  return db
    .selectFrom('university')
    .innerJoin('region', 'region.code', 'university.region_code')
    .selectAll('university')
    .orderBy('university.is_lead', 'desc')
    .orderBy('region.position')
    .orderBy('university.code')
    .execute();
}

export function listFields(db: Kysely<Database>): Promise<FieldRow[]> {
  return db.selectFrom('field').selectAll().orderBy('code').execute();
}

export interface DateRangeRow {
  first: string | null;
  last: string | null;
}

/** The first and last dates any record carries, over every kind. */
export async function dataDateRange(db: Kysely<Database>): Promise<DateRangeRow> {
  const result = await sql<DateRangeRow>`
    select min(d)::text as first, max(d)::text as last from (
      select min(signed_on) as d from tech_transfer union all select max(signed_on) from tech_transfer
      union all select max(rewarded_on) from tech_transfer
      union all select max(received_on) from payment
      union all select min(entered_on) from incubation union all select max(entered_on) from incubation
      union all select max(graduated_on) from incubation union all select max(closed_on) from incubation
      union all select min(company_registered_on) from incubation union all select max(company_registered_on) from incubation
      union all select min(started_on) from talent union all select max(started_on) from talent
      union all select max(completed_on) from talent
      union all select min(recognized_on) from credit union all select max(recognized_on) from credit
      union all select min(snapshot_on) from capacity union all select max(snapshot_on) from capacity
    ) as dates`.execute(db);
  return result.rows[0] ?? { first: null, last: null };
}

export interface DatasetSetting {
  synthetic: boolean;
  seed?: number;
  asOf?: string;
}

export async function readDataset(db: Kysely<Database>): Promise<DatasetSetting> {
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', 'dataset').executeTakeFirst();
  const value = (row?.value ?? {}) as Partial<DatasetSetting>;
  return { ...value, synthetic: value.synthetic === true };
}
