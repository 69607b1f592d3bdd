import { type Kysely, sql } from 'kysely';
import type { Database, FactKind } from '../../server/db/schema.js';
import { Random } from '../../server/demo/random.js';

/** Raw rows as written, kept by the test to compute expected figures without the server's code. */
export type RawRow = Record<string, string | number | null>;
export type RawFacts = Record<FactKind, RawRow[]>;

export const UNIVERSITIES = ['USST', 'NJTECH', 'UJS', 'ZJUT', 'AHUT'] as const;
export const REGION_OF: Record<string, string> = { USST: 'SH', NJTECH: 'JS', UJS: 'JS', ZJUT: 'ZJ', AHUT: 'AH' };
const REGIONS = ['SH', 'JS', 'ZJ', 'AH', 'OTHER'];
const FIELDS = ['ADV_MFG', 'NEW_MAT', 'IT_AI', 'BIOMED', 'ENERGY_ENV', 'OPTO'];
const MODES = ['transfer', 'license', 'equity', 'development', 'consulting', 'service'];
const LEVELS = ['undergraduate', 'master', 'doctoral', 'tech_manager', 'other'];

/** Dates on and around the edges of quarters and years, where off-by-one errors live. */
const EDGE_DATES = [
  '2023-03-31',
  '2023-04-01',
  '2023-12-31',
  '2024-01-01',
  '2024-02-29',
  '2024-06-30',
  '2024-07-01',
  '2024-09-30',
  '2024-10-01',
  '2024-12-31',
  '2025-01-01',
];

