import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportEncoding } from '../../contract/schemas/records.js';
import { detectReading, doubtfulAt, EncodingRefused, ToUtf8 } from '../../server/imports/file-encoding.js';
import { chunked, encodeText, withTabs } from '../helpers/encodings.js';

const folder = mkdtempSync(join(tmpdir(), 'file-encoding-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const fileOf = (bytes: Buffer): string => {
  const path = join(folder, `${++files}.csv`);
  writeFileSync(path, bytes);
  return path;
};

/** What `detectReading` refuses a file with: its message and its errors, or the reading found. */
async function detect(bytes: Buffer, highWaterMark?: number) {
  try {
    return await detectReading(fileOf(bytes), highWaterMark);
  } catch (error) {
    if (!(error instanceof EncodingRefused)) throw error;
    return {
      refused: error.message,
      errors: error.errors.map(({ line, column, code, params }) => ({ line, column, code, params })),
    };
  }
}

/** The file passed through `ToUtf8` in chunks of `size` bytes, as text. */
async function throughToUtf8(bytes: Buffer, encoding: ImportEncoding, size: number): Promise<string> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunked(bytes, size)),
    new ToUtf8(encoding, () => new Error('refused')),
    async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    },
  );
  return Buffer.concat(out).toString('utf8');
}

const HEADER = 'university_code,ref,partner_name';
/** Characters of every width in every encoding: a four-byte GB18030 and UTF-8 one, a UTF-16 pair, line breaks in a quoted cell. */
const TEXT = `${HEADER}\r\nUSST,A-1,上海华创光电\r\nUSST,A-2,"朱镕基 😀 ①ǎ€ ""q"", x\r\nnext line"\r\nUSST,A-3,Acme; =1+2\r\n`;
/** Chunk sizes that cut characters of every width at every place. */
const SIZES = [1, 2, 3, 5, 7, 64 * 1024];

