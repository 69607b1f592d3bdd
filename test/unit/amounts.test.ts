import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInYuan } from '../../contract/amounts.js';

describe('amounts as people type them', () => {
  it.each([
    ['12000000', '12000000'],
    ['12,000,000', '12000000'],
    ['1,200,000.50', '1200000.5'],
    ['9000万', '90000000'],
    ['9000万元', '90000000'],
    ['1.2亿', '120000000'],
    ['1.2亿元', '120000000'],
    ['0.5万', '5000'],
    ['1.234567万', '12345.67'],
    ['1.23456789亿', '123456789'],
    ['１２００万', '12000000'],
    ['１，２００，０００．５０', '1200000.5'],
    ['¥1,200,000', '1200000'],
    ['￥ 9 000 万', '90000000'],
    ['1200000元', '1200000'],
    ['0', '0'],
    ['007', '7'],
    ['0.50', '0.5'],
  ])('%s is %s yuan', (typed, yuan) => {
    expect(amountInYuan(typed)).toBe(yuan);
  });

  it.each(['', '万', 'abc', '-5', '1.2.3', '12,00,000', '1,2345', '9000千', '1e6', '1.2 亿 5'])(
    '%s is not an amount (the form sends it as typed and the server says why)',
    (typed) => {
      expect(amountInYuan(typed)).toBeUndefined();
    },
  );

  it('keeps more than two decimals of a yuan, for the server to refuse as such', () => {
    expect(amountInYuan('1.2345')).toBe('1.2345');
    expect(amountInYuan('1.2345678万')).toBe('12345.678');
  });

  it('when any amount in fen is written in yuan, 万 or 亿, then it reads back exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), (fen) => {
        const yuan = `${fen / 100n}${
          fen % 100n
            ? `.${String(fen % 100n)
                .padStart(2, '0')
                .replace(/0$/, '')}`
            : ''
        }`;
        const inUnit = (places: number) => {
          const digits = fen.toString().padStart(places + 3, '0');
          const cut = digits.length - places - 2;
          return `${digits.slice(0, cut)}.${digits.slice(cut)}`;
        };
        expect(amountInYuan(yuan)).toBe(yuan);
        expect(amountInYuan(`${inUnit(4)}万`)).toBe(yuan);
        expect(amountInYuan(`${inUnit(8)}亿元`)).toBe(yuan);
        expect(
          amountInYuan(
            Number(fen / 100n)
              .toLocaleString('en-US')
              .concat(fen % 100n ? yuan.slice(yuan.indexOf('.')) : ''),
          ),
        ).toBe(yuan);
      }),
      { numRuns: 500 },
    );
  });
});
