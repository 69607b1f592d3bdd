import { describe, expect, it } from 'vitest';
import { reportEn, reportZh } from '../../client/i18n/report.js';
import { MEASURE_LIST } from '../../server/kpi/registry.js';

describe("the report's own text", () => {
  it('when a measure counts on a date, then the report names that date in both languages', () => {
    for (const measure of MEASURE_LIST) {
      const key = `report.date.${measure.dateColumn}` as keyof typeof reportEn;
      expect(reportEn[key], `${measure.id}: ${key}`).toEqual(expect.any(String));
      expect(reportZh[key], `${measure.id}: ${key}`).toEqual(expect.any(String));
      const unit = `report.unit.${measure.unit}` as keyof typeof reportEn;
      expect(reportEn[unit], `${measure.id}: ${unit}`).toEqual(expect.any(String));
    }
  });
});

describe("the Chinese report's punctuation", () => {
  it('when a Chinese message has a parenthesis, colon, semicolon or comma, then it is full-width', () => {
    // Half-width ones are left only where they are not Chinese prose: a placeholder's braces hold none,
    // and "SHA-256", "CSV", "JSON" have none either, so any half-width mark here is a mistake.
    const halfWidth = Object.entries(reportZh).filter(([, text]) => /[():;]|,(?!\d{3})/.test(text.replaceAll(/\{\w+\}/g, '')));
    expect(halfWidth).toEqual([]);
  });

  it('when an English message and a Chinese one say the same, then both name the same placeholders', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(reportEn) as Array<keyof typeof reportEn>)
      expect(names(reportZh[key]), key).toEqual(names(reportEn[key]));
  });
});
