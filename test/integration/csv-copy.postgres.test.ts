import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCopiedCsv, writeCsv } from '../../server/csv/csv-response.js';
import { loadLabels } from '../../server/kpi/labels.js';
import type { FactKind } from '../../server/db/schema.js';
import { copiedRecords, recordRows, recordsHeader } from '../../server/records/records.csv.js';
import type { CsvRequest } from '../../server/csv/csv-request.js';
import type { KpiFilters } from '../../server/kpi/compile.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertFacts, randomFacts, UNIVERSITIES } from '../helpers/facts.js';

class Collect extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const KINDS: FactKind[] = ['tech_transfer', 'incubation', 'talent', 'credit'];
const RAW: CsvRequest = { file: 'csv', bom: true, lang: 'en', formatted: false };

// PostgreSQL renders large raw exports itself (COPY … TO STDOUT). That path must give the same
// bytes as the general one (csv-stringify over a cursor), which PGlite and formatted exports use.
describe('records exported by COPY equal those written by csv-stringify (postgres)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await insertFacts(database.db, randomFacts(7, 300));
  });
  afterAll(async () => {
    await database.close();
  });

  const both = async (kind: FactKind, filters: KpiFilters, q: string | undefined, options = RAW) => {
    const header = recordsHeader(kind, options);
    const general = new Collect();
    const generalRows = await writeCsv(
      general,
      { bom: options.bom, header },
      recordRows(database.bulk, kind, filters, { q }, options, await loadLabels(database.db, options.lang)),
    );
    const copied = new Collect();
    const body = copiedRecords(database.bulk, database.copyOut, kind, filters, { q }, options);
    if (!body) throw new Error('the COPY path did not apply');
    const copiedRows = await writeCopiedCsv(copied, { bom: options.bom, header }, body);
    return { general: general.text, generalRows, copied: copied.text, copiedRows };
  };

  it('when every kind is exported whole, in English and in Chinese, then both paths give the same bytes and row counts', async () => {
    for (const kind of KINDS) {
      for (const options of [RAW, { ...RAW, lang: 'zh' as const, bom: false }]) {
        const { general, generalRows, copied, copiedRows } = await both(kind, {}, undefined, options);
        expect(generalRows).toBe(300);
        expect(copiedRows).toBe(generalRows);
        expect(copied).toBe(general);
      }
    }
  });

  it('when the text is hostile (quotes, CR/LF, formula characters, $1, apostrophes) and filters and search apply, then the bytes still agree', async () => {
    const special = fc.constantFrom(
      ',',
      '"',
      '\r\n',
      '\n',
      '\r',
      '=',
      '+',
      '-',
      '@',
      "'",
      "''",
      '\t',
      '$1',
      '%',
      '_',
      '\\',
      '上海',
      '😀',
      ' ',
    );
    const text = fc
      .array(fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 8 })
      .map((parts) => parts.join(''))
      .filter((s) => s.trim().length > 0 && ![...s].some((c) => c.charCodeAt(0) < 0x20 && !'\t\r\n'.includes(c)));
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 10 }),
        fc.subarray([...UNIVERSITIES]),
        fc.option(fc.constantFrom("'", '$1', '%', '"', '=', '\n'), { nil: undefined }),
        async (names, universities, q) => {
          round++;
          const rows = names.map((partner, i) => ({
            ...randomFacts(round, 1).tech_transfer[0]!,
            ref: `H${round}-${i}`,
            partner_name: partner,
          }));
          await insertFacts(database.db, {
            tech_transfer: rows,
            payment: [],
            incubation: [],
            talent: [],
            credit: [],
            capacity: [],
          });
          const filters: KpiFilters = {
            ...(universities.length > 0 ? { university: universities } : {}),
            from: '2019-10-01',
          };
          const { general, generalRows, copied, copiedRows } = await both('tech_transfer', filters, q);
          expect(copiedRows).toBe(generalRows);
          expect(copied).toBe(general);
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it('when the export is formatted, then the COPY path does not apply (labels and display units are ours)', () => {
    expect(copiedRecords(database.bulk, database.copyOut, 'credit', {}, {}, { ...RAW, formatted: true })).toBeNull();
  });

  it('when the reader stops early, then the COPY ends and its connection is not handed out again', async () => {
    for (let i = 0; i < 4; i++) {
      const body = copiedRecords(database.bulk, database.copyOut, 'tech_transfer', {}, {}, RAW)!;
      for await (const _ of body) break;
    }
    // Two bulk connections: had a half-read COPY been returned to the pool, this would fail.
    const { rows } = await database.bulk
      .selectFrom('tech_transfer')
      .select((e) => e.fn.countAll().as('n'))
      .execute()
      .then((r) => ({ rows: r }));
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(300);
  });
});
