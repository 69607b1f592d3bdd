import { describe, expect, it, vi } from 'vitest';
import * as XLSX from 'xlsx';
import { type ColumnSpec, INPUT_COLUMNS, KIND_NAMES } from '../../contract/record-columns.js';
import { FACT_KINDS } from '../../server/db/schema.js';
import {
  columnLetter,
  type TemplateCodes,
  templateCsv,
  templateWorkbook,
  VALIDATION_LIMITS,
  validationOf,
} from '../../server/imports/import-template.js';
import { withoutClock } from '../../server/imports/xlsx-zip.js';
import { readWorkbook } from '../helpers/xlsx.js';

/** Many universities with long, hostile names: a list written inline would pass Excel's 255 characters many times over. */
const CODES: TemplateCodes = {
  universities: Array.from({ length: 300 }, (_, i) => ({
    code: `U${String(i).padStart(3, '0')}`,
    name: { en: `=HYPERLINK("x") University number ${i} ${'of a long name '.repeat(3)}`, zh: `第${i}大学'"<&>` },
  })),
  regions: ['SH', 'JS', 'ZJ', 'AH', 'OTHER'].map((code) => ({ code, name: { en: code, zh: code } })),
  fields: ['OPTO', 'IT_AI'].map((code) => ({ code, name: { en: code, zh: code } })),
  ownUniversity: null,
};

const attribute = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const unescaped = (text: string): string =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');

describe('the import template workbook', () => {
  it('names columns as Excel does, A to Z, AA to ZZ, AAA', () => {
    for (const i of [0, 1, 25, 26, 27, 51, 52, 701, 702, 16_383])
      expect(columnLetter(i), String(i)).toBe(XLSX.utils.encode_col(i));
  });

  it('keeps every validation within the words Excel allows, whatever a hint says', () => {
    const long: ColumnSpec = {
      ...INPUT_COLUMNS.payment[0]!,
      hint: { en: 'x'.repeat(400), zh: '长'.repeat(400) },
    };
    for (const lang of ['en', 'zh'] as const) {
      const v = validationOf(long, lang, "'Lists'!$A$2:$A$3");
      expect([...(v.prompt ?? '')].length).toBe(VALIDATION_LIMITS.prompt);
      expect(v.prompt!.endsWith('…')).toBe(true);
      for (const kind of FACT_KINDS)
        for (const column of INPUT_COLUMNS[kind]) {
          const w = validationOf(column, lang, "'Lists'!$A$2:$A$3");
          expect([...(w.prompt ?? '')].length).toBeLessThanOrEqual(VALIDATION_LIMITS.prompt);
          expect([...(w.error ?? '')].length).toBeLessThanOrEqual(VALIDATION_LIMITS.error);
          expect([...(w.promptTitle ?? '')].length).toBeLessThanOrEqual(VALIDATION_LIMITS.title);
          expect([...(w.errorTitle ?? '')].length).toBeLessThanOrEqual(VALIDATION_LIMITS.title);
          // Nothing was cut from the contract's own hints: they fit as written.
          expect(w.prompt, `${kind}.${column.name}`).toBe(column.hint[lang]);
        }
    }
  });

  it('lists 300 universities through the Lists sheet, never inline, and their names as text', async () => {
    const book = readWorkbook(await templateWorkbook('credit', 'en', CODES));
    const xml = book.xml(KIND_NAMES.credit.en);
    const formulae = [...xml.matchAll(/<dataValidation\b([^>]*)>[\s\S]*?<formula1>([\s\S]*?)<\/formula1>/g)]
      .filter(([, tag]) => attribute(tag!, 'type') === 'list')
      .map(([, , f]) => unescaped(f!));
    expect(formulae.length).toBe(INPUT_COLUMNS.credit.filter((c) => c.domain).length);
    for (const f of formulae) expect(f).toMatch(/^'Lists'!\$[A-Z]+\$2:\$[A-Z]+\$\d+$/);
    expect(formulae[0]).toBe("'Lists'!$A$2:$A$301");
    const lists = book.grid('Lists');
    expect(lists.slice(1).map((row) => row[0]?.v)).toEqual(CODES.universities.map((u) => u.code));
    // The names, hostile as they are, are text in the instructions; no cell anywhere is a formula.
    for (const sheet of book.book.SheetNames) expect(book.xml(sheet), sheet).not.toMatch(/<f[ >]/);
    const allowed = String(book.grid('Instructions')[1]![4]?.v);
    expect(allowed.startsWith('U000 (=HYPERLINK("x") University number 0')).toBe(true);
  });

  it('is the same bytes for the same codes, written at different times (no clock in it)', async () => {
    // The zip writer stamps each entry with the clock, to two seconds: write a day apart.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T08:00:00Z') });
    try {
      const a = await templateWorkbook('incubation', 'zh', CODES);
      vi.setSystemTime(new Date('2026-03-02T09:30:07Z'));
      const b = await templateWorkbook('incubation', 'zh', CODES);
      expect(Buffer.compare(a, b)).toBe(0);
      // Still a workbook that reads: only the headers' times changed, not the entries or their checksums.
      expect(readWorkbook(b).book.SheetNames).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sets the times of a zip it can read whole, and leaves one it cannot as it was', async () => {
    const whole = await templateWorkbook('credit', 'en', CODES);
    // The last entry of the central directory damaged: the entries before it are found, it is not.
    const damaged = Buffer.from(whole);
    damaged.writeUInt32LE(0, damaged.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    const before = Buffer.from(damaged);
    expect(() => withoutClock(damaged)).toThrow(/not a whole zip/);
    expect(damaged.equals(before)).toBe(true);
    // Cut short: no end record.
    expect(() => withoutClock(Buffer.from(whole.subarray(0, whole.length - 60)))).toThrow(/not a whole zip/);
    expect(() => withoutClock(Buffer.from('not a zip at all'))).toThrow(/not a whole zip/);
  });

  it('as CSV: the header row in the language after a byte-order mark, and nothing else', () => {
    for (const kind of FACT_KINDS) {
      const text = templateCsv(kind, 'zh').toString('utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      expect(text.slice(1).split('\r\n')).toEqual([INPUT_COLUMNS[kind].map((c) => c.zh).join(','), '']);
    }
  });
});
