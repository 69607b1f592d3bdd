import { expect } from 'vitest';
import * as XLSX from 'xlsx';
import { unescapeTextCell } from '../../server/csv/cells.js';

/**
 * Workbooks read back by SheetJS, a reader independent of the writer (exceljs): what a person's
 * spreadsheet would find in each cell, and the sheets' own XML for what SheetJS does not model.
 */
export interface ReadWorkbook {
  book: XLSX.WorkBook;
  /** Each sheet's cells by row and column (undefined: no cell). */
  grid(sheet: string): (XLSX.CellObject | undefined)[][];
  /** A sheet's XML as stored in the file. */
  xml(sheet: string): string;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function readWorkbook(bytes: Uint8Array): ReadWorkbook {
  const book = XLSX.read(bytes, { type: 'buffer', cellNF: true, cellFormula: true, bookFiles: true });
  const files = (book as unknown as { files: Record<string, { content: Uint8Array }> }).files;
  const sheetPath = (sheet: string) => {
    const index = book.SheetNames.indexOf(sheet);
    expect(index, sheet).toBeGreaterThanOrEqual(0);
    // exceljs numbers its sheets in order; SheetJS keeps the names in the workbook's order.
    return `xl/worksheets/sheet${index + 1}.xml`;
  };
  return {
    book,
    grid(sheet) {
      const ws = book.Sheets[sheet]!;
      if (!ws['!ref']) return [];
      const range = XLSX.utils.decode_range(ws['!ref']);
      const rows: (XLSX.CellObject | undefined)[][] = [];
      for (let r = 0; r <= range.e.r; r++) {
        const row: (XLSX.CellObject | undefined)[] = [];
        for (let c = 0; c <= range.e.c; c++) row.push(ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined);
        rows.push(row);
      }
      return rows;
    },
    xml(sheet) {
      const file = files[sheetPath(sheet)];
      expect(file, sheet).toBeDefined();
      return Buffer.from(file!.content).toString('utf8');
    },
  };
}

/** What Excel shows of a value in a number format (SheetJS's own formatter). */
export const shown = (format: string, value: number): string => XLSX.SSF.format(format, value);

/** The first row frozen, and no formula anywhere in the sheet. */
export function expectFrozenWithoutFormulas(workbook: ReadWorkbook, sheet: string): void {
  const xml = workbook.xml(sheet);
  expect(xml, sheet).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  expect(xml, sheet).not.toMatch(/<f[ >]/);
  for (const row of workbook.grid(sheet)) for (const cell of row) expect(cell?.f, sheet).toBeUndefined();
}

/** A number as a CSV writes it (`1250.50`, `3`, `0.125000`) read back from a cell: the same digits. */
export function sameNumber(value: number, text: string): boolean {
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  return decimals > 0 ? value.toFixed(decimals) === text : String(value) === text;
}

/**
 * The workbook's sheet holds what the CSV of the same request holds: the same header and text (the
 * CSV's formula guard undone: the workbook stores such text as text), the same numbers as the raw
 * CSV (`raw`, which may be the same file), numbers as numeric cells and days as date cells.
 * Returns the number of numeric cells.
 */
export function expectSameAsCsv(
  label: string,
  grid: (XLSX.CellObject | undefined)[][],
  same: string[][],
  raw: string[][],
): number {
  expect(grid.length, `${label}: rows`).toBe(same.length);
  let numbers = 0;
  for (const [r, row] of same.entries()) {
    for (const [c, text] of row.entries()) {
      const cell = grid[r]?.[c];
      const where = `${label} ${XLSX.utils.encode_cell({ r, c })}`;
      if (text === '') {
        expect(cell?.v ?? '', where).toBe('');
        continue;
      }
      expect(cell, where).toBeDefined();
      if (cell!.t === 'n') {
        numbers++;
        expect(r, `${where}: a header cell is text`).toBeGreaterThan(0);
        const rawText = raw[r]![c]!;
        if (/yyyy-mm-dd/.test(String(cell!.z))) expect(shown('yyyy-mm-dd', cell!.v as number), where).toBe(rawText);
        else expect(sameNumber(cell!.v as number, rawText), `${where}: ${cell!.v} against ${rawText}`).toBe(true);
      } else {
        expect(cell!.t, where).toBe('s');
        expect(cell!.v, where).toBe(unescapeTextCell(text));
      }
    }
  }
  return numbers;
}
