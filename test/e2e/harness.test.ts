import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  canvasHasPixels,
  type Dashboard,
  type DashboardPage,
  describeBrowser,
  gotoView,
  openPage,
  startDashboard,
  waitForView,
} from './harness.js';

/** The harness's own promises, on pages it builds for the purpose, and once on the real Overview. */
describeBrowser('the browser-test harness', () => {
  let dashboard: Dashboard;
  /** Opened in a hook: lives until the dashboard closes. */
  let signedOut: DashboardPage;
  beforeAll(async () => {
    dashboard = await startDashboard();
    signedOut = await openPage(dashboard, null);
  });
  afterAll(() => dashboard?.close());

  /** Replaces what #view shows with a root of the given name and state, as a view would draw it. */
  const fakeView = (state: string) =>
    signedOut.page.evaluate((value) => {
      const root = document.createElement('div');
      root.className = 'view-fake';
      root.dataset.state = value;
      document.querySelector('#view')!.replaceChildren(root);
    }, state);
  const setFakeState = (state: string, delayMs: number) =>
    signedOut.page.evaluate(
      ([value, delay]) =>
        void setTimeout(() => (document.querySelector<HTMLElement>('.view-fake')!.dataset.state = value), delay),
      [state, delayMs] as const,
    );

  test('canvasHasPixels tells a drawn canvas from a blank one', async () => {
    await signedOut.page.evaluate(() => {
      for (const id of ['blank', 'drawn']) {
        const canvas = document.createElement('canvas');
        canvas.id = id;
        document.body.append(canvas);
      }
      const context = document.querySelector<HTMLCanvasElement>('#drawn')!.getContext('2d')!;
      context.fillStyle = '#0072B2';
      context.fillRect(10, 10, 2, 2);
    });
    expect(await canvasHasPixels(signedOut.page, '#drawn')).toBe(true);
    expect(await canvasHasPixels(signedOut.page, '#blank', { timeout: 200 })).toBe(false);
  });

  test('waitForView waits through loading and fails at once on another final state', async () => {
    await fakeView('loading');
    await setFakeState('ready', 200);
    await waitForView(signedOut.page, 'fake');
    await fakeView('loading');
    await setFakeState('error', 100);
    const started = Date.now();
    await expect(waitForView(signedOut.page, 'fake')).rejects.toThrow(/view fake became error, not ready/);
    expect(Date.now() - started).toBeLessThan(5000);
    await fakeView('empty');
    await waitForView(signedOut.page, 'fake', { state: 'empty' });
  });

  test('waitForView with `after` waits for the render the action caused, not the one on screen', async () => {
    await fakeView('ready');
    const started = Date.now();
    await waitForView(signedOut.page, 'fake', { after: () => setFakeState('ready', 300) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  test('errors collects page errors, console errors and HTTP errors, and expectNoErrors reports them', async () => {
    const tab = await openPage(dashboard, null);
    tab.expectNoErrors();
    await tab.page.evaluate(async () => {
      console.error('something broke');
      setTimeout(() => {
        throw new Error('uncaught');
      });
      await fetch('/api/v1/no-such-thing');
    });
    await tab.page.waitForTimeout(100);
    expect(tab.errors).toEqual(
      expect.arrayContaining(['console error: something broke', 'page error: uncaught', 'HTTP 404 GET /api/v1/no-such-thing']),
    );
    expect(() => tab.expectNoErrors()).toThrow(/something broke/);
    tab.expectNoErrors(/^console error: something broke$/, /^page error: uncaught$/, /^HTTP 404 /);
  });

  test('the signed-in app opens on the Overview, whose first chart is drawn (and gotoView moves on)', async () => {
    const tab = await openPage(dashboard, 'leadership');
    await waitForView(tab.page, 'overview');
    expect(await canvasHasPixels(tab.page, '#view canvas')).toBe(true);
    await gotoView(tab.page, 'trends');
    expect(await tab.page.evaluate(() => location.hash)).toBe('#/trends');
    tab.expectNoErrors();
  });
});
