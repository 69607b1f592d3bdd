import type { MeasureId } from '../../contract/measure-ids';
import { element } from '../dom';
import {
  type ReportKey,
  reportChange,
  reportChangePoints,
  reportNumber,
  reportPercent,
  reportText,
  unitText,
} from '../lib/report-format';
import type { Breakdown, Figure, PairMatrix, ReportDocument, ReportLang, ReportMeasure, ScopeRow } from '../lib/report-types';

/**
 * The report's tables, drawn from the document alone (live or as submitted). Each table's title
 * is a row of its <thead>, so that a table broken across pages repeats its title and column heads.
 */

export interface Cell {
  text: string;
  /** The raw figure, for tests and for screen readers' tools (`data-value`). */
  value?: number | null;
  /** The number of records behind the figure, shown small under it. */
  records?: number | null;
  header?: boolean;
}
export interface Row {
  cells: Cell[];
  kind?: 'item' | 'subtotal' | 'total';
  /** `data-row`: the university, province or value code, for tests. */
  key?: string;
}
export interface TableSpec {
  id: string;
  caption: string;
  columns: Array<{ label: string; numeric?: boolean; measure?: string }>;
  rows: Row[];
  /** Address of the table's CSV. */
  csv: string;
  /** What the CSV link says when its file holds more than this table. */
  csvText?: string;
  lang: ReportLang;
  notes?: string[];
}

export function reportTable(spec: TableSpec): HTMLElement {
  const width = spec.columns.length;
  const head = element(
    'thead',
    {},
    element('tr', { class: 'caption-row' }, element('th', { colspan: String(width), scope: 'colgroup' }, spec.caption)),
    element(
      'tr',
      {},
      ...spec.columns.map((c) =>
        element(
          'th',
          { scope: 'col', class: c.numeric ? 'num' : '', ...(c.measure ? { 'data-measure': c.measure } : {}) },
          c.label,
        ),
      ),
    ),
  );
  const body = element(
    'tbody',
    {},
    ...spec.rows.map((row) =>
      element(
        'tr',
        { class: row.kind ?? 'item', ...(row.key ? { 'data-row': row.key } : {}) },
        ...row.cells.map((cell, i) => {
          const node = element(
            cell.header ? 'th' : 'td',
            { ...(cell.header ? { scope: 'row' } : {}), class: spec.columns[i]?.numeric ? 'num' : '' },
            cell.text,
          );
          if (cell.value !== undefined && cell.value !== null) node.dataset.value = String(cell.value);
          if (cell.records !== undefined && cell.records !== null) {
            node.dataset.records = String(cell.records);
            node.append(element('span', { class: 'records' }, cell.records.toLocaleString('en-GB')));
          }
          return node;
        }),
      ),
    ),
  );
  const download = element(
    'a',
    {
      class: 'tool no-print',
      href: spec.csv,
      download: '',
      'data-action': 'download-csv',
      'aria-label': spec.csvText ?? reportText(spec.lang, 'report.csvOf', { table: spec.caption }),
    },
    spec.csvText ?? reportText(spec.lang, 'report.csv'),
  );
  return element(
    'div',
    { class: 'report-table-block', 'data-table': spec.id },
    element('div', { class: 'table-tools no-print' }, download),
    element('table', { class: 'report-table', id: `report-table-${spec.id}` }, head, body),
    ...(spec.notes ?? []).map((note) => element('p', { class: 'table-note' }, note)),
  );
}

