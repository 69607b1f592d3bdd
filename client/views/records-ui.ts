import { render } from 'lit-html';
import { ApiError, type ProblemDetail } from '../api';
import { element } from '../dom';
import { t } from '../i18n';
import { messageOf, nextId } from '../lib/form-dialog';
import { pager } from '../lib/paged-table';

/**
 * What the admin views still take from the records views, until they adopt the shared
 * components (lib/form-dialog.ts, lib/paged-table.ts): form fields built by hand, and a pager
 * as an element. The rest is re-exported from where it now lives.
 */
export { confirmDialog, type Dialog, messageOf, nextId, openDialog } from '../lib/form-dialog';
export { formatCount } from '../lib/paged-table';
export { positiveInt } from '../lib/paging';
export { today as allianceToday, locale } from '../lib/dates';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field {
  name: string;
  control: Control;
  wrapper: HTMLElement;
  error: HTMLElement;
  hintId: string | undefined;
}

/** A labelled field: label, control, an optional hint and a place for the server's message about it. */
export function field(name: string, label: string, control: Control, options: { hint?: string; required?: boolean } = {}): Field {
  const id = control.id || nextId(`field-${name}`);
  control.id = id;
  control.setAttribute('name', name);
  const hintId = options.hint ? `${id}-hint` : undefined;
  const error = element('p', { class: 'field-error', id: `${id}-error`, hidden: '' });
  const labelNode = element('label', { for: id }, label);
  if (options.required) {
    control.setAttribute('aria-required', 'true');
    labelNode.append(element('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' *'));
  }
  if (hintId) control.setAttribute('aria-describedby', hintId);
  const wrapper = element(
    'div',
    { class: 'form-field', 'data-field': name },
    labelNode,
    control,
    ...(options.hint ? [element('p', { class: 'field-hint', id: hintId! }, options.hint)] : []),
    error,
  );
  return { name, control, wrapper, error, hintId };
}

export function setFieldError(target: Field, message: string | null): void {
  const describedBy = [target.hintId, message ? target.error.id : undefined].filter(Boolean).join(' ');
  if (describedBy) target.control.setAttribute('aria-describedby', describedBy);
  else target.control.removeAttribute('aria-describedby');
  if (message) {
    target.control.setAttribute('aria-invalid', 'true');
    target.error.textContent = message;
    target.error.hidden = false;
  } else {
    target.control.removeAttribute('aria-invalid');
    target.error.textContent = '';
    target.error.hidden = true;
  }
}

/**
 * Shows a failed request on a form: each problem whose path names a field (`body.received_cny`)
 * beside that field, everything else (and the problem's detail) at the top. The first field at
 * fault gets the focus. Returns how many problems were placed beside fields.
 */
export function showProblems(
  error: unknown,
  fields: ReadonlyMap<string, Field>,
  top: HTMLElement,
  fieldOf: (path: string) => string | undefined = (path) => path.replace(/^body\./, ''),
): number {
  clearProblems(fields, top);
  const beside = new Map<string, string[]>();
  const unplaced: ProblemDetail[] = [];
  const details = error instanceof ApiError ? error.errors : [];
  for (const problem of details) {
    const name = problem.path ? fieldOf(problem.path) : undefined;
    if (name && fields.has(name)) beside.set(name, [...(beside.get(name) ?? []), problem.message]);
    else unplaced.push(problem);
  }
  for (const [name, messages] of beside) setFieldError(fields.get(name)!, messages.join('; '));
  const lines = [
    beside.size > 0 ? t('records.form.fixFields', { message: messageOf(error) }) : messageOf(error),
    ...unplaced.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)),
  ];
  top.replaceChildren(...lines.map((line) => element('p', {}, line)));
  top.hidden = false;
  const first = [...fields.values()].find((f) => beside.has(f.name));
  (first?.control ?? top).focus();
  return beside.size;
}

export function clearProblems(fields: ReadonlyMap<string, Field>, top: HTMLElement): void {
  for (const f of fields.values()) setFieldError(f, null);
  top.replaceChildren();
  top.hidden = true;
}

/** The area at the top of a form for problems that belong to no field. */
export const formErrorBox = (): HTMLElement =>
  element('div', { class: 'form-problems', role: 'alert', tabindex: '-1', hidden: '' });

/** The pager of lib/paged-table.ts, as an element. */
export function renderPager(
  state: { page: number; pageSize: number; total: number },
  go: (page: number) => void,
  label: string,
): HTMLElement {
  const box = document.createElement('div');
  render(pager({ ...state, label, go }), box);
  return box.querySelector('nav')!;
}

/** Waits `ms` after the last call before running `run`; `flush` runs it now. */
export function debounce(run: () => void, ms: number): { schedule(): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    flush() {
      clearTimeout(timer);
      timer = undefined;
      run();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
