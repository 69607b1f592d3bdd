import { inflateSync } from 'node:zlib';

/**
 * The text of each page of a PDF that Chromium (Skia) wrote, without a PDF library or poppler:
 * objects and their Flate streams, each page's content streams, and each font's ToUnicode CMap
 * to turn glyph codes back into characters. Enough to ask what a page says, not a general reader:
 * text runs are joined with spaces, in the order they are painted.
 */

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const streamAt = body.search(/stream\r?\n/);
    let dict = body;
    let stream: Buffer | null = null;
    if (streamAt >= 0 && body.slice(0, streamAt).trimEnd().endsWith('>>')) {
      dict = body.slice(0, streamAt);
      const dataStart = start + streamAt + (body[streamAt + 6] === '\r' ? 8 : 7);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? -1);
      const raw =
        length >= 0 ? pdf.subarray(dataStart, dataStart + length) : pdf.subarray(dataStart, text.indexOf('endstream', dataStart));
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
    }
    objects.set(Number(match[1]), { dict, stream });
    header.lastIndex = end;
  }
  return objects;
}

type CMap = { bytes: number; map: Map<number, string> };

const hexToString = (hex: string): string => {
  let out = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return out;
};

function parseCMap(source: string): CMap {
  const map = new Map<number, string>();
  const range = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(source);
  const bytes = range ? range[1]!.length / 2 : 2;
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(Number.parseInt(pair[1]!, 16), hexToString(pair[2]!));
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const entry of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const lo = Number.parseInt(entry[1]!, 16);
      const hi = Number.parseInt(entry[2]!, 16);
      const target = entry[3]!;
      if (target.startsWith('[')) {
        const items = [...target.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => hexToString(m[1]!));
        for (const [i, item] of items.entries()) map.set(lo + i, item);
      } else {
        const base = target.slice(1, -1);
        const last = Number.parseInt(base.slice(-4), 16);
        for (let code = lo; code <= hi; code++)
          map.set(code, hexToString(base.slice(0, -4)) + String.fromCharCode(last + code - lo));
      }
    }
  }
  return { bytes, map };
}

const ref = (dict: string, key: string): number | null => {
  const match = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return match ? Number(match[1]) : null;
};

function decodeLiteral(literal: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < literal.length; i++) {
    const c = literal[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const next = literal[++i]!;
    if (/[0-7]/.test(next)) {
      let oct = next;
      while (oct.length < 3 && /[0-7]/.test(literal[i + 1] ?? '')) oct += literal[++i];
      out.push(Number.parseInt(oct, 8));
    } else out.push({ n: 10, r: 13, t: 9, b: 8, f: 12 }[next] ?? next.charCodeAt(0));
  }
  return out;
}

