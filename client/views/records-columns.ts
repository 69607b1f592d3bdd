import { FILTER_DIMENSIONS, type FilterDimension } from '../../contract/dimension-ids';
import { FACT_KINDS, type FactKind } from '../../contract/enums';
import { type ColumnSpec, KIND_COLUMNS, SEARCH_COLUMNS } from '../../contract/record-columns';
import type { Meta } from '../api';

/**
 * What the records views add to the columns of `contract/record-columns.ts` (names, types,
 * values, limits and labels live there, shared with the server): the kinds as the client names
 * them, and the filters a kind takes.
 */
export { KIND_COLUMNS, KIND_NAMES, MAIN_DATE } from '../../contract/record-columns';
export type { FilterDimension };
export type Column = ColumnSpec;
export const KINDS = FACT_KINDS;
export type Kind = FactKind;

export const isKind = (value: string | null): value is Kind => (KINDS as readonly string[]).includes(value ?? '');

/** The column the search box names: the one besides the reference (capacity snapshots have only the reference). */
export const searchColumn = (kind: Kind): Column => KIND_COLUMNS[kind].find((c) => c.name === SEARCH_COLUMNS[kind].at(-1))!;

/** The filters a kind's records take: the filter dimensions its measures have, as `/meta` says. */
export function kindFilters(meta: Meta, kind: Kind): FilterDimension[] {
  const dimensions = new Set(meta.measures.filter((m) => m.kind === kind).flatMap((m) => m.dimensions));
  return FILTER_DIMENSIONS.filter((d) => dimensions.has(d));
}
