import '../records.css';
import '../reporting.css';
import { html, nothing, render, type TemplateResult } from 'lit-html';
import { type PeriodStatus, REPORTING_FREQUENCIES, type ReportingFrequency } from '../../contract/enums';
import { KIND_COLUMNS, KIND_NAMES } from '../../contract/record-columns';
import {
  addDays,
  FREQUENCY_LABELS,
  LATE_LABEL,
  PERIOD_STATUS_LABELS,
  parseReportingPeriod,
  STEP_LABELS,
} from '../../contract/reporting-periods';
import type { BoardAnswer, PeriodAnswer, PeriodState, PeriodStep, TodoAnswer } from '../../contract/schemas/cycle';
import { call, csvUrl, endpoints, type Me } from '../api';
import { xlsxOf } from '../lib/downloads';
import { lang, type MessageKey, pick, t } from '../i18n';
import { AGREEMENT_YEAR, formatDay, formatMoment, locale, formatter, thisYear } from '../lib/dates';
import { universityLabel, universityName } from '../lib/filters';
import { type ControlAttributes, type FormField, input, messageOf, openDialog, openFormDialog, select } from '../lib/form-dialog';
import { formatValue, joinClauses, labelled } from '../lib/format';
import { formatCount } from '../lib/paged-table';
import { type Notice, loadingNote, noticeLine, refuse, setViewState } from '../lib/view-status';
import { CYCLE_CHANGED, locationOf, type RenderView, type ViewContext } from '../view';

/**
 * The Reporting view: the status board of a year (universities × periods), each cell saying its
 * status in words and a symbol (never by colour alone), whether it is late, its due date, when it
 * was submitted and its records (a link to them). A cell opens the period: what its submission
 * froze, its history, and the steps the person's role may take, each in the form dialog. The year
 * lives in the URL (`#/reporting?year=2025`).
 */

type Action = 'submit' | 'approve' | 'return' | 'reopen' | 'due';

const OPEN_TO_SUBMIT: ReadonlySet<PeriodStatus> = new Set(['not_started', 'in_progress', 'returned', 'reopened']);

function readYear(params: URLSearchParams): number {
  const year = Number(params.get('year'));
  const now = thisYear();
  return Number.isInteger(year) && year >= AGREEMENT_YEAR && year <= now + 1 ? year : now;
}

const cellKey = (university: string, period: string) => `${university}/${period}`;
const monthsIn: Record<ReportingFrequency, number> = { month: 1, quarter: 3, year: 12 };

/** The steps a role may take on a period in its state (the server decides; this offers only what it would allow). */
function actionsFor(me: Me, period: PeriodState): Action[] {
  const out: Action[] = [];
  const own = me.role === 'admin' || (me.role === 'steward' && me.university === period.university);
  if (own && period.ended && OPEN_TO_SUBMIT.has(period.status)) out.push('submit');
  if ((me.role === 'admin' || me.role === 'leadership') && period.status === 'submitted') out.push('approve', 'return');
  if (me.role === 'admin' && period.status === 'approved') out.push('reopen');
  if (me.role === 'admin') out.push('due');
  return out;
}

/** A one-line text field of a step's form. */
const line = (a: ControlAttributes): TemplateResult => input(a, '', { maxlength: '2000' });

/** The one field of each step but the due date's: a note, or why (which must be given). */
const STEP_FIELDS: Record<Exclude<Action, 'due'>, { name: string; label: MessageKey; required?: boolean }> = {
  submit: { name: 'note', label: 'cycle.form.note' },
  approve: { name: 'note', label: 'cycle.form.approveNote' },
  return: { name: 'comment', label: 'cycle.form.comment', required: true },
  reopen: { name: 'reason', label: 'cycle.form.reason', required: true },
};

/** A period's status in words after its symbol (never colour alone). */
const statusWords = (status: PeriodStatus) =>
  html`<span class="status-symbol" aria-hidden="true">${PERIOD_STATUS_LABELS[status].symbol}</span>${pick(PERIOD_STATUS_LABELS[status])}`;
