import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MEASURE_LIST } from '../../server/kpi/registry.js';
import { withRegistryDocs } from '../../server/kpi/registry-docs.js';
import { formatLimit, INPUT_COLUMNS, MAX_MONEY_CNY } from '../../contract/record-columns.js';
import { recordJsonSchema } from '../../server/records/record-columns.js';
import { issueDetail } from '../../server/lib/problems.js';
import { RECORD_SCHEMAS } from '../../server/records/record-schemas.js';
import { type RevisionAudit, revisionFor, type Viewer } from '../../server/report/report-revisions.js';

describe('the API documentation', () => {
  const text = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

  it('when the registry changes, then docs/api.md holds the tables it generates (`npm run docs:api`)', () => {
    expect(text).toBe(withRegistryDocs(text));
  });

  it('when the registry changes, then docs/api.md lists every measure with its unit, temporality and date', () => {
    for (const measure of MEASURE_LIST) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${measure.id}\` |`));
      expect(row, `docs/api.md has no row for ${measure.id}`).toBeDefined();
      expect(row).toContain(`| ${measure.unit} | ${measure.temporality} | \`${measure.dateColumn}\` |`);
    }
  });
});

const DOCUMENTS = [
  'README.md',
  'docs/api.md',
  'docs/architecture.md',
  'docs/operations.md',
  'docs/reliability.md',
  'docs/csv.md',
];
const readDocument = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** A document's clauses, with its lines joined: split at the end of a sentence, a semicolon and a blank line. */
const clauses = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replaceAll('\n', ' '))
    .flatMap((paragraph) => paragraph.split(/(?<=\.)\s+(?=[A-Z*`(])|;/));

describe('the largest amount, as the documents state it', () => {
  const example = Object.fromEntries(INPUT_COLUMNS.tech_transfer.map((c) => [c.name, c.example]));
  const problemsOf = (amount: number) =>
    (RECORD_SCHEMAS.tech_transfer.safeParse({ ...example, contract_value_cny: amount }).error?.issues ?? []).map(
      (issue) => `${issue.path.join('.')}: ${issueDetail({}, issue.message).message}`,
    );

  it('when a record holds the largest amount, then it passes; a fen more is refused with the limit in the message', () => {
    expect(problemsOf(MAX_MONEY_CNY)).toEqual([]);
    expect(problemsOf(MAX_MONEY_CNY + 0.01)).toEqual(['contract_value_cny: must be at most 10,000,000,000,000']);
    expect(formatLimit(MAX_MONEY_CNY)).toBe('10,000,000,000,000');
  });

  it('when a document speaks of trillions of yuan, then it is the record limit, or the 2^53-fen bound of exact sums', () => {
    const exactBound = Math.floor(2 ** 53 / 100 / 1e12);
    const wrong: string[] = [];
    for (const path of DOCUMENTS) {
      for (const clause of clauses(readDocument(path))) {
        for (const match of clause.matchAll(/(\d+) trillion/g)) {
          const expected = clause.includes('2^53') ? exactBound : MAX_MONEY_CNY / 1e12;
          if (Number(match[1]) !== expected) wrong.push(`${path}: "${clause.trim()}" says ${match[1]}, not ${expected}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when docs/api.md, docs/csv.md and the API document state the limit, then it is the one constant', () => {
    expect(readDocument('docs/api.md')).toContain(`at most\n${formatLimit(MAX_MONEY_CNY)} yuan`);
    const moneyRows = readDocument('docs/csv.md')
      .split('\n')
      .filter((line) => line.includes('yuan, ≤ 2 decimals'));
    expect(moneyRows.length).toBeGreaterThan(0);
    for (const row of moneyRows) expect(row).toContain(`≤ ${formatLimit(MAX_MONEY_CNY)} |`);
    const properties = recordJsonSchema('tech_transfer', false).properties as Record<string, { maximum?: number }>;
    expect(properties.contract_value_cny?.maximum).toBe(MAX_MONEY_CNY);
  });
});

describe('who reads who changed a record, as the documents state it', () => {
  const change: RevisionAudit = {
    visibility: 'audit',
    auditId: 1,
    at: '2024-06-01T00:00:00.000Z',
    user: 'editor@test.example',
    action: 'update',
    subject: 'tech_transfer:USST/REF-1',
    kind: 'tech_transfer',
    universities: ['USST'],
    itemized: true,
    before: null,
    after: null,
    detail: null,
    figures: [],
    target: null,
    import: null,
  };
  const editorFor = (viewer: Viewer) => {
    const seen = revisionFor(change, viewer);
    return seen.visibility === 'audit' ? seen.user : null;
  };

  it('when a steward reads its own university’s change, then it gets the editor’s e-mail, and the documents say so', () => {
    expect(editorFor({ role: 'steward', university: 'USST' })).toBe('editor@test.example');
    expect(editorFor({ role: 'steward', university: 'NJTECH' })).toBeNull();
    expect(editorFor({ role: 'commission', university: null })).toBeNull();

    // No document may say that only admin and leadership read who changed what.
    const denials = DOCUMENTS.flatMap((path) =>
      clauses(readDocument(path))
        .filter((clause) => /(nobody but|only) admin and leadership[^.]*who changed/i.test(clause))
        .map((clause) => `${path}: ${clause.trim()}`),
    );
    expect(denials).toEqual([]);
    const auditRow = readDocument('docs/api.md')
      .split('\n')
      .find((line) => line.startsWith('| `audit` |'));
    expect(auditRow).toContain('`user` (the editor');
    expect(auditRow).toContain('a steward, for changes to its own university');
  });
});
