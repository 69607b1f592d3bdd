import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { requestReader } from '../db/versioned.js';
import type { CsvDownloads } from '../csv/csv-download.js';
import { loadLabels } from './labels.js';
import {
  aggregateProjection,
  exportFileName,
  measureCell,
  measuresFileName,
  statusCell,
  statusHeader,
  summaryHeader,
  summaryRows,
} from './kpi.csv.js';
import { unitLabel, withUnit } from './labels.js';
import { endpoints, route } from '../http/route.js';
import { AggregateQuerySchema, CollaborationQuerySchema, SummaryQuerySchema } from './kpi.schemas.js';
import { aggregate, collaboration, summary, summaryPeriod } from './kpi.service.js';
import { MEASURES } from './registry.js';

/** The CSV forms are computed in memory first (a bounded result); `downloads` spools and sends them as every export. */
export function kpiRoutes(db: Kysely<Database>, downloads: CsvDownloads) {
  return [
    route(endpoints.aggregate, {
      access: 'signed_in',
      cached: true,
      downloads: true,
      summary:
        'Measures grouped by up to three dimensions, filtered; rows sorted by the dimensions. Missing combinations are absent unless fill=true.',
      query: AggregateQuerySchema,
      async handle({ req, res, query, caller }) {
        const result = await aggregate(requestReader(db), query);
        if (!query.output.file) return result;
        const labels = await loadLabels(db, query.output.lang);
        await downloads.export(req, res, caller, aggregateProjection(result.rows, query, labels), query.output.file);
      },
    }),
    route(endpoints.summary, {
      access: 'signed_in',
      cached: true,
      downloads: true,
      summary:
        'Per measure: the value for the period (default: this year to date), the previous period of the same length, the same period a year before (also over the matched panel), the year’s target and progress.',
      query: SummaryQuerySchema,
      async handle({ req, res, query, caller }) {
        const result = await summary(requestReader(db), query);
        if (!query.output.file) return result;
        const period = summaryPeriod(query.filters);
        await downloads.export(
          req,
          res,
          caller,
          {
            fileName: exportFileName({ what: { en: 'summary', zh: '指标汇总' }, filters: period, lang: query.output.lang }),
            bom: query.output.bom,
            header: summaryHeader(query.output),
            rows: [summaryRows(result, query.output)],
            subject: 'summary',
          },
          query.output.file,
        );
      },
    }),
    route(endpoints.collaboration, {
      access: 'signed_in',
      cached: true,
      downloads: true,
      summary: 'The university × partner university matrix of one measure: matrix[i][j] is university i with partner j.',
      query: CollaborationQuerySchema,
      async handle({ req, res, query, caller }) {
        const result = await collaboration(requestReader(db), query);
        if (!query.output.file) return result;
        const { lang, formatted } = query.output;
        const labels = await loadLabels(db, lang);
        const name = (code: string) => (formatted ? labels.name('university', code) : code);
        const label = (zh: string, en: string, raw: string) => (lang === 'zh' ? zh : formatted ? en : raw);
        const unit = unitLabel(MEASURES[query.measure].unit, lang, formatted);
        const header = [
          withUnit(label('高校＼合作高校', 'University \\ partner', 'university \\ partner'), formatted ? unit : '', lang),
          ...result.partners.map(name),
          label('无合作高校', 'Without a partner university', 'without_partner'),
          label('合计', 'Total', 'total'),
          statusHeader(query.output),
        ];
        const cell = (v: number) => measureCell(query.measure, v, query.output);
        const rows = result.universities.map((u, i) => [
          name(u),
          ...result.matrix[i]!.map(cell),
          cell(result.withoutPartner[i]!),
          cell(result.totals[i]!),
          statusCell(result.statuses[i]!, query.output),
        ]);
        await downloads.export(
          req,
          res,
          caller,
          {
            fileName: measuresFileName([query.measure], ['university', 'partner_university'], query.filters, lang),
            bom: query.output.bom,
            header,
            rows: [rows],
            subject: 'collaboration',
          },
          query.output.file,
        );
      },
    }),
  ];
}
