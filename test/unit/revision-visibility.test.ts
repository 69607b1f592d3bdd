import { describe, expect, it } from 'vitest';
import { type RevisionAudit, RevisionFiguresSchema, revisionFor } from '../../server/report/report-revisions.js';

/** The shape of a revision each viewer gets (server/report/report-revisions.ts). */
const revision = (overrides: Partial<RevisionAudit>): RevisionAudit => ({
  visibility: 'audit',
  auditId: 7,
  at: '2024-06-01T00:00:00.000Z',
  user: 'editor@test.example',
  action: 'update',
  subject: 'tech_transfer:USST/REF-1',
  kind: 'tech_transfer',
  universities: ['USST'],
  itemized: true,
  before: { partner_name: 'Secret Ltd' },
  after: { partner_name: 'Secret Ltd' },
  detail: null,
  figures: [{ span: 'period', measure: 'tech_transfer.contract_value', university: 'USST', delta: 5, records: 0 }],
  target: null,
  import: null,
  ...overrides,
});

const steward = (university: string) => ({ role: 'steward' as const, university });

describe('who sees a revision’s audit entry', () => {
  it('when admin or leadership ask, then they get it whole', () => {
    for (const role of ['admin', 'leadership'] as const)
      expect(revisionFor(revision({}), { role, university: null })).toEqual(revision({}));
  });

  it('when a steward asks of its own university’s record, then it gets it whole; of another’s, the figures only', () => {
    expect(revisionFor(revision({}), steward('USST')).visibility).toBe('audit');
    expect(revisionFor(revision({}), steward('NJTECH')).visibility).toBe('figures');
  });

  it('when a record moved between two universities, then neither steward gets the entry (each would see the other’s record)', () => {
    const moved = revision({ universities: ['USST', 'NJTECH'] });
    expect(revisionFor(moved, steward('USST')).visibility).toBe('figures');
    expect(revisionFor(moved, steward('NJTECH')).visibility).toBe('figures');
  });

  it('when the change is an import or a target, then a steward gets the figures only', () => {
    const imported = revision({
      action: 'import',
      subject: 'import:credit',
      universities: [],
      itemized: false,
      detail: { file: 'x.csv' },
    });
    expect(revisionFor(imported, steward('USST')).visibility).toBe('figures');
    const target = revision({
      action: 'target_change',
      kind: null,
      universities: [],
      subject: 'target:talent.trainees/2024/USST',
    });
    expect(revisionFor(target, steward('USST')).visibility).toBe('figures');
  });

  it('when the commission asks, then it gets exactly the figures shape, whatever the entry holds', () => {
    const shown = revisionFor(revision({}), { role: 'commission', university: null });
    expect(RevisionFiguresSchema.parse(shown)).toEqual(shown);
    expect(JSON.stringify(shown)).not.toMatch(/Secret|editor@|REF-1|auditId/);
  });
});
