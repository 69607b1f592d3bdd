import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../client/i18n/index.js';
import {
  formatChange,
  formatChangeOf,
  formatInTableUnit,
  formatPercent,
  formatTick,
  formatValue,
  joinClauses,
  labelled,
  tableUnit,
  unitName,
  withTableUnit,
} from '../../client/lib/format.js';

afterEach(() => setLang('en'));

describe('figures as a person reads them', () => {
  it('when a list or a label is said in a sentence, then its punctuation is the language’s own', () => {
    setLang('zh');
    expect(joinClauses(['必填', '合作方地区必须是以下之一'])).toBe('必填；合作方地区必须是以下之一');
    expect(labelled('合同金额', '1,200.00 元')).toBe('合同金额：1,200.00 元');
    setLang('en');
    expect(joinClauses(['required', 'must be one of'])).toBe('required; must be one of');
    expect(labelled('Contract value', '¥1,200.00')).toBe('Contract value: ¥1,200.00');
    expect(joinClauses([])).toBe('');
  });

  it('when money is shown in English, then it is in yuan with separators, rounded unless exact', () => {
    setLang('en');
    expect(formatValue(1_234_567.891, 'cny')).toBe('¥1.2 m');
    expect(formatValue(1_234_567.891, 'cny', { exact: true })).toBe('¥1,234,567.89');
    expect(formatValue(2_500_000_000, 'cny')).toBe('¥2.50 bn');
    expect(formatValue(999, 'cny')).toBe('¥999');
  });

  it('when money is shown in Chinese, then it is in 万元 and 亿元', () => {
    setLang('zh');
    expect(formatValue(1_234_567.891, 'cny')).toBe('123.5 万元');
    expect(formatValue(250_000_000, 'cny')).toBe('2.50 亿元');
    expect(formatValue(9_999, 'cny')).toBe('9,999 元');
    expect(formatValue(1_234_567.891, 'cny', { exact: true })).toBe('1,234,567.89 元');
  });

  it('when counts, credits and shares are shown, then each keeps its own precision', () => {
    expect(formatValue(12_345, 'count')).toBe('12,345');
    expect(formatValue(12.5, 'credits')).toBe('12.5');
    expect(formatValue(0.4567, 'ratio')).toBe('45.7%');
    expect(formatValue(0.4567, 'ratio', { exact: true })).toBe('45.67%');
    setLang('zh');
    expect(formatValue(12_345, 'people')).toBe('1.2 万');
    expect(formatValue(1_234_567, 'count')).toBe('123 万');
    expect(formatValue(12_345, 'people', { exact: true })).toBe('12,345');
  });

  it.each([null, undefined, Number.NaN, Number.POSITIVE_INFINITY])(
    'when there is no figure (%s), then a dash is shown',
    (value) => {
      expect(formatValue(value, 'cny')).toBe('—');
      expect(formatPercent(value)).toBe('—');
      expect(formatChange(value)).toBe('—');
    },
  );

  it('when an axis is labelled, then its ticks are short, in the language’s scale', () => {
    expect([formatTick(1_500, 'count'), formatTick(2_500_000, 'cny'), formatTick(3e9, 'cny'), formatTick(12, 'count')]).toEqual([
      '1.5k',
      '2.5m',
      '3bn',
      '12',
    ]);
    expect(formatTick(0.25, 'ratio')).toBe('25%');
    setLang('zh');
    expect([formatTick(15_000, 'count'), formatTick(2.5e8, 'cny'), formatTick(1_500, 'count')]).toEqual([
      '1.5万',
      '2.5亿',
      '1500',
    ]);
  });

  it('when a change is shown, then it is signed, relative for amounts and in points for a share', () => {
    expect([formatChange(0.12), formatChange(-0.05), formatChange(0)]).toEqual(['+12.0%', '−5.0%', '±0.0%']);
    expect(formatChangeOf('cny', 112, 100, 0.12)).toBe('+12.0%');
    // A collection rate from 62.4% to 26.4% is 36 points down, not 57.7% down.
    expect(formatChangeOf('ratio', 0.264, 0.624, -0.577)).toBe('−36.0 pp');
    expect(formatChangeOf('ratio', 0.264, null, null)).toBe('—');
    setLang('zh');
    expect(formatChangeOf('ratio', 0.5, 0.25, 1)).toBe('+25.0 个百分点');
  });

  it('when a unit is named, then it is named in the interface’s language', () => {
    expect(unitName('cny')).toBe('yuan');
    expect(formatPercent(0.1234)).toBe('12.3%');
    setLang('zh');
    expect([unitName('cny'), unitName('people'), unitName('count'), unitName('credits')]).toEqual(['元', '人', '项', '学分']);
  });
});

describe('a table’s unit: one per money column, named in its header', () => {
  it('when a table shows money in Chinese, then every cell is in 万元 to the hundred yuan, the exact yuan kept for its title', () => {
    setLang('zh');
    const unit = tableUnit('cny');
    expect(unit.name).toBe('万元');
    expect(unit.scale).toBe(10_000);
    // The same column holds a small and a very large figure: both in 万元, neither switches to 元 or 亿元.
    expect(unit.cell(1_214_456_500)).toBe('121,445.65');
    expect(unit.cell(3_500)).toBe('0.35');
    expect(unit.cell(0)).toBe('0.00');
    expect(unit.exact(1_214_456_500)).toBe('1,214,456,500.00 元');
    expect(withTableUnit('合同金额', 'cny')).toBe('合同金额（万元）');
    expect(formatInTableUnit(1_214_456_500, 'cny')).toBe('121,445.65 万元');
  });

  it('when a table shows money in English, then every cell is in thousands of yuan, named CNY thousand', () => {
    setLang('en');
    const unit = tableUnit('cny');
    expect(unit.name).toBe('CNY thousand');
    expect(unit.scale).toBe(1_000);
    expect(unit.cell(1_214_456_500)).toBe('1,214,456.5');
    expect(unit.cell(-2_450)).toBe('-2.5');
    expect(unit.exact(1_214_456_500)).toBe('¥1,214,456,500.00');
    expect(withTableUnit('Contract value', 'cny')).toBe('Contract value (CNY thousand)');
    expect(formatInTableUnit(12_345, 'cny')).toBe('12.3 CNY thousand');
  });

  it.each(['en', 'zh'] as const)('when a cell of money has no figure in %s, then it shows a dash and no title', (lang) => {
    setLang(lang);
    const unit = tableUnit('cny');
    for (const value of [null, undefined, Number.NaN]) {
      expect(unit.cell(value)).toBe('—');
      expect(unit.exact(value)).toBeNull();
      expect(formatInTableUnit(value, 'cny')).toBe('—');
    }
  });

  it.each(['en', 'zh'] as const)(
    'when a table shows counts, credits or shares in %s, then they need no unit and stay exact',
    (lang) => {
      setLang(lang);
      for (const unit of ['count', 'people', 'credits', 'ratio'] as const) {
        expect(tableUnit(unit).name).toBeNull();
        expect(tableUnit(unit).exact(12_345)).toBeNull();
        expect(withTableUnit('X', unit)).toBe('X');
      }
      // Never 1.2 万 in a table, whatever the language.
      expect(tableUnit('people').cell(12_345)).toBe('12,345');
      expect(tableUnit('ratio').cell(0.4567)).toBe('45.67%');
    },
  );
});
