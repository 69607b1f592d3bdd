import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { writeProjection, writeWorkbook } from '../../csv/csv-projection.js';
import { auditExportBy } from '../../csv/export-audit.js';
import type { AppUserRow } from '../../db/schema.js';
import { today } from '../../lib/dates.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { REPORT_TABLES, type ReportTable, reportCsv, reportCsvFileName } from '../../report/report-csv.js';
import { parsePeriod } from '../../report/report-period.js';
import { ChromiumMissing, renderReportPdf } from '../../report/report-pdf.js';
import { reportWorkbook } from '../../report/report-workbook.js';
import { liveReport, readSubmission } from '../../report/report-submissions.js';
import type { ReportDocument } from '../../report/report.types.js';
import { findUserByEmail, listUsers } from '../../users/users.service.js';
import { CLI_ACTOR, checkedUsage, type Command, openForWriting, Refused, UsageError } from '../command.js';

const REPORT_READERS = ['admin', 'leadership', 'commission'] as const;

export const reportCommand: Command = async (database, args, io) => {
  const { values } = parseArgs({
    args,
    options: {
      period: { type: 'string' },
      lang: { type: 'string', default: 'zh' },
      format: { type: 'string', default: 'pdf' },
      table: { type: 'string' },
      out: { type: 'string' },
      submission: { type: 'string' },
      as: { type: 'string' },
      'no-bom': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.period) throw new UsageError('report needs --period (2024, 2024-H1 or 2024-Q3)');
  const period = parsePeriod(values.period);
  if (!period) throw new UsageError(`--period ${values.period} is not a period: write 2024, 2024-H1 or 2024-Q3`);
  const lang = checkedUsage(z.enum(['zh', 'en']), values.lang, '--lang');
  const format = checkedUsage(z.enum(['pdf', 'csv', 'xlsx', 'json']), values.format, '--format');
  const submission = values.submission === undefined ? undefined : Number(values.submission);
  if (submission !== undefined && !(Number.isInteger(submission) && submission > 0))
    throw new UsageError('--submission must be a submission number');
  const { db } = database;
  const audit = (what: string, rows: number) => auditExportBy(db, CLI_ACTOR, `report/${what}`, args.join(' '), rows);

  if (format === 'pdf') {
    if (!values.out) throw new UsageError('report --format pdf needs --out FILE.pdf');
    const out = await openForWriting(values.out);
    let user: AppUserRow | undefined;
    if (values.as) {
      user = await findUserByEmail(db, values.as);
      if (!user || user.disabled) throw new Refused(`there is no active user ${values.as}`);
    } else {
      const readers = (await listUsers(db)).filter((u) => !u.disabled && (REPORT_READERS as readonly string[]).includes(u.role));
      const id = REPORT_READERS.map((role) => readers.find((u) => u.role === role)).find(Boolean)?.id;
      user = id === undefined ? undefined : await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
      if (!user) throw new Refused('there is no account to read the report as: add one with `user add`, or name one with --as');
    }
    if (period.from > today()) throw new Refused(`the period ${period.key} has not begun`);
    let result: { pdf: Buffer; pages: number };
    try {
      result = await renderReportPdf({
        db,
        user,
        period: period.key,
        lang,
        submission,
      });
    } catch (error) {
      if (error instanceof ChromiumMissing) throw new Refused(error.message);
      throw error;
    }
    await new Promise<void>((resolve, reject) =>
      out.end(result.pdf, (error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await audit('pdf', result.pages);
    io.stderr.write(
      `wrote ${values.out}: ${result.pages} pages, ${period.key} in ${lang === 'zh' ? 'Chinese' : 'English'}, read as ${user.email}\n`,
    );
    return 0;
  }

  const stored = submission ? await readSubmission(db, submission) : null;
  const live = stored ? null : await liveReport(db, period);
  const document: ReportDocument = stored ? (JSON.parse(stored.canonical) as ReportDocument) : live!.document;
  if (submission && document.period.key !== period.key)
    throw new Refused(`submission ${submission} is the report of ${document.period.key}, not ${period.key}`);
  if (format === 'xlsx') {
    if (!values.out) throw new UsageError('report --format xlsx needs --out FILE.xlsx');
    if (values.table) throw new UsageError('report --format xlsx writes every table: leave out --table');
    const workbook = reportWorkbook(document, stored ? stored.submission.sha256 : live!.sha256, lang, submission);
    const rows = await writeWorkbook(await openForWriting(values.out), workbook);
    await auditExportBy(db, CLI_ACTOR, workbook.subject, args.join(' '), rows);
    io.stderr.write(`wrote ${values.out}: ${workbook.sheets.length} sheets, ${rows} rows\n`);
    return 0;
  }
  if (format === 'json') {
    const text = stored ? stored.canonical : canonicalJson(document);
    const out = values.out ? await openForWriting(values.out) : io.stdout;
    out.write(`${text}\n`);
    if (values.out) await new Promise<void>((resolve) => out.end(resolve));
    await audit('json', 1);
    return 0;
  }
  // A submission made before the national block has no such table: every other one is written.
  const tables = values.table
    ? [checkedUsage(z.enum(REPORT_TABLES), values.table, '--table')]
    : REPORT_TABLES.filter((t) => t !== 'national' || document.national !== undefined);
  /** A table of the report as CSV: the projection the API's `format=csv&table=…` sends. */
  const tableProjection = (name: ReportTable) => {
    const table = reportCsv(document, name, lang);
    return {
      fileName: reportCsvFileName(document.period.key, name, lang, submission),
      bom: !values['no-bom'],
      header: table.header,
      rows: [table.rows],
      subject: `report/${name}`,
    };
  };
  let rows = 0;
  if (values.table) {
    const out = values.out ? await openForWriting(values.out) : io.stdout;
    rows += await writeProjection(out, tableProjection(tables[0]!), 'csv', { end: out !== io.stdout });
  } else {
    if (!values.out) throw new UsageError('report --format csv without --table needs --out DIRECTORY (one file per table)');
    await mkdir(values.out, { recursive: true });
    for (const name of tables) {
      const projection = tableProjection(name);
      rows += await writeProjection(await openForWriting(join(values.out, projection.fileName.name)), projection);
    }
  }
  await audit('csv', rows);
  if (values.out) io.stderr.write(`wrote ${tables.length} table(s), ${rows} rows, to ${values.out}\n`);
  return 0;
};
