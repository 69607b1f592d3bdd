import { html, nothing, render } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import {
  MAIL_STATES,
  type MailKind,
  type MailLog,
  type MailMessage,
  type MailSettings,
  type MailSettingsAnswer,
  type MailState,
  REPORT_SCHEDULES,
} from '../../contract/schemas/mail';
import { ApiError, call, endpoints } from '../api';
import { t } from '../i18n';
import { formatMoment } from '../lib/dates';
import { messageOf } from '../lib/form-dialog';
import { DEFAULT_PAGE_SIZE, formatCount, pager } from '../lib/paged-table';
import { type Paging, readPaging, writePaging } from '../lib/paging';
import { type Notice, noticeLine } from '../lib/view-status';
import type { MountTab } from './admin';

/**
 * Outgoing mail: whether any is sent (SMTP_URL), the settings (reminders, the commission report's
 * list and schedule), a test message, and the delivery log with a filter by state and a retry for a
 * failed message. The state filter and the page are in the URL: `#/admin?tab=mail&state=failed`.
 */

type MailTabState = Paging & { state: MailState | undefined };

const readState = (params: URLSearchParams): MailTabState => {
  const state = params.get('state');
  return {
    state: (MAIL_STATES as readonly string[]).includes(state ?? '') ? (state as MailState) : undefined,
    ...readPaging(params, { defaultPageSize: DEFAULT_PAGE_SIZE, sortable: [] }),
  };
};

const stateParams = (s: MailTabState): URLSearchParams =>
  writePaging(new URLSearchParams({ tab: 'mail', ...(s.state ? { state: s.state } : {}) }), s, DEFAULT_PAGE_SIZE);

const kindLabel = (kind: MailKind) => t(`admin.mail.kind.${kind}`);
const COLUMNS = ['created', 'kind', 'recipients', 'subject', 'state', 'attempts', 'outcome', 'actions'] as const;

