import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATALOGUE, layout, renderSnapshots, SNAPSHOT_COMMAND, SNAPSHOT_DIR } from '../sql/catalogue.js';

const ROOT = join(import.meta.dirname, '../..');
const committed = (): Map<string, string> =>
  new Map(
    readdirSync(join(ROOT, SNAPSHOT_DIR))
      .filter((name) => name.endsWith('.sql'))
      .map((name) => [name, readFileSync(join(ROOT, SNAPSHOT_DIR, name), 'utf8')]),
  );

const STALE = `The KPI compiler's SQL differs from the committed snapshots in ${SNAPSHOT_DIR}/. If the change is meant, run \`${SNAPSHOT_COMMAND}\` and commit the files with it, so that a reviewer sees the SQL change.`;

describe('the SQL a reviewer can see', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when the compiler writes its SQL for the catalogue, then it is the SQL committed in docs/sql/', async () => {
    const rendered = await renderSnapshots();
    const files = committed();
    // Received: what the compiler writes now; expected: what is committed. Every file's diff is shown.
    expect.soft([...rendered.keys()].sort(), STALE).toEqual([...files.keys()].sort());
    for (const [name, text] of rendered) expect.soft(text, `${name}: ${STALE}`).toBe(files.get(name));
  });

  it('when the clock shows another day, then the SQL is the same: nothing in the catalogue reads it', async () => {
    const before = await renderSnapshots();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-07-15T03:00:00Z'));
    expect(await renderSnapshots()).toEqual(before);
  });

  it('when the catalogue is read, then every family has requests, and each request its own title', () => {
    for (const family of CATALOGUE) {
      expect(family.entries.length, family.file).toBeGreaterThan(0);
      const titles = family.entries.map((e) => `${e.title}${e.withoutRollups ? ' (no rollups)' : ''}`);
      expect(new Set(titles).size, family.file).toBe(titles.length);
    }
  });

  it('when a statement is laid out, then clauses start lines, nesting indents, and quoted text stays whole', () => {
    expect(
      layout(
        `select a from (select 'x from y' as "b  where", extract(year from d) from t  where  c = 1 group by 1) as s order by a`,
      ),
    ).toBe(
      [
        `select a`,
        `from (select 'x from y' as "b  where", extract(year from d)`,
        `  from t`,
        `  where c = 1`,
        `  group by 1) as s`,
        `order by a`,
      ].join('\n'),
    );
  });
});
