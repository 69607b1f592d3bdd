import { type Me, type Meta, request } from '../api';
import { formatValue } from '../lib/format';
import { element } from '../dom';
import { pick, t } from '../i18n';
import { type Column, isNumeric, KIND_COLUMNS, KIND_NAMES, type Kind } from './records-columns';
import type { Labels } from './records-labels';
import { allianceToday, type Control, type Field, field, formErrorBox, locale, openDialog, showProblems } from './records-ui';

/** A record as the records API sends it: its columns, its id, and when it was created and last changed. */
export type RecordRow = { id: number; created_at: string; updated_at: string } & Record<string, string | number | null>;

export interface RecordFormOptions {
  kind: Kind;
  meta: Meta;
  me: Me;
  labels: Labels;
  /** The record to edit; none to create one. */
  record: RecordRow | undefined;
  onSaved(record: RecordRow, created: boolean): void;
}

const isOptional = (column: Column): boolean =>
  column.type === 'optional_code' || column.type === 'optional_date' || column.optional === true;

function select(options: Array<{ value: string; label: string }>, value: string): HTMLSelectElement {
  const control = element('select');
  for (const option of options) {
    const node = element('option', { value: option.value }, option.label);
    if (option.value === value) node.selected = true;
    control.append(node);
  }
  // A value the lists do not know (a code since removed) stays visible rather than silently replaced.
  if (value && !options.some((o) => o.value === value)) {
    const node = element('option', { value }, value);
    node.selected = true;
    control.append(node);
  }
  return control;
}

/** The control of one column: selects for codes and values, date and number inputs, text. */
function controlFor(column: Column, options: RecordFormOptions, value: string): Control {
  const { meta, me, labels } = options;
  const empty = isOptional(column) ? t('records.form.none') : t('records.form.choose');
  switch (column.type) {
    case 'code':
    case 'optional_code': {
      if (column.domain === 'university' && column.name === 'university_code' && me.role === 'steward') {
        // A steward writes its own university's records only: the field is fixed.
        const own = me.university ?? '';
        const control = select([{ value: own, label: `${own} · ${labels.university(own)}` }], own);
        control.disabled = true;
        return control;
      }
      const list =
        column.domain === 'university'
          ? meta.universities.map((u) => ({ value: u.code, label: `${u.code} · ${labels.university(u.code)}` }))
          : column.domain === 'region'
            ? meta.regions.map((r) => ({ value: r.code, label: labels.region(r.code) }))
            : meta.fields.map((f) => ({ value: f.code, label: labels.field(f.code) }));
      return select([{ value: '', label: empty }, ...list], value);
    }
    case 'enum':
      return select(
        [{ value: '', label: empty }, ...labels.options(column.dimension!).map((o) => ({ value: o.code, label: o.label }))],
        value,
      );
    case 'date':
    case 'optional_date':
      return element('input', { type: 'date', max: allianceToday(), value });
    case 'money':
      return element('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', value, placeholder: '1200000.00' });
    case 'credits':
      return element('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', value, placeholder: '4.5' });
    case 'count':
      return element('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', value, placeholder: '0' });
    case 'term':
      return element('input', { type: 'text', autocomplete: 'off', value, placeholder: '2024-2025-1', maxlength: '11' });
    case 'text':
      return element('input', { type: 'text', autocomplete: 'off', value, maxlength: String(column.maxLength ?? 200) });
  }
}

/** The value a control holds, as the API takes it: text as typed (the server checks it), empty optional fields as null. */
function controlValue(column: Column, control: Control): string | null {
  const text = control.value.trim();
  return text === '' && isOptional(column) ? null : text;
}

/** True when what the form holds is what the record had (1200000 and "1200000.00" are the same amount). */
function same(column: Column, before: unknown, after: string | null): boolean {
  const a = before === null || before === undefined ? '' : String(before);
  const b = after ?? '';
  if (a === b) return true;
  if (isNumeric(column) && a !== '' && b !== '' && Number.isFinite(Number(b))) return Number(a) === Number(b);
  return false;
}

/**
 * A payment names its contract by ref: the field offers the university's contracts (newest first),
 * each with its partner, value and what it has received, so a steward picks one instead of copying
 * its ref from the other tab. The list follows the university chosen; the server still checks the ref.
 */
