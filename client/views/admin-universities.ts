import { html } from 'lit-html';
import type { Meta } from '../api';
import { call, endpoints } from '../api';
import { lang, t } from '../i18n';
import { today } from '../lib/dates';
import { regionName } from '../lib/filters';
import { changedFields, confirmDialog, type FormField, input, messageOf, openFormDialog, select } from '../lib/form-dialog';
import { listTab } from '../lib/list-tab';
import type { University } from '../../contract/universities';
import type { MemberEntry, NewUniversity, UniversityPatch } from '../../contract/schemas/universities';
import type { MountTab } from './admin';

/**
 * The form to add a member or change one, in a dialog: a member's code is fixed, so only a new one
 * asks for it. The body is the contract's (contract/schemas/universities.ts), which the server checks
 * again with its clock; its problems are shown beside their fields. `saved` gets the server's answer.
 */
function openUniversityForm(
  host: HTMLElement,
  meta: Meta,
  university: University | undefined,
  saved: (university: University) => void,
): void {
  const regions = meta.regions.map((r) => ({ value: r.code, label: `${r.code} · ${regionName(meta, r.code)}` }));
  const fields = (<FormField[]>[
    {
      name: 'code',
      label: t('universities.code'),
      hint: t('admin.universities.codeHint'),
      required: true,
      control: (a) => input(a, '', { maxlength: '16' }),
    },
    {
      name: 'nameEn',
      label: t('admin.universities.col.nameEn'),
      required: true,
      control: (a) => input(a, university?.nameEn ?? '', { maxlength: '200' }),
    },
    {
      name: 'nameZh',
      label: t('admin.universities.col.nameZh'),
      required: true,
      control: (a) => input(a, university?.nameZh ?? '', { maxlength: '200' }),
    },
    {
      name: 'region',
      label: t('admin.universities.col.region'),
      required: true,
      choices: regions,
      control: (a) =>
        select(
          a,
          [...(university ? [] : [{ value: '', label: t('records.form.choose') }]), ...regions],
          university?.region ?? '',
        ),
    },
    {
      name: 'memberSince',
      label: t('universities.memberSince'),
      hint: t('admin.universities.memberSinceHint'),
      required: true,
      control: (a) => input(a, university?.memberSince ?? '', { type: 'date', max: today() }),
    },
    {
      name: 'lead',
      label: t('admin.universities.col.lead'),
      // The lead stays the lead until another is named: its flag is not offered for taking off.
      hint: t(university?.lead ? 'admin.universities.leadKeptHint' : 'admin.universities.leadHint'),
      className: 'type-text',
      control: (a) => html`<label class="filter-check"><input type="checkbox" id=${a.id} name=${a.name}
          .checked=${university?.lead ?? false} ?disabled=${university?.lead ?? false}
          aria-describedby=${a.describedBy} aria-invalid=${a.invalid} /><span>${t('admin.universities.leadCheck')}</span></label>`,
    },
  ]).filter((f) => !university || f.name !== 'code');
  openFormDialog(host, {
    title: university ? t('admin.universities.editTitle', { code: university.code }) : t('admin.universities.addTitle'),
    className: 'university-dialog',
    formClass: 'university-form',
    saveAction: 'save-university',
    fields,
    async submit(v) {
      const body: NewUniversity = {
        code: v.code ?? '',
        nameEn: v.nameEn ?? '',
        nameZh: v.nameZh ?? '',
        region: v.region ?? '',
        memberSince: v.memberSince ?? '',
        lead: v.lead === 'true',
      };
      if (!university) return saved(await call(endpoints.addUniversity, { body }));
      const { code: _fixed, ...fields } = body;
      const changes: UniversityPatch = changedFields(university, fields);
      if (Object.keys(changes).length > 0)
        saved(await call(endpoints.changeUniversity, { params: { code: university.code }, body: changes }));
    },
  });
}

/**
 * The member universities: list, add, change (names, province, join date, lead) and remove one
 * entered by mistake (the server keeps one that anything names, and says so). After each change the
 * app reads its registry again, so every filter, chart and name shows the members as they now are.
 */
export const mountUniversitiesTab: MountTab = (host, first, status) => {
  let meta = first.meta;
  const list = listTab<MemberEntry, { universities: MemberEntry[] }>(host, first, status, {
    tab: 'universities',
    title: 'universities.title',
    intro: 'admin.universities.intro',
    columns: [
      'universities.code',
      'admin.universities.col.nameEn',
      'admin.universities.col.nameZh',
      'admin.universities.col.region',
      'universities.memberSince',
      'admin.universities.col.lead',
      'records.actions',
    ],
    add: { action: 'add-university', label: 'admin.universities.add', open: () => edit() },
    fetch: (signal) => call(endpoints.universities, { signal }),
    rows: (answer) => answer.universities,
    row: (u) => row(u),
    update: (next) => void (meta = next.meta),
  });
  const failed = (error: unknown) => list.say(messageOf(error), true);

  /** The list again, and the app's registry with it. */
  async function changed(message: string): Promise<void> {
    meta = await list.ctx().refreshMeta();
    await list.load();
    list.say(message);
  }

  const edit = (university?: University) =>
    openUniversityForm(list.root(), meta, university, (saved) => {
      const message = t(university ? 'admin.universities.saved' : 'admin.universities.created', { code: saved.code });
      void changed(message).catch(failed);
    });

  async function remove(university: University): Promise<void> {
    const sure = await confirmDialog(list.root(), {
      title: t('admin.universities.removeTitle'),
      message: t('admin.universities.removeMessage', { code: university.code, name: nameOf(university) }),
      confirm: t('admin.universities.remove'),
      danger: true,
    });
    if (!sure) return;
    try {
      await call(endpoints.removeUniversity, { params: { code: university.code } });
    } catch (error) {
      // A member that records, accounts or targets name is kept: the server's problem says so.
      return list.say(t('admin.universities.removeFailed', { code: university.code, message: messageOf(error) }), true);
    }
    await changed(t('admin.universities.removed', { code: university.code })).catch(failed);
  }

  const nameOf = (u: University) => (lang() === 'en' ? u.nameEn : u.nameZh);

  const row = (u: MemberEntry) => html`<tr data-code=${u.code}>
    <th scope="row"><code>${u.code}</code></th>
    <td data-field="nameEn" lang="en">${u.nameEn}</td>
    <td data-field="nameZh" lang="zh-CN">${u.nameZh}</td>
    <td data-field="region" data-value=${u.region}>${regionName(meta, u.region)}</td>
    <td data-field="memberSince">${u.memberSince}</td>
    <td data-field="lead" data-value=${String(u.lead)}>${u.lead ? html`<span class="badge">${t('universities.lead')}</span>` : '—'}</td>
    <td class="actions">
      <button type="button" class="link-button" data-action="edit-university"
        aria-label=${t('admin.universities.editTitle', { code: u.code })} @click=${() => edit(u)}>${t('admin.edit')}</button>
      ${
        u.lead
          ? // The lead is never removed (the server refuses it): another is named the lead first.
            html`<span class="muted" data-lead-kept>${t('admin.universities.leadKept')}</span>`
          : u.inUse
            ? // Nor is a member that records, accounts or targets name: it is renamed instead.
              html`<span class="muted" data-in-use title=${t('admin.universities.inUseHint')}>${t('admin.universities.inUse')}</span>`
            : html`<button type="button" class="link-button danger-link" data-action="remove-university"
              aria-label=${t('admin.universities.removeLabel', { code: u.code })} @click=${() => void remove(u)}>${t('admin.universities.remove')}</button>`
      }
    </td>
  </tr>`;

  return list.start();
};
