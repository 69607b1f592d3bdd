import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { MAIL_STATES, REPORT_SCHEDULES } from '../../contract/enums';
import type { MailLog, MailMessage, MailSettings, MailSettingsAnswer } from '../../contract/schemas/mail';
import { call, endpoints } from '../api';
import { LANGUAGES, t } from '../i18n';
import { formatMoment } from '../lib/dates';
import { type FormField, input, messageOf, mountForm, select } from '../lib/form-dialog';
import { listTab } from '../lib/list-tab';
import { formatCount } from '../lib/paged-table';
import type { MountTab } from './admin';

/**
 * Outgoing mail: whether any is sent (SMTP_URL), the settings (reminders, the commission report's
 * list and schedule), a test message, and the delivery log with a filter by state and a retry for a
 * failed message. The state filter and the page are in the URL: `#/admin?tab=mail&state=failed`.
 */

/** The settings' fields: each control shows the saved value, the form sends what is typed. */
function settingsFields(s: MailSettings): FormField[] {
  /** A whole number of days, from 1 to `max`. */
  const days = (name: 'reminderDaysBefore' | 'reportDay', label: string, max: number): FormField => ({
    name,
    label,
    control: (a) => input(a, String(s[name]), { type: 'number', min: '1', max: String(max) }),
  });
  const schedules = REPORT_SCHEDULES.map((value) => ({ value, label: t(`admin.mail.schedule.${value}`) }));
  const langs = LANGUAGES.map((l) => ({ value: l.code, label: l.name }));
  return [
    {
      name: 'reminders',
      label: t('admin.mail.reminders'),
      control: (a) =>
        html`<input type="checkbox" id=${a.id} name=${a.name} .checked=${s.reminders} aria-describedby=${a.describedBy} />`,
    },
    days('reminderDaysBefore', t('admin.mail.daysBefore'), 60),
    {
      name: 'reportRecipients',
      label: t('admin.mail.recipients'),
      hint: t('admin.mail.recipientsHint'),
      control: (a) => html`<textarea id=${a.id} name=${a.name} rows="4" .value=${s.reportRecipients.join('\n')}
        aria-invalid=${a.invalid} aria-describedby=${a.describedBy}></textarea>`,
    },
    {
      name: 'reportSchedule',
      label: t('admin.mail.schedule'),
      choices: schedules,
      control: (a) => select(a, schedules, s.reportSchedule),
    },
    days('reportDay', t('admin.mail.day'), 28),
    { name: 'reportLang', label: t('admin.mail.lang'), choices: langs, control: (a) => select(a, langs, s.reportLang) },
  ];
}

