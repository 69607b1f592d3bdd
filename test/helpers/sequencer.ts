import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order in which `npm test` starts its files: each project's files together (a worker that runs
 * one project's file is reused for the next file of the same project only, and a new one launches
 * Chromium or migrates a PGlite template again), projects in the order vitest gives them, and
 * inside a project the longest file first. Two workers run the files; the run ends when the last
 * file does, so a long file started last keeps one worker busy while the other waits: started
 * first, it runs beside the many short ones.
 *
 * A file's length is vitest's own record of its last run when there is one (node_modules/.vite),
 * else the seconds below (measured on a two-core machine, `--reporter=json`, files of 4 s or more;
 * the fuzz, accessibility and administration files estimated after their cuts; refresh them when a
 * file becomes much longer or shorter), else a guess from its size.
 */
const SECONDS: ReadonlyMap<string, number> = new Map([
  ['test/e2e/accessibility.test.ts', 75],
  ['test/e2e/report.test.ts', 75],
  ['test/integration/cli.test.ts', 70],
  ['test/e2e/charts.test.ts', 57],
  ['test/e2e/records.test.ts', 46],
  ['test/integration/leave-demo.test.ts', 45],
  ['test/e2e/admin.test.ts', 43],
  ['test/integration/crash.test.ts', 42],
  ['test/integration/client-departures.test.ts', 31],
  ['test/integration/mail-crash.test.ts', 31],
  ['test/e2e/tables.test.ts', 29],
  ['test/e2e/report-mail.test.ts', 26],
  ['test/e2e/reporting.test.ts', 26],
  ['test/e2e/shell.test.ts', 24],
  ['test/integration/export-readers.test.ts', 23],
  ['test/integration/startup.test.ts', 18],
  ['test/integration/visibility.test.ts', 18],
  ['test/e2e/report-pdf.test.ts', 18],
  ['test/integration/xlsx.test.ts', 17],
  ['test/integration/csv-formulas.test.ts', 16],
  ['test/integration/fuzz.test.ts', 15],
  ['test/integration/access.test.ts', 15],
  ['test/integration/startup-errors.once.test.ts', 15],
  ['test/integration/figure-status.test.ts', 12],
  ['test/integration/service.once.test.ts', 12],
  ['test/integration/downloads.test.ts', 11],
  ['test/integration/kpi-property.test.ts', 10],
  ['test/integration/report.test.ts', 9],
  ['test/integration/csv.test.ts', 8],
  ['test/e2e/mail-view.test.ts', 8],
  ['test/integration/payment-ledger.test.ts', 6],
  ['test/integration/mail.test.ts', 5],
  ['test/integration/report-submissions.test.ts', 5],
  ['test/integration/upload-pace.test.ts', 5],
  ['test/unit/file-encoding.test.ts', 4],
  ['test/integration/csv-encodings.test.ts', 4],
  ['test/integration/hostile-input.test.ts', 4],
  ['test/integration/import-budget.test.ts', 4],
  ['test/e2e/figure-status.test.ts', 4],
  ['test/e2e/harness.test.ts', 4],
]);

/** A file of unknown length: about a second for every 5 KB of test source. */
const MS_PER_BYTE = 0.2;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const grouped = await super.sort(files);
    const projectOrder = new Map<string, number>();
    for (const spec of grouped) if (!projectOrder.has(spec.project.name)) projectOrder.set(spec.project.name, projectOrder.size);
    const expected = new Map(grouped.map((spec) => [spec, this.expectedMs(spec)]));
    return [...grouped].sort(
      (a, b) =>
        projectOrder.get(a.project.name)! - projectOrder.get(b.project.name)! ||
        expected.get(b)! - expected.get(a)! ||
        a.moduleId.localeCompare(b.moduleId),
    );
  }

  private expectedMs(spec: TestSpecification): number {
    const path = relative(this.ctx.config.root, spec.moduleId).replaceAll('\\', '/');
    const last = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
    if (last && !last.failed && last.duration > 0) return last.duration;
    const seconds = SECONDS.get(path);
    if (seconds !== undefined) return seconds * 1000;
    try {
      return statSync(spec.moduleId).size * MS_PER_BYTE;
    } catch {
      return 0;
    }
  }
}
