/**
 * A paged list's state in the URL: page, size and sort, read with defaults for what is missing
 * or makes no sense, and written back without the defaults. Pure, so that it is unit tested.
 */
export interface Paging {
  page: number;
  pageSize: number;
  /** A column's key, `-` in front for descending; undefined for the list's default order. */
  sort: string | undefined;
}

/** A positive whole number from the URL, or the default. */
export function positiveInt(value: string | null, fallback: number, max = 1_000_000): number {
  if (!value || !/^\d{1,9}$/.test(value)) return fallback;
  const n = Number(value);
  return n >= 1 && n <= max ? n : fallback;
}

/** The paging a URL names; a sort on a column not in `sortable` is dropped. */
export function readPaging(
  params: URLSearchParams,
  options: { defaultPageSize: number; maxPageSize?: number; sortable: readonly string[] },
): Paging {
  const sort = params.get('sort') ?? '';
  return {
    page: positiveInt(params.get('page'), 1),
    pageSize: positiveInt(params.get('pageSize'), options.defaultPageSize, options.maxPageSize ?? 1000),
    sort: options.sortable.includes(sort.replace(/^-/, '')) ? sort : undefined,
  };
}

/** Writes the paging into URL parameters, defaults left out so that URLs stay short. */
export function writePaging(params: URLSearchParams, paging: Paging, defaultPageSize: number): URLSearchParams {
  if (paging.sort) params.set('sort', paging.sort);
  if (paging.page !== 1) params.set('page', String(paging.page));
  if (paging.pageSize !== defaultPageSize) params.set('pageSize', String(paging.pageSize));
  return params;
}
