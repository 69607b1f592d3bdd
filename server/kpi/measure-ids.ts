/** The alliance's measures, named once; their definitions live in the registry. */
export const MEASURE_IDS = [
  'tech_transfer.contracts',
  'tech_transfer.contract_value',
  'tech_transfer.received',
  'tech_transfer.received_to_date',
  'tech_transfer.reward_cash',
  'tech_transfer.reward_equity',
  'tech_transfer.rewarded_people',
  'tech_transfer.average_value',
  'tech_transfer.collection_rate',
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
