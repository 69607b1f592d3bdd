import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import type { MeasureId } from '../../contract/measure-ids.js';
import type { Database } from '../../server/db/schema.js';
import type { Caller } from '../../server/http/route.js';
import { type AggregateQuery, type DataRange, runAggregate, setRollupsEnabled } from '../../server/kpi/compile.js';
import { NATIONAL_MEASURES, NATIONAL_MODE_MEASURES } from '../../server/report/national-block.js';
import { type ListRequest, listRecords } from '../../server/records/records.service.js';

/**
 * The SQL a reviewer can see: the statements the KPI compiler (server/kpi/compile.ts over the
 * registry) and the records list send for a catalogue of representative requests, one file per
 * family under docs/sql/. `npm run sql:snapshots` writes them; test/unit/sql-snapshots.test.ts
 * fails when the compiler's SQL changes and they were not written again.
 *
 * No database: the real service functions run against Kysely on PostgreSQL's dialect whose driver
 * records each compiled statement and answers no rows. Nothing reads the clock: every request
 * names its period and the data's range is fixed.
 */

export const SNAPSHOT_DIR = 'docs/sql';
export const SNAPSHOT_COMMAND = 'npm run sql:snapshots';

/** The data's first and last days, as `readDataRange` would find them in a database. */
const RANGE: DataRange = { first: '2019-10-25', last: '2025-06-30' };

const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31' };
const Q2_2024 = { from: '2024-04-01', to: '2024-06-30' };

/** One request of the catalogue and how it reaches the database. */
interface Entry {
  /** What a person asked for, in words. */
  title: string;
  /** The API request that runs it. */
  request: string;
  run(db: Kysely<Database>): Promise<unknown>;
  /** The facts alone, as with the rollups switched off (`setRollupsEnabled(false)`). */
  withoutRollups?: true;
}

interface Family {
  file: string;
  about: string;
  entries: Entry[];
}

/** `GET /api/v1/aggregate?…` as the client writes it for a query. */
function aggregateUrl(query: AggregateQuery, route = 'aggregate'): string {
  const params = new URLSearchParams();
  params.set('measures', query.measures.join(','));
  if (query.by.length > 0) params.set('by', query.by.join(','));
  for (const [name, value] of Object.entries(query.filters)) {
    if (value === undefined) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  if (query.fill) params.set('fill', 'true');
  return `GET /api/v1/${route}?${decodeURIComponent(params.toString())}`;
}

function aggregate(title: string, query: AggregateQuery, options: { withoutRollups?: true; request?: string } = {}): Entry {
  return {
    title,
    request: options.request ?? aggregateUrl(query),
    run: (db) => runAggregate(db, query, RANGE),
    ...(options.withoutRollups ? { withoutRollups: true as const } : {}),
  };
}

const ADMIN: Caller = { id: 1, email: 'admin@alliance.example', name: 'Admin', role: 'admin', university: null };
const STEWARD: Caller = { id: 2, email: 'steward@usst.example', name: 'Steward', role: 'steward', university: 'USST' };

function drillDown(
  title: string,
  kind: 'tech_transfer' | 'incubation' | 'capacity',
  request: ListRequest,
  caller: Caller,
): Entry {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.filters)) if (value !== undefined) params.set(name, String(value));
  if (request.measure) params.set('measure', request.measure);
  if (request.q) params.set('q', request.q);
  params.set('sort', `${request.sort.descending ? '-' : ''}${request.sort.column}`);
  params.set('page', String(request.page));
  params.set('pageSize', String(request.pageSize));
  return {
    title: `${title} (as ${caller.role}${caller.university ? ` of ${caller.university}` : ''})`,
    request: `GET /api/v1/records/${kind}?${decodeURIComponent(params.toString())}`,
    run: (db) => listRecords(db, kind, request, caller),
  };
}

