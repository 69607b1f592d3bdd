import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type Unit, VALUE_LABELS } from './registry.js';
import { listFields, listRegions, listUniversities } from './references.queries.js';

export type Lang = 'en' | 'zh';

/** Names of every code (universities, regions, fields, enumerated values) in both languages. */
export interface Labels {
  name(domain: 'university' | 'region' | 'field' | 'value', code: string | null): string;
}

export async function loadLabels(db: Kysely<Database>, lang: Lang): Promise<Labels> {
  const [universities, regions, fields] = await Promise.all([listUniversities(db), listRegions(db), listFields(db)]);
  const pick = (row: { name_en: string; name_zh: string }) => (lang === 'zh' ? row.name_zh : row.name_en);
  const maps = {
    university: new Map(universities.map((u) => [u.code, pick(u)])),
    region: new Map(regions.map((r) => [r.code, pick(r)])),
    field: new Map(fields.map((f) => [f.code, pick(f)])),
  };
  return {
    name(domain, code) {
      if (code === null) return '';
      if (domain === 'value') return VALUE_LABELS[code]?.[lang] ?? code;
      return maps[domain].get(code) ?? code;
    },
  };
}

const UNIT_LABEL: Record<Lang, Record<Unit, string>> = {
  en: { count: '', cny: 'CNY', people: 'people', credits: 'credits', ratio: 'share' },
  zh: { count: '项', cny: '元', people: '人', credits: '学分', ratio: '比率' },
};

/** A money amount or a count for people to read: 万元 in Chinese, thousands separators in English. */
export function displayNumber(value: number, unit: Unit, lang: Lang): string {
  if (unit === 'ratio') return `${(value * 100).toFixed(2)}%`;
  if (unit === 'cny' && lang === 'zh') return (value / 10_000).toFixed(2);
  const decimals = unit === 'cny' ? 2 : Number.isInteger(value) ? 0 : 1;
  return value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** A name with its unit, as a header writes it: `合同金额（元）` in Chinese, `Contract value (yuan)` in English. */
export const withUnit = (name: string, unit: string, lang: Lang): string =>
  unit === '' ? name : lang === 'zh' ? `${name}（${unit}）` : `${name} (${unit})`;

/** The unit a column header names: 万元 for formatted Chinese money. */
export function unitLabel(unit: Unit, lang: Lang, formatted: boolean): string {
  if (unit === 'cny' && lang === 'zh' && formatted) return '万元';
  return UNIT_LABEL[lang][unit];
}