/** Names and lookups over one document, in the report's language. */
export class ReportWords {
  readonly measure: Map<string, ReportMeasure>;
  constructor(
    readonly doc: ReportDocument,
    readonly lang: ReportLang,
  ) {
    this.measure = new Map(doc.measures.map((m) => [m.id, m]));
  }
  t(key: ReportKey, values?: Record<string, string | number>): string {
    return reportText(this.lang, key, values);
  }
  university(code: string): string {
    return this.doc.universities.find((u) => u.code === code)?.name[this.lang] ?? code;
  }
  region(code: string): string {
    return this.doc.regions.find((r) => r.code === code)?.name[this.lang] ?? code;
  }
  label(code: string | null): string {
    return code === null ? this.t('report.row.total') : (this.doc.labels[code]?.[this.lang] ?? code);
  }
  measureName(id: string): string {
    return this.measure.get(id)?.name[this.lang] ?? id;
  }
  /** A measure's column head: its name, and its unit where it is not a plain count. */
  measureHead(id: string): string {
    const m = this.measure.get(id);
    if (!m) return id;
    return m.unit === 'count' ? m.name[this.lang] : `${m.name[this.lang]} (${unitText(m.unit, this.lang)})`;
  }
  scopeName(row: { level: string; code: string | null }): string {
    if (row.level === 'university') return this.university(row.code!);
    if (row.level === 'region') return this.t('report.row.subtotal', { name: this.region(row.code!) });
    return this.t('report.row.alliance');
  }
  figure(id: string, figure: Figure | undefined): Cell {
    const m = this.measure.get(id);
    // No figure at all is 0; a ratio without a denominator stays null ('—').
    const value = figure ? figure.value : 0;
    return {
      text: reportNumber(value, m?.unit ?? 'count', this.lang),
      value,
      // A count is itself its number of records: say it once, not twice.
      records: m?.aggregate === 'sum' ? (figure?.records ?? 0) : null,
    };
  }
  number(id: string, value: number | null): Cell {
    return { text: reportNumber(value, this.measure.get(id)?.unit ?? 'count', this.lang), value };
  }
}

const kindOf = (level: ScopeRow<unknown>['level']): Row['kind'] =>
  level === 'university' ? 'item' : level === 'region' ? 'subtotal' : 'total';

export function summaryTable(
  w: ReportWords,
  id: string,
  caption: string,
  measures: readonly MeasureId[],
  csv: string,
): HTMLElement {
  return reportTable({
    id,
    caption,
    lang: w.lang,
    csv,
    // Tables 1a and 1b are the two halves of one summary: one file holds both.
    csvText: w.t('report.csvSummary'),
    columns: [
      { label: w.t('report.col.university') },
      ...measures.map((m) => ({ label: w.measureHead(m), numeric: true, measure: m })),
    ],
    rows: w.doc.summary.rows.map((row) => ({
      kind: kindOf(row.level),
      key: row.code ?? 'alliance',
      cells: [{ text: w.scopeName(row), header: true }, ...measures.map((m) => w.figure(m, row.cells[m]))],
    })),
  });
}

/**
 * The national report's table (《中国科技成果转化年度报告》): one line per figure it prints for a
 * unit, one column per member and the alliance; amounts in 万元 with two decimals, as it prints them.
 */
export function nationalTable(w: ReportWords, csv: string): HTMLElement | null {
  const block = w.doc.national;
  if (!block) return null;
  const above = block.above.universities;
  return reportTable({
    id: 'national',
    caption: w.t('report.table.national'),
    lang: w.lang,
    csv,
    columns: [
      { label: w.t('report.col.indicator') },
      ...block.columns.map((c) => ({
        label: c.code === null ? w.t('report.row.alliance') : w.university(c.code),
        numeric: true,
      })),
    ],
    rows: block.rows.map((row) => {
      const line = block.lines.find((l) => l.id === row.line)!;
      const m = w.measure.get(line.measure);
      const unit = m && m.unit !== 'count' ? `（${unitText(m.unit, w.lang)}）` : '';
      return {
        key: row.line,
        kind: line.mode === null ? 'subtotal' : 'item',
        cells: [
          { text: `${line.name[w.lang]}${w.lang === 'zh' ? unit : unit.replace('（', ' (').replace('）', ')')}`, header: true },
          ...row.cells.map((cell) => w.figure(line.measure, cell)),
        ],
      };
    }),
    notes: [
      w.t('report.national.above', {
        threshold:
          w.lang === 'zh'
            ? `${block.above.threshold / 100_000_000}亿元`
            : `${(block.above.threshold / 1_000_000).toLocaleString('en-GB')} million yuan`,
        count: above.length,
        members: above.length > 0 ? above.map((c) => w.university(c)).join(w.lang === 'zh' ? '、' : ', ') : '—',
      }),
      w.t('report.national.note'),
    ],
  });
}

