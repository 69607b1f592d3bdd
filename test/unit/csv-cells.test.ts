import { parse } from 'csv-parse/sync';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvCell, escapeTextCell, numberCell, unescapeTextCell } from '../../server/csv/cells.js';
import { writeCsv } from '../../server/csv/csv-response.js';

const HOSTILE = ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx', '\0x', "'=already", "''+twice"];

describe('the one CSV cell writer', () => {
  it('when a text cell begins with a formula character, then it is written with an apostrophe before it', () => {
    for (const text of HOSTILE) expect(csvCell(text), JSON.stringify(text)).toBe(`'${text}`);
    for (const text of ['Ltd.', '上海某公司', '2024-Q3', "O'Brien", '', ' =spaced', '1+1']) expect(csvCell(text)).toBe(text);
    expect(csvCell(null)).toBe('');
  });

  it('when a cell is a figure, then it is written as it is, a negative number too; a figure that is no number is escaped', () => {
    for (const text of ['0', '1250.50', '-0.125000', '-1250.50', '1,250.5', '-12.5%', '12.5%'])
      expect(csvCell(numberCell(text)), text).toBe(text);
    // The same text as a text cell is escaped: a name "-1" is not a figure.
    expect(csvCell('-1')).toBe("'-1");
    for (const text of ['-1+2', '=1', '+1', '-', '-x']) expect(csvCell(numberCell(text)), text).toBe(`'${text}`);
  });

  it('when escaped text is imported, then exactly what was exported comes back', () => {
    for (const text of [...HOSTILE, 'plain', "'quoted", "'"]) expect(unescapeTextCell(escapeTextCell(text))).toBe(text);
  });

  it('when rows are written, then every text cell and header cell is escaped and figures are not', async () => {
    let written = '';
    const out = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    await writeCsv(out, { bom: false, header: ['name', '=header'] }, [
      [
        ['=cmd|x', numberCell('-3.50')],
        ['@a', null],
      ],
    ]);
    expect(parse(written)).toEqual([
      ['name', "'=header"],
      ["'=cmd|x", '-3.50'],
      ["'@a", ''],
    ]);
  });
});