const measureGroup = (measures: MeasureId[]): Entry[] => [
  aggregate('the year, ungrouped', { measures, by: [], filters: YEAR_2024 }),
  aggregate('the year by university', { measures, by: ['university'], filters: YEAR_2024 }),
  aggregate('by quarter, every period filled', { measures, by: ['quarter'], filters: YEAR_2024, fill: true }),
];

export const CATALOGUE: readonly Family[] = [
  {
    file: 'tech-transfer.sql',
    about: 'Technology-transfer contracts and the cash received on them (payments)',
    entries: measureGroup([
      'tech_transfer.contracts',
      'tech_transfer.contract_value',
      'tech_transfer.received',
      'tech_transfer.reward_cash',
    ]),
  },
  {
    file: 'incubation.sql',
    about: 'Incubation: projects entered and graduated, funding and jobs',
    entries: measureGroup(['incubation.entered', 'incubation.graduated', 'incubation.funding', 'incubation.jobs']),
  },
  {
    file: 'talent.sql',
    about: 'Joint training: trainees enrolled and graduates',
    entries: measureGroup(['talent.trainees', 'talent.graduates']),
  },
  {
    file: 'credits.sql',
    about: 'Mutually recognised credits',
    entries: measureGroup(['credits.credits', 'credits.students']),
  },
  {
    file: 'dimensions.sql',
    about: 'Each kind of dimension, and filters',
    entries: [
      aggregate('contract value by province', {
        measures: ['tech_transfer.contract_value'],
        by: ['region'],
        filters: YEAR_2024,
      }),
      aggregate('contracts by year and month', {
        measures: ['tech_transfer.contracts'],
        by: ['year', 'month'],
        filters: { from: '2023-01-01', to: '2024-12-31' },
      }),
      aggregate('contracts by mode and value band', {
        measures: ['tech_transfer.contracts'],
        by: ['mode', 'value_band'],
        filters: YEAR_2024,
      }),
      aggregate('contract value by mode group and partner province', {
        measures: ['tech_transfer.contract_value'],
        by: ['mode_group', 'partner_region'],
        filters: YEAR_2024,
      }),
      aggregate('projects entered by field and stage', {
        measures: ['incubation.entered'],
        by: ['field', 'stage'],
        filters: YEAR_2024,
      }),
      aggregate('trainees by level', { measures: ['talent.trainees'], by: ['level'], filters: YEAR_2024 }),
      aggregate('contracts of two universities, one province and two modes, by university', {
        measures: ['tech_transfer.contracts', 'tech_transfer.contract_value'],
        by: ['university'],
        filters: { ...YEAR_2024, university: ['USST', 'NJTECH'], region: ['SH', 'JS'], mode: ['license', 'transfer'] },
      }),
      aggregate('cash received, filtered by its contracts’ field and value band', {
        measures: ['tech_transfer.received'],
        by: ['quarter'],
        filters: { ...YEAR_2024, field: ['OPTO'], value_band: ['10m_to_100m'] },
      }),
    ],
  },
  {
    file: 'partial-periods.sql',
    about:
      'Ranges that do not fall on period boundaries: whole periods from the rollups, the ends from the day rollups or the facts',
    entries: [
      aggregate('contracts by quarter, from mid-February to 20 November', {
        measures: ['tech_transfer.contracts', 'tech_transfer.contract_value'],
        by: ['quarter'],
        filters: { from: '2024-02-15', to: '2024-11-20' },
      }),
      aggregate('cash received by month, from the 10th to the 25th of the next month', {
        measures: ['tech_transfer.received'],
        by: ['month'],
        filters: { from: '2024-03-10', to: '2024-04-25' },
      }),
      aggregate('credits by university, one odd span', {
        measures: ['credits.credits'],
        by: ['university'],
        filters: { from: '2023-09-03', to: '2024-01-19' },
      }),
    ],
  },
  {
    file: 'stocks.sql',
    about: 'Stocks: what is held at the end of each period, not what happened in it',
    entries: [
      aggregate('transfer staff and technology managers at the end of the year, by university', {
        measures: ['capacity.staff', 'capacity.tech_managers'],
        by: ['university'],
        filters: YEAR_2024,
      }),
      aggregate('transfer offices at the end of each quarter', {
        measures: ['capacity.transfer_offices'],
        by: ['quarter'],
        filters: YEAR_2024,
      }),
      aggregate('the incubation portfolio at the end of each year, by stage', {
        measures: ['incubation.portfolio'],
        by: ['year', 'stage'],
        filters: { from: '2022-01-01', to: '2024-12-31' },
      }),
      aggregate('companies incubated, by stake, at the end of Q2', {
        measures: ['incubation.companies'],
        by: ['company_stake'],
        filters: Q2_2024,
      }),
    ],
  },
  {
    file: 'ratios.sql',
    about: 'Ratios: their numerator and denominator are summed over each group, then divided',
    entries: [
      aggregate('average contract value and collection rate by university', {
        measures: ['tech_transfer.average_value', 'tech_transfer.collection_rate'],
        by: ['university'],
        filters: YEAR_2024,
      }),
      aggregate('average contract value by mode, with the records behind it', {
        measures: ['tech_transfer.average_value'],
        by: ['mode'],
        filters: YEAR_2024,
        withRecords: true,
      }),
    ],
  },
  {
    file: 'collaboration.sql',
    about: 'The collaboration matrix: each university against each partner university',
    entries: [
      aggregate(
        'credits recognised, home university × host university',
        { measures: ['credits.credits'], by: ['university', 'partner_university'], filters: YEAR_2024 },
        { request: 'GET /api/v1/collaboration?measure=credits.credits&from=2024-01-01&to=2024-12-31' },
      ),
      aggregate(
        'joint contracts, university × co-university',
        { measures: ['tech_transfer.contracts'], by: ['university', 'partner_university'], filters: YEAR_2024 },
        { request: 'GET /api/v1/collaboration?measure=tech_transfer.contracts&from=2024-01-01&to=2024-12-31' },
      ),
    ],
  },
  {
    file: 'national-block.sql',
    about: 'The national report’s block of the commission report (server/report/national-block.ts): four answers',
    entries: (
      [
        ['by university and mode', [...NATIONAL_MODE_MEASURES], ['university', 'mode']],
        ['by university', [...NATIONAL_MEASURES], ['university']],
        ['by mode', [...NATIONAL_MODE_MEASURES], ['mode']],
        ['for the alliance', [...NATIONAL_MEASURES], []],
      ] as const
    ).map(([title, measures, by]) =>
      aggregate(
        title,
        { measures, by: [...by], filters: YEAR_2024, withRecords: true },
        { request: 'GET /api/v1/report?period=2024&lang=zh' },
      ),
    ),
  },
  {
    file: 'drill-down.sql',
    about: 'The records behind a figure: a page of them and their count',
    entries: [
      drillDown(
        'the contracts behind the year’s contract value',
        'tech_transfer',
        {
          filters: { ...YEAR_2024, mode: ['license'] },
          measure: 'tech_transfer.contract_value',
          sort: { column: 'signed_on', descending: true },
          page: 1,
          pageSize: 50,
        },
        ADMIN,
      ),
      drillDown(
        'the projects that graduated in Q2, searched by name',
        'incubation',
        {
          filters: Q2_2024,
          measure: 'incubation.graduated',
          q: 'robot_50%',
          sort: { column: 'graduated_on', descending: false },
          page: 2,
          pageSize: 25,
        },
        STEWARD,
      ),
      drillDown(
        'the capacity snapshots held at the end of the year',
        'capacity',
        {
          filters: { ...YEAR_2024, region: ['JS'] },
          measure: 'capacity.staff',
          sort: { column: 'university_code', descending: false },
          page: 1,
          pageSize: 50,
        },
        ADMIN,
      ),
    ],
  },
  {
    file: 'facts-without-rollups.sql',
    about: 'The same requests answered from the facts alone (rollups switched off): what the rollups must agree with',
    entries: [
      aggregate(
        'contracts and value by university',
        { measures: ['tech_transfer.contracts', 'tech_transfer.contract_value'], by: ['university'], filters: YEAR_2024 },
        { withoutRollups: true },
      ),
      aggregate(
        'cash received by quarter',
        { measures: ['tech_transfer.received'], by: ['quarter'], filters: YEAR_2024 },
        { withoutRollups: true },
      ),
    ],
  },
];

