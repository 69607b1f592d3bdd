import { amountInYuan } from '../../contract/amounts';
import { html, nothing, render } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { MEASURE_GROUPS } from '../../contract/measure-ids';
import { type MeasureInfo, call, endpoints } from '../api';
import { type TargetWarning, targetWarnings } from '../../contract/target-warnings';
import { lang, pick, t } from '../i18n';
import { AGREEMENT_YEAR, thisYear } from '../lib/dates';
import { universityLabel, universityName } from '../lib/filters';
import { formatValue, unitName } from '../lib/format';
import type { MountTab } from './admin';
import { confirmDialog, problemLines } from '../lib/form-dialog';
import { formatCount } from '../lib/paged-table';

/**
 * Yearly targets: a grid of measures × (alliance, each university) for one year, typed in
 * place; "Save" sends only the cells that changed, an emptied cell removes its target. Only
 * flows take targets: the server refuses the one stock (projects in incubation), a level and
 * not an output (contract/measure-ids.ts, `TARGETED_MEASURES`). When the members' targets for a
 * measure add up to more than the alliance's, a warning says so beside the alliance's cell while
 * they are typed: worked out from the cells by the contract's `targetWarnings`, which the server
 * runs on the stored rows for its answers. A cell that is not a number says so when it is left.
 */

/**
 * What a cell holds: a target as people write it (12,000,000, 9000万, 1.2亿: contract/amounts.ts),
 * none (null: empty), or undefined when it is not a number of at most two decimals.
 */
export function parseTarget(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  const plain = amountInYuan(text);
  return plain !== undefined && /^\d{1,16}(\.\d{1,2})?$/.test(plain) ? Number(plain) : undefined;
}

const yearOf = (params: URLSearchParams): number => {
  const value = Number(params.get('year'));
  return Number.isInteger(value) && value >= 2000 && value <= 2100 ? value : thisYear();
};

/** A cell of the grid: a measure and a university (null: the alliance). */
type Cell = { key: string; measure: MeasureInfo; university: string | null };
const keyOf = (measure: string, university: string | null) => `${measure}|${university ?? ''}`;

