import '../report.css';
import { ApiError, request } from '../api';
import { element } from '../dom';
import type { ChartSlot } from '../lib/charts';
import { setViewState } from '../lib/view-status';
import { type ReportKey, reportText, reportTime, unitText } from '../lib/report-format';
import type { LiveReportAnswer, ReportDocument, ReportLang, Submission, SubmissionAnswer } from '../lib/report-types';
import { lang as interfaceLang, t } from '../i18n';
import type { RenderView, ViewContext } from '../view';
import { barChart } from './report-charts';
import { revisionsSection } from './report-revisions';
import {
  attainmentTable,
  breakdownTable,
  comparisonsTable,
  definitionsTable,
  matrixTable,
  nationalTable,
  ReportWords,
  summaryTable,
} from './report-tables';

/**
 * The commission report: one period (a year, a half or a quarter) in one language, laid out for
 * A4 (report.css), live or exactly as submitted. Its URL says everything it shows
 * (`#/report?period=2024-H1&lang=zh&submission=3`), so the command line prints the same page.
 * The root's `data-state="ready"` is set once the tables, charts and fonts are drawn.
 */

const PARTS = ['year', 'H1', 'H2', 'Q1', 'Q2', 'Q3', 'Q4'] as const;
const FIRST_YEAR = 2019;
const SUBMITTERS = ['admin', 'leadership'];

interface ReportParams {
  period: string;
  lang: ReportLang;
  submission: number | null;
}

function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

function readParams(params: URLSearchParams): ReportParams {
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const given = params.get('period') ?? '';
  const period = /^\d{4}(-(H[12]|Q[1-4]))?$/.test(given) ? given : String(thisYear - 1);
  const lang = params.get('lang') === 'zh' ? 'zh' : params.get('lang') === 'en' ? 'en' : interfaceLang();
  const submission = /^[1-9]\d{0,15}$/.test(params.get('submission') ?? '') ? Number(params.get('submission')) : null;
  return { period, lang, submission };
}

/** Whether a period has begun (one that has not cannot be reported). */
function begun(period: string): boolean {
  const year = Number(period.slice(0, 4));
  const part = period.slice(5);
  const month = part === '' || part === 'H1' || part === 'Q1' ? 1 : part === 'H2' || part === 'Q3' ? 7 : part === 'Q2' ? 4 : 10;
  return `${year}-${String(month).padStart(2, '0')}-01` <= todayInShanghai();
}

function controls(ctx: ViewContext, p: ReportParams, submissions: Submission[]): HTMLElement {
  const t = (key: ReportKey, values?: Record<string, string | number>) => reportText(p.lang, key, values);
  const go = (next: Partial<ReportParams>) => {
    const merged = { ...p, ...next };
    ctx.navigate('report', {
      period: merged.period,
      lang: merged.lang,
      submission: merged.submission === null ? undefined : String(merged.submission),
    });
  };
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const year = element('select', { id: 'report-year', name: 'year' });
  for (let y = thisYear; y >= FIRST_YEAR; y--) year.append(element('option', { value: String(y) }, String(y)));
  year.value = p.period.slice(0, 4);
  const part = element('select', { id: 'report-part', name: 'part' });
  for (const key of PARTS) part.append(element('option', { value: key }, t(`report.part.${key}` as ReportKey)));
  part.value = p.period.length > 4 ? p.period.slice(5) : 'year';
  const chosen = () => (part.value === 'year' ? year.value : `${year.value}-${part.value}`);
  const refreshDisabled = () => {
    for (const option of part.options)
      option.disabled = !begun(option.value === 'year' ? year.value : `${year.value}-${option.value}`);
  };
  refreshDisabled();
  year.addEventListener('change', () => {
    refreshDisabled();
    if (part.selectedOptions[0]?.disabled) part.value = 'year';
    go({ period: chosen(), submission: null });
  });
  part.addEventListener('change', () => go({ period: chosen(), submission: null }));

  const langs = element('fieldset', { class: 'report-lang' }, element('legend', {}, t('report.langLabel')));
  for (const [code, label] of [
    ['zh', '中文'],
    ['en', 'English'],
  ] as const) {
    const button = element(
      'button',
      { type: 'button', 'data-report-lang': code, 'aria-pressed': String(p.lang === code), lang: code === 'zh' ? 'zh-CN' : 'en' },
      label,
    );
    button.addEventListener('click', () => go({ lang: code }));
    langs.append(button);
  }

  const print = element('button', { type: 'button', class: 'primary', 'data-action': 'print' }, t('report.print'));
  print.addEventListener('click', () => window.print());
  const bar = element(
    'div',
    { class: 'report-controls no-print', role: 'group', 'aria-label': t('report.controls') },
    element('label', { class: 'control' }, element('span', {}, t('report.yearLabel')), year),
    element('label', { class: 'control' }, element('span', {}, t('report.partLabel')), part),
    langs,
    print,
  );
  if (submissions.length > 0) {
    const pick = element('select', { id: 'report-submission', name: 'submission' });
    pick.append(element('option', { value: '' }, t('report.openLive')));
    for (const s of submissions)
      pick.append(
        element('option', { value: String(s.id) }, `#${s.id} · ${reportTime(s.submittedAt, p.lang)} · ${s.submittedBy.name}`),
      );
    pick.value = p.submission === null ? '' : String(p.submission);
    pick.addEventListener('change', () => go({ submission: pick.value === '' ? null : Number(pick.value) }));
    bar.insertBefore(element('label', { class: 'control' }, element('span', {}, t('report.submissionsLabel')), pick), print);
  }
  return bar;
}

