import { describe, expect, it } from 'vitest';
import { drillAccess } from '../../client/lib/drill.js';
import { locationOf, parseLocation, VIEW_ACCESS, VIEW_NAMES } from '../../client/view.js';

describe('the URL as the client’s only state', () => {
  it('when a hash names a view and its state, then both are read', () => {
    const { view, params } = parseLocation('#/universities?grain=year&university=USST%2CUJS');
    expect(view).toBe('universities');
    expect(Object.fromEntries(params)).toEqual({ grain: 'year', university: 'USST,UJS' });
  });

  it.each(['', '#', '#/', 'overview', '#/Overview', '#overview?a=b'])('when the hash is %j, then no view is named', (hash) => {
    const { view } = parseLocation(hash);
    expect(VIEW_NAMES as readonly string[]).not.toContain(view);
  });

  it('when a location is written, then empty values are left out and it parses back to the same state', () => {
    const hash = locationOf('trends', { from: '2024-01-01', university: '', region: undefined, measures: 'a.b,c.d' });
    expect(hash).toBe('#/trends?from=2024-01-01&measures=a.b%2Cc.d');
    expect(Object.fromEntries(parseLocation(hash).params)).toEqual({ from: '2024-01-01', measures: 'a.b,c.d' });
    expect(locationOf('members', {})).toBe('#/members');
    // Given as URLSearchParams, the state is kept as it is, empty values too.
    expect(locationOf('records', new URLSearchParams('q=&page=2'))).toBe('#/records?q=&page=2');
  });

  it('when the views are listed by role, then records are never the commission’s and admin is the admin’s alone', () => {
    expect(VIEW_ACCESS.records).not.toContain('commission');
    expect(VIEW_ACCESS.reporting).not.toContain('commission');
    expect(VIEW_NAMES.filter((v) => VIEW_ACCESS[v].includes('admin'))).toEqual(VIEW_NAMES);
    expect(VIEW_NAMES.filter((v) => !VIEW_ACCESS[v].includes('leadership'))).toEqual(['admin']);
  });
});

describe('what a click on a figure opens', () => {
  const steward = { role: 'steward' as const, university: 'USST' };

  it('when admin or leadership click, then the records open whatever the figure', () => {
    for (const role of ['admin', 'leadership'] as const) {
      expect(drillAccess({ role, university: null }, { university: 'UJS' }).records).toBe(true);
      expect(drillAccess({ role, university: null }, {}).records).toBe(true);
    }
  });

  it('when the commission clicks, then it gets the count, never the records', () => {
    expect(drillAccess({ role: 'commission', university: null }, { university: 'USST' })).toEqual({
      records: false,
      own: null,
      ownPart: false,
    });
  });

  it('when a steward clicks its own university’s figure, then its records open', () => {
    expect(drillAccess(steward, { university: 'USST', region: 'SH' }).records).toBe(true);
  });

  it('when a steward clicks a figure that includes others, then it gets the count and the way to its own part', () => {
    expect(drillAccess(steward, {})).toEqual({ records: false, own: 'USST', ownPart: true });
    expect(drillAccess(steward, { university: 'USST,UJS' })).toEqual({ records: false, own: 'USST', ownPart: true });
  });

  it('when a steward clicks another university’s figure, then it gets the count alone', () => {
    expect(drillAccess(steward, { university: 'UJS' })).toEqual({ records: false, own: 'USST', ownPart: false });
  });
});
