import type { Meta } from '../api';
import { pick } from '../i18n';
import { nameOf, regionName, universityName, universityTitle } from '../lib/filters';
import { formatValue } from '../lib/format';
import type { FilterDimension } from '../../contract/dimension-ids';
import type { ColumnSpec } from '../../contract/record-columns';

/** A key of the records filters: the period, or a dimension. */
export type FilterKey = 'from' | 'to' | FilterDimension;

/** Labels for codes and values, from `/meta`, in the current language. */
export class Labels {
  constructor(readonly meta: Meta) {}

  university = (code: string): string => universityName(this.meta, code);
  region = (code: string): string => regionName(this.meta, code);
  field = (code: string): string => nameOf(this.meta.fields, code);
  value = (dimension: string, code: string): string => this.options(dimension).find((o) => o.code === code)?.label ?? code;

  dimension(id: string): string {
    const found = this.meta.dimensions.find((d) => d.id === id);
    return found ? pick(found.name) : id;
  }

  /** The allowed values of an enumerated dimension, labelled. */
  options(dimension: string): Array<{ code: string; label: string }> {
    return (this.meta.dimensions.find((d) => d.id === dimension)?.values ?? []).map((v) => ({ code: v.code, label: pick(v) }));
  }

  /** The choices of a filter: codes and their labels. */
  filterOptions(dimension: FilterDimension): Array<{ code: string; label: string }> {
    switch (dimension) {
      case 'university':
      case 'partner_university':
        return this.meta.universities.map((u) => ({ code: u.code, label: universityTitle(this.meta, u.code) }));
      case 'region':
      case 'partner_region':
        return this.meta.regions.map((r) => ({ code: r.code, label: this.region(r.code) }));
      case 'field':
        return this.meta.fields.map((f) => ({ code: f.code, label: this.field(f.code) }));
      default:
        return this.options(dimension);
    }
  }

  /** A code by its name in the interface's language: of a university, province or field, or a value of an enumeration. */
  private named(domain: string, code: string): string {
    switch (domain) {
      case 'university':
      case 'partner_university':
        return this.university(code);
      case 'region':
      case 'partner_region':
        return this.region(code);
      case 'field':
        return this.field(code);
      default:
        return this.value(domain, code);
    }
  }

  /** How a filter's value reads on its chip: a day as it is, a code by its name. */
  filterValue(key: FilterKey, code: string): string {
    return key === 'from' || key === 'to' ? code : this.named(key, code);
  }

  /** A record's cell as shown: names for codes, money and counts formatted. */
  cell(column: ColumnSpec, value: unknown): string {
    if (value === null || value === undefined || value === '') return '—';
    const text = String(value);
    switch (column.type) {
      case 'code':
      case 'optional_code':
        return this.named(column.domain ?? 'field', text);
      case 'enum':
      case 'optional_enum':
        // An enumerated column's values are labelled under the dimension of its name.
        return this.value(column.name, text);
      case 'money':
      case 'count':
      case 'credits':
        return formatValue(Number(value), column.type === 'money' ? 'cny' : column.type, { exact: true });
      default:
        return text;
    }
  }
}
