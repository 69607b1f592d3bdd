import type { MeasureInfo } from '../api';
import { element } from '../dom';
import { pick, t } from '../i18n';
import type { ViewContext } from '../view';
import { formatValue } from './format';

export interface DrillTarget {
  measure: MeasureInfo;
  /** The API's filters that pick the figure's records (university, region, partner_university…). */
  filters: Record<string, string>;
  from: string;
  to: string;
  /** What the figure is, e.g. "USST, Q3 2024". */
  label: string;
  /** The figure; null for a ratio without a denominator. */
  value: number | null;
  /** How many records the figure is made of (from `withRecords=true`). */
  records: number;
}

/**
 * Clicking a figure: the records behind it (the Records view, filtered) for those who may see all of
 * them. The commission, which may not see records, and a steward, who sees only its own
 * university's, get the figure's record count and definition instead; a steward also gets the way to
 * its own university's part of the figure when the figure includes it.
 */
export function drillDown(ctx: ViewContext, target: DrillTarget): void {
  // `measure` asks for the records as that measure counts them (its own date; a stock's held records).
  const records = (filters: Record<string, string>) =>
    ctx.navigate('records', {
      kind: target.measure.kind,
      measure: target.measure.id,
      ...filters,
      from: target.from,
      to: target.to,
    });
  const own = ctx.me.role === 'steward' ? ctx.me.university : null;
  const universities = target.filters.university?.split(',');
  if (ctx.me.role === 'admin' || ctx.me.role === 'leadership' || (own && universities?.length === 1 && universities[0] === own)) {
    records(target.filters);
    return;
  }
  const close = element('button', { type: 'button', class: 'primary', 'data-action': 'close' }, t('drill.close'));
  close.addEventListener('click', () => dialog.close());
  const actions: HTMLElement[] = [close];
  if (own && (!universities || universities.includes(own))) {
    const mine = element('button', { type: 'button', 'data-action': 'own-records' }, t('drill.ownRecords', { university: own }));
    mine.addEventListener('click', () => {
      dialog.close();
      records({ ...target.filters, university: own });
    });
    actions.unshift(mine);
  }
  const dialog = element(
    'dialog',
    { class: 'drill-dialog', 'aria-labelledby': 'drill-title' },
    element('h2', { id: 'drill-title' }, `${pick(target.measure.name)} · ${target.label}`),
    element('p', { class: 'drill-value' }, formatValue(target.value, target.measure.unit, { exact: true })),
    element('p', { 'data-records': String(target.records) }, t('drill.records', { count: target.records.toLocaleString() })),
    ...(own ? [element('p', { class: 'muted' }, t('drill.stewardNote', { university: own }))] : []),
    element('p', { class: 'muted' }, t('drill.period', { from: target.from, to: target.to })),
    element('p', {}, pick(target.measure.definition)),
    element('p', { class: 'muted' }, t('figure.standard', { standard: pick(target.measure.standard.reference) })),
    element('form', { method: 'dialog', class: 'drill-actions' }, ...actions),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