/** The text of every page, in page order. */
export function pdfPageTexts(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const cmaps = new Map<number, CMap>();
  const cmapOf = (fontId: number): CMap | null => {
    if (cmaps.has(fontId)) return cmaps.get(fontId)!;
    const font = objects.get(fontId);
    const toUnicode = font ? ref(font.dict, 'ToUnicode') : null;
    const stream = toUnicode === null ? null : objects.get(toUnicode)?.stream;
    const cmap = stream ? parseCMap(stream.toString('latin1')) : null;
    if (cmap) cmaps.set(fontId, cmap);
    return cmap;
  };
  // Pages in the order of the page tree's Kids.
  const rootPages = [...objects.entries()].find(([, o]) => /\/Type\s*\/Pages/.test(o.dict) && !/\/Parent/.test(o.dict));
  const order: number[] = [];
  const walk = (id: number) => {
    const node = objects.get(id);
    if (!node) return;
    if (/\/Type\s*\/Pages/.test(node.dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node.dict)?.[1] ?? '';
      for (const kid of kids.matchAll(/(\d+) 0 R/g)) walk(Number(kid[1]));
    } else order.push(id);
  };
  if (rootPages) walk(rootPages[0]);
  return order.map((pageId) => {
    const page = objects.get(pageId)!;
    let resources = page.dict;
    const resourcesRef = ref(page.dict, 'Resources');
    if (resourcesRef !== null) resources = objects.get(resourcesRef)?.dict ?? '';
    let fontDict = /\/Font\s*<<([^>]*)>>/.exec(resources)?.[1] ?? '';
    const fontRef = ref(resources, 'Font');
    if (!fontDict && fontRef !== null) fontDict = objects.get(fontRef)?.dict ?? '';
    const fonts = new Map<string, number>([...fontDict.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)].map((m) => [m[1]!, Number(m[2])]));
    const contentIds = /\/Contents\s*\[([^\]]*)\]/.exec(page.dict)?.[1]
      ? [.../\/Contents\s*\[([^\]]*)\]/.exec(page.dict)![1]!.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]))
      : [ref(page.dict, 'Contents')].filter((id): id is number => id !== null);
    const content = contentIds.map((id) => objects.get(id)?.stream?.toString('latin1') ?? '').join('\n');
    return extractText(content, (name) => {
      const id = fonts.get(name);
      return id === undefined ? null : cmapOf(id);
    });
  });
}

function extractText(content: string, cmapFor: (font: string) => CMap | null): string {
  const runs: string[] = [];
  let cmap: CMap | null = null;
  const decode = (codes: number[]): string => {
    if (!cmap) return String.fromCharCode(...codes);
    let out = '';
    for (let i = 0; i + cmap.bytes <= codes.length; i += cmap.bytes) {
      const code = cmap.bytes === 2 ? (codes[i]! << 8) | codes[i + 1]! : codes[i]!;
      out += cmap.map.get(code) ?? '';
    }
    return out;
  };
  const hexCodes = (hex: string) => {
    const clean = hex.replaceAll(/\s+/g, '');
    const codes: number[] = [];
    for (let i = 0; i < clean.length; i += 2) codes.push(Number.parseInt(clean.slice(i, i + 2).padEnd(2, '0'), 16));
    return codes;
  };
  const token = /\/([\w.+-]+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj|\(((?:[^)\\]|\\.)*)\)\s*Tj/g;
  for (let match = token.exec(content); match; match = token.exec(content)) {
    if (match[1] !== undefined) cmap = cmapFor(match[1]);
    else if (match[2] !== undefined) {
      let run = '';
      for (const part of match[2].matchAll(/<([0-9a-fA-F\s]*)>|\(((?:[^)\\]|\\.)*)\)|(-?[\d.]+)/g)) {
        if (part[1] !== undefined) run += decode(hexCodes(part[1]));
        else if (part[2] !== undefined) run += decode(decodeLiteral(part[2]));
        else if (Number(part[3]) < -250) run += ' ';
      }
      runs.push(run);
    } else if (match[3] !== undefined) runs.push(decode(hexCodes(match[3])));
    else if (match[4] !== undefined) runs.push(decode(decodeLiteral(match[4])));
  }
  return runs.join(' ');
}

/**
 * A string of the PDF's document information (`/Title`, `/Subject`, `/Author`), as Chromium writes
 * it: a literal `(…)` in PDFDocEncoding, or UTF-16BE in hex after a byte-order mark `<FEFF…>`.
 * Null when the PDF has none.
 */
export function pdfInfo(pdf: Buffer, key: 'Title' | 'Subject' | 'Author'): string | null {
  const text = pdf.toString('latin1');
  const hex = new RegExp(`/${key}\\s*<([0-9A-Fa-f]+)>`).exec(text);
  if (hex) {
    const bytes = Buffer.from(hex[1]!, 'hex');
    const body = bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2) : bytes;
    return body.swap16().toString('utf16le');
  }
  const literal = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)])*)\\)`).exec(text);
  return literal ? literal[1]!.replaceAll(/\\(.)/g, '$1') : null;
}
