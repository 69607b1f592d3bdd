import { ApiError, type ProblemDetail } from '../api';
import { element } from '../dom';
import { lang, t } from '../i18n';

/**
 * Small building blocks shared by the records and admin views: a modal dialog that takes the
 * focus and gives it back, labelled form fields that show the server's problem beside them,
 * a pager, and number formatting for counts.
 */

let uid = 0;
/** A document-unique id for labels and descriptions. */
export const nextId = (prefix: string): string => `${prefix}-${++uid}`;

export const locale = (): string => (lang() === 'zh' ? 'zh-CN' : 'en-US');

/** A whole count as a person reads it: 1,234. */
export const formatCount = (value: number): string => value.toLocaleString(locale());

/** Today where the alliance is (Shanghai), as YYYY-MM-DD: the latest date a record may carry. */
export function allianceToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

export interface Dialog {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

/**
 * Opens a modal dialog inside `host`. The browser keeps the focus inside it and Escape closes
 * it; on closing, the focus returns to what had it before (or to `fallbackFocus`).
 */
export function openDialog(
  host: HTMLElement,
  options: { title: string; className?: string; onClose?: () => void; fallbackFocus?: () => HTMLElement | null },
): Dialog {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = nextId('dialog-title');
  const closeButton = element('button', { type: 'button', class: 'dialog-close', 'aria-label': t('records.dialog.close') }, '×');
  const body = element('div', { class: 'dialog-body' });
  const dialog = element(
    'dialog',
    { class: `records-dialog ${options.className ?? ''}`.trim(), 'aria-labelledby': titleId },
    element('div', { class: 'dialog-head' }, element('h2', { id: titleId }, options.title), closeButton),
    body,
  );
  let closed = false;
  const close = (): void => {
    if (!closed && dialog.open) dialog.close();
  };
  closeButton.addEventListener('click', close);
  dialog.addEventListener('close', () => {
    if (closed) return;
    closed = true;
    options.onClose?.();
    dialog.remove();
    const target = opener?.isConnected ? opener : options.fallbackFocus?.();
    target?.focus();
  });
  host.append(dialog);
  dialog.showModal();
  return { dialog, body, close };
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
    const cancel = element('button', { type: 'button', class: 'secondary' }, t('records.dialog.cancel'));
    const ok = element(
      'button',
      { type: 'button', class: options.danger ? 'danger' : 'primary', 'data-action': 'confirm' },
      options.confirm,
    );
    cancel.addEventListener('click', close);
    ok.addEventListener('click', () => {
      answer = true;
      close();
    });
    body.append(element('p', {}, options.message), element('div', { class: 'dialog-actions' }, cancel, ok));
    cancel.focus();
  });
}

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

/** The message of anything thrown, for a person. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
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

/** First, previous, "page X of Y", next, last; `go` is called with the page to show. */
export function renderPager(
  state: { page: number; pageSize: number; total: number },
  go: (page: number) => void,
  label: string,
): HTMLElement {
  const pages = Math.max(1, Math.ceil(state.total / state.pageSize));
  const page = Math.min(state.page, pages);
  const button = (key: 'first' | 'previous' | 'next' | 'last', target: number, disabled: boolean) => {
    const b = element('button', { type: 'button', class: 'secondary', 'data-page': key }, t(`records.pager.${key}`));
    b.disabled = disabled;
    b.addEventListener('click', () => go(target));
    return b;
  };
  return element(
    'nav',
    { class: 'pager', 'aria-label': label },
    button('first', 1, page <= 1),
    button('previous', page - 1, page <= 1),
    element(
      'span',
      { class: 'pager-position', 'data-page-number': String(page), 'data-page-count': String(pages) },
      t('records.pager.position', { page: formatCount(page), pages: formatCount(pages) }),
    ),
    button('next', page + 1, page >= pages),
    button('last', pages, page >= pages),
  );
}

/** A positive whole number from the URL, or the default. */
export function positiveInt(value: string | null, fallback: number, max = 1_000_000): number {
  if (!value || !/^\d{1,9}$/.test(value)) return fallback;
  const n = Number(value);
  return n >= 1 && n <= max ? n : fallback;
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
