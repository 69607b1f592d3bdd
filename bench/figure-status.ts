/**
 * What the status of figures costs a KPI read, apart from the machine's noise: on the demo data
 * (PGlite in memory), (1) reading the standing cold (what the first read after a write pays: the
 * calendars, every stored period, and the digest of each period approved once and reopened; and, for
 * a figure of stocks or of flows counted on another day, their records' dates), with
 * no step at all and after every quarter of last year is approved for every member and one is
 * reopened and changed; (2) deriving the status of every row of /aggregate?by=university,quarter
 * (all dates) and of a year's summary per measure, from a standing already read.
 * Usage: npx tsx bench/figure-status.ts [--iterations 200] [--records 5000]
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDemoData } from '../server/demo/seed.js';
import { runAggregate } from '../server/kpi/compile.js';
import { FigureStatuses, loadStanding, rowStatus } from '../server/kpi/figure-status.js';
import { figureRange, readDataRange } from '../server/kpi/kpi.service.js';
import { loadReferences, universitiesInScope } from '../server/kpi/references.js';
import { freezePeriod } from '../server/cycle/period-records.js';
import { today } from '../server/lib/dates.js';
import { percentile } from './bench-app.js';

const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '200' }, records: { type: 'string', default: '5000' } },
});
const iterations = Number(values.iterations);
const database = await connectDatabase({ inMemory: true });
const db = database.db;
await migrateToLatest(db);
await seedDemoData(db, { seed: 42, records: Number(values.records), asOf: today() });

async function time(fn: () => unknown): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}
const fmt = (samples: number[]) => `p50 ${percentile(samples, 50).toFixed(3)} ms, p95 ${percentile(samples, 95).toFixed(3)} ms`;

// A transaction reads the standing afresh each time (nothing is kept for a transaction): the cold cost.
const cold = () => db.transaction().execute((trx) => loadStanding(trx, ['tech_transfer.contracts']));
const coldNone = await time(cold);
// What a figure of stocks or dated flows adds: its records' dates, read once per version and need.
const coldStocks = await time(() =>
  db.transaction().execute((trx) => loadStanding(trx, ['capacity.staff', 'incubation.portfolio'])),
);
const coldDated = await time(() =>
  db
    .transaction()
    .execute((trx) =>
      loadStanding(trx, ['talent.graduates', 'incubation.graduated', 'incubation.companies', 'tech_transfer.reward_cash']),
    ),
);

// Every quarter of last year approved for every member; its first quarter of USST reopened and changed.
const year = Number(today().slice(0, 4)) - 1;
const references = await loadReferences(db);
for (const university of references.universities)
  for (const q of [1, 2, 3, 4]) {
    const from = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
    const to = new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10);
    const frozen = await freezePeriod(db, university, { from, to });
    const { rows } = await sql<{ id: number }>`insert into reporting_period (university_code, period, period_from, period_to)
      values (${university}, ${`${year}-Q${q}`}, ${from}, ${to}) returning id`.execute(db);
    const id = rows[0]!.id;
    await sql`insert into reporting_step (period_id, action, summary, sha256) values (${id}, 'submit', ${JSON.stringify(frozen.summary)}, ${frozen.sha256})`.execute(
      db,
    );
    await sql`insert into reporting_step (period_id, action) values (${id}, 'approve')`.execute(db);
    if (university === references.universities[0] && q === 1) {
      await sql`insert into reporting_step (period_id, action, comment) values (${id}, 'reopen', 'bench')`.execute(db);
      await sql`update tech_transfer set patents = patents + 1 where id = (select min(id) from tech_transfer
        where university_code = ${university} and signed_on between ${from} and ${to})`.execute(db);
    }
  }
const coldSteps = await time(cold);

const range = await readDataRange(db);
const standing = await loadStanding(db, ['tech_transfer.contracts']);
const query = {
  measures: ['tech_transfer.contracts', 'tech_transfer.contract_value', 'tech_transfer.received'] as const,
  by: ['university', 'quarter'] as const,
  filters: {},
};
const rows = await runAggregate(db, { ...query, measures: [...query.measures], by: [...query.by] }, range);
const scope = universitiesInScope({}, references);
const perAnswer = await time(() => {
  const statuses = new FigureStatuses(standing);
  const { reading, range: span } = figureRange(query.measures, {}, statuses.day);
  for (const row of rows) rowStatus(statuses, row, query.by, scope, span, reading, references);
});
const aggregateSql = await time(() => runAggregate(db, { ...query, measures: [...query.measures], by: [...query.by] }, range));

console.log(`\nStatus of figures on ${values.records} demo records (PGlite in memory), ${iterations} runs each\n`);
console.log(`standing read cold, no step stored:                     ${fmt(coldNone)}`);
console.log(`  the same, for the two stocks (capacity, incubation):  ${fmt(coldStocks)}`);
console.log(`  the same, for the four flows counted on another day:  ${fmt(coldDated)}`);
console.log(`standing read cold, 20 periods approved, 1 reopened+changed: ${fmt(coldSteps)}`);
console.log(`status of ${rows.length} rows (by university, quarter; all dates): ${fmt(perAnswer)}`);
console.log(`the same aggregate's query, for scale:                   ${fmt(aggregateSql)}`);
await database.close();
