import '../report.css';
import { html, nothing, render } from 'lit-html';
import { ApiError, call, endpoints } from '../api';
import { xlsxOf } from '../lib/downloads';
import { lang as interfaceLang, LANGUAGES, t as appText } from '../i18n';
import { AGREEMENT_YEAR, periodRange, REPORT_PERIOD, thisYear, today } from '../lib/dates';
import { type ReportKey, type ReportLang, reportDate, reportText, reportTime, unitText } from '../lib/report-format';
import type { MeasureId } from '../../contract/measure-ids';
import type { Breakdown, ReportDocument } from '../../contract/report';
import type { LiveReport, Submission, SubmissionWithRevisions } from '../../contract/schemas/report';
import { loadingNote, ViewStatus } from '../lib/view-status';
import type { RenderView, ViewContext } from '../view';
import { type BarSpec, ReportCharts } from './report-charts';
import { revisionsSection } from './report-revisions';
import type { ReportStatusTable } from '../../contract/enums';
import {
  attainmentTable,
  breakdownTable,
  comparisonsTable,
  definitionsTable,
  matrixTable,
  nationalTable,
  ReportWords,
  reportStatusMark,
  sectionStatus,
  statusSection,
  summaryTable,
} from './report-tables';

/**
 * The commission report: one period (a year, a half or a quarter) in one language, laid out for
 * A4 (report.css), live or exactly as submitted. Its URL says everything it shows
 * (`#/report?period=2024-H1&lang=zh&submission=3`), so the command line prints the same page.
 * The view renders in place (the controls keep focus across a change of period or language);
 * its root's `data-state="ready"` is set once the tables, charts and fonts are drawn.
 */

const PARTS = ['year', 'H1', 'H2', 'Q1', 'Q2', 'Q3', 'Q4'] as const;
const SUBMITTERS = ['admin', 'leadership'];
/** The roles on the alliance's side, whose reader may be named as the contact of a report not yet submitted. */
const PREPARERS = ['admin', 'leadership', 'steward'];

interface ReportParams {
  period: string;
  lang: ReportLang;
  submission: number | null;
}

/** What the last load found: the document, live or as submitted, and the period's submissions. */
interface Loaded {
  doc: ReportDocument;
  live?: LiveReport;
  submitted?: SubmissionWithRevisions;
  submissions: Submission[];
}

function readParams(params: URLSearchParams): ReportParams {
  const given = params.get('period') ?? '';
  const period = REPORT_PERIOD.test(given) ? given : String(thisYear() - 1);
  const asked = params.get('lang');
  const lang = asked === 'zh' || asked === 'en' ? asked : interfaceLang();
  const submission = /^[1-9]\d{0,15}$/.test(params.get('submission') ?? '') ? Number(params.get('submission')) : null;
  return { period, lang, submission };
}

const periodOf = (year: string, part: string) => (part === 'year' ? year : `${year}-${part}`);

/** Whether a period has begun (one that has not cannot be reported). */
const begun = (period: string): boolean => periodRange(period).from <= today();

