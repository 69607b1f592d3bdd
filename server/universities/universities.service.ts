import type { Kysely } from 'kysely';
import type { MemberEntry } from '../../contract/schemas/universities.js';
import type { University } from '../../contract/universities.js';
import { type Actor, writeAudit } from '../audit/audit.queries.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { Database, UniversityRow } from '../db/schema.js';
import { BadRequest, Conflict, detail, NotFound, said } from '../lib/problems.js';
import {
  deleteUniversity,
  insertUniversity,
  isReferenced,
  listUniversities as listUniversityRows,
  lockUniversity,
  memberNamed,
  moveLeadTo,
  regionExists,
  universityExists,
  updateUniversity,
} from './universities.queries.js';

export type { University };

export type NewUniversityInput = Omit<University, 'lead'> & { lead?: boolean | undefined };
export type UniversityPatch = { [K in keyof NewUniversityInput as Exclude<K, 'code'>]?: NewUniversityInput[K] | undefined };

/** A university's row as the API gives it. */
export const toUniversity = (u: UniversityRow): University => ({
  code: u.code,
  nameEn: u.name_en,
  nameZh: u.name_zh,
  region: u.region_code,
  memberSince: u.member_since,
  lead: u.is_lead,
});

async function assertRegion(db: Kysely<Database>, region: string | undefined): Promise<void> {
  if (region && !(await regionExists(db, region))) {
    throw new BadRequest(said('no_such_province'), [
      detail({ path: 'body.region' }, said('unknown_named', { domain: 'region', code: region })),
    ]);
  }
}

/** The member universities, the lead first, each with whether anything names it (which keeps it from removal). */
export async function listUniversities(db: Kysely<Database>): Promise<MemberEntry[]> {
  const rows = await listUniversityRows(db);
  return Promise.all(rows.map(async (row) => ({ ...toUniversity(row), inUse: await isReferenced(db, row.code) })));
}

/** Two members are never named alike: the report's rows and the forms' choices would not tell them apart (409). */
async function assertNamesFree(
  trx: Kysely<Database>,
  names: { nameEn?: string | undefined; nameZh?: string | undefined },
  except: string | null,
): Promise<void> {
  if (names.nameEn === undefined && names.nameZh === undefined) return;
  const other = await memberNamed(trx, names, except);
  if (!other) return;
  const taken = [
    ...(names.nameEn !== undefined && other.name_en.toLowerCase() === names.nameEn.toLowerCase() ? ['nameEn'] : []),
    ...(names.nameZh !== undefined && other.name_zh === names.nameZh ? ['nameZh'] : []),
  ];
  throw new Conflict(
    said('university_name_taken', { code: other.code }),
    taken.map((field) => detail({ path: `body.${field}` }, said('name_of', { code: other.code }))),
  );
}

/** Adds a member (409 if its code is taken); as the lead it takes the role from any other. Audited. */
export async function addUniversity(db: Kysely<Database>, actor: Actor, input: NewUniversityInput): Promise<University> {
  await assertRegion(db, input.region);
  return db.transaction().execute(async (trx) => {
    if (await universityExists(trx, input.code)) {
      throw new Conflict(said('university_exists', { code: input.code }), [detail({ path: 'body.code' }, said('taken'))]);
    }
    await assertNamesFree(trx, input, null);
    if (input.lead) await moveLeadTo(trx, input.code);
    const university = toUniversity(
      await insertUniversity(trx, {
        code: input.code,
        name_en: input.nameEn,
        name_zh: input.nameZh,
        region_code: input.region,
        member_since: input.memberSince,
        is_lead: input.lead ?? false,
      }),
    );
    await writeAudit(trx, actor, { action: 'university_change', subject: `university:${input.code}`, after: university });
    await bumpDataVersion(trx);
    return university;
  });
}

/**
 * Renames a member, or changes its province, join date or lead flag (404 if there is none). Audited.
 * The lead's flag is not taken off (409): naming another lead moves it.
 */
export async function changeUniversity(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
  patch: UniversityPatch,
): Promise<University> {
  await assertRegion(db, patch.region);
  return db.transaction().execute(async (trx) => {
    const current = await lockUniversity(trx, code);
    if (!current) throw new NotFound(said('no_university', { code }));
    await assertNamesFree(trx, patch, code);
    // The alliance always has a lead: the flag moves when another is named, never by being taken off.
    if (patch.lead === false && current.is_lead)
      throw new Conflict(said('lead_stays', { code }), [detail({ path: 'body.lead' }, said('lead_stays', { code }))]);
    if (patch.lead) await moveLeadTo(trx, code);
    const after = toUniversity(
      await updateUniversity(trx, code, {
        ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}),
        ...(patch.nameZh !== undefined ? { name_zh: patch.nameZh } : {}),
        ...(patch.region !== undefined ? { region_code: patch.region } : {}),
        ...(patch.memberSince !== undefined ? { member_since: patch.memberSince } : {}),
        ...(patch.lead !== undefined ? { is_lead: patch.lead } : {}),
      }),
    );
    await writeAudit(trx, actor, {
      action: 'university_change',
      subject: `university:${code}`,
      before: toUniversity(current),
      after,
    });
    await bumpDataVersion(trx);
    return after;
  });
}

/**
 * Removes a university entered by mistake: 404 if there is none, 409 if it leads the alliance or if
 * records, accounts or targets name it. Audited.
 */
export async function removeUniversity(db: Kysely<Database>, actor: Actor, code: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await lockUniversity(trx, code);
    if (!current) throw new NotFound(said('no_university', { code }));
    if (current.is_lead) throw new Conflict(said('lead_stays', { code }));
    if (await isReferenced(trx, code)) {
      throw new Conflict(said('university_in_use', { code }));
    }
    await deleteUniversity(trx, code);
    await writeAudit(trx, actor, {
      action: 'university_change',
      subject: `university:${code}`,
      before: toUniversity(current),
      after: null,
    });
    await bumpDataVersion(trx);
  });
}