function submitButton(ctx: ViewContext, p: ReportParams, live: LiveReportAnswer): HTMLElement {
  const t = (key: ReportKey, values?: Record<string, string | number>) => reportText(p.lang, key, values);
  const open = element('button', { type: 'button', 'data-action': 'submit-report' }, t('report.submit'));
  open.addEventListener('click', () => {
    const note = element('textarea', { id: 'report-submit-note', rows: '3', maxlength: '2000' });
    const error = element('p', { class: 'form-error', role: 'alert', hidden: '' });
    const confirm = element(
      'button',
      { type: 'submit', class: 'primary', 'data-action': 'confirm-submit' },
      t('report.submitConfirm'),
    );
    const cancel = element('button', { type: 'button', 'data-action': 'cancel' }, t('report.cancel'));
    const form = element(
      'form',
      { method: 'dialog', class: 'report-submit-form' },
      element('p', {}, t('report.submitExplain')),
      element('p', { class: 'muted mono' }, t('report.sha', { sha: live.sha256 })),
      element('label', { for: 'report-submit-note' }, t('report.submitNote')),
      note,
      error,
      element('div', { class: 'dialog-actions' }, cancel, confirm),
    );
    const dialog = element(
      'dialog',
      { class: 'report-submit-dialog', 'aria-labelledby': 'report-submit-title' },
      element('h2', { id: 'report-submit-title' }, t('report.submitTitle', { period: live.report.period.label[p.lang] })),
      form,
    );
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      confirm.disabled = true;
      try {
        const answer = await request<{ submission: Submission }>('POST', '/report/submissions', {
          period: live.report.period.key,
          lang: p.lang,
          expectedSha256: live.sha256,
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
        });
        dialog.close();
        ctx.navigate('report', { period: live.report.period.key, lang: p.lang, submission: String(answer.submission.id) });
      } catch (e) {
        confirm.disabled = false;
        error.hidden = false;
        error.textContent = t('report.submitFailed', { message: e instanceof ApiError ? e.message : String(e) });
      }
    });
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    note.focus();
  });
  return open;
}

interface Drawn {
  page: HTMLElement;
  charts: ChartSlot<'bar'>[];
}

function csvBase(doc: ReportDocument, p: ReportParams): (table: string) => string {
  return (table) =>
    p.submission === null
      ? `/api/v1/report?period=${encodeURIComponent(doc.period.key)}&format=csv&table=${table}&lang=${p.lang}`
      : `/api/v1/report/submissions/${p.submission}?format=csv&table=${table}&lang=${p.lang}`;
}

