import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  api,
  type Dashboard,
  type DashboardApi,
  describeBrowser,
  gotoView,
  openPage,
  poll,
  screenshot,
  startDashboard,
  waitForView,
} from './harness.js';

/** Yuan per table unit, stated here on its own: the unit each language's tables name in their headers. */
const SCALE: Record<string, number> = { 万元: 10_000, 'CNY thousand': 1_000 };
/** A unit written into a cell: a table's cells are bare numbers, their unit is the header's. */
const UNIT_IN_CELL = /元|¥|yuan|CNY|万|亿|\d\s*(k|m|bn)\b/;

interface TableCell {
  text: string;
  value: string | null;
  unit: string | null;
  title: string | null;
  header: boolean;
}
interface ShownTable {
  figure: string;
  columns: Array<{ text: string; unit: string | null }>;
  rows: TableCell[][];
}

/** Every figure table of the view as shown: headers with their unit, cells with text, raw value, unit and title. */
const shownTables = (page: Page): Promise<ShownTable[]> =>
  page.$$eval('[data-figure] table', (tables) =>
    tables.map((table) => ({
      figure: (table.closest('[data-figure]') as HTMLElement).dataset.figure!,
      columns: [...table.querySelectorAll('thead th')].map((th) => ({
        text: th.textContent ?? '',
        unit: (th as HTMLElement).dataset.unit ?? null,
      })),
      rows: [...table.querySelectorAll('tbody tr, tfoot tr')].map((tr) =>
        [...tr.querySelectorAll('th, td')].map((cell) => ({
          // The number as shown, without the mark of a status that differs from its figure's.
          text: (() => {
            const copy = cell.cloneNode(true) as Element;
            for (const mark of copy.querySelectorAll('.status-mark')) mark.remove();
            return (copy.textContent ?? '').trim();
          })(),
          value: (cell as HTMLElement).dataset.value ?? null,
          unit: (cell as HTMLElement).dataset.unit ?? null,
          title: cell.getAttribute('title'),
          header: cell.tagName === 'TH',
        })),
      ),
    })),
  );

/**
 * Checks that each money column (or, in a table of measures by row, each money row) has one unit,
 * the header's: every cell is a bare number that, times the unit, is the cell's raw yuan to the
 * cell's last decimal, with the exact yuan in its title. Answers how many money cells it checked.
 */
