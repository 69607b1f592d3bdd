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
  'incubation.companies',
  'talent.trainees',
  'talent.graduates',
  'credits.credits',
  'credits.students',
  'capacity.transfer_offices',
  'capacity.staff',
  'capacity.tech_managers',
  'capacity.co_built',
] as const;

export type MeasureId = (typeof MEASURE_IDS)[number];

/** The blocks the dashboard shows measures in: a payment's figures belong with its contracts. */
export const MEASURE_GROUPS = ['tech_transfer', 'incubation', 'talent', 'credit', 'capacity'] as const;
export type MeasureGroup = (typeof MEASURE_GROUPS)[number];
