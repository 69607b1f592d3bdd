import { describe, expect, it } from 'vitest';
import { fromIssueMessage } from '../../contract/problems.js';
import { INPUT_COLUMNS } from '../../contract/record-columns.js';
import { CELL_SCHEMAS, isoDayOf, plainAmount } from '../../server/records/record-schemas.js';
import '../../server/http/text.js';

/** A payment's cells, with one changed: every other cell is valid. */
const payment = (over: Record<string, unknown>) => ({
  university_code: 'USST',
  ref: 'P-1',
  contract_ref: 'C-1',
  received_on: '2024-03-10',
  amount_cny: '1000.00',
  ...over,
});

/** The value a cell is read as, or the code of the problem found in it. */
function read(over: Record<string, unknown>, column: string): { value?: unknown; problem?: string } {
  const result = CELL_SCHEMAS.payment.safeParse(payment(over));
  if (result.success) return { value: (result.data as Record<string, unknown>)[column] };
  const issue = result.error.issues.find((i) => i.path[0] === column);
  expect(issue, JSON.stringify(result.error.issues)).toBeDefined();
  return { problem: fromIssueMessage(issue!.message)?.code ?? issue!.message };
}

describe('cells as a spreadsheet in a Chinese locale saves them', () => {
  it.each([
    ['2024/3/9', '2024-03-09'],
    ['2024/03/09', '2024-03-09'],
    ['2024/12/31', '2024-12-31'],
    ['2024-3-9', '2024-03-09'],
    [' 2024/3/9 ', '2024-03-09'],
  ])('the day %s is read as %s', (written, iso) => {
    expect(read({ received_on: written }, 'received_on')).toEqual({ value: iso });
  });

  it.each([
    ['9/3/2024', 'date_reformatted'],
    ['3/9/2024', 'date_reformatted'],
    ['2024.3.9', 'date_reformatted'],
    ['2024/3-9', 'not_a_date'],
    ['24/3/9', 'date_reformatted'],
    ['2024/2/30', 'no_such_day'],
    ['2024/13/1', 'no_such_day'],
    ['2024/003/9', 'not_a_date'],
    ['2099/1/1', 'in_future'],
  ])('the day %s is refused (%s)', (written, code) => {
    expect(read({ received_on: written }, 'received_on')).toEqual({ problem: code });
  });

  it.each([
    ['1,200,000.00', 1_200_000],
    ['1,200,000', 1_200_000],
    ['1,200,000.5', 1_200_000.5],
    ['999,999.99', 999_999.99],
    ['¥1,200,000.00', 1_200_000],
    ['￥1,200.00', 1200],
    ['¥ 1200.50', 1200.5],
    ['1,200元', 1200],
    ['1200 元', 1200],
    ['10,000,000,000,000.00', 10_000_000_000_000],
  ])('the amount %s is read as %s yuan', (written, yuan) => {
    expect(read({ amount_cny: written }, 'amount_cny')).toEqual({ value: yuan });
  });

  it.each([
    ['1,2,3', 'money_format'],
    ['12,00,000', 'money_format'],
    ['1,2345', 'money_format'],
    ['1.200.000,00', 'money_format'],
    ['1 200 000,00', 'money_format'],
    [',200', 'money_format'],
    ['1,200,', 'money_format'],
    ['$1,200', 'money_format'],
    ['¥¥1,200', 'money_format'],
    ['1,200.005', 'max_decimals'],
    ['-1,200.00', 'above_zero'],
    ['¥-5', 'above_zero'],
    ['10,000,000,000,000.01', 'at_most'],
    ['0.00', 'above_zero'],
  ])('the amount %s is refused (%s)', (written, code) => {
    expect(read({ amount_cny: written }, 'amount_cny')).toEqual({ problem: code });
  });

  it('credits keep refusing thousands separators, with the hint that says so', () => {
    const columns = Object.fromEntries(INPUT_COLUMNS.credit.map((c) => [c.name, '']));
    const result = CELL_SCHEMAS.credit.safeParse({
      ...columns,
      university_code: 'USST',
      ref: 'R',
      host_university_code: 'ZJUT',
      course: 'C',
      term: '2024-2025-1',
      recognized_on: '2025-01-20',
      students: '1',
      credits: '1,000.5',
    });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === 'credits')!;
    expect(fromIssueMessage(issue.message)?.code).toBe('thousands_separators');
  });

  it('the helpers leave what they do not recognise as it was', () => {
    for (const text of ['2024-03-09', '9/3/2024', '2024/3/9/1', '2024/3-9', 'x']) expect(isoDayOf(text)).toBe(text);
    expect(isoDayOf('2024/3/9')).toBe('2024-03-09');
    for (const text of ['1,2,3', '¥¥1', '$5', '1.200,00']) expect(plainAmount(text)).toBe(text);
    expect(plainAmount('¥1,000.50')).toBe('1000.50');
  });
});
