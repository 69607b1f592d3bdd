import '../records.css';
import { element } from '../dom';
import { t } from '../i18n';
import type { RenderView, ViewContext } from '../view';
import { renderAuditTab } from './admin-audit';
import { renderTargetsTab } from './admin-targets';
import { renderUsersTab } from './admin-users';

/**
 * The administrator's view: accounts, yearly targets and the audit log, one tab each. The tab
 * and each tab's own state (the targets' year, the audit log's filters and page) are in the URL:
 * `#/admin?tab=audit&action=update&page=2`.
 */

export const ADMIN_TABS = ['users', 'targets', 'audit'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/** What a tab returns: `update` when only its URL state changed, `destroy` when it is left. */
export interface TabHandle {
  update?(ctx: ViewContext): void | Promise<void>;
  destroy?(): void;
}
/** The state of a tab's data, shown as the view's `data-state`. */
export type TabState = 'loading' | 'ready' | 'empty' | 'error';
export type RenderTab = (
  panel: HTMLElement,
  ctx: ViewContext,
  setState: (state: TabState) => void,
) => Promise<TabHandle> | TabHandle;

const RENDER: Record<AdminTab, RenderTab> = { users: renderUsersTab, targets: renderTargetsTab, audit: renderAuditTab };

const tabOf = (params: URLSearchParams): AdminTab => {
  const tab = params.get('tab');
  return (ADMIN_TABS as readonly string[]).includes(tab ?? '') ? (tab as AdminTab) : 'users';
};

export const renderAdmin: RenderView = async (container, first) => {
  if (first.me.role !== 'admin') {
    container.dataset.state = 'error';
    container.replaceChildren(
      element('h1', {}, t('admin.title')),
      element('p', { class: 'state error', role: 'alert' }, t('admin.forbidden')),
    );
    return;
  }
  let ctx = first;
  let shown: { tab: AdminTab; handle: TabHandle } | undefined;
  const tabs = new Map<AdminTab, HTMLButtonElement>();
  const tablist = element('div', { class: 'records-tabs', role: 'tablist', 'aria-label': t('admin.tabs') });
  const panel = element('div', { class: 'admin-panel', role: 'tabpanel', id: 'admin-panel', tabindex: '-1' });

  const go = (tab: AdminTab) => {
    if (tab !== tabOf(ctx.params)) ctx.navigate('admin', { tab });
  };
  ADMIN_TABS.forEach((tab, index) => {
    const button = element(
      'button',
      { type: 'button', role: 'tab', id: `admin-tab-${tab}`, 'aria-controls': 'admin-panel', 'data-tab': tab },
      t(`admin.tab.${tab}`),
    );
    button.addEventListener('click', () => go(tab));
    button.addEventListener('keydown', (event) => {
      const next =
        event.key === 'ArrowRight'
          ? ADMIN_TABS[(index + 1) % ADMIN_TABS.length]
          : event.key === 'ArrowLeft'
            ? ADMIN_TABS[(index + ADMIN_TABS.length - 1) % ADMIN_TABS.length]
            : event.key === 'Home'
              ? ADMIN_TABS[0]
              : event.key === 'End'
                ? ADMIN_TABS[ADMIN_TABS.length - 1]
                : undefined;
      if (!next) return;
      event.preventDefault();
      tabs.get(next)?.focus();
      go(next);
    });
    tabs.set(tab, button);
    tablist.append(button);
  });

  container.replaceChildren(
    element(
      'div',
      { class: 'records-head' },
      element('h1', {}, t('admin.title')),
      element('p', { class: 'muted' }, t('admin.intro')),
    ),
    tablist,
    panel,
  );

  let generation = 0;
  const show = async (next: ViewContext): Promise<void> => {
    ctx = next;
    const tab = tabOf(ctx.params);
    for (const [name, button] of tabs) {
      button.setAttribute('aria-selected', String(name === tab));
      button.tabIndex = name === tab ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `admin-tab-${tab}`);
    panel.dataset.tab = tab;
    if (shown?.tab === tab) {
      await shown.handle.update?.(ctx);
      return;
    }
    // A new tab: its state reports count only while it is the one on screen.
    const mine = ++generation;
    shown?.handle.destroy?.();
    shown = undefined;
    panel.replaceChildren();
    container.dataset.state = 'loading';
    const handle = await RENDER[tab](panel, ctx, (state) => {
      if (mine === generation) container.dataset.state = state;
    });
    if (mine !== generation) {
      // Another tab was chosen while this one loaded: that one draws the panel.
      handle.destroy?.();
      return;
    }
    shown = { tab, handle };
  };

  await show(first);
  return {
    update: show,
    destroy: () => shown?.handle.destroy?.(),
  };
};
