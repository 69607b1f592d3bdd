import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnLetters, columnOf, isDateFormat, plainDecimal, readCell, serialDay } from '../../server/imports/xlsx-workbook.js';

/** Days between two ISO dates, counted with the calendar of `Date` (independent of serial numbers). */
const daysFrom = (from: string, to: string): number =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

describe('reading a workbook cell', () => {
  it('when a number is written out, then it is its shortest round-trip decimal, never in exponent form', () => {
    expect(plainDecimal(1.23e5)).toBe('123000');
    expect(plainDecimal(1e21)).toBe(`1${'0'.repeat(21)}`);
    expect(plainDecimal(1.5e-7)).toBe('0.00000015');
    expect(plainDecimal(-2.5e-8)).toBe('-0.000000025');
    expect(plainDecimal(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(plainDecimal(123)).toBe('123');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = plainDecimal(n);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 2000 },
    );
  });

  it('when a serial number is a day, then it counts from 1900-01-01 as 1, with 60 the 29 February 1900 that never was; or from 1904-01-01 as 0', () => {
    expect(serialDay(1, false)).toBe('1900-01-01');
    expect(serialDay(59, false)).toBe('1900-02-28');
    expect(serialDay(60, false)).toBeNull();
    expect(serialDay(61, false)).toBe('1900-03-01');
    expect(serialDay(45366, false)).toBe('2024-03-15');
    expect(serialDay(45366.75, false)).toBe('2024-03-15');
    expect(serialDay(0, false)).toBeNull();
    expect(serialDay(-1, false)).toBeNull();
    expect(serialDay(0, true)).toBe('1904-01-01');
    expect(serialDay(45366 - 1462, true)).toBe('2024-03-15');
    expect(serialDay(-1, true)).toBeNull();
    // From 1 March 1900 on, a serial is the days since 1899-12-30, counted by the calendar.
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 2_958_465 }), (serial) => {
        const day = serialDay(serial, false)!;
        expect(daysFrom('1899-12-30', day)).toBe(serial);
        expect(serialDay(serial - 1462, true)).toBe(serial - 1462 >= 0 ? day : null);
      }),
    );
  });

  it('when a number format shows a day or a time, then it is a date format; a number, text or colour format is not', () => {
    for (const format of ['yyyy-mm-dd', 'd/m/yy', 'h:mm', 'mmm d, yyyy', '[$-804]yyyy"年"m"月"d"日"', 'yyyy/m/d;@'])
      expect(isDateFormat(format), format).toBe(true);
    for (const format of ['General', '0.00', '#,##0', '[Red]0.00', '"day" 0', '0.00"万元"', '0%', '@', '0.00E+00'])
      expect(isDateFormat(format), format).toBe(false);
  });

  it('when a column is named by letters, then its index and its letters go both ways up to XFD', () => {
    expect(columnLetters(0)).toBe('A');
    expect(columnLetters(25)).toBe('Z');
    expect(columnLetters(26)).toBe('AA');
    expect(columnLetters(16383)).toBe('XFD');
    for (let i = 0; i < 16384; i++) expect(columnOf(`${columnLetters(i)}12`)).toBe(i);
  });

  it('when a cell does not fit its column, then it is a problem of that cell, not a guess', () => {
    expect(readCell({ kind: 'number', value: 45366, date: true }, 'text', false)).toEqual({
      problem: { code: 'xlsx_date_not_expected', params: {} },
    });
    expect(readCell({ kind: 'number', value: 45366, date: true }, 'date', false)).toEqual({ text: '2024-03-15' });
    expect(readCell({ kind: 'number', value: 45366, date: false }, 'optional_date', false)).toEqual({ text: '2024-03-15' });
    expect(readCell({ kind: 'number', value: 1234.5, date: false }, 'money', false)).toEqual({ text: '1234.5' });
    expect(readCell({ kind: 'text', text: '00123' }, 'text', false)).toEqual({ text: '00123' });
    expect(readCell({ kind: 'bool', value: true }, 'text', false)).toEqual({ text: 'TRUE' });
    expect(readCell({ kind: 'error', text: '#N/A' }, 'count', false)).toEqual({
      problem: { code: 'xlsx_error_value', params: { value: '#N/A' } },
    });
    expect(readCell({ kind: 'uncached' }, 'count', false)).toEqual({
      problem: { code: 'xlsx_formula_without_value', params: {} },
    });
    expect(readCell({ kind: 'iso-date', text: '2024-03-15T00:00:00' }, 'date', false)).toEqual({ text: '2024-03-15' });
  });
});
