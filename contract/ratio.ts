/**
 * A ratio of two sums, exactly: `numerator ÷ denominator` rounded half away from zero to
 * `decimals` places, computed on whole hundredths (both are sums of money in yuan or of counts,
 * exact to the fen), so every engine, the server and a reader of the raw rows get the same digits.
 * Null where the denominator is 0: there is no figure.
 */
export function ratioOf(numerator: number, denominator: number, decimals: number): number | null {
  const n = BigInt(Math.round(numerator * 100));
  const d = BigInt(Math.round(denominator * 100));
  if (d === 0n) return null;
  const negative = n < 0n !== d < 0n;
  const absN = n < 0n ? -n : n;
  const absD = d < 0n ? -d : d;
  const scale = 10n ** BigInt(decimals);
  // round(|n| / |d| × scale): add half of |d| before the integer division.
  const rounded = (absN * scale * 2n + absD) / (absD * 2n);
  const value = Number(rounded) / Number(scale);
  return negative && value !== 0 ? -value : value;
}
