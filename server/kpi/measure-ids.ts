/** The alliance's measures, named once; their definitions live in the registry. */
export const MEASURE_IDS = [
  'tech_transfer.contracts',
  'tech_transfer.contract_value',
  'tech_transfer.received',
  'incubation.entered',
  'incubation.graduated',
  'incubation.funding',
  'incubation.jobs',
  'incubation.portfolio',
  'talent.trainees',
  'talent.graduates',
  'credits.credits',
  'credits.students',
] as const;

export type MeasureId = (typeof MEASURE_IDS)[number];

/** Measures that have yearly targets in the demo data (the stock has none: it is a level, not an output). */
export const TARGETED_MEASURES: readonly MeasureId[] = MEASURE_IDS.filter((id) => id !== 'incubation.portfolio');
