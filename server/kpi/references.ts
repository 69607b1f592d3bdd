import { versioned } from '../db/versioned.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { BadRequest, detail, type ProblemDetail, said } from '../lib/problems.js';
import { listFields, listRegions, listUniversities } from './references.queries.js';
import type { KpiFilters } from './compile.js';

/** The codes that exist: universities (in display order) with their province, regions, fields. */
export interface References {
  universities: string[];
  regionOf: Map<string, string>;
  /** The day each university joined the alliance. */
  memberSince: Map<string, string>;
  regions: string[];
  fields: string[];
}

/** The codes that exist: read once per data version. */
export function loadReferences(db: Kysely<Database>): Promise<References> {
  return versioned(db, 'references', () => readReferences(db));
}

async function readReferences(db: Kysely<Database>): Promise<References> {
  const [universities, regions, fields] = await Promise.all([listUniversities(db), listRegions(db), listFields(db)]);
  return {
    universities: universities.map((u) => u.code),
    regionOf: new Map(universities.map((u) => [u.code, u.region_code])),
    memberSince: new Map(universities.map((u) => [u.code, u.member_since])),
    regions: regions.map((r) => r.code),
    fields: fields.map((f) => f.code),
  };
}

const DOMAIN = {
  university: 'universities',
  partner_university: 'universities',
  region: 'regions',
  partner_region: 'regions',
  field: 'fields',
} as const;

/** A 400 naming every code in the filters that does not exist, with the codes that do. */
export function assertKnownCodes(filters: KpiFilters, references: References, prefix = 'query'): void {
  const problems: ProblemDetail[] = [];
  for (const [dimension, domain] of Object.entries(DOMAIN) as Array<
    [keyof typeof DOMAIN, (typeof DOMAIN)[keyof typeof DOMAIN]]
  >) {
    const known = references[domain];
    for (const value of filters[dimension] ?? []) {
      if (!known.includes(value))
        problems.push(detail({ path: `${prefix}.${dimension}` }, said('unknown_filter_code', { code: value, known })));
    }
  }
  if (problems.length > 0) throw new BadRequest(said('query_unknown_codes'), problems);
}

/** The universities a filter leaves in scope (university and region filters together). */
export function universitiesInScope(filters: KpiFilters, references: References): string[] {
  return references.universities.filter(
    (code) =>
      (!filters.university || filters.university.includes(code)) &&
      (!filters.region || filters.region.includes(references.regionOf.get(code) ?? '')),
  );
}

/** The universities that had joined the alliance by `day`. */
export function membersOn(day: string, references: References): string[] {
  return references.universities.filter((code) => (references.memberSince.get(code) ?? '') <= day);
}
