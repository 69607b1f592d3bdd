import { FREQUENCY_LABELS, LATE_LABEL, PERIOD_STATUS_LABELS, STEP_LABELS } from '../../contract/reporting-periods.js';
import type { BoardAnswer, Calendar, PeriodState } from '../../contract/schemas/cycle.js';
import { type CsvCell, numberCell } from '../csv/cells.js';
import type { CsvProjection } from '../csv/csv-projection.js';
import type { CsvRequest } from '../csv/csv-request.js';
import type { CsvRow } from '../csv/csv-response.js';
import { allianceMinute } from '../lib/dates.js';

/**
 * The status board as CSV: one row per university and period, the same figures as the JSON board.
 * Raw (the default): codes, ISO dates and times, `true`/`false`. Formatted: the university's name,
 * the status, frequency and step in words of the language asked, a late period marked.
 */

type Lang = 'en' | 'zh';
type Names = ReadonlyMap<string, { en: string; zh: string }>;

/** One line of the board: a period with its university's calendar. */
interface BoardLine {
  calendar: Calendar;
  period: PeriodState;
}

interface BoardColumn {
  /** The raw header (English, `lang=en` without `formatted`). */
  id: string;
  en: string;
  zh: string;
  cell(line: BoardLine, o: CsvRequest, names: Names): CsvCell;
}

/** A moment as the alliance reads it (Shanghai, to the minute) when formatted; ISO otherwise. */
function moment(iso: string | null, o: CsvRequest): string | null {
  if (iso === null) return null;
  if (!o.formatted) return iso;
  return allianceMinute(new Date(iso));
}

const flag = (value: boolean, o: CsvRequest, label: { en: string; zh: string }): string =>
  o.formatted ? (value ? label[o.lang] : '') : String(value);

/** The board's columns, declared once: header in each form and the cell of a line. */
export const BOARD_COLUMNS: readonly BoardColumn[] = [
  {
    id: 'university',
    en: 'University',
    zh: '高校',
    cell: ({ calendar }, o, names) =>
      o.formatted ? (names.get(calendar.university)?.[o.lang] ?? calendar.university) : calendar.university,
  },
  {
    id: 'frequency',
    en: 'Reports',
    zh: '报送频率',
    cell: ({ calendar }, o) => (o.formatted ? FREQUENCY_LABELS[calendar.frequency][o.lang] : calendar.frequency),
  },
  { id: 'period', en: 'Period', zh: '报送期间', cell: ({ period }) => period.period },
  { id: 'from', en: 'From', zh: '起始日期', cell: ({ period }) => period.from },
  { id: 'to', en: 'To', zh: '截止日期', cell: ({ period }) => period.to },
  { id: 'due_on', en: 'Due', zh: '报送期限', cell: ({ period }) => period.dueOn },
  {
    id: 'status',
    en: 'Status',
    zh: '状态',
    cell: ({ period }, o) => (o.formatted ? PERIOD_STATUS_LABELS[period.status][o.lang] : period.status),
  },
  { id: 'late', en: 'Late', zh: '逾期', cell: ({ period }, o) => flag(period.late, o, LATE_LABEL) },
  { id: 'ended', en: 'Ended', zh: '已结束', cell: ({ period }, o) => flag(period.ended, o, { en: 'Ended', zh: '已结束' }) },
  { id: 'records', en: 'Records', zh: '记录数', cell: ({ period }) => numberCell(String(period.records)) },
  { id: 'submitted_at', en: 'Submitted at', zh: '报送时间', cell: ({ period }, o) => moment(period.submittedAt, o) },
  { id: 'sha256', en: 'SHA-256 of the submission', zh: '报送内容SHA-256', cell: ({ period }) => period.sha256 },
  {
    id: 'last_step',
    en: 'Last step',
    zh: '最近一步',
    cell: ({ period }, o) =>
      period.lastStep ? (o.formatted ? STEP_LABELS[period.lastStep.action][o.lang] : period.lastStep.action) : null,
  },
  { id: 'last_step_at', en: 'Last step at', zh: '最近一步时间', cell: ({ period }, o) => moment(period.lastStep?.at ?? null, o) },
  { id: 'last_step_by', en: 'Last step by', zh: '最近一步操作人', cell: ({ period }) => period.lastStep?.by ?? null },
  { id: 'last_comment', en: 'Comment', zh: '意见', cell: ({ period }) => period.lastStep?.comment ?? null },
];

export function boardHeader(o: CsvRequest): string[] {
  return BOARD_COLUMNS.map((c) => (o.lang === 'zh' ? c.zh : o.formatted ? c.en : c.id));
}

export function boardRows(answer: BoardAnswer, o: CsvRequest, names: Names): CsvRow[] {
  return answer.universities.flatMap((calendar) =>
    calendar.periods.map((period) => BOARD_COLUMNS.map((c) => c.cell({ calendar, period }, o, names))),
  );
}

/** The board's CSV export: what GET /cycle/board?format=csv sends, audited as `export:cycle/board`. */
export function boardProjection(answer: BoardAnswer, o: CsvRequest & { lang: Lang }, names: Names): CsvProjection {
  const what = o.lang === 'zh' ? '报送状态' : 'reporting-status';
  return {
    fileName: { name: `${what}_${answer.year}.csv`, ascii: `reporting-status_${answer.year}.csv` },
    bom: o.bom,
    header: boardHeader(o),
    rows: [boardRows(answer, o, names)],
    subject: 'cycle/board',
  };
}