function checkUnits(tables: ShownTable[], where: string): number {
  let checked = 0;
  for (const table of tables) {
    for (const row of table.rows) {
      const rowUnit = row[0]?.header ? row[0].unit : null;
      row.forEach((cell, i) => {
        const at = `${where} ${table.figure} [${table.columns[i]?.text}] ${row[0]?.text}`;
        if (cell.header) return;
        expect(cell.text, at).not.toMatch(UNIT_IN_CELL);
        const columnUnit = table.columns[i]?.unit ?? null;
        // A money column: every cell in its unit. A table of measures by row (the summary) mixes
        // amounts, changes and counts along a row: its money cells are in the row's unit.
        if (columnUnit || !rowUnit) expect(cell.unit ?? null, at).toBe(columnUnit);
        else if (cell.unit !== null) expect(cell.unit, at).toBe(rowUnit);
        const unit = columnUnit ?? cell.unit;
        if (!unit || cell.value === null || cell.text === '—') return;
        const scale = SCALE[unit];
        expect(scale, `${at}: unknown unit ${unit}`).toBeDefined();
        const decimals = cell.text.split('.')[1]?.length ?? 0;
        const shown = Number(cell.text.replace(/,/g, ''));
        expect(Math.abs(shown * scale! - Number(cell.value)), at).toBeLessThanOrEqual((0.5 * scale!) / 10 ** decimals + 1e-6);
        // The exact yuan, to the fen, on hover.
        expect(cell.title?.replace(/[^\d.]/g, ''), at).toBe(Number(cell.value).toFixed(2));
        checked++;
      });
    }
  }
  return checked;
}

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describeBrowser('tables, drill-down totals, Trends and the phone layout', () => {
  let dashboard: Dashboard;
  let leadership: DashboardApi;
  const getJson = (path: string): Promise<any> => leadership.json(path);
  beforeAll(async () => {
    dashboard = await startDashboard();
    leadership = await api(dashboard, 'leadership');
  });
  afterAll(() => dashboard?.close());

  test.each([
    { lang: 'zh', width: 1366 },
    { lang: 'en', width: 1366 },
    { lang: 'zh', width: 390 },
  ] as const)('in $lang at $width px every money column has one unit, named in its header', async ({ lang, width }) => {
    const tab = await openPage(dashboard, 'admin', { lang, width, height: width === 390 ? 844 : 900 });
    const { page } = tab;
    const period = { from: '2019-10-25', to: today() };
    const places: Array<[string, Record<string, string>]> = [
      ['overview', { ...period, grain: 'year' }],
      ['universities', { ...period, grain: 'year', measure: 'tech_transfer.contract_value' }],
      ['regions', { ...period, measure: 'tech_transfer.received' }],
      ['trends', { ...period, grain: 'year', measure: 'incubation.funding' }],
      ['trends', { ...period, grain: 'year', measure: 'tech_transfer.contract_value', series: 'universities' }],
      ['collaboration', { ...period, measure: 'tech_transfer.contract_value' }],
    ];
    for (const [view, params] of places) {
      await gotoView(page, view, params);
      // The tables a figure keeps behind its "Table" button are read as they are, shown or not.
      const checked = checkUnits(await shownTables(page), `${view} ${JSON.stringify(params)}`);
      expect(checked, `${view}: money cells checked`).toBeGreaterThan(0);
      const units = await page.$$eval('[data-figure] thead th[data-unit], [data-figure] tbody th[data-unit]', (cells) => [
        ...new Set(cells.map((c) => (c as HTMLElement).dataset.unit)),
      ]);
      expect(units, view).toEqual([lang === 'zh' ? '万元' : 'CNY thousand']);
    }
    tab.expectNoErrors();
  });

  test('the records a figure opens carry a total that equals the figure, at desk and phone widths', async () => {
    const from = '2024-01-01';
    const to = '2024-12-31';
    const measure = 'tech_transfer.contract_value';
    for (const width of [1366, 390] as const) {
      const tab = await openPage(dashboard, 'leadership', {
        lang: 'zh',
        width,
        height: width === 390 ? 844 : 900,
        path: `/#/universities?grain=quarter&from=${from}&to=${to}&measure=${measure}`,
      });
      const { page } = tab;
      await waitForView(page, 'universities');
      const byQuarter = await getJson(
        `/aggregate?measures=${measure}&by=university,quarter&from=${from}&to=${to}&withRecords=true`,
      );
      const whole = await getJson(`/aggregate?measures=${measure}&by=university&from=${from}&to=${to}&withRecords=true`);
      const row = page.locator('[data-figure="by-university"] tbody tr', { has: page.locator('th[data-value="USST"]') });
      // At a desk, the first quarter's cell; on a phone, where the quarters are the chart's, the total's.
      const cell = width === 1366 ? row.locator('td').first() : row.locator('td').last();
      expect(await cell.isVisible()).toBe(true);
      const figure =
        width === 1366
          ? byQuarter.rows.find(
              (r: { university: string; quarter: string }) => r.university === 'USST' && r.quarter === '2024-Q1',
            )
          : whole.rows.find((r: { university: string }) => r.university === 'USST');
      expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(figure[measure], 2);
      const cellText = (await cell.locator('button.cell-link').textContent())!.trim();
      await waitForView(page, 'records', { after: () => cell.locator('button.cell-link').click() });
      const total = page.locator('.records-figure-total');
      expect(Number(await total.getAttribute('data-sum'))).toBeCloseTo(figure[measure], 2);
      expect(Number(await total.getAttribute('data-count'))).toBe(figure[`${measure}:records`]);
      // Shown in the unit of the figure's table: the same number, the unit named.
      expect(await total.textContent()).toContain(`${cellText} 万元`);
      expect(await total.isVisible()).toBe(true);
      // The records' own money columns are in the same unit, named in their headers.
      const money = await page.$$eval('.records-table', (tables) =>
        tables.flatMap((table) => {
          const heads = [...table.querySelectorAll('thead th')];
          return [...table.querySelectorAll('tbody tr')].flatMap((tr) =>
            [...tr.children].map((cell, i) => ({
              head: (heads[i] as HTMLElement | undefined)?.dataset.unit ?? null,
              unit: (cell as HTMLElement).dataset.unit ?? null,
              text: (cell.textContent ?? '').trim(),
              value: (cell as HTMLElement).dataset.value ?? '',
            })),
          );
        }),
      );
      const moneyCells = money.filter((c) => c.head !== null);
      expect(moneyCells.length).toBeGreaterThan(0);
      for (const c of moneyCells) {
        expect(c.head).toBe('万元');
        expect(c.unit).toBe('万元');
        expect(c.text).not.toMatch(UNIT_IN_CELL);
        if (c.value !== '')
          expect(Math.abs(Number(c.text.replace(/,/g, '')) * 10_000 - Number(c.value))).toBeLessThanOrEqual(50.000001);
      }
      // The chips name the university, not its code.
      expect(await page.locator('.records-chips .chip[data-chip="university=USST"]').textContent()).toContain('上海理工大学');
      await screenshot(page, `drill-total-${width}`);
      tab.expectNoErrors();
      await tab.close();
    }
  });

  test('the commission’s drill-down states the figure in its table’s unit, with the exact yuan on hover', async () => {
    const tab = await openPage(dashboard, 'commission', {
      lang: 'en',
      path: '/#/regions?from=2024-01-01&to=2024-12-31&measure=tech_transfer.contract_value',
    });
    const { page } = tab;
    await waitForView(page, 'regions');
    const cell = page
      .locator('[data-figure="by-region"] tbody tr', { has: page.locator('th[data-value="SH"]') })
      .locator('td')
      .first();
    const text = (await cell.locator('button.cell-link').textContent())!.trim();
    await cell.locator('button.cell-link').click();
    const dialog = page.locator('dialog.drill-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('.drill-value').textContent()).toBe(`${text} CNY thousand`);
    expect(Number(await dialog.locator('.drill-value').getAttribute('data-value'))).toBe(
      Number(await cell.getAttribute('data-value')),
    );
    tab.expectNoErrors();
  });

  test('on a 390 px phone the filters fold into one line, the first figure is on the first screen, the language toggle on one line', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'zh', width: 390, height: 844 });
    const { page } = tab;
    const firstScreen = 844;
    for (const view of ['overview', 'universities', 'regions', 'trends', 'collaboration']) {
      await gotoView(page, view);
      const toggle = page.locator('.filters-toggle');
      expect(await toggle.isVisible(), view).toBe(true);
      expect(await toggle.getAttribute('aria-expanded'), view).toBe('false');
      expect(await page.locator('form.filters').isVisible(), view).toBe(false);
      // The summary says what the hidden form filters by.
      expect(await page.locator('.filters-summary').textContent(), view).toContain(`${today().slice(0, 4)}-01-01 – ${today()}`);
      const first = view === 'overview' ? page.locator('.kpi-value').first() : page.locator('.figure .chart-box').first();
      const box = (await first.boundingBox())!;
      expect(box.y + (view === 'overview' ? box.height : 0), view).toBeLessThan(firstScreen);
      if (view === 'overview') expect((await first.textContent())!.trim().length).toBeGreaterThan(0);
      // Tables keep their name and main figure in sight: no sideways scroll to reach the total.
      if (view === 'universities') {
        const right = await page.$eval(
          '[data-figure="by-university"] tbody tr td:last-child',
          (td) => td.getBoundingClientRect().right,
        );
        expect(right).toBeLessThanOrEqual(390);
        expect(await page.locator('[data-figure="by-university"] thead th:visible').count()).toBe(2);
      }
    }
    await screenshot(page, 'phone-first-screen-zh');
    // Opening the filters shows the form; its state goes with the person to the next view.
    await page.locator('.filters-toggle').click();
    expect(await page.locator('form.filters').isVisible()).toBe(true);
    expect(await page.locator('.filters-toggle').getAttribute('aria-expanded')).toBe('true');
    // The language toggle: both buttons on one line.
    const tops = await page.$$eval('.lang-switch button', (buttons) =>
      buttons.map((b) => Math.round(b.getBoundingClientRect().top)),
    );
    expect(new Set(tops).size).toBe(1);
    tab.expectNoErrors();
  });

  test('at a desk the filters are open and the toggle is not shown', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en', width: 1366, height: 900, path: '/#/universities' });
    const { page } = tab;
    await waitForView(page, 'universities');
    expect(await page.locator('.filters-toggle').isVisible()).toBe(false);
    expect(await page.locator('form.filters').isVisible()).toBe(true);
    expect(await page.locator('[data-figure="by-university"] thead th:visible').count()).toBeGreaterThan(2);
    tab.expectNoErrors();
  });

  test('Trends shows the alliance and its target by default; universities on demand, each on its own scale', async () => {
    const measure = 'tech_transfer.contract_value';
    const from = '2021-01-01';
    const to = '2023-12-31';
    const tab = await openPage(dashboard, 'leadership', {
      lang: 'en',
      path: `/#/trends?grain=quarter&from=${from}&to=${to}&measure=${measure}`,
    });
    const { page } = tab;
    await waitForView(page, 'trends');
    const figure = page.locator('[data-figure="trend"]');
    const targets = (await getJson(`/targets?measure=${measure}`)).targets as Array<{ university: string | null; year: number }>;
    const allianceTargeted = targets.some((x) => x.university === null && x.year >= 2021 && x.year <= 2023);
    expect(await figure.getAttribute('data-datasets')).toBe(allianceTargeted ? '2' : '1');
    const alliance = await getJson(`/aggregate?measures=${measure}&by=quarter&from=${from}&to=${to}&fill=true`);
    const column = await page.$$eval('[data-figure="trend"] tbody tr', (rows) =>
      rows.map((r) => Number((r.querySelectorAll('td')[0] as HTMLElement).dataset.value)),
    );
    expect(column).toHaveLength(alliance.rows.length);
    alliance.rows.forEach((r: Record<string, number>, i: number) => {
      expect(column[i]).toBeCloseTo(r[measure]!, 2);
    });

    // A line per university: a small chart each, its target beside it.
    await gotoView(page, 'trends', { grain: 'quarter', from, to, measure, series: 'universities' });
    const byUniversity = await getJson(`/aggregate?measures=${measure}&by=university&from=${from}&to=${to}`);
    const universities = byUniversity.rows.length;
    expect(await figure.getAttribute('data-multiples')).toBe(String(universities));
    expect(await page.locator('[data-figure="trend"] .multiple canvas').count()).toBe(universities);
    const targeted = new Set(
      targets.filter((x) => x.university !== null && x.year >= 2021 && x.year <= 2023).map((x) => x.university),
    );
    expect(Number(await figure.getAttribute('data-datasets'))).toBe(universities + targeted.size);
    await screenshot(page, 'trends-multiples-en');
    // On one scale: the lines alone.
    await gotoView(page, 'trends', { grain: 'quarter', from, to, measure, series: 'universities', layout: 'together' });
    expect(await figure.getAttribute('data-datasets')).toBe(String(universities));
    expect(await figure.getAttribute('data-multiples')).toBeNull();
    tab.expectNoErrors();
  });

  test.each(['en', 'zh'] as const)('in %s, periods the dates cut are marked on the chart and explained', async (lang) => {
    const to = today();
    const tab = await openPage(dashboard, 'leadership', { lang, path: `/#/trends?grain=quarter&from=2019-10-25&to=${to}` });
    const { page } = tab;
    await waitForView(page, 'trends');
    // Independently: the quarters the span cuts are the agreement's (it began on 25 October) and the current one, unless today ends it.
    const [y, m, d] = to.split('-').map(Number) as [number, number, number];
    const quarter = Math.ceil(m / 3);
    const quarterEnd = new Date(Date.UTC(y, quarter * 3, 0)).getUTCDate();
    const endsQuarter = m === quarter * 3 && d === quarterEnd;
    const expected = ['2019-Q4', ...(endsQuarter ? [] : [`${y}-Q${quarter}`])];
    const note = page.locator('[data-figure="trend"] .legend-note [data-partial]');
    expect((await note.getAttribute('data-partial'))!.split(',')).toEqual(expected);
    expect(await note.textContent()).toContain(lang === 'zh' ? '点线段与空心点' : 'Dotted segments and hollow points');
    // The table's period labels say so too.
    const labels = await page.$$eval('[data-figure="trend"] tbody th', (cells) =>
      cells.map((c) => [(c as HTMLElement).dataset.value, c.textContent]),
    );
    for (const [key, label] of labels)
      expect(label!.includes(lang === 'zh' ? '（不完整）' : '(part)'), key).toBe(expected.includes(key!));
    // The overview's trend since the agreement marks them as well.
    await gotoView(page, 'overview', { grain: 'quarter' });
    expect(await page.locator('[data-figure="headline"] .legend-note [data-partial]').getAttribute('data-partial')).toContain(
      '2019-Q4',
    );
    tab.expectNoErrors();
  });
});
