import { describe, expect, it } from 'vitest';
import {
  reportChange,
  reportChangePoints,
  reportDate,
  reportDelta,
  reportNumber,
  reportPercent,
  reportText,
  reportTime,
  unitText,
} from '../../client/lib/report-format.js';

/** The report's numbers and words, in the language the report is asked for (not the interface's). */
describe("the report's formats", () => {
  it('when a figure is money, then it is in 万元 with two decimals, grouped', () => {
    expect(reportNumber(123_456_789, 'cny', 'en')).toBe('12,345.68');
    expect(reportNumber(123_456_789, 'cny', 'zh')).toBe('12,345.68');
    expect(reportNumber(0, 'cny', 'en')).toBe('0.00');
  });

  it('when a figure is a count, people, credits or a share, then each is written its own way', () => {
    expect(reportNumber(1234, 'count', 'en')).toBe('1,234');
    expect(reportNumber(56, 'people', 'zh')).toBe('56');
    expect(reportNumber(12.5, 'credits', 'en')).toBe('12.5');
    expect(reportNumber(12, 'credits', 'en')).toBe('12');
    expect(reportNumber(0.12345, 'ratio', 'en')).toBe('12.35%');
  });

  it('when there is no figure, then every format writes a dash', () => {
    for (const missing of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(reportNumber(missing, 'count', 'en')).toBe('—');
      expect(reportPercent(missing, 'zh')).toBe('—');
      expect(reportChange(missing, 'en')).toBe('—');
    }
    expect(reportChangePoints(null, 0.5, 'en')).toBe('—');
    expect(reportChangePoints(0.5, null, 'en')).toBe('—');
    expect(reportTime(null, 'zh')).toBe('—');
  });

  it('when a change is up, down or nil, then it carries +, − or ±', () => {
    expect(reportPercent(0.87654, 'en')).toBe('87.7%');
    expect(reportChange(0.125, 'en')).toBe('+12.5%');
    expect(reportChange(-0.03, 'zh')).toBe('−3.0%');
    expect(reportChange(0, 'en')).toBe('±0.0%');
  });

  it('when a difference is signed, then its unit follows unless it is a plain count', () => {
    expect(reportDelta(10_000, 'cny', 'en')).toBe('+1.00 10,000 yuan');
    expect(reportDelta(-10_000, 'cny', 'zh')).toBe('−1.00 万元');
    expect(reportDelta(-3, 'count', 'en')).toBe('−3');
    expect(reportDelta(0, 'people', 'zh')).toBe('±0 人');
  });

  it('when two shares differ, then the difference is in percentage points', () => {
    expect(reportChangePoints(0.1, 0.105, 'en')).toBe('+0.5 pp');
    expect(reportChangePoints(0.2, 0.1, 'zh')).toBe('−10.0 个百分点');
    expect(reportChangePoints(0.3, 0.3, 'en')).toBe('±0.0 pp');
  });

  it('when a unit or a message is asked for, then it is in the report language, placeholders filled', () => {
    expect(unitText('cny', 'zh')).toBe('万元');
    expect(unitText('people', 'en')).toBe('people');
    expect(reportText('en', 'report.col.target', { year: 2025 })).toBe('Target 2025');
    expect(reportText('zh', 'report.col.target', { year: 2025 })).toBe('2025年目标');
    // A placeholder given no value stays visible rather than vanishing.
    expect(reportText('en', 'report.col.target')).toBe('Target {year}');
  });

  it('when a moment is written, then it is Shanghai time, marked as such in each language', () => {
    expect(reportTime('2024-12-31T09:05:00Z', 'en')).toBe('2024-12-31 17:05 (UTC+8)');
    expect(reportTime('2024-12-31T16:30:00Z', 'zh')).toBe('2025-01-01 00:30 （北京时间）');
  });

  it('when the cover dates a report, then it is the day in Shanghai, written as a letter is dated', () => {
    expect(reportDate('2025-03-01', 'zh')).toBe('2025年3月1日');
    expect(reportDate('2025-03-01', 'en')).toBe('1 March 2025');
    // 16:30 UTC on 31 December is already New Year's Day in Shanghai.
    expect(reportDate('2024-12-31T16:30:00Z', 'zh')).toBe('2025年1月1日');
    expect(reportDate('2024-12-31T15:59:00Z', 'en')).toBe('31 December 2024');
  });
});
