import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { route } from '../http/route.js';
import { AggregateQuerySchema, CollaborationQuerySchema, SummaryQuerySchema } from './kpi.schemas.js';
import { aggregate, collaboration, summary } from './kpi.service.js';

const Span = z.object({ from: z.string(), to: z.string() });

export function kpiRoutes(db: Kysely<Database>) {
  return [
    route({
      method: 'get',
      path: '/aggregate',
      access: 'signed_in',
      cached: true,
      summary:
        'Measures grouped by up to three dimensions, filtered; rows sorted by the dimensions. Missing combinations are absent unless fill=true.',
      query: AggregateQuerySchema,
      response: z.object({
        measures: z.array(z.string()),
        by: z.array(z.string()),
        rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
      }),
      handle: ({ query }) => aggregate(db, query),
    }),
    route({
      method: 'get',
      path: '/summary',
      access: 'signed_in',
      cached: true,
      summary:
        'Per measure: the value for the period (default: this year to date), the previous period of the same length, the same period a year before (also over the matched panel), the year’s target and progress.',
      query: SummaryQuerySchema,
      response: z.object({
        period: Span,
        previousPeriod: Span,
        yearAgoPeriod: Span,
        yearToDate: Span,
        measures: z.array(z.record(z.string(), z.unknown())),
      }),
      handle: ({ query }) => summary(db, query),
    }),
    route({
      method: 'get',
      path: '/collaboration',
      access: 'signed_in',
      cached: true,
      summary: 'The university × partner university matrix of one measure: matrix[i][j] is university i with partner j.',
      query: CollaborationQuerySchema,
      response: z.object({
        measure: z.string(),
        universities: z.array(z.string()),
        partners: z.array(z.string()),
        matrix: z.array(z.array(z.number())),
        withoutPartner: z.array(z.number()),
        totals: z.array(z.number()),
      }),
      handle: ({ query }) => collaboration(db, query),
    }),
  ];
}
