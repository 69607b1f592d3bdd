/**
 * Amounts of money as people type them into a form: `12000000`, `12,000,000`, `1,200,000.50`,
 * `9000万`, `1.2亿`, `9000万元`, `¥1,200,000`, in full-width characters too (`９０００万`). The API
 * and the files take the plain decimal in yuan (`90000000`, `1200000.5`); a form turns what was
 * typed into that before it sends it, and the server checks it as it checks any amount.
 */

/** How many places each written unit moves the decimal point: 万 is 10⁴ yuan, 亿 10⁸. */
const SHIFT: Record<string, number> = { 元: 0, 万: 4, 万元: 4, 亿: 8, 亿元: 8 };

const AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万元|亿元|万|亿|元)?$/;

/**
 * The amount typed, as the plain decimal in yuan the API takes; undefined when it is not an
 * amount this understands (then the form sends it as typed, and the server says what is wrong).
 * Exact: the decimal point is moved in the digits, never through floating point.
 */
export function amountInYuan(typed: string): string | undefined {
  const text = typed
    .normalize('NFKC')
    .replaceAll(/[\s_]/g, '')
    .replace(/^[¥￥]/, '');
  const match = AMOUNT.exec(text);
  if (!match) return undefined;
  const shift = SHIFT[match[3] ?? '元'] ?? 0;
  const fraction = match[2] ?? '';
  const whole = `${match[1]!.replaceAll(',', '')}${fraction.slice(0, shift).padEnd(shift, '0')}`.replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(shift).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}
