import { ApiError, currentCsrfToken, type Me, type ProblemDetail, problemOf, query } from '../api';
import { element, scrollBox } from '../dom';
import { pick, t } from '../i18n';
import { KIND_COLUMNS, KIND_NAMES, type Kind } from './records-columns';
import type { Labels } from './records-labels';
import { formatCount, messageOf, nextId, openDialog } from './records-ui';

/** The import's answer (server/imports/imports.routes.ts, `ImportResultSchema`). */
export interface ImportResult {
  kind: Kind;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
  batchId: number | null;
  fileName: string | null;
  sha256: string;
  /** Read-only columns of the file that were not read (a contract's received_cny). */
  ignored: string[];
}

/** The server refuses files above 50 MB (server/imports/read-upload.ts); the client says so before sending one. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** The message the server gives a file that is not UTF-8 (server/imports/parse-import.ts). */
const NOT_UTF8 = 'the file is not UTF-8';

/** A refused import: the API's problem, and how many problems the file has in all (the 422 lists at most 1000). */
export class ImportProblem extends Error {
  constructor(
    readonly problem: ApiError,
    readonly errorCount: number,
  ) {
    super(problem.message);
  }
}

/**
 * Uploads a CSV as `multipart/form-data` (part `file`) with XMLHttpRequest, which, unlike
 * fetch, reports upload progress. The session cookie and the CSRF token go with it.
 */
export function uploadImport(
  kind: Kind,
  file: File,
  dryRun: boolean,
  events: { progress(loaded: number, total: number): void; sent(): void },
  signal: AbortSignal,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new DOMException('aborted', 'AbortError'));
      return;
    }
    const path = `/imports/${kind}`;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}${query({ dryRun: String(dryRun) })}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = currentCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) events.progress(event.loaded, event.total);
    });
    xhr.upload.addEventListener('load', () => events.sent());
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    xhr.addEventListener('loadend', () => signal.removeEventListener('abort', onAbort));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportResult);
        } catch {
          reject(new ApiError(xhr.status, t('records.import.unreadable')));
        }
        return;
      }
      let errorCount: number | undefined;
      try {
        const body = JSON.parse(xhr.responseText) as { errorCount?: unknown };
        if (typeof body.errorCount === 'number') errorCount = body.errorCount;
      } catch {
        // Not JSON (a proxy's page): problemOf says the status.
      }
      // problemOf also tells the app when the session has ended (401).
      void problemOf(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText }), path).then((problem) =>
        reject(new ImportProblem(problem, errorCount ?? problem.errors.length)),
      );
    });
    xhr.addEventListener('error', () => reject(new Error(t('records.import.network'))));
    xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

export interface ImportDialogOptions {
  kind: Kind;
  me: Me;
  labels: Labels;
  /** Aborted when the view is left: an upload in flight is cancelled. */
  signal: AbortSignal;
  onApplied(result: ImportResult): void;
}

const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

/**
 * The CSV import: choose a file, a dry run shows what it would do (or every bad row by line and
 * column, and nothing is written), then "Apply" imports it for real and shows the counts.
 */