/** A driver that keeps the statements it is given and answers each with no rows. */
class RecordingDriver implements Driver {
  readonly statements: CompiledQuery[] = [];
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const statements = this.statements;
    return {
      async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
        statements.push(compiled);
        return { rows: [] };
      },
      // biome-ignore lint/correctness/useYield: nothing to stream; a cursor is never opened here.
      async *streamQuery() {
        throw new Error('the SQL catalogue does not stream');
      },
    };
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** The statements one entry sends, in the order it sends them. */
async function statementsOf(entry: Entry): Promise<CompiledQuery[]> {
  const driver = new RecordingDriver();
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  if (entry.withoutRollups) setRollupsEnabled(false);
  try {
    await entry.run(db);
  } finally {
    setRollupsEnabled(true);
    await db.destroy();
  }
  return driver.statements;
}

/** Clauses that start a line, outside quotes; each parenthesis level indents by two spaces. */
const LINE_STARTS = /(?:union all|from|where|group by|order by|left join|inner join|cross join|limit)\b/iy;

/** The statement with every run of white space outside quotes as one space (hand-written fragments bring their own). */
function collapse(statement: string): string {
  return statement
    .split(/('(?:[^']|'')*'|"(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\s+/g, ' ')))
    .join('')
    .trim();
}

/**
 * The compiler writes a statement on one line: this breaks it before its clauses and indents by
 * nesting, so that a change shows as a few lines of diff. Text within quotes is left whole.
 */
