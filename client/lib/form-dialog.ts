import { html, nothing, render, type TemplateResult } from 'lit-html';
import { renderProblem, said } from '../../contract/problems';
import { ApiError, type ProblemDetail } from '../api';
import { lang, t } from '../i18n';
import { joinClauses } from './format';

/**
 * Modal dialogs, and the form dialog every editing view shares: labelled fields with their hints,
 * the server's problems beside the fields they name and the rest at the top, the first field at
 * fault focused. The browser keeps the focus inside a modal dialog and Escape closes it; on
 * closing, the focus returns to what had it before.
 */

let uid = 0;
/** A document-unique id for labels and descriptions. */
export const nextId = (prefix: string): string => `${prefix}-${++uid}`;

/** The message of anything thrown, for a person. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The lines at the top of a form that a request failed: the problem's headline, and each of its
 * problems that `place` did not put beside a field (it returns true when it did).
 */
export function problemLines(
  error: unknown,
  place: (path: string, message: string, problem: ProblemDetail) => boolean,
): string[] {
  const unplaced: string[] = [];
  let placed = false;
  for (const p of error instanceof ApiError ? error.errors : []) {
    if (p.path && place(p.path, p.message, p)) placed = true;
    else unplaced.push(p.path ? `${p.path}: ${p.message}` : p.message);
  }
  return [placed ? t('records.form.fixFields', { message: messageOf(error) }) : messageOf(error), ...unplaced];
}

/** The problems of a request that failed, each naming the parameter at fault (`query.from` → from). */
export const requestProblems = (error: unknown): string[] =>
  (error instanceof ApiError ? error.errors : []).map((d) =>
    d.path ? `${d.path.replace(/^(query|body)\./, '')}: ${d.message}` : d.message,
  );

export interface Dialog {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

/** Opens a modal dialog inside `host`; `onClose` runs once, however it is closed. */
export function openDialog(host: HTMLElement, options: { title: string; className?: string; onClose?: () => void }): Dialog {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = nextId('dialog-title');
  const close = (): void => {
    if (dialog.open) dialog.close();
  };
  const fragment = document.createDocumentFragment();
  render(
    html`<dialog class="records-dialog ${options.className ?? ''}" aria-labelledby=${titleId}>
      <div class="dialog-head">
        <h2 id=${titleId}>${options.title}</h2>
        <button type="button" class="dialog-close" aria-label=${t('records.dialog.close')} @click=${close}>×</button>
      </div>
      <div class="dialog-body"></div>
    </dialog>`,
    fragment,
  );
  const dialog = fragment.querySelector('dialog')!;
  dialog.addEventListener(
    'close',
    () => {
      options.onClose?.();
      dialog.remove();
      if (opener?.isConnected) opener.focus();
    },
    { once: true },
  );
  host.append(fragment);
  dialog.showModal();
  return { dialog, body: dialog.querySelector<HTMLElement>('.dialog-body')!, close };
}

/** Asks a yes-or-no question in a modal dialog; resolves true when the person confirms. */
export function confirmDialog(
  host: HTMLElement,
  options: { title: string; message: string; confirm: string; danger?: boolean },
): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const { body, close } = openDialog(host, {
      title: options.title,
      className: 'confirm-dialog',
      onClose: () => resolve(answer),
    });
    const yes = () => {
      answer = true;
      close();
    };
    render(
      html`<p>${options.message}</p>
        <div class="dialog-actions">
          <button type="button" class="secondary" @click=${close}>${t('records.dialog.cancel')}</button>
          <button type="button" class=${options.danger ? 'danger' : 'primary'} data-action="confirm" @click=${yes}>${options.confirm}</button>
        </div>`,
      body,
    );
    body.querySelector<HTMLElement>('button.secondary')?.focus();
  });
}

/** What a field's control must carry: its id and name, and the ARIA state of its hint and problem. */
export interface ControlAttributes {
  id: string;
  name: string;
  describedBy: string | typeof nothing;
  invalid: 'true' | typeof nothing;
  required: 'true' | typeof nothing;
}

