/**
 * The dashboard's dimensions, named once; the registry (`registry.ts`) says what each one reads.
 * Pure data, so the client imports the same list.
 */
export const DIMENSION_IDS = [
  'university',
  'region',
  'partner_university',
  'year',
  'quarter',
  'month',
  'mode',
  'mode_group',
  'value_band',
  'partner_region',
  'field',
  'stage',
  'level',
  'company_stake',
] as const;
export type DimensionId = (typeof DIMENSION_IDS)[number];

export const TIME_DIMENSIONS = ['year', 'quarter', 'month'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

export const isTimeDimension = (id: DimensionId): id is TimeDimension => (TIME_DIMENSIONS as readonly string[]).includes(id);

/** Dimensions that filter as well as group: all but the time dimensions, which filter through from/to. */
export type FilterDimension = Exclude<DimensionId, TimeDimension>;
export const FILTER_DIMENSIONS: readonly FilterDimension[] = DIMENSION_IDS.filter(
  (id): id is FilterDimension => !isTimeDimension(id),
);
