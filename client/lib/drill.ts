import type { MeasureInfo, Me } from '../api';
import { html, nothing, render } from 'lit-html';
import { pick, t } from '../i18n';
import type { ViewContext } from '../view';
import { formatInTableUnit, formatValue } from './format';

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
  const access = drillAccess(ctx.me, target.filters);
  if (access.records) {
    records(target.filters);
    return;
  }
  const own = access.own;
  const dialog = document.createElement('dialog');
  dialog.className = 'drill-dialog';
  dialog.setAttribute('aria-labelledby', 'drill-title');
  const mine = () => {
    dialog.close();
    if (own) records({ ...target.filters, university: own });
  };
  const { measure } = target;
  render(
    html`<h2 id="drill-title">${pick(measure.name)} · ${target.label}</h2>
      <p class="drill-value" data-value=${target.value ?? nothing} title=${formatValue(target.value, measure.unit, { exact: true })}>${formatInTableUnit(target.value, measure.unit)}</p>
      <p data-records=${target.records}>${t('drill.records', { count: target.records.toLocaleString() })}</p>
      ${own ? html`<p class="muted">${t('drill.stewardNote', { university: own })}</p>` : nothing}
      <p class="muted">${t('overview.period', { from: target.from, to: target.to })}</p>
      <p>${pick(measure.definition)}</p>
      <p class="muted">${t('figure.standard', { standard: pick(measure.standard.reference) })}</p>
      <form method="dialog" class="drill-actions">
        ${
          own && access.ownPart
            ? html`<button type="button" data-action="own-records" @click=${mine}>${t('drill.ownRecords', { university: own })}</button>`
            : nothing
        }
        <button type="button" class="primary" data-action="close" @click=${() => dialog.close()}>${t('records.dialog.close')}</button>
      </form>`,
    dialog,
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector<HTMLElement>('[data-action="close"]')?.focus();
}

/**
 * Whether a person may open a figure's records (admin and leadership, a steward its own university's
 * alone); else `own` is the steward's university, and `ownPart` whether the figure includes it.
 */
export function drillAccess(
  me: Pick<Me, 'role' | 'university'>,
  filters: Record<string, string>,
): { records: boolean; own: string | null; ownPart: boolean } {
  const own = me.role === 'steward' ? me.university : null;
  const universities = filters.university?.split(',');
  if (me.role === 'admin' || me.role === 'leadership') return { records: true, own, ownPart: false };
  const ownPart = own !== null && (!universities || universities.includes(own));
  return { records: ownPart && universities?.length === 1, own, ownPart };
}
