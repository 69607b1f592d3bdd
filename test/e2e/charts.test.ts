import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MEASURE_IDS } from '../../contract/measure-ids.js';
import { readWorkbook } from '../helpers/xlsx.js';
import {
  api,
  canvasHasPixels,
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

/** The raw numbers of a figure's table body, row by row (`data-value` of each cell, the label first). */
const tableValues = (page: Page, figure: string): Promise<string[][]> =>
  page.$$eval(`[data-figure="${figure}"] table tbody tr`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).dataset.value ?? '')),
  );

const hashParams = (page: Page): URLSearchParams => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

describeBrowser('the chart views: figures equal the API, filters live in the URL, both languages', () => {
  let dashboard: Dashboard;
  let leadership: DashboardApi;
  const getJson = (path: string): Promise<any> => leadership.json(path);
  beforeAll(async () => {
    dashboard = await startDashboard();
    leadership = await api(dashboard, 'leadership');
  });
  afterAll(() => dashboard?.close());

  test('the overview draws every card and the trend, and its numbers are /summary’s', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en', path: '/#/overview' });
    const { page } = tab;
    await waitForView(page, 'overview');
    expect(await canvasHasPixels(page, '[data-figure="headline"] canvas')).toBe(true);
    const summary = await getJson('/summary');
    // Each card's sparkline is the measure's last 24 months, as /aggregate counts them; the highest month touches the top.
    const to = summary.period.to as string;
    const sparkFrom = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 24, 1)).toISOString().slice(0, 10);
    const monthly = await getJson(`/aggregate?measures=tech_transfer.contracts&by=month&fill=true&from=${sparkFrom}&to=${to}`);
    const months = monthly.rows.map((r: Record<string, number>) => Number(r['tech_transfer.contracts'] ?? 0));
    expect(months).toHaveLength(24);
    const spark = page.locator('.kpi-line[data-measure="tech_transfer.contracts"] svg.sparkline');
    expect((await spark.getAttribute('data-points'))!.split(',').map(Number)).toEqual(months);
    const points = (await spark.locator('polyline').getAttribute('points'))!.split(' ').map((p) => p.split(',').map(Number));
    expect(points).toHaveLength(24);
    expect(points[months.indexOf(Math.max(...months))]![1]).toBeCloseTo(1, 6);
    expect(await spark.locator('polyline').evaluate((n) => n.getBoundingClientRect().width)).toBeGreaterThan(50);
    for (const m of summary.measures) {
      expect(await page.locator(`.kpi-line[data-measure="${m.measure}"] .kpi-value`).getAttribute('data-value')).toBe(
        String(m.value),
      );
    }
    // A card's ⓘ opens its definition from the keyboard (and from a tap: it is a disclosure, not a hover
    // tooltip); a cohort figure's says it keeps growing.
    const meta = await getJson('/meta');
    const cohortMeasure = meta.measures.find((m: { id: string }) => m.id === 'tech_transfer.received_to_date');
    const info = page.locator('.kpi-line[data-measure="tech_transfer.received_to_date"] details.info');
    await info.locator('summary').focus();
    await page.keyboard.press('Enter');
    await poll(() => info.getAttribute('open')).toBe('');
    const text = (await info.locator('.info-text').textContent())!;
    expect(text).toContain(cohortMeasure.definition.en);
    expect(text).toMatch(/keeps growing|grows/i);
    await page.keyboard.press('Enter');
    await poll(() => info.getAttribute('open')).toBeNull();
    const rows = await tableValues(page, 'summary');
    expect(rows.map((r) => r[0])).toEqual(summary.measures.map((m: { measure: string }) => m.measure));
    expect(rows.map((r) => Number(r[1]))).toEqual(summary.measures.map((m: { value: number }) => m.value));
    // The page names the comparison's basis once; each card states its change on a year before, with
    // the previous period in its details, and its progress towards the year's target.
    expect(await page.locator('.period-line').textContent()).toContain(
      `same days a year before (${summary.yearAgoPeriod.from} – ${summary.yearAgoPeriod.to})`,
    );
    const contracts = page.locator('.kpi-line[data-measure="tech_transfer.contracts"]');
    expect(await contracts.locator('.kpi-changes').textContent()).toMatch(/ on a year before$/);
    expect(await contracts.locator('.kpi-more').textContent()).toContain(summary.previousPeriod.from);
    expect(Number(await contracts.locator('.progress').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    // Pace: where each flow with a target should be by the period's last day, against an independent count of the days.
    const year = Number(summary.period.to.slice(0, 4));
    const daysOfYear = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
    const daysGone = (Date.parse(`${summary.period.to}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
    const expected = daysGone / daysOfYear;
    let paced = 0;
    for (const m of summary.measures) {
      const line = page.locator(`.kpi-line[data-measure="${m.measure}"]`);
      const marker = line.locator('.progress-expected');
      const measure = (await getJson('/meta')).measures.find((x: { id: string }) => x.id === m.measure);
      if (m.progress === null || measure.temporality !== 'flow' || m.unit === 'ratio') {
        expect(await marker.count(), m.measure).toBe(0);
        continue;
      }
      paced++;
      expect(Number(await marker.getAttribute('data-expected')), m.measure).toBeCloseTo(expected, 12);
      expect(await marker.evaluate((n) => (n as HTMLElement).style.left), m.measure).toBe(`${Math.round(expected * 1000) / 10}%`);
      const status = m.progress > expected + 0.05 ? 'ahead' : m.progress < expected - 0.05 ? 'behind' : 'on_pace';
      expect(await line.locator('.kpi-target').getAttribute('data-status'), m.measure).toBe(status);
      expect(await line.locator('.pace').textContent(), m.measure).toBe(
        { ahead: 'Ahead of pace', on_pace: 'On pace', behind: 'Behind pace' }[status],
      );
    }
    expect(paced).toBeGreaterThan(0);
    // A cohort figure (cash received to date on the contracts signed) keeps growing after its period:
    // its change carries no trend arrow and says why.
    const cohort = page.locator('.kpi-line[data-measure="tech_transfer.received_to_date"]');
    expect(await cohort.locator('.kpi-changes .kpi-change').getAttribute('data-trend')).toBe('cohort');
    expect(await cohort.locator('.kpi-changes .kpi-change').getAttribute('title')).toContain('not like for like');
    expect(await cohort.locator('.kpi-more').textContent()).toContain('not like for like');
    expect(await contracts.locator('.kpi-change').first().getAttribute('data-trend')).not.toBe('cohort');
    // "Download CSV" of the table is the API's CSV of the same figures.
    const href = await page.locator('[data-figure="summary"] [data-action="download-csv"]').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/summary\?/);
    const downloaded = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url)).arrayBuffer())], href!);
    const bytes = Buffer.from(downloaded);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(`\uFEFF${await leadership.text(href!.replace(/^\/api\/v1/, ''))}`);
    // "Download XLSX" beside it: the same figures as a workbook for reading (formatted: names, not
    // codes; the cells still numbers), the header of the formatted CSV of the same request.
    const xlsxHref = await page.locator('[data-figure="summary"] [data-action="download-xlsx"]').getAttribute('href');
    expect(xlsxHref).toBe(`${href!.replace('format=csv', 'format=xlsx')}&formatted=true`);
    const workbook = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url)).arrayBuffer())], xlsxHref!);
    const book = readWorkbook(Uint8Array.from(workbook));
    const formatted = await leadership.text(`${href!.replace(/^\/api\/v1/, '')}&formatted=true`);
    const header = formatted
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0]!
      .split(',');
    const grid = book.grid(book.book.SheetNames[0]!);
    expect(grid[0]!.map((cell) => cell?.v)).toEqual(header);
    const contractsRow = grid.find((row) => row[0]?.v === 'Technology contracts signed');
    expect(contractsRow, JSON.stringify(grid.map((row) => row[0]?.v))).toBeDefined();
    expect(contractsRow!.some((cell) => cell?.t === 'n')).toBe(true);
    await screenshot(page, 'overview-en');
    tab.expectNoErrors();
  });

  test('a filter changes the URL and the figures; back returns; reloading the link restores the view', async () => {
    const tab = await openPage(dashboard, 'leadership', {
      lang: 'en',
      path: '/#/universities?grain=year&from=2021-01-01&to=2023-12-31',
    });
    const { page } = tab;
    await waitForView(page, 'universities');
    expect(await canvasHasPixels(page, '[data-figure="by-university"] canvas')).toBe(true);
    const before = await tableValues(page, 'by-university');
    const answer = await getJson(
      '/aggregate?measures=tech_transfer.contract_value&by=university,year&from=2021-01-01&to=2023-12-31',
    );
    // Each university's cell for each year, as the API gives it.
    for (const row of answer.rows) {
      const line = before.find((r) => r[0] === row.university)!;
      const years = ['2021', '2022', '2023'];
      expect(Number(line[1 + years.indexOf(String(row.year))])).toBe(row['tech_transfer.contract_value']);
    }
    await waitForView(page, 'universities', { after: () => page.selectOption('#universities-measure', 'credits.credits') });
    expect(hashParams(page).get('measure')).toBe('credits.credits');
    const after = await tableValues(page, 'by-university');
    expect(after).not.toEqual(before);
    const credits = await getJson('/aggregate?measures=credits.credits&by=university&from=2021-01-01&to=2023-12-31');
    for (const row of credits.rows)
      expect(Number(after.find((r) => r[0] === row.university)!.at(-1))).toBeCloseTo(row['credits.credits'], 6);
    await waitForView(page, 'universities', { after: () => page.locator('input[name="university"][value="USST"]').check() });
    expect(hashParams(page).get('university')).toBe('USST');
    await waitForView(page, 'universities', { after: () => page.goBack() });
    expect(hashParams(page).get('university')).toBeNull();
    expect(hashParams(page).get('measure')).toBe('credits.credits');
    const link = page.url();
    await page.reload();
    await waitForView(page, 'universities');
    expect(page.url()).toBe(link);
    expect(await page.locator('#universities-measure').inputValue()).toBe('credits.credits');
    expect(await tableValues(page, 'by-university')).toEqual(after);
    tab.expectNoErrors();
  });

  test('from the keyboard alone, typing a date and toggling a university keep focus where it was, and the charts follow', async () => {
    const tab = await openPage(dashboard, 'leadership', {
      lang: 'en',
      path: '/#/universities?grain=year&from=2021-01-01&to=2023-12-31',
    });
    const { page } = tab;
    await waitForView(page, 'universities');
    const before = await tableValues(page, 'by-university');
    /** The focused control, and whether it is the very node remembered by `remember` (not a rebuilt copy). */
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLInputElement | null;
        const remembered = (window as unknown as { remembered?: Element }).remembered;
        return {
          id: active?.id,
          name: active?.name,
          value: active?.value,
          checked: active?.checked,
          same: active === remembered,
        };
      });
    const remember = () =>
      page.evaluate(() => void ((window as unknown as { remembered?: Element }).remembered = document.activeElement!));
    /** Tabs forward until `selector` has the focus (a date input's day and year are Tab stops of their own). */
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 60 && !(await page.evaluate((s) => document.activeElement?.matches(s), selector)); i++)
        await page.keyboard.press('Tab');
      expect(await page.evaluate((s) => document.activeElement?.matches(s), selector)).toBe(true);
    };
    /** Waits until the URL says `name=value` and the view has drawn it. */
    const settled = async (name: string, value: string) => {
      await poll(() => hashParams(page).get(name)).toBe(value);
      await waitForView(page, 'universities');
    };

    await tabTo('#universities-from');
    await remember();
    // Month, day and year: each finished part is a new day, so the URL changes while typing.
    await page.keyboard.type('03052022');
    await settled('from', '2022-03-05');
    expect(await focused()).toMatchObject({ id: 'universities-from', name: 'from', value: '2022-03-05', same: true });
    const typed = await tableValues(page, 'by-university');
    expect(typed).not.toEqual(before);
    const answer = await getJson(
      '/aggregate?measures=tech_transfer.contract_value&by=university,year&from=2022-03-05&to=2023-12-31',
    );
    for (const row of answer.rows) {
      const line = typed.find((r) => r[0] === row.university)!;
      expect(Number(line[1 + ['2022', '2023'].indexOf(String(row.year))])).toBe(row['tech_transfer.contract_value']);
    }
    expect(await page.locator('[data-figure="by-university"] .figure-title').textContent()).toContain('2022-03-05');

    await tabTo('input[name="university"][value="USST"]');
    await remember();
    await page.keyboard.press('Space');
    await settled('university', 'USST');
    expect(await focused()).toMatchObject({ name: 'university', value: 'USST', checked: true, same: true });
    expect((await tableValues(page, 'by-university')).map((r) => r[0])).toEqual(['USST']);
    await screenshot(page, 'filters-keyboard-focus-en');
    tab.expectNoErrors();
  });

  test('regions, trends and collaboration draw and agree with the API', async () => {
    const tab = await openPage(dashboard, 'admin', { lang: 'en' });
    const { page } = tab;
    await gotoView(page, 'regions', { from: '2020-01-01', to: '2025-12-31', measure: 'tech_transfer.contracts' });
    expect(await canvasHasPixels(page, '[data-figure="by-partner-region"] canvas')).toBe(true);
    const partner = await getJson('/aggregate?measures=tech_transfer.contracts&by=partner_region&from=2020-01-01&to=2025-12-31');
    const shown = await tableValues(page, 'by-partner-region');
    for (const row of partner.rows)
      expect(Number(shown.find((r) => r[0] === row.partner_region)![1])).toBe(row['tech_transfer.contracts']);
    await screenshot(page, 'regions-en');

    await gotoView(page, 'trends', {
      grain: 'year',
      measure: 'talent.trainees',
      from: '2020-01-01',
      to: '2025-12-31',
      series: 'universities',
      layout: 'together',
    });
    expect(await canvasHasPixels(page, '[data-figure="trend"] canvas')).toBe(true);
    const trend = await getJson('/aggregate?measures=talent.trainees&by=university,year&from=2020-01-01&to=2025-12-31&fill=true');
    const trendTable = await tableValues(page, 'trend');
    const header = await page.$$eval('[data-figure="trend"] table thead th', (cells) => cells.map((c) => c.textContent));
    const usstColumn = header.indexOf('USST');
    for (const row of trend.rows.filter((r: { university: string }) => r.university === 'USST')) {
      expect(Number(trendTable.find((r) => r[0] === String(row.year))![usstColumn])).toBe(row['talent.trainees']);
    }
    // Each line's target is listed in the table (and drawn, dashed, on its university's own chart).
    expect(header).toContain('Target · USST');
    await screenshot(page, 'trends-en');

    await gotoView(page, 'collaboration', { measure: 'credits.credits', from: '2019-10-25', to: '2026-06-30' });
    expect(await canvasHasPixels(page, '[data-figure="collaboration"] canvas')).toBe(true);
    const matrix = await getJson('/collaboration?measure=credits.credits&from=2019-10-25&to=2026-06-30');
    const cells = await tableValues(page, 'collaboration');
    matrix.universities.forEach((u: string, i: number) => {
      expect(cells[i]![0]).toBe(u);
      expect(cells[i]!.slice(1, 1 + matrix.partners.length).map(Number)).toEqual(matrix.matrix[i]);
      expect(Number(cells[i]!.at(-1))).toBeCloseTo(matrix.totals[i], 6);
    });
    await screenshot(page, 'collaboration-en');
    tab.expectNoErrors();
  });

  test('clicking a figure opens the records behind it, exactly as many as the figure counts', async () => {
    const tab = await openPage(dashboard, 'leadership', {
      lang: 'en',
      path: '/#/universities?grain=year&from=2024-01-01&to=2024-12-31&measure=incubation.graduated',
    });
    const { page } = tab;
    await waitForView(page, 'universities');
    const aggregate = await getJson(
      '/aggregate?measures=incubation.graduated&by=university,year&from=2024-01-01&to=2024-12-31&withRecords=true',
    );
    const usst = aggregate.rows.find((r: { university: string }) => r.university === 'USST');
    await waitForView(page, 'records', {
      after: () =>
        page.locator('[data-figure="by-university"] tbody tr', { hasText: 'USST' }).locator('button.cell-link').first().click(),
    });
    const params = hashParams(page);
    expect(Object.fromEntries(params)).toMatchObject({
      kind: 'incubation',
      measure: 'incubation.graduated',
      university: 'USST',
      from: '2024-01-01',
      to: '2024-12-31',
    });
    const listed = await getJson(`/records/incubation?${params.toString().replace(/(^|&)kind=[^&]*/, '')}&pageSize=1`);
    expect(listed.total).toBe(usst['incubation.graduated:records']);
    // The page says so too, and names the measure whose records these are.
    expect(await page.locator('.records-total').getAttribute('data-total')).toBe(String(usst['incubation.graduated:records']));
    expect(await page.locator('[data-chip="measure"]').textContent()).toContain('Projects graduated');
    // The keyboard is on the records' heading, not lost to the page: Tab goes on into the records.
    expect(await page.evaluate(() => document.activeElement?.matches('#view h1') ?? false)).toBe(true);
    // Back returns to the figure, the keyboard to its view's heading.
    await waitForView(page, 'universities', { after: () => page.goBack() });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Universities');
    tab.expectNoErrors();
  });

  test('the commission, who may not see records, gets the figure’s record count and definition instead', async () => {
    const tab = await openPage(dashboard, 'commission', {
      lang: 'zh',
      path: '/#/regions?from=2024-01-01&to=2024-12-31&measure=tech_transfer.contract_value',
    });
    const { page } = tab;
    await waitForView(page, 'regions');
    const aggregate = await getJson(
      '/aggregate?measures=tech_transfer.contract_value&by=region&from=2024-01-01&to=2024-12-31&withRecords=true',
    );
    const sh = aggregate.rows.find((r: { region: string }) => r.region === 'SH');
    await page.locator('[data-figure="by-region"] tbody tr', { hasText: '上海市' }).locator('button.cell-link').click();
    const dialog = page.locator('dialog.drill-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('[data-records]').getAttribute('data-records')).toBe(
      String(sh['tech_transfer.contract_value:records']),
    );
    expect(await dialog.textContent()).toContain('合同总金额');
    expect(page.url()).toContain('#/regions');
    await screenshot(page, 'drill-commission-zh');
    tab.expectNoErrors();
  });

  test('a steward, who sees its own records only, gets another university’s figure as a count, and its own as records', async () => {
    const tab = await openPage(dashboard, 'steward.usst', {
      lang: 'en',
      path: '/#/universities?grain=year&from=2024-01-01&to=2024-12-31&measure=tech_transfer.contracts',
    });
    const { page } = tab;
    await waitForView(page, 'universities');
    const aggregate = await getJson(
      '/aggregate?measures=tech_transfer.contracts&by=university&from=2024-01-01&to=2024-12-31&withRecords=true',
    );
    const ujs = aggregate.rows.find((r: { university: string }) => r.university === 'UJS');
    await page.locator('[data-figure="by-university"] tbody tr', { hasText: 'UJS' }).locator('button.cell-link').first().click();
    const dialog = page.locator('dialog.drill-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('[data-records]').getAttribute('data-records')).toBe(
      String(ujs['tech_transfer.contracts:records']),
    );
    expect(await dialog.locator('[data-action="own-records"]').count()).toBe(0);
    await dialog.locator('[data-action="close"]').click();
    const usst = aggregate.rows.find((r: { university: string }) => r.university === 'USST');
    await waitForView(page, 'records', {
      after: () =>
        page.locator('[data-figure="by-university"] tbody tr', { hasText: 'USST' }).locator('button.cell-link').first().click(),
    });
    expect(await page.locator('.records-total').getAttribute('data-total')).toBe(String(usst['tech_transfer.contracts:records']));
    tab.expectNoErrors();
  });

  test('every view starts on the same period; a period, scope and measure chosen in one go with the person to the others, the period to the report and Records and back', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en', path: '/#/trends' });
    const { page } = tab;
    await waitForView(page, 'trends');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const shown = (view: string) =>
      page.evaluate((v) => {
        const value = (name: string) => (document.getElementById(`${v}-${name}`) as HTMLInputElement | null)?.value;
        const checked = [...document.querySelectorAll<HTMLInputElement>('.filters input[name=university]:checked')].map(
          (b) => b.value,
        );
        return { from: value('from'), to: value('to'), universities: checked };
      }, view);
    // The one default: this year to date, whatever the view.
    for (const view of ['trends', 'universities', 'regions', 'collaboration', 'overview']) {
      await gotoView(page, view);
      expect(await shown(view), view).toEqual({ from: `${today.slice(0, 4)}-01-01`, to: today, universities: [] });
    }
    // Chosen in the overview, taken along from the header to each other view that reads them.
    await gotoView(page, 'overview', { from: '2023-01-01', to: '2023-12-31', university: 'USST,NJTECH' });
    for (const view of ['universities', 'regions', 'trends', 'collaboration', 'overview']) {
      await waitForView(page, view, { after: () => page.locator(`.app-nav a[data-view="${view}"]`).click() });
      expect(Object.fromEntries(hashParams(page)), view).toMatchObject({
        from: '2023-01-01',
        to: '2023-12-31',
        university: 'USST,NJTECH',
      });
      expect(await shown(view), view).toEqual({ from: '2023-01-01', to: '2023-12-31', universities: ['USST', 'NJTECH'] });
    }

    // From the keyboard: a view from the header, its heading focused.
    const byKeyboard = async (view: string) => {
      await page.locator(`.app-nav a[data-view="${view}"]`).focus();
      await waitForView(page, view, { after: () => page.keyboard.press('Enter') });
    };
    // A measure chosen in one view, from the keyboard: the collaboration's list, past its default.
    await byKeyboard('collaboration');
    await page.locator('#collaboration-measure').focus();
    await waitForView(page, 'collaboration', { after: () => page.keyboard.press('ArrowDown') });
    const measure = hashParams(page).get('measure')!;
    expect(measure).toBe('credits.students');
    for (const view of ['universities', 'regions', 'trends', 'overview', 'collaboration']) {
      await byKeyboard(view);
      expect(await page.locator(`#${view}-measure`).inputValue(), view).toBe(measure);
      expect(await shown(view), view).toEqual({ from: '2023-01-01', to: '2023-12-31', universities: ['USST', 'NJTECH'] });
    }
    const heading = () => page.locator('.report-cover h1').textContent();
    // The report opens on the report period that holds the days chosen: a year is its report, a quarter its own.
    await byKeyboard('report');
    expect(Object.fromEntries(hashParams(page))).toMatchObject({ period: '2023' });
    expect(await page.locator('#report-year').inputValue()).toBe('2023');
    expect(await page.locator('#report-part').inputValue()).toBe('year');
    expect(await heading()).toMatch(/^2023 /);
    // Another period chosen there, from the keyboard, goes back with the person: the first half's days.
    await page.locator('#report-part').focus();
    await waitForView(page, 'report', { after: () => page.keyboard.press('ArrowDown') });
    expect(await heading()).toMatch(/^H1 2023 /);
    await byKeyboard('universities');
    expect(await shown('universities')).toEqual({ from: '2023-01-01', to: '2023-06-30', universities: [] });
    // Records filters its dates to the period, and counts what the API counts for it.
    await byKeyboard('records');
    expect(Object.fromEntries(hashParams(page))).toEqual({ from: '2023-01-01', to: '2023-06-30' });
    expect(await page.locator('#records-from').inputValue()).toBe('2023-01-01');
    expect(await page.locator('#records-to').inputValue()).toBe('2023-06-30');
    const counted = await getJson('/records/tech_transfer?from=2023-01-01&to=2023-06-30&pageSize=1');
    const all = await getJson('/records/tech_transfer?pageSize=1');
    expect(Number(await page.locator('.records-total').getAttribute('data-total'))).toBe(counted.total);
    expect(counted.total).toBeLessThan(all.total);
    // From Records to the report: the half its dates are.
    await byKeyboard('report');
    expect(hashParams(page).get('period')).toBe('2023-H1');
    expect(await heading()).toMatch(/^H1 2023 /);
    // Back returns each view as it was left, the measure included.
    await waitForView(page, 'records', { after: () => page.goBack() });
    await waitForView(page, 'universities', { after: () => page.goBack() });
    await waitForView(page, 'report', { after: () => page.goBack() });
    await waitForView(page, 'report', { after: () => page.goBack() });
    await waitForView(page, 'collaboration', { after: () => page.goBack() });
    expect(await page.locator('#collaboration-measure').inputValue()).toBe(measure);
    // A quarter chosen is its quarter's report.
    await gotoView(page, 'trends', { from: '2024-07-01', to: '2024-09-30', measure });
    expect(await page.locator('.app-nav a[data-view="report"]').getAttribute('href')).toBe('#/report?period=2024-Q3');
    // Records: the quarter's days, and the kind of record the measure counts (credits.students: credit records).
    expect(await page.locator('.app-nav a[data-view="records"]').getAttribute('href')).toBe(
      '#/records?from=2024-07-01&to=2024-09-30&kind=credit',
    );
    await byKeyboard('records');
    expect(await page.locator('#records-panel').getAttribute('aria-labelledby')).toBe('records-tab-credit');
    tab.expectNoErrors();
  });

  test('dates that are not days (2024-02-30, month 13, the year 1900) fall back to the defaults instead of failing', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'zh', path: '/#/universities?from=2024-02-30&to=2024-13-01' });
    const { page } = tab;
    await waitForView(page, 'universities');
    expect(await canvasHasPixels(page, '[data-figure="by-university"] canvas')).toBe(true);
    await gotoView(page, 'overview', { from: '1900-01-01', to: '1900-12-31' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    tab.expectNoErrors();
  });

  test('a report period no report has (2024-Q5) is replaced in the URL by the one shown', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en', path: '/#/report?period=2024-Q5&lang=fr' });
    const { page } = tab;
    await waitForView(page, 'report');
    const lastYear = String(
      Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4)) - 1,
    );
    expect(hashParams(page).get('period')).toBe(lastYear);
    expect(hashParams(page).get('lang')).toBe('en');
    tab.expectNoErrors();
  });

  test('the language switch changes labels and units, and every view is drawn in both languages', async () => {
    const tab = await openPage(dashboard, 'admin', { lang: 'en', path: '/#/overview' });
    const { page } = tab;
    await waitForView(page, 'overview');
    const value = page.locator('.kpi-line[data-measure="tech_transfer.contract_value"] .kpi-value');
    expect(await value.textContent()).toMatch(/^¥[\d.,]+ (m|bn)$/);
    expect(await page.locator('.kpi-card[data-group="tech_transfer"] h2').textContent()).toBe('Technology transfer');
    await waitForView(page, 'overview', { after: () => page.locator('[data-lang="zh"]').click() });
    expect(await value.textContent()).toMatch(/^[\d.,]+ (万元|亿元)$/);
    expect(await page.locator('.kpi-card[data-group="tech_transfer"] h2').textContent()).toBe('技术转移');
    expect(await page.locator('.app-nav a[data-view="overview"]').textContent()).toBe('总览');
    // Remembered for the user: the account's language is now Chinese.
    const me = (await (await api(dashboard, 'admin')).json('/auth/me')) as { lang: string };
    expect(me.lang).toBe('zh');
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') await waitForView(page, 'members', { after: () => page.locator('[data-lang="en"]').click() });
      for (const view of ['overview', 'universities', 'regions', 'trends', 'collaboration']) {
        await gotoView(page, view, { from: '2019-10-25' });
        expect(await canvasHasPixels(page, '#view canvas')).toBe(true);
        await screenshot(page, `${view}-${lang}`);
      }
      // The member list has no chart: its table, in the language chosen.
      await gotoView(page, 'members');
      expect(await page.locator('#view table tbody tr').count()).toBe(5);
      expect(await page.locator('#view h1').textContent()).toBe(lang === 'zh' ? '成员高校' : 'Member universities');
      await screenshot(page, `members-${lang}`);
    }
    tab.expectNoErrors();
  });

  test('at tablet width the views still fit: no horizontal scroll of the page', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'zh', width: 820, height: 1100, path: '/#/overview' });
    const { page } = tab;
    for (const view of ['overview', 'universities', 'trends', 'collaboration']) {
      await gotoView(page, view);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(1);
    }
    await screenshot(page, 'overview-tablet-zh');
    tab.expectNoErrors();
  });

  test('every measure can be chosen on every chart view without an error', async () => {
    const tab = await openPage(dashboard, 'leadership', { lang: 'en' });
    const { page } = tab;
    for (const measure of MEASURE_IDS) {
      for (const view of ['universities', 'regions', 'trends']) {
        await gotoView(page, view, { measure, from: '2023-01-01', to: '2024-06-30', grain: 'quarter' });
      }
    }
    tab.expectNoErrors();
  });
});
