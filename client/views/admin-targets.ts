import { ApiError, type MeasureInfo, request, type Target } from '../api';
import { element, scrollBox } from '../dom';
import { lang, pick, t } from '../i18n';
import { formatValue, unitName } from '../lib/format';
import type { ViewContext } from '../view';
import type { TabHandle, TabState } from './admin';
import { KIND_NAMES, KINDS } from './records-columns';
import { allianceToday, confirmDialog, formatCount, formErrorBox, messageOf, nextId } from './records-ui';

/**
 * Yearly targets: a grid of measures × (alliance, each university) for one year, typed in
 * place; "Save" sends only the cells that changed, an emptied cell removes its target. Only
 * flows take targets: the server refuses the one stock (projects in incubation), a level and
 * not an output (contract/measure-ids.ts, `TARGETED_MEASURES`).
 */

const FIRST_YEAR = 2019;

interface Cell {
  measure: MeasureInfo;
  university: string | null;
  input: HTMLInputElement;
  td: HTMLTableCellElement;
  error: HTMLElement;
  readable: HTMLElement;
  original: number | null;
}

/** What a cell holds: a target (thousands separators allowed), none (empty), or something that is not a number. */
export function parseTarget(text: string): { ok: true; value: number | null } | { ok: false } {
  const clean = text.replace(/[\s,，_]/g, '');
  if (clean === '') return { ok: true, value: null };
  if (!/^\d{1,16}(\.\d{1,2})?$/.test(clean)) return { ok: false };
  return { ok: true, value: Number(clean) };
}

const yearOf = (params: URLSearchParams): number => {
  const value = Number(params.get('year'));
  return Number.isInteger(value) && value >= 2000 && value <= 2100 ? value : Number(allianceToday().slice(0, 4));
};

