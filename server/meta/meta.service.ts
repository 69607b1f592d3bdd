import type { Kysely } from 'kysely';
import type { Meta } from '../../contract/schemas/meta.js';
import { toUniversity } from '../universities/universities.service.js';
import type { Database } from '../db/schema.js';
import { DIMENSIONS, MEASURE_LIST, REPORT_MEASURES, STANDARDS, TARGETED_MEASURES, VALUE_LABELS } from '../kpi/registry.js';
import { dataDateRange, listFields, listRegions, listUniversities, readDataset } from '../kpi/references.queries.js';

/** The registry as /meta gives it: each measure with whether it takes a yearly target and is in the commission report. */
const META_MEASURES: Meta['measures'] = MEASURE_LIST.map((m) => ({
  ...m,
  targeted: TARGETED_MEASURES.includes(m.id),
  reported: REPORT_MEASURES.includes(m.id),
}));

/** The dimensions as /meta gives them: what a client labels and filters by (not how the server reads them). */
const META_DIMENSIONS: Meta['dimensions'] = Object.values(DIMENSIONS).map(({ id, name, domain, values }) =>
  values ? { id, name, domain, values: values.map((code) => ({ code, ...VALUE_LABELS[code]! })) } : { id, name, domain },
);

export type { Meta };

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
    universities: universities.map(toUniversity),
    regions: regions.map((r) => ({ code: r.code, nameEn: r.name_en, nameZh: r.name_zh })),
    fields: fields.map((f) => ({ code: f.code, nameEn: f.name_en, nameZh: f.name_zh })),
    dateRange: { from: range.first, to: range.last },
    dataset: { synthetic: dataset.synthetic },
    measures: META_MEASURES,
    dimensions: META_DIMENSIONS,
    standards: STANDARDS,
  };
}
