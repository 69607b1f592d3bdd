import { html, nothing } from 'lit-html';
import { type ReportKey, reportChangePoints, reportDelta, reportNumber, reportPercent, reportTime } from '../lib/report-format';
import type { FigureDifference, SubmissionWithRevisions as SubmissionAnswer } from '../../contract/schemas/report';
import type { ReportWords, Row } from './report-tables';

/**
 * The last section of a submitted report: what the audit log recorded since the submission,
 * each change with the figures of Table 1 it moves, then every figure that differs today.
 */
export function revisionsSection(w: ReportWords, answer: SubmissionAnswer) {
  const { doc } = w;
  const none = answer.revisions.length === 0 && answer.differences.length === 0;
  return html`<section class="report-section" data-section="revisions">
    <h2>${w.t('report.section.revisions')}</h2>
    <p>${w.t('report.rev.intro', { year: doc.targetYear })}</p>
    ${
      none
        ? html`<p class="no-revisions">${w.t('report.rev.none')}</p>`
        : html`${revisionsTable(w, answer)}${differencesTable(w, answer.differences)}`
    }
  </section>`;
}

function revisionsTable(w: ReportWords, answer: SubmissionAnswer) {
  if (answer.revisions.length === 0) return nothing;
  // The audit detail (record, editor) comes only to those who may see it; the rest see figures only.
  const audited = answer.revisions.some((r) => r.visibility === 'audit');
  const figuresOf = (r: SubmissionAnswer['revisions'][number]): string => {
    if (r.import) return w.t('report.rev.import', r.import);
    if (r.target) return w.t('report.rev.target', { before: r.target.before ?? '—', after: r.target.after ?? '—' });
    if (r.figures.length === 0) return w.t('report.rev.noFigure');
    return r.figures
      .map((f) =>
        w.t('report.rev.delta', {
          university: w.university(f.university),
          measure: w.measureName(f.measure),
          span: w.t(`report.span.${f.span}`),
          delta: reportDelta(f.delta, w.unit(f.measure), w.lang),
        }),
      )
      .join('\n');
  };
  const rows: Row[] = answer.revisions.map((r, i) => ({
    key: r.visibility === 'audit' ? String(r.auditId) : `revision-${i}`,
    cells: [
      { text: reportTime(r.at, w.lang), header: true },
      ...(audited ? [{ text: (r.visibility === 'audit' ? r.user : null) ?? '—' }] : []),
      { text: w.t(`report.rev.action.${r.action}`) },
      {
        // Names, not codes; only an audited record keeps its reference (kind and id), by which it is found.
        text: r.target
          ? [
              w.measureName(r.target.measure),
              String(r.target.year),
              r.target.university ? w.university(r.target.university) : w.t('report.row.alliance'),
            ].join(' · ')
          : r.visibility === 'audit' && r.itemized
            ? r.subject.replace(':', ' ')
            : [r.kind ? w.t(`report.kind.${r.kind}`) : '', w.list(r.universities.map((u) => w.university(u)))]
                .filter(Boolean)
                .join(' · '),
      },
      { text: figuresOf(r) },
    ],
  }));
  const columns = ['at', ...(audited ? ['user'] : []), 'action', 'record', 'figures'];
  return html`${w.table({
    id: 'revisions',
    caption: w.t('report.table.revisions'),
    columns: columns.map((c) => ({ label: w.t(`report.rev.col.${c}` as ReportKey) })),
    rows,
  })}
  ${answer.revisions.some((r) => r.visibility === 'figures') ? html`<p data-note="figures-only">${w.t('report.rev.figuresOnly')}</p>` : nothing}`;
}

const RATIOS = new Set(['attainment', 'change', 'yearOnYear', 'panelChange']);

function differencesTable(w: ReportWords, differences: FigureDifference[]) {
  if (differences.length === 0) return html`<p>${w.t('report.diff.none')}</p>`;
  const { doc } = w;
  const scopeName = (code: string | null) => {
    if (code === null) return w.t('report.row.alliance');
    if (doc.universities.some((u) => u.code === code)) return w.university(code);
    return w.t('report.row.subtotal', { name: w.region(code) });
  };
  /** Where a figure is: its row (and a matrix's column), in the table's own terms. */
  const place = (d: FigureDifference): string => {
    if (d.table === 'summary' || d.table === 'attainment' || d.table === 'comparisons') return scopeName(d.scope);
    if (d.table === 'matrix') {
      const name = (code: string | null | undefined) => (code ? w.university(code) : w.t('report.row.total'));
      return `${name(d.scope)} → ${name(d.partner)}`;
    }
    if (d.table === 'national')
      return `${w.t('report.diff.table.national')} · ${scopeName(d.scope)} · ${d.partner ? w.label(d.partner) : w.t('report.national.allModes')}`;
    const code = d.scope?.startsWith('subtotal:') ? d.scope.slice('subtotal:'.length) : d.scope;
    return `${w.t(`report.diff.table.${d.table}`)} · ${w.label(code)}`;
  };
  const unitOf = (d: FigureDifference) => (d.field === 'records' ? 'count' : w.unit(d.measure));
  const show = (d: FigureDifference, v: number | null) =>
    RATIOS.has(d.field) ? reportPercent(v, w.lang) : reportNumber(v, unitOf(d), w.lang);
  const field = (d: FigureDifference) => w.t(`report.diff.field.${d.field}` as ReportKey, { period: doc.period.label[w.lang] });
  return w.table({
    id: 'differences',
    caption: w.t('report.table.differences'),
    columns: [
      { label: w.t('report.diff.col.figure') },
      ...(['submitted', 'now', 'delta'] as const).map((c) => ({ label: w.t(`report.diff.col.${c}`), numeric: true })),
    ],
    rows: differences.map((d, i) => ({
      key: `${d.table}-${d.scope ?? 'alliance'}-${d.partner ?? ''}-${d.measure}-${d.field}-${i}`,
      cells: [
        { text: `${place(d)} · ${w.measureName(d.measure)} · ${field(d)}`, header: true },
        { text: show(d, d.submitted), value: d.submitted },
        { text: show(d, d.now), value: d.now },
        {
          text: RATIOS.has(d.field)
            ? reportChangePoints(d.submitted, d.now, w.lang)
            : reportDelta((d.now ?? 0) - (d.submitted ?? 0), unitOf(d), w.lang),
        },
      ],
    })),
  });
}