export interface FormField {
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  className?: string;
  /** What a select offers (its empty choice aside): a problem with the value is said as these choices. */
  choices?: ReadonlyArray<{ value: string; label: string }>;
  control(a: ControlAttributes): TemplateResult;
}

type InputOptions = Partial<Record<'type' | 'inputmode' | 'placeholder' | 'maxlength' | 'min' | 'max' | 'list', string>>;

/** A text, date or number input bound to a field. */
export const input = (a: ControlAttributes, value: string, o: InputOptions = {}): TemplateResult =>
  html`<input id=${a.id} name=${a.name} type=${o.type ?? 'text'} autocomplete="off" .value=${value}
    inputmode=${o.inputmode ?? nothing} placeholder=${o.placeholder ?? nothing} maxlength=${o.maxlength ?? nothing}
    min=${o.min ?? nothing} max=${o.max ?? nothing} list=${o.list ?? nothing}
    aria-describedby=${a.describedBy} aria-invalid=${a.invalid} aria-required=${a.required} />`;

/** A select bound to a field; a value the options do not know (a code since removed) stays visible. */
export function select(
  a: ControlAttributes,
  options: ReadonlyArray<{ value: string; label: string }>,
  value: string,
  disabled = false,
): TemplateResult {
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return html`<select id=${a.id} name=${a.name} ?disabled=${disabled}
    aria-describedby=${a.describedBy} aria-invalid=${a.invalid} aria-required=${a.required}>
    ${all.map((o) => html`<option value=${o.value} .selected=${o.value === value}>${o.label}</option>`)}
  </select>`;
}

export interface FormOptions {
  formClass?: string;
  /** The form's accessible name, where it is not in a dialog that names it. */
  label?: string;
  kind?: string;
  /** The controls' ids are `<idPrefix>-<name>` (default: ids unique in the document). */
  idPrefix?: string;
  /** The save button's `data-action` (default `save`). */
  saveAction?: string;
  /** The save button's words, where the form does something other than save (default: Save). */
  saveLabel?: string;
  /** True while the form cannot be sent (its button is disabled). */
  closed?: () => boolean;
  fields: readonly FormField[];
  /** What the form shows above the fields, and below them (after the grid). */
  intro?: () => unknown;
  outro?: () => unknown;
  /**
   * Sends the form's values (trimmed; a checkbox's is `true` or `false`); a thrown ApiError's problems
   * are shown, anything else ends the form (a dialog closes).
   */
  submit(values: Record<string, string>): Promise<void>;
}

export interface FormDialogOptions extends FormOptions {
  title: string;
  className?: string;
}

export interface FormDialog extends Dialog {
  /** Renders the form again (after something it shows has changed). */
  refresh(): void;
}

/** The fields whose value differs from `before`'s: what a change sends. */
export const changedFields = <T extends object>(before: T, after: Partial<T>): Partial<T> =>
  Object.fromEntries(Object.entries(after).filter(([key, value]) => value !== before[key as keyof T])) as Partial<T>;

/**
 * The problems that say a code is not one of a list (of the wrong shape, or unknown). Beside a
 * select they are said as its choices: the field by its label, each allowed value by the label the
 * select shows, never as a code to type. (`one_of` names its values by their labels already.)
 */
const NOT_A_CHOICE: ReadonlySet<string> = new Set([
  'code_format',
  'code_letters',
  'university_code',
  'unknown_named',
  'unknown_code',
]);

/** A problem of `field` said as its choices, if it offers some and the problem is of that kind. */
function asChoice(field: FormField, problem: ProblemDetail): string | undefined {
  if (!field.choices || !problem.code || !NOT_A_CHOICE.has(problem.code)) return undefined;
  const labels = new Map(field.choices.map((c) => [c.value, c.label]));
  return renderProblem(said('choose_one_of', { field: field.name, values: [...labels.keys()] }), lang(), {
    column: () => field.label,
    value: (code) => labels.get(code) ?? code,
  });
}