/** The printed report: cover lines, the six sections of figures, definitions, and revisions when submitted. */
function drawReport(
  doc: ReportDocument,
  p: ReportParams,
  state: { live?: LiveReportAnswer; submissions: Submission[]; submitted?: SubmissionAnswer },
): Drawn {
  const w = new ReportWords(doc, p.lang);
  const csv = csvBase(doc, p);
  const charts: ChartSlot<'bar'>[] = [];
  const chart = (spec: Parameters<typeof barChart>[0]) => {
    const drawn = barChart(spec);
    charts.push(drawn.slot);
    return drawn.element;
  };
  const section = (id: string, title: ReportKey, ...children: Node[]) =>
    element('section', { class: 'report-section', 'data-section': id }, element('h2', {}, w.t(title)), ...children);
  const side = (table: HTMLElement, figure: HTMLElement) => element('div', { class: 'side-by-side' }, table, figure);

  // Cover: who it is from and for, the period, and what the figures are (live or frozen, as of when).
  const status: Node[] = [];
  if (state.submitted) {
    const s = state.submitted.submission;
    status.push(
      element(
        'p',
        { class: 'status submitted' },
        w.t('report.submitted', { at: reportTime(s.submittedAt, p.lang), who: s.submittedBy.name, id: s.id }),
      ),
      element('p', { class: 'mono' }, w.t('report.sha', { sha: s.sha256 })),
      ...(s.note ? [element('p', {}, w.t('report.note', { note: s.note }))] : []),
      element(
        'p',
        { class: state.submitted.live.unchanged ? 'status same' : 'status changed' },
        state.submitted.live.unchanged
          ? w.t('report.unchanged')
          : w.t('report.changed', { count: state.submitted.revisions.length, figures: state.submitted.differences.length }),
      ),
    );
  } else if (state.live) {
    const last = state.submissions[0];
    status.push(
      element(
        'p',
        { class: 'status live' },
        last
          ? `${w.t('report.liveSubmitted', { count: state.submissions.length, at: reportTime(last.submittedAt, p.lang), who: last.submittedBy.name })} ${last.sha256 === state.live.sha256 ? w.t('report.liveSame') : w.t('report.liveDiffers')}`
          : w.t('report.live'),
      ),
      element('p', { class: 'mono' }, w.t('report.sha', { sha: state.live.sha256 })),
    );
  }
  const cover = element(
    'header',
    { class: 'report-cover' },
    element('p', { class: 'report-alliance' }, w.t('report.alliance')),
    element('h1', {}, `${doc.period.label[p.lang]} ${w.t('report.title')}`),
    element('p', { class: 'report-addressee' }, w.t('report.addressee')),
    element('p', {}, w.t('report.period', { label: doc.period.label[p.lang], from: doc.period.from, to: doc.period.to })),
    ...(doc.complete ? [] : [element('p', { class: 'status changed' }, w.t('report.incomplete'))]),
    element(
      'p',
      { 'data-as-of': doc.data.asOf ?? '' },
      w.t('report.asOf', {
        time: reportTime(doc.data.asOf, p.lang),
        version: doc.data.version,
        first: doc.data.firstDate ?? '—',
        last: doc.data.lastDate ?? '—',
      }),
    ),
    ...(doc.data.synthetic ? [element('p', { class: 'synthetic-note' }, w.t('report.synthetic'))] : []),
    ...status,
    element('p', { class: 'muted' }, `${w.t('report.moneyNote')} ${w.t('report.recordsNote')}`),
  );

  const summaryMeasures = doc.summary.measures;
  // Technology transfer's headline figures and incubation; rewards and averages are in the national block (Table 3c).
  const partA = summaryMeasures.filter((m) => doc.techTransfer.byMode.measures.includes(m) || m.startsWith('incubation.'));
  const partB = summaryMeasures.filter((m) => !m.startsWith('tech_transfer.') && !partA.includes(m));
  const national = nationalTable(w, csv('national'));
  const universities = doc.summary.rows.filter((r) => r.level === 'university');
  const cny = unitText('cny', p.lang);

  const summarySection = section(
    'summary',
    'report.section.summary',
    summaryTable(w, 'summary', w.t('report.table.summaryA'), partA, csv('summary')),
    summaryTable(w, 'summary-b', w.t('report.table.summaryB'), partB, csv('summary')),
  );

  const targeted = doc.comparisons.filter((c) => c.target !== null && c.attainment !== null);
  const targetsSection = section(
    'targets',
    'report.section.targets',
    comparisonsTable(w, csv('comparisons')),
    // The alliance's attainment beside its table, then each member's: no chart left alone on a page.
    chart({
      title: w.t('report.chart.attainment', { year: doc.targetYear }),
      labels: targeted.map((c) => w.measureName(c.measure)),
      values: targeted.map((c) => c.attainment ?? 0),
      unit: 'count',
      lang: p.lang,
      percent: true,
      horizontal: true,
      reference: 1,
      height: 240,
    }),
    attainmentTable(w, csv('attainment')),
  );

  const modes = doc.techTransfer.byMode.rows.filter((r) => r.level === 'item');
  const techSection = section(
    'tech',
    'report.section.tech',
    side(
      breakdownTable(
        w,
        'tech-transfer-modes',
        w.t('report.table.modes'),
        w.t('report.col.mode'),
        doc.techTransfer.byMode,
        csv('tech-transfer-modes'),
      ),
      chart({
        title: w.t('report.chart.modes', { unit: cny }),
        labels: modes.map((r) => w.label(r.code)),
        values: modes.map((r) => r.figures['tech_transfer.contract_value']?.value ?? 0),
        unit: 'cny',
        lang: p.lang,
      }),
    ),
    side(
      breakdownTable(
        w,
        'tech-transfer-bands',
        w.t('report.table.bands'),
        w.t('report.col.band'),
        doc.techTransfer.byValueBand,
        csv('tech-transfer-bands'),
      ),
      chart({
        title: w.t('report.chart.byUniversity', { unit: cny }),
        labels: universities.map((r) => r.code!),
        values: universities.map((r) => r.cells['tech_transfer.contract_value']?.value ?? 0),
        unit: 'cny',
        lang: p.lang,
        height: 180,
      }),
    ),
    // A document submitted before the national block has none.
    ...(national ? [national] : []),
  );

  const incubationSection = section(
    'incubation',
    'report.section.incubation',
    breakdownTable(
      w,
      'incubation-fields',
      w.t('report.table.fields'),
      w.t('report.col.field'),
      doc.incubation.byField,
      csv('incubation-fields'),
    ),
  );

  const levels = doc.talent.byLevel.rows.filter((r) => r.level === 'item');
  const talentSection = section(
    'talent',
    'report.section.talent',
    side(
      breakdownTable(
        w,
        'joint-training-levels',
        w.t('report.table.levels'),
        w.t('report.col.level'),
        doc.talent.byLevel,
        csv('joint-training-levels'),
      ),
      chart({
        title: w.t('report.chart.levels'),
        labels: levels.map((r) => w.label(r.code)),
        values: levels.map((r) => r.figures['talent.trainees']?.value ?? 0),
        unit: 'people',
        lang: p.lang,
        horizontal: true,
        height: 180,
      }),
    ),
  );

  const [credits, students] = doc.credits.matrices;
  const creditsSection = section(
    'credits',
    'report.section.credits',
    ...(credits ? [matrixTable(w, 'credit-recognition', w.t('report.table.credits'), credits, csv('credit-recognition'))] : []),
    ...(students ? [matrixTable(w, 'credit-students', w.t('report.table.students'), students, csv('credit-students'))] : []),
  );

  const standardsUsed = [...new Set(doc.measures.map((m) => m.standard.code))];
  const definitionsSection = section(
    'definitions',
    'report.section.definitions',
    definitionsTable(w),
    element('h3', {}, w.t('report.bases.title')),
    element(
      'ul',
      { class: 'bases' },
      element(
        'li',
        {},
        w.t('report.bases.period', { label: doc.period.label[p.lang], from: doc.period.from, to: doc.period.to }),
      ),
      element(
        'li',
        {},
        w.t('report.bases.previous', {
          label: doc.previousPeriod.label[p.lang],
          from: doc.previousPeriod.from,
          to: doc.previousPeriod.to,
        }),
      ),
      element(
        'li',
        {},
        w.t('report.bases.yearAgo', {
          label: doc.yearAgoPeriod.label[p.lang],
          from: doc.yearAgoPeriod.from,
          to: doc.yearAgoPeriod.to,
        }),
      ),
      element(
        'li',
        {},
        doc.attainmentBasis === 'value'
          ? w.t('report.bases.attainment.value', { year: doc.targetYear })
          : w.t('report.bases.attainment.ytd', { year: doc.targetYear, from: doc.yearToDate.from, to: doc.yearToDate.to }),
      ),
      element('li', {}, w.t('report.bases.subtotals')),
      element('li', {}, `${w.t('report.moneyNote')} ${w.t('report.recordsNote')}`),
    ),
    element('h3', {}, w.t('report.bases.standards')),
    element(
      'ul',
      { class: 'standards' },
      ...standardsUsed.map((code) => element('li', { 'data-standard': code }, doc.standards[code]?.[p.lang] ?? code)),
    ),
  );

  const page = element(
    'article',
    {
      class: 'report-page',
      lang: p.lang === 'zh' ? 'zh-CN' : 'en',
      'data-period': doc.period.key,
      'data-synthetic': String(doc.data.synthetic),
    },
    ...(doc.data.synthetic
      ? [
          // Drawn from an attribute, not the DOM's text: decorative, and said in words on the cover and in the footer.
          element('div', { class: 'report-watermark', 'aria-hidden': 'true', 'data-text': w.t('report.watermark') }),
        ]
      : []),
    cover,
    summarySection,
    targetsSection,
    techSection,
    incubationSection,
    talentSection,
    creditsSection,
    definitionsSection,
    ...(state.submitted ? [revisionsSection(w, state.submitted)] : []),
  );
  return { page, charts };
}

