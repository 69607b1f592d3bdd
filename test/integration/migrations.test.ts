import { sql } from 'kysely';
import { DAY_ROLLUPS, ROLLUPS } from '../../server/kpi/rollups.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { migrateToLatest, SQL_DIR } from '../../server/db/migrate.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/database.js';

describe(`migrations (${TEST_DB})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(() => database.close());

  it('when the database is empty, then every migration applies in order', async () => {
    const applied = await migrateToLatest(database.db);
    const files = readdirSync(SQL_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(files.slice(0, 5)).toEqual([
      '0001_dimensions.sql',
      '0002_accounts.sql',
      '0003_facts.sql',
      '0004_targets_audit.sql',
      '0005_reference_data.sql',
    ]);
    expect(applied).toEqual(files.map((f) => f.replace(/\.sql$/, '')));
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(
      database.db,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'app_setting',
      'app_user',
      'audit_log',
      'capacity',
      'capacity_fact',
      'credit',
      'field',
      'import_batch',
      'incubation',
      'mail_outbox',
      'payment',
      'payment_fact',
      'region',
      'report_submission',
      'reporting_calendar',
      'reporting_period',
      'reporting_period_state',
      'reporting_step',
      ...[...Object.values(ROLLUPS), ...Object.values(DAY_ROLLUPS)]
        .flat()
        .map((r) => r.table)
        .sort(),
      'session',
      'talent',
      'target',
      'tech_transfer',
      'university',
    ]);
  });

  it('when run again, then nothing is applied and nothing changes', async () => {
    const before = await database.db.selectFrom('university').selectAll().execute();
    expect(await migrateToLatest(database.db)).toEqual([]);
    expect(await database.db.selectFrom('university').selectAll().execute()).toEqual(before);
  });

  it('when migrated, then the reference data is there: five members, the delta provinces and the fields', async () => {
    const universities = await database.db
      .selectFrom('university')
      .select(['code', 'name_zh', 'region_code'])
      .orderBy('code')
      .execute();
    expect(universities).toEqual([
      { code: 'AHUT', name_zh: '安徽工业大学', region_code: 'AH' },
      { code: 'NJTECH', name_zh: '南京工业大学', region_code: 'JS' },
      { code: 'UJS', name_zh: '江苏大学', region_code: 'JS' },
      { code: 'USST', name_zh: '上海理工大学', region_code: 'SH' },
      { code: 'ZJUT', name_zh: '浙江工业大学', region_code: 'ZJ' },
    ]);
    const regions = await database.db.selectFrom('region').select('code').orderBy('position').execute();
    expect(regions.map((r) => r.code)).toEqual(['SH', 'JS', 'ZJ', 'AH', 'OTHER']);
    const fields = await database.db.selectFrom('field').select('code').execute();
    expect(fields.length).toBeGreaterThanOrEqual(5);
  });

  it('when values come back, then numeric and bigint are numbers, dates ISO strings, and the session is UTC', async () => {
    const { rows } = await sql<{ n: number; money: number; day: string; tz: string; big: number }>`
      select count(*) as n, 12345678.91::numeric(16,2) as money, date '2024-03-31' as day,
             current_setting('TimeZone') as tz, 9007199254740991::bigint as big from university`.execute(database.db);
    expect(rows[0]).toEqual({ n: 5, money: 12345678.91, day: '2024-03-31', tz: 'UTC', big: Number.MAX_SAFE_INTEGER });
  });
});