const statusLabel = (status: PeriodStatus) =>
  html`<span class="cycle-status-label" data-status=${status}>${statusWords(status)}</span>`;
const lateMark = () =>
  html`<span class="late-mark"><span aria-hidden="true">${LATE_LABEL.symbol}</span> ${pick(LATE_LABEL)}</span>`;

class ReportingView {
  private year: number;
  private board: BoardAnswer | undefined;
  private todo: TodoAnswer | undefined;
  private error: unknown;
  private notice: Notice | undefined;
  private readonly lifetime = new AbortController();

  constructor(
    private readonly container: HTMLElement,
    private ctx: ViewContext,
  ) {
    this.year = readYear(ctx.params);
  }

  async update(ctx: ViewContext): Promise<void> {
    this.ctx = ctx;
    this.year = readYear(ctx.params);
    this.notice = undefined;
    await this.load();
  }

  destroy(): void {
    this.lifetime.abort();
  }

  async load(): Promise<void> {
    const { signal } = this.ctx;
    this.error = undefined;
    setViewState(this.container, 'loading');
    this.draw();
    try {
      const [board, todo] = await Promise.all([
        call(endpoints.cycleBoard, { query: { year: String(this.year) }, signal }),
        call(endpoints.cycleTodo, { signal }),
      ]);
      if (signal.aborted || this.lifetime.signal.aborted) return;
      this.board = board;
      this.todo = todo;
      // The header's count, as fresh as the board (someone else may have taken a step since).
      dispatchEvent(new CustomEvent(CYCLE_CHANGED, { detail: todo }));
    } catch (error) {
      if (signal.aborted || this.lifetime.signal.aborted) return;
      this.board = undefined;
      this.error = error;
      setViewState(this.container, 'error');
      this.draw();
      return;
    }
    setViewState(this.container, this.board.universities.length === 0 ? 'empty' : 'ready');
    this.draw();
  }

  private draw(): void {
    render(this.template(), this.container);
  }

  private goYear(year: number): void {
    this.ctx.navigate('reporting', { year: String(year) });
  }

  /** The university's days from a period's end to its default due date, as the board says. */
  private dueDays(university: string): number {
    return this.board?.universities.find((u) => u.university === university)?.dueDays ?? 0;
  }

  private name(code: string): string {
    return universityName(this.ctx.meta, code);
  }

  // --- templates ---------------------------------------------------------------------------

  private template(): TemplateResult {
    const loading = this.container.dataset.state === 'loading';
    const csv = csvUrl('/cycle/board', new URLSearchParams({ year: String(this.year) }), lang());
    return html`<div class="records-head"><h1 tabindex="-1">${t('cycle.title')}</h1>
        <p class="muted">${t('cycle.intro')}</p></div>
      ${this.todoLine()}
      <div class="cycle-toolbar">${this.yearControl()}
        <a class="button-link" data-action="download-csv" download href=${csv}>${t('figure.download')}</a>
        <a class="button-link" data-action="download-xlsx" download href=${xlsxOf(csv, { forReading: true })}>${t('figure.downloadXlsx')}</a>
      </div>
      <div class="records-status records-notice">${noticeLine(this.notice)}</div>
      ${
        this.error !== undefined
          ? html`<p class="state error" role="alert">${t('state.error', { message: messageOf(this.error) })}</p>
              <button type="button" class="secondary" @click=${() => void this.load()}>${t('state.retry')}</button>`
          : nothing
      }
      ${!this.board && loading ? loadingNote() : nothing}
      ${this.board ? this.table(this.board) : nothing}
      ${this.legend()}`;
  }