export const renderReport: RenderView = async (container, first) => {
  let charts: ChartSlot<'bar'>[] = [];
  const release = () => {
    for (const c of charts) c.destroy();
    charts = [];
  };

  const load = async (ctx: ViewContext) => {
    const p = readParams(ctx.params);
    // A period or language the URL names but no report has (2024-Q5, fr): the URL is set to what is shown.
    const givenPeriod = ctx.params.get('period');
    const givenLang = ctx.params.get('lang');
    if ((givenPeriod !== null && givenPeriod !== p.period) || (givenLang !== null && givenLang !== p.lang)) {
      const corrected = new URLSearchParams(ctx.params);
      corrected.set('period', p.period);
      corrected.set('lang', p.lang);
      ctx.navigate('report', corrected, { replace: true });
      return;
    }
    release();
    setViewState(container, 'loading');
    container.replaceChildren(element('p', { class: 'state' }, reportText(p.lang, 'report.controls')));
    try {
      let doc: ReportDocument;
      let live: LiveReportAnswer | undefined;
      let submitted: SubmissionAnswer | undefined;
      let submissions: Submission[];
      if (p.submission !== null) {
        submitted = await request<SubmissionAnswer>('GET', `/report/submissions/${p.submission}`, undefined, ctx.signal);
        doc = submitted.report;
        p.period = doc.period.key;
        submissions = (
          await request<{ submissions: Submission[] }>(
            'GET',
            `/report/submissions?period=${encodeURIComponent(p.period)}`,
            undefined,
            ctx.signal,
          )
        ).submissions;
      } else {
        const [answer, list] = await Promise.all([
          request<LiveReportAnswer>(
            'GET',
            `/report?period=${encodeURIComponent(p.period)}&lang=${p.lang}`,
            undefined,
            ctx.signal,
          ),
          request<{ submissions: Submission[] }>(
            'GET',
            `/report/submissions?period=${encodeURIComponent(p.period)}`,
            undefined,
            ctx.signal,
          ),
        ]);
        live = answer;
        doc = answer.report;
        submissions = list.submissions;
      }
      if (ctx.signal.aborted) return;
      const bar = controls(ctx, p, submissions);
      if (live && SUBMITTERS.includes(ctx.me.role)) bar.insertBefore(submitButton(ctx, p, live), bar.lastElementChild);
      if (submitted) {
        const json = element(
          'a',
          {
            class: 'tool',
            href: `/api/v1/report/submissions/${p.submission}/document`,
            download: '',
            'data-action': 'download-json',
          },
          reportText(p.lang, 'report.downloadJson'),
        );
        bar.insertBefore(json, bar.lastElementChild);
      }
      const drawn = drawReport(doc, p, { ...(live ? { live } : {}), ...(submitted ? { submitted } : {}), submissions });
      charts = drawn.charts;
      container.replaceChildren(bar, drawn.page);
      container.dataset.period = doc.period.key;
      container.dataset.lang = p.lang;
      container.dataset.sha256 = submitted?.submission.sha256 ?? live?.sha256 ?? '';
      container.dataset.submission = p.submission === null ? '' : String(p.submission);
      // What the printed footer says on every page (the command line's PDF reads it from here).
      const footer = [
        reportText(p.lang, 'report.footer', {
          alliance: reportText(p.lang, 'report.alliance'),
          title: reportText(p.lang, 'report.title'),
          period: doc.period.label[p.lang],
        }),
        submitted
          ? reportText(p.lang, 'report.footerSubmitted', {
              id: submitted.submission.id,
              sha: submitted.submission.sha256.slice(0, 16),
            })
          : reportText(p.lang, 'report.footerLive'),
        ...(doc.data.synthetic ? [reportText(p.lang, 'report.watermark')] : []),
      ];
      container.dataset.footer = footer.join(' · ');
      // Printed the moment it is ready: wait for the CJK fonts the tables use.
      await document.fonts.ready;
      if (ctx.signal.aborted) return;
      setViewState(container, 'ready');
    } catch (error) {
      if (ctx.signal.aborted) return;
      container.replaceChildren(
        element(
          'p',
          { class: 'state error', role: 'alert' },
          t('state.error', { message: error instanceof Error ? error.message : String(error) }),
        ),
      );
      setViewState(container, 'error');
    }
  };

  await load(first);
  return { update: load, destroy: release };
};
