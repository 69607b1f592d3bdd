import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { MAX_MONEY_CNY } from '../../contract/record-columns.js';
import { dateCell, numberCell, numberFormat } from '../../server/csv/cells.js';
import type { CsvChunks } from '../../server/csv/csv-response.js';
import { sheetName, writeXlsx } from '../../server/csv/xlsx-response.js';

/** Writes one sheet to memory and reads it back with SheetJS. */
async function roundTrip(header: string[], rows: CsvChunks) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const count = await writeXlsx(out, [{ name: 'sheet', header, rows }]);
  const book = XLSX.read(Buffer.concat(chunks), { type: 'buffer', cellNF: true, cellFormula: true });
  return { count, sheet: book.Sheets[book.SheetNames[0]!]! };
}

describe('XLSX cells', () => {
  it('when money is written, then every amount up to the largest a record holds reads back exact to the fen', async () => {
    const amounts = [
      0,
      0.01,
      0.1,
      1.05,
      2.675,
      1234.5,
      99999.99,
      123456789.12,
      9007199254740.99,
      MAX_MONEY_CNY - 0.01,
      MAX_MONEY_CNY,
    ];
    // And a sweep of fen values across the magnitudes.
    for (let e = 0; e <= 12; e++)
      for (const fen of [1, 7, 33, 50, 99]) amounts.push(Number(`${10 ** e + 17}.${String(fen).padStart(2, '0')}`));
    const rows = amounts.map((a) => [numberCell(a.toFixed(2), Number(a.toFixed(2)), '0.00')]);
    const { count, sheet } = await roundTrip(['amount'], [rows]);
    expect(count).toBe(amounts.length);
    amounts.forEach((a, i) => {
      const cell = sheet[XLSX.utils.encode_cell({ r: i + 1, c: 0 })] as XLSX.CellObject;
      expect(cell.t).toBe('n');
      expect((cell.v as number).toFixed(2)).toBe(a.toFixed(2));
    });
  });

  it('when a 万元 format shows yuan, then a reader shows the amount in 万元 to the yuan', () => {
    const format = numberFormat('cny', { formatted: true, lang: 'zh' });
    expect(XLSX.SSF.format(format, 12_345_678.9)).toBe('1234.5679万元');
    expect(XLSX.SSF.format(format, 123)).toBe('0.0123万元');
    expect(XLSX.SSF.format(format, 10_000)).toBe('1.0000万元');
    expect(XLSX.SSF.format(format, 0)).toBe('0.0000万元');
    expect(XLSX.SSF.format(numberFormat('cny', { formatted: true, lang: 'en' }), 1_234_567.5)).toBe('1,234,567.50');
    expect(XLSX.SSF.format(numberFormat('ratio', { formatted: true, lang: 'en' }), 0.12345)).toBe('12.35%');
  });

  it('when text looks like a formula, or holds a carriage return or an escape, then it reads back as the same text, never a formula', async () => {
    const texts = [
      '=1+1',
      '=HYPERLINK("http://x","y")',
      '+1',
      '-1+2',
      '@SUM(A1)',
      '\tx',
      '\rx',
      'a\r\nb',
      'a_x000D_b',
      '_x005F_',
      '<&>"\'',
    ];
    const { sheet } = await roundTrip(['text'], [texts.map((t) => [t])]);
    texts.forEach((t, i) => {
      const cell = sheet[XLSX.utils.encode_cell({ r: i + 1, c: 0 })] as XLSX.CellObject;
      expect(cell.t).toBe('s');
      expect(cell.f).toBeUndefined();
      expect(cell.v).toBe(t);
    });
  });

  it('when a day is written, then it is a date cell of that day', async () => {
    const { sheet } = await roundTrip(['day'], [[[dateCell('2024-02-29')], [dateCell('1999-12-31')]]]);
    const first = sheet.A2 as XLSX.CellObject;
    expect(first.t).toBe('n');
    expect(first.z).toBe('yyyy-mm-dd');
    expect(XLSX.SSF.format('yyyy-mm-dd', first.v as number)).toBe('2024-02-29');
    expect(XLSX.SSF.format('yyyy-mm-dd', (sheet.A3 as XLSX.CellObject).v as number)).toBe('1999-12-31');
  });

  it('when a sheet is named, then the name is one Excel takes: at most 31 characters, none of []:*?/\\, unique', () => {
    const taken = new Set<string>();
    expect(sheetName('a[b]:c*d?e/f\\g', taken)).toBe('a-b--c-d-e-f-g');
    const long = sheetName('学分互认学生人次矩阵'.repeat(5), taken);
    expect([...long]).toHaveLength(31);
    expect(long).toBe(`${'学分互认学生人次矩阵'.repeat(3)}…`);
    // A long name is cut after a whole word, and says it was cut.
    expect(sheetName('Technology transfer contracts by university and year', taken)).toBe('Technology transfer contracts…');
    expect(sheetName('Technology transfer contracts by university and month', taken)).toBe('Technology transfer… (2)');
    expect(sheetName("'quoted'", taken)).toBe('quoted');
    expect(sheetName('Summary', taken)).toBe('Summary');
    expect(sheetName('summary', taken)).toBe('summary (2)');
    expect(sheetName('', taken)).toBe('Sheet');
  });
});