export const mountMailTab: MountTab = (host, first, status) => {
  let ctx = first;
  let state = readState(ctx.params);
  let settings: MailSettingsAnswer | undefined;
  /** The settings as edited, ahead of what is saved. */
  let draft: MailSettings | undefined;
  let recipientsText = '';
  let fieldErrors: Record<string, string> = {};
  let said: Notice | undefined;
  let testTo = '';
  let log: MailLog | undefined;
  let busy = false;

  const go = (next: MailTabState) => ctx.navigate('admin', stateParams(next));
  const say = (text: string, error = false) => {
    said = { text, error };
    draw();
  };

  const save = async () => {
    if (!draft) return;
    busy = true;
    fieldErrors = {};
    draw();
    const body = {
      ...draft,
      reportRecipients: recipientsText
        .split(/[\s,;]+/)
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    };
    try {
      settings = await call(endpoints.setMailSettings, { body });
      draft = { ...settings.settings };
      recipientsText = settings.settings.reportRecipients.join('\n');
      say(t('admin.mail.saved'));
    } catch (error) {
      if (error instanceof ApiError)
        for (const d of error.errors) {
          const field = (d.path ?? '').replace(/^body\./, '').split('.')[0] ?? '';
          fieldErrors[field] = [fieldErrors[field], d.message].filter(Boolean).join(' ');
        }
      say(messageOf(error), true);
    }
    busy = false;
    draw();
  };

  const sendTest = async () => {
    busy = true;
    draw();
    try {
      const message = await call(endpoints.testMail, { body: { to: testTo } });
      say(t('admin.mail.testQueued', { to: message.recipients.join(', ') }));
      void loadLog();
    } catch (error) {
      say(messageOf(error), true);
    }
    busy = false;
    draw();
  };

  const retry = async (message: MailMessage) => {
    try {
      await call(endpoints.retryMailMessage, { params: { id: String(message.id) } });
      say(t('admin.mail.retried', { id: message.id }));
      void loadLog();
    } catch (error) {
      say(messageOf(error), true);
    }
  };

  const field = (key: string, label: string, control: unknown, hint?: string) =>
    html`<div class="form-field" data-field=${key}>
      <label for="mail-${key}">${label}</label>${control}
      ${hint ? html`<p class="muted field-hint" id="mail-${key}-hint">${hint}</p>` : nothing}
      ${fieldErrors[key] ? html`<p class="field-error" id="mail-${key}-error" role="alert">${fieldErrors[key]}</p>` : nothing}
    </div>`;
  const described = (key: string, hint: boolean) =>
    [hint ? `mail-${key}-hint` : '', fieldErrors[key] ? `mail-${key}-error` : ''].filter(Boolean).join(' ') || nothing;
  /** A whole number of days, from 1 to `max`. */
  const days = (d: MailSettings, key: 'reminderDaysBefore' | 'reportDay', label: string, max: number) =>
    field(
      key,
      label,
      html`<input type="number" id="mail-${key}" min="1" max=${max} required .value=${live(String(d[key]))}
        aria-invalid=${fieldErrors[key] ? 'true' : 'false'} aria-describedby=${described(key, false)}
        @input=${(e: Event) => (draft = { ...d, [key]: Number((e.target as HTMLInputElement).value) })} />`,
    );

  const settingsForm = (d: MailSettings) => html`<form class="mail-settings" aria-label=${t('admin.mail.settings')}
      @submit=${(e: Event) => {
        e.preventDefault();
        void save();
      }}>
      <h3>${t('admin.mail.settings')}</h3>
      <div class="form-field">
        <label class="filter-check"><input type="checkbox" id="mail-reminders" .checked=${live(d.reminders)}
          @change=${(e: Event) => (draft = { ...d, reminders: (e.target as HTMLInputElement).checked })} />
          <span>${t('admin.mail.reminders')}</span></label>
      </div>
      ${days(d, 'reminderDaysBefore', t('admin.mail.daysBefore'), 60)}
      ${field(
        'reportRecipients',
        t('admin.mail.recipients'),
        html`<textarea id="mail-reportRecipients" rows="4" .value=${live(recipientsText)}
          aria-invalid=${fieldErrors.reportRecipients ? 'true' : 'false'} aria-describedby=${described('reportRecipients', true)}
          @input=${(e: Event) => (recipientsText = (e.target as HTMLTextAreaElement).value)}></textarea>`,
        t('admin.mail.recipientsHint'),
      )}
      ${field(
        'reportSchedule',
        t('admin.mail.schedule'),
        html`<select id="mail-reportSchedule" .value=${live(d.reportSchedule)}
          aria-invalid=${fieldErrors.reportSchedule ? 'true' : 'false'} aria-describedby=${described('reportSchedule', false)}
          @change=${(e: Event) => (draft = { ...d, reportSchedule: (e.target as HTMLSelectElement).value as MailSettings['reportSchedule'] })}>
          ${REPORT_SCHEDULES.map((s) => html`<option value=${s} ?selected=${s === d.reportSchedule}>${t(`admin.mail.schedule.${s}`)}</option>`)}
        </select>`,
      )}
      ${days(d, 'reportDay', t('admin.mail.day'), 28)}
      ${field(
        'reportLang',
        t('admin.mail.lang'),
        html`<select id="mail-reportLang" .value=${live(d.reportLang)}
          aria-invalid=${fieldErrors.reportLang ? 'true' : 'false'} aria-describedby=${described('reportLang', false)}
          @change=${(e: Event) => (draft = { ...d, reportLang: (e.target as HTMLSelectElement).value as 'zh' | 'en' })}>
          <option value="zh" ?selected=${d.reportLang === 'zh'}>中文</option>
          <option value="en" ?selected=${d.reportLang === 'en'}>English</option>
        </select>`,
      )}
      <div class="dialog-actions start"><button type="submit" class="primary" ?disabled=${busy}>${t('admin.mail.save')}</button></div>
    </form>`;

  const testForm = () => html`<form class="mail-test" aria-label=${t('admin.mail.test')}
      @submit=${(e: Event) => {
        e.preventDefault();
        void sendTest();
      }}>
      <h3>${t('admin.mail.test')}</h3>
      <div class="form-field">
        <label for="mail-test-to">${t('admin.mail.testTo')}</label>
        <input type="email" id="mail-test-to" required autocomplete="email" .value=${live(testTo)}
          @input=${(e: Event) => (testTo = (e.target as HTMLInputElement).value)} />
      </div>
      <div class="dialog-actions start">
        <button type="submit" class="secondary" ?disabled=${busy || !settings?.enabled}>${t('admin.mail.testSend')}</button>
      </div>
    </form>`;

  const outcome = (m: MailMessage) =>
    m.state === 'sent'
      ? html`<time datetime=${m.sentAt ?? ''}>${m.sentAt ? formatMoment(m.sentAt) : ''}</time>`
      : html`${m.lastError ? html`<span class="mail-error">${m.lastError}</span>` : nothing}
          ${m.state === 'pending' && m.nextAttemptAt ? html`<span class="muted"> ${t('admin.mail.next', { at: formatMoment(m.nextAttemptAt) })}</span>` : nothing}`;

  const row = (m: MailMessage) => html`<tr data-id=${m.id} data-state=${m.state} data-kind=${m.kind}>
      <td class="when"><time datetime=${m.createdAt}>${formatMoment(m.createdAt)}</time></td>
      <td>${kindLabel(m.kind)}</td>
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

  // Not a landmark of its own: its table's scrolling region is the one named after the log.
  const logSection = () => html`<div class="mail-log">
      <h3 id="mail-log-title">${t('admin.mail.log')}</h3>
      <div class="form-field">
        <label for="mail-state">${t('admin.mail.filterState')}</label>
        <select id="mail-state" .value=${live(state.state ?? '')}
          @change=${(e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            go({ ...state, state: value ? (value as MailState) : undefined, page: 1 });
          }}>
          <option value="">${t('admin.mail.anyState')}</option>
          ${MAIL_STATES.map((s) => html`<option value=${s} ?selected=${s === state.state}>${t(`admin.mail.state.${s}`)}</option>`)}
        </select>
      </div>
      ${
        log
          ? html`<p class="records-total" aria-live="polite" data-total=${log.total}>
              ${t('admin.mail.counts', {
                pending: formatCount(log.counts.pending),
                sending: formatCount(log.counts.sending),
                sent: formatCount(log.counts.sent),
                failed: formatCount(log.counts.failed),
              })}
            </p>`
          : nothing
      }
      ${log?.total === 0 ? html`<div class="records-empty"><p>${t('admin.mail.empty')}</p></div>` : nothing}
      ${
        log && log.total > 0
          ? html`<div class="table-scroll" tabindex="0" role="region" aria-label=${t('admin.mail.log')}>
                <table class="data-table mail-table">
                  <caption class="visually-hidden">${t('admin.mail.log')}</caption>
                  <thead><tr>${COLUMNS.map((c) => html`<th scope="col">${t(`admin.mail.col.${c}`)}</th>`)}</tr></thead>
                  <tbody>${log.messages.map(row)}</tbody>
                </table>
              </div>
              <div class="records-pager">
                ${pager({ ...state, id: 'mail-page-size', total: log.total, label: t('admin.mail.pages'), go: (p) => go({ ...state, ...p }) })}
              </div>`
          : nothing
      }
    </div>`;

  const draw = () =>
    render(
      html`<section class="admin-mail" data-enabled=${settings ? String(settings.enabled) : nothing}>
        <div class="admin-bar"><h2>${t('admin.tab.mail')}</h2></div>
        ${
          settings
            ? settings.enabled
              ? html`<p class="muted" data-mail="on">${t('admin.mail.on', { server: settings.server ?? '', from: settings.from ?? '' })}</p>`
              : html`<p class="import-warning" role="note" data-mail="off">${t('admin.mail.off')}</p>`
            : nothing
        }
        ${noticeLine(said)}
        <div class="mail-forms">${draft ? settingsForm(draft) : nothing} ${testForm()}</div>
        ${logSection()}
      </section>`,
      host,
    );

  const loadSettings = async (signal: AbortSignal) => {
    settings = await call(endpoints.mailSettings, { signal });
    if (signal.aborted) return;
    draft = { ...settings.settings };
    recipientsText = settings.settings.reportRecipients.join('\n');
  };

  const loadLog = (): Promise<void> => {
    const { signal } = ctx;
    const shown = state;
    return status.run(signal, async () => {
      try {
        if (!settings) await loadSettings(signal);
        const answer = await call(endpoints.mailMessages, {
          query: { page: shown.page, pageSize: shown.pageSize, ...(shown.state ? { state: shown.state } : {}) },
          signal,
        });
        if (signal.aborted) return undefined;
        log = answer;
        return 'ready';
      } finally {
        if (!signal.aborted) draw();
      }
    });
  };

  draw();
  void loadLog();
  return {
    update(next) {
      ctx = next;
      state = readState(ctx.params);
      draw();
      void loadLog();
    },
    destroy: () => undefined,
  };
};
