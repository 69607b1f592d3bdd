import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_DATE, DemoDataGenerator, type DemoRecord } from '../../server/demo/generator.js';
import { TARGETED_MEASURES } from '../../server/kpi/registry.js';
import { isValidIsoDate } from '../../server/lib/dates.js';

const AS_OF = '2026-06-30';

function generate(seed: number, records: number, asOf = AS_OF) {
  const generator = new DemoDataGenerator({ seed, records, asOf });
  const rows = [...generator.records()];
  return { rows, targets: generator.targets() };
}

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('the demo-data generator', () => {
  it('when run twice with the same seed and day, then it writes the same rows and targets', () => {
    const first = generate(7, 3000);
    const second = generate(7, 3000);
    expect(digest(second)).toBe(digest(first));
  });

  it('when the seed differs, then the rows differ', () => {
    expect(digest(generate(8, 500).rows)).not.toBe(digest(generate(9, 500).rows));
  });

  it('when asked for N records, then it writes exactly N, split over the four kinds, and the payments and capacity snapshots besides', () => {
    const { rows } = generate(1, 2345);
    const byKind = new Map<string, number>();
    for (const { kind } of rows) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    const { payment, capacity, ...drawn } = Object.fromEntries(byKind);
    expect(drawn).toEqual(DemoDataGenerator.split(2345));
    expect(capacity).toBeGreaterThan(0);
    // At least one payment per contract on average (equity is paid in shares).
    expect(payment).toBeGreaterThan(DemoDataGenerator.split(2345).tech_transfer);
  });

  it('when snapshots are written, then each university has one per year end that has come (and the agreement day), never falling, staff covering managers', () => {
    const { rows } = generate(5, 300, '2026-12-04');
    const byUniversity = new Map<string, Array<Record<string, any>>>();
    for (const { kind, row } of rows) {
      if (kind !== 'capacity') continue;
      byUniversity.set(row.university_code, [...(byUniversity.get(row.university_code) ?? []), row]);
    }
    expect([...byUniversity.keys()].sort()).toEqual(['AHUT', 'NJTECH', 'UJS', 'USST', 'ZJUT']);
    for (const snapshots of byUniversity.values()) {
      expect(snapshots.map((s) => s.snapshot_on)).toEqual([
        '2019-10-25',
        '2020-12-31',
        '2021-12-31',
        '2022-12-31',
        '2023-12-31',
        '2024-12-31',
        '2025-12-31',
      ]);
      for (const [i, s] of snapshots.entries()) {
        expect(s.tech_managers).toBeLessThanOrEqual(s.staff);
        if (i === 0) continue;
        for (const column of ['transfer_offices', 'staff', 'tech_managers', 'co_built'])
          expect(s[column]).toBeGreaterThanOrEqual(snapshots[i - 1]![column]);
      }
    }
  });

  it('when a project has a company, then its day and stake come together, and none lies after the as-of day', () => {
    const { rows } = generate(6, 3000, '2026-12-04');
    const incubation = rows.filter((r) => r.kind === 'incubation').map((r) => r.row as Record<string, any>);
    const withCompany = incubation.filter((r) => r.company_registered_on);
    expect(withCompany.length).toBeGreaterThan(incubation.length * 0.2);
    expect(withCompany.length).toBeLessThan(incubation.length * 0.5);
    for (const r of incubation) expect(Boolean(r.company_registered_on)).toBe(Boolean(r.company_stake));
    expect(new Set(withCompany.map((r) => r.company_stake))).toEqual(new Set(['founded', 'shareholder']));
    expect(withCompany.every((r) => r.company_registered_on <= '2026-12-04')).toBe(true);
  });

  it('when paying, then each payment follows its contract, is not before its signing, and the payments stay within its value', () => {
    const { rows } = generate(4, 8000);
    const contracts = new Map<string, { signed_on: string; value: number; mode: string; paid: number; last: string }>();
    let late = 0;
    for (const { kind, row } of rows) {
      if (kind === 'tech_transfer') {
        contracts.set(`${row.university_code}|${row.ref}`, {
          signed_on: row.signed_on,
          value: row.contract_value_cny,
          mode: row.mode,
          paid: 0,
          last: row.signed_on,
        });
      } else if (kind === 'payment') {
        const contract = contracts.get(`${row.university_code}|${row.contract_ref}`)!;
        expect(contract, 'a payment follows its contract in the stream').toBeDefined();
        expect(row.received_on >= contract.signed_on && row.received_on <= AS_OF).toBe(true);
        expect(row.amount_cny).toBeGreaterThan(0);
        expect(Math.round(row.amount_cny * 100) / 100).toBe(row.amount_cny);
        contract.paid = Math.round((contract.paid + row.amount_cny) * 100) / 100;
        expect(contract.paid).toBeLessThanOrEqual(contract.value);
        const days = (Date.parse(row.received_on) - Date.parse(contract.signed_on)) / 86_400_000;
        if (contract.mode === 'equity') expect(days).toBeLessThanOrEqual(90);
        if (days > 365 && contract.mode !== 'license') late++;
      }
    }
    // Most within a year of signing, some over three years; licences pay royalties for years.
    expect(late).toBeGreaterThan(0);
    const licences = [...contracts.values()].filter((c) => c.mode === 'license' && c.paid > 0);
    expect(licences.length).toBeGreaterThan(0);
  });

  it('when generating, then every record keeps the rules the database enforces', () => {
    const { rows } = generate(3, 6000);
    const refs = new Set<string>();
    for (const { kind, row } of rows) {
      const key = `${kind}|${row.university_code}|${row.ref}`;
      expect(refs.has(key)).toBe(false);
      refs.add(key);
      checkRecord({ kind, row } as DemoRecord);
    }
  });

  it('when generating, then it covers every mode, stage and level, joint contracts and outside partners', () => {
    const { rows } = generate(5, 5000);
    const values = (kind: string, column: string) =>
      new Set(rows.filter((r) => r.kind === kind).map((r) => (r.row as Record<string, unknown>)[column]));
    expect(values('tech_transfer', 'mode')).toEqual(
      new Set(['transfer', 'license', 'equity', 'development', 'consulting', 'service']),
    );
    expect(values('incubation', 'stage')).toEqual(new Set(['incubating', 'graduated', 'closed']));
    expect(values('talent', 'level')).toEqual(new Set(['undergraduate', 'master', 'doctoral', 'tech_manager', 'other']));
    expect(values('tech_transfer', 'partner_region_code')).toContain('OTHER');
    expect([...values('tech_transfer', 'co_university_code')].filter(Boolean).length).toBeGreaterThan(0);
    expect(values('tech_transfer', 'university_code')).toEqual(new Set(['USST', 'NJTECH', 'UJS', 'ZJUT', 'AHUT']));
  });

  it('when generating, then activity grows after the agreement and December out-signs February', () => {
    const { rows } = generate(11, 20000, '2026-12-31');
    const contracts = rows.filter((r) => r.kind === 'tech_transfer').map((r) => (r.row as { signed_on: string }).signed_on);
    const inYear = (year: string) => contracts.filter((d) => d.startsWith(year)).length;
    expect(inYear('2025')).toBeGreaterThan(inYear('2021') * 1.1);
    const inMonth = (month: string) => contracts.filter((d) => d.slice(5, 7) === month).length;
    expect(inMonth('12')).toBeGreaterThan(inMonth('02') * 2);
    const values = rows
      .filter((r) => r.kind === 'tech_transfer')
      .map((r) => (r.row as { contract_value_cny: number }).contract_value_cny);
    expect(Math.max(...values)).toBeGreaterThan(50_000_000); // a few landmark contracts
  });

  it('when the records have been read, then there are targets for every measure, year and university', () => {
    const { targets } = generate(2, 4000);
    const measures = new Set(targets.map((t) => t.measure));
    expect([...measures].sort()).toEqual([...TARGETED_MEASURES].sort());
    const years = new Set(targets.map((t) => t.year));
    expect([...years].sort()).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const target of targets) expect(target.value).toBeGreaterThan(0);
    // The alliance-wide target is the sum of the members' targets.
    const contracts2024 = targets.filter((t) => t.measure === 'tech_transfer.contracts' && t.year === 2024);
    const alliance = contracts2024.find((t) => t.university_code === null)!;
    const members = contracts2024.filter((t) => t.university_code !== null).reduce((sum, t) => sum + Number(t.value), 0);
    expect(alliance.value).toBe(members);
  });

  it('when asked for targets before the records were read, then it refuses', () => {
    expect(() => new DemoDataGenerator({ seed: 1, records: 10, asOf: AS_OF }).targets()).toThrow(/read every record/);
  });
});

