import { describe, expect, it } from 'vitest';
import { positiveInt, readPaging, writePaging } from '../../client/lib/paging.js';

const options = { defaultPageSize: 50, sortable: ['ref', 'signed_on'] };

describe('a paged table’s state in the URL', () => {
  it('when the URL says nothing, then the first page of the default size in the default order', () => {
    expect(readPaging(new URLSearchParams(), options)).toEqual({ page: 1, pageSize: 50, sort: undefined });
  });

  it('when the URL names a page, a size and a sort on a known column, then those, descending with a minus', () => {
    expect(readPaging(new URLSearchParams('page=3&pageSize=25&sort=-signed_on'), options)).toEqual({
      page: 3,
      pageSize: 25,
      sort: '-signed_on',
    });
  });

  it('when the URL is edited by hand, then what makes no sense falls back to the default', () => {
    const read = (query: string) => readPaging(new URLSearchParams(query), { ...options, maxPageSize: 200 });
    expect(read('page=0&pageSize=201&sort=password')).toEqual({ page: 1, pageSize: 50, sort: undefined });
    expect(read('page=-2&pageSize=1e3&sort=--ref')).toEqual({ page: 1, pageSize: 50, sort: undefined });
    expect(read('page=2.5&pageSize=abc')).toEqual({ page: 1, pageSize: 50, sort: undefined });
  });

  it('when the state is written back, then defaults are left out and the rest reads back the same', () => {
    expect(writePaging(new URLSearchParams('kind=credit'), { page: 1, pageSize: 50, sort: undefined }, 50).toString()).toBe(
      'kind=credit',
    );
    const paging = { page: 4, pageSize: 100, sort: 'ref' };
    const written = writePaging(new URLSearchParams(), paging, 50);
    expect(written.toString()).toBe('sort=ref&page=4&pageSize=100');
    expect(readPaging(written, options)).toEqual(paging);
  });

  it('a positive whole number: digits only, within its bounds', () => {
    expect(positiveInt('7', 1)).toBe(7);
    expect(positiveInt(null, 1)).toBe(1);
    expect(positiveInt('0', 5)).toBe(5);
    expect(positiveInt('1001', 5, 1000)).toBe(5);
    expect(positiveInt('0x10', 5)).toBe(5);
  });
});
