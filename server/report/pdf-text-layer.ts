import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';

/**
 * The Chinese report's PDF must say, when searched or copied, the characters it shows. Chromium
 * (Skia) writes each font's ToUnicode map from the font's own character map, taking for a glyph the
 * lowest code point that draws with it. Noto Sans CJK draws the radicals with the glyphs of the
 * ideographs they look like (⾼ U+2FBC and 高 U+9AD8, ⻓ U+2ED3 and 长 U+957F), so the print looks
 * right while the text layer says ⾼校 and ⻓三角: search fails for four of five member names.
 *
 * The fix is to the map, not the font: every radical or stroke a ToUnicode map names is replaced by
 * its equivalent unified ideograph, as Unicode defines it (the Equivalent_Unified_Ideograph
 * property). The report writes no radical on purpose, so nothing it means is lost.
 */

/**
 * Unicode's EquivalentUnifiedIdeograph.txt for the CJK Radicals Supplement and CJK Strokes blocks
 * (the Kangxi Radicals block U+2F00–U+2FD5 maps by NFKC and is not listed): `from[..to] ideograph`,
 * in hexadecimal. Characters without an equivalent (U+2E80, several strokes) stay as they are.
 */
const EQUIVALENTS = `
2E81 5382 2E82 4E5B 2E83 4E5A 2E84 4E59 2E85 4EBB 2E86 5182 2E87 20628 2E88 5200 2E89 5202 2E8A 535C
2E8B 353E 2E8C..2E8D 5C0F 2E8E 5140 2E8F 5C23 2E90 5C22 2E91 21BC2 2E92 5DF3 2E93 5E7A 2E94 5F51
2E95 5F50 2E96 5FC4 2E97 5FC3 2E98 624C 2E99 6535 2E9B 65E1 2E9C 65E5 2E9D 6708 2E9E 6B7A 2E9F 6BCD
2EA0 6C11 2EA1 6C35 2EA2 6C3A 2EA3 706C 2EA4..2EA5 722B 2EA6 4E2C 2EA7 725B 2EA8 72AD 2EA9 738B
2EAA 24D14 2EAB 76EE 2EAC 793A 2EAD 793B 2EAE 25AD7 2EAF 7CF9 2EB0 7E9F 2EB1 7F53 2EB2 7F52 2EB3 34C1
2EB4 5197 2EB5 2626B 2EB6 7F8A 2EB7 2634C 2EB8 2634B 2EB9 8002 2EBA 8080 2EBB 807F 2EBC 8089
2EBD 26951 2EBE..2EC0 8279 2EC1 864E 2EC2 8864 2EC3 8980 2EC4 897F 2EC5 89C1 2EC6 89D2 2EC7 278B2
2EC8 8BA0 2EC9 8D1D 2ECA 27FB7 2ECB 8F66 2ECC..2ECE 8FB6 2ECF 9091 2ED0 9485 2ED1 9577 2ED2 9578
2ED3 957F 2ED4 95E8 2ED5 28E0F 2ED6 961D 2ED7 96E8 2ED8 9752 2ED9 97E6 2EDA 9875 2EDB 98CE 2EDC 98DE
2EDD 98DF 2EDE 2967F 2EDF 98E0 2EE0 9963 2EE1 29810 2EE2 9A6C 2EE3 9AA8 2EE4 9B3C 2EE5 9C7C 2EE6 9E1F
2EE7 5364 2EE8 9EA6 2EE9 9EC4 2EEA 9EFE 2EEB 6589 2EEC 9F50 2EED 6B6F 2EEE 9F7F 2EEF 7ADC 2EF0 9F99
2EF1 9F9C 2EF2 4E80 2EF3 9F9F
31C6 200CC 31CF 4E40 31D0 4E00 31D1 4E28 31D2..31D3 4E3F 31D4 4E36 31D5 200CD 31D6 4E5B 31D7 200CA
31D8 200CE 31D9 2010C 31DA 4E85 31DB 21FE8 31DC 200CB 31DD 4E40 31DE 200D1 31DF 4E5A 31E0 4E59
31E1 2010E`;

