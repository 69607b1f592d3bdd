import { html, nothing, render } from 'lit-html';
import { ApiError, currentCsrfToken, type Me, type ProblemDetail, problemOf, query } from '../api';
import { pick, t } from '../i18n';
import { messageOf, nextId, openDialog } from '../lib/form-dialog';
import { formatCount } from '../lib/paged-table';
import type { FactKind } from '../../contract/enums';
import { KIND_COLUMNS, KIND_NAMES } from '../../contract/record-columns';
import type { Labels } from './records-labels';

import { TEMPLATE_HEADINGS } from '../../contract/import-template';
import type { ImportResult } from '../../contract/schemas/records';

/** The server refuses files above 50 MB (server/imports/read-upload.ts); the client says so before sending one. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** A refusal whose only place is the whole file: a UTF-16 file without its mark (server/imports/file-encoding.ts). */
const wholeFile = (e: ProblemDetail): boolean => e.code === 'not_utf8';

/** A refused import: the API's problem, and how many problems the file has in all (the 422 lists at most 1000). */
class ImportProblem extends Error {
  constructor(
    readonly problem: ApiError,
    readonly errorCount: number,
  ) {
    super(problem.message);
  }
}

/**
 * Uploads a CSV or a workbook as `multipart/form-data` (part `file`) with XMLHttpRequest, which, unlike
 * fetch, reports upload progress. The session cookie and the CSRF token go with it.
 */
function uploadImport(
  kind: FactKind,
  file: File,
  dryRun: boolean,
  events: { progress(loaded: number, total: number): void; sent(): void },
  signal: AbortSignal,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    // Cancelled before it starts: the promise rejects with the signal's AbortError.
    signal.throwIfAborted();
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
  kind: FactKind;
  me: Me;
  labels: Labels;
  /** Aborted when the view is left: an upload in flight is cancelled. */
  signal: AbortSignal;
  onApplied(result: ImportResult): void;
}

const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

/** The counts, as a preview (what would be added and updated) and once applied. */
const counts = (answer: ImportResult, stage: 'preview' | 'applied') =>
  html`<dl class="import-counts">${(['rows', 'inserted', 'updated', 'unchanged'] as const).map(
    (key) =>
      html`<dt>${t(key === 'rows' || key === 'unchanged' ? `records.import.count.${key}` : `records.import.count.${stage}.${key}`)}</dt>
        <dd data-count=${key}>${formatCount(answer[key])}</dd>`,
  )}</dl>`;

/** Read-only columns the file carried: their cells were not read, which the user must know. */
const ignoredNote = (answer: ImportResult) =>
  (answer.ignored ?? []).length > 0
    ? html`<p class="import-ignored" data-ignored=${answer.ignored.join(',')}>${t('records.import.ignored', {
        columns: answer.ignored.join(', '),
      })}</p>`
    : nothing;

/**
 * How the server read the file: a CSV's encoding and delimiter, found from the file itself, or the
 * workbook's sheet it read, and the first
 * text beyond ASCII as read, where a wrong encoding shows; a word more with GB18030, which is inferred.
 */
const readingNote = (answer: ImportResult) =>
  html`<p class="import-reading" data-format=${answer.format} data-encoding=${answer.encoding ?? ''} data-delimiter=${answer.delimiter ?? ''}>${
    answer.encoding && answer.delimiter
      ? t('records.import.reading', {
          encoding: t(`records.import.encoding.${answer.encoding}`),
          delimiter: t(`records.import.delimiter.${answer.delimiter}`),
        })
      : t('records.import.readingSheet', { sheet: answer.sheet ?? '' })
  }${
    answer.sample
      ? html` <span class="import-sample" data-line=${answer.sample.line}>${t('records.import.sample', {
          line: formatCount(answer.sample.line),
          column: answer.sample.column,
          text: answer.sample.text,
        })}</span>`
      : nothing
  }${answer.encoding === 'gb18030' ? html` <span class="muted">${t('records.import.gb18030Check')}</span>` : nothing}</p>`;