function checkRecord(record: DemoRecord): void {
  const within = (date: string) => {
    expect(isValidIsoDate(date)).toBe(true);
    expect(date >= AGREEMENT_DATE && date <= AS_OF).toBe(true);
  };
  const cents = (value: number) => expect(Math.round(value * 100) / 100).toBe(value);
  switch (record.kind) {
    case 'tech_transfer': {
      const r = record.row;
      within(r.signed_on);
      cents(r.contract_value_cny);
      // The database keeps received_cny from the payments: the generator writes none.
      expect(r.received_cny).toBeUndefined();
      expect(r.co_university_code).not.toBe(r.university_code);
      expect(r.partner_name.trim()).not.toBe('');
      break;
    }
    case 'payment': {
      const r = record.row;
      within(r.received_on);
      cents(r.amount_cny);
      expect(r.amount_cny).toBeGreaterThan(0);
      break;
    }
    case 'incubation': {
      const r = record.row;
      within(r.entered_on);
      expect(r.stage === 'graduated').toBe(r.graduated_on !== null);
      if (r.graduated_on) {
        within(r.graduated_on);
        expect(r.graduated_on >= r.entered_on).toBe(true);
      }
      expect(r.stage === 'closed').toBe(Boolean(r.closed_on));
      if (r.closed_on) {
        within(r.closed_on);
        expect(r.closed_on >= r.entered_on).toBe(true);
      }
      expect(r.partner_university_code).not.toBe(r.university_code);
      break;
    }
    case 'talent': {
      const r = record.row;
      within(r.started_on);
      expect(r.graduates).toBeLessThanOrEqual(r.trainees);
      // Graduates are counted on the completion day: a cohort with graduates has one.
      expect(r.graduates! > 0).toBe(Boolean(r.completed_on));
      if (r.completed_on) {
        within(r.completed_on);
        expect(r.completed_on >= r.started_on).toBe(true);
      }
      expect(r.partner_university_code).not.toBe(r.university_code);
      break;
    }
    case 'credit': {
      const r = record.row;
      within(r.recognized_on);
      expect(r.term).toMatch(/^\d{4}-\d{4}-[1-3]$/);
      expect(r.host_university_code).not.toBe(r.university_code);
      expect(r.credits).toBeGreaterThan(0);
      break;
    }
  }
}
