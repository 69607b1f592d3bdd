import { element } from '../dom';
import { type ReportKey, reportChangePoints, reportDelta, reportNumber, reportPercent, reportTime } from '../lib/report-format';
import type { FigureDifference, SubmissionAnswer } from '../lib/report-types';
import { type ReportWords, type Row, reportTable } from './report-tables';

/**
 * The last section of a submitted report: what the audit log recorded since the submission,
 * each change with the figures of Table 1 it moves, then every figure that differs today.
 */
export function revisionsSection(w: ReportWords, answer: SubmissionAnswer): HTMLElement {
  const { doc } = w;
  const section = element(
    'section',
    { class: 'report-section', 'data-section': 'revisions' },
    element('h2', {}, w.t('report.section.revisions')),
    element('p', {}, w.t('report.rev.intro', { year: doc.targetYear })),
  );
  if (answer.revisions.length === 0 && answer.differences.length === 0) {
    section.append(element('p', { class: 'no-revisions' }, w.t('report.rev.none')));
    return section;
  }
  // The audit detail (record, editor) comes only to those who may see it; the rest see figures only.
  const audited = answer.revisions.some((r) => r.visibility === 'audit');
  const rows: Row[] = answer.revisions.map((r, i) => {
    let figures: string;
    if (r.import) {
      figures = w.t('report.rev.import', r.import);
    } else if (r.target) {
      const value = (x: number | null) => (x ?? '—').toString();
      figures = w.t('report.rev.target', { before: value(r.target.before), after: value(r.target.after) });
    } else if (r.figures.length === 0) {
      figures = w.t('report.rev.noFigure');
    } else {
      figures = r.figures
        .map((f) =>
          w.t('report.rev.delta', {
            university: f.university,
            measure: w.measureName(f.measure),
            span: w.t(`report.span.${f.span}`),
            delta: reportDelta(f.delta, w.measure.get(f.measure)?.unit ?? 'count', w.lang),
          }),
        )
        .join('\n');
    }
    const what = r.target
      ? `${r.target.measure}/${r.target.year}/${r.target.university ?? 'alliance'}`
      : r.visibility === 'audit' && r.itemized
        ? r.subject.replace(':', ' ')
        : [r.kind ?? '', r.universities.join(', ')].filter(Boolean).join(' · ');
    return {
      key: r.visibility === 'audit' ? String(r.auditId) : `revision-${i}`,
      cells: [
        { text: reportTime(r.at, w.lang), header: true },
        ...(audited ? [{ text: (r.visibility === 'audit' ? r.user : null) ?? '—' }] : []),
        { text: w.t(`report.rev.action.${r.action}`) },
        { text: what },
        { text: figures },
      ],
    };
  });
  if (rows.length > 0) {
    section.append(
      reportTable({
        id: 'revisions',
        caption: w.t('report.table.revisions'),
        lang: w.lang,
        csv: '',
        columns: [
          { label: w.t('report.rev.col.at') },
          ...(audited ? [{ label: w.t('report.rev.col.user') }] : []),
          { label: w.t('report.rev.col.action') },
          { label: w.t('report.rev.col.record') },
          { label: w.t('report.rev.col.figures') },
        ],
        rows,
      }),
    );
    if (answer.revisions.some((r) => r.visibility === 'figures')) {
      section.append(element('p', { 'data-note': 'figures-only' }, w.t('report.rev.figuresOnly')));
    }
  }
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
    return `${w.t(`report.diff.table.${d.table}` as ReportKey)} · ${w.label(code ?? null)}`;
  };
  const RATIOS = new Set(['attainment', 'change', 'yearOnYear', 'panelChange']);
  const unitOf = (d: FigureDifference) => (d.field === 'records' ? 'count' : (w.measure.get(d.measure)?.unit ?? 'count'));
  const show = (d: FigureDifference, v: number | null) =>
    RATIOS.has(d.field) ? reportPercent(v, w.lang) : reportNumber(v, unitOf(d), w.lang);
  const differences: Row[] = answer.differences.map((d, i) => ({
    key: `${d.table}-${d.scope ?? 'alliance'}-${d.partner ?? ''}-${d.measure}-${d.field}-${i}`,
    cells: [
      {
        text: `${place(d)} · ${w.measureName(d.measure)} · ${w.t(`report.diff.field.${d.field}` as ReportKey, { period: doc.period.label[w.lang] })}`,
        header: true,
      },
      { text: show(d, d.submitted), value: d.submitted },
      { text: show(d, d.now), value: d.now },
      {
        text: RATIOS.has(d.field)
          ? reportChangePoints(d.submitted, d.now, w.lang)
          : reportDelta((d.now ?? 0) - (d.submitted ?? 0), unitOf(d), w.lang),
      },
    ],
  }));
  section.append(
    differences.length === 0
      ? element('p', {}, w.t('report.diff.none'))
      : reportTable({
          id: 'differences',
          caption: w.t('report.table.differences'),
          lang: w.lang,
          csv: '',
          columns: [
            { label: w.t('report.diff.col.figure') },
            { label: w.t('report.diff.col.submitted'), numeric: true },
            { label: w.t('report.diff.col.now'), numeric: true },
            { label: w.t('report.diff.col.delta'), numeric: true },
          ],
          rows: differences,
        }),
  );
  for (const tools of section.querySelectorAll('.table-tools')) tools.remove();
  return section;
}