export function comparisonsTable(w: ReportWords, csv: string): HTMLElement {
  const { doc } = w;
  const members = doc.universities.map((u) => u.code).join(',');
  const panelNotes: string[] = [];
  const rows: Row[] = doc.comparisons.map((c) => {
    const m = w.measure.get(c.measure);
    const stock = m?.temporality === 'stock';
    // A measure that takes no target says so, as the stock does (the attainment table lists those that do).
    const untargeted = stock || !doc.attainmentByUniversity.measures.includes(c.measure);
    const panelDiffers = c.panel.universities.join(',') !== members;
    if (panelDiffers && c.panel.universities.length > 0)
      panelNotes.push(
        `${w.measureName(c.measure)}: ${c.panel.universities.map((u) => w.university(u)).join(w.lang === 'zh' ? '、' : ', ')}`,
      );
    // A share changes in percentage points, an amount or a count relatively.
    const share = w.measure.get(c.measure)?.unit === 'ratio';
    const change = (value: number | null, base: number | null, relative: number | null) =>
      share ? reportChangePoints(base, value, w.lang) : reportChange(relative, w.lang);
    return {
      key: c.measure,
      cells: [
        { text: w.measureHead(c.measure), header: true },
        { ...w.figure(c.measure, { value: c.value, records: c.records }) },
        untargeted ? { text: w.t('report.noTarget') } : w.number(c.measure, c.target),
        stock ? { text: '—' } : w.number(c.measure, c.yearToDate),
        { text: stock ? '—' : reportPercent(c.attainment, w.lang), value: c.attainment },
        w.number(c.measure, c.previous),
        { text: change(c.value, c.previous, c.change), value: c.change },
        w.number(c.measure, c.yearAgo),
        { text: change(c.value, c.yearAgo, c.yearOnYear), value: c.yearOnYear },
        {
          text: `${change(c.panel.value, c.panel.yearAgo, c.panel.change)}${panelDiffers && c.panel.universities.length > 0 ? ' *' : ''}`,
          value: c.panel.change,
        },
      ],
    };
  });
  return reportTable({
    id: 'comparisons',
    caption: w.t('report.table.comparisons', { year: doc.targetYear }),
    lang: w.lang,
    csv,
    columns: [
      { label: w.t('report.col.measure') },
      { label: doc.period.label[w.lang], numeric: true },
      { label: w.t('report.col.target', { year: doc.targetYear }), numeric: true },
      { label: w.t('report.col.ytd'), numeric: true },
      { label: w.t('report.col.attainment'), numeric: true },
      { label: w.t('report.col.previous', { label: doc.previousPeriod.label[w.lang] }), numeric: true },
      { label: w.t('report.col.change'), numeric: true },
      { label: w.t('report.col.yearAgo', { label: doc.yearAgoPeriod.label[w.lang] }), numeric: true },
      { label: w.t('report.col.yoy'), numeric: true },
      { label: w.t('report.col.panel'), numeric: true },
    ],
    rows,
    notes: [
      doc.attainmentBasis === 'value'
        ? w.t('report.bases.attainment.value', { year: doc.targetYear })
        : w.t('report.bases.attainment.ytd', { year: doc.targetYear, from: doc.yearToDate.from, to: doc.yearToDate.to }),
      ...panelNotes.map((n) => `* ${n}`),
    ],
  });
}

