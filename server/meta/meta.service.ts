import { TARGETED_MEASURES } from '../kpi/measure-ids.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DIMENSION_VALUES, DIMENSIONS, MEASURE_LIST, STANDARDS, VALUE_LABELS } from '../kpi/registry.js';
import { dataDateRange, listFields, listRegions, listUniversities, readDataset } from './meta.queries.js';

/** The registry as /meta gives it: each measure with whether it takes a yearly target. */
const META_MEASURES = MEASURE_LIST.map((m) => ({ ...m, targeted: TARGETED_MEASURES.includes(m.id) }));

export interface University {
  code: string;
  nameEn: string;
  nameZh: string;
  region: string;
  memberSince: string;
  lead: boolean;
}

export interface Meta {
  universities: University[];
  regions: Array<{ code: string; nameEn: string; nameZh: string }>;
  fields: Array<{ code: string; nameEn: string; nameZh: string }>;
  dateRange: { from: string | null; to: string | null };
  dataset: { synthetic: boolean };
  /** The registry's measures; `targeted` says whether a measure takes a yearly target. */
  measures: Array<(typeof MEASURE_LIST)[number] & { targeted: boolean }>;
  dimensions: Array<(typeof DIMENSIONS)[keyof typeof DIMENSIONS] & { values?: Array<{ code: string; en: string; zh: string }> }>;
  standards: typeof STANDARDS;
}

/** Everything a client needs to label and filter: members, provinces, fields, the data's span. */
export async function getMeta(db: Kysely<Database>): Promise<Meta> {
  const [universities, regions, fields, range, dataset] = await Promise.all([
    listUniversities(db),
    listRegions(db),
    listFields(db),
    dataDateRange(db),
    readDataset(db),
  ]);
  return {
    universities: universities.map((u) => ({
      code: u.code,
      nameEn: u.name_en,
      nameZh: u.name_zh,
      region: u.region_code,
      memberSince: u.member_since,
      lead: u.is_lead,
    })),
    regions: regions.map((r) => ({ code: r.code, nameEn: r.name_en, nameZh: r.name_zh })),
    fields: fields.map((f) => ({ code: f.code, nameEn: f.name_en, nameZh: f.name_zh })),
    dateRange: { from: range.first, to: range.last },
    dataset: { synthetic: dataset.synthetic },
    measures: META_MEASURES,
    dimensions: Object.values(DIMENSIONS).map((d) => {
      const values = DIMENSION_VALUES[d.id as keyof typeof DIMENSION_VALUES];
      return values ? { ...d, values: values.map((code) => ({ code, ...VALUE_LABELS[code]! })) } : d;
    }),
    standards: STANDARDS,
  };
}
