import { html, nothing, type TemplateResult } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import type { MeasureId } from '../../contract/measure-ids';
import { FIGURE_STATUS_LABELS, type FigureStatus, statusOfAll } from '../../contract/figure-status';
import { REPORT_STATUS_TABLES, type ReportStatusTable } from '../../contract/enums';
import { PERIOD_STATUS_LABELS } from '../../contract/reporting-periods';
import {
  type ReportKey,
  type ReportLang,
  reportChange,
  reportChangePoints,
  reportNumber,
  reportPercent,
  reportText,
  unitText,
} from '../lib/report-format';
import { xlsxOf } from '../lib/downloads';
import type { Breakdown, Figure, PairMatrix, ReportDocument, ReportMeasure, ScopeRow } from '../../contract/report';

/**
 * The report's tables, drawn from the document alone (live or as submitted). Each table's title
 * is a row of its <thead>, so that a table broken across pages repeats its title and column heads;
 * on a narrow screen a table scrolls sideways in a named region reachable from the keyboard.
 */

export interface Cell {
  text: string;
  /** The raw figure, for tests and for screen readers' tools (`data-value`). */
  value?: number | null;
  /** The number of records behind the figure, shown small under it. */
  records?: number | null;
  header?: boolean;
  /** A header's unit, kept on one line after its name: 合同金额（万元）. */
  unit?: string;
  /** Set in a fixed-width face (a digest). */
  mono?: boolean;
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
  columns: Array<{ label: string; unit?: string; numeric?: boolean; measure?: string }>;
  rows: Row[];
  /** Address of the table's CSV; a table without one has no download link. */
  csv?: string;
  /** What the CSV link says when its file holds more than this table. */
  csvText?: string;
  notes?: string[];
  className?: string;
}

const present = (n: number | null | undefined) => (n === null || n === undefined ? undefined : n);

/** A table of more rows than this may break across pages (its head repeats); a shorter one is kept whole. */
const LONG_TABLE = 18;

let zhWords: Intl.Segmenter | undefined;
/**
 * A header's text: in Chinese, its words (by the browser's dictionary) with a break opportunity
 * between them, for a head set with `word-break: keep-all` (技术合同｜签订数, never 合同金｜额);
 * then its unit, in a span that never breaks. English breaks between words by itself.
 */
export function headText(text: string, lang: ReportLang, unit?: string): TemplateResult {
  let name: unknown = text;
  if (lang === 'zh') {
    zhWords ??= new Intl.Segmenter('zh-CN', { granularity: 'word' });
    // Between two Chinese words of two characters or more: never inside 2024年, after an opening
    // bracket or before a closing mark, nor beside a lone character, which the dictionary often
    // splits off a word it does not know (互|认, 同|比).
    const words = [...zhWords.segment(text)];
    const breakable = (word: Intl.SegmentData | undefined) =>
      word?.isWordLike === true && word.segment.length >= 2 && /^\p{Script=Han}+$/u.test(word.segment);
    name = words.map((word, i) => (breakable(words[i - 1]) && breakable(word) ? html`<wbr>${word.segment}` : word.segment));
  }
  return html`${name}${unit === undefined ? nothing : html`<span class="unit">${lang === 'zh' ? `（${unit}）` : ` (${unit})`}</span>`}`;
}