/**
 * Renders a form into `body`: its fields with their hints, the server's problems beside the fields
 * they name (`body.reportRecipients.1` → reportRecipients) and the rest at the top, the first field
 * at fault focused. `done` runs once `submit` succeeds; with `cancel`, a Cancel button runs it.
 */
export function mountForm(body: HTMLElement, o: FormOptions, done: () => void, cancel?: () => void): { refresh(): void } {
  const ids = new Map(o.fields.map((f) => [f.name, o.idPrefix ? `${o.idPrefix}-${f.name}` : nextId(`field-${f.name}`)]));
  let beside = new Map<string, string[]>();
  let top: string[] = [];
  let busy = false;

  const field = (f: FormField) => {
    const id = ids.get(f.name)!;
    const clauses = beside.get(f.name);
    const problem = clauses ? joinClauses(clauses) : undefined;
    const describedBy = [f.hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="form-field ${f.className ?? ''}" data-field=${f.name}>
      <label for=${id}>${f.label}${f.required ? html`<span class="required-mark" aria-hidden="true"> *</span>` : nothing}</label>
      ${f.control({
        id,
        name: f.name,
        describedBy: describedBy || nothing,
        invalid: problem ? 'true' : nothing,
        required: f.required ? 'true' : nothing,
      })}
      ${f.hint ? html`<p class="field-hint" id="${id}-hint">${f.hint}</p>` : nothing}
      <p class="field-error" id="${id}-error" ?hidden=${!problem}>${problem ?? ''}</p>
    </div>`;
  };

  const read = (control: Element | RadioNodeList | null): string =>
    control instanceof HTMLInputElement && control.type === 'checkbox'
      ? String(control.checked)
      : ((control as HTMLInputElement | null)?.value.trim() ?? '');

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = Object.fromEntries(o.fields.map((f) => [f.name, read(form.elements.namedItem(f.name))]));
    busy = true;
    refresh();
    try {
      await o.submit(values);
      busy = false;
      beside = new Map();
      top = [];
      refresh();
      done();
      return;
    } catch (error) {
      beside = new Map();
      top = problemLines(error, (path, message, problem) => {
        const name = path.replace(/^body\./, '').split('.')[0] ?? '';
        const f = o.fields.find((field) => field.name === name);
        if (!f) return false;
        const text = asChoice(f, problem) ?? message;
        beside.set(name, [...(beside.get(name) ?? []), text]);
        return true;
      });
    }
    busy = false;
    refresh();
    const first = o.fields.find((f) => beside.has(f.name));
    (first ? document.getElementById(ids.get(first.name)!) : body.querySelector<HTMLElement>('.form-problems'))?.focus();
  };

  const refresh = () =>
    render(
      html`<form class=${o.formClass ?? nothing} novalidate data-kind=${o.kind ?? nothing} aria-label=${o.label ?? nothing}
        aria-busy=${busy ? 'true' : nothing} @submit=${onSubmit}>
        <div class="form-problems" role="alert" tabindex="-1" ?hidden=${top.length === 0}>${top.map((line) => html`<p>${line}</p>`)}</div>
        ${o.intro?.()}
        <div class="form-grid">${o.fields.map(field)}</div>
        ${o.outro?.()}
        <div class="dialog-actions ${cancel ? '' : 'start'}">
          ${cancel ? html`<button type="button" class="secondary" @click=${cancel}>${t('records.dialog.cancel')}</button>` : nothing}
          <button type="submit" class="primary" data-action=${o.saveAction ?? 'save'} ?disabled=${busy || o.closed?.()}>${o.saveLabel ?? t('records.form.save')}</button>
        </div>
      </form>`,
      body,
    );
  refresh();
  return { refresh };
}

/** Opens a form in a modal dialog; saving shows the server's problems beside their fields, and closes it. */
export function openFormDialog(host: HTMLElement, o: FormDialogOptions): FormDialog {
  const dialog = openDialog(host, { title: o.title, className: o.className });
  const { refresh } = mountForm(dialog.body, o, dialog.close, dialog.close);
  dialog.body.querySelector<HTMLElement>('.form-grid :is(input, select, textarea):not(:disabled)')?.focus();
  return { ...dialog, refresh };
}