describe('the encodings of an imported file', () => {
  it('when a file is UTF-8, GB18030 or UTF-16 (with its mark), then its encoding is found, whatever the chunks it is read in', async () => {
    for (const encoding of ['utf-8', 'utf-8-bom', 'gb18030', 'utf-16le', 'utf-16be'] as const)
      for (const size of SIZES)
        expect(await detect(encodeText(TEXT, encoding), size), `${encoding} in chunks of ${size}`).toEqual({
          encoding,
          delimiter: 'comma',
        });
  });

  it('when a file passes on as UTF-8, then its text is the same, characters cut across chunks too', async () => {
    for (const encoding of ['utf-8', 'utf-8-bom', 'gb18030', 'utf-16le', 'utf-16be'] as const)
      for (const size of SIZES) {
        const text = await throughToUtf8(encodeText(TEXT, encoding), encoding, size);
        // A UTF-8 file's mark passes on for the parser to take; any other's is left out.
        expect(text.replace(/^\uFEFF/, ''), `${encoding} in chunks of ${size}`).toBe(TEXT);
        expect(text.startsWith('\uFEFF')).toBe(encoding === 'utf-8-bom');
      }
  });

  it('when the header is separated by tabs and holds no comma, then the file is tab-separated, in any encoding', async () => {
    for (const encoding of ['utf-8', 'gb18030', 'utf-16le'] as const) {
      expect(await detect(encodeText(withTabs(TEXT), encoding))).toEqual({ encoding, delimiter: 'tab' });
      // Blank rows above the header, as a spreadsheet may leave, are passed over.
      expect(await detect(encodeText(`\r\n,,\r\n${withTabs(TEXT)}`, encoding))).toEqual({ encoding, delimiter: 'tab' });
    }
    // A header with commas is comma-separated, tabs in it or not: its cells are then named as they are.
    expect(await detect(Buffer.from(`${HEADER}\tx\r\n`))).toEqual({ encoding: 'utf-8', delimiter: 'comma' });
  });

  it('when a GBK file has bytes that are not GBK, then it is refused naming the line, column and byte, for each reading tried', async () => {
    const good = encodeText(`${HEADER}\r\nUSST,A-1,"上海\r\n华创"\r\nUSST,A-2,`, 'gb18030');
    const bytes = Buffer.concat([good, Buffer.from([0x81, 0x20]), Buffer.from('x\r\n')]);
    for (const size of SIZES)
      expect(await detect(bytes, size)).toEqual({
        refused: expect.stringMatching(/not UTF-8, nor GB18030 \(GBK\).*CSV UTF-8/),
        errors: [
          // The first byte that is not UTF-8: the first Chinese character.
          {
            line: 2,
            column: 'partner_name',
            code: 'bytes_not_encoding',
            params: { bytes: 'C9 CF', offset: good.indexOf(0xc9), encoding: 'UTF-8' },
          },
          // A line is a record: the quoted line break does not count.
          {
            line: 3,
            column: 'partner_name',
            code: 'bytes_not_encoding',
            params: { bytes: '81 20', offset: good.length, encoding: 'GB18030' },
          },
        ],
      });
  });

  it('when a Windows-1252 file has an accented letter before a comma, a space or a line end, then it is refused: it is not GB18030', async () => {
    const bytes = Buffer.from(`${HEADER}\r\nUSST,A-1,Acme\r\nUSST,A-2,Café Müller\r\n`, 'latin1');
    const result = await detect(bytes);
    expect(result).toMatchObject({ refused: expect.stringMatching(/Windows-1252.*CSV UTF-8/) });
    expect((result as { errors: unknown[] }).errors).toContainEqual({
      line: 3,
      column: 'partner_name',
      code: 'bytes_not_encoding',
      params: { bytes: 'E9 20', offset: bytes.indexOf(0xe9), encoding: 'GB18030' },
    });
  });

  it('when a Windows-1252 file reads as GB18030 but has an accented letter inside a word, then it is refused showing the text it gives', async () => {
    const bytes = Buffer.from(`${HEADER}\r\nUSST,A-1,Gérard Müller\r\n`, 'latin1');
    for (const size of SIZES)
      expect(await detect(bytes, size)).toMatchObject({
        errors: [
          { line: 2, column: 'partner_name', code: 'bytes_not_encoding', params: { encoding: 'UTF-8' } },
          { line: 2, column: 'partner_name', code: 'gb18030_doubtful', params: { text: 'G閞ard M黮ler' } },
        ],
      });
    // Two accented letters in a row fall in GBK's user-defined codes: private use characters.
    expect(await detect(Buffer.from(`${HEADER}\r\nUSST,A-1,Grüß\r\n`, 'latin1'))).toMatchObject({
      errors: [{ code: 'bytes_not_encoding' }, { code: 'gb18030_doubtful' }],
    });
  });

  it('when Chinese text mixes Latin letters and common or rare characters, then it is not doubted', () => {
    for (const text of ['A股B', '朱镕基', 'iPhone手机', '华为P40', '维C银翘片', 'USST,上海理工大学', '臺積電TSMC', 'Z喆'])
      expect(doubtfulAt(text), text).toBe(-1);
    expect(doubtfulAt('M黮ler')).toBe(1);
    expect(doubtfulAt('蒫ole')).toBe(0);
    expect(doubtfulAt('ab\uE000')).toBe(2);
  });

  it('when a Windows-1252 file has an accented letter at the start or end of a word, then it is refused too', async () => {
    for (const [word, reads] of [
      ['École', '蒫ole'],
      ['appliquée', 'appliqu閑'],
      ['Straße', 'Stra遝'],
    ])
      expect(await detect(Buffer.from(`${HEADER}\r\nUSST,A-1,${word}\r\n`, 'latin1')), word).toMatchObject({
        errors: [
          { code: 'bytes_not_encoding' },
          { line: 2, column: 'partner_name', code: 'gb18030_doubtful', params: { text: reads } },
        ],
      });
  });

  it('when two Windows-1252 accented letters together make a common Chinese character, then the file reads as GB18030: the answer says so', async () => {
    // The limit of the detection, stated in docs/csv.md: the dry run names the encoding it read.
    expect(await detect(Buffer.from(`${HEADER}\r\nUSST,A-1,Nºª 5\r\n`, 'latin1'))).toEqual({
      encoding: 'gb18030',
      delimiter: 'comma',
    });
  });

  it('when a UTF-8 file has a bad byte after some Chinese text, then it is refused as damaged UTF-8, not read as GB18030', async () => {
    const good = Buffer.from(`${HEADER}\r\nUSST,A-1,上海华创\r\nUSST,A-2,`);
    const bytes = Buffer.concat([good, Buffer.from([0xe4, 0x41]), Buffer.from('\r\n')]);
    expect(await detect(bytes)).toEqual({
      refused: expect.stringMatching(/UTF-8 up to a byte that is not/),
      errors: [
        {
          line: 3,
          column: 'partner_name',
          code: 'bytes_not_encoding',
          params: { bytes: 'E4 41', offset: good.length, encoding: 'UTF-8' },
        },
      ],
    });
  });

  it('when a file ends inside a character, or a marked file is not what its mark says, then it is refused naming where', async () => {
    expect(
      await detect(Buffer.concat([encodeText(`${HEADER}\r\nUSST,A-1,上海\r\n`, 'gb18030'), Buffer.from([0xb0])])),
    ).toMatchObject({
      errors: [{ line: 2 }, { line: 3, column: 'university_code', code: 'ends_inside_character' }],
    });
    const loneSurrogate = encodeText(`${HEADER}\r\nUSST,A-1,x\uD800y\r\n`, 'utf-16le');
    expect(await detect(loneSurrogate)).toMatchObject({
      refused: expect.stringMatching(/byte-order mark of UTF-16LE/),
      errors: [{ line: 2, column: 'partner_name', code: 'bytes_not_encoding', params: { encoding: 'UTF-16LE' } }],
    });
    const markedUtf8 = Buffer.concat([
      Buffer.from(`\uFEFF${HEADER}\r\nUSST,A-1,`),
      encodeText('上海', 'gb18030'),
      Buffer.from('\r\n'),
    ]);
    expect(await detect(markedUtf8)).toMatchObject({
      refused: expect.stringMatching(/^The file begins with the byte-order mark of UTF-8 but is not UTF-8 throughout/),
      errors: [{ line: 2, column: 'partner_name', params: { encoding: 'UTF-8' } }],
    });
  });

  it('when a file is UTF-16 without a mark, then it is refused with the hint', async () => {
    expect(await detect(Buffer.from(`${HEADER}\r\nUSST,A-1,x\r\n`, 'utf16le'))).toMatchObject({
      refused: expect.stringMatching(/UTF-16 without a byte-order mark/),
    });
  });

  it('when a GB18030 file has a megabyte without a comma, a space or a line end, then it is refused as too long a row, not held in memory', async () => {
    const bytes = Buffer.concat([encodeText(`${HEADER}\r\nUSST,A-1,上海`, 'gb18030'), Buffer.alloc(1024 * 1024 + 1, 'A')]);
    expect(await detect(bytes)).toMatchObject({
      refused: expect.stringMatching(/larger than a record can be/),
      errors: [{ line: 2, column: 'partner_name', code: 'row_too_long' }],
    });
  });

  it('when a file is empty or only ASCII, then it is UTF-8', async () => {
    expect(await detect(Buffer.alloc(0))).toEqual({ encoding: 'utf-8', delimiter: 'comma' });
    expect(await detect(Buffer.from(`${HEADER}\r\n`))).toEqual({ encoding: 'utf-8', delimiter: 'comma' });
  });
});