const SUPPLEMENT = new Map<number, number>();
for (const [, from, to, ideograph] of EQUIVALENTS.matchAll(/([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s+([0-9A-F]+)/g)) {
  for (let cp = Number.parseInt(from!, 16); cp <= Number.parseInt(to ?? from!, 16); cp++)
    SUPPLEMENT.set(cp, Number.parseInt(ideograph!, 16));
}

/** `text` with every radical and stroke that has an equivalent unified ideograph replaced by it. */
export function unifyIdeographs(text: string): string {
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp >= 0x2f00 && cp <= 0x2fd5) out += char.normalize('NFKC');
    else out += SUPPLEMENT.has(cp) ? String.fromCodePoint(SUPPLEMENT.get(cp)!) : char;
  }
  return out;
}

/** UTF-16BE hex, as a CMap writes a destination string, and back. */
const fromUtf16Hex = (hex: string) =>
  String.fromCharCode(...(hex.match(/[0-9A-Fa-f]{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)));
const toUtf16Hex = (text: string) =>
  [...Array(text.length).keys()].map((i) => text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')).join('');

/**
 * A ToUnicode CMap with its destinations unified, or null when it names no radical. Every mapping
 * (`bfchar`, and both forms of `bfrange`) is read into source code → text and written back as
 * `bfchar` blocks of at most 100 entries (the CMap format's limit), in the codespace it had.
 */
export function unifyToUnicodeCMap(cmap: string): string | null {
  const mappings = new Map<string, string>();
  const width = (/begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(cmap)?.[1] ?? '0000').length;
  const code = (n: number) => n.toString(16).toUpperCase().padStart(width, '0');
  for (const [, body] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, source, target] of body!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g))
      mappings.set(code(Number.parseInt(source!, 16)), fromUtf16Hex(target!));
  for (const [, body] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, target] of body!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])/g)) {
      const first = Number.parseInt(lo!, 16);
      const last = Number.parseInt(hi!, 16);
      const listed = target!.startsWith('[') ? [...target!.matchAll(/<([0-9A-Fa-f]*)>/g)].map((m) => fromUtf16Hex(m[1]!)) : null;
      const start = listed ? '' : fromUtf16Hex(target!.slice(1, -1));
      for (let source = first; source <= last; source++) {
        const offset = source - first;
        // The incremented form adds the offset to the destination's last UTF-16 unit.
        const text = listed
          ? listed[offset]
          : start.slice(0, -1) + String.fromCharCode(start.charCodeAt(start.length - 1) + offset);
        if (text !== undefined) mappings.set(code(source), text);
      }
    }
  }
  let changed = false;
  const entries = [...mappings].map(([source, text]) => {
    const unified = unifyIdeographs(text);
    if (unified !== text) changed = true;
    return `<${source}> <${toUtf16Hex(unified)}>`;
  });
  if (!changed) return null;
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar`);
  }
  const head = cmap.slice(0, cmap.search(/\d+\s+begin(?:bfchar|bfrange)/));
  const tail = cmap.slice(cmap.lastIndexOf('endcmap'));
  return `${head}${blocks.join('\n')}\n${tail}`;
}

/** The PDF with every font's ToUnicode map unified; the same bytes when no map names a radical. */
export async function mendPdfTextLayer(pdf: Uint8Array): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  let mended = 0;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    const ref = object.get(PDFName.of('ToUnicode'));
    if (!(ref instanceof PDFRef)) continue;
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream)) continue;
    const unified = unifyToUnicodeCMap(Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'));
    if (unified === null) continue;
    doc.context.assign(ref, doc.context.flateStream(unified));
    mended++;
  }
  if (mended === 0) return Buffer.from(pdf);
  // Without object streams: every object stays readable as `n 0 obj … endobj`, as Chromium wrote it.
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}
