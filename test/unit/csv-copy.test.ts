import fc from 'fast-check';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CrlfRows } from '../../server/csv/csv-response.js';
import { inlineParameters } from '../../server/db/connect.js';

describe('LF to CRLF outside quotes', () => {
  const convert = (...chunks: string[]) => {
    const rows = new CrlfRows();
    const out = chunks.map((c) => rows.convert(Buffer.from(c)).toString('utf8')).join('');
    return { out, rows: rows.rows };
  };

  it('when rows end with LF, then they end with CRLF and are counted', () => {
    expect(convert('a,b\nc,d\n')).toEqual({ out: 'a,b\r\nc,d\r\n', rows: 2 });
  });

  it('when a quoted cell holds LF or CRLF, then it is left as it is', () => {
    expect(convert('"x\ny",1\n"p\r\nq",2\n')).toEqual({ out: '"x\ny",1\r\n"p\r\nq",2\r\n', rows: 2 });
  });

  it('when quotes are doubled or a chunk ends inside a quoted cell, then the state carries over', () => {
    expect(convert('"a""', '\n""b"', ',c\n')).toEqual({ out: '"a""\n""b",c\r\n', rows: 1 });
    expect(convert('a', '\n', '\n')).toEqual({ out: 'a\r\n\r\n', rows: 2 });
  });

  it('when any text is cut into any chunks, then the result equals a plain byte-by-byte reading', () => {
    const naive = (text: string) => {
      let quoted = false;
      let out = '';
      let rows = 0;
      for (const c of text) {
        if (c === '"') quoted = !quoted;
        if (c === '\n' && !quoted) {
          out += '\r\n';
          rows++;
        } else out += c;
      }
      return { out, rows };
    };
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '"', '\n', '\r', ',', '上'), maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 5 }),
        (text, cuts) => {
          const bytes = Buffer.from(text);
          const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((from, i) => bytes.subarray(from, [...points, bytes.length][i]));
          const rows = new CrlfRows();
          const out = Buffer.concat(chunks.map((c) => rows.convert(c))).toString('utf8');
          expect({ out, rows: rows.rows }).toEqual(naive(text));
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });
});

describe('parameters written into a COPY', () => {
  it('when text and numbers are parameters, then they are quoted literals; $n in the query’s own strings stays', () => {
    const query = CompiledQuery.raw("select '$1' as a, x from t where y = $1 and z in ($2, $3) and w like $10", [
      "O'Brien\\",
      7,
      'b',
      4,
      5,
      6,
      7,
      8,
      9,
      '%$1%',
    ]);
    expect(inlineParameters(query)).toBe(
      "select '$1' as a, x from t where y =  E'O''Brien\\\\' and z in (7, 'b') and w like '%$1%'",
    );
  });

  it('when a parameter is neither text nor a finite number, then it refuses', () => {
    expect(() => inlineParameters(CompiledQuery.raw('select $1', [null]))).toThrow(/neither/);
    expect(() => inlineParameters(CompiledQuery.raw('select $1', [Number.NaN]))).toThrow(/neither/);
    expect(() => inlineParameters(CompiledQuery.raw('select $2', [1]))).toThrow(/no parameter/);
  });
});
