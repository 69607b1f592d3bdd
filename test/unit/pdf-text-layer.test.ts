import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, type PDFRawStream, PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { mendPdfTextLayer, unifyIdeographs, unifyToUnicodeCMap } from '../../server/report/pdf-text-layer.js';

/** A ToUnicode CMap as Chromium writes one: one-byte codes, then the given mapping blocks. */
const cmap = (blocks: string) =>
  [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<00> <FF>',
    'endcodespacerange',
    blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');

/** Source code → text of a CMap, read back the simple way its bfchar blocks are written. */
const bfchars = (text: string) =>
  Object.fromEntries(
    [...text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)]
      .flatMap(([, block]) => [...block!.matchAll(/<([0-9A-F]+)> <([0-9A-F]*)>/g)])
      .map(([, code, hex]) => [
        code,
        String.fromCharCode(...(hex!.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16))),
      ]),
  );

describe('radicals in a text layer, as the ideographs they look like', () => {
  it('when a name is written with the radicals that share its glyphs, then it reads as the name', () => {
    // ⾼ KANGXI RADICAL TALL, ⼯ KANGXI RADICAL WORK, ⻓ CJK RADICAL C-SIMPLIFIED LONG.
    expect(unifyIdeographs('\u2FBC\u6821')).toBe('高校');
    expect(unifyIdeographs('\u2ED3三角')).toBe('长三角');
    expect(unifyIdeographs('浙江\u2F2F业大学')).toBe('浙江工业大学');
    expect(unifyIdeographs('USST (2025)')).toBe('USST (2025)');
  });

  it('when any radical or stroke with an equivalent ideograph is read, then it becomes a Han ideograph', () => {
    let unified = 0;
    for (let cp = 0x2e80; cp <= 0x31ef; cp++) {
      if (cp > 0x2fdf && cp < 0x31c0) continue;
      const char = String.fromCodePoint(cp);
      const out = unifyIdeographs(char);
      if (out === char) continue;
      unified++;
      expect([...out], char).toHaveLength(1);
      expect(out, `U+${cp.toString(16)}`).toMatch(/^\p{Unified_Ideograph}$/u);
    }
    // 214 Kangxi radicals, 114 of the supplement's radicals (all but U+2E80) and 20 of the 36 strokes, per Unicode's table.
    expect(unified).toBe(214 + 114 + 20);
  });
});

describe('a ToUnicode map rewritten', () => {
  it('when a map names radicals in bfchar and both bfrange forms, then every code maps to its ideograph and the others stay', () => {
    const source = cmap(
      [
        '3 beginbfchar',
        '<01> <2FBC>',
        '<02> <0041>',
        '<03> <D835DC00>',
        'endbfchar',
        '2 beginbfrange',
        '<10> <12> <2ED2>',
        '<20> <21> [<2F2F> <0031>]',
        'endbfrange',
      ].join('\n'),
    );
    const out = unifyToUnicodeCMap(source)!;
    expect(out).not.toBeNull();
    expect(bfchars(out)).toEqual({
      '01': '高',
      '02': 'A',
      '03': '\uD835\uDC00',
      '10': '\u9578',
      '11': '长',
      '12': '门',
      '20': '工',
      '21': '1',
    });
    expect(out).toMatch(/^\/CIDInit[\s\S]*<00> <FF>\nendcodespacerange\n8 beginbfchar\n/);
    expect(out).toMatch(/endbfchar\nendcmap\nCMapName currentdict \/CMap defineresource pop\nend\nend$/);
  });

  it('when a map names no radical, then it is left as it was', () => {
    expect(unifyToUnicodeCMap(cmap('2 beginbfchar\n<01> <9AD8>\n<02> <0041>\nendbfchar'))).toBeNull();
  });

  it('when a map has more than 100 mappings, then they are written in blocks of at most 100', () => {
    const lines = Array.from({ length: 250 }, (_, i) => `<${i.toString(16).padStart(2, '0')}> <2F00>`);
    const out = unifyToUnicodeCMap(cmap(`250 beginbfchar\n${lines.join('\n')}\nendbfchar`))!;
    expect([...out.matchAll(/(\d+) beginbfchar/g)].map((m) => Number(m[1]))).toEqual([100, 100, 50]);
    expect(Object.values(bfchars(out)).every((text) => text === '一')).toBe(true);
  });
});

describe('a PDF whose fonts name radicals', () => {
  /** A one-page PDF with two fonts: one whose ToUnicode names radicals and one whose map is clean. */
  async function pdfWithMaps(maps: string[]): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    doc.setTitle('长三角高校 2025', { showInWindowTitleBar: false });
    doc.addPage();
    for (const [i, map] of maps.entries()) {
      const toUnicode = doc.context.register(doc.context.flateStream(map));
      doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: `F${i}`, ToUnicode: toUnicode }));
    }
    return doc.save({ useObjectStreams: false });
  }

  async function toUnicodeMaps(pdf: Uint8Array): Promise<string[]> {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    const maps: string[] = [];
    for (const [, object] of doc.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFDict) || !(object.get(PDFName.of('ToUnicode')) instanceof PDFRef)) continue;
      const stream = doc.context.lookup(object.get(PDFName.of('ToUnicode')) as PDFRef) as PDFRawStream;
      maps.push(Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'));
    }
    return maps;
  }

  it('when it is mended, then its maps name ideographs, its other objects stay, and it reads as a PDF', async () => {
    const radicals = cmap('2 beginbfchar\n<01> <2FBC>\n<02> <2ED3>\nendbfchar');
    const clean = cmap('1 beginbfchar\n<01> <0041>\nendbfchar');
    const pdf = await pdfWithMaps([radicals, clean]);
    const mended = await mendPdfTextLayer(pdf);
    const maps = await toUnicodeMaps(mended);
    expect(maps).toHaveLength(2);
    expect(maps.map(bfchars)).toEqual([{ '01': '高', '02': '长' }, { '01': 'A' }]);
    expect(maps.join('')).not.toMatch(/<2[EF][0-9A-F]{2}>/);
    const reread = await PDFDocument.load(mended, { updateMetadata: false });
    expect(reread.getPageCount()).toBe(1);
    expect(reread.getTitle()).toBe('长三角高校 2025');
    // Each object stays a readable `n 0 obj` (no object streams), as the page count reads them.
    expect(Buffer.from(mended).toString('latin1')).toMatch(/\/Type \/Page\b/);
  });

  it('when no map names a radical, then the bytes are the same', async () => {
    const pdf = await pdfWithMaps([cmap('1 beginbfchar\n<01> <0041>\nendbfchar')]);
    expect(Buffer.compare(await mendPdfTextLayer(pdf), Buffer.from(pdf))).toBe(0);
  });
});