export function layout(statement: string): string {
  const text = collapse(statement);
  const lines: string[] = [];
  let line = '';
  let depth = 0;
  let lineDepth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      line += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      line += ch;
      continue;
    }
    LINE_STARTS.lastIndex = i + 1;
    // `extract(year from …)` is no clause.
    if (ch === ' ' && line.trim() !== '' && LINE_STARTS.test(text) && !/\bextract\(\s*\w+$/i.test(line)) {
      lines.push(`${'  '.repeat(lineDepth)}${line.trim()}`);
      line = '';
      lineDepth = depth;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    line += ch;
  }
  if (line.trim() !== '') lines.push(`${'  '.repeat(lineDepth)}${line.trim()}`);
  return lines.join('\n');
}

/** The text of each snapshot file, by file name, as the compiler writes the SQL today. */
export async function renderSnapshots(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const family of CATALOGUE) {
    const parts = [
      `-- ${family.about}.`,
      `-- Generated by \`${SNAPSHOT_COMMAND}\` from test/sql/catalogue.ts: do not edit by hand.`,
    ];
    for (const entry of family.entries) {
      const statements = await statementsOf(entry);
      if (statements.length === 0) throw new Error(`${family.file}: "${entry.title}" sent no SQL`);
      statements.forEach((compiled, index) => {
        const of = statements.length > 1 ? ` (statement ${index + 1} of ${statements.length})` : '';
        parts.push(
          '',
          `-- ${entry.title}${entry.withoutRollups ? ', rollups off' : ''}${of}`,
          `-- ${entry.request}`,
          `-- parameters: ${JSON.stringify(compiled.parameters)}`,
          `${layout(compiled.sql)};`,
        );
      });
    }
    files.set(family.file, `${parts.join('\n')}\n`);
  }
  return files;
}