export function openImportDialog(host: HTMLElement, options: ImportDialogOptions): void {
  const { kind, me } = options;
  const controller = new AbortController();
  const abortOnLeave = () => controller.abort();
  options.signal.addEventListener('abort', abortOnLeave, { once: true });
  const { body, close } = openDialog(host, {
    title: t('records.import.title', { kind: pick(KIND_NAMES[kind]) }),
    className: 'import-dialog',
    onClose: () => {
      controller.abort();
      options.signal.removeEventListener('abort', abortOnLeave);
    },
  });

  const fileId = nextId('import-file');
  const input = element('input', { type: 'file', id: fileId, accept: '.csv,text/csv', 'data-action': 'choose-file' });
  const check = element('button', { type: 'button', class: 'primary', 'data-action': 'dry-run' }, t('records.import.check'));
  check.disabled = true;
  const progressLabel = element('span', { class: 'progress-label' });
  const progress = element('progress', { max: '100', 'aria-label': t('records.import.progress') });
  const cancelUpload = element('button', { type: 'button', class: 'secondary' }, t('records.import.cancelUpload'));
  const progressBox = element('div', { class: 'import-progress', hidden: '' }, progressLabel, progress, cancelUpload);
  const result = element('div', { class: 'import-result', 'aria-live': 'polite', 'data-state': 'idle' });

  let inFlight: AbortController | undefined;
  cancelUpload.addEventListener('click', () => inFlight?.abort());

  // The columns an import reads: a derived one (received_cny) may be there, and is passed over.
  const columns = KIND_COLUMNS[kind].filter((c) => !c.derived);
  const reference = element(
    'details',
    { class: 'import-columns' },
    element('summary', {}, t('records.import.columns')),
    scrollBox(
      t('records.import.columns'),
      {},
      element(
        'table',
        { class: 'data-table compact' },
        element(
          'thead',
          {},
          element(
            'tr',
            {},
            element('th', { scope: 'col' }, t('records.import.column')),
            element('th', { scope: 'col' }, t('records.import.columnZh')),
            element('th', { scope: 'col' }, t('records.import.meaning')),
          ),
        ),
        element(
          'tbody',
          {},
          ...columns.map((c) =>
            element(
              'tr',
              {},
              element('td', {}, element('code', {}, c.name)),
              element('td', {}, c.zh),
              element('td', {}, pick(c.hint)),
            ),
          ),
        ),
      ),
    ),
  );

  body.append(
    element('p', {}, t('records.import.intro')),
    ...(me.role === 'steward' && me.university
      ? [
          element(
            'p',
            { class: 'muted' },
            t('records.import.stewardNote', { university: options.labels.university(me.university) }),
          ),
        ]
      : []),
    reference,
    element(
      'div',
      { class: 'form-field' },
      element('label', { for: fileId }, t('records.import.file')),
      input,
      element('p', { class: 'field-hint' }, t('records.import.fileHint')),
    ),
    element('div', { class: 'dialog-actions start' }, check),
    progressBox,
    result,
  );

  const setResult = (state: string, ...children: Node[]) => {
    result.dataset.state = state;
    result.replaceChildren(...children);
  };

  input.addEventListener('change', () => {
    inFlight?.abort();
    check.disabled = !input.files?.[0];
    setResult('idle');
  });
  check.addEventListener('click', () => void run(true));

  let checkedDigest: string | undefined;

  async function run(dryRun: boolean): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      setResult('error', element('p', { class: 'import-error', role: 'alert' }, t('records.import.tooLarge')));
      return;
    }
    inFlight = new AbortController();
    const mine = inFlight;
    const signal = AbortSignal.any([controller.signal, mine.signal]);
    check.disabled = true;
    input.disabled = true;
    setResult(dryRun ? 'checking' : 'applying');
    progressBox.hidden = false;
    progress.value = 0;
    progress.max = 100;
    progressLabel.textContent = t('records.import.uploading', { file: file.name, percent: '0' });
    try {
      const answer = await uploadImport(
        kind,
        file,
        dryRun,
        {
          progress(loaded, total) {
            const percent = total > 0 ? Math.round((loaded / total) * 100) : 0;
            progress.value = percent;
            progressLabel.textContent = t('records.import.uploading', { file: file.name, percent: String(percent) });
          },
          sent() {
            // The server now reads and checks every row: no figure to show, so the bar is indeterminate.
            progress.removeAttribute('value');
            progressLabel.textContent = t(dryRun ? 'records.import.checking' : 'records.import.applying');
          },
        },
        signal,
      );
      if (dryRun) showPreview(answer);
      else showApplied(answer);
    } catch (error) {
      if (isAbort(error)) {
        if (!controller.signal.aborted) setResult('idle', element('p', { class: 'muted' }, t('records.import.cancelled')));
        return;
      }
      showFailure(error);
    } finally {
      if (inFlight === mine) inFlight = undefined;
      progressBox.hidden = true;
      input.disabled = false;
      check.disabled = !input.files?.[0];
    }
  }

  const COUNT_LABELS = {
    preview: {
      rows: 'records.import.count.rows',
      inserted: 'records.import.count.wouldInsert',
      updated: 'records.import.count.wouldUpdate',
      unchanged: 'records.import.count.unchanged',
    },
    applied: {
      rows: 'records.import.count.rows',
      inserted: 'records.import.count.inserted',
      updated: 'records.import.count.updated',
      unchanged: 'records.import.count.unchanged',
    },
  } as const;

  const counts = (answer: ImportResult, stage: keyof typeof COUNT_LABELS) =>
    element(
      'dl',
      { class: 'import-counts' },
      ...(['rows', 'inserted', 'updated', 'unchanged'] as const).flatMap((key) => [
        element('dt', {}, t(COUNT_LABELS[stage][key])),
        element('dd', { 'data-count': key }, formatCount(answer[key])),
      ]),
    );

  /** Read-only columns the file carried: their cells were not read, which the user must know. */
  const ignoredNote = (answer: ImportResult) =>
    (answer.ignored ?? []).length > 0
      ? [
          element(
            'p',
            { class: 'import-ignored', 'data-ignored': answer.ignored.join(',') },
            t('records.import.ignored', { columns: answer.ignored.join(', ') }),
          ),
        ]
      : [];

  function showPreview(answer: ImportResult): void {
    checkedDigest = answer.sha256;
    const apply = element('button', { type: 'button', class: 'primary', 'data-action': 'apply' }, t('records.import.apply'));
    apply.addEventListener('click', () => void run(false));
    const nothing = answer.inserted + answer.updated === 0;
    setResult(
      'preview',
      element('h3', {}, t('records.import.previewTitle')),
      element('p', {}, t('records.import.previewIntro', { file: answer.fileName ?? '' })),
      counts(answer, 'preview'),
      ...ignoredNote(answer),
      ...(nothing ? [element('p', { class: 'muted' }, t('records.import.nothing'))] : []),
      element('div', { class: 'dialog-actions start' }, apply),
    );
    apply.focus();
  }

  function showApplied(answer: ImportResult): void {
    const done = element('button', { type: 'button', class: 'primary', 'data-action': 'close-import' }, t('records.import.done'));
    done.addEventListener('click', close);
    const changed = checkedDigest !== undefined && checkedDigest !== answer.sha256;
    setResult(
      'applied',
      element('h3', {}, t('records.import.appliedTitle')),
      element('p', { role: 'status' }, t('records.import.appliedIntro', { file: answer.fileName ?? '' })),
      counts(answer, 'applied'),
      ...ignoredNote(answer),
      ...(changed ? [element('p', { class: 'import-warning' }, t('records.import.fileChanged'))] : []),
      element('div', { class: 'dialog-actions' }, done),
    );
    done.focus();
    checkedDigest = undefined;
    options.onApplied(answer);
  }

  function showFailure(error: unknown): void {
    if (!(error instanceof ImportProblem)) {
      setResult(
        'error',
        element('p', { class: 'import-error', role: 'alert' }, t('records.import.failed', { message: messageOf(error) })),
      );
      return;
    }
    const { problem, errorCount } = error;
    const rows = problem.errors.filter((e) => e.line !== undefined || e.column !== undefined);
    const headline = problem.errors.some((e) => (e.original ?? e.message) === NOT_UTF8)
      ? t('records.import.notUtf8')
      : problem.status === 413
        ? t('records.import.tooLarge')
        : problem.status === 415
          ? t('records.import.unsupported')
          : problem.status === 403
            ? t('records.import.forbidden')
            : problem.status === 422
              ? problem.message
              : rows.length > 0
                ? t('records.import.rejected')
                : t('records.import.refused');
    // A 422 says what is wrong in its headline; other answers say it under the headline.
    const parts: Node[] = [element('p', { class: 'import-error', role: 'alert' }, headline)];
    if (problem.status !== 422) parts.push(element('p', { class: 'problem-detail' }, problem.message));
    const listed = rows.length > 0 && !problem.errors.every((e) => (e.original ?? e.message) === NOT_UTF8);
    if (listed) {
      const lines = new Set(rows.map((r) => r.line).filter((l) => l !== undefined)).size;
      const count =
        errorCount > rows.length
          ? t('records.import.problemsTruncated', { count: formatCount(errorCount), listed: formatCount(rows.length) })
          : errorCount > 1 && lines > 1
            ? t('records.import.problems', { count: formatCount(errorCount), lines: formatCount(lines) })
            : '';
      const countLine = element('p', { 'data-error-count': String(errorCount) }, count);
      countLine.hidden = count === '';
      parts.push(countLine);
      parts.push(errorTable(rows));
    }
    parts.push(element('p', { class: 'muted' }, t(listed ? 'records.import.nothingApplied' : 'records.import.nothingImported')));
    setResult('rejected', ...parts);
  }

  function errorTable(rows: ProblemDetail[]): HTMLElement {
    const label = (name: string | undefined): string => {
      if (!name) return '—';
      const column = columns.find((c) => c.name === name);
      return column ? `${name} (${pick(column.label)})` : name;
    };
    return scrollBox(
      t('records.import.errorsCaption'),
      { class: 'import-errors-box' },
      element(
        'table',
        { class: 'data-table compact import-errors' },
        element('caption', { class: 'visually-hidden' }, t('records.import.errorsCaption')),
        element(
          'thead',
          {},
          element(
            'tr',
            {},
            element('th', { scope: 'col', class: 'numeric' }, t('records.import.line')),
            element('th', { scope: 'col' }, t('records.import.column')),
            element('th', { scope: 'col' }, t('records.import.message')),
          ),
        ),
        element(
          'tbody',
          {},
          ...rows.map((r) =>
            element(
              'tr',
              { 'data-line': String(r.line ?? '') },
              element('td', { class: 'numeric' }, r.line === undefined ? '—' : String(r.line)),
              element('td', {}, label(r.column)),
              element('td', {}, r.message),
            ),
          ),
        ),
      ),
    );
  }

  input.focus();
}
