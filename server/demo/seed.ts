import { sql, type Kysely } from 'kysely';
import { FACT_KINDS, type Database, type FactKind } from '../db/schema.js';
import { bumpDataVersion } from '../db/data-version.js';
import { DemoDataGenerator, type DemoOptions, type DemoRecord } from './generator.js';

export interface SeedProgress {
  written: number;
  total: number;
}

export interface SeedSummary {
  records: Record<FactKind, number>;
  targets: number;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table. */
const BATCH_ROWS = 1000;
/** Up to this size the whole dataset is written in one transaction; beyond, one per batch. */
const SINGLE_TRANSACTION_LIMIT = 200_000;

/** True when any fact table holds a record. */
export async function hasAnyRecords(db: Kysely<Database>): Promise<boolean> {
  for (const kind of FACT_KINDS) {
    const row = await db.selectFrom(kind).select('id').limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/**
 * Writes the deterministic demo dataset and its targets, and marks the dataset as
 * synthetic. The database must hold no records (see `hasAnyRecords`).
 */
export async function seedDemoData(
  db: Kysely<Database>,
  options: DemoOptions,
  onProgress: (progress: SeedProgress) => void = () => undefined,
): Promise<SeedSummary> {
  const generator = new DemoDataGenerator(options);
  const written: Record<FactKind, number> = {
    tech_transfer: 0,
    payment: 0,
    incubation: 0,
    talent: 0,
    credit: 0,
    capacity: 0,
  };
  const write = async (trx: Kysely<Database>, kind: FactKind, rows: DemoRecord['row'][]): Promise<void> => {
    await trx
      .insertInto(kind)
      .values(rows as never)
      .execute();
    written[kind] += rows.length;
    onProgress({ written: total(written), total: options.records });
  };
  const run = async (trx: Kysely<Database>, batched: boolean): Promise<number> => {
    const buffers: Record<FactKind, DemoRecord['row'][]> = {
      tech_transfer: [],
      payment: [],
      incubation: [],
      talent: [],
      credit: [],
      capacity: [],
    };
    const flush = async (kind: FactKind): Promise<void> => {
      // A payment names its contract: the contracts go first.
      if (kind === 'payment') await flush('tech_transfer');
      const rows = buffers[kind];
      if (rows.length === 0) return;
      buffers[kind] = [];
      if (batched) await trx.transaction().execute((inner) => write(inner, kind, rows));
      else await write(trx, kind, rows);
    };
    for (const record of generator.records()) {
      const buffer = buffers[record.kind];
      buffer.push(record.row);
      if (buffer.length >= BATCH_ROWS) await flush(record.kind);
    }
    for (const kind of FACT_KINDS) await flush(kind);
    const targets = generator.targets();
    for (let i = 0; i < targets.length; i += BATCH_ROWS) {
      await trx
        .insertInto('target')
        .values(targets.slice(i, i + BATCH_ROWS))
        .execute();
    }
    await markSynthetic(trx, options);
    return targets.length;
  };
  const targets =
    options.records <= SINGLE_TRANSACTION_LIMIT ? await db.transaction().execute((trx) => run(trx, false)) : await run(db, true);
  return { records: written, targets };
}

export async function markSynthetic(db: Kysely<Database>, options: DemoOptions): Promise<void> {
  const dataset = {
    synthetic: true,
    seed: options.seed,
    records: options.records,
    asOf: options.asOf,
    generatedAt: new Date().toISOString(),
  };
  await db
    .insertInto('app_setting')
    .values({ key: 'dataset', value: dataset })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: dataset, updated_at: sql`now()` }))
    .execute();
  await bumpDataVersion(db);
}

/** The records written of the drawn kinds, which `records` counts (the payments and capacity snapshots come besides). */
function total(counts: Record<FactKind, number>): number {
  return counts.tech_transfer + counts.incubation + counts.talent + counts.credit;
}
