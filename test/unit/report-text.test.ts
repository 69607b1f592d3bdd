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