export const renderReport: RenderView = async (container, first) => {
  const status = new ViewStatus(container, () => draw());
  const charts = new ReportCharts();
  let ctx = first;
  let p = readParams(first.params);
  let loaded: Loaded | undefined;
  /** Whether the document the URL names is being fetched. */
  let fetching = false;
  /** The submission dialog: closed, open, or open with why the last try failed. */
  let dialog: { failed?: string; busy?: boolean } | undefined;

  const t = (key: ReportKey, values?: Record<string, string | number>) => reportText(p.lang, key, values);
  const go = (next: Partial<ReportParams>) => {
    const to = { ...p, ...next };
    ctx.navigate('report', {
      period: to.period,
      lang: to.lang,
      submission: to.submission === null ? undefined : String(to.submission),
    });
  };

  /** The last document loaded, while it is of the period the URL names (the controls list its submissions). */
  const ofPeriod = (): Loaded | undefined => (loaded?.doc.period.key === p.period ? loaded : undefined);
  /**
   * What the page shows: the last document loaded while it is the one the URL names; while another
   * language of it loads, it stays, dimmed and busy. Another period's or submission's figures are
   * never left under the controls that name this one: while it loads, the loading note stands alone.
   */
  const showing = (): Loaded | undefined =>
    (ofPeriod()?.submitted?.submission.id ?? null) === p.submission ? ofPeriod() : undefined;

  const draw = () => {
    const current = showing();
    // The status sits in a box of its own: hidden, it is no `.view-report > .state.error` for the printer to find.
    render(
      html`${controls()}<div class="report-state" aria-live="polite">${fetching ? loadingNote() : status.alert()}</div>${current ? page(current, fetching) : nothing}${submitDialog()}`,
      container,
    );
    charts.draw(container);
    const open = container.querySelector('dialog');
    if (open && !open.open) {
      open.showModal();
      open.querySelector('textarea')?.focus();
    }
  };

  const showDialog = (next: typeof dialog) => {
    dialog = next;
    draw();
  };

  const controls = () => {
    const year = p.period.slice(0, 4);
    const part = p.period.slice(5) || 'year';
    const years = Array.from({ length: thisYear() - AGREEMENT_YEAR + 1 }, (_, i) => String(AGREEMENT_YEAR + i)).reverse();
    const changeYear = (event: Event) => {
      const next = (event.target as HTMLSelectElement).value;
      go({ period: begun(periodOf(next, part)) ? periodOf(next, part) : next, submission: null });
    };
    const submissions = ofPeriod()?.submissions ?? [];
    return html`<div class="report-controls no-print" role="group" aria-label=${t('report.controls')}>
      <label class="control"><span>${t('report.yearLabel')}</span>
        <select id="report-year" name="year" @change=${changeYear}>
          ${years.map((y) => html`<option value=${y} .selected=${y === year}>${y}</option>`)}
        </select>
      </label>
      <label class="control"><span>${t('report.partLabel')}</span>
        <select id="report-part" name="part" @change=${(e: Event) => go({ period: periodOf(year, (e.target as HTMLSelectElement).value), submission: null })}>
          ${PARTS.map(
            (key) =>
              html`<option value=${key} .selected=${key === part} ?disabled=${!begun(periodOf(year, key))}>${t(`report.part.${key}`)}</option>`,
          )}
        </select>
      </label>
      <fieldset class="report-lang">
        <legend>${t('report.langLabel')}</legend>
        ${LANGUAGES.map(
          ({ code, name, tag }) =>
            html`<button type="button" data-report-lang=${code} aria-pressed=${p.lang === code} lang=${tag} @click=${() => go({ lang: code })}>${name}</button>`,
        )}
      </fieldset>
      ${
        submissions.length === 0
          ? nothing
          : html`<label class="control"><span>${t('report.submissionsLabel')}</span>
            <select id="report-submission" name="submission" @change=${(e: Event) => {
              const value = (e.target as HTMLSelectElement).value;
              go({ submission: value === '' ? null : Number(value) });
            }}>
              <option value="" .selected=${p.submission === null}>${t('report.openLive')}</option>
              ${submissions.map(
                (s) =>
                  html`<option value=${s.id} .selected=${s.id === p.submission}>#${s.id} · ${reportTime(s.submittedAt, p.lang)} · ${s.submittedBy.name}</option>`,
              )}
            </select>
          </label>`
      }
      ${
        showing()?.live && SUBMITTERS.includes(ctx.me.role)
          ? html`<button type="button" data-action="submit-report" @click=${() => showDialog({})}>${t('report.submit')}</button>`
          : nothing
      }
      ${
        showing()?.submitted
          ? html`<a class="tool" href="/api/v1/report/submissions/${p.submission}/document" download data-action="download-json">${t('report.downloadJson')}</a>`
          : nothing
      }
      ${
        showing()
          ? html`<a class="tool" href=${fileOf('pdf')} download data-action="download-pdf">${t('report.downloadPdf')}</a>
              <a class="tool" href=${xlsxOf(fileOf('pdf'))} download data-action="download-xlsx">${t('report.downloadXlsx')}</a>`
          : nothing
      }
      <button type="button" class="primary" data-action="print" @click=${() => window.print()}>${t('report.print')}</button>
    </div>`;
  };

  /** Said before a report is frozen while some of what it draws on is not approved: how many, and that it stays so. */
  const notFinalWarning = (count: number) =>
    count === 0
      ? nothing
      : html`<p class="form-warning" role="note" data-not-final=${count}>${t('report.submitNotFinal', { count: String(count) })}</p>`;

  const submitDialog = () => {
    const live = showing()?.live;
    if (!dialog || !live) return nothing;
    const submit = async (event: SubmitEvent) => {
      event.preventDefault();
      const note = (event.target as HTMLFormElement).querySelector('textarea')!.value.trim();
      showDialog({ busy: true });
      try {
        const answer = await call(endpoints.submitReport, {
          body: { period: live.report.period.key, lang: p.lang, expectedSha256: live.sha256, ...(note ? { note } : {}) },
        });
        showDialog(undefined);
        ctx.navigate('report', { period: live.report.period.key, lang: p.lang, submission: String(answer.submission.id) });
      } catch (e) {
        showDialog({ failed: t('report.submitFailed', { message: e instanceof ApiError ? e.message : String(e) }) });
      }
    };
    const close = (event: Event) => (event.target as HTMLElement).closest('dialog')?.close();
    return html`<dialog class="report-submit-dialog no-print" aria-labelledby="report-submit-title" @close=${() => showDialog(undefined)}>
      <h2 id="report-submit-title">${t('report.submitTitle', { period: live.report.period.label[p.lang] })}</h2>
      <form method="dialog" class="report-submit-form" @submit=${submit}>
        <p>${t('report.submitExplain')}</p>
        ${notFinalWarning(live.report.status?.notFinal.length ?? 0)}
        <p class="muted mono">${t('report.sha', { sha: live.sha256 })}</p>
        <label for="report-submit-note">${t('report.submitNote')}</label>
        <textarea id="report-submit-note" rows="3" maxlength="2000"></textarea>
        <p class="form-error" role="alert" ?hidden=${!dialog.failed}>${dialog.failed ?? ''}</p>
        <div class="dialog-actions">
          <button type="button" data-action="cancel" @click=${close}>${t('report.cancel')}</button>
          <button type="submit" class="primary" data-action="confirm-submit" ?disabled=${dialog.busy === true}>${t('report.submitConfirm')}</button>
        </div>
      </form>
    </dialog>`;
  };

  /**
   * A file of the report shown: the PDF the server prints (its text layer names ideographs, where a
   * browser's own PDF may name radicals), or one table's CSV.
   */
  const fileOf = (format: 'pdf' | 'csv', table?: string) => {
    const rest = `format=${format}${table ? `&table=${table}` : ''}&lang=${p.lang}`;
    return p.submission === null
      ? `/api/v1/report?period=${encodeURIComponent(showing()?.doc.period.key ?? '')}&${rest}`
      : `/api/v1/report/submissions/${p.submission}?${rest}`;
  };

  /** What the figures are: as submitted (and whether they still stand), or live (and against the last submission). */
  const standing = (w: ReportWords, { live, submitted, submissions: [last, ...rest] }: Loaded) => {
    if (submitted) {
      const { submission: s, live: now } = submitted;
      return html`<p class="status submitted">${w.t('report.submitted', { at: reportTime(s.submittedAt, p.lang), who: s.submittedBy.name, id: s.id })}</p>
        ${s.note ? html`<p>${w.t('report.note', { note: s.note })}</p>` : nothing}
        <p class="status ${now.unchanged ? 'same' : 'changed'}">${now.unchanged ? w.t('report.unchanged') : w.t('report.changed', { count: submitted.revisions.length, figures: submitted.differences.length })}</p>`;
    }
    if (!live) return nothing;
    const before =
      last &&
      w.t('report.liveSubmitted', {
        count: rest.length + 1,
        at: reportTime(last.submittedAt, p.lang),
        who: last.submittedBy.name,
      });
    return html`<p class="status live">${last ? `${before}${p.lang === 'zh' ? '' : ' '}${w.t(last.sha256 === live.sha256 ? 'report.liveSame' : 'report.liveDiffers')}` : w.t('report.live')}</p>`;
  };

  /**
   * Who sends the report, when, whom to ask, and room for the seal, as a government office files it.
   * The date is the submission's, else the day it is printed; the contact is the submitter, else the
   * reader when on the alliance's side, else a line to fill in by hand.
   */
  const coverBlock = (w: ReportWords, { doc, submitted }: Loaded) => {
    const lead = doc.universities.find((u) => u.lead);
    const alliance = w.t('report.alliance');
    const preparer = lead ? w.t('report.cover.preparer', { alliance, lead: lead.name[p.lang] }) : alliance;
    const date = submitted
      ? reportDate(submitted.submission.submittedAt, p.lang)
      : w.t('report.cover.printed', { date: reportDate(today(), p.lang) });
    const contact = submitted ? submitted.submission.submittedBy.name : PREPARERS.includes(ctx.me.role) ? ctx.me.name : '';
    const line = (key: ReportKey, id: string, value: string) =>
      html`<div data-cover=${id}><dt>${w.t(key)}${w.colon}</dt><dd>${value === '' ? html`<span class="fill-line"></span>` : value}</dd></div>`;
    return html`<div class="report-cover-block" data-cover-block>
      <dl>
        ${line('report.cover.preparedBy', 'preparer', preparer)}
        ${line('report.cover.date', 'date', date)}
        ${line('report.cover.contact', 'contact', contact)}
      </dl>
      <div class="report-seal" data-cover="seal" role="img" aria-label=${w.t('report.cover.seal')}>${w.t('report.cover.sealHere')}</div>
    </div>`;
  };

  /** The annex: what identifies the figures (digests, versions, the submission), for checking a copy. */
  const annex = (w: ReportWords, { doc, live, submitted, submissions: [last] }: Loaded) => {
    const item = (key: ReportKey, value: string, mono = false, values?: Record<string, string | number>) => ({
      key: key.slice('report.annex.'.length),
      cells: [
        { text: w.t(key, values), header: true },
        { text: value, mono },
      ],
    });
    const s = submitted?.submission;
    const rows = [
      item('report.annex.kind', s ? w.t('report.annex.submission', { id: s.id }) : w.t('report.annex.live')),
      ...(s
        ? [
            item('report.annex.submittedAt', reportTime(s.submittedAt, p.lang)),
            item('report.annex.submittedBy', s.submittedBy.name),
            ...(s.note ? [item('report.annex.note', s.note)] : []),
          ]
        : []),
      item('report.annex.sha', s?.sha256 ?? live?.sha256 ?? '—', true),
      ...(submitted ? [item('report.annex.liveSha', submitted.live.sha256, true)] : []),
      ...(!s && last ? [item('report.annex.lastSha', last.sha256, true, { id: last.id })] : []),
      item('report.annex.asOf', reportTime(doc.data.asOf, p.lang)),
      item('report.annex.version', String(doc.data.version)),
      item(
        'report.annex.records',
        w.t('report.annex.recordsSpan', { first: doc.data.firstDate ?? '—', last: doc.data.lastDate ?? '—' }),
      ),
      item('report.annex.format', doc.format),
    ];
    return html`<section class="report-section report-annex" data-section="annex">
      <h2>${w.t('report.section.annex')}</h2>
      <p>${w.t('report.annex.intro')}</p>
      ${w.table({
        id: 'annex',
        caption: w.t('report.annex.table'),
        className: 'annex-table',
        columns: [{ label: w.t('report.annex.col.item') }, { label: w.t('report.annex.col.value') }],
        rows,
      })}
    </section>`;
  };

  /** The printed report: cover lines, the six sections of figures, definitions, and revisions when submitted. */
  const page = (shown: Loaded, busy: boolean) => {
    const { doc, submitted } = shown;
    const w = new ReportWords(doc, p.lang, (table) => fileOf('csv', table));
    const span = (period: ReportDocument['period']) => ({ label: period.label[p.lang], from: period.from, to: period.to });
    const cny = unitText('cny', p.lang);
    // A section of figures says its status beside its heading (the tables it holds, the least settled).
    const SECTION_TABLES: Record<string, ReportStatusTable[]> = {
      summary: ['summary'],
      targets: ['comparisons', 'attainmentByUniversity'],
      tech: ['techTransfer', 'national'],
      incubation: ['incubation'],
      talent: ['talent'],
      credits: ['credits'],
    };
    const section = (id: string, body: unknown) => {
      const status = SECTION_TABLES[id] ? sectionStatus(w, SECTION_TABLES[id]) : undefined;
      return html`<section class="report-section" data-section=${id} data-status=${status ?? nothing}><h2>${w.t(`report.section.${id}` as ReportKey)}</h2>${
        status ? html`<p class="section-status">${w.t('report.status.ofSection')} ${reportStatusMark(w, status)}</p>` : nothing
      }${body}</section>`;
    };
    const side = (table: unknown, figure: unknown) => html`<div class="side-by-side">${table}${figure}</div>`;
    /** A chart of the figures of one table (`table`, named in its caption by `ref`), never of another's. */
    const bars = (
      id: string,
      table: string,
      ref: ReportKey,
      title: string,
      rows: Array<[string, number]>,
      more: Partial<BarSpec> = {},
    ) =>
      charts.figure({
        id,
        title,
        table,
        source: w.t('report.chart.source', { table: w.t(ref) }),
        labels: rows.map(([l]) => l),
        values: rows.map(([, v]) => v),
        unit: 'count',
        lang: p.lang,
        ...more,
      });
    const items = <R extends { level: string }>(rows: R[], level = 'item') => rows.filter((r) => r.level === level);
    /**
     * A breakdown's table (`report.table.<name>`) and beside it the chart of one of its measures by
     * its items (`report.chart.<name>`), as the table's column shows them.
     */
    const breakdown = (name: string, head: string, table: string, data: Breakdown, measure: MeasureId, more: Partial<BarSpec>) =>
      side(
        breakdownTable(w, table, name, head, data),
        bars(
          name,
          table,
          `report.ref.${name}` as ReportKey,
          w.t(`report.chart.${name}` as ReportKey, { unit: cny }),
          items(data.rows).map((r) => [w.label(r.code), r.figures[measure]?.value ?? 0]),
          { unit: w.unit(measure), ...more },
        ),
      );
    const summary = doc.summary.measures;
    // Technology transfer's headline figures and incubation; rewards and averages are in the national block (Table 3c).
    const partA = summary.filter((m) => doc.techTransfer.byMode.measures.includes(m) || m.startsWith('incubation.'));
    const partB = summary.filter((m) => !m.startsWith('tech_transfer.') && !partA.includes(m));
    const [credits, students] = doc.credits.matrices;
    const value = 'tech_transfer.contract_value';

    return html`<article class="report-page" lang=${p.lang === 'zh' ? 'zh-CN' : 'en'} data-period=${doc.period.key} data-synthetic=${doc.data.synthetic} aria-busy=${busy}>
      <!-- The watermark is drawn from an attribute, not the DOM's text: decorative, and said in words on the cover and in the footer. -->
      ${doc.data.synthetic ? html`<div class="report-watermark" aria-hidden="true" data-text=${w.t('report.watermark')}></div>` : nothing}
      <header class="report-cover">
        <p class="report-alliance">${w.t('report.alliance')}</p>
        <h1>${doc.period.label[p.lang]} ${w.t('report.title')}</h1>
        <p class="report-addressee">${w.t('report.addressee')}</p>
        <p>${w.t('report.period', span(doc.period))}</p>
        ${doc.complete ? nothing : html`<p class="status changed">${w.t('report.incomplete')}</p>`}
        <p data-as-of=${doc.data.asOf ?? ''}>${w.t('report.asOf', { time: reportTime(doc.data.asOf, p.lang), first: doc.data.firstDate ?? '—', last: doc.data.lastDate ?? '—' })}</p>
        ${doc.data.synthetic ? html`<p class="synthetic-note">${w.t('report.synthetic')}</p>` : nothing}
        ${standing(w, shown)}
        <p class="muted">${w.t('report.moneyNote')}${p.lang === 'zh' ? '' : ' '}${w.t('report.recordsNote')}</p>
        ${coverBlock(w, shown)}
      </header>
      ${section(
        'summary',
        html`${summaryTable(w, 'summary', 'report.table.summaryA', partA)}
        ${bars(
          'by-university',
          'summary',
          'report.ref.summaryA',
          w.t('report.chart.byUniversity', { unit: cny }),
          items(doc.summary.rows, 'university').map((r) => [w.university(r.code!), r.cells[value]?.value ?? 0]),
          { unit: 'cny', horizontal: true, height: 40 + 28 * items(doc.summary.rows, 'university').length },
        )}
        ${summaryTable(w, 'summary-b', 'report.table.summaryB', partB)}`,
      )}
      ${section(
        'targets',
        // The alliance's attainment beside its table, then each member's: no chart left alone on a page.
        html`${comparisonsTable(w)}
        ${bars(
          'attainment',
          'comparisons',
          'report.ref.comparisons',
          w.t('report.chart.attainment', { year: doc.targetYear }),
          doc.comparisons
            .filter((c) => c.target !== null && c.attainment !== null)
            .map((c) => [w.measureName(c.measure), c.attainment ?? 0]),
          { percent: true, horizontal: true, reference: 1, height: 240 },
        )}
        ${attainmentTable(w)}`,
      )}
      ${section(
        'tech',
        html`${breakdown('modes', 'mode', 'tech-transfer-modes', doc.techTransfer.byMode, value, {})}
        ${breakdown('bands', 'band', 'tech-transfer-bands', doc.techTransfer.byValueBand, value, { horizontal: true, height: 180 })}
        ${nationalTable(w)}`,
      )}
      ${section('incubation', breakdownTable(w, 'incubation-fields', 'fields', 'field', doc.incubation.byField))}
      ${section(
        'talent',
        breakdown('levels', 'level', 'joint-training-levels', doc.talent.byLevel, 'talent.trainees', {
          horizontal: true,
          height: 180,
        }),
      )}
      ${section('credits', html`${matrixTable(w, 'credit-recognition', 'report.table.credits', credits)}${matrixTable(w, 'credit-students', 'report.table.students', students)}`)}
      ${section(
        'definitions',
        html`${definitionsTable(w)}
        <h3>${w.t('report.bases.title')}</h3>
        <ul class="bases">
          <li>${w.t('report.bases.period', span(doc.period))}</li>
          <li>${w.t('report.bases.previous', span(doc.previousPeriod))}</li>
          <li>${w.t('report.bases.yearAgo', span(doc.yearAgoPeriod))}</li>
          <li>${w.attainmentBasis()}</li>
          <li>${w.t('report.bases.subtotals')}</li>
          <li>${w.t('report.moneyNote')}${p.lang === 'zh' ? '' : ' '}${w.t('report.recordsNote')}</li>
        </ul>
        <h3>${w.t('report.bases.standards')}</h3>
        <ul class="standards">
          ${[...new Set(doc.measures.map((m) => m.standard.code))].map((code) => html`<li data-standard=${code}>${doc.standards[code]?.[p.lang] ?? code}</li>`)}
        </ul>`,
      )}
      ${submitted ? revisionsSection(w, submitted) : nothing}
      ${statusSection(w)}
      ${annex(w, shown)}
    </article>`;
  };

  /** What the printed footer says on every page (the command line's PDF reads it from here). */
  const footer = ({ doc, submitted }: Loaded) =>
    [
      t('report.footer', { alliance: t('report.alliance'), title: t('report.title'), period: doc.period.label[p.lang] }),
      submitted
        ? t('report.footerSubmitted', { id: submitted.submission.id, sha: submitted.submission.sha256.slice(0, 16) })
        : t('report.footerLive'),
      ...(doc.data.synthetic ? [t('report.watermark')] : []),
    ].join(' · ');

  const fetchReport = async ({ period, lang, submission }: ReportParams, signal: AbortSignal): Promise<Loaded> => {
    const list = (key: string) => call(endpoints.submissions, { search: new URLSearchParams({ period: key }), signal });
    if (submission !== null) {
      const submitted = await call(endpoints.submission, { params: { id: submission }, signal });
      return { doc: submitted.report, submitted, submissions: (await list(submitted.report.period.key)).submissions };
    }
    const [live, listed] = await Promise.all([
      call(endpoints.report, { search: new URLSearchParams({ period, lang }), signal }),
      list(period),
    ]);
    return { doc: live.report, live, submissions: listed.submissions };
  };

  const load = async (next: ViewContext) => {
    ctx = next;
    p = readParams(next.params);
    // A period or language the URL names but no report has (2024-Q5, fr): the URL is set to what is shown.
    const [period, language] = [next.params.get('period'), next.params.get('lang')];
    if ((period !== null && period !== p.period) || (language !== null && language !== p.lang)) {
      const corrected = new URLSearchParams(next.params);
      corrected.set('period', p.period);
      corrected.set('lang', p.lang);
      next.navigate('report', corrected, { replace: true });
      return;
    }
    await status.run(next.signal, async () => {
      // At once: the controls name the period asked for, and the page says it is loading.
      fetching = true;
      draw();
      let found: Loaded;
      try {
        found = await fetchReport(p, next.signal);
      } finally {
        // A newer load, which aborted this one, is fetching still.
        if (!next.signal.aborted) fetching = false;
      }
      if (next.signal.aborted) return undefined;
      // A submission is of its own period, whatever the URL said.
      p.period = found.doc.period.key;
      loaded = found;
      draw();
      Object.assign(container.dataset, {
        period: found.doc.period.key,
        sha256: found.submitted?.submission.sha256 ?? found.live?.sha256 ?? '',
        submission: p.submission === null ? '' : String(p.submission),
        footer: footer(found),
      });
      // The printed PDF's title is the document's: the report's, in the report's language.
      document.title = t('report.docTitle', {
        alliance: t('report.alliance'),
        period: found.doc.period.label[p.lang],
        title: t('report.title'),
      });
      // Printed the moment it is ready: wait for the CJK fonts the tables use.
      await document.fonts.ready;
      return next.signal.aborted ? undefined : 'ready';
    });
    // A report that could not be read is not shown as if it were this one: the error says why.
    if (container.dataset.state === 'error' && !next.signal.aborted) {
      loaded = undefined;
      draw();
    }
  };

  await load(first);
  return {
    update: load,
    destroy: () => {
      charts.destroy();
      document.title = appText('app.title');
    },
  };
};
