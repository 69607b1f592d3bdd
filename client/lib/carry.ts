import type { ViewName } from '../view';
import { periodRange, REPORT_PERIOD, reportPeriodOf, today } from './dates';

/**
 * What a person chose that goes with them from view to view: the period, the scope (universities,
 * provinces) and the measure. It is held nowhere but in the URL: each link of the header reads it
 * from the view on screen and writes it in the terms of the view it leads to, so coming back carries
 * it too. A view keeps only the parts it shows: the chart views all of them; Records its dates (and
 * opens on the measure's kind of record); the report its period (the report period that holds the
 * days chosen, and back, that period's days).
 */
export type Carried = Partial<Record<'from' | 'to' | 'university' | 'region' | 'measure', string>>;

interface Holder {
  /** The parts of the choice a view's URL holds (absent where the person chose none). */
  read(params: URLSearchParams, end: string): Carried;
  /** A view's URL parameters for the choice. */
  write(carried: Carried, end: string): Record<string, string | undefined>;
}

const only =
  (...keys: Array<keyof Carried>) =>
  (from: URLSearchParams | Carried): Carried =>
    Object.fromEntries(
      keys.flatMap((key) => {
        const value = from instanceof URLSearchParams ? from.get(key) : from[key];
        return value ? [[key, value]] : [];
      }),
    );

const everything = only('from', 'to', 'university', 'region', 'measure');
const chart: Holder = { read: everything, write: everything };

/** The kind of record a measure counts: its id's block, but credit records for the credits block. */
const recordKindOf = (measure: string): string | undefined => {
  const block = measure.split('.')[0];
  return block === 'credits' ? 'credit' : block;
};

const HOLDERS: Partial<Record<ViewName, Holder>> = {
  overview: chart,
  universities: chart,
  regions: chart,
  trends: chart,
  collaboration: chart,
  records: {
    read: only('from', 'to'),
    // The records of the measure's kind (`credits.students` → credit records), over the same days.
    write: ({ from, to, measure }) => ({ from, to, kind: measure ? recordKindOf(measure) : undefined }),
  },
  report: {
    read(params, end) {
      const period = params.get('period');
      if (!period || !REPORT_PERIOD.test(period)) return {};
      const { from, to } = periodRange(period);
      return from > end ? {} : { from, to: to < end ? to : end };
    },
    write: ({ from, to }, end) => ({ period: from && to ? reportPeriodOf(from, to, end) : undefined }),
  },
};

/**
 * The URL parameters of a link from the view on screen (`active`, its parameters `params`) to
 * `target`: what the person chose there, as `target` reads it; none where either view holds none.
 */
export function carry(
  active: ViewName | undefined,
  params: URLSearchParams,
  target: ViewName,
  end = today(),
): Record<string, string | undefined> {
  const source = active && HOLDERS[active];
  const sink = HOLDERS[target];
  return source && sink ? sink.write(source.read(params, end), end) : {};
}