describe('the memory a large file takes to read', () => {
  it('when a 96 MB GBK file is refused at its last byte, then finding that reads it through a block at a time, holding far less than the file', async () => {
    const row = encodeText(
      'USST,TT-USST-2024-00017,license,苏州华创光电科技有限公司 "Acme",JS,,OPTO,2024-06-28,1200000.00,0,2\r\n',
      'gb18030',
    );
    const rows = Math.ceil((96 * 1024 * 1024) / row.length);
    const path = join(folder, 'large.csv');
    {
      const bytes = Buffer.alloc(rows * row.length + 1);
      for (let i = 0; i < rows; i++) row.copy(bytes, i * row.length);
      bytes[bytes.length - 1] = 0x81; // a lead byte with nothing after it
      writeFileSync(path, bytes);
    }
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let refused: unknown;
    try {
      await detectReading(path);
    } catch (error) {
      refused = error;
    } finally {
      clearInterval(sampler);
    }
    expect(refused).toBeInstanceOf(EncodingRefused);
    expect((refused as EncodingRefused).errors.at(-1)).toMatchObject({ line: rows + 1, code: 'ends_inside_character' });
    // Held whole, the file would be 96 MB and its text as much again; read a block at a time, the
    // growth is the garbage of the blocks decoded (16 to 26 MB measured, at 48 MB as at 96 MB).
    expect((peak - before) / 1024 / 1024).toBeLessThan(48);
  }, 60_000);
});
