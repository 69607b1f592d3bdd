import { html, nothing, render } from 'lit-html';
import { t } from '../i18n';
import { regionName, universityName } from '../lib/filters';
import { setViewState } from '../lib/view-status';
import type { ViewContext } from '../view';

/** The member list: who is in the alliance, where, since when. */
export function renderMembers(container: HTMLElement, { meta }: ViewContext): void {
  const { from, to } = meta.dateRange;
  const columns = ['universities.code', 'table.university', 'table.region', 'universities.memberSince'] as const;
  // On a phone the name and province stay; the code and the date of joining are secondary.
  const secondary = (key: (typeof columns)[number]) =>
    key === 'universities.code' || key === 'universities.memberSince' ? 'col-secondary' : '';
  render(
    html`<h1 id="members-title">${t('universities.title')}</h1>
      <p class="muted">${from && to ? t('universities.range', { from, to }) : t('universities.noRecords')}</p>
      <div class="table-scroll" tabindex="0" role="region" aria-labelledby="members-title">
      <table class="data-table">
        <thead><tr>${columns.map((key) => html`<th scope="col" class=${secondary(key)}>${t(key)}</th>`)}</tr></thead>
        <tbody>
          ${meta.universities.map(
            (u) => html`<tr data-university=${u.code}>
              <td class="col-secondary"><code>${u.code}</code></td>
              <td>${universityName(meta, u.code)}${u.lead ? html`<span class="badge">${t('universities.lead')}</span>` : nothing}</td>
              <td>${regionName(meta, u.region)}</td>
              <td class="col-secondary">${u.memberSince}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      </div>`,
    container,
  );
  setViewState(container, 'ready');
}