function randomDate(random: Random): string {
  if (random.chance(0.3)) return random.pick(EDGE_DATES);
  const start = Date.UTC(2022, 0, 1);
  const end = Date.UTC(2025, 11, 31);
  return new Date(start + Math.floor(random.next() * ((end - start) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}

const money = (random: Random, max: number): number => Math.round(random.next() ** 3 * max * 100) / 100;
const other = (random: Random, code: string): string => random.pick(UNIVERSITIES.filter((u) => u !== code));
const maybePartner = (random: Random, code: string): string | null => (random.chance(0.35) ? null : other(random, code));

/** Random records of every kind, with nulls, edge dates, huge and tiny amounts and odd text. */
export function randomFacts(seed: number, perKind: number): RawFacts {
  const random = new Random(seed);
  // Closing and completion dates from a stream of their own: the other values stay as they were.
  const dates = new Random(seed ^ 0xda7e);
  /** A date on or after `start`: the same day now and then (an edge), else any later one. */
  const onOrAfter = (start: string): string => {
    if (dates.chance(0.2)) return start;
    const day = randomDate(dates);
    return day < start ? start : day;
  };
  // Payment schedules from a third stream, so the contracts stay as they were.
  const pay = new Random(seed ^ 0xca54);
  /** A date on or after `start` from the payment stream: the same day now and then. */
  const paidOn = (start: string): string => {
    if (pay.chance(0.2)) return start;
    const day = randomDate(pay);
    return day < start ? start : day;
  };
  // Rewards to individuals from a fourth stream.
  const reward = new Random(seed ^ 0x7e3a);
  // Companies of the incubated projects from a fifth, capacity snapshots from a sixth.
  const company = new Random(seed ^ 0xc0c0);
  const capacity = new Random(seed ^ 0xcaba);
  const facts: RawFacts = { tech_transfer: [], payment: [], incubation: [], talent: [], credit: [], capacity: [] };
  for (let i = 0; i < perKind; i++) {
    const u = random.pick(UNIVERSITIES);
    const value = random.chance(0.05) ? money(random, 900_000_000) : money(random, 5_000_000);
    const draws = {
      mode: random.pick(MODES),
      partner: random.pick(['上海某公司, "甲"', '=cmd|x', 'Partner\nwith newline', 'Ltd.']),
      region: random.pick(REGIONS),
      co: maybePartner(random, u),
      field: random.pick(FIELDS),
      signed: randomDate(random),
      // The draw that was the received amount stays, so that every later value stays as it was.
      received: random.next(),
      patents: random.int(0, 5),
    };
    facts.tech_transfer.push({
      university_code: u,
      ref: `TT-${i}`,
      mode: draws.mode,
      partner_name: draws.partner,
      partner_region_code: draws.region,
      co_university_code: draws.co,
      field_code: draws.field,
      signed_on: draws.signed,
      contract_value_cny: value,
      received_cny: 0,
      patents: draws.patents,
      ...rewardsOn(reward, value, draws.signed),
    });
    // None to four payments, any of them up to the rest of the value; one in twenty paid in full.
    const contract = facts.tech_transfer[facts.tech_transfer.length - 1]!;
    let left = Math.round(value * 100);
    const parts = pay.int(0, 4);
    for (let n = 1; n <= parts && left > 0; n++) {
      const fen = n === parts && pay.chance(0.05) ? left : Math.max(1, Math.round(left * pay.next()));
      left -= fen;
      facts.payment.push({
        university_code: u,
        ref: `PAY-${i}-${n}`,
        contract_ref: `TT-${i}`,
        received_on: paidOn(String(contract.signed_on)),
        amount_cny: fen / 100,
      });
    }
    contract.received_cny = (Math.round(value * 100) - left) / 100;
  }
  for (let i = 0; i < perKind; i++) {
    const u = random.pick(UNIVERSITIES);
    const entered = randomDate(random);
    const stage = random.pick(['incubating', 'graduated', 'closed']);
    const graduated = stage === 'graduated' ? (random.chance(0.5) ? entered : randomDate(random)) : null;
    facts.incubation.push({
      university_code: u,
      ref: `INC-${i}`,
      name: `项目 ${i}`,
      field_code: random.pick(FIELDS),
      stage,
      entered_on: entered,
      graduated_on: graduated && graduated < entered ? entered : graduated,
      closed_on: stage === 'closed' ? onOrAfter(entered) : null,
      funding_cny: money(random, 20_000_000),
      jobs: random.int(0, 80),
      partner_university_code: maybePartner(random, u),
      // A company registered before entry, on it, or after; most projects have none.
      ...(company.chance(0.4)
        ? {
            company_registered_on: company.chance(0.2) ? entered : randomDate(company),
            company_stake: company.pick(['founded', 'shareholder']),
          }
        : { company_registered_on: null, company_stake: null }),
    });
  }
  for (let i = 0; i < perKind; i++) {
    const u = random.pick(UNIVERSITIES);
    const trainees = random.int(0, 90);
    const started = randomDate(random);
    const graduates = random.int(0, trainees);
    facts.talent.push({
      university_code: u,
      ref: `TAL-${i}`,
      partner_university_code: maybePartner(random, u),
      level: random.pick(LEVELS),
      program: `Programme ${i}`,
      started_on: started,
      // A cohort with graduates has completed; one without may have completed too, or still run.
      completed_on: graduates > 0 || dates.chance(0.3) ? onOrAfter(started) : null,
      trainees,
      graduates,
    });
  }
  // Up to a quarter of perKind snapshots per university, on distinct days (edges among them); some universities have none.
  for (const u of UNIVERSITIES) {
    const days = new Set<string>();
    const wanted = capacity.chance(0.15) ? 0 : capacity.int(1, Math.max(1, Math.ceil(perKind / 4)));
    for (let n = 0; n < wanted; n++) days.add(randomDate(capacity));
    for (const [n, day] of [...days].entries()) {
      facts.capacity.push({
        university_code: u,
        ref: `CAP-${u}-${n}`,
        snapshot_on: day,
        transfer_offices: capacity.int(0, 2),
        staff: capacity.int(0, 60),
        tech_managers: capacity.int(0, 30),
        co_built: capacity.int(0, 8),
      });
    }
  }
  for (let i = 0; i < perKind; i++) {
    const u = random.pick(UNIVERSITIES);
    const students = random.int(1, 40);
    facts.credit.push({
      university_code: u,
      ref: `CR-${i}`,
      host_university_code: other(random, u),
      course: `Course ${i}`,
      term: '2024-2025-1',
      recognized_on: randomDate(random),
      students,
      credits: Math.round(students * random.pick([1, 1.5, 2, 2.5, 3, 4]) * 10) / 10,
    });
  }
  return facts;
}

/**
 * A contract's rewards, from their own stream: none on most; else cash, equity or both up to the
 * value (now and then all of it), one to six people, granted on signing or later.
 */
function rewardsOn(random: Random, value: number, signed: string): RawRow {
  const none = { reward_cash_cny: 0, reward_equity_cny: 0, rewarded_people: 0, rewarded_on: null };
  const fen = Math.round(value * 100);
  if (fen < 2 || !random.chance(0.4)) return none;
  const total = random.chance(0.1) ? fen : Math.max(1, Math.round(fen * random.next()));
  const equity = random.chance(0.3) ? Math.round(total * random.next()) : 0;
  const day = random.chance(0.2) ? signed : randomDate(random);
  return {
    reward_cash_cny: (total - equity) / 100,
    reward_equity_cny: equity / 100,
    rewarded_people: random.int(1, 6),
    rewarded_on: day < signed ? signed : day,
  };
}

export async function insertFacts(db: Kysely<Database>, facts: RawFacts): Promise<void> {
  for (const kind of Object.keys(facts) as FactKind[]) {
    for (let i = 0; i < facts[kind].length; i += 500) {
      await db
        .insertInto(kind)
        .values(facts[kind].slice(i, i + 500) as never)
        .execute();
    }
  }
}

/**
 * `rows` credit records of USST (refs `<prefix>-1` …), each about a hundred bytes as CSV: enough to
 * fill the socket buffers of a download, so that it is still being sent when its reader acts.
 */
export async function insertBulkCredits(db: Kysely<Database>, prefix: string, rows: number): Promise<void> {
  await sql`
    insert into credit (university_code, ref, host_university_code, course, term, recognized_on, students, credits)
    select 'USST', ${`${prefix}-`} || n, 'ZJUT', 'A course with a long enough name to fill the pipes ' || n, '2024-2025-1', date '2024-10-09', 3, 6
    from generate_series(1, ${rows}) as n`.execute(db);
}
