// Reads vitest's JSON report and fails unless every integration file ran in both the PGlite
// and the PostgreSQL project, every browser file ran once with all its tests passed (none
// skipped for want of Chromium), nothing failed and nothing was skipped.
import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const runs = new Map();
const statuses = new Map();
for (const file of report.testResults) {
  const name = relative(process.cwd(), file.name);
  runs.set(name, (runs.get(name) ?? 0) + 1);
  statuses.set(name, [...(statuses.get(name) ?? []), ...file.assertionResults.map((test) => test.status)]);
}
const problems = [];
for (const [name, count] of runs) {
  if (!name.startsWith('test/integration/')) continue;
  // `.once` files run on PGlite only, `.postgres` files on PostgreSQL only; all others on both.
  const single = name.endsWith('.once.test.ts') || name.endsWith('.postgres.test.ts');
  const expected = single ? 1 : 2;
  if (count !== expected) problems.push(`${name} ran ${count} time(s), expected ${expected}`);
}
if (![...runs.keys()].some((name) => name.startsWith('test/integration/'))) problems.push('no integration test ran');
if (![...runs.keys()].some((name) => name.endsWith('.postgres.test.ts'))) problems.push('the PostgreSQL-only tests did not run');

// The browser project: every file under test/e2e ran once, and every test in it passed.
const browserFiles = readdirSync('test/e2e', { recursive: true })
  .map((entry) => `test/e2e/${entry}`.replaceAll('\\', '/'))
  .filter((name) => name.endsWith('.test.ts'));
if (browserFiles.length === 0) problems.push('there are no browser tests under test/e2e');
let browserSkipped = 0;
for (const name of browserFiles) {
  const count = runs.get(name) ?? 0;
  if (count !== 1) problems.push(`${name} ran ${count} time(s), expected 1 (in the browser project)`);
  const tests = statuses.get(name) ?? [];
  if (count > 0 && tests.length === 0) problems.push(`${name} holds no test`);
  browserSkipped += tests.filter((status) => status !== 'passed' && status !== 'failed').length;
}
if (browserSkipped > 0)
  problems.push(
    `${browserSkipped} browser test(s) did not run: is Chromium installed at /usr/bin/chromium? (apt-get install -y chromium)`,
  );

if (report.numFailedTests > 0) problems.push(`${report.numFailedTests} test(s) failed`);
if (report.numPendingTests + report.numTodoTests > 0)
  problems.push(`${report.numPendingTests + report.numTodoTests} test(s) were skipped`);
if (report.numTotalTests === 0) problems.push('no test ran');

console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`ci: ${problem}`);
  process.exit(1);
}