export const mountTargetsTab: MountTab = (host, first, status) => {
  let ctx = first;
  let year = yearOf(ctx.params);
  const measures = ctx.meta.measures.filter((m) => m.targeted);
  const columns = [
    { code: null, label: t('admin.targets.alliance'), title: t('admin.targets.allianceTitle') },
    ...ctx.meta.universities.map((u) => ({
      code: u.code,
      label: universityLabel(ctx.meta, u.code),
      title: universityName(ctx.meta, u.code),
    })),
  ];
  const cells: Cell[] = measures.flatMap((measure) =>
    columns.map(({ code }) => ({ key: keyOf(measure.id, code), measure, university: code })),
  );
  /** The saved targets and the cells as typed, by cell key. */
  let original = new Map<string, number>();
  let typed = new Map<string, string>();
  let errors = new Map<string, string>();
  let problems: string[] = [];
  let saved = '';
  let loaded = false;
  let busy = false;

  const text = (key: string) => typed.get(key) ?? '';
  const parsed = (key: string) => parseTarget(text(key));
  // A cell that is not a number differs from every saved target.
  const isChanged = (key: string) => parsed(key) !== (original.get(key) ?? null);
  const changed = () => cells.filter((c) => isChanged(c.key));
  const numberAt = (key: string): number | null => parsed(key) ?? null;
  /** The warnings of the cells as typed (one that is not a number counts as empty), by measure. */
  const warnings = () =>
    new Map(
      targetWarnings(
        cells.flatMap((c) => {
          const value = numberAt(c.key);
          return value === null ? [] : [{ measure: c.measure.id, year, university: c.university, value }];
        }),
      ).map((w) => [w.measure, w]),
    );

  const years = () => {
    const firstData = Number((ctx.meta.dateRange.from ?? '').slice(0, 4)) || AGREEMENT_YEAR;
    const all = new Set<number>([year]);
    for (let y = Math.min(AGREEMENT_YEAR, firstData); y <= thisYear() + 3; y++) all.add(y);
    return [...all].sort((a, b) => a - b);
  };

  const input = (cell: Cell, column: { title: string }, over: Map<string, TargetWarning>) => {
    const id = `target-${cell.key.replace(/[^\w-]/g, '-')}`;
    const error = errors.get(cell.key);
    const warning = cell.university === null ? over.get(cell.measure.id) : undefined;
    // Large amounts are hard to read as typed: they are shown as 万元 / million yuan beneath; an empty cell says so.
    const value = parsed(cell.key);
    const readable =
      value === null
        ? t('admin.targets.none')
        : value !== undefined && value >= 10_000
          ? formatValue(value, cell.measure.unit)
          : '';
    return html`<td class=${isChanged(cell.key) ? 'dirty' : ''}>
      <input type="text" inputmode="decimal" autocomplete="off" id=${id} .value=${live(text(cell.key))}
        data-measure=${cell.measure.id} data-university=${cell.university ?? 'alliance'}
        aria-label=${t('admin.targets.cellLabel', { measure: pick(cell.measure.name), university: column.title, year: String(year) })}
        aria-describedby=${[`${id}-readable`, error ? `${id}-error` : '', warning ? `${id}-over` : ''].filter(Boolean).join(' ')}
        aria-invalid=${error ? 'true' : nothing}
        @input=${(e: Event) => {
          typed.set(cell.key, (e.target as HTMLInputElement).value);
          errors.delete(cell.key);
          draw();
        }}
        @change=${() => {
          // Left holding what is not a number: said beside the cell now, not only on saving.
          if (parsed(cell.key) === undefined) errors.set(cell.key, t('admin.targets.notNumber'));
          draw();
        }} />
      <span class="target-readable" id="${id}-readable">${readable}</span>
      <p class="field-error" id="${id}-error" ?hidden=${!error}>${error ?? ''}</p>
      ${
        warning === undefined
          ? nothing
          : html`<p class="target-warning field-hint import-warning" id="${id}-over" role="note"
              data-over-alliance=${warning.sum} data-alliance=${warning.alliance}>${t('admin.targets.overAlliance', {
                sum: formatValue(warning.sum, cell.measure.unit, { exact: true }),
                alliance: formatValue(warning.alliance, cell.measure.unit, { exact: true }),
              })}</p>`
      }
    </td>`;
  };

  const grid = (over = warnings()) => html`<table class="data-table targets-grid" data-year=${year}>
    <caption class="visually-hidden">${t('admin.targets.caption', { year: String(year) })}</caption>
    <thead>
      <tr>
        <th scope="col">${t('table.measure')}</th>
        ${columns.map((c) => html`<th scope="col" title=${c.title} class="numeric">${c.label}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${MEASURE_GROUPS.map((group) => {
        const rows = measures.filter((m) => m.group === group);
        return rows.length === 0
          ? nothing
          : html`<tr class="group-row"><th scope="colgroup" colspan=${columns.length + 1}>${t(`kind.${group}`)}</th></tr>
              ${rows.map(
                (measure) => html`<tr data-measure=${measure.id}>
                  <th scope="row" title=${pick(measure.definition)}>
                    ${pick(measure.name)}<span class="unit-note">${unitName(measure.unit)}</span>
                  </th>
                  ${columns.map((column) => input(cells.find((c) => c.key === keyOf(measure.id, column.code))!, column, over))}
                </tr>`,
              )}`;
      })}
    </tbody>
  </table>`;

  const draw = () => {
    const n = changed().length;
    const count = { count: formatCount(n) };
    const save = n === 0 ? t('records.form.save') : n === 1 ? t('admin.targets.saveOne') : t('admin.targets.saveCount', count);
    const pending = n === 0 ? 'noChanges' : n === 1 ? 'pendingOne' : 'pending';
    render(
      html`<section class="admin-targets">
        <div class="admin-bar">
          <h2>${t('admin.targets.title')}</h2>
          <div class="form-field">
            <label for="targets-year">${t('admin.targets.year')}</label>
            <select id="targets-year" data-action="year" .value=${live(String(year))} @change=${chooseYear}>
              ${years().map((y) => html`<option value=${y} ?selected=${y === year}>${lang() === 'zh' ? `${y} 年` : y}</option>`)}
            </select>
          </div>
        </div>
        <p class="muted">${t('admin.targets.intro')}</p>
        <div class="records-status" aria-live="polite">${saved ? html`<p class="records-note" role="status" data-saved>${saved}</p>` : nothing}</div>
        <div class="form-problems" role="alert" tabindex="-1" ?hidden=${!problems.length}>${problems.map((p) => html`<p>${p}</p>`)}</div>
        <div class="records-results">
          <div class="table-scroll" tabindex="0" role="region" aria-label=${t('admin.targets.title')}>${loaded ? grid() : nothing}</div>
        </div>
        <div class="save-bar">
          <button type="button" class="primary" data-action="save-targets" ?disabled=${n === 0 || busy} @click=${submit}>${save}</button>
          <button type="button" class="secondary" data-action="discard-targets" ?disabled=${n === 0} @click=${discard}>${t('admin.targets.discard')}</button>
          <p class="muted" aria-live="polite">${t(`admin.targets.${pending}`, count)}</p>
        </div>
      </section>`,
      host,
    );
  };

  const focusCell = (cell: Cell) =>
    host
      .querySelector<HTMLElement>(`input[data-measure="${cell.measure.id}"][data-university="${cell.university ?? 'alliance'}"]`)
      ?.focus();

  function discard(): void {
    typed = new Map([...original].map(([k, v]) => [k, String(v)]));
    errors = new Map();
    problems = [];
    draw();
  }

  async function chooseYear(event: Event): Promise<void> {
    const next = (event.target as HTMLSelectElement).value;
    const n = changed().length;
    if (n > 0) {
      const sure = await confirmDialog(host.querySelector<HTMLElement>('.admin-targets') ?? host, {
        title: t('admin.targets.leaveTitle'),
        message: t('admin.targets.leaveMessage', { count: formatCount(n), year: String(year) }),
        confirm: t('admin.targets.leaveConfirm'),
      });
      // Kept: the select shows this year again.
      if (!sure) return draw();
    }
    ctx.navigate('admin', { tab: 'targets', year: next });
  }

  function load(): Promise<void> {
    const { signal } = ctx;
    const shownYear = year;
    return status.run(signal, async () => {
      const answer = await call(endpoints.targets, { query: { year: shownYear }, signal });
      if (signal.aborted || shownYear !== year) return undefined;
      original = new Map(answer.targets.map((x) => [keyOf(x.measure, x.university), x.value]));
      discard();
      loaded = true;
      draw();
      return 'ready';
    });
  }

  async function submit(): Promise<void> {
    const changes = changed();
    if (changes.length === 0) return;
    errors = new Map();
    problems = [];
    saved = '';
    const invalid = changes.filter((c) => parsed(c.key) === undefined);
    if (invalid.length > 0) {
      for (const c of invalid) errors.set(c.key, t('admin.targets.notNumber'));
      draw();
      return focusCell(invalid[0]!);
    }
    busy = true;
    draw();
    try {
      const answer = await call(endpoints.setTargets, {
        body: {
          targets: changes.map((c) => ({ measure: c.measure.id, year, university: c.university, value: numberAt(c.key) })),
        },
      });
      busy = false;
      const n = answer.warnings.length;
      saved = [
        t('admin.targets.saved', {
          set: formatCount(answer.set),
          removed: formatCount(answer.removed),
          unchanged: formatCount(answer.unchanged),
        }),
        ...(n === 0
          ? []
          : [n === 1 ? t('admin.targets.savedWarningOne') : t('admin.targets.savedWarnings', { count: formatCount(n) })]),
      ].join(' ');
      await load();
    } catch (error) {
      busy = false;
      // `body.targets.3.value` names the fourth cell sent.
      let first: Cell | undefined;
      problems = problemLines(error, (path, message) => {
        const match = /^body\.targets\.(\d+)(?:\.|$)/.exec(path);
        const cell = match ? changes[Number(match[1])] : undefined;
        if (cell) errors.set(cell.key, message);
        first ??= cell;
        return cell !== undefined;
      });
      draw();
      if (first) focusCell(first);
      else host.querySelector<HTMLElement>('.form-problems')?.focus();
    }
  }

  draw();
  void load();
  return {
    update(next) {
      ctx = next;
      const nextYear = yearOf(ctx.params);
      // The app aborts a view's requests when its URL changes: a grid still loading is asked for again.
      if (nextYear === year) {
        if (!loaded) void load();
        return;
      }
      year = nextYear;
      saved = '';
      loaded = false;
      draw();
      void load();
    },
  };
};
