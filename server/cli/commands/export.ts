import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type CsvProjection, FILE_FORMATS, writeProjection } from '../../csv/csv-projection.js';
import { auditExportBy } from '../../csv/export-audit.js';
import { loadLabels } from '../../kpi/labels.js';
import { aggregateProjection } from '../../kpi/kpi.csv.js';
import { recordsProjection } from '../../records/records.csv.js';
import { AggregateQuerySchema } from '../../kpi/kpi.schemas.js';
import { aggregate } from '../../kpi/kpi.service.js';
import { assertKnownCodes, loadReferences } from '../../kpi/references.js';
import { RECORDS_QUERY_SCHEMAS } from '../../records/records.schemas.js';
import { CLI_ACTOR, checkedUsage, type Command, KIND, openForWriting, UsageError } from '../command.js';

export const exportCommand: Command = async (database, args, io) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      measures: { type: 'string' },
      by: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      university: { type: 'string' },
      region: { type: 'string' },
      lang: { type: 'string' },
      formatted: { type: 'boolean', default: false },
      'no-bom': { type: 'boolean', default: false },
      format: { type: 'string', default: 'csv' },
    },
    allowPositionals: true,
    strict: true,
  });
  const query: Record<string, string> = {};
  for (const key of ['from', 'to', 'university', 'region', 'lang'] as const)
    if (values[key] !== undefined) query[key] = values[key]!;
  if (values.formatted) query.formatted = 'true';
  if (values['no-bom']) query.bom = 'false';
  const format = checkedUsage(z.enum(FILE_FORMATS), values.format, '--format');
  query.format = format;
  // A workbook is a file (a zip archive), not a stream of lines for a terminal or a pipe.
  if (format === 'xlsx' && !values.out) throw new UsageError('export --format xlsx needs --out FILE.xlsx');
  const { db } = database;
  const out = values.out ? await openForWriting(values.out) : io.stdout;
  let projection: CsvProjection;
  if (values.measures) {
    if (positionals.length > 0) throw new UsageError('export takes a kind or --measures, not both');
    const request = checkedUsage(
      AggregateQuerySchema,
      { ...query, measures: values.measures, ...(values.by ? { by: values.by } : {}) },
      'the export',
    );
    const result = await aggregate(db, request);
    projection = aggregateProjection(result.rows, request, await loadLabels(db, request.output.lang));
  } else {
    if (positionals.length !== 1) throw new UsageError('export needs a kind or --measures');
    const kind = checkedUsage(KIND, positionals[0], 'the kind');
    const request = checkedUsage(RECORDS_QUERY_SCHEMAS[kind], query, 'the export');
    assertKnownCodes(request.filters, await loadReferences(db));
    const labels = await loadLabels(db, request.output.lang);
    projection = recordsProjection(db, database.copyOut, kind, request.filters, request, labels);
  }
  // Standard output stays open: it is not the export's to end.
  const count = await writeProjection(out, projection, format, { end: out !== io.stdout });
  await auditExportBy(db, CLI_ACTOR, projection.subject, args.join(' '), count);
  if (values.out) io.stderr.write(`wrote ${count} rows to ${values.out}\n`);
  return 0;
};