export function renderTargetsTab(panel: HTMLElement, first: ViewContext, setState: (state: TabState) => void): TabHandle {
  let ctx = first;
  let year = yearOf(ctx.params);
  let cells: Cell[] = [];
  const measures = ctx.meta.measures.filter((m) => m.targeted);
  const universities = ctx.meta.universities;

  const root = element('section', { class: 'admin-targets' });
  const yearSelect = element('select', { id: 'targets-year', 'data-action': 'year' });
  const status = element('div', { class: 'records-status', 'aria-live': 'polite' });
  const problems = formErrorBox();
  const gridBox = scrollBox(t('admin.targets.title'));
  const results = element('div', { class: 'records-results', 'data-state': 'loading', 'aria-busy': 'true' }, gridBox);
  const save = element('button', { type: 'button', class: 'primary', 'data-action': 'save-targets' }, t('admin.targets.save'));
  const discard = element(
    'button',
    { type: 'button', class: 'secondary', 'data-action': 'discard-targets' },
    t('admin.targets.discard'),
  );
  const pending = element('p', { class: 'muted', 'aria-live': 'polite' });
  const saveBar = element('div', { class: 'save-bar' }, save, discard, pending);

  root.append(
    element(
      'div',
      { class: 'admin-bar' },
      element('h2', {}, t('admin.targets.title')),
      element('div', { class: 'form-field' }, element('label', { for: 'targets-year' }, t('admin.targets.year')), yearSelect),
    ),
    element('p', { class: 'muted' }, t('admin.targets.intro')),
    status,
    problems,
    results,
    saveBar,
  );
  panel.append(root);
  const mark = (state: TabState) => {
    results.dataset.state = state;
    setState(state);
  };

  function fillYears(): void {
    const firstData = Number((ctx.meta.dateRange.from ?? '').slice(0, 4)) || FIRST_YEAR;
    const last = Number(allianceToday().slice(0, 4)) + 3;
    const years = new Set<number>([year]);
    for (let y = Math.min(FIRST_YEAR, firstData); y <= last; y++) years.add(y);
    yearSelect.replaceChildren(
      ...[...years]
        .sort((a, b) => a - b)
        .map((y) => {
          const option = element('option', { value: String(y) }, lang() === 'zh' ? `${y} 年` : String(y));
          option.selected = y === year;
          return option;
        }),
    );
  }

  const changed = (): Cell[] =>
    cells.filter((c) => {
      const parsed = parseTarget(c.input.value);
      return !parsed.ok || parsed.value !== c.original;
    });

  function refreshPending(): void {
    const n = changed().length;
    save.disabled = n === 0;
    discard.disabled = n === 0;
    const count = formatCount(n);
    save.textContent =
      n === 0 ? t('admin.targets.save') : t(n === 1 ? 'admin.targets.saveOne' : 'admin.targets.saveCount', { count });
    pending.textContent =
      n === 0 ? t('admin.targets.noChanges') : t(n === 1 ? 'admin.targets.pendingOne' : 'admin.targets.pending', { count });
  }

  function setCellError(cell: Cell, message: string | null): void {
    const ids = [cell.readable.id, message ? cell.error.id : undefined].filter(Boolean).join(' ');
    cell.input.setAttribute('aria-describedby', ids);
    if (message) cell.input.setAttribute('aria-invalid', 'true');
    else cell.input.removeAttribute('aria-invalid');
    cell.error.textContent = message ?? '';
    cell.error.hidden = !message;
  }

  function showReadable(cell: Cell): void {
    const parsed = parseTarget(cell.input.value);
    // Large amounts are hard to read as typed: they are shown as 万元 / million yuan beneath.
    cell.readable.textContent = !parsed.ok
      ? ''
      : parsed.value === null
        ? t('admin.targets.none')
        : parsed.value >= 10_000
          ? formatValue(parsed.value, cell.measure.unit)
          : '';
    cell.td.classList.toggle('dirty', !parsed.ok || parsed.value !== cell.original);
  }

  function grid(targets: Target[]): HTMLTableElement {
    const value = new Map(targets.map((x) => [`${x.measure}|${x.university ?? ''}`, x.value]));
    cells = [];
    const columns: Array<{ code: string | null; label: string; title: string }> = [
      { code: null, label: t('admin.targets.alliance'), title: t('admin.targets.allianceTitle') },
      ...universities.map((u) => ({ code: u.code, label: u.code, title: lang() === 'zh' ? u.nameZh : u.nameEn })),
    ];
    const body = element('tbody');
    for (const kind of KINDS) {
      const rows = measures.filter((m) => m.group === kind);
      if (rows.length === 0) continue;
      body.append(
        element(
          'tr',
          { class: 'group-row' },
          element('th', { scope: 'colgroup', colspan: String(columns.length + 1) }, pick(KIND_NAMES[kind])),
        ),
      );
      for (const measure of rows) {
        const tr = element(
          'tr',
          { 'data-measure': measure.id },
          element(
            'th',
            { scope: 'row', title: pick(measure.definition) },
            pick(measure.name),
            element('span', { class: 'unit-note' }, unitName(measure.unit)),
          ),
        );
        for (const column of columns) {
          const original = value.get(`${measure.id}|${column.code ?? ''}`) ?? null;
          const id = nextId('target');
          const input = element('input', {
            type: 'text',
            inputmode: 'decimal',
            autocomplete: 'off',
            id,
            value: original === null ? '' : String(original),
            'data-measure': measure.id,
            'data-university': column.code ?? 'alliance',
            'aria-label': t('admin.targets.cellLabel', {
              measure: pick(measure.name),
              university: column.title,
              year: String(year),
            }),
          });
          const readable = element('span', { class: 'target-readable', id: `${id}-readable` });
          const error = element('p', { class: 'field-error', id: `${id}-error`, hidden: '' });
          const td = element('td', {}, input, readable, error);
          const cell: Cell = { measure, university: column.code, input, td, error, readable, original };
          input.setAttribute('aria-describedby', readable.id);
          input.addEventListener('input', () => {
            setCellError(cell, null);
            showReadable(cell);
            refreshPending();
          });
          showReadable(cell);
          cells.push(cell);
          tr.append(td);
        }
        body.append(tr);
      }
    }
    return element(
      'table',
      { class: 'data-table targets-grid', 'data-year': String(year) },
      element('caption', { class: 'visually-hidden' }, t('admin.targets.caption', { year: String(year) })),
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          element('th', { scope: 'col' }, t('admin.targets.measure')),
          ...columns.map((c) => element('th', { scope: 'col', title: c.title, class: 'numeric' }, c.label)),
        ),
      ),
      body,
    );
  }

  async function load(): Promise<void> {
    const { signal } = ctx;
    const shownYear = year;
    mark('loading');
    results.setAttribute('aria-busy', 'true');
    problems.hidden = true;
    try {
      const { targets } = await request<{ targets: Target[] }>('GET', `/targets?year=${shownYear}`, undefined, signal);
      if (signal.aborted || shownYear !== year) return;
      gridBox.replaceChildren(grid(targets));
      mark('ready');
      refreshPending();
    } catch (error) {
      if (signal.aborted) return;
      mark('error');
      status.replaceChildren(
        element('p', { class: 'records-error', role: 'alert' }, t('state.error', { message: messageOf(error) })),
      );
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }

  async function submit(): Promise<void> {
    const changes = changed();
    if (changes.length === 0) return;
    for (const c of cells) setCellError(c, null);
    problems.hidden = true;
    status.replaceChildren();
    const invalid = changes.filter((c) => !parseTarget(c.input.value).ok);
    if (invalid.length > 0) {
      for (const c of invalid) setCellError(c, t('admin.targets.notNumber'));
      invalid[0]!.input.focus();
      return;
    }
    const targets = changes.map((c) => ({
      measure: c.measure.id,
      year,
      university: c.university,
      value: (parseTarget(c.input.value) as { value: number | null }).value,
    }));
    save.disabled = true;
    try {
      const counts = await request<{ set: number; removed: number; unchanged: number }>('PUT', '/targets', { targets });
      await load();
      status.replaceChildren(
        element(
          'p',
          { class: 'records-note', role: 'status', 'data-saved': '' },
          t('admin.targets.saved', {
            set: formatCount(counts.set),
            removed: formatCount(counts.removed),
            unchanged: formatCount(counts.unchanged),
          }),
        ),
      );
    } catch (error) {
      // `body.targets.3.value` names the fourth cell sent.
      const unplaced: string[] = [];
      let first: Cell | undefined;
      for (const problem of error instanceof ApiError ? error.errors : []) {
        const match = /^body\.targets\.(\d+)(?:\.|$)/.exec(problem.path ?? '');
        const cell = match ? changes[Number(match[1])] : undefined;
        if (cell) {
          setCellError(cell, problem.message);
          first ??= cell;
        } else unplaced.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
      }
      problems.replaceChildren(
        element('p', {}, first ? t('records.form.fixFields', { message: messageOf(error) }) : messageOf(error)),
        ...unplaced.map((line) => element('p', {}, line)),
      );
      problems.hidden = false;
      (first?.input ?? problems).focus();
      refreshPending();
    }
  }

  save.addEventListener('click', () => void submit());
  discard.addEventListener('click', () => {
    for (const c of cells) {
      c.input.value = c.original === null ? '' : String(c.original);
      setCellError(c, null);
      showReadable(c);
    }
    problems.hidden = true;
    refreshPending();
  });
  yearSelect.addEventListener('change', async () => {
    const next = Number(yearSelect.value);
    if (changed().length > 0) {
      const discardChanges = await confirmDialog(root, {
        title: t('admin.targets.leaveTitle'),
        message: t('admin.targets.leaveMessage', { count: formatCount(changed().length), year: String(year) }),
        confirm: t('admin.targets.leaveConfirm'),
      });
      if (!discardChanges) {
        yearSelect.value = String(year);
        return;
      }
    }
    ctx.navigate('admin', { tab: 'targets', year: String(next) });
  });

  fillYears();
  refreshPending();
  void load();
  return {
    update(next) {
      ctx = next;
      const nextYear = yearOf(ctx.params);
      // The app aborts a view's requests when its URL changes: a grid still loading is asked for again.
      if (nextYear === year) {
        if (results.dataset.state === 'loading') void load();
        return;
      }
      year = nextYear;
      fillYears();
      status.replaceChildren();
      void load();
    },
  };
}
