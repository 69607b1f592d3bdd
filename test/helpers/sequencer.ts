import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order in which `npm test` starts its files: each project's files together (a worker that runs
 * one project's file is reused for the next file of the same project only, and a new one launches
 * Chromium or migrates a PGlite template again), projects in the order vitest gives them, and
 * inside a project the longest file first. vitest sorts all files once, then splits them into its
 * groups (vitest.config.ts: the browser files on two workers, then the rest on three), keeping this
 * order within each. A group ends when its last file does, so a long file started last keeps one
 * worker busy while the others wait: started first, it runs beside the many short ones.
 *
 * A file's length is vitest's own record of its last run when there is one (node_modules/.vite),
 * else the seconds below (measured in one `.ci/run` on a two-core machine, the longer of a file's
 * two databases, files of 4 s or more; refresh them when a file becomes much longer or shorter), else a guess
 * from its size.
 */
const SECONDS: ReadonlyMap<string, number> = new Map([
  ['test/e2e/report.test.ts', 87],
  ['test/e2e/accessibility.test.ts', 86],
  ['test/e2e/charts.test.ts', 60],
  ['test/e2e/records.test.ts', 56],
  ['test/integration/leave-demo.test.ts', 36],
  ['test/e2e/admin.test.ts', 35],
  ['test/e2e/report-pdf.test.ts', 33],
  ['test/e2e/report-mail.test.ts', 32],
  ['test/integration/export-readers.test.ts', 32],
  ['test/e2e/shell.test.ts', 31],
  ['test/integration/client-departures.test.ts', 28],
  ['test/e2e/tables.test.ts', 27],
  ['test/integration/fuzz.test.ts', 26],
  ['test/integration/crash.test.ts', 24],
  ['test/integration/startup.test.ts', 24],
  ['test/integration/writes-in-outage.postgres.test.ts', 23],
  ['test/integration/visibility.test.ts', 22],
  ['test/integration/xlsx.test.ts', 22],
  ['test/e2e/reporting.test.ts', 21],
  ['test/integration/service.once.test.ts', 21],
  ['test/integration/outage.postgres.test.ts', 20],
  ['test/integration/cli.test.ts', 17],
  ['test/integration/mail-crash.test.ts', 16],
  ['test/integration/xlsx-import.test.ts', 15],
  ['test/integration/access.test.ts', 14],
  ['test/integration/kpi-property.test.ts', 14],
  ['test/integration/figure-status.test.ts', 19],
  ['test/integration/figure-status-history.test.ts', 10],
  ['test/integration/csv-formulas.test.ts', 12],
  ['test/integration/startup-errors.once.test.ts', 12],
  ['test/integration/downloads.test.ts', 11],
  ['test/integration/csv.test.ts', 10],
  ['test/integration/report.test.ts', 10],
  ['test/e2e/import-template.test.ts', 8],
  ['test/e2e/mail-view.test.ts', 7],
  ['test/integration/mail.test.ts', 7],
  ['test/integration/payment-ledger.test.ts', 7],
  ['test/integration/report-submissions.test.ts', 7],
  ['test/integration/csv-encodings.test.ts', 6],
  ['test/unit/file-encoding.test.ts', 6],
  ['test/e2e/figure-status.test.ts', 5],
  ['test/integration/hostile-input.test.ts', 5],
  ['test/integration/http.test.ts', 5],
  ['test/integration/import-budget.test.ts', 5],
  ['test/integration/upload-pace.test.ts', 5],
  ['test/e2e/harness.test.ts', 4],
  ['test/integration/dry-run.test.ts', 4],
  ['test/integration/kpi-edges.test.ts', 4],
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
