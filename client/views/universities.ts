import type { ViewContext } from '../view';
import { lang, t } from '../i18n';
import { element } from '../dom';

/** The member list: who is in the alliance, where, since when. */
export function renderMembers(container: HTMLElement, { meta }: ViewContext): void {
  container.dataset.state = 'ready';
  const regionName = new Map(meta.regions.map((r) => [r.code, lang() === 'zh' ? r.nameZh : r.nameEn]));
  const { from, to } = meta.dateRange;
  container.replaceChildren(
    element('h1', {}, t('universities.title')),
    element('p', { class: 'muted' }, from && to ? t('universities.range', { from, to }) : t('universities.noRecords')),
    element(
      'table',
      { class: 'data-table' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          ...(['universities.code', 'universities.name', 'universities.region', 'universities.memberSince'] as const).map((key) =>
            element('th', { scope: 'col' }, t(key)),
          ),
        ),
      ),
      element(
        'tbody',
        {},
        ...meta.universities.map((u) =>
          element(
            'tr',
            { 'data-university': u.code },
            element('td', {}, element('code', {}, u.code)),
            element(
              'td',
              {},
              lang() === 'zh' ? u.nameZh : u.nameEn,
              u.lead ? element('span', { class: 'badge' }, t('universities.lead')) : '',
            ),
            element('td', {}, regionName.get(u.region) ?? u.region),
            element('td', {}, u.memberSince),
          ),
        ),
      ),
    ),
  );
}