/** A refusal's headline: what a person can do about it, by what the server said. */
function headline(problem: ApiError, rows: readonly ProblemDetail[]): string {
  if (problem.errors.some(wholeFile)) return t('records.import.notUtf8');
  const byStatus: Record<number, string> = {
    413: t('records.import.tooLarge'),
    415: t('records.import.unsupported'),
    403: t('records.import.forbidden'),
    422: problem.message,
  };
  return byStatus[problem.status] ?? t(rows.length > 0 ? 'records.import.rejected' : 'records.import.refused');
}

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
  // The columns an import reads: a derived one (received_cny) may be there, and is passed over.
  const columns = KIND_COLUMNS[kind].filter((c) => !c.derived);

  let file: File | undefined;
  let inFlight: AbortController | undefined;
  /** The upload's progress in percent; undefined once sent, while the server checks (an indeterminate bar). */
  let progress: { label: string; percent: number | undefined } | undefined;
  let result: { state: string; content: unknown } = { state: 'idle', content: nothing };
  let checkedDigest: string | undefined;

  const draw = (focus?: string) => {
    render(template(), body);
    if (focus) body.querySelector<HTMLElement>(focus)?.focus();
    // The check button is disabled while a file is sent, which drops the keyboard's focus to the
    // page: it goes to the result instead, where the problems or the next step appear.
    else if (!document.activeElement || document.activeElement === document.body)
      body.querySelector<HTMLElement>('.import-result')?.focus();
  };
  const show = (state: string, content: unknown, focus?: string) => {
    result = { state, content };
    draw(focus);
  };
  const fail = (message: string) => show('error', html`<p class="import-error" role="alert">${message}</p>`);

  const template = () => html`<p>${t('records.import.intro')}</p>
    ${
      me.role === 'steward' && me.university
        ? html`<p class="muted">${t('records.import.stewardNote', { university: options.labels.university(me.university) })}</p>`
        : nothing
    }
    <details class="import-columns"><summary>${t('records.import.columns')}</summary>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${t('records.import.columns')}>
        <table class="data-table compact">
          <thead><tr><th scope="col">${pick(TEMPLATE_HEADINGS.column)}</th><th scope="col">${t('records.import.columnZh')}</th>
            <th scope="col">${pick(TEMPLATE_HEADINGS.meaning)}</th></tr></thead>
          <tbody>${columns.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.zh}</td><td>${pick(c.hint)}</td></tr>`)}</tbody>
        </table>
      </div>
    </details>
    <div class="form-field">
      <label for=${fileId}>${t('records.import.file')}</label>
      <input type="file" id=${fileId} accept=".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-action="choose-file" ?disabled=${progress !== undefined}
        @change=${(e: Event) => {
          inFlight?.abort();
          file = (e.target as HTMLInputElement).files?.[0];
          show('idle', nothing);
        }} />
      <p class="field-hint">${t('records.import.fileHint')}</p>
    </div>
    <div class="dialog-actions start">
      <button type="button" class="primary" data-action="dry-run" ?disabled=${!file || progress !== undefined}
        @click=${() => void run(true)}>${t('records.import.check')}</button>
    </div>
    <div class="import-progress" ?hidden=${progress === undefined}>
      <span class="progress-label">${progress?.label}</span>
      <progress max="100" value=${progress?.percent ?? nothing} aria-label=${t('records.import.progress')}></progress>
      <button type="button" class="secondary" @click=${() => inFlight?.abort()}>${t('records.dialog.cancel')}</button>
    </div>
    <div class="import-result" tabindex="-1" aria-live="polite" data-state=${result.state}>${result.content}</div>`;

  async function run(dryRun: boolean): Promise<void> {
    const chosen = file;
    if (!chosen) return;
    if (chosen.size > MAX_UPLOAD_BYTES) return fail(t('records.import.tooLarge'));
    const mine = new AbortController();
    inFlight = mine;
    const uploading = (percent: number) => t('records.import.uploading', { file: chosen.name, percent: String(percent) });
    progress = { label: uploading(0), percent: 0 };
    show(dryRun ? 'checking' : 'applying', nothing);
    let outcome: () => void;
    try {
      const answer = await uploadImport(
        kind,
        chosen,
        dryRun,
        {
          progress(loaded, total) {
            const percent = total > 0 ? Math.round((loaded / total) * 100) : 0;
            progress = { label: uploading(percent), percent };
            draw();
          },
          sent() {
            // The server now reads and checks every row: no figure to show, so the bar is indeterminate.
            progress = { label: t(dryRun ? 'records.import.checking' : 'records.import.applying'), percent: undefined };
            draw();
          },
        },
        AbortSignal.any([controller.signal, mine.signal]),
      );
      outcome = () => (dryRun ? showPreview(answer) : showApplied(answer));
    } catch (error) {
      if (isAbort(error) && controller.signal.aborted) return;
      outcome = () =>
        isAbort(error) ? show('idle', html`<p class="muted">${t('records.import.cancelled')}</p>`) : showFailure(error);
    } finally {
      if (inFlight === mine) inFlight = undefined;
      progress = undefined;
    }
    outcome();
  }

  function showPreview(answer: ImportResult): void {
    checkedDigest = answer.sha256;
    show(
      'preview',
      html`<h3>${t('records.import.previewTitle')}</h3>
        <p>${t('records.import.previewIntro', { file: answer.fileName ?? '' })}</p>
        ${readingNote(answer)}${counts(answer, 'preview')}${ignoredNote(answer)}
        ${answer.inserted + answer.updated === 0 ? html`<p class="muted">${t('records.import.nothing')}</p>` : nothing}
        <div class="dialog-actions start">
          <button type="button" class="primary" data-action="apply" @click=${() => void run(false)}>${t('records.import.apply')}</button>
        </div>`,
      '[data-action=apply]',
    );
  }

  function showApplied(answer: ImportResult): void {
    const changed = checkedDigest !== undefined && checkedDigest !== answer.sha256;
    checkedDigest = undefined;
    show(
      'applied',
      html`<h3>${t('records.import.appliedTitle')}</h3>
        <p role="status">${t('records.import.appliedIntro', { file: answer.fileName ?? '' })}</p>
        ${readingNote(answer)}${counts(answer, 'applied')}${ignoredNote(answer)}
        ${changed ? html`<p class="import-warning">${t('records.import.fileChanged')}</p>` : nothing}
        <div class="dialog-actions">
          <button type="button" class="primary" data-action="close-import" @click=${close}>${t('records.import.done')}</button>
        </div>`,
      '[data-action=close-import]',
    );
    options.onApplied(answer);
  }

  function showFailure(error: unknown) {
    if (!(error instanceof ImportProblem)) return fail(t('records.import.failed', { message: messageOf(error) }));
    const { problem, errorCount } = error;
    const rows = problem.errors.filter((e) => e.line !== undefined || e.column !== undefined || e.sheet !== undefined);
    const listed = rows.length > 0 && !problem.errors.every(wholeFile);
    const lines = new Set(rows.map((r) => r.line).filter((l) => l !== undefined)).size;
    const count =
      errorCount > rows.length
        ? t('records.import.problemsTruncated', { count: formatCount(errorCount), listed: formatCount(rows.length) })
        : errorCount > 1 && lines > 1
          ? t('records.import.problems', { count: formatCount(errorCount), lines: formatCount(lines) })
          : '';
    const label = (name: string | undefined): string => {
      const column = columns.find((c) => c.name === name);
      return column ? `${name} (${pick(column.label)})` : (name ?? '—');
    };
    // A 422 says what is wrong in its headline; other answers say it under the headline.
    show(
      'rejected',
      html`<p class="import-error" role="alert">${headline(problem, rows)}</p>
        ${problem.status !== 422 ? html`<p class="problem-detail">${problem.message}</p>` : nothing}
        ${
          listed
            ? html`<p data-error-count=${errorCount} ?hidden=${count === ''}>${count}</p>
              <div class="table-scroll import-errors-box" tabindex="0" role="region" aria-label=${t('records.import.errorsCaption')}>
                <table class="data-table compact import-errors">
                  <caption class="visually-hidden">${t('records.import.errorsCaption')}</caption>
                  <thead><tr><th scope="col" class="numeric">${t('records.import.line')}</th>
                    <th scope="col">${pick(TEMPLATE_HEADINGS.column)}</th><th scope="col">${t('records.import.message')}</th></tr></thead>
                  <tbody>${rows.map(
                    (r) => html`<tr data-line=${r.line ?? ''}><td class="numeric">${r.line ?? '—'}</td><td>${label(r.column)}</td>
                      <td>${r.sheet !== undefined ? html`<span class="import-cell" data-sheet=${r.sheet} data-cell=${r.cell ?? ''}>${t(r.cell ? 'records.import.sheetCell' : 'records.import.sheetOnly', { sheet: r.sheet, cell: r.cell ?? '' })}</span>` : nothing}${r.message}</td></tr>`,
                  )}</tbody>
                </table>
              </div>`
            : nothing
        }
        <p class="muted">${t(listed ? 'records.import.nothingApplied' : 'records.import.nothingImported')}</p>`,
    );
  }

  draw(`#${fileId}`);
}