export const mountMailTab: MountTab = (host, first, status) => {
  let settings: MailSettingsAnswer | undefined;
  /** The forms, drawn into elements of their own so that drawing the log keeps what is typed. */
  let settingsForm: HTMLElement | undefined;
  const testForm = document.createElement('div');

  const showSettings = (answer: MailSettingsAnswer) => {
    settings = answer;
    test.refresh();
    const s = answer.settings;
    // A new form, whose fields show what was saved.
    settingsForm = document.createElement('div');
    mountForm(
      settingsForm,
      {
        formClass: 'mail-settings',
        label: t('admin.mail.settings'),
        idPrefix: 'mail',
        saveLabel: t('admin.mail.save'),
        intro: () => html`<h3>${t('admin.mail.settings')}</h3>`,
        fields: settingsFields(s),
        async submit(v) {
          const body: MailSettings = {
            reminders: v.reminders === 'true',
            reminderDaysBefore: Number(v.reminderDaysBefore),
            reportRecipients: (v.reportRecipients ?? '').split(/[\s,;]+/).filter((a) => a !== ''),
            // The selects offer these only; the server checks every field again.
            reportSchedule: v.reportSchedule as MailSettings['reportSchedule'],
            reportDay: Number(v.reportDay),
            reportLang: v.reportLang as MailSettings['reportLang'],
          };
          showSettings(await call(endpoints.setMailSettings, { body }));
          list.say(t('admin.mail.saved'));
        },
      },
      () => undefined,
    );
  };

  const test = mountForm(
    testForm,
    {
      formClass: 'mail-test',
      label: t('admin.mail.test'),
      idPrefix: 'mail-test',
      saveAction: 'send-test',
      saveLabel: t('admin.mail.testSend'),
      closed: () => !settings?.enabled,
      intro: () => html`<h3>${t('admin.mail.test')}</h3>`,
      fields: [{ name: 'to', label: t('admin.mail.testTo'), control: (a) => input(a, '', { type: 'email' }) }],
      async submit(v) {
        const message = await call(endpoints.testMail, { body: { to: v.to ?? '' } });
        list.say(t('admin.mail.testQueued', { to: message.recipients.join(', ') }));
        void list.load();
      },
    },
    () => undefined,
  );

  const retry = async (message: MailMessage) => {
    try {
      await call(endpoints.retryMailMessage, { params: { id: String(message.id) } });
      list.say(t('admin.mail.retried', { id: message.id }));
      void list.load();
    } catch (error) {
      list.say(messageOf(error), true);
    }
  };

  const outcome = (m: MailMessage) =>
    m.state === 'sent'
      ? html`<time datetime=${m.sentAt ?? ''}>${m.sentAt ? formatMoment(m.sentAt) : ''}</time>`
      : html`${m.lastError ? html`<span class="mail-error">${m.lastError}</span>` : nothing}
          ${m.state === 'pending' && m.nextAttemptAt ? html`<span class="muted"> ${t('admin.mail.next', { at: formatMoment(m.nextAttemptAt) })}</span>` : nothing}`;

  const row = (m: MailMessage) => html`<tr data-id=${m.id} data-state=${m.state} data-kind=${m.kind}>
      <td class="when"><time datetime=${m.createdAt}>${formatMoment(m.createdAt)}</time></td>
      <td>${t(`admin.mail.kind.${m.kind}`)}</td>
      <td class="recipients">${m.recipients.join(', ')}</td>
      <td class="subject">${m.subject}${m.attachments ? html`<br /><span class="muted">${m.attachments}</span>` : nothing}${
        m.note ? html`<br /><span class="muted">${m.note}</span>` : nothing
      }</td>
      <td><span class="action-badge mail-state-${m.state}">${t(`admin.mail.state.${m.state}`)}</span></td>
      <td class="number">${m.attempts}</td>
      <td>${outcome(m)}</td>
      <td class="actions">${
        m.state === 'failed'
          ? html`<button type="button" class="link-button" data-action="retry" aria-label=${t('admin.mail.retryLabel', { id: m.id })}
              @click=${() => void retry(m)}>${t('admin.mail.retry')}</button>`
          : nothing
      }</td>
    </tr>`;

  const stateFilter = (): TemplateResult => {
    const state = list.state();
    return html`<div class="form-field mail-filter">
      <label for="mail-state">${t('admin.mail.col.state')}</label>
      <select id="mail-state" .value=${live(state.filters.state ?? '')}
        @change=${(e: Event) => {
          const { value } = e.target as HTMLSelectElement;
          list.go({ ...state, filters: value ? { state: value } : {}, page: 1 });
        }}>
        <option value="">${t('admin.mail.anyState')}</option>
        ${MAIL_STATES.map((s) => html`<option value=${s} ?selected=${s === state.filters.state}>${t(`admin.mail.state.${s}`)}</option>`)}
      </select>
    </div>`;
  };

  const list = listTab<MailMessage, MailLog>(host, first, status, {
    tab: 'mail',
    title: 'admin.tab.mail',
    caption: 'admin.mail.log',
    columns: [
      'admin.mail.col.created',
      'admin.mail.col.kind',
      'admin.mail.col.recipients',
      'admin.mail.col.subject',
      'admin.mail.col.state',
      'admin.mail.col.attempts',
      'admin.mail.col.outcome',
      'records.actions',
    ],
    head: (): TemplateResult => html`${
      settings === undefined
        ? nothing
        : settings.enabled
          ? html`<p class="muted" data-mail="on">${t('admin.mail.on', { server: settings.server ?? '', from: settings.from ?? '' })}</p>`
          : html`<p class="import-warning" role="note" data-mail="off">${t('admin.mail.off')}</p>`
    }
      <div class="mail-forms">${settingsForm ?? nothing} ${testForm}</div>
      <h3>${t('admin.mail.log')}</h3>
      ${stateFilter()}`,
    async fetch(signal, { page, pageSize, filters }) {
      if (!settings) {
        const answer = await call(endpoints.mailSettings, { signal });
        if (!signal.aborted) showSettings(answer);
      }
      return call(endpoints.mailMessages, { query: { page, pageSize, ...filters }, signal });
    },
    rows: (log) => log.messages,
    row,
    paged: {
      filters: { state: MAIL_STATES },
      total: (log) => log.total,
      summary: (log) =>
        t('admin.mail.counts', {
          pending: formatCount(log.counts.pending),
          sending: formatCount(log.counts.sending),
          sent: formatCount(log.counts.sent),
          failed: formatCount(log.counts.failed),
        }),
      empty: 'admin.mail.empty',
      pages: 'admin.mail.pages',
    },
  });
  return list.start();
};