export function attainmentTable(w: ReportWords, csv: string): HTMLElement {
  const { doc } = w;
  const measures = doc.attainmentByUniversity.measures;
  const basis =
    doc.attainmentBasis === 'value'
      ? w.t('report.basis.value')
      : w.t('report.basis.ytd', { from: doc.yearToDate.from, to: doc.yearToDate.to });
  return reportTable({
    id: 'attainment',
    caption: w.t('report.table.attainment', { year: doc.targetYear, basis }),
    lang: w.lang,
    csv,
    columns: [
      { label: w.t('report.col.university') },
      ...measures.map((m) => ({ label: w.measureName(m), numeric: true, measure: m })),
    ],
    rows: doc.attainmentByUniversity.rows.map((row) => ({
      kind: kindOf(row.level),
      key: row.code ?? 'alliance',
      cells: [
        { text: w.scopeName(row), header: true },
        ...measures.map((m) => ({
          text: reportPercent(row.cells[m]?.attainment ?? null, w.lang),
          value: row.cells[m]?.attainment ?? null,
        })),
      ],
    })),
  });
}

export function breakdownTable(
  w: ReportWords,
  id: string,
  caption: string,
  head: string,
  breakdown: Breakdown,
  csv: string,
): HTMLElement {
  return reportTable({
    id,
    caption,
    lang: w.lang,
    csv,
    columns: [{ label: head }, ...breakdown.measures.map((m) => ({ label: w.measureHead(m), numeric: true, measure: m }))],
    rows: breakdown.rows.map((row) => ({
      kind: row.level === 'item' ? 'item' : row.level,
      key: row.code ?? 'total',
      cells: [{ text: w.label(row.code), header: true }, ...breakdown.measures.map((m) => w.figure(m, row.figures[m]))],
    })),
  });
}

export function matrixTable(w: ReportWords, id: string, caption: string, matrix: PairMatrix, csv: string): HTMLElement {
  const codes = w.doc.credits.universities;
  const unit = w.measure.get(matrix.measure)?.unit ?? 'count';
  const n = (f: Figure) => ({ text: reportNumber(f.value, unit, w.lang), value: f.value });
  return reportTable({
    id,
    caption,
    lang: w.lang,
    csv,
    columns: [
      { label: w.t('report.col.homeHost') },
      ...codes.map((c) => ({ label: c, numeric: true })),
      { label: w.t('report.col.total'), numeric: true },
    ],
    rows: [
      ...codes.map((home, i) => ({
        key: home,
        cells: [
          { text: w.university(home), header: true },
          ...matrix.cells[i]!.map((cell, j) => (i === j ? { text: '—' } : n(cell))),
          { ...n(matrix.rowTotals[i]!), records: matrix.rowTotals[i]!.records },
        ],
      })),
      {
        kind: 'total' as const,
        key: 'total',
        cells: [
          { text: w.t('report.col.total'), header: true },
          ...matrix.columnTotals.map(n),
          { ...n(matrix.total), records: matrix.total.records },
        ],
      },
    ],
  });
}

export function definitionsTable(w: ReportWords): HTMLElement {
  const rows = w.doc.measures.map((m) => ({
    key: m.id,
    cells: [
      { text: m.name[w.lang], header: true },
      { text: m.unit === 'count' ? unitText('count', w.lang) : unitText(m.unit, w.lang) },
      {
        text: `${m.temporality === 'stock' ? w.t('report.stock') : w.t('report.flow')}; ${w.t(`report.date.${m.dateColumn}` as ReportKey)}`,
      },
      { text: m.definition[w.lang] },
      { text: m.standard.reference[w.lang] },
    ],
  }));
  const block = reportTable({
    id: 'definitions',
    caption: w.t('report.table.definitions'),
    lang: w.lang,
    csv: '',
    columns: [
      { label: w.t('report.col.measure') },
      { label: w.t('report.col.unit') },
      { label: w.t('report.col.countedOn') },
      { label: w.t('report.col.definition') },
      { label: w.t('report.col.standard') },
    ],
    rows,
  });
  block.querySelector('.table-tools')?.remove();
  block.querySelector('table')?.classList.add('definitions-table');
  return block;
}
