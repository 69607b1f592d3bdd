import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { MAX_ROW_BYTES, RecordBounds, type RowOutOfBounds } from '../../server/csv/record-bounds.js';

/** Passes `text` through the bounds in chunks of `size` bytes: the error it fails with, or null. */
async function scan(text: string | Buffer, size = 3): Promise<RowOutOfBounds | null> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  const out: Buffer[] = [];
  try {
    await pipeline(Readable.from(chunks), new RecordBounds(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    });
  } catch (error) {
    return error as RowOutOfBounds;
  }
  expect(Buffer.concat(out).equals(bytes)).toBe(true);
  return null;
}

const wide = (cells: number) => Array.from({ length: cells }, () => 'a').join(',');

describe('the bounds of a CSV row', () => {
  it('passes every byte of a file within bounds on unchanged, in chunks of any size', async () => {
    const file = `\uFEFFa,b\r\n"x ""q"", y","line\nbreak"\n${wide(100)}\r${'z'.repeat(MAX_ROW_BYTES)}\r\n`;
    for (const size of [1, 2, 3, 7, 4096]) expect(await scan(file, size)).toBeNull();
  });

  it('counts a row of 101 cells as too wide, on the line it starts, whatever the line ends', async () => {
    for (const end of ['\n', '\r\n', '\r'])
      expect(await scan(`h${end}ok${end}${wide(101)}${end}`)).toMatchObject({
        line: 3,
        cell: 101,
        message: 'the row has more than 100 cells',
      });
  });

  it('does not count commas or line ends inside a quoted cell, doubled quotes included, split across chunks', async () => {
    const cell = `"${',\n'.repeat(200)}""${',\r\n'.repeat(200)}"`;
    for (const size of [1, 2, 5]) expect(await scan(`h\n${cell},b\nnext\n`, size)).toBeNull();
  });

  it('names the line where a row longer than 64 KB starts, and says when it is inside a quoted cell', async () => {
    expect(await scan(`h\n1\n${'x'.repeat(MAX_ROW_BYTES + 1)}\n`, 4096)).toMatchObject({
      line: 3,
      cell: 1,
      message: 'the row is longer than 64 KB',
    });
    expect(await scan(`h\na,b,"open\n${'x'.repeat(MAX_ROW_BYTES)}`, 4096)).toMatchObject({
      line: 2,
      cell: 3,
      message: 'the row is longer than 64 KB (there it is inside a quoted cell: is a closing " missing?)',
    });
  });

  it('names the cell that a separator crossing the bound ends, not the one it begins', async () => {
    // "a," then a cell that fills the row to its bound exactly: the comma after it is the byte too many.
    const long = 'x'.repeat(MAX_ROW_BYTES - 2);
    expect(await scan(`h\na,${long},b\n`, 4096)).toMatchObject({ line: 2, cell: 2 });
    expect(await scan(`h\na,${long}x,b\n`, 4096)).toMatchObject({ line: 2, cell: 2 });
  });

  it('takes a quote inside an unquoted cell as text, as the parser does (which then refuses it itself)', async () => {
    expect(await scan(`h\nab"c,d\n${wide(100)}\n`)).toBeNull();
  });
});
