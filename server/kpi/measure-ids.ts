/** The alliance's measures, named once; their definitions live in the registry. */
export const MEASURE_IDS = [
  'tech_transfer.contracts',
  'tech_transfer.contract_value',
  'tech_transfer.received',
  'tech_transfer.received_to_date',
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

/**
 * The measures of the commission report: all but cash received to date on a signing cohort, which
 * changes with every later payment and is no figure of the national report (cash received in the
 * year is). A submitted report then changes only by revisions dated inside its period.
 */
export const REPORT_MEASURES: readonly MeasureId[] = MEASURE_IDS.filter((id) => id !== 'tech_transfer.received_to_date');

/**
 * Measures that take yearly targets: not the stock (a level, not an output), nor cash received to
 * date on a signing cohort (it keeps changing after its year; cash received in the year is targeted).
 */
export const TARGETED_MEASURES: readonly MeasureId[] = MEASURE_IDS.filter(
  (id) => id !== 'incubation.portfolio' && id !== 'tech_transfer.received_to_date',
);