  private todoLine(): TemplateResult | typeof nothing {
    const todo = this.todo;
    if (!todo) return nothing;
    if (todo.toReview !== null)
      return html`<p class="cycle-todo" data-todo="review">${
        todo.toReview > 0 ? t('cycle.review.waiting', { count: formatCount(todo.toReview) }) : t('cycle.review.none')
      }</p>`;
    const next = todo.next;
    return html`<p class="cycle-todo" data-todo="submit">${
      todo.toSubmit ? html`${t('cycle.dueNext.open', { count: formatCount(todo.toSubmit) })} ` : nothing
    }${
      next
        ? html`<strong data-next=${next.period}>${t(next.late ? 'cycle.dueNext.late' : 'cycle.dueNext', {
            period: next.period,
            date: formatDay(next.dueOn),
          })}</strong>`
        : t('cycle.dueNext.none')
    }</p>`;
  }

  private yearControl(): TemplateResult {
    const last = thisYear() + 1;
    const years = Array.from({ length: last - AGREEMENT_YEAR + 1 }, (_, i) => last - i);
    return html`<div class="cycle-year">
      <button type="button" class="secondary" data-action="previous-year" aria-label=${t('cycle.year.previous')}
        ?disabled=${this.year <= AGREEMENT_YEAR} @click=${() => this.goYear(this.year - 1)}>‹</button>
      <label for="cycle-year">${t('cycle.year')}</label>
      <select id="cycle-year" @change=${(e: Event) => this.goYear(Number((e.target as HTMLSelectElement).value))}>
        ${years.map((y) => html`<option value=${y} .selected=${y === this.year}>${y}</option>`)}
      </select>
      <button type="button" class="secondary" data-action="next-year" aria-label=${t('cycle.year.next')}
        ?disabled=${this.year >= last} @click=${() => this.goYear(this.year + 1)}>›</button>
    </div>`;
  }

  private legend(): TemplateResult {
    return html`<section class="cycle-legend" aria-labelledby="cycle-legend-title">
      <h2 id="cycle-legend-title">${t('cycle.legend')}</h2>
      <ul>
        ${(Object.keys(PERIOD_STATUS_LABELS) as PeriodStatus[]).map((status) => html`<li>${statusLabel(status)}</li>`)}
        <li>${lateMark()} ${t('cycle.late.hint')}</li>
      </ul>
    </section>`;
  }

  /** The columns of the board: the year cut as finely as its finest calendar (months, quarters or the year). */
  private columns(board: BoardAnswer): { months: number; labels: string[] } {
    const finest = board.universities.reduce((m, u) => Math.min(m, monthsIn[u.frequency]), 12);
    const count = 12 / finest;
    const tag = locale();
    const month = formatter(`month-short ${tag}`, () => new Intl.DateTimeFormat(tag, { month: 'short', timeZone: 'UTC' }));
    const labels = Array.from({ length: count }, (_, i) => {
      if (finest === 12) return String(board.year);
      if (finest === 3) return `Q${i + 1}`;
      return month.format(new Date(Date.UTC(board.year, i, 1)));
    });
    return { months: finest, labels };
  }

