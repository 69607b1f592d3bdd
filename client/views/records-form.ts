import { amountInYuan } from '../../contract/amounts';
import { html, nothing } from 'lit-html';
import { type ColumnSpec, isNumericColumn, KIND_COLUMNS, KIND_NAMES, mayBeBlank } from '../../contract/record-columns';
import { type Me, type Meta, call, endpoints } from '../api';
import { pick, t } from '../i18n';
import { formatMoment, today } from '../lib/dates';
import { type ControlAttributes, type FormField, input, openFormDialog, select } from '../lib/form-dialog';
import { universityTitle } from '../lib/filters';
import { formatValue } from '../lib/format';
import type { FactKind } from '../../contract/enums';
import type { Labels } from './records-labels';

/** A record as the records API sends it: its columns, its id, and when it was created and last changed. */
export type { RecordRow } from '../../contract/schemas/records';
import type { RecordRow } from '../../contract/schemas/records';

export interface RecordFormOptions {
  kind: FactKind;
  meta: Meta;
  me: Me;
  labels: Labels;
  /** The record to edit; none to create one. */
  record: RecordRow | undefined;
  onSaved(record: RecordRow, created: boolean): void;
}

const PLACEHOLDERS: Partial<Record<ColumnSpec['type'], string>> = {
  money: '1200000.00 / 120万',
  credits: '4.5',
  count: '0',
  term: '2024-2025-1',
};

/** What the select of a column of codes or values offers, its empty choice aside; undefined for another column. */
function choicesOf(column: ColumnSpec, { labels }: RecordFormOptions): Array<{ value: string; label: string }> | undefined {
  const list =
    column.type === 'code' || column.type === 'optional_code'
      ? labels.filterOptions(column.domain ?? 'field')
      : column.type === 'enum' || column.type === 'optional_enum'
        ? labels.options(column.name)
        : undefined;
  return list?.map((o) => ({ value: o.code, label: o.label }));
}

/** The control of one column: selects for codes and values, date and number inputs, text. */
function control(column: ColumnSpec, o: RecordFormOptions, value: string, a: ControlAttributes, fixed: boolean) {
  const { meta } = o;
  const empty = { value: '', label: mayBeBlank(column) ? t('records.form.none') : t('records.form.choose') };
  switch (column.type) {
    case 'code':
    case 'optional_code':
      if (fixed) return select(a, [{ value, label: universityTitle(meta, value) }], value, true);
      return select(a, [empty, ...(choicesOf(column, o) ?? [])], value);
    case 'enum':
    case 'optional_enum':
      return select(a, [empty, ...(choicesOf(column, o) ?? [])], value);
    case 'date':
    case 'optional_date':
      return input(a, value, { type: 'date', max: today() });
    case 'text':
      return input(a, value, {
        maxlength: String(column.maxLength ?? 200),
        list: column.name === 'contract_ref' ? 'payment-contracts' : undefined,
      });
    default:
      return input(a, value, {
        inputmode: column.type === 'count' ? 'numeric' : column.type === 'term' ? undefined : 'decimal',
        placeholder: PLACEHOLDERS[column.type],
        maxlength: column.type === 'term' ? '11' : undefined,
      });
  }
}

/** True when what the form holds is what the record had (1200000 and "1200000.00" are the same amount). */
function same(column: ColumnSpec, before: unknown, after: string | null): boolean {
  const a = before === null || before === undefined ? '' : String(before);
  const b = after ?? '';
  return a === b || (isNumericColumn(column) && a !== '' && b !== '' && Number(a) === Number(b));
}

/**
 * Opens the dialog that creates or edits one record: one labelled field per column the record
 * is written with. The server checks everything; its problems show beside the fields they name.
 * A payment names its contract by ref: the field offers the chosen university's contracts
 * (newest first, with partner, value and what each has received); the server still checks it.
 */
export function openRecordForm(host: HTMLElement, o: RecordFormOptions): void {
  const { kind, record, me } = o;
  const kindName = pick(KIND_NAMES[kind]);
  const columns = KIND_COLUMNS[kind].filter((c) => !c.derived);
  const fields: FormField[] = columns.map((column) => {
    // A steward writes its own university's records only: the field is fixed.
    const fixed = column.name === 'university_code' && me.role === 'steward';
    const initial = record ? String(record[column.name] ?? '') : fixed ? (me.university ?? '') : '';
    return {
      name: column.name,
      label: pick(column.label),
      hint: fixed ? t('records.form.ownUniversity') : pick(column.hint),
      required: !mayBeBlank(column),
      className: `type-${column.type}`,
      choices: choicesOf(column, o),
      control: (a) => control(column, o, initial, a, fixed),
    };
  });

  let contracts: RecordRow[] = [];
  let asked = 0;
  const dialog = openFormDialog(host, {
    title: record
      ? t('records.form.editTitle', { kind: kindName, ref: String(record.ref) })
      : t('records.form.newTitle', { kind: kindName }),
    className: 'record-dialog',
    formClass: 'record-form',
    kind,
    fields,
    intro: () => html`<p class="muted form-legend">${t('records.form.required')}</p>`,
    outro: () =>
      html`${
        kind === 'payment'
          ? html`<datalist id="payment-contracts">${contracts.map(
              (c) =>
                html`<option value=${String(c.ref)}>${t('records.form.contractOption', {
                  partner: String(c.partner_name),
                  signed: String(c.signed_on),
                  value: formatValue(Number(c.contract_value_cny), 'cny', { exact: true }),
                  received: formatValue(Number(c.received_cny), 'cny', { exact: true }),
                })}</option>`,
            )}</datalist>`
          : nothing
      }${record ? html`<p class="muted">${t('records.form.lastChanged', { time: formatMoment(record.updated_at) })}</p>` : nothing}`,
    async submit(form) {
      const values: Record<string, string | null> = {};
      for (const column of columns) {
        const typed = form[column.name] ?? '';
        // An amount may be typed as people write it (9000万, 1.2亿, 12,000,000): it goes as the yuan it means.
        const value =
          typed === '' && mayBeBlank(column) ? null : column.type === 'money' ? (amountInYuan(typed) ?? typed) : typed;
        if (!record || !same(column, record[column.name], value)) values[column.name] = value;
      }
      if (record && Object.keys(values).length === 0) return;
      const saved = record
        ? await call(endpoints.updateRecord, { params: { kind, id: record.id }, body: values })
        : await call(endpoints.createRecord, { params: { kind }, body: values });
      o.onSaved(saved, !record);
    },
  });

  if (kind !== 'payment') return;
  const university = dialog.body.querySelector<HTMLSelectElement>('select[name=university_code]');
  const loadContracts = async (): Promise<void> => {
    const mine = ++asked;
    contracts = [];
    dialog.refresh();
    if (!university?.value) return;
    const params = new URLSearchParams({ university: university.value, pageSize: '1000', sort: '-signed_on' });
    try {
      const answer = await call(endpoints.records, { params: { kind: 'tech_transfer' }, search: params });
      if (mine !== asked) return;
      contracts = answer.rows;
      dialog.refresh();
    } catch {
      // No list: the field still takes a ref typed by hand.
    }
  };
  university?.addEventListener('change', () => void loadContracts());
  void loadContracts();
}
