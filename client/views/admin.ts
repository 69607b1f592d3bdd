import '../records.css';
import { html, render } from 'lit-html';
import { t } from '../i18n';
import { tabList } from '../lib/tabs';
import { refuse, ViewStatus } from '../lib/view-status';
import type { RenderView, ViewContext, ViewHandle } from '../view';
import { mountAuditTab } from './admin-audit';
import { mountMailTab } from './admin-mail';
import { mountTargetsTab } from './admin-targets';
import { mountUniversitiesTab } from './admin-universities';
import { mountUsersTab } from './admin-users';

/**
 * The administrator's view: accounts, yearly targets, the member universities and the audit log, one tab each. The tab
 * and each tab's own state (the targets' year, the audit log's filters and page) are in the URL:
 * `#/admin?tab=audit&action=update&page=2`.
 */

export const ADMIN_TABS = ['users', 'targets', 'universities', 'audit', 'mail'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/**
 * A tab drawn into `host`: updated when only its URL state changed, destroyed when it is left. It
 * reports its loads through the view's one `status` (its `data-state` and error box).
 */
export type MountTab = (host: HTMLElement, ctx: ViewContext, status: ViewStatus) => ViewHandle;

const MOUNT: Record<AdminTab, MountTab> = {
  users: mountUsersTab,
  targets: mountTargetsTab,
  universities: mountUniversitiesTab,
  audit: mountAuditTab,
  mail: mountMailTab,
};

const tabOf = (params: URLSearchParams): AdminTab => {
  const tab = params.get('tab');
  return (ADMIN_TABS as readonly string[]).includes(tab ?? '') ? (tab as AdminTab) : 'users';
};

export const renderAdmin: RenderView = (container, first) => {
  if (first.me.role !== 'admin') return refuse(container, t('admin.title'), t('admin.forbidden'));
  let ctx = first;
  let shown: { tab: AdminTab; host: HTMLElement; handle: ViewHandle } | undefined;
  // The tab on screen, set before its tab mounts (a mount may load at once and clear an old error).
  let drawn: { tab: AdminTab; host: HTMLElement } | undefined;
  const status = new ViewStatus(container, () => drawn && draw(drawn.tab, drawn.host));
  const go = (tab: AdminTab) => {
    if (tab !== tabOf(ctx.params)) ctx.navigate('admin', { tab });
  };

  const draw = (tab: AdminTab, host: HTMLElement) =>
    render(
      html`<div class="records-head"><h1>${t('admin.title')}</h1><p class="muted">${t('admin.intro')}</p></div>
        ${tabList({ id: 'admin', label: t('admin.title'), tabs: ADMIN_TABS, selected: tab, name: (n) => t(`admin.tab.${n}`), go })}
        ${status.alert()}
        <div class="admin-panel" role="tabpanel" id="admin-panel" tabindex="-1" aria-labelledby="admin-tab-${tab}" data-tab=${tab}>
          ${host}
        </div>`,
      container,
    );

  const show = (next: ViewContext): void => {
    ctx = next;
    const tab = tabOf(ctx.params);
    if (shown?.tab === tab) {
      shown.handle.update?.(ctx);
      return;
    }
    shown?.handle.destroy?.();
    const host = document.createElement('div');
    drawn = { tab, host };
    draw(tab, host);
    shown = { tab, host, handle: MOUNT[tab](host, ctx, status) };
  };

  show(first);
  return { update: show, destroy: () => shown?.handle.destroy?.() };
};