  private table(board: BoardAnswer): TemplateResult {
    if (board.universities.length === 0) return html`<p class="records-empty">${t('cycle.empty')}</p>`;
    const { months, labels } = this.columns(board);
    const { me } = this.ctx;
    return html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="cycle-board-caption">
      <table class="data-table cycle-board" data-year=${board.year}>
        <caption id="cycle-board-caption">${t('cycle.board.caption', { year: board.year })}</caption>
        <thead><tr><th scope="col">${t('table.university')}</th>${labels.map((l) => html`<th scope="col">${l}</th>`)}</tr></thead>
        <tbody>
          ${board.universities.map(
            (u) => html`<tr data-university=${u.university}>
              <th scope="row">
                <span class="cycle-university">${universityLabel(this.ctx.meta, u.university)}</span>
                <span class="cycle-calendar muted">${t('cycle.calendar', { frequency: pick(FREQUENCY_LABELS[u.frequency]), days: u.dueDays })}</span>
                ${
                  me.role === 'admin'
                    ? html`<button type="button" class="link-button" data-action="edit-calendar" data-calendar=${u.university}
                        aria-label=${t('cycle.calendar.editLabel', { university: this.name(u.university) })}
                        @click=${() => this.openCalendar(u.university, u.frequency, u.dueDays)}>${t('cycle.calendar.edit')}</button>`
                    : nothing
                }
              </th>
              ${this.cells(u.periods, months, labels.length)}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  /** A row's cells: each period spans the columns of its months; months before the university joined are blank. */
  private cells(periods: readonly PeriodState[], months: number, columns: number): TemplateResult[] {
    const out: TemplateResult[] = [];
    let at = 0;
    for (const period of periods) {
      const start = Math.floor((Number(period.from.slice(5, 7)) - 1) / months);
      const span = Math.max(1, Math.round(monthsIn[parseReportingPeriod(period.period)?.frequency ?? 'quarter'] / months));
      if (start > at)
        out.push(html`<td colspan=${start - at} class="cycle-none"><span class="muted">${t('cycle.noPeriod')}</span></td>`);
      out.push(this.cell(period, span));
      at = start + span;
    }
    if (at < columns) out.push(html`<td colspan=${columns - at}></td>`);
    return out;
  }

  private cell(period: PeriodState, span: number): TemplateResult {
    const key = cellKey(period.university, period.period);
    // The button and the link name their cell for a screen reader, which reads them out of the table.
    const of = html`<span class="visually-hidden">${t('cycle.cell.of', { university: this.name(period.university), period: period.period })}</span>`;
    const records = t(period.records === 1 ? 'cycle.records.one' : 'cycle.records', { count: formatCount(period.records) });
    const recordsHref = locationOf('records', {
      kind: 'tech_transfer',
      ...(this.ctx.me.role === 'steward' ? {} : { university: period.university }),
      from: period.from,
      to: period.to,
    });
    return html`<td colspan=${span} class="cycle-cell" data-cell=${key} data-status=${period.status} data-late=${period.late}>
      <button type="button" class="cycle-status-label" data-status=${period.status} data-action="open-period" data-open=${key}
        @click=${() => this.openPeriod(period)}>${statusWords(period.status)}${of}</button>
      ${period.late ? lateMark() : nothing}
      <span class="cycle-line">${period.period} · ${t('cycle.due', { date: formatDay(period.dueOn) })}</span>
      ${period.submittedAt ? html`<span class="cycle-line">${t('cycle.submittedOn', { date: formatDay(period.submittedAt) })}</span>` : nothing}
      <a class="cycle-line" href=${recordsHref} data-action="period-records">${records}${of}</a>
      ${
        period.status === 'returned' && period.lastStep?.comment
          ? html`<span class="cycle-line cycle-comment">${t('cycle.returned.comment', { comment: period.lastStep.comment })}</span>`
          : nothing
      }
    </td>`;
  }

  // --- the period's dialog and its steps -----------------------------------------------------

  private openPeriod(period: PeriodState): void {
    const title = t('cycle.detail.title', { university: this.name(period.university), period: period.period });
    const dialog = openDialog(this.container, { title, className: 'cycle-dialog' });
    const draw = (content: unknown) => render(content, dialog.body);
    draw(loadingNote());
    void call(endpoints.reportingPeriod, {
      params: { university: period.university, period: period.period },
      signal: this.lifetime.signal,
    }).then(
      (answer) => {
        draw(this.detail(answer, dialog.close));
        dialog.body.querySelector<HTMLElement>('.cycle-actions button')?.focus();
      },
      (error) => draw(html`<p class="state error" role="alert">${t('state.error', { message: messageOf(error) })}</p>`),
    );
  }

  private detail(answer: PeriodAnswer, close: () => void): TemplateResult {
    const actions = actionsFor(this.ctx.me, answer);
    const row = (key: MessageKey, value: unknown) => html`<dt>${t(key)}</dt><dd>${value}</dd>`;
    return html`<p class="muted">${t('cycle.detail.span', { from: formatDay(answer.from), to: formatDay(answer.to) })}</p>
      <dl class="cycle-facts">
        ${row('cycle.detail.status', html`${statusLabel(answer.status)}${answer.late ? html` ${lateMark()}` : nothing}`)}
        ${row('cycle.detail.due', formatDay(answer.dueOn))}
        ${row('cycle.detail.records', formatCount(answer.records))}
        ${answer.submittedAt ? row('cycle.detail.submitted', formatMoment(answer.submittedAt)) : nothing}
        ${answer.sha256 ? row('cycle.detail.sha', html`<code class="cycle-sha">${answer.sha256}</code>`) : nothing}
      </dl>
      ${answer.status === 'approved' ? html`<p class="records-note">${t('cycle.detail.closed')}</p>` : nothing}
      <h3>${t('records.actions')}</h3>
      <div class="dialog-actions start cycle-actions">${
        actions.length === 0
          ? html`<p class="muted">${!answer.ended ? t('cycle.detail.notEnded', { to: formatDay(answer.to) }) : t('cycle.detail.noActions')}</p>`
          : actions.map(
              (action) =>
                html`<button type="button" class=${action === 'return' || action === 'reopen' ? 'secondary' : 'primary'}
                  data-action=${`period-${action}`} @click=${() => this.openStep(action, answer, close)}>${t(`cycle.action.${action}`)}</button>`,
            )
      }</div>
      <h3>${t('cycle.detail.history')}</h3>
      ${
        answer.steps.length === 0
          ? html`<p class="muted">${t('cycle.detail.history.none')}</p>`
          : html`<ol class="cycle-history">${answer.steps.map((s) => this.step(s))}</ol>`
      }
      <h3>${t('cycle.detail.summary')}</h3>
      ${this.summary(answer)}`;
  }

  private step(s: PeriodStep): TemplateResult {
    return html`<li data-step=${s.action}>
      ${t('cycle.step.line', { action: pick(STEP_LABELS[s.action]), who: s.by ?? t('cycle.step.someone'), when: formatMoment(s.at) })}
      ${s.comment ? html`<br /><span class="cycle-comment">${t('cycle.comment', { comment: s.comment })}</span>` : nothing}
    </li>`;
  }

  private summary(answer: PeriodAnswer): TemplateResult {
    if (!answer.summary) return html`<p class="muted">${t('cycle.detail.summary.none')}</p>`;
    const totals = (kind: keyof typeof KIND_COLUMNS, values: Record<string, number>) =>
      joinClauses(
        Object.entries(values).map(([name, value]) => {
          const column = KIND_COLUMNS[kind].find((c) => c.name === name);
          // Money to the fen, with its unit, as the tables show it; counts and credits as numbers.
          const shown = column?.type === 'money' ? formatValue(value, 'cny', { exact: true }) : value.toLocaleString(locale());
          return labelled(column ? pick(column.label) : name, shown);
        }),
      );
    return html`<div class="table-scroll" tabindex="0" role="region" aria-label=${t('cycle.detail.summary')}>
      <table class="data-table cycle-summary">
        <thead><tr><th scope="col">${t('cycle.detail.kind')}</th><th scope="col">${t('table.records')}</th><th scope="col">${t('cycle.detail.totals')}</th></tr></thead>
        <tbody>${Object.entries(answer.summary).map(
          ([kind, part]) =>
            html`<tr><th scope="row">${pick(KIND_NAMES[kind as keyof typeof KIND_NAMES])}</th><td>${formatCount(part.records)}</td>
              <td>${totals(kind as keyof typeof KIND_COLUMNS, part.totals)}</td></tr>`,
        )}</tbody>
      </table>
    </div>`;
  }

  /** One step's form; once it is taken, the period's dialog closes, the board reloads, and the keyboard returns to its cell. */
  private openStep(action: Action, period: PeriodAnswer, closeDetail: () => void): void {
    const names = { university: this.name(period.university), period: period.period };
    const params = { university: period.university, period: period.period };
    let said: string | undefined;
    const fields: FormField[] = [
      action === 'due'
        ? {
            name: 'dueOn',
            label: t('cycle.form.dueOn'),
            hint: t('cycle.form.dueOn.hint', { date: formatDay(addDays(period.to, this.dueDays(period.university))) }),
            control: (a) => input(a, period.dueOn, { type: 'date' }),
          }
        : { ...STEP_FIELDS[action], label: t(STEP_FIELDS[action].label), control: line },
    ];
    const send = async (values: Record<string, string>): Promise<void> => {
      const note = values.note ? { note: values.note } : {};
      if (action === 'submit') await call(endpoints.submitPeriod, { params, body: note });
      else if (action === 'approve') await call(endpoints.approvePeriod, { params, body: note });
      else if (action === 'return') await call(endpoints.returnPeriod, { params, body: { comment: values.comment ?? '' } });
      else if (action === 'reopen') await call(endpoints.reopenPeriod, { params, body: { reason: values.reason ?? '' } });
      else {
        const answer = await call(endpoints.setPeriodDue, { params, body: { dueOn: values.dueOn || null } });
        said = t('cycle.done.due', { ...names, date: formatDay(answer.dueOn) });
        return;
      }
      said = t(`cycle.done.${action}`, names);
    };
    const form = openFormDialog(this.container, {
      title: t(`cycle.form.${action}.title`, names),
      className: 'cycle-step-dialog',
      saveAction: `confirm-${action}`,
      ...(action === 'due' ? {} : { saveLabel: t(`cycle.action.${action}`) }),
      fields,
      submit: send,
    });
    form.dialog.addEventListener('close', () => {
      if (said === undefined) return;
      closeDetail();
      void this.afterChange(said, `[data-open="${cellKey(period.university, period.period)}"]`);
    });
  }

  private openCalendar(university: string, frequency: ReportingFrequency, dueDays: number): void {
    const name = this.name(university);
    let said: string | undefined;
    const choices = REPORTING_FREQUENCIES.map((f) => ({ value: f, label: pick(FREQUENCY_LABELS[f]) }));
    const form = openFormDialog(this.container, {
      title: t('cycle.calendar.title', { university: name }),
      className: 'cycle-step-dialog',
      saveAction: 'save-calendar',
      fields: [
        {
          name: 'frequency',
          label: t('cycle.calendar.frequency'),
          required: true,
          choices,
          control: (a) => select(a, choices, frequency),
        },
        {
          name: 'dueDays',
          label: t('cycle.calendar.dueDays'),
          hint: t('cycle.calendar.dueDays.hint'),
          required: true,
          control: (a) => input(a, String(dueDays), { inputmode: 'numeric' }),
        },
      ],
      submit: async (values) => {
        const days = /^\d+$/.test(values.dueDays ?? '') ? Number(values.dueDays) : values.dueDays;
        const saved = await call(endpoints.setCalendar, {
          params: { university },
          // A value that is no whole number goes as typed: the server names the field and the rule.
          body: { frequency: values.frequency as ReportingFrequency, dueDays: days as number },
        });
        said = t('cycle.calendar.saved', {
          university: name,
          calendar: t('cycle.calendar', { frequency: pick(FREQUENCY_LABELS[saved.frequency]), days: saved.dueDays }),
        });
      },
    });
    form.dialog.addEventListener('close', () => {
      if (said !== undefined) void this.afterChange(said, `[data-calendar="${university}"]`);
    });
  }

  /** After a change: the board again, what happened said, the keyboard back where the change began. */
  private async afterChange(message: string, focus: string): Promise<void> {
    // The board's reload reads the to-do again and hands it to the header.
    await this.load();
    if (this.lifetime.signal.aborted) return;
    this.notice = { text: message };
    this.draw();
    this.container.querySelector<HTMLElement>(focus)?.focus();
  }
}

export const renderReporting: RenderView = async (container, ctx) => {
  if (ctx.me.role === 'commission') return refuse(container, t('cycle.title'), t('records.forbidden'));
  const view = new ReportingView(container, ctx);
  await view.load();
  return { update: (next) => view.update(next), destroy: () => view.destroy() };
};
