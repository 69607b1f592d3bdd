import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { AuditQuerySchema } from '../../contract/schemas/audit.js';
import { errorHandler } from '../../server/http/error-handler.js';
import { parseQueryString } from '../../server/http/query-string.js';
import { unrepresentableText } from '../../server/http/text.js';
import { AggregateQuerySchema, CollaborationQuerySchema, SummaryQuerySchema } from '../../server/kpi/kpi.schemas.js';
import { createLogger } from '../../server/logger.js';
import { RECORDS_QUERY_SCHEMAS } from '../../server/records/records.schemas.js';
import { loadConfig } from '../../server/config.js';

const FILTERS = [
  'university',
  'region',
  'partner_university',
  'partner_region',
  'field',
  'mode',
  'mode_group',
  'value_band',
  'stage',
  'level',
];
const list = (length: number) => 'year,'.repeat(Math.ceil(length / 5)).slice(0, length);

describe('list parameters stop at their first failed check', () => {
  const cases: Array<
    [
      string,
      { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } } },
      Record<string, string>,
      string[],
    ]
  > = [
    ['aggregate', AggregateQuerySchema, { measures: 'tech_transfer.contracts' }, ['measures', 'by', ...FILTERS]],
    ['summary', SummaryQuerySchema, {}, ['measures', ...FILTERS]],
    ['collaboration', CollaborationQuerySchema, { measure: 'credits.credits' }, FILTERS],
    ['records', RECORDS_QUERY_SCHEMAS.tech_transfer, {}, FILTERS],
    ['audit', AuditQuerySchema, {}, ['action']],
  ];
  for (const [name, schema, rest, parameters] of cases) {
    it(`when a list of ${name} is 5,000 or 100,000 characters, then the parse names it and throws nothing`, () => {
      for (const parameter of parameters) {
        for (const length of [5_000, 100_000]) {
          const result = schema.safeParse({ ...rest, [parameter]: list(length) });
          expect(result.success, `${parameter} ${length}`).toBe(false);
          expect(
            result.error!.issues.map((i) => i.path.join('.')),
            `${parameter} ${length}`,
          ).toContain(parameter);
        }
      }
    });
  }
});

describe('text no database can store', () => {
  it('when a string anywhere holds a lone surrogate or NUL, then its path is named; a surrogate pair is fine', () => {
    expect(unrepresentableText({ a: 'ok', b: ['x', { c: 'y\ud800' }] }, 'body')?.path).toBe('body.b.1.c');
    expect(unrepresentableText({ a: '\udc00' }, 'query')?.path).toBe('query.a');
    expect(unrepresentableText({ a: 'x\0y' }, 'body')?.path).toBe('body.a');
    expect(unrepresentableText({ 'k\ud800': 1 }, 'body')?.path).toBe('body');
    expect(unrepresentableText({ a: '上海 \ud83d\ude00', n: 1, z: null }, 'body')).toBeUndefined();
  });

  it('when a query string has an escape that is not UTF-8, then it is read as text the edge refuses, not as U+FFFD', () => {
    const query = parseQueryString('q=%ED%A0%80&r=%FF&s=100%&t=a+b%20c&t=%E4%B8%8A');
    expect(unrepresentableText(query, 'query')).toBeDefined();
    expect(query.s).toBe('100%');
    expect(query.t).toEqual(['a b c', '上']);
    expect(unrepresentableText(parseQueryString('q=%ED%A0%80'), 'query')?.path).toBe('query.q');
  });
});

describe('a value the database refuses', () => {
  it('when the database refuses a value, then the answer is a 400 naming the column where known, without its code', async () => {
    const app = express();
    app.get('/json', () => {
      throw Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' });
    });
    app.get('/column', () => {
      throw Object.assign(new Error('null value in column "name"'), { code: '23502', column: 'name' });
    });
    app.use(errorHandler(createLogger(loadConfig({ LOG_LEVEL: 'silent' }))));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const json = await fetch(`${base}/json`);
      expect(json.status).toBe(400);
      const jsonText = await json.text();
      expect(jsonText).not.toMatch(/22P02|invalid input syntax/);
      const column = await fetch(`${base}/column`);
      expect(column.status).toBe(400);
      const problem = (await column.json()) as { errors: Array<{ path: string }> };
      expect(problem.errors.map((e) => e.path)).toEqual(['name']);
      expect(JSON.stringify(problem)).not.toContain('23502');
    } finally {
      server.close();
    }
  });
});