function offerContracts(grid: HTMLElement, fields: Map<string, Field>): void {
  const input = fields.get('contract_ref')?.control;
  const university = fields.get('university_code')?.control;
  if (!(input instanceof HTMLInputElement) || !university) return;
  const list = element('datalist', { id: 'payment-contracts' });
  input.setAttribute('list', list.id);
  grid.append(list);
  let asked = 0;
  const load = async (): Promise<void> => {
    const code = university.value;
    const mine = ++asked;
    list.replaceChildren();
    if (!code) return;
    const params = new URLSearchParams({ university: code, pageSize: '1000', sort: '-signed_on' });
    try {
      const answer = await request<{ rows: RecordRow[] }>('GET', `/records/tech_transfer?${params}`);
      if (mine !== asked) return;
      list.replaceChildren(
        ...answer.rows.map((c) =>
          element(
            'option',
            { value: String(c.ref) },
            t('records.form.contractOption', {
              partner: String(c.partner_name),
              signed: String(c.signed_on),
              value: formatValue(Number(c.contract_value_cny), 'cny', { exact: true }),
              received: formatValue(Number(c.received_cny), 'cny', { exact: true }),
            }),
          ),
        ),
      );
    } catch {
      // No list: the field still takes a ref typed by hand.
    }
  };
  university.addEventListener('change', () => void load());
  void load();
}

/**
 * Opens the dialog that creates or edits one record: one labelled field per column. The server
 * checks everything; its problems are shown beside the fields they name (`body.received_cny`),
 * the rest at the top of the form.
 */
export function openRecordForm(host: HTMLElement, options: RecordFormOptions): void {
  const { kind, record, me } = options;
  const kindName = pick(KIND_NAMES[kind]);
  const { body, close } = openDialog(host, {
    title: record
      ? t('records.form.editTitle', { kind: kindName, ref: String(record.ref) })
      : t('records.form.newTitle', { kind: kindName }),
    className: 'record-dialog',
  });
  const fields = new Map<string, Field>();
  const grid = element('div', { class: 'form-grid' });
  for (const column of KIND_COLUMNS[kind].filter((c) => !c.derived)) {
    const initial =
      record !== undefined
        ? String(record[column.name] ?? '')
        : column.name === 'university_code' && me.role === 'steward'
          ? (me.university ?? '')
          : '';
    const control = controlFor(column, options, initial);
    const fixed = control.disabled;
    const hint = fixed ? t('records.form.ownUniversity') : pick(column.hint);
    const f = field(column.name, pick(column.label), control, { hint, required: !isOptional(column) });
    f.wrapper.classList.add(`type-${column.type}`);
    fields.set(column.name, f);
    grid.append(f.wrapper);
  }
  if (kind === 'payment') offerContracts(grid, fields);
  const problems = formErrorBox();
  const save = element('button', { type: 'submit', class: 'primary', 'data-action': 'save' }, t('records.form.save'));
  const cancel = element('button', { type: 'button', class: 'secondary' }, t('records.dialog.cancel'));
  cancel.addEventListener('click', close);
  const form = element(
    'form',
    { class: 'record-form', novalidate: '', 'data-kind': kind },
    problems,
    element('p', { class: 'muted form-legend' }, t('records.form.required')),
    grid,
    ...(record
      ? [
          element(
            'p',
            { class: 'muted' },
            t('records.form.lastChanged', {
              time: new Date(record.updated_at).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' }),
            }),
          ),
        ]
      : []),
    element('div', { class: 'dialog-actions' }, cancel, save),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values: Record<string, string | null> = {};
    for (const column of KIND_COLUMNS[kind].filter((c) => !c.derived)) {
      const value = controlValue(column, fields.get(column.name)!.control);
      if (!record || !same(column, record[column.name], value)) values[column.name] = value;
    }
    if (record && Object.keys(values).length === 0) {
      close();
      return;
    }
    save.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const saved = record
        ? await request<RecordRow>('PATCH', `/records/${kind}/${record.id}`, values)
        : await request<RecordRow>('POST', `/records/${kind}`, values);
      close();
      options.onSaved(saved, !record);
    } catch (error) {
      showProblems(error, fields, problems);
    } finally {
      save.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  body.append(form);
  const first = [...fields.values()].find((f) => !f.control.disabled);
  first?.control.focus();
}