/** Names and lookups over one document, in the report's language. */
export class ReportWords {
  readonly measure: Map<string, ReportMeasure>;
  constructor(
    readonly doc: ReportDocument,
    readonly lang: ReportLang,
    /** The address of one of the report's CSV tables. */
    readonly csv: (table: string) => string = () => '',
  ) {
    this.measure = new Map(doc.measures.map((m) => [m.id, m]));
  }
  t(key: ReportKey, values?: Record<string, string | number>): string {
    return reportText(this.lang, key, values);
  }
  /** A figure status's symbol and name (contract/figure-status.ts): ✓ Final. */
  status(status: FigureStatus): string {
    return `${FIGURE_STATUS_LABELS[status].symbol} ${FIGURE_STATUS_LABELS[status][this.lang]}`;
  }
  table(spec: TableSpec): TemplateResult {
    const num = (i: number) => (spec.columns[i]?.numeric ? 'num' : '');
    const cell = (c: Cell, i: number) => {
      const records = present(c.records);
      const text = c.header ? headText(c.text, this.lang, c.unit) : c.text;
      const content = html`${text}${records === undefined ? nothing : html`<span class="records">${reportNumber(records, 'count', this.lang)}</span>`}`;
      const classes = [num(i), c.mono ? 'mono' : ''].filter(Boolean).join(' ');
      return c.header
        ? html`<th scope="row" class=${classes} data-value=${ifDefined(present(c.value))} data-records=${ifDefined(records)}>${content}</th>`
        : html`<td class=${classes} data-value=${ifDefined(present(c.value))} data-records=${ifDefined(records)}>${content}</td>`;
    };
    const csvText = spec.csvText ?? this.t('report.csvOf', { table: spec.caption });
    const long = spec.rows.length > LONG_TABLE ? 'long' : '';
    return html`<div class="report-table-block ${long}" data-table=${spec.id}>
      ${
        spec.csv
          ? html`<div class="table-tools no-print">
            <a class="tool" href=${spec.csv} download data-action="download-csv" aria-label=${csvText}>${spec.csvText ?? this.t('report.csv')}</a>
            <a class="tool" href=${xlsxOf(spec.csv)} download data-action="download-xlsx" aria-label=${this.t('report.xlsxOf', { table: spec.caption })}>${this.t('report.xlsx')}</a>
          </div>`
          : nothing
      }
      <div class="table-scroll" role="region" tabindex="0" aria-label=${spec.caption}>
        <table class="report-table ${spec.className ?? ''}" id="report-table-${spec.id}">
          <thead>
            <tr class="caption-row"><th colspan=${spec.columns.length} scope="colgroup">${spec.caption}</th></tr>
            <tr>${spec.columns.map((c, i) => html`<th scope="col" class=${num(i)} data-measure=${ifDefined(c.measure)}>${headText(c.label, this.lang, c.unit)}</th>`)}</tr>
          </thead>
          <tbody>
            ${spec.rows.map((row) => html`<tr class=${row.kind ?? 'item'} data-row=${ifDefined(row.key)}>${row.cells.map(cell)}</tr>`)}
          </tbody>
        </table>
      </div>
      ${(spec.notes ?? []).map((note) => html`<p class="table-note">${note}</p>`)}
    </div>`;
  }
  /** A list of names in the language's way: 甲、乙 or A, B. */
  list(names: string[]): string {
    return names.join(this.lang === 'zh' ? '、' : ', ');
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
  unit(id: string): ReportMeasure['unit'] {
    return this.measure.get(id)?.unit ?? 'count';
  }
  /** A measure's column head: its name, and its unit where it is not a plain count (drawn apart by `headText`). */
  measureHead(id: string): { label: string; unit?: string } {
    const unit = this.unit(id);
    return unit === 'count' ? { label: this.measureName(id) } : { label: this.measureName(id), unit: unitText(unit, this.lang) };
  }
  /** A label's colon in the report's language: 高校：, University: . */
  get colon(): string {
    return this.lang === 'zh' ? '：' : ': ';
  }
  scopeName(row: { level: string; code: string | null }): string {
    if (row.level === 'university') return this.university(row.code!);
    if (row.level === 'region') return this.t('report.row.subtotal', { name: this.region(row.code!) });
    return this.t('report.row.alliance');
  }
  figure(id: string, figure: Figure | undefined): Cell {
    // No figure at all is 0; a ratio without a denominator stays null ('—').
    const value = figure ? figure.value : 0;
    // A count is itself its number of records: say it once, not twice.
    const records = this.measure.get(id)?.aggregate === 'sum' ? (figure?.records ?? 0) : null;
    return { text: reportNumber(value, this.unit(id), this.lang), value, records };
  }
  number(id: string, value: number | null): Cell {
    return { text: reportNumber(value, this.unit(id), this.lang), value };
  }
  /** How attainment is reckoned for the target year: the year's value, or the year to date. */
  attainmentBasis(): string {
    const { doc } = this;
    return doc.attainmentBasis === 'value'
      ? this.t('report.bases.attainment.value', { year: doc.targetYear })
      : this.t('report.bases.attainment.ytd', { year: doc.targetYear, from: doc.yearToDate.from, to: doc.yearToDate.to });
  }
}

/** The rows of a table by university (members, province subtotals, the alliance): each row's name, then its cells. */
const scopeRows = <T>(w: ReportWords, rows: ReadonlyArray<ScopeRow<T>>, cells: (row: ScopeRow<T>) => Cell[]): Row[] =>
  rows.map((row) => ({
    kind: row.level === 'university' ? 'item' : row.level === 'region' ? 'subtotal' : 'total',
    key: row.code ?? 'alliance',
    cells: [{ text: w.scopeName(row), header: true }, ...cells(row)],
  }));

export function summaryTable(w: ReportWords, id: string, caption: ReportKey, measures: readonly MeasureId[]) {
  return w.table({
    id,
    caption: w.t(caption),
    csv: w.csv('summary'),
    // Tables 1a and 1b are the two halves of one summary: one file holds both.
    csvText: w.t('report.csvSummary'),
    columns: [
      { label: w.t('report.col.university') },
      ...measures.map((m) => ({ ...w.measureHead(m), numeric: true, measure: m })),
    ],
    rows: scopeRows(w, w.doc.summary.rows, (row) => measures.map((m) => w.figure(m, row.cells[m]))),
  });
}

/**
 * The national report's table (《中国科技成果转化年度报告》): one line per figure it prints for a
 * unit, one column per member and the alliance; amounts in 万元 with two decimals, as it prints them.
 */
export function nationalTable(w: ReportWords) {
  const block = w.doc.national;
  // A document submitted before the national block has none.
  if (!block) return nothing;
  const above = block.above.universities;
  const threshold =
    w.lang === 'zh'
      ? `${block.above.threshold / 100_000_000}亿元`
      : `${(block.above.threshold / 1_000_000).toLocaleString('en-GB')} million yuan`;
  return w.table({
    id: 'national',
    caption: w.t('report.table.national'),
    csv: w.csv('national'),
    columns: [
      { label: w.t('report.col.indicator') },
      ...block.columns.map((c) => ({
        label: c.code === null ? w.t('report.row.alliance') : w.university(c.code),
        numeric: true,
      })),
    ],
    rows: block.rows.map((row) => {
      const line = block.lines.find((l) => l.id === row.line)!;
      const unit = w.unit(line.measure);
      return {
        key: row.line,
        kind: line.mode === null ? 'subtotal' : 'item',
        cells: [
          { text: line.name[w.lang], unit: unit === 'count' ? undefined : unitText(unit, w.lang), header: true },
          ...row.cells.map((cell) => w.figure(line.measure, cell)),
        ],
      };
    }),
    notes: [
      w.t('report.national.above', {
        threshold,
        count: above.length,
        members: above.length > 0 ? w.list(above.map((c) => w.university(c))) : '—',
      }),
      w.t('report.national.note'),
    ],
  });
}

export function comparisonsTable(w: ReportWords) {
  const { doc } = w;
  const members = doc.universities.map((u) => u.code).join(',');
  const panelNotes: string[] = [];
  const rows: Row[] = doc.comparisons.map((c) => {
    const stock = w.measure.get(c.measure)?.temporality === 'stock';
    // A measure that takes no target says so, as the stock does (the attainment table lists those that do).
    const untargeted = stock || !doc.attainmentByUniversity.measures.includes(c.measure);
    const panelNamed = c.panel.universities.length > 0 && c.panel.universities.join(',') !== members;
    if (panelNamed)
      panelNotes.push(`* ${w.measureName(c.measure)}${w.colon}${w.list(c.panel.universities.map((u) => w.university(u)))}`);
    // A share changes in percentage points, an amount or a count relatively.
    const change = (value: number | null, base: number | null, relative: number | null) =>
      w.unit(c.measure) === 'ratio' ? reportChangePoints(base, value, w.lang) : reportChange(relative, w.lang);
    return {
      key: c.measure,
      cells: [
        { text: w.measureName(c.measure), unit: w.measureHead(c.measure).unit, header: true },
        w.figure(c.measure, { value: c.value, records: c.records }),
        untargeted ? { text: w.t('report.noTarget') } : w.number(c.measure, c.target),
        stock ? { text: '—' } : w.number(c.measure, c.yearToDate),
        { text: stock ? '—' : reportPercent(c.attainment, w.lang), value: c.attainment },
        w.number(c.measure, c.previous),
        { text: change(c.value, c.previous, c.change), value: c.change },
        w.number(c.measure, c.yearAgo),
        { text: change(c.value, c.yearAgo, c.yearOnYear), value: c.yearOnYear },
        { text: `${change(c.panel.value, c.panel.yearAgo, c.panel.change)}${panelNamed ? ' *' : ''}`, value: c.panel.change },
      ],
    };
  });
  const numeric = (label: string) => ({ label, numeric: true });
  return w.table({
    id: 'comparisons',
    caption: w.t('report.table.comparisons', { year: doc.targetYear }),
    csv: w.csv('comparisons'),
    columns: [
      { label: w.t('report.col.measure') },
      numeric(doc.period.label[w.lang]),
      numeric(w.t('report.col.target', { year: doc.targetYear })),
      numeric(w.t('report.col.ytd')),
      numeric(w.t('report.col.attainment')),
      numeric(w.t('report.col.previous', { label: doc.previousPeriod.label[w.lang] })),
      numeric(w.t('report.col.change')),
      numeric(w.t('report.col.yearAgo', { label: doc.yearAgoPeriod.label[w.lang] })),
      numeric(w.t('report.col.yoy')),
      numeric(w.t('report.col.panel')),
    ],
    rows,
    notes: [w.attainmentBasis(), ...panelNotes],
  });
}

export function attainmentTable(w: ReportWords) {
  const { doc } = w;
  const { measures, rows } = doc.attainmentByUniversity;
  const basis =
    doc.attainmentBasis === 'value'
      ? w.t('report.basis.value')
      : w.t('report.basis.ytd', { from: doc.yearToDate.from, to: doc.yearToDate.to });
  return w.table({
    id: 'attainment',
    caption: w.t('report.table.attainment', { year: doc.targetYear, basis }),
    csv: w.csv('attainment'),
    columns: [
      { label: w.t('report.col.university') },
      ...measures.map((m) => ({ label: w.measureName(m), numeric: true, measure: m })),
    ],
    rows: scopeRows(w, rows, (row) =>
      measures.map((m) => {
        const value = row.cells[m]?.attainment ?? null;
        return { text: reportPercent(value, w.lang), value };
      }),
    ),
  });
}

/** A breakdown by one dimension: its table's title is `report.table.<caption>`, its first column's `report.col.<head>`. */
export function breakdownTable(w: ReportWords, id: string, caption: string, head: string, breakdown: Breakdown) {
  return w.table({
    id,
    caption: w.t(`report.table.${caption}` as ReportKey),
    csv: w.csv(id),
    columns: [
      { label: w.t(`report.col.${head}` as ReportKey) },
      ...breakdown.measures.map((m) => ({ ...w.measureHead(m), numeric: true, measure: m })),
    ],
    rows: breakdown.rows.map((row) => ({
      kind: row.level,
      key: row.code ?? 'total',
      cells: [{ text: w.label(row.code), header: true }, ...breakdown.measures.map((m) => w.figure(m, row.figures[m]))],
    })),
  });
}

export function matrixTable(w: ReportWords, id: string, caption: ReportKey, matrix: PairMatrix | undefined) {
  if (!matrix) return nothing;
  const codes = w.doc.credits.universities;
  const n = (f: Figure): Cell => ({ text: reportNumber(f.value, w.unit(matrix.measure), w.lang), value: f.value });
  const withRecords = (f: Figure): Cell => ({ ...n(f), records: f.records });
  return w.table({
    id,
    caption: w.t(caption),
    csv: w.csv(id),
    columns: [
      { label: w.t('report.col.homeHost') },
      // Members by name, as everywhere in the report: a code is for files, not for readers.
      ...codes.map((c) => ({ label: w.university(c), numeric: true })),
      { label: w.t('report.col.total'), numeric: true },
    ],
    rows: [
      ...codes.map((home, i) => ({
        key: home,
        cells: [
          { text: w.university(home), header: true },
          ...matrix.cells[i]!.map((cell, j) => (i === j ? { text: '—' } : n(cell))),
          withRecords(matrix.rowTotals[i]!),
        ],
      })),
      {
        kind: 'total' as const,
        key: 'total',
        cells: [{ text: w.t('report.col.total'), header: true }, ...matrix.columnTotals.map(n), withRecords(matrix.total)],
      },
    ],
  });
}

export function definitionsTable(w: ReportWords) {
  return w.table({
    id: 'definitions',
    caption: w.t('report.table.definitions'),
    className: 'definitions-table',
    columns: ['measure', 'unit', 'countedOn', 'definition', 'standard'].map((c) => ({
      label: w.t(`report.col.${c}` as ReportKey),
    })),
    rows: w.doc.measures.map((m) => ({
      key: m.id,
      cells: [
        { text: m.name[w.lang], header: true },
        { text: unitText(m.unit, w.lang) },
        {
          text: `${w.t(m.temporality === 'stock' ? 'report.stock' : 'report.flow')}${w.lang === 'zh' ? '；' : '; '}${w.t(`report.date.${m.dateColumn}` as ReportKey)}`,
        },
        { text: m.definition[w.lang] },
        { text: m.standard.reference[w.lang] },
      ],
    })),
  });
}

/** A table's status in the report's language: its symbol and name (never colour alone). */
export function reportStatusMark(w: ReportWords, status: FigureStatus): TemplateResult {
  return html`<span class="status-mark" data-status=${status}
    ><span aria-hidden="true">${FIGURE_STATUS_LABELS[status].symbol}</span> ${FIGURE_STATUS_LABELS[status][w.lang]}</span
  >`;
}

/**
 * What the figures stood on when the report was made: each table's status and the university-periods
 * it draws on that are not final, with their stage in the reporting cycle.
 */
export function statusSection(w: ReportWords): TemplateResult {
  const status = w.doc.status;
  const body = status
    ? html`<p>${w.t('report.status.intro')}</p>
        ${w.table({
          id: 'status-tables',
          caption: w.t('report.status.tables'),
          className: 'status-table',
          columns: [{ label: w.t('report.status.col.table') }, { label: w.t('report.status.col.status') }],
          rows: REPORT_STATUS_TABLES.map((table) => ({
            key: table,
            cells: [{ text: w.t(`report.status.table.${table}`), header: true }, { text: w.status(status.tables[table]) }],
          })),
        })}
        ${
          status.notFinal.length === 0
            ? html`<p data-not-final="0">${w.t('report.status.allFinal')}</p>`
            : w.table({
                id: 'not-final',
                caption: w.t('report.status.notFinal', { count: status.notFinal.length }),
                className: 'status-table',
                csv: w.csv('not-final'),
                columns: [{ label: w.t('report.status.col.university') }, { label: w.t('report.status.col.periods') }],
                // One row per university, its periods in order: the list stays short enough to print.
                rows: [...new Set(status.notFinal.map((p) => p.university))].map((university) => ({
                  key: university,
                  cells: [
                    { text: w.university(university), header: true },
                    {
                      text: status.notFinal
                        .filter((p) => p.university === university)
                        .map((p) => {
                          const state =
                            p.state === 'submitted' ? w.t('report.status.submitted') : PERIOD_STATUS_LABELS[p.state][w.lang];
                          const stage = p.ended ? state : w.t('report.status.notEnded', { state });
                          const revised = p.status === 'R' ? ` ${w.status('R')}` : '';
                          return w.t('report.status.periodState', { period: p.period, stage: `${stage}${revised}` });
                        })
                        .join(w.t('report.status.separator')),
                    },
                  ],
                })),
              })
        }`
    : html`<p>${w.t('report.status.none')}</p>`;
  return html`<section class="report-section report-status" data-section="status">
    <h2>${w.t('report.section.status')}</h2>
    ${body}
  </section>`;
}

/** The status of a section of the report: the least settled of its tables'; none in a document made before. */
export function sectionStatus(w: ReportWords, tables: readonly ReportStatusTable[]): FigureStatus | undefined {
  const status = w.doc.status;
  return status ? statusOfAll(tables.map((t) => status.tables[t])) : undefined;
}
