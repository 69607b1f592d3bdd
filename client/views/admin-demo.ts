import { request } from '../api';
import { element } from '../dom';
import { t } from '../i18n';
import { confirmDialog, messageOf } from './records-ui';

/** What `/demo` sends (server/demo/demo.schemas.ts, `DemoStatusSchema`). */
interface DemoStatus {
  synthetic: boolean;
  demoAccounts: number;
  left: boolean;
  purelySynthetic: boolean;
  ownAdministrators: number;
}

/** What `POST /demo/leave` sends (`LeaveDemoResultSchema`). */
interface LeaveDemoResult {
  removedAccounts: string[];
  removedRecords: Record<string, number> | null;
  removedTargets: number;
  synthetic: boolean;
}

/**
 * Leaving demo mode, above the accounts: shown while demo accounts (whose password is published)
 * exist, or records the demo generator wrote are kept. `done` is called after the server answers;
 * when the signed-in account was a demo account, its session is gone and the next request signs out.
 */
export function demoSection(
  host: HTMLElement,
  say: (message: string, error?: boolean) => void,
  done: () => void,
): { load(signal: AbortSignal): Promise<void> } {
  const section = element('section', { class: 'admin-demo', hidden: '' });
  host.append(section);

  function render(status: DemoStatus): void {
    section.hidden = status.demoAccounts === 0 && !status.synthetic;
    if (section.hidden) return;
    section.dataset.demoAccounts = String(status.demoAccounts);
    const choices = (['keep', 'remove'] as const).map((records, i) => {
      const radio = element('input', { type: 'radio', name: 'demo-records', value: records, 'data-demo-records': records });
      radio.checked = status.demoAccounts === 0 ? records === 'remove' : i === 0;
      return { records, radio };
    });
    const chosen = () => choices.find((c) => c.radio.checked)?.records ?? 'keep';
    const leave = element(
      'button',
      { type: 'button', class: 'danger', 'data-action': 'leave-demo' },
      t(status.demoAccounts > 0 ? 'admin.demo.leave' : 'admin.demo.removeRecords'),
    );
    const ready = status.ownAdministrators > 0;
    leave.disabled = !ready;
    leave.addEventListener('click', async () => {
      const records = chosen();
      const sure = await confirmDialog(section, {
        title: t('admin.demo.confirmTitle'),
        message: t(records === 'remove' ? 'admin.demo.confirmRemove' : 'admin.demo.confirmKeep', { n: status.demoAccounts }),
        confirm: t(status.demoAccounts > 0 ? 'admin.demo.leave' : 'admin.demo.removeRecords'),
        danger: true,
      });
      if (!sure) return;
      leave.disabled = true;
      try {
        const result = await request<LeaveDemoResult>('POST', '/demo/leave', { records });
        const removed = result.removedRecords ? Object.values(result.removedRecords).reduce((a, b) => a + b, 0) : 0;
        say(
          t(result.synthetic ? 'admin.demo.doneKept' : 'admin.demo.doneRemoved', {
            accounts: result.removedAccounts.length,
            records: removed,
          }),
        );
      } catch (error) {
        say(t('admin.demo.failed', { message: messageOf(error) }), true);
      }
      done();
    });
    section.replaceChildren(
      element('h2', {}, t('admin.demo.title')),
      ...(status.demoAccounts > 0
        ? [
            element(
              'p',
              { class: 'import-warning' },
              // The published password signs in only while the database is purely the demo.
              t(status.purelySynthetic ? 'admin.demo.accounts' : 'admin.demo.accountsRetired', { n: status.demoAccounts }),
            ),
          ]
        : []),
      element('p', { class: 'muted' }, t(status.demoAccounts > 0 ? 'admin.demo.explain' : 'admin.demo.keptExplain')),
      ...(status.demoAccounts > 0 && status.synthetic
        ? [
            element(
              'fieldset',
              { class: 'filter-group' },
              element('legend', {}, t('admin.demo.records')),
              element(
                'div',
                { class: 'radio-row' },
                ...choices.map(({ records, radio }) =>
                  element('label', { class: 'filter-check' }, radio, element('span', {}, t(`admin.demo.records.${records}`))),
                ),
              ),
            ),
          ]
        : []),
      ...(ready ? [] : [element('p', { class: 'records-error', role: 'note' }, t('admin.demo.needAdmin'))]),
      element('div', { class: 'dialog-actions start' }, leave),
    );
  }

  return {
    async load(signal) {
      try {
        const status = await request<DemoStatus>('GET', '/demo', undefined, signal);
        if (!signal.aborted) render(status);
      } catch {
        // The section is a convenience: the accounts below say what went wrong with the request.
        section.hidden = true;
      }
    },
  };
}
