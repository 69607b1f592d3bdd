import { html, nothing } from 'lit-html';
import type { DemoStatus } from '../../contract/schemas/demo';
import { call, endpoints } from '../api';
import { t } from '../i18n';
import { confirmDialog, messageOf } from '../lib/form-dialog';

type KeepOrRemove = 'keep' | 'remove';

/**
 * Leaving demo mode, above the accounts: shown while demo accounts (whose password is published)
 * exist, or records the demo generator wrote are kept. `done` is called after the server answers;
 * when the signed-in account was a demo account, its session is gone and the next request signs out.
 */
export function demoSection(options: {
  say: (message: string, error?: boolean) => void;
  done: () => void;
  redraw: () => void;
  host: () => HTMLElement;
}) {
  let status: DemoStatus | undefined;
  let records: KeepOrRemove = 'keep';
  let busy = false;

  async function leave(current: DemoStatus): Promise<void> {
    const sure = await confirmDialog(options.host(), {
      title: t('admin.demo.confirmTitle'),
      message: t(records === 'remove' ? 'admin.demo.confirmRemove' : 'admin.demo.confirmKeep', { n: current.demoAccounts }),
      confirm: t(current.demoAccounts > 0 ? 'admin.demo.leave' : 'admin.demo.removeRecords'),
      danger: true,
    });
    if (!sure) return;
    busy = true;
    options.redraw();
    try {
      const result = await call(endpoints.leaveDemo, { body: { records } });
      const removed = Object.values(result.removedRecords ?? {}).reduce((a, b) => a + b, 0);
      const key = result.synthetic ? 'admin.demo.doneKept' : 'admin.demo.doneRemoved';
      options.say(t(key, { accounts: result.removedAccounts.length, records: removed }));
    } catch (error) {
      options.say(t('admin.demo.failed', { message: messageOf(error) }), true);
    }
    busy = false;
    options.done();
  }

  return {
    async load(signal: AbortSignal): Promise<void> {
      try {
        const next = await call(endpoints.demo, { signal });
        if (signal.aborted) return;
        if (next.demoAccounts !== status?.demoAccounts) records = next.demoAccounts === 0 ? 'remove' : 'keep';
        status = next;
      } catch {
        // The section is a convenience: the accounts below say what went wrong with the request.
        status = undefined;
      }
      options.redraw();
    },

    view() {
      const s = status;
      if (!s || (s.demoAccounts === 0 && !s.synthetic)) return html`<section class="admin-demo" hidden></section>`;
      const accounts = s.demoAccounts > 0;
      const ready = s.ownAdministrators > 0;
      return html`<section class="admin-demo" data-demo-accounts=${s.demoAccounts}>
        <h2>${t('admin.demo.title')}</h2>
        ${
          accounts
            ? // The published password signs in only while the database is purely the demo.
              html`<p class="import-warning">
                ${t(s.purelySynthetic ? 'admin.demo.accounts' : 'admin.demo.accountsRetired', { n: s.demoAccounts })}
              </p>`
            : nothing
        }
        <p class="muted">${t(accounts ? 'admin.demo.explain' : 'admin.demo.keptExplain')}</p>
        ${
          accounts && s.synthetic
            ? html`<fieldset class="filter-group">
                <legend>${t('admin.demo.records')}</legend>
                <div class="radio-row">
                  ${(['keep', 'remove'] as const).map(
                    (choice) => html`<label class="filter-check">
                      <input type="radio" name="demo-records" value=${choice} data-demo-records=${choice}
                        .checked=${records === choice} @change=${() => (records = choice)} />
                      <span>${t(`admin.demo.records.${choice}`)}</span>
                    </label>`,
                  )}
                </div>
              </fieldset>`
            : nothing
        }
        ${ready ? nothing : html`<p class="records-error" role="note">${t('admin.demo.needAdmin')}</p>`}
        <div class="dialog-actions start">
          <button type="button" class="danger" data-action="leave-demo" ?disabled=${!ready || busy} @click=${() => void leave(s)}>
            ${t(accounts ? 'admin.demo.leave' : 'admin.demo.removeRecords')}
          </button>
        </div>
      </section>`;
    },
  };
}
